"""X11 idle time for real on a virtual screen: no input for the threshold, then xdotool input."""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import UTC, datetime

from timecrowd_tray.core.models import Task
from timecrowd_tray.core.timer import Phase, TimerState
from timecrowd_tray.platform.idle import create_idle_source, idle_candidates
from timecrowd_tray.platform.idle.x11_xss import X11IdleSource
from timecrowd_tray.services.idle_watch import IdleWatch

from support.virtual_screen import wait_for

THRESHOLD = 1.5  # seconds: small, so the test waits little


class Running:
    """A service with a timer running (what the watcher reads of it)."""

    def __init__(self) -> None:
        task = Task(id=7, title="Code review", team_id=1)
        self.state = TimerState(phase=Phase.RUNNING, task=task, entry_id=5,
                                started_at=datetime.fromtimestamp(time.time() - 3600, UTC))
        self.stops: list[float] = []

    def add_listener(self, callback):
        return lambda: None

    def request_stop_at(self, at):
        self.stops.append(at)

    def request_start(self, task):
        return None


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={"DISPLAY": display, "PATH": "/usr/bin:/bin"}, check=True)


def test_idle_grows_without_input_and_input_resets_it(x_display):
    source = X11IdleSource(x_display)
    try:
        xdotool(x_display, "mousemove", "10", "10")
        wait_for(lambda: source.idle_ms() >= THRESHOLD * 1000, 10, "the idle time to grow")
        xdotool(x_display, "mousemove", "50", "60")
        assert source.idle_ms() < THRESHOLD * 1000
    finally:
        asyncio.run(source.close())


def test_the_registry_picks_x11_on_an_x_session_without_mutter(x_display, monkeypatch):
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TIMECROWD_TRAY_IDLE_BACKEND", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    assert idle_candidates("linux")[:2] == ["mutter", "x11"]

    async def main():
        source = await create_idle_source(["x11"])
        name = source.name
        await source.close()
        return name

    assert asyncio.run(main()) == "x11"


def test_the_watcher_sees_the_user_leave_and_come_back(x_display):
    async def main():
        service = Running()
        source = X11IdleSource(x_display)
        watch = IdleWatch(service, lambda: THRESHOLD / 60, idle_source=lambda: _ready(source), interval=3600)
        await watch.start()
        xdotool(x_display, "mousemove", "10", "10")
        deadline = time.monotonic() + 10
        while not watch.state.away:               # no input: the user is away once the threshold passes
            assert time.monotonic() < deadline
            await watch.check()
            await asyncio.sleep(0.1)
        assert watch.pending is None
        left = watch.state.away_since
        xdotool(x_display, "mousemove", "200", "200")
        await watch.check()
        assert watch.pending is not None and watch.pending.left_at == left
        assert watch.pending.back_at > left
        await watch.aclose()

    asyncio.run(main())


async def _ready(source):
    return source
