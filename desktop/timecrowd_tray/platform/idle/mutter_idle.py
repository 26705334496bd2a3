"""GNOME's idle time: Mutter's ``org.gnome.Mutter.IdleMonitor`` (``GetIdletime``, idle and active watches).

GNOME on Wayland gives no other client the idle time; Mutter's monitor does,
and better than asking: ``AddIdleWatch(ms)`` sends ``WatchFired`` when the
user has been idle that long, ``AddUserActiveWatch`` (one-shot) when input
comes again. So it is both an :class:`.base.IdleSource` (one call when the
watcher asks) and a :class:`.base.PresenceSource` (no polling at all).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .base import Emit, IdleSource, IdleUnavailable, PresenceEvent, PresenceKind, PresenceSource
from .dbus_link import DBusLink, open_answering

NAME = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE = "org.gnome.Mutter.IdleMonitor"


class MutterIdle(IdleSource, PresenceSource):
    name = "mutter"
    local = False

    def __init__(self, link: DBusLink, *, clock: Callable[[], float] = time.time) -> None:
        self._link = link
        self._clock = clock
        self._threshold_ms = 0
        self._idle_watch: int | None = None
        self._active_watch: int | None = None
        self._emit: Emit | None = None
        self._arming: set[Any] = set()  # the active watches being added (kept: the loop holds weak refs)

    @classmethod
    async def create(cls, bus: str = "SESSION", *, clock: Callable[[], float] = time.time) -> MutterIdle:
        return await open_answering(bus, lambda link: cls(link, clock=clock))

    async def idle_seconds(self) -> float:
        (ms,) = await self._link.call(NAME, PATH, INTERFACE, "GetIdletime")
        if not isinstance(ms, int):
            raise IdleUnavailable("GetIdletime answered no number")
        return ms / 1000.0

    async def start(self, emit: Emit) -> None:
        self._emit = emit
        await self._link.listen(self._on_fired, interface=INTERFACE, member="WatchFired", path=PATH)
        if self._threshold_ms:
            await self._arm_idle()

    async def arm(self, threshold_seconds: float) -> None:
        """(Re-)arm the idle watch at the watcher's threshold (0: none)."""
        self._threshold_ms = int(threshold_seconds * 1000)
        if self._idle_watch is not None:
            await self._link.call(NAME, PATH, INTERFACE, "RemoveWatch", "u", (self._idle_watch,))
            self._idle_watch = None
        if self._emit is not None and self._threshold_ms:
            await self._arm_idle()

    async def _arm_idle(self) -> None:
        (self._idle_watch,) = await self._link.call(NAME, PATH, INTERFACE, "AddIdleWatch", "t",
                                                    (self._threshold_ms,))

    def _on_fired(self, message: Any) -> None:
        import asyncio

        watch = message.body[0] if message.body else None
        emit = self._emit
        if emit is None:
            return
        if watch == self._idle_watch:
            emit(PresenceEvent(PresenceKind.AWAY, self._clock() - self._threshold_ms / 1000.0, self.name))
            task = asyncio.ensure_future(self._arm_active())
            self._arming.add(task)
            task.add_done_callback(self._arming.discard)
        elif watch == self._active_watch:
            self._active_watch = None  # one-shot
            emit(PresenceEvent(PresenceKind.ACTIVE, self._clock(), self.name))

    async def _arm_active(self) -> None:
        try:
            (self._active_watch,) = await self._link.call(NAME, PATH, INTERFACE, "AddUserActiveWatch")
        except IdleUnavailable:
            self._active_watch = None

    async def close(self) -> None:
        await self._link.close()
