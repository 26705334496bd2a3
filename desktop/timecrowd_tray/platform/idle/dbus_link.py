"""One D-Bus connection for an idle backend, on the asyncio loop (jeepney): calls and signal listeners.

Never blocks the UI thread: every call is awaited on the qasync loop. ``bus``
is ``"SESSION"``, ``"SYSTEM"`` or a bus address (the tests' private bus).
A missing service, a refused call or no bus at all is :class:`.base.IdleUnavailable`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from .base import IdleSource, IdleUnavailable

log = logging.getLogger(__name__)

CALL_TIMEOUT = 5.0

_Source = TypeVar("_Source", bound=IdleSource)


class DBusLink:
    def __init__(self, bus: str) -> None:
        self.bus = bus
        self._conn: Any = None
        self.router: Any = None
        self._listeners: list[asyncio.Task[None]] = []

    async def open(self) -> None:
        try:
            from jeepney.io.asyncio import DBusRouter, open_dbus_connection
        except ImportError:
            raise IdleUnavailable("jeepney is not installed") from None
        try:
            self._conn = await asyncio.wait_for(open_dbus_connection(self.bus), CALL_TIMEOUT)
        except (OSError, KeyError, ValueError, TimeoutError) as exc:
            raise IdleUnavailable(f"no {self.bus.lower()} bus ({exc})") from None
        self.router = DBusRouter(self._conn)

    async def call(self, destination: str, path: str, interface: str, method: str,
                   signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """The reply's body; :class:`IdleUnavailable` on an error reply or no answer."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.low_level import MessageType

        message = new_method_call(DBusAddress(path, bus_name=destination, interface=interface), method,
                                  signature, body)
        try:
            reply = await asyncio.wait_for(self.router.send_and_get_reply(message), CALL_TIMEOUT)
        except (TimeoutError, OSError) as exc:
            raise IdleUnavailable(f"{destination} did not answer {method} ({exc})") from None
        if reply.header.message_type is MessageType.error:
            raise IdleUnavailable(f"{destination}.{method}: {reply.body[0] if reply.body else 'error'}")
        return tuple(reply.body)

    async def listen(self, on_message: Callable[[Any], None], **rule: str) -> None:
        """Call ``on_message(message)`` for every signal matching ``rule`` (a jeepney MatchRule's fields)."""
        from jeepney import MatchRule, message_bus
        from jeepney.io.asyncio import Proxy

        match = MatchRule(type="signal", **rule)
        await asyncio.wait_for(Proxy(message_bus, self.router).AddMatch(match), CALL_TIMEOUT)
        queue_ready = asyncio.Event()

        async def pump() -> None:
            with self.router.filter(match, bufsize=32) as queue:
                queue_ready.set()
                while True:
                    message = await queue.get()
                    try:
                        on_message(message)
                    except Exception:  # noqa: BLE001 - one bad signal must not end the listener
                        log.exception("idle: handling a D-Bus signal failed")

        self._listeners.append(asyncio.ensure_future(pump()))
        await queue_ready.wait()

    async def close(self) -> None:
        for task in self._listeners:
            task.cancel()
        for task in self._listeners:
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing
                pass
        self._listeners.clear()
        if self.router is not None:
            try:
                await self.router.__aexit__(None, None, None)
            except Exception:  # noqa: BLE001 - a bus that went away while closing
                log.debug("idle: the D-Bus receiver ended with an error", exc_info=True)
            self.router = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None


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
