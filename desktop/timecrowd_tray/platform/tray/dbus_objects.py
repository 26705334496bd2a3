"""D-Bus objects of our own on the session bus, answered on the asyncio loop (jeepney).

:class:`ObjectServer` is one connection that exports :class:`ExportedObject`\\ s by path:
it answers their method calls, ``org.freedesktop.DBus.Properties`` (``Get``, ``GetAll``),
``org.freedesktop.DBus.Introspectable`` and ``org.freedesktop.DBus.Peer``; it sends their
signals; it makes calls of its own and follows a bus name's owner. The tray's
StatusNotifierItem and its dbusmenu (:mod:`.sni_item`, :mod:`.dbusmenu`) live on it.

Nothing blocks: calls are answered as they come, on the loop the UI runs (qasync), and
every outgoing call is bounded by :data:`CALL_TIMEOUT`. A handler that fails answers the
caller with a D-Bus error and is logged; the connection goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

CALL_TIMEOUT = 5.0
BUS = "org.freedesktop.DBus"
BUS_PATH = "/org/freedesktop/DBus"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
UNKNOWN_PROPERTY = "org.freedesktop.DBus.Error.UnknownProperty"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
FAILED = "org.freedesktop.DBus.Error.Failed"

#: A D-Bus variant as jeepney writes it: (signature, value).
Variant = tuple[str, Any]


class BusUnavailable(Exception):
    """No session bus, or it did not answer."""


class MethodError(Exception):
    """A call answered with a D-Bus error (``name``, ``message``)."""

    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name
        self.message = message


class ExportedObject(Protocol):
    """What an object on the bus answers."""

    interface: str
    introspection: str  # the <interface> element(s) of its introspection data

    def properties(self) -> dict[str, Variant]: ...
    def call(self, member: str, body: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
        """The reply's (signature, body) for a method of :attr:`interface`; :class:`MethodError` to refuse."""
        ...


def _node_xml(obj: ExportedObject | None, children: list[str]) -> str:
    standard = (
        f'<interface name="{INTROSPECTABLE}"><method name="Introspect"><arg type="s" direction="out"/></method>'
        f'</interface><interface name="{PEER}"><method name="Ping"/></interface>'
        f'<interface name="{PROPERTIES}"><method name="Get"><arg type="s" direction="in"/>'
        '<arg type="s" direction="in"/><arg type="v" direction="out"/></method><method name="GetAll">'
        '<arg type="s" direction="in"/><arg type="a{sv}" direction="out"/></method>'
        '<signal name="PropertiesChanged"><arg type="s"/><arg type="a{sv}"/><arg type="as"/></signal></interface>')
    nodes = "".join(f'<node name="{child}"/>' for child in children)
    own = obj.introspection if obj is not None else ""
    return ('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" '
            '"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">'
            f"<node>{standard}{own}{nodes}</node>")


class ObjectServer:
    """One session-bus connection exporting objects; :meth:`open` first, :meth:`close` at the end."""

    def __init__(self, bus: str = "SESSION") -> None:
        self.bus = bus
        self._conn: Any = None
        self._router: Any = None
        self._objects: dict[str, ExportedObject] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._serve_task: asyncio.Task[None] | None = None
        self._name_watches: dict[str, list[Callable[[str, str], None]]] = {}
        self.closed = False

    @property
    def unique_name(self) -> str:
        return str(self._router.unique_name) if self._router is not None else ""

    async def open(self) -> None:
        try:
            from jeepney import MatchRule
            from jeepney.io.asyncio import DBusRouter, open_dbus_connection
        except ImportError:
            raise BusUnavailable("jeepney is not installed") from None
        try:
            self._conn = await asyncio.wait_for(open_dbus_connection(self.bus), CALL_TIMEOUT)
        except (OSError, KeyError, ValueError, TimeoutError) as exc:
            raise BusUnavailable(f"no session bus ({exc})") from None
        self._router = DBusRouter(self._conn)
        calls = self._router.filter(MatchRule(type="method_call"), queue=asyncio.Queue(256))
        changes = MatchRule(type="signal", sender=BUS, interface=BUS, member="NameOwnerChanged", path=BUS_PATH)
        owners = self._router.filter(changes, queue=asyncio.Queue(64))
        self._serve_task = asyncio.ensure_future(self._serve(calls, owners))
        await self.call(BUS, BUS_PATH, BUS, "AddMatch", "s", (changes.serialise(),))

    async def close(self) -> None:
        self.closed = True
        for task in [self._serve_task, *self._tasks]:
            if task is not None:
                task.cancel()
        if self._router is not None:
            try:
                await self._router.__aexit__(None, None, None)
            except Exception:  # noqa: BLE001 - a bus that went away while closing
                log.debug("tray: the D-Bus receiver ended with an error", exc_info=True)
            self._router = None
        if self._conn is not None:
            try:
                await self._conn.close()
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._conn = None

    # -- objects --------------------------------------------------------------------------

    def export(self, path: str, obj: ExportedObject) -> None:
        self._objects[path] = obj

    def emit(self, path: str, interface: str, member: str, signature: str | None = None,
             body: tuple[Any, ...] = ()) -> None:
        """Send a signal from ``path`` (queued on the loop: returns at once)."""
        if self._router is None or self.closed:
            return
        from jeepney import DBusAddress, new_signal

        self._send_soon(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    # -- calls of our own --------------------------------------------------------------------

    async def call(self, destination: str, path: str, interface: str, member: str,
                   signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """The reply's body; :class:`MethodError` for an error reply, :class:`BusUnavailable` for none."""
        if self._router is None:
            raise BusUnavailable("not connected")
        from jeepney import DBusAddress, new_method_call
        from jeepney.low_level import MessageType

        message = new_method_call(DBusAddress(path, bus_name=destination, interface=interface), member,
                                  signature, body)
        try:
            reply = await asyncio.wait_for(self._router.send_and_get_reply(message), CALL_TIMEOUT)
        except (TimeoutError, OSError, ConnectionError) as exc:
            raise BusUnavailable(f"{destination} did not answer {member} ({exc!r})") from None
        if reply.header.message_type is MessageType.error:
            from jeepney.low_level import HeaderFields

            name = str(reply.header.fields.get(HeaderFields.error_name, FAILED))
            raise MethodError(name, str(reply.body[0]) if reply.body else "")
        return tuple(reply.body)

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

    def watch_name(self, name: str, changed: Callable[[str, str], None]) -> None:
        """``changed(old_owner, new_owner)`` whenever ``name`` changes hands ("" for nobody)."""
        self._name_watches.setdefault(name, []).append(changed)

    def listen(self, rule: Any, handler: Callable[[Any], None]) -> None:
        """``handler(message)`` for each signal matching the jeepney MatchRule ``rule`` (added to the bus too)."""
        queue: asyncio.Queue[Any] = asyncio.Queue(64)
        handle = self._router.filter(rule, queue=queue)

        async def pump() -> None:
            with handle:
                await self.call(BUS, BUS_PATH, BUS, "AddMatch", "s", (rule.serialise(),))
                while True:
                    message = await queue.get()
                    try:
                        handler(message)
                    except Exception:  # noqa: BLE001 - one bad signal must not end the listener
                        log.exception("tray: handling a D-Bus signal failed")

        self._spawn(pump())

    # -- the loop's side ----------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and not self.closed:
            log.warning("tray: a D-Bus task failed: %r", task.exception())

    def _send_soon(self, message: Any) -> None:
        async def send() -> None:
            try:
                await self._router.send(message)
            except (OSError, ConnectionError, AttributeError) as exc:
                log.debug("tray: a D-Bus message was not sent (%r)", exc)

        self._spawn(send())

    async def _serve(self, calls: Any, owners: Any) -> None:
        async def pump_owners() -> None:
            with owners as queue:
                while True:
                    message = await queue.get()
                    name, old, new = (str(part) for part in message.body[:3])
                    for changed in list(self._name_watches.get(name, ())):
                        try:
                            changed(old, new)
                        except Exception:  # noqa: BLE001
                            log.exception("tray: a bus-name watch failed")

        owners_task = asyncio.ensure_future(pump_owners())
        try:
            with calls as queue:
                while True:
                    message = await queue.get()
                    self._answer(message)
        finally:
            owners_task.cancel()

    def _answer(self, message: Any) -> None:
        from jeepney import new_error, new_method_return
        from jeepney.low_level import HeaderFields

        fields = message.header.fields
        path = str(fields.get(HeaderFields.path, ""))
        interface = str(fields.get(HeaderFields.interface, "") or "")
        member = str(fields.get(HeaderFields.member, ""))
        no_reply = bool(message.header.flags & 1)
        try:
            signature, body = self._dispatch(path, interface, member, tuple(message.body))
            reply = new_method_return(message, signature, body)
        except MethodError as exc:
            reply = new_error(message, exc.name, "s", (exc.message or exc.name,))
        except Exception as exc:  # noqa: BLE001 - a handler's bug answers the caller, not the loop
            log.exception("tray: answering %s.%s on %s failed", interface, member, path)
            reply = new_error(message, FAILED, "s", (type(exc).__name__,))
        if not no_reply:
            self._send_soon(reply)

    def _dispatch(self, path: str, interface: str, member: str,
                  body: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
        obj = self._objects.get(path)
        if interface == INTROSPECTABLE and member == "Introspect":
            prefix = path.rstrip("/") + "/"
            children = sorted({p[len(prefix):].split("/", 1)[0] for p in self._objects if p.startswith(prefix)})
            return "s", (_node_xml(obj, children),)
        if interface == PEER and member == "Ping":
            return None, ()
        if obj is None:
            raise MethodError(UNKNOWN_OBJECT, f"no object at {path}")
        if interface == PROPERTIES:
            return self._properties(obj, member, body)
        if interface and interface != obj.interface:
            raise MethodError(UNKNOWN_METHOD, f"{path} has no interface {interface}")
        return obj.call(member, body)

    def _properties(self, obj: ExportedObject, member: str,
                    body: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
        if member == "GetAll":
            (interface,) = body[:1] or ("",)
            return "a{sv}", (obj.properties() if interface in ("", obj.interface) else {},)
        if member == "Get" and len(body) >= 2:
            interface, name = str(body[0]), str(body[1])
            values = obj.properties() if interface in ("", obj.interface) else {}
            if name not in values:
                raise MethodError(UNKNOWN_PROPERTY, f"no property {interface}.{name}")
            return "v", (values[name],)
        if member == "Set":
            raise MethodError("org.freedesktop.DBus.Error.PropertyReadOnly", "read-only")
        raise MethodError(UNKNOWN_METHOD, f"no method {PROPERTIES}.{member}")


def session_bus_configured(environ: dict[str, str] | None = None) -> bool:
    """Whether this process has a session bus to look at (an address, or a runtime dir that holds one)."""
    import os

    env = os.environ if environ is None else environ
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))
