"""Wayland global shortcuts: the desktop portal ``org.freedesktop.portal.GlobalShortcuts``.

Wayland lets no client grab keys; the desktop (KDE Plasma, recent GNOME,
Hyprland...) binds shortcuts on the app's behalf through the portal, usually
after showing the user a dialog where the keys can be changed. The messages are
built with jeepney (PySide6's QtDBus cannot marshal ``a(sa{sv})``) and sent on the
app's one kind of D-Bus connection, :class:`~timecrowd_tray.platform.dbus_connection.BusConnection`,
on the asyncio loop (qasync in the app).

Flow: ``CreateSession`` -> Request::Response gives the session handle;
``BindShortcuts(session, [(id, {description, preferred_trigger})], "", {})``
-> Response lists what was bound; then ``Activated(session, id, t, {})``
signals arrive. A session binds once, so a change of settings closes it and
opens a new one. Sessions die with the frontend: when xdg-desktop-portal
restarts (``NameOwnerChanged``), the shortcuts are bound again.

Whether the desktop offers the portal at all is found out on the loop, by each
bind (``version`` property, :data:`DISCOVERY_TIMEOUT`: at login the bus may
still be starting the frontend and its desktop backend): creating the backend
sends nothing, so the UI thread never waits on D-Bus. A desktop without it is
reported through ``on_problem`` (``"*"``, a :class:`PortalMissing`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dbus_connection import BusConnection, BusUnavailable, CallTimeout, MethodError
from .base import HotkeyBackend, HotkeyConflict, HotkeyUnsupported, KeySequence, Registration
from .keysyms import xdg_trigger

log = logging.getLogger(__name__)

PORTAL_BUS_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS_INTERFACE = "org.freedesktop.portal.GlobalShortcuts"
REQUEST_INTERFACE = "org.freedesktop.portal.Request"
SESSION_INTERFACE = "org.freedesktop.portal.Session"
BIND_SIGNATURE = "oa(sa{sv})sa{sv}"

#: Request::Response codes.
RESPONSE_SUCCESS, RESPONSE_CANCELLED, RESPONSE_OTHER = 0, 1, 2

#: How long the first call may take to get an answer: the bus may have to start the frontend and a
#: desktop backend (dbus-daemon's own activation limit is 25 s).
DISCOVERY_TIMEOUT = 25.0
#: How long the desktop may take to answer a request: the user may be looking at its dialog.
RESPONSE_TIMEOUT = 120.0

#: A request whose frontend went away unanswered (its sessions die with it).
LEFT_BEFORE_ANSWERING = "xdg-desktop-portal left the session bus before answering"

#: What each of the app's shortcuts does, shown by the desktop's dialog.
DESCRIPTIONS = {
    "toggle": "TimeCrowd: start or stop the timer",
    "palette": "TimeCrowd: open the task palette",
}


# -- pure message building (tested without a bus) ----------------------------------


def new_token(prefix: str = "timecrowd") -> str:
    """A handle token: must be a valid object path element."""
    return f"{prefix}_{secrets.token_hex(6)}"


def request_path(unique_name: str, token: str) -> str:
    """The Request object a portal call will answer on (known before the call, so no race)."""
    sender = unique_name.lstrip(":").replace(".", "_")
    return f"{PORTAL_PATH}/request/{sender}/{token}"


@dataclass(frozen=True, slots=True)
class PortalShortcut:
    id: str
    description: str
    preferred_trigger: str | None

    def as_dbus(self) -> tuple[str, dict[str, tuple[str, Any]]]:
        info: dict[str, tuple[str, Any]] = {"description": ("s", self.description)}
        if self.preferred_trigger:
            info["preferred_trigger"] = ("s", self.preferred_trigger)
        return (self.id, info)


def portal_shortcut(name: str, seq: KeySequence, description: str | None = None) -> PortalShortcut:
    return PortalShortcut(name, description or DESCRIPTIONS.get(name, f"TimeCrowd: {name}"), xdg_trigger(seq))


def _address(path: str = PORTAL_PATH, interface: str = SHORTCUTS_INTERFACE):
    from jeepney import DBusAddress

    return DBusAddress(path, bus_name=PORTAL_BUS_NAME, interface=interface)


def create_session_message(handle_token: str, session_token: str):
    from jeepney import new_method_call

    options = {"handle_token": ("s", handle_token), "session_handle_token": ("s", session_token)}
    return new_method_call(_address(), "CreateSession", "a{sv}", (options,))


def bind_shortcuts_message(session_handle: str, shortcuts: list[PortalShortcut], handle_token: str,
                           parent_window: str = ""):
    from jeepney import new_method_call

    body = (session_handle, [s.as_dbus() for s in shortcuts], parent_window,
            {"handle_token": ("s", handle_token)})
    return new_method_call(_address(), "BindShortcuts", BIND_SIGNATURE, body)


def close_session_message(session_handle: str):
    from jeepney import new_method_call

    return new_method_call(_address(session_handle, SESSION_INTERFACE), "Close")


def version_message():
    from jeepney import Properties

    return Properties(_address()).get("version")


def response_rule(path: str):
    from jeepney import MatchRule

    return MatchRule(type="signal", interface=REQUEST_INTERFACE, member="Response", path=path)


def activated_rule():
    from jeepney import MatchRule

    return MatchRule(type="signal", interface=SHORTCUTS_INTERFACE, member="Activated", path=PORTAL_PATH)


def _variant_value(value: Any) -> Any:
    # a{sv} values come back from jeepney as (signature, value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return value[1]
    return value


def bound_ids(results: dict[str, Any]) -> dict[str, str]:
    """{shortcut id: trigger description} from a BindShortcuts Response."""
    out: dict[str, str] = {}
    for item in _variant_value(results.get("shortcuts", ("a(sa{sv})", []))) or []:
        sid, info = item
        out[sid] = str(_variant_value(info.get("trigger_description", ("s", ""))) or "")
    return out


class PortalMissing(HotkeyUnsupported):
    """The session bus has no ``org.freedesktop.portal.GlobalShortcuts`` (or no one answering for it)."""


# -- the backend ---------------------------------------------------------------------


class PortalBackend(HotkeyBackend):
    """Registers are collected and bound together on the asyncio loop; late problems go to on_problem.

    Nothing is sent before the loop runs the first bind: that bind finds out whether the portal is
    there (:attr:`version`) and reports a desktop without it as a problem of all the shortcuts.
    """

    name = "portal"
    label = "portal"
    grabs_keys = False
    binds_together = True
    #: Seconds the portal has to answer the first call of a bind (see :data:`DISCOVERY_TIMEOUT`).
    discovery_timeout = DISCOVERY_TIMEOUT

    def __init__(self, bus: str = "SESSION", loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__()
        try:
            import jeepney  # noqa: F401
        except ImportError:
            raise HotkeyUnsupported("jeepney is not installed") from None
        self._bus = bus
        self._loop = loop
        self._conn: BusConnection | None = None  # opened by the first bind, on the loop
        self._session: str | None = None
        self._session_lost = False  # a frontend that held our session went away (see _portal_changed)
        self._bind_task: asyncio.Task | None = None
        #: {id: the trigger the desktop reports} after the last successful bind.
        self.bound: dict[str, str] = {}
        #: The portal's GlobalShortcuts version, once a bind found it (None: not known, or not there).
        self.version: int | None = None
        #: Set (and replaced) at each bind; tests and the app may await it.
        self.bind_done: asyncio.Future | None = None
        #: Set by close() while the session and the connection are being closed.
        self.shutdown_done: asyncio.Task | None = None

    def _grab(self, name: str, seq: KeySequence) -> None:
        self._schedule_bind()  # the whole set is bound at the next turn of the loop, this one included

    def _ungrab(self, name: str, registration: Registration) -> None:
        self._schedule_bind()  # the set without it

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._registered.clear()  # so a late Activated runs nothing
        if self._bind_task is not None and not self._bind_task.done():
            self._bind_task.cancel()
        if self._conn is not None and self._get_loop().is_running():  # no connection: no loop needed
            self.shutdown_done = self._get_loop().create_task(self._shutdown())

    # -- asyncio side ----------------------------------------------------------------

    def _get_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_event_loop()
        return self._loop

    def _schedule_bind(self) -> None:
        loop = self._get_loop()
        if self.bind_done is None or self.bind_done.done():
            self.bind_done = loop.create_future()
        if self._bind_task is None or self._bind_task.done():
            # Registrations made in the same turn of the loop are bound together.
            self._bind_task = loop.create_task(self._bind_soon())

    async def _bind_soon(self) -> None:
        await asyncio.sleep(0)
        done = self.bind_done
        try:
            await self._bind()
        except asyncio.CancelledError:
            raise
        except PortalMissing as exc:
            log.info("portal: %s", exc)
            self._report_problem("*", exc)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never raised into Qt
            log.warning("portal: binding shortcuts failed: %s", exc)
            self._report_problem("*", HotkeyUnsupported(f"the desktop portal refused the shortcuts: {exc}"))
        finally:
            if done is not None and not done.done():
                done.set_result(dict(self.bound))

    async def _connection(self) -> BusConnection:
        """The session bus, listening to our shortcuts and to the frontend coming and going."""
        if self._conn is not None:
            return self._conn
        conn = BusConnection(self._bus)
        try:
            await conn.open()
        except BusUnavailable as exc:
            raise PortalMissing(f"no D-Bus session bus, so no {SHORTCUTS_INTERFACE} ({exc})") from None
        self._conn = conn
        await conn.listen(activated_rule(), self._on_activated)
        await conn.watch_name(PORTAL_BUS_NAME, self._portal_changed)
        return conn

    async def _discover(self, conn: BusConnection) -> int:
        """The portal's version; :class:`PortalMissing` when the bus says there is none, or none answers."""
        try:
            (value,) = await conn.send_and_reply(version_message(), self.discovery_timeout)
        except CallTimeout:
            raise PortalMissing(f"{SHORTCUTS_INTERFACE} did not answer within {self.discovery_timeout:g} s") \
                from None
        except MethodError as exc:
            raise PortalMissing(f"the desktop offers no {SHORTCUTS_INTERFACE} (the bus answered {exc.name})") \
                from None
        return int(_variant_value(value))

    async def _call_with_response(self, conn: BusConnection, make_message: Callable[[str], Any],
                                  timeout: float = RESPONSE_TIMEOUT) -> tuple[int, dict[str, Any]]:
        """Send a portal call and wait for its Request::Response (the user may be looking at a dialog).

        The answer dies with the frontend: when it leaves the bus meanwhile, the wait ends at once.
        """
        token = new_token()
        loop = asyncio.get_running_loop()
        response: asyncio.Future[Any] = loop.create_future()
        left: asyncio.Future[None] = loop.create_future()

        def frontend_changed(old_owner: str, _new_owner: str) -> None:
            if old_owner:
                _settle(left, None)

        # Both listen before the call goes (a fast Response is not missed); both stop after the answer.
        async with await conn.listen(response_rule(request_path(conn.unique_name, token)),
                                     lambda message: _settle(response, message)), \
                await conn.watch_name(PORTAL_BUS_NAME, frontend_changed):
            # The frontend takes the request at once (the desktop's answer is the Response); bounded
            # as the discovery, which dbus-daemon's own limit bounds.
            try:
                await conn.send_and_reply(make_message(token), DISCOVERY_TIMEOUT)
            except MethodError:
                # It went before answering even the call (it hands the request to the desktop first):
                # the bus sends NameOwnerChanged before its NoReply, and the listener is woken before this
                # task, so ``left`` is settled by now.
                if left.done():
                    raise HotkeyUnsupported(LEFT_BEFORE_ANSWERING) from None
                raise
            message = await _response_unless_portal_leaves(response, left, timeout)
        code, results = message.body
        return int(code), dict(results)

    async def _bind(self) -> None:
        if self._closed:
            return
        if self._session is not None and self._conn is not None:
            old, self._session = self._session, None
            self.bound = {}
            await self._conn.send(close_session_message(old))
        if not self._registered:
            return
        conn = await self._connection()
        self.version = None
        self.version = await self._discover(conn)
        session_token = new_token("session")
        code, results = await self._call_with_response(
            conn, lambda token: create_session_message(token, session_token))
        if code != RESPONSE_SUCCESS:
            raise HotkeyUnsupported(f"CreateSession answered {code}")
        session = self._session = str(_variant_value(results.get("session_handle")))
        shortcuts = [portal_shortcut(name, r.sequence) for name, r in self._registered.items()]
        code, results = await self._call_with_response(
            conn, lambda token: bind_shortcuts_message(session, shortcuts, token))
        if code == RESPONSE_CANCELLED:
            for name, r in self._registered.items():
                self._report_problem(name, HotkeyUnsupported(f"{r.sequence.text}: the shortcut was not confirmed"))
            return
        if code != RESPONSE_SUCCESS:
            raise HotkeyUnsupported(f"BindShortcuts answered {code}")
        self.bound = bound_ids(results)
        log.info("portal: bound %s", self.bound)
        for name, r in self._registered.items():
            if name not in self.bound:
                self._report_problem(name, HotkeyConflict(f"{r.sequence.text} was not bound by the desktop "
                                                          "(already used, or refused)"))

    def _on_activated(self, message: Any) -> None:
        try:
            session, shortcut_id, *_rest = message.body
        except ValueError:
            return
        if session == self._session:
            self._activate(shortcut_id)

    def _portal_changed(self, _old_owner: str, new_owner: str) -> None:
        """xdg-desktop-portal came, went or restarted: our session, if any, died with the old one."""
        self.version = None  # whoever owns the name now has still to be asked
        if self._session is not None:
            self._session, self.bound, self._session_lost = None, {}, True
        if not new_owner:
            if self._session_lost:
                log.warning("portal: xdg-desktop-portal left the session bus: the shortcuts are gone "
                            "until it comes back")
            return
        if self._session_lost and self._registered and not self._closed:
            log.info("portal: xdg-desktop-portal restarted: binding the shortcuts again")
            self._schedule_bind()
        self._session_lost = False

    async def _shutdown(self) -> None:
        conn, session = self._conn, self._session
        self._conn = self._session = None
        if conn is None:
            return
        if session is not None:
            try:
                await conn.send(close_session_message(session))
            except Exception:  # noqa: BLE001 - best effort on the way out
                log.debug("portal: closing the session failed", exc_info=True)
        await conn.close()  # its reader stopped before the socket closes


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


async def _response_unless_portal_leaves(response: asyncio.Future[Any], left: asyncio.Future[None],
                                         timeout: float) -> Any:
    """The Request::Response ``response`` brings; :class:`HotkeyUnsupported` as soon as ``left`` says
    the frontend that was to answer left the bus, or after ``timeout``."""
    done, _pending = await asyncio.wait({response, left}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if response in done:
        return response.result()
    if left in done:
        raise HotkeyUnsupported(LEFT_BEFORE_ANSWERING)
    raise HotkeyUnsupported(f"the desktop did not answer within {timeout:g} s")
