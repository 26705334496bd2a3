"""One D-Bus connection on the asyncio loop (jeepney): calls, signal listeners, a bus name's owner.

The idle sources (:mod:`.idle.dbus_link`), the tray's own StatusNotifierItem
(:mod:`.tray.dbus_objects`, which also answers calls) and the Wayland shortcuts
(:mod:`.hotkeys.portal`) each hold one. Nothing blocks the UI thread: every call is awaited on
the qasync loop and bounded by :data:`CALL_TIMEOUT`, or by the longer bound a caller gives.
``bus`` is ``"SESSION"``, ``"SYSTEM"`` or a bus address (the tests' private buses). No bus, or
no answer, is :class:`BusUnavailable` (:class:`CallTimeout` for a bus there but no answer in
time); an error reply is :class:`MethodError`. A listener can be stopped (:class:`Listener`),
its match rule taken off the bus.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

CALL_TIMEOUT = 5.0
BUS = "org.freedesktop.DBus"
BUS_PATH = "/org/freedesktop/DBus"
FAILED = "org.freedesktop.DBus.Error.Failed"


class BusUnavailable(Exception):
    """No bus, or it (or the service called) did not answer."""


class CallTimeout(BusUnavailable):
    """The bus is there, but the call had no answer within its bound."""


class MethodError(Exception):
    """A call answered with a D-Bus error (``name``, ``message``)."""

    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name
        self.message = message


def session_bus_address(environ: dict[str, str] | None = None) -> str | None:
    """The session bus to connect to: ``$DBUS_SESSION_BUS_ADDRESS``, else the runtime dir's ``bus``
    socket (systemd's; jeepney alone reads only the variable), else None."""
    import os

    env = os.environ if environ is None else environ
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return "SESSION"
    runtime = env.get("XDG_RUNTIME_DIR")
    socket = os.path.join(runtime, "bus") if runtime else ""
    return f"unix:path={socket}" if socket and os.path.exists(socket) else None


def session_bus_configured(environ: dict[str, str] | None = None) -> bool:
    """Whether this process has a session bus to look at (an address, or a runtime dir that holds one)."""
    return session_bus_address(environ) is not None


class BusConnection:
    """:meth:`open` first, :meth:`close` at the end."""

    def __init__(self, bus: str = "SESSION") -> None:
        self.bus = bus
        self._conn: Any = None
        self._router: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closed = False
        self.lost = False  # the bus went away under us (closed then too)
        #: Called once when the bus goes away under an open connection (not after :meth:`close`).
        self.on_lost: Callable[[], None] = lambda: None

    @property
    def unique_name(self) -> str:
        return str(self._router.unique_name) if self._router is not None else ""

    async def open(self) -> None:
        try:
            from jeepney.io.asyncio import DBusRouter, open_dbus_connection
        except ImportError:
            raise BusUnavailable("jeepney is not installed") from None
        try:
            self._conn = await asyncio.wait_for(open_dbus_connection(self.bus), CALL_TIMEOUT)
        except (OSError, EOFError, KeyError, ValueError, TimeoutError) as exc:  # EOFError: gone while authenticating
            raise BusUnavailable(f"no {self.bus.lower()} bus ({exc})") from None
        self._router = DBusRouter(self._conn)
        receiver = getattr(self._router, "_rcv_task", None)  # jeepney's reader: it ends when the bus goes
        if receiver is not None:
            receiver.add_done_callback(self._receiver_ended)

    def _receiver_ended(self, task: asyncio.Future[Any]) -> None:
        # Its EOFError is expected when the bus goes: taken here, not left to be reported (and logged
        # from a finaliser at some garbage collection) as an exception nobody retrieved.
        ended_by = None if task.cancelled() else task.exception()
        if self.closed:
            return
        log.debug("D-Bus: the receiver ended (%r)", ended_by)
        self.closed = self.lost = True
        log.warning("D-Bus: the %s bus went away", self.bus.lower() if self.bus.isupper() else "private")
        try:
            self.on_lost()
        except Exception:  # noqa: BLE001
            log.exception("D-Bus: telling that the bus went away failed")

    async def close(self) -> None:
        self.closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing
                pass
        if self._router is not None:
            try:
                await self._router.__aexit__(None, None, None)
            except Exception:  # noqa: BLE001 - a bus that went away while closing
                log.debug("D-Bus: the receiver ended with an error", exc_info=True)
            self._router = None
        if self._conn is not None:
            try:
                await self._conn.close()
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._conn = None

    async def call(self, destination: str, path: str, interface: str, member: str,
                   signature: str | None = None, body: tuple[Any, ...] = (),
                   timeout: float = CALL_TIMEOUT) -> tuple[Any, ...]:
        """The reply's body; :class:`MethodError` for an error reply, :class:`BusUnavailable` for none
        within ``timeout`` seconds."""
        from jeepney import DBusAddress, new_method_call

        message = new_method_call(DBusAddress(path, bus_name=destination, interface=interface), member,
                                  signature, body)
        return await self.send_and_reply(message, timeout)

    async def send_and_reply(self, message: Any, timeout: float = CALL_TIMEOUT) -> tuple[Any, ...]:
        """:meth:`call` for a method call already built (a jeepney Message)."""
        if self._router is None:
            raise BusUnavailable("not connected")
        from jeepney.io.common import RouterClosed
        from jeepney.low_level import HeaderFields, MessageType

        try:
            reply = await asyncio.wait_for(self._router.send_and_get_reply(message), timeout)
        except (TimeoutError, OSError, ConnectionError, EOFError, RouterClosed) as exc:
            fields = message.header.fields
            unanswered = CallTimeout if isinstance(exc, TimeoutError) else BusUnavailable
            raise unanswered(f"{fields.get(HeaderFields.destination)} did not answer "
                             f"{fields.get(HeaderFields.member)} ({exc or type(exc).__name__})") from None
        if reply.header.message_type is MessageType.error:
            name = str(reply.header.fields.get(HeaderFields.error_name, FAILED))
            raise MethodError(name, str(reply.body[0]) if reply.body else "")
        return tuple(reply.body)

    async def send(self, message: Any) -> None:
        """Send ``message`` now, no reply awaited (:class:`BusUnavailable` when it cannot be)."""
        if self._router is None or self.closed:
            raise BusUnavailable("not connected")
        try:
            await self._router.send(message)
        except (OSError, ConnectionError) as exc:
            raise BusUnavailable(f"a message was not sent ({exc!r})") from None

    async def name_owner(self, name: str) -> str:
        """The unique name owning ``name`` now, or "" (nobody)."""
        try:
            (owner,) = await self.call(BUS, BUS_PATH, BUS, "GetNameOwner", "s", (name,))
        except MethodError:
            return ""
        return str(owner)

    async def request_name(self, name: str) -> bool:
        """Own ``name`` (not queued: False when somebody else has it)."""
        (answer,) = await self.call(BUS, BUS_PATH, BUS, "RequestName", "su", (name, 4))  # DO_NOT_QUEUE
        return int(answer) in (1, 4)  # primary owner, or already the owner

    async def listen(self, rule: Any, handler: Callable[[Any], None]) -> Listener:
        """``handler(message)`` for each message matching the jeepney MatchRule ``rule``, from now on
        (the rule is added to the bus before this returns) until the :class:`Listener` returned is
        stopped, or the connection closed."""
        queue: asyncio.Queue[Any] = asyncio.Queue(64)
        handle = self._router.filter(rule, queue=queue)
        try:
            await self.call(BUS, BUS_PATH, BUS, "AddMatch", "s", (rule.serialise(),))
        except BaseException:
            handle.close()
            raise

        async def pump() -> None:
            while True:
                message = await queue.get()
                try:
                    handler(message)
                except Exception:  # noqa: BLE001 - one bad signal must not end the listener
                    log.exception("D-Bus: handling a signal failed")

        # The filter is the Listener's to close: a task cancelled before its first step never runs a
        # ``with`` of its own, and its filter would be left behind.
        return Listener(self, rule, handle, self.spawn(pump()))

    async def watch_name(self, name: str, changed: Callable[[str, str], None]) -> Listener:
        """``changed(old_owner, new_owner)`` whenever ``name`` changes hands ("" for nobody)."""
        from jeepney import MatchRule

        rule = MatchRule(type="signal", sender=BUS, interface=BUS, member="NameOwnerChanged", path=BUS_PATH)
        rule.add_arg_condition(0, name)
        return await self.listen(rule, lambda message: changed(str(message.body[1]), str(message.body[2])))

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run ``coro`` on the loop for the life of the connection (cancelled by :meth:`close`)."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def send_soon(self, message: Any) -> None:
        """Send ``message`` from a task (returns at once; dropped if the bus is gone)."""
        async def send() -> None:
            try:
                await self._router.send(message)
            except (OSError, ConnectionError, AttributeError) as exc:
                log.debug("D-Bus: a message was not sent (%r)", exc)

        if self._router is not None and not self.closed:
            self.spawn(send())

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and not self.closed:
            log.warning("D-Bus: a task failed: %r", task.exception())


class Listener:
    """One :meth:`BusConnection.listen`: :meth:`stop`, or the end of ``async with``, ends it and takes
    its match rule off the bus (a listener for one reply's signal, say, is not left behind)."""

    def __init__(self, conn: BusConnection, rule: Any, handle: Any, task: asyncio.Task[Any]) -> None:
        self._conn = conn
        self._rule = rule
        self._handle = handle  # jeepney's filter: the messages matching the rule go to the task's queue
        self._task = task
        self._stopped = False

    async def stop(self) -> None:
        if self._stopped:  # a second RemoveMatch would take off the same rule added by another listener
            return
        self._stopped = True
        self._task.cancel()  # the handler is not called again
        self._handle.close()
        if self._conn.closed:
            return
        try:
            await self._conn.call(BUS, BUS_PATH, BUS, "RemoveMatch", "s", (self._rule.serialise(),))
        except (BusUnavailable, MethodError) as exc:  # a bus going away takes its rules with it
            log.debug("D-Bus: a match rule was not removed (%s)", exc)

    async def __aenter__(self) -> Listener:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()
