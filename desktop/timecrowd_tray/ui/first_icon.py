"""The tray icon start-up puts up before the event loop runs: Qt's at once, or our StatusNotifierItem.

On Linux with a session bus the icon is our own StatusNotifierItem (:mod:`.sni_icon`), which
connects once the loop runs; where the start-up probe
(:class:`~timecrowd_tray.platform.tray.watcher_probe.WatcherProbe`) says no StatusNotifierItem
panel is there (an XEmbed tray), Qt's QSystemTrayIcon goes up at once beside it, as it does
everywhere else. The probe races Qt's start-up: :meth:`FirstIcon.catch_up` puts Qt's icon up
later in start-up when the answer came after the first look.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from .. import APP_NAME
from ..platform.tray.watcher_probe import WatcherProbe, own_item_wanted

log = logging.getLogger(__name__)


class FirstIcon:
    """``qt``: Qt's icon when it is up; ``sni``: our item (SniTrayIcon) where it is wanted."""

    def __init__(self, icon: QIcon, probe: WatcherProbe | None, platform_name: str) -> None:
        self._icon = icon
        self._probe = probe
        self.qt: QSystemTrayIcon | None = None
        self.sni: Any = None
        own_item = own_item_wanted(platform_name)
        if not own_item or self._no_panel():
            self._show_qt()
        if own_item:  # after Qt's icon is up: nothing of it is on that icon's way
            from .sni_icon import SniTrayIcon

            self.sni = SniTrayIcon()
            self.sni.setIcon(icon)
            self.sni.setToolTip(APP_NAME)
            self.sni.show()

    def _no_panel(self) -> bool:
        return self._probe is not None and self._probe.answer() is False

    def _show_qt(self) -> None:
        self.qt = QSystemTrayIcon(self._icon)
        self.qt.setToolTip(APP_NAME)
        self.qt.show()

    def catch_up(self) -> None:
        """The probe answered since the first look: no StatusNotifierItem panel, so Qt's icon goes up
        now rather than once the loop runs."""
        if self.qt is None and self._no_panel():
            self._show_qt()
            log.info("tray icon shown (no StatusNotifierWatcher: Qt's icon)")

    def hide(self) -> None:
        """Another instance is the app: this one's icon goes."""
        if self.qt is not None:
            self.qt.hide()

    def log(self) -> None:
        """Say what went up, and how long the probe took (once logging is set up)."""
        log.info("tray icon %s", "shown" if self.qt is not None else
                 "set up (our StatusNotifierItem: it connects once the loop runs)")
        probe = self._probe
        if probe is not None:
            log.info("tray: StatusNotifierWatcher probe: %s",
                     f"answer {probe.answer()} in {probe.took_s * 1000:.0f} ms" if probe.took_s is not None
                     else "no answer yet at the first icon")
