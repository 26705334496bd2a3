"""Our StatusNotifierItem: the tray icon as KDE Plasma, GNOME's AppIndicator extension, waybar
and most Linux panels show it, exported on an :class:`.dbus_objects.ObjectServer`.

Ours rather than Qt's (QSystemTrayIcon's QDBusTrayIcon) because Qt's puts the whole tooltip in
its title and leaves the description empty, and registers with the watcher only once, when the
icon is created. This one:

* has a title (the task, or "TimeCrowd Tray") and a description (the rest) in its ``ToolTip``;
* registers with ``org.kde.StatusNotifierWatcher`` whenever one appears (a panel that starts
  after the app, or restarts) and again when a host registers while it is not listed, and
  says each time what it did (:attr:`on_registration`);
* answers ``Activate`` / ``SecondaryActivate`` / ``ContextMenu`` / ``Scroll`` through callbacks.

No Qt here: pixmaps come as ARGB32 bytes in network byte order (the specification's), the
menu is exported beside it (:mod:`.dbusmenu`) at :data:`MENU_PATH`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .dbus_objects import BusUnavailable, MethodError, ObjectServer, Variant

log = logging.getLogger(__name__)

ITEM_PATH = "/StatusNotifierItem"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
MENU_PATH = "/MenuBar"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
#: A watcher owns its name a moment before it answers on it: a refused registration is tried again.
RETRY_DELAYS_S = (0.1, 0.3, 1.0, 3.0)
TOOLTIP_ICON_PX = 32
_instances = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Pixmap:
    """One size of an icon: ``data`` is ARGB32, network byte order, ``width * height * 4`` bytes."""

    width: int
    height: int
    data: bytes

    def as_dbus(self) -> tuple[int, int, bytes]:
        return (self.width, self.height, self.data)


INTROSPECTION = f"""<interface name="{ITEM_INTERFACE}">
<property name="Category" type="s" access="read"/><property name="Id" type="s" access="read"/>
<property name="Title" type="s" access="read"/><property name="Status" type="s" access="read"/>
<property name="WindowId" type="i" access="read"/><property name="IconThemePath" type="s" access="read"/>
<property name="IconName" type="s" access="read"/><property name="IconPixmap" type="a(iiay)" access="read"/>
<property name="OverlayIconName" type="s" access="read"/>
<property name="OverlayIconPixmap" type="a(iiay)" access="read"/>
<property name="AttentionIconName" type="s" access="read"/>
<property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
<property name="AttentionMovieName" type="s" access="read"/>
<property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
<property name="ItemIsMenu" type="b" access="read"/><property name="Menu" type="o" access="read"/>
<method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
<method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
<method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/>
</method>
<method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/>
</method>
<method name="ProvideXdgActivationToken"><arg name="token" type="s" direction="in"/></method>
<signal name="NewTitle"/><signal name="NewIcon"/><signal name="NewAttentionIcon"/><signal name="NewOverlayIcon"/>
<signal name="NewToolTip"/><signal name="NewStatus"><arg name="status" type="s"/></signal>
</interface>"""


class StatusNotifierItem:
    """The item: :meth:`start` exports it and registers it wherever a watcher is (now or later)."""

    interface = ITEM_INTERFACE
    introspection = INTROSPECTION

    def __init__(self, server: ObjectServer, *, item_id: str, title: str,
                 on_activate: Callable[[int, int], None], on_secondary: Callable[[int, int], None],
                 on_context_menu: Callable[[int, int], None],
                 on_registration: Callable[[bool | None, str], None] = lambda *_: None) -> None:
        self.server = server
        self.bus_name = f"org.kde.StatusNotifierItem-{os.getpid()}-{next(_instances)}"
        self.item_id = item_id
        self.title = title
        self.status = "Active"
        self.pixmaps: tuple[Pixmap, ...] = ()
        self.tooltip_title = title
        self.tooltip_description = ""
        self._on_activate = on_activate
        self._on_secondary = on_secondary
        self._on_context_menu = on_context_menu
        self.on_registration = on_registration
        #: True: listed by the watcher; False: not (yet); None: no watcher on the bus.
        self.registered: bool | None = None
        self.wanted = False  # show() was asked: register wherever a watcher is
        self._watcher_owner: str | None = None  # who owns the watcher's name ("" nobody; None: not asked yet)
        self._registering: asyncio.Task[None] | None = None
        self._retry: asyncio.TimerHandle | None = None
        self._tries = 0
        self._again: tuple[str, bool] | None = None  # news that came while a registration ran
        self._told = False  # on_registration was called at least once

    async def start(self) -> None:
        """Export the item, follow the watcher; register (in the background) if :attr:`wanted`.

        The item is registered by its object path, so the watcher lists it under this connection's
        unique name: no well-known name is needed (a Flatpak may not own one). The name of the
        specification (``org.kde.StatusNotifierItem-PID-N``) is owned too when the bus allows it.
        """
        try:
            if not await self.server.request_name(self.bus_name):
                log.info("tray: the bus name %s is taken: the item goes by its unique name", self.bus_name)
        except MethodError as exc:
            log.info("tray: not allowed to own %s (%s): the item goes by its unique name", self.bus_name, exc)
        self.server.export(ITEM_PATH, self)
        self.server.on_lost = lambda: self._set_registered(None, "the session bus went away")
        await self.server.watch_name(WATCHER, self._watcher_changed)
        from jeepney import MatchRule

        await self.server.listen(MatchRule(type="signal", interface=WATCHER, member="StatusNotifierHostRegistered"),
                                 lambda _message: self._host_registered())
        await self.server.listen(MatchRule(type="signal", interface=WATCHER, member="StatusNotifierItemRegistered"),
                                 self._item_registered)
        owner = self._watcher_owner = await self.server.name_owner(WATCHER)
        if not owner:
            self._set_registered(None, "no StatusNotifierWatcher on the session bus")
        elif self.wanted:
            self._register_soon("a StatusNotifierWatcher is on the session bus")

    # -- what the app sets -------------------------------------------------------------------

    def show(self) -> None:
        """Be on the panel: register (now, or when a watcher comes); Status Active."""
        self.wanted = True
        self._set_status("Active")
        if self._watcher_owner and not self.registered:
            self._register_soon("the icon is shown")

    def hide(self) -> None:
        """Off the panel: Status Passive (the specification's "not important now"; most panels hide it)."""
        self.wanted = False
        self._set_status("Passive")

    def set_pixmaps(self, pixmaps: tuple[Pixmap, ...]) -> None:
        if pixmaps != self.pixmaps:
            self.pixmaps = pixmaps
            self.server.emit(ITEM_PATH, ITEM_INTERFACE, "NewIcon")

    def set_tooltip(self, title: str, description: str) -> None:
        if (title, description) != (self.tooltip_title, self.tooltip_description):
            self.tooltip_title, self.tooltip_description = title, description
            self.server.emit(ITEM_PATH, ITEM_INTERFACE, "NewToolTip")

    def _set_status(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.server.emit(ITEM_PATH, ITEM_INTERFACE, "NewStatus", "s", (status,))

    # -- the bus's side -----------------------------------------------------------------------

    def properties(self) -> dict[str, Variant]:
        pixmaps = [p.as_dbus() for p in self.pixmaps]
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", self.item_id),
            "Title": ("s", self.title),
            "Status": ("s", self.status),
            "WindowId": ("i", 0),
            "IconThemePath": ("s", ""),
            "IconName": ("s", ""),
            "IconPixmap": ("a(iiay)", pixmaps),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", ""),
            "AttentionIconPixmap": ("a(iiay)", []),
            "AttentionMovieName": ("s", ""),
            # One small picture in the tooltip: a panel reads it again at every NewToolTip (each minute).
            "ToolTip": ("(sa(iiay)ss)", ("", self._tooltip_pixmap(), self.tooltip_title, self.tooltip_description)),
            "ItemIsMenu": ("b", False),
            "Menu": ("o", MENU_PATH),
        }

    def _tooltip_pixmap(self) -> list[tuple[int, int, bytes]]:
        fitting = [p for p in self.pixmaps if p.width <= TOOLTIP_ICON_PX]
        return [max(fitting, key=lambda p: p.width).as_dbus()] if fitting else []

    def call(self, member: str, body: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
        x, y = (int(body[0]), int(body[1])) if len(body) >= 2 and member != "Scroll" else (0, 0)
        if member == "Activate":
            self._on_activate(x, y)
        elif member == "SecondaryActivate":
            self._on_secondary(x, y)
        elif member == "ContextMenu":
            self._on_context_menu(x, y)
        elif member == "ProvideXdgActivationToken":
            # Plasma and GNOME send it before Activate (or a menu click): Qt's Wayland windows take the
            # focus with it at their next activation, as they do under Qt's own item.
            os.environ["XDG_ACTIVATION_TOKEN"] = str(body[0]) if body else ""
        elif member == "Scroll":
            pass  # nothing to scroll through
        else:
            raise MethodError("org.freedesktop.DBus.Error.UnknownMethod", f"no method {member}")
        return None, ()

    # -- registration --------------------------------------------------------------------------

    def _watcher_changed(self, old: str, new: str) -> None:
        self._watcher_owner = new
        if not new:
            self._set_registered(None, f"the StatusNotifierWatcher left the session bus ({old})")
        elif self.wanted:
            self._register_soon(f"the StatusNotifierWatcher appeared on the session bus ({new})" if not old
                                else f"the StatusNotifierWatcher restarted ({old} -> {new})")

    def _host_registered(self) -> None:
        if self.wanted:
            self._register_soon("a StatusNotifierHost (a panel) registered with the watcher", only_if_missing=True)

    def _item_registered(self, message: Any) -> None:
        """The watcher says it listed an item: ours, registered by a call that had seemed to fail?"""
        service = str(message.body[0]) if message.body else ""
        if self.wanted and not self.registered and self._mine(service):
            self._set_registered(True, "the StatusNotifierWatcher listed the icon")

    def _mine(self, service: str) -> bool:
        return service.split("/", 1)[0] in (self.bus_name, self.server.unique_name)

    def _register_soon(self, reason: str, only_if_missing: bool = False, *, retry: bool = False) -> None:
        if self._registering is not None and not self._registering.done():
            # One registration at a time; news that came meanwhile (the watcher left, another came)
            # is acted on once it is done.
            self._again = (reason, only_if_missing and (self._again is None or self._again[1]))
            return
        if not retry:
            self._tries = 0
            if self._retry is not None:
                self._retry.cancel()
                self._retry = None
        self._registering = asyncio.ensure_future(self._register(reason, only_if_missing))
        self._registering.add_done_callback(self._registered_done)

    def _registered_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.warning("tray: registering the icon failed: %r", task.exception())
        again, self._again = self._again, None
        if again is not None and self.wanted and not self.server.closed and self._watcher_owner:
            self._register_soon(*again)

    async def _register(self, reason: str, only_if_missing: bool = False) -> None:
        watcher = self._watcher_owner
        try:
            if only_if_missing and await self.is_listed():
                log.info("tray: %s; the icon is registered already", reason)
                return
            await self.server.call(WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s", (ITEM_PATH,))
        except (MethodError, BusUnavailable) as exc:
            owner = await self._owner_or_none()
            if owner and self._tries < len(RETRY_DELAYS_S) and not self.server.closed:
                delay = RETRY_DELAYS_S[self._tries]
                self._tries += 1
                log.info("tray: %s; the watcher refused the icon (%s): trying again in %.1f s", reason, exc, delay)
                self._retry = asyncio.get_running_loop().call_later(
                    delay, lambda: self._register_soon(reason, retry=True) if self.wanted else None)
                return
            self._set_registered(None if not owner else False, f"{reason}; registering failed ({exc})")
            return
        if self._watcher_owner != watcher:  # the watcher changed hands meanwhile: that one did not hear us
            self._again = self._again or (f"{reason}, and the watcher changed meanwhile", False)
            return
        self._set_registered(True, reason)

    async def is_listed(self) -> bool:
        """Whether the watcher lists this item now (False without a watcher)."""
        try:
            (value,) = await self.server.call(WATCHER, WATCHER_PATH, "org.freedesktop.DBus.Properties", "Get", "ss",
                                              (WATCHER, "RegisteredStatusNotifierItems"))
        except (MethodError, BusUnavailable):
            return False
        items = value[1] if isinstance(value, tuple) else value
        return any(self._mine(str(item)) for item in items)

    async def _owner_or_none(self) -> str:
        try:
            return await self.server.name_owner(WATCHER)
        except (MethodError, BusUnavailable):
            return ""

    def _set_registered(self, registered: bool | None, reason: str) -> None:
        if self.server.closed and not self.server.lost:
            return  # shutting down: no more news (a lost bus is news: a stand-in icon is wanted)
        if self._told and registered == self.registered:
            log.debug("tray: %s (the icon's registration is unchanged)", reason)
            return
        self._told = True
        self.registered = registered
        if registered:
            log.info("tray: %s: icon registered with the StatusNotifierWatcher (StatusNotifierItem)", reason)
        elif registered is None:
            log.info("tray: %s: the icon waits for a StatusNotifierWatcher", reason)
        else:
            log.info("tray: %s: the icon is not registered", reason)
        self.on_registration(registered, reason)
