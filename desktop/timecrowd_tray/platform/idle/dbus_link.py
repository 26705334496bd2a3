"""One D-Bus connection for an idle backend, on the asyncio loop (jeepney): calls and signal listeners.

Never blocks the UI thread: every call is awaited on the qasync loop. ``bus``
is ``"SESSION"``, ``"SYSTEM"`` or a bus address (the tests' private bus).
A missing service, a refused call or no bus at all is :class:`.base.IdleUnavailable`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ..dbus_connection import BusConnection, BusUnavailable, MethodError
from .base import IdleSource, IdleUnavailable

log = logging.getLogger(__name__)

_Source = TypeVar("_Source", bound=IdleSource)


class DBusLink:
    """A :class:`~timecrowd_tray.platform.dbus_connection.BusConnection` whose every failure is
    :class:`.base.IdleUnavailable` (the idle backends' one way of saying "not here")."""

    def __init__(self, bus: str) -> None:
        self.bus = bus
        self._conn = BusConnection(bus)

    async def open(self) -> None:
        try:
            await self._conn.open()
        except BusUnavailable as exc:
            raise IdleUnavailable(str(exc)) from None

    async def call(self, destination: str, path: str, interface: str, method: str,
                   signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """The reply's body; :class:`IdleUnavailable` on an error reply or no answer."""
        try:
            return await self._conn.call(destination, path, interface, method, signature, body)
        except BusUnavailable as exc:
            raise IdleUnavailable(str(exc)) from None
        except MethodError as exc:
            raise IdleUnavailable(f"{destination}.{method}: {exc.message or exc.name}") from None

    async def listen(self, on_message: Callable[[Any], None], **rule: str) -> None:
        """Call ``on_message(message)`` for every signal matching ``rule`` (a jeepney MatchRule's fields)."""
        from jeepney import MatchRule

        try:
            await self._conn.listen(MatchRule(type="signal", **rule), on_message)
        except (BusUnavailable, MethodError) as exc:
            raise IdleUnavailable(f"listening to {rule.get('member', 'signals')}: {exc}") from None

    async def close(self) -> None:
        await self._conn.close()


async def open_answering(bus: str, make: Callable[[DBusLink], _Source]) -> _Source:
    """``make(link)`` on a newly opened link, once it has answered an idle time; the link closed if not."""
    link = DBusLink(bus)
    await link.open()
    source = make(link)
    try:
        await source.idle_seconds()
    except BaseException:
        await link.close()
        raise
    return source
