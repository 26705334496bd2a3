"""The session's screen saver over D-Bus: ``ActiveChanged`` (lock) and ``GetSessionIdleTime`` (idle time).

``org.freedesktop.ScreenSaver`` (KDE Plasma, Xfce, most desktops) and
``org.gnome.ScreenSaver`` (GNOME) both send ``ActiveChanged(b)`` when the
screen saver (or the lock screen) comes on and goes off: that is a
:class:`.base.PresenceSource`, signals only. ``GetSessionIdleTime`` (seconds,
freedesktop's) is the idle time where the desktop implements it (KDE does;
GNOME answers an error: Mutter's idle monitor is used there).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .base import Emit, IdleSource, IdleUnavailable, PresenceEvent, PresenceKind, PresenceSource
from .dbus_link import DBusLink, open_answering

FREEDESKTOP = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver")
GNOME = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver")


class ScreenSaverPresence(PresenceSource):
    name = "screensaver"

    def __init__(self, bus: str = "SESSION", *, clock: Callable[[], float] = time.time) -> None:
        self._link = DBusLink(bus)
        self._clock = clock

    async def start(self, emit: Emit) -> None:
        await self._link.open()
        try:
            for interface, _path in (FREEDESKTOP, GNOME):
                await self._link.listen(lambda m: self._on_active(m, emit), interface=interface,
                                        member="ActiveChanged")
        except BaseException:
            await self._link.close()
            raise

    def _on_active(self, message: Any, emit: Emit) -> None:
        active = bool(message.body[0]) if message.body else False
        emit(PresenceEvent(PresenceKind.LOCK if active else PresenceKind.UNLOCK, self._clock(), self.name))

    async def close(self) -> None:
        await self._link.close()


class ScreenSaverIdle(IdleSource):
    """``org.freedesktop.ScreenSaver.GetSessionIdleTime``: made only if the desktop answers it."""

    name = "screensaver"
    local = False

    def __init__(self, link: DBusLink) -> None:
        self._link = link

    @classmethod
    async def create(cls, bus: str = "SESSION") -> ScreenSaverIdle:
        return await open_answering(bus, cls)

    async def idle_seconds(self) -> float:
        name, path = FREEDESKTOP
        (seconds,) = await self._link.call(name, path, name, "GetSessionIdleTime")
        if not isinstance(seconds, int):
            raise IdleUnavailable("GetSessionIdleTime answered no number")
        return float(seconds)

    async def close(self) -> None:
        await self._link.close()
