"""Watches the session bus's StatusNotifierWatcher, the registry of StatusNotifierItem tray icons.

KDE Plasma, GNOME's AppIndicator extension, waybar and most Linux panels show tray icons
through StatusNotifierItem: each app registers its item with ``org.kde.StatusNotifierWatcher``.
Qt (QDBusTrayIcon) registers once, when the icon is created, and chooses between that and
the old XEmbed tray at that moment too. A panel that starts after the app, or restarts,
leaves the icon unregistered; this watch tells the tray view when to create its icon again:

* :attr:`StatusNotifierWatch.changed` (a reason, for the log) when the watcher's name gets a
  new owner or loses it, and when a host (the panel) registers with it;
* :meth:`StatusNotifierWatch.check_registered` asks the watcher, without blocking, whether an
  item of this process is registered (the items are bus names: each one's process id is
  compared with ours).

Every call is asynchronous (QtDBus pending calls): the UI thread never waits on the bus.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher, QDBusServiceWatcher, QDBusVariant

log = logging.getLogger(__name__)

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
WATCHER_INTERFACE = "org.kde.StatusNotifierWatcher"
CALL_TIMEOUT_MS = 5_000


def session_bus_configured(environ: dict[str, str] | None = None) -> bool:
    """Whether this process has a session bus to look at (an address, or a runtime dir that holds one)."""
    env = os.environ if environ is None else environ
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))


def _plain(value: Any) -> Any:
    return value.variant() if isinstance(value, QDBusVariant) else value


class StatusNotifierWatch(QObject):
    """``changed(reason)`` whenever the tray icon may have to be registered again."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = QDBusConnection.sessionBus()
        self.connected = self._bus.isConnected()
        self._pending: set[QDBusPendingCallWatcher] = set()
        self._service_watch: QDBusServiceWatcher | None = None
        if not self.connected:
            log.debug("no session bus: StatusNotifierItem panels are not watched")
            return
        self._service_watch = QDBusServiceWatcher(WATCHER_NAME, self._bus,
                                                  QDBusServiceWatcher.WatchModeFlag.WatchForOwnerChange, self)
        self._service_watch.serviceOwnerChanged.connect(self._on_owner_changed)
        self._bus.connect("", WATCHER_PATH, WATCHER_INTERFACE, "StatusNotifierHostRegistered", self,
                          SLOT("_on_host_registered()"))

    def close(self) -> None:
        if self._service_watch is not None:
            self._service_watch.serviceOwnerChanged.disconnect(self._on_owner_changed)
            self._service_watch.deleteLater()
            self._service_watch = None
        if self.connected:
            self._bus.disconnect("", WATCHER_PATH, WATCHER_INTERFACE, "StatusNotifierHostRegistered", self,
                                 SLOT("_on_host_registered()"))
        self._pending.clear()

    def _on_owner_changed(self, name: str, old: str, new: str) -> None:
        if new:
            self.changed.emit(f"the StatusNotifierWatcher appeared on the session bus ({new})"
                              if not old else f"the StatusNotifierWatcher restarted ({old} -> {new})")
        else:
            self.changed.emit(f"the StatusNotifierWatcher left the session bus ({old})")

    @Slot()
    def _on_host_registered(self) -> None:
        self.changed.emit("a StatusNotifierHost (a panel) registered with the watcher")

    # -- is our item registered? -------------------------------------------------------------

    def check_registered(self, done: Callable[[bool | None], None]) -> None:
        """Call ``done(True|False)``: an item of this process is registered or not; ``None``: no watcher."""
        if not self.connected:
            done(None)
            return
        message = QDBusMessage.createMethodCall(WATCHER_NAME, WATCHER_PATH, "org.freedesktop.DBus.Properties", "Get")
        message.setArguments([WATCHER_INTERFACE, "RegisteredStatusNotifierItems"])

        def items_known(reply: QDBusMessage) -> None:
            if reply.type() != QDBusMessage.MessageType.ReplyMessage:
                done(None)
                return
            items = [str(item) for item in (_plain(reply.arguments()[0]) or [])]
            self._any_ours([item.split("/", 1)[0] for item in items if item], done)

        self._call(message, items_known)

    def _any_ours(self, names: list[str], done: Callable[[bool | None], None]) -> None:
        if not names:
            done(False)
            return
        first, rest = names[0], names[1:]
        message = QDBusMessage.createMethodCall("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                "org.freedesktop.DBus", "GetConnectionUnixProcessID")
        message.setArguments([first])

        def pid_known(reply: QDBusMessage) -> None:
            ours = reply.type() == QDBusMessage.MessageType.ReplyMessage and \
                int(_plain(reply.arguments()[0])) == os.getpid()
            if ours:
                done(True)
            else:
                self._any_ours(rest, done)

        self._call(message, pid_known)

    def _call(self, message: QDBusMessage, then: Callable[[QDBusMessage], None]) -> None:
        watcher = QDBusPendingCallWatcher(self._bus.asyncCall(message, CALL_TIMEOUT_MS), self)
        self._pending.add(watcher)

        def finished(w: QDBusPendingCallWatcher) -> None:
            self._pending.discard(w)
            w.deleteLater()
            then(w.reply())

        watcher.finished.connect(finished)
