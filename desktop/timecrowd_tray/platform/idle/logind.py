"""Sleep and lock from systemd-logind (system bus): ``PrepareForSleep`` and this session's ``Lock``/``Unlock``.

``PrepareForSleep(true)`` comes just before a suspend, ``(false)`` on resume;
``Lock``/``Unlock`` are sent on this session's object (found with
``GetSessionByPID``, else ``GetSession("auto")``), and also when the desktop's
screen locker asks logind to lock. Signals only: no polling, no wake-up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from .base import Emit, IdleUnavailable, PresenceEvent, PresenceKind, PresenceSource
from .dbus_link import DBusLink

LOGIND = "org.freedesktop.login1"
MANAGER_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
SESSION = "org.freedesktop.login1.Session"


class LogindSource(PresenceSource):
    name = "logind"

    def __init__(self, bus: str = "SYSTEM", *, clock: Callable[[], float] = time.time) -> None:
        self._link = DBusLink(bus)
        self._clock = clock
        self.session_path: str | None = None

    async def start(self, emit: Emit) -> None:
        await self._link.open()
        try:
            self.session_path = await self._session_path()
            await self._link.listen(lambda m: self._on_sleep(m, emit), interface=MANAGER,
                                    member="PrepareForSleep", path=MANAGER_PATH)
            for member, kind in (("Lock", PresenceKind.LOCK), ("Unlock", PresenceKind.UNLOCK)):
                await self._link.listen(self._teller(kind, emit), interface=SESSION, member=member,
                                        path=self.session_path)
        except BaseException:
            await self._link.close()
            raise

    async def _session_path(self) -> str:
        try:
            (path,) = await self._link.call(LOGIND, MANAGER_PATH, MANAGER, "GetSessionByPID", "u", (os.getpid(),))
        except IdleUnavailable:
            (path,) = await self._link.call(LOGIND, MANAGER_PATH, MANAGER, "GetSession", "s", ("auto",))
        return str(path)

    def _teller(self, kind: PresenceKind, emit: Emit) -> Callable[[Any], None]:
        return lambda _message: emit(PresenceEvent(kind, self._clock(), self.name))

    def _on_sleep(self, message: Any, emit: Emit) -> None:
        going = bool(message.body[0]) if message.body else True
        emit(PresenceEvent(PresenceKind.SLEEP if going else PresenceKind.WAKE, self._clock(), self.name))

    async def close(self) -> None:
        await self._link.close()
