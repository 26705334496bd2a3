"""D-Bus objects of our own on the session bus, answered on the asyncio loop (jeepney).

:class:`ObjectServer` is a :class:`~timecrowd_tray.platform.dbus_connection.BusConnection`
that also exports :class:`ExportedObject`\\ s by path: it answers their method calls,
``org.freedesktop.DBus.Properties`` (``Get``, ``GetAll``), ``org.freedesktop.DBus.Introspectable``
and ``org.freedesktop.DBus.Peer``, and sends their signals. The tray's StatusNotifierItem and
its dbusmenu (:mod:`.sni_item`, :mod:`.dbusmenu`) live on it.

Calls are answered as they come, on the loop the UI runs (qasync). A handler that fails
answers the caller with a D-Bus error and is logged; the connection goes on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from ..dbus_connection import FAILED, BusConnection, BusUnavailable, MethodError, session_bus_configured

__all__ = ["BusUnavailable", "ExportedObject", "MethodError", "ObjectServer", "Variant", "session_bus_configured"]

log = logging.getLogger(__name__)

PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
UNKNOWN_PROPERTY = "org.freedesktop.DBus.Error.UnknownProperty"

#: A D-Bus variant as jeepney writes it: (signature, value).
Variant = tuple[str, Any]


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


class ObjectServer(BusConnection):
    """A session-bus connection exporting objects; :meth:`open` first, :meth:`close` at the end."""

    def __init__(self, bus: str = "SESSION") -> None:
        super().__init__(bus)
        self._objects: dict[str, ExportedObject] = {}

    async def open(self) -> None:
        from jeepney import MatchRule

        await super().open()
        calls = self._router.filter(MatchRule(type="method_call"), queue=asyncio.Queue(256))
        self.spawn(self._serve(calls))

    def export(self, path: str, obj: ExportedObject) -> None:
        self._objects[path] = obj

    def emit(self, path: str, interface: str, member: str, signature: str | None = None,
             body: tuple[Any, ...] = ()) -> None:
        """Send a signal from ``path`` (queued on the loop: returns at once; nothing before :meth:`open`)."""
        if self._router is None or self.closed:
            return
        from jeepney import DBusAddress, new_signal

        self.send_soon(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    async def _serve(self, calls: Any) -> None:
        with calls as queue:
            while True:
                self._answer(await queue.get())

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
            reply.serialise(serial=1)  # a body that does not fit its signature fails here, answered below
        except MethodError as exc:
            reply = new_error(message, exc.name, "s", (exc.message or exc.name,))
        except Exception as exc:  # noqa: BLE001 - a handler's bug answers the caller, not the loop
            log.exception("tray: answering %s.%s on %s failed", interface, member, path)
            reply = new_error(message, FAILED, "s", (type(exc).__name__,))
        if not no_reply:
            self.send_soon(reply)

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

