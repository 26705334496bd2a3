"""The idle backends that cannot run here (Windows, macOS), tested for their calls; the registry's choice.

Windows and macOS are not run by this project's CI: these tests check what each
backend asks of the OS and how it reads the answer, with fake functions.
"""

from __future__ import annotations

import asyncio

import pytest

from timecrowd_tray.platform.idle import create_idle_source, idle_candidates
from timecrowd_tray.platform.idle.base import IdleUnavailable, NullIdleSource
from timecrowd_tray.platform.idle.clock_jump import ClockJumpDetector
from timecrowd_tray.platform.idle.macos import ANY_INPUT_EVENT, HID_SYSTEM_STATE, MacOSIdleSource
from timecrowd_tray.platform.idle.windows import WindowsIdleSource


def test_windows_reads_last_input_against_the_tick_count_across_the_wrap():
    calls = []

    def get_last_input(info_ref):
        info = info_ref._obj
        calls.append(info.cbSize)
        info.dwTime = 0xFFFF_F000      # just before the 49.7-day wrap
        return 1

    source = WindowsIdleSource((get_last_input, lambda: 0x0000_1000))
    assert asyncio.run(source.idle_seconds()) == 0x2000 / 1000
    assert calls == [8]                # cbSize set, as the API requires

    failing = WindowsIdleSource((lambda ref: 0, lambda: 0))
    with pytest.raises(IdleUnavailable):
        asyncio.run(failing.idle_seconds())


def test_windows_and_macos_refuse_elsewhere():
    with pytest.raises(IdleUnavailable):
        WindowsIdleSource()
    with pytest.raises(IdleUnavailable):
        MacOSIdleSource()


def test_macos_asks_the_hid_system_for_any_input():
    asked = []

    def seconds_since(state, kind):
        asked.append((state, kind))
        return 42.5

    assert asyncio.run(MacOSIdleSource(seconds_since).idle_seconds()) == 42.5
    assert asked == [(HID_SYSTEM_STATE, ANY_INPUT_EVENT)] == [(1, 0xFFFFFFFF)]


def test_candidates_by_platform():
    assert idle_candidates("win32", {}) == ["windows"]
    assert idle_candidates("darwin", {}) == ["macos"]
    assert idle_candidates("linux", {"WAYLAND_DISPLAY": "wayland-0"}) == ["mutter", "screensaver"]
    assert idle_candidates("linux", {"DISPLAY": ":0"}) == ["mutter", "x11", "screensaver"]
    assert idle_candidates("linux", {"TIMECROWD_TRAY_IDLE_BACKEND": "none"}) == ["none"]


def test_the_first_that_works_wins_and_none_says_why():
    async def factory(name):
        if name == "broken":
            raise RuntimeError("boom")
        if name == "absent":
            raise IdleUnavailable("not here")
        return NullIdleSource(name)

    chosen = asyncio.run(create_idle_source(["absent", "broken", "ok"], factory))
    assert chosen.reason == "ok"
    nothing = asyncio.run(create_idle_source(["absent"], factory))
    assert isinstance(nothing, NullIdleSource) and "absent: not here" in nothing.reason


def test_the_clocks_tell_a_sleep():
    wall, mono = [1000.0], [50.0]
    detector = ClockJumpDetector(wall=lambda: wall[0], mono=lambda: mono[0])
    wall[0], mono[0] = 1060.0, 110.0
    assert detector.check() is None
    wall[0], mono[0] = 1060.0 + 3600 + 30, 140.0
    assert detector.check() == (1090.0, 1060.0 + 3630)
