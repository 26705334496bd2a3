"""logind, the screen saver and Mutter's idle monitor over a private bus, mocked by python-dbusmock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from timecrowd_tray.platform.idle import create_presence_sources
from timecrowd_tray.platform.idle.base import PresenceKind
from timecrowd_tray.platform.idle.dbus_screensaver import ScreenSaverPresence
from timecrowd_tray.platform.idle.logind import LogindSource
from timecrowd_tray.platform.idle.mutter_idle import MutterIdle

from support.dbus_mock import MOCK, require_dbusmock, spawn_mock
from support.sni_host import PrivateSessionBus, call
from support.tools import require
from support.virtual_screen import _stop, wait_for


@pytest.fixture
def bus() -> Iterator[PrivateSessionBus]:
    require("dbus-daemon", why="the D-Bus idle tests need a private bus")
    require_dbusmock()
    with PrivateSessionBus() as private:
        yield private


def wait_name(conn, name: str) -> None:
    wait_for(lambda: call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "NameHasOwner", "s", (name,))[0], 15, f"{name} on the private bus", interval=0.05)


async def until(events: list, count: int, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(events) < count:
        assert loop.time() < deadline, f"only {events!r}"
        await asyncio.sleep(0.01)  # yields to the D-Bus reader task; the loop is the condition


def test_logind_sleep_wake_lock_unlock(bus):
    proc = spawn_mock(bus, "--system", "--template", "logind")
    conn = bus.connect()
    try:
        wait_name(conn, "org.freedesktop.login1")
        call(conn, "org.freedesktop.login1", "/org/freedesktop/login1", MOCK, "AddSession", "ssusb",
             ("auto", "seat0", 1000, "me", True))

        async def main():
            events = []
            source = LogindSource(bus.address, clock=lambda: 1000.0)
            await source.start(events.append)
            assert source.session_path == "/org/freedesktop/login1/session/auto"
            manager = ("org.freedesktop.login1", "/org/freedesktop/login1", MOCK)
            session = ("org.freedesktop.login1", "/org/freedesktop/login1/session/auto", MOCK)
            call(conn, *manager, "EmitSignal", "sssav", ("org.freedesktop.login1.Manager", "PrepareForSleep", "b",
                                                         [("b", True)]))
            call(conn, *manager, "EmitSignal", "sssav", ("org.freedesktop.login1.Manager", "PrepareForSleep", "b",
                                                         [("b", False)]))
            call(conn, *session, "EmitSignal", "sssav", ("org.freedesktop.login1.Session", "Lock", "", []))
            call(conn, *session, "EmitSignal", "sssav", ("org.freedesktop.login1.Session", "Unlock", "", []))
            await until(events, 4)
            await source.close()
            return [e.kind for e in events]

        kinds = asyncio.run(main())
        assert kinds == [PresenceKind.SLEEP, PresenceKind.WAKE, PresenceKind.LOCK, PresenceKind.UNLOCK]
    finally:
        conn.close()
        _stop(proc)


def test_screen_saver_active_changed_is_lock_and_unlock(bus):
    proc = spawn_mock(bus, "--session", "--template", "gnome_screensaver")
    conn = bus.connect()
    try:
        wait_name(conn, "org.gnome.ScreenSaver")

        async def main():
            events = []
            source = ScreenSaverPresence(bus.address)
            await source.start(events.append)
            for active in (True, False):
                call(conn, "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                     "SetActive", "b", (active,))
            await until(events, 2)
            await source.close()
            return [e.kind for e in events]

        assert asyncio.run(main()) == [PresenceKind.LOCK, PresenceKind.UNLOCK]
    finally:
        conn.close()
        _stop(proc)


def test_mutter_idle_monitor_time_and_watches_without_polling(bus):
    name, path = "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core"
    proc = spawn_mock(bus, "--session", name, path, name)
    conn = bus.connect()
    try:
        wait_name(conn, name)
        call(conn, name, path, MOCK, "AddMethods", "sa(ssss)", (name, [
            ("GetIdletime", "", "t", "ret = 90000"),
            ("AddIdleWatch", "t", "u", "ret = 7"),
            ("AddUserActiveWatch", "", "u", "ret = 8"),
            ("RemoveWatch", "u", "", ""),
        ]))

        async def main():
            events = []
            source = await MutterIdle.create(bus.address, clock=lambda: 5000.0)
            assert await source.idle_seconds() == 90.0
            await source.arm(600)
            started = await create_presence_sources(events.append, source, candidates=[])
            assert started == [source]
            call(conn, name, path, MOCK, "EmitSignal", "sssav", (name, "WatchFired", "u", [("u", 7)]))
            await until(events, 1)
            for _ in range(500):  # the one-shot active watch is added after the idle watch fired
                if source._active_watch == 8:
                    break
                await asyncio.sleep(0.01)
            call(conn, name, path, MOCK, "EmitSignal", "sssav", (name, "WatchFired", "u", [("u", 8)]))
            await until(events, 2)
            await source.close()
            return events

        events = asyncio.run(main())
        assert [e.kind for e in events] == [PresenceKind.AWAY, PresenceKind.ACTIVE]
        assert events[0].at == 5000.0 - 600   # the user left when input stopped, not when the watch fired
    finally:
        conn.close()
        _stop(proc)


def test_no_logind_on_the_bus_is_said_not_raised(bus):
    async def main():
        return await create_presence_sources(lambda e: None, None, candidates=["logind"],
                                             factory=lambda n: LogindSource(bus.address))

    assert asyncio.run(main()) == []
