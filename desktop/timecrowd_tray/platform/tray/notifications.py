"""Desktop notifications through ``org.freedesktop.Notifications`` (the freedesktop specification).

What Qt's StatusNotifierItem icon does for ``QSystemTrayIcon.showMessage``, for our own item
(:mod:`.sni_item`): one ``Notify`` call, never awaited by the caller. The app's name on every
notification is the one given (``"TimeCrowd Tray"``), and the desktop file names its icon.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .dbus_objects import BusUnavailable, MethodError, ObjectServer

log = logging.getLogger(__name__)

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
URGENCY = {"low": 0, "normal": 1, "critical": 2}


class DesktopNotifications:
    """``notify(title, message, ...)``; ``on_failed(title, message)`` when no notification server took it."""

    def __init__(self, server: ObjectServer, *, app_name: str, desktop_entry: str,
                 on_failed: Callable[[str, str], None] = lambda *_: None) -> None:
        self.server = server
        self.app_name = app_name
        self.desktop_entry = desktop_entry
        self.on_failed = on_failed
        self._tasks: set[asyncio.Task[None]] = set()

    def notify(self, title: str, message: str, *, urgency: str = "normal", timeout_ms: int = -1,
               icon: str = "") -> None:
        task = asyncio.ensure_future(self._notify(title, message, urgency, timeout_ms, icon))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self, title: str, message: str, urgency: str, timeout_ms: int, icon: str) -> None:
        hints = {"urgency": ("y", URGENCY.get(urgency, 1)), "desktop-entry": ("s", self.desktop_entry)}
        try:
            await self.server.call(NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, "Notify", "susssasa{sv}i",
                                   (self.app_name, 0, icon, title, message, [], hints, timeout_ms))
        except (MethodError, BusUnavailable) as exc:
            log.info("notification not shown by the desktop (%s)", exc)
            self.on_failed(title, message)
