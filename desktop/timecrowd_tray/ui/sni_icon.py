"""The tray icon as our own StatusNotifierItem, with the surface of a QSystemTrayIcon.

:class:`SniTrayIcon` is what the tray view drives on Linux panels that speak
StatusNotifierItem (:mod:`timecrowd_tray.platform.tray.sni_item`): ``setIcon`` (sent as
pixmaps of the sizes panels ask for), ``setToolTip`` (its first line is the tooltip's
title, the others its description), ``setContextMenu`` (exported over dbusmenu:
:mod:`.qmenu_tree`), ``showMessage`` (freedesktop notifications), ``activated`` (a click is
``Trigger``, a middle click ``MiddleClick``) and ``geometry`` (around where the panel
said it was clicked: where windows opened from the icon go).

:meth:`SniTrayIcon.start` connects it to the session bus; :attr:`SniTrayIcon.registration_changed`
says when a panel lists it, or no longer can.
"""

from __future__ import annotations

import array
import asyncio
import logging
import sys

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Signal
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .. import APP_ID, APP_NAME, DESKTOP_FILE_ID
from ..platform.dbus_connection import session_bus_address
from ..platform.tray.dbus_objects import ObjectServer
from ..platform.tray.dbusmenu import DBusMenu
from ..platform.tray.notifications import DesktopNotifications
from ..platform.tray.sni_item import MENU_PATH, Pixmap, StatusNotifierItem
from .qmenu_tree import QMenuTree

log = logging.getLogger(__name__)

PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)
OPEN_TIMEOUT = 3.0

Reason = QSystemTrayIcon.ActivationReason


def argb_pixmap(icon: QIcon, size: int) -> Pixmap:
    """``icon`` at ``size`` px as the specification's ARGB32 in network byte order."""
    image = icon.pixmap(QSize(size, size), 1.0).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    width, height = image.width(), image.height()
    raw = bytes(image.constBits())[: width * height * 4]
    if sys.byteorder == "little":  # QImage holds each pixel as a native 32-bit word
        words = array.array("I", raw)
        words.byteswap()
        raw = words.tobytes()
    return Pixmap(width, height, raw)


def tooltip_parts(text: str) -> tuple[str, str]:
    """The tooltip's title (its first line) and description (the rest, one line each)."""
    title, _, rest = text.partition("\n")
    return title, rest


class SniTrayIcon(QObject):
    """Our StatusNotifierItem, driven like a QSystemTrayIcon."""

    activated = Signal(object)  # QSystemTrayIcon.ActivationReason
    messageClicked = Signal()  # noqa: N815 - QSystemTrayIcon's name
    registration_changed = Signal(object, str)  # True / False / None (no watcher), and why

    def __init__(self, parent: QObject | None = None, bus: str | None = None) -> None:
        super().__init__(parent)
        self.server = ObjectServer(bus or session_bus_address() or "SESSION")  # connected by start()
        self.failed = False  # start() found no bus
        self.item = StatusNotifierItem(self.server, item_id=APP_ID, title=APP_NAME,
                                       on_activate=self._on_activate, on_secondary=self._on_secondary,
                                       on_context_menu=self._on_context_menu,
                                       on_registration=lambda ok, why: self.registration_changed.emit(ok, why))
        self.notifications = DesktopNotifications(self.server, app_name=APP_NAME, desktop_entry=DESKTOP_FILE_ID,
                                                  on_failed=self._notification_failed)
        self._icon = QIcon()
        self._tooltip = ""
        self._menu: QMenu | None = None
        self._tree: QMenuTree | None = None
        self._dbus_menu: DBusMenu | None = None
        self._clicked_at: QPoint | None = None

    async def start(self) -> None:
        """Onto the session bus (bounded): exported, following the watcher, registering in the background.

        Whatever goes wrong (no bus, a bus that refuses us or goes away while we connect) ends in
        ``registration_changed(None)``: a QSystemTrayIcon stands in then."""
        try:
            await asyncio.wait_for(self.server.open(), OPEN_TIMEOUT)
            self._send_pixmaps()  # drawn now, not at start-up: the icon a panel will read
            await asyncio.wait_for(self.item.start(), OPEN_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure here is "no item": said, and a stand-in shows
            self.failed = True
            log.warning("tray: no StatusNotifierItem of our own (%r): Qt's tray icon stands in", exc)
            await self.server.close()
            self.registration_changed.emit(None, f"no StatusNotifierItem ({exc or type(exc).__name__})")

    @property
    def registered(self) -> bool | None:
        """Listed by a watcher (True), not (False), or no watcher on the bus (None)."""
        return self.item.registered

    def close(self) -> None:
        """Off the bus (the watcher drops the item when its name goes)."""
        self.item.wanted = False
        if self._tree is not None:
            self._tree.close()
        asyncio.ensure_future(self.server.close())

    # -- QSystemTrayIcon's surface --------------------------------------------------------------

    def setIcon(self, icon: QIcon) -> None:  # noqa: N802
        self._icon = icon
        if self.server.unique_name:  # on the bus: the panel gets the new pixels (else start() sends them)
            self._send_pixmaps()

    def _send_pixmaps(self) -> None:
        icon = self._icon
        self.item.set_pixmaps(tuple(argb_pixmap(icon, size) for size in PIXMAP_SIZES) if not icon.isNull() else ())

    def icon(self) -> QIcon:
        return self._icon

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._tooltip = text
        self.item.set_tooltip(*tooltip_parts(text))

    def toolTip(self) -> str:  # noqa: N802
        return self._tooltip

    def show(self) -> None:
        self.item.show()

    def hide(self) -> None:
        self.item.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        self.show() if visible else self.hide()

    def isVisible(self) -> bool:  # noqa: N802
        return self.item.wanted and bool(self.registered)

    def setContextMenu(self, menu: QMenu | None) -> None:  # noqa: N802
        if menu is self._menu:
            return
        if self._tree is not None:
            self._tree.close()
            self._tree = None
        self._menu = menu
        if menu is None:
            return
        self._tree = QMenuTree(menu, changed=lambda ids: self._exported_menu().items_changed(ids),
                               layout_changed=lambda parent: self._exported_menu().layout_changed(parent), parent=self)
        if self._dbus_menu is None:
            self._dbus_menu = DBusMenu(self.server, self._tree, MENU_PATH)
        else:
            self._dbus_menu.tree = self._tree
            self._dbus_menu.layout_changed(0)

    def _exported_menu(self) -> DBusMenu:
        assert self._dbus_menu is not None  # set right after the tree that calls this
        return self._dbus_menu

    def contextMenu(self) -> QMenu | None:  # noqa: N802
        return self._menu

    @staticmethod
    def supportsMessages() -> bool:  # noqa: N802
        return True

    def showMessage(self, title: str, message: str, icon: object = None, msecs: int = 10_000) -> None:  # noqa: N802
        warning = icon in (QSystemTrayIcon.MessageIcon.Warning, QSystemTrayIcon.MessageIcon.Critical)
        self.notifications.notify(title, message, urgency="critical" if icon is QSystemTrayIcon.MessageIcon.Critical
                                  else "normal", timeout_ms=msecs,
                                  icon="dialog-warning" if warning else "")

    def geometry(self) -> QRect:
        """Around the last click the panel reported (empty when it gave no position)."""
        if self._clicked_at is None:
            return QRect()
        return QRect(self._clicked_at - QPoint(12, 12), QSize(24, 24))

    # -- the panel's side ------------------------------------------------------------------------

    def _clicked(self, x: int, y: int) -> None:
        self._clicked_at = QPoint(x, y) if (x, y) != (0, 0) else self._clicked_at

    def _on_activate(self, x: int, y: int) -> None:
        self._clicked(x, y)
        self.activated.emit(Reason.Trigger)

    def _on_secondary(self, x: int, y: int) -> None:
        self._clicked(x, y)
        self.activated.emit(Reason.MiddleClick)

    def _on_context_menu(self, x: int, y: int) -> None:
        """A panel that shows no dbusmenu asks the app to pop its menu up itself."""
        self._clicked(x, y)
        if self._menu is not None:
            self._menu.popup(QPoint(x, y))

    def _notification_failed(self, title: str, message: str) -> None:
        print(f"{title}: {message}", file=sys.stderr, flush=True)
