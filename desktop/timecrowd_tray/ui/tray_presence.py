"""Whether the tray icon shows on a tray, followed as trays come, go or restart.

Without a system tray (GNOME without the AppIndicator extension)
:class:`TrayPresence` says so once (:class:`.no_tray_notice.NoTrayNotice`,
standard error, the log), and the icon docks by itself once a tray appears
(Qt docks an icon whose ``show()`` was called when a tray host arrives). It
notices at once on X11 (the icon's window is shown) and checks every 30
seconds otherwise. An XEmbed tray that goes away (its host quit or crashed)
is noticed the same way: Qt hides the icon's window, and the app says there
is no tray until one appears again.

On Linux panels that speak StatusNotifierItem, the icon is our own item
(:class:`.sni_icon.SniTrayIcon`), which registers with every watcher that comes
(a panel that starts after the app, or restarts). While no watcher is there the
view shows a QSystemTrayIcon instead (an XEmbed tray's, if any: the view's
``replace_icon``), and goes back to the item once a watcher lists it
(``use_sni``): one icon at a time, never both. The log says each step.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from .. import APP_NAME
from .no_tray_notice import NoTrayNotice
from .x11_tray_window import is_tray_window, tray_window_shown

log = logging.getLogger(__name__)

TRAY_CHECK_MS = 30_000


class TrayPresence(QObject):
    """Follows whether a tray shows the icon, for the tray view that owns the icon."""

    def __init__(self, *, icon: Callable[[], Any], replace_icon: Callable[[str], object],
                 hook_window: Callable[[], None], shortcut: Callable[[], str], announce_no_tray: bool,
                 on_palette: Callable[[], None], on_quit: Callable[[], None], sni: Any = None,
                 use_sni: Callable[[str], None] = lambda _reason: None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon                  # the icon up now: the SniTrayIcon or a QSystemTrayIcon
        self._replace_icon = replace_icon  # a new QSystemTrayIcon (Qt docks it in an XEmbed tray, if any)
        self._sni = sni                    # our StatusNotifierItem (SniTrayIcon), on Linux with a session bus
        self._use_sni = use_sni            # show through it again (a watcher lists it)
        self._sni_decided = False          # whether the item's first answer (listed, or no watcher) came
        self._sni_started = False
        self._sni_connected = False
        self._hook_window = hook_window    # the X11 tray window's hook, once the icon is docked
        self._shortcut = shortcut          # the toggle shortcut, named by the no-tray notice
        self._announce_no_tray = announce_no_tray
        self._on_palette = on_palette      # the no-tray notice's "Start a task…"
        self._on_quit = on_quit            # the no-tray notice's "Quit"
        self.no_tray_notice: NoTrayNotice | None = None
        self._tray_available: bool | None = None  # known since start(); None before (asked then)
        self._watching_app = False
        self._tray_window: QWidget | None = None  # Qt's X11 icon window, followed for a tray going away
        self.tray_watch = QTimer(self)
        self.tray_watch.setInterval(TRAY_CHECK_MS)
        self.tray_watch.timeout.connect(self._check_tray)

    def start(self) -> None:
        """Once the icon was shown: hook its window where it docked, or say there is no tray.

        With our StatusNotifierItem, that waits for its first answer (:meth:`connect_sni`)."""
        if self._sni is not None:
            self._sni.registration_changed.connect(self._on_sni_registration)
            self._sni_connected = True
            if self._icon() is self._sni:
                return
        self._start_qt_icon()

    def connect_sni(self) -> None:
        """Our StatusNotifierItem onto the session bus, from the running asyncio loop (the app's main).
        While a QSystemTrayIcon shows (no StatusNotifierItem panel at start-up), the item waits for one."""
        if self._sni is not None and not self._sni_started:
            self._sni_started = True
            import asyncio

            asyncio.ensure_future(self._sni.start())  # its failures end in registration_changed(None)

    def _start_qt_icon(self) -> None:
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self._tray_found()
        else:
            self._no_tray()

    def tray_available(self) -> bool:
        """Whether a system tray shows the icon (as last found: no X round trip per question)."""
        if self._sni is not None and self._icon() is self._sni:
            return bool(self._sni.registered)
        if self._tray_available is None:
            self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        return self._tray_available

    def close(self) -> None:
        """Stop watching for trays, closing the no-tray notice (before quitting)."""
        self.tray_watch.stop()
        if self._sni_connected:
            self._sni_connected = False
            self._sni.registration_changed.disconnect(self._on_sni_registration)
        if self.no_tray_notice is not None:
            self.no_tray_notice.close()
        self._stop_watching_app()
        self._follow_tray_window(None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._watching_app and event.type() == QEvent.Type.Show and is_tray_window(obj):
            QTimer.singleShot(0, self, self._check_tray)  # a tray host appeared: Qt docked the icon
        elif obj is self._tray_window and event.type() == QEvent.Type.Hide:
            QTimer.singleShot(0, self, self._check_tray_gone)  # the tray host went away: Qt undocked the icon
        return super().eventFilter(obj, event)

    # -- no tray ---------------------------------------------------------------------------------

    def _no_tray(self) -> None:
        shortcut = str(self._shortcut() or "")
        notice = NoTrayNotice(shortcut, lambda: self._on_palette(), lambda: self._on_quit())
        text = notice.message(shortcut)
        log.warning("no system tray available: %s", text.replace("\n\n", " "))
        print(f"{APP_NAME}: {text}", file=sys.stderr, flush=True)
        if self._announce_no_tray:
            self.no_tray_notice = notice
            notice.destroyed.connect(lambda *_: setattr(self, "no_tray_notice", None))
            notice.show()
        else:
            notice.deleteLater()
        self._wait_for_tray()

    def _wait_for_tray(self) -> None:
        """Qt docks the icon by itself when an XEmbed tray appears (its X11 icon window is then shown):
        watch for that window, and check every 30 s for the other kinds of tray."""
        app = QApplication.instance()
        if app is not None and not self._watching_app:
            app.installEventFilter(self)
            self._watching_app = True
        self.tray_watch.start()

    # -- StatusNotifierItem panels that come, go and restart ------------------------------------

    def _on_sni_registration(self, registered: bool | None, reason: str) -> None:
        first, self._sni_decided = not self._sni_decided, True
        on_sni = self._icon() is self._sni
        if registered:
            self._stop_tray_watch()
            self._follow_tray_window(None)  # the Qt icon's window hides now: that is not a tray going away
            if not on_sni:
                self._use_sni(reason)  # the Qt icon goes: one icon at a time
            self._tray_available = True
            if self.no_tray_notice is not None:
                self.no_tray_notice.close()
            return
        if not on_sni:
            return  # the Qt icon shows (or waits for a tray) already
        # No watcher (or it refused the item): a QSystemTrayIcon, docked in an XEmbed tray if there is one;
        # the item registers by itself with the next watcher, and the view comes back to it then.
        log.info("tray: %s: a QSystemTrayIcon stands in", reason)
        self._replace_icon(reason)
        if first:
            self._start_qt_icon()  # at start-up: say so when there is no tray at all
            return
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self._tray_found()
        else:
            self._wait_for_tray()

    def _check_tray(self) -> None:
        if self._sni is not None and self._icon() is self._sni:
            self._stop_tray_watch()
            return  # our item shows again: nothing to dock
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self._stop_tray_watch()
            log.info("tray: an XEmbed tray appeared: the icon is docked")
            icon = self._icon()
            if not icon.isVisible():
                icon.show()
            self._tray_found()

    def _tray_found(self) -> None:
        """A tray shows the icon: hook its window (X11), take the no-tray notice down."""
        self._hook_window()
        self._follow_tray_window(next((w for w in QApplication.topLevelWidgets() if is_tray_window(w)), None))
        if self.no_tray_notice is not None:
            self.no_tray_notice.close()

    # -- an XEmbed tray that goes away ----------------------------------------------------------

    def _follow_tray_window(self, window: QWidget | None) -> None:
        """Watch Qt's X11 icon window for its hiding: Qt hides it when the XEmbed tray goes away."""
        if window is self._tray_window:
            return
        if self._tray_window is not None:
            self._tray_window.removeEventFilter(self)
        self._tray_window = window
        if window is not None:
            window.installEventFilter(self)
            window.destroyed.connect(self._tray_window_destroyed)

    def _tray_window_destroyed(self, *_: object) -> None:
        self._tray_window = None

    def _check_tray_gone(self) -> None:
        if self._sni is not None and self._icon() is self._sni:
            return  # the icon is our StatusNotifierItem: an XEmbed tray is not needed
        if self._watching_app or tray_window_shown() or QSystemTrayIcon.isSystemTrayAvailable():
            return  # already waiting for a tray, or the icon shows somewhere still (or again)
        log.info("tray: the XEmbed tray went away; the icon waits for a tray to appear")
        self._tray_available = False
        self._no_tray()

    def _stop_tray_watch(self) -> None:
        self.tray_watch.stop()
        self._stop_watching_app()

    def _stop_watching_app(self) -> None:
        if self._watching_app:
            self._watching_app = False
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
