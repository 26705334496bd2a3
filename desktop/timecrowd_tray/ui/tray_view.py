"""The tray icon as the user sees it: the QSystemTrayIcon, drawn from the timer's state.

:class:`TrayView` shows a :class:`~timecrowd_tray.core.timer.TimerState` on
the icon: its look (:mod:`.icon_painter`), its tooltip, and the menu's live
ticking. What a click or a menu item does is not here: that is the tray's
actions (:mod:`.tray`), which give the view each new state.

Repaints: the icon only changes with the state and, while running, once a
minute (a single-shot timer aligned to the next whole minute of the elapsed
time, for the ring; :attr:`TrayView.minute_ticked` then lets the tray poll on the same wake-up).
A one-second timer runs only while the menu is open or
(on X11, where Qt lets us see it) the tooltip is shown: no per-second wake-up
otherwise. The tooltip's ``H:MM:SS`` is therefore exact when it is refreshed:
at each minute, on every state change, when the menu opens, and on hover
where the platform delivers the tooltip event (Qt's own X11 tray; a
StatusNotifierItem host reads the text Qt stored, up to a minute old). The
menu header is always live.

X11 work-arounds: Qt's X11 tray icon is a widget (``QSystemTrayIconSys``).
Its tooltip event refreshes the text and starts the one-second timer; the
panel under it is sampled once for its colour (an XEmbed tray says nothing of
it); and :meth:`TrayView.paint_now` paints a new icon at once after a click.

Without a system tray (GNOME without the AppIndicator extension) the view
says so once (:class:`.no_tray_notice.NoTrayNotice`, standard error and the
log), and the icon docks by itself once a tray appears (Qt docks an icon whose
``show()`` was called when a tray host arrives). The view notices at once on
X11 (the icon's window is shown) and checks every 30 seconds otherwise. The
notice's buttons are :attr:`TrayView.palette_requested` and
:attr:`TrayView.quit_requested`.

The tooltip's texts keep the translation context ``TrayController`` (where they
were translated) through this module's :func:`tr`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHelpEvent, QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QToolTip, QWidget

from .. import APP_NAME
from ..core.durations import format_hms
from ..core.labels import team_and_category
from ..core.timer import Phase, TimerState
from ..core.today import user_timezone
from .icon_painter import IconPainter
from .icon_spec import IconSpec, spec_for
from .menu import TrayMenu
from .no_tray_notice import NoTrayNotice
from .panel_shade import PANEL_ENV, panel_is_dark

log = logging.getLogger(__name__)

TRAY_CHECK_MS = 30_000
# A panel that draws the menu itself (StatusNotifierItem + dbusmenu) may never say it closed it
# (libdbusmenu-gtk3 sends no "closed"): without news from it (an opening, a hovered item), the
# menu is taken as closed after this long, and its live texts stop ticking.
REMOTE_MENU_QUIET_S = 2.0
MINUTE_SLACK_MS = 20  # land just after the minute turns, never just before


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language (context ``TrayController``: see the module docstring)."""
    return QCoreApplication.translate("TrayController", text, disambiguation, n)


class TrayView(QObject):
    """Owns the QSystemTrayIcon: shows the state on it, and watches for a tray when there is none."""

    palette_requested = Signal()  # the no-tray notice's "Start a task…"
    quit_requested = Signal()     # the no-tray notice's "Quit"
    activated = Signal(object)    # QSystemTrayIcon.ActivationReason, from whichever icon is up
    icon_replaced = Signal(object)  # the new QSystemTrayIcon, after a panel appeared or restarted
    minute_ticked = Signal()      # the running icon's minute tick (the tray's poll rides on it)

    def __init__(self, *, clock: Callable[[], float] = time.time, painter: IconPainter | None = None,
                 announce_no_tray: bool = True, tray_icon: QSystemTrayIcon | None = None,
                 shortcut: Callable[[], str] = lambda: "", latest_title: Callable[[], str | None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.state: TimerState = TimerState(phase=Phase.LOADING)
        self.painter = painter or IconPainter()
        self._shortcut = shortcut  # the toggle shortcut, named by the no-tray notice
        self._latest_title = latest_title  # the task a click starts when idle, named by the tooltip
        self._announce_no_tray = announce_no_tray
        self._spec: IconSpec | None = None
        self._dark_panel = panel_is_dark()
        self._template = sys.platform == "darwin"

        # The app may have put an icon up before this module was even imported: adopt it.
        self.tray = tray_icon if tray_icon is not None else QSystemTrayIcon()
        self.tray.setParent(self)
        self.tray.activated.connect(self.activated.emit)
        self.sni_watch: Any = None  # StatusNotifierWatch, on Linux with a session bus
        self.icon_generation = 0     # how many times the icon was created again
        self.menu: TrayMenu | None = None
        self._tray_available: bool | None = None  # known since show(); None before (asked then)

        self.minute_timer = QTimer(self)
        self.minute_timer.setSingleShot(True)
        self.minute_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.minute_timer.timeout.connect(self._on_minute)
        self.second_timer = QTimer(self)
        self.second_timer.setInterval(1000)
        self.second_timer.timeout.connect(self._on_second)
        self.tray_watch = QTimer(self)
        self.tray_watch.setInterval(TRAY_CHECK_MS)
        self.tray_watch.timeout.connect(self._check_tray)

        self.no_tray_notice: NoTrayNotice | None = None
        self._tray_sys: QWidget | None = None
        self._tooltip_pos: QPoint | None = None
        self._menu_open = False
        self._menu_news_at = 0.0  # monotonic: the last sign of life of an open menu
        self._panel_sampled = False
        self._watching_app = False

        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_scheme)

    def set_menu(self, menu: TrayMenu) -> None:
        """The icon's context menu: ticked every second while open."""
        self.menu = menu
        menu.aboutToShow.connect(self._menu_shown)
        menu.aboutToHide.connect(self._menu_hidden)
        menu.hovered.connect(self._menu_news)
        if menu.recent_menu is not None:
            menu.recent_menu.aboutToShow.connect(self._menu_news)
            menu.recent_menu.hovered.connect(self._menu_news)
        self.tray.setContextMenu(menu)

    # -- life cycle ---------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon up (first thing at start-up), or say there is no tray."""
        self.render()
        self.tray.show()
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self._watch_panels()
        if self._tray_available:
            self._hook_tooltip()
        else:
            self._no_tray()

    def tray_available(self) -> bool:
        """Whether a system tray shows the icon (as last found: no X round trip per question)."""
        if self._tray_available is None:
            self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        return self._tray_available

    def shutdown(self) -> None:
        """Stop every timer, take the icon and its menu down, and let go of the icons (before quitting)."""
        for timer in (self.minute_timer, self.second_timer, self.tray_watch):
            timer.stop()
        if self.sni_watch is not None:
            self.sni_watch.close()
            self.sni_watch = None
        if self.no_tray_notice is not None:
            self.no_tray_notice.close()
        if self._tray_sys is not None:
            self._tray_sys.removeEventFilter(self)
            self._tray_sys = None
        if self._watching_app:
            self._watching_app = False
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self.tray.hide()
        self.tray.setContextMenu(None)
        # Let go of the icons now (their engines are Python objects): not in some later garbage
        # collection, whose order Qt's wrappers do not survive.
        self.tray.setIcon(QIcon())
        self._spec = None
        self.painter.clear()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    # -- state -> icon, tooltip, timers -------------------------------------------------------

    def show_state(self, state: TimerState) -> None:
        self.state = state
        self.render()
        if self.menu is not None:
            self.menu.refresh()  # in place: only what changed reaches a panel that shows it

    def render(self) -> None:
        """Set the icon and the tooltip for the state now (the icon only when its look changed)."""
        now = self.now()
        spec = spec_for(self.state, now, dark_panel=self._dark_panel, template=self._template)
        if spec != self._spec:
            self._spec = spec
            self.tray.setIcon(self.painter.icon(spec))  # nothing painted yet: the tray asks for its size
            log.debug("icon -> %s at %.6f", spec.key, time.monotonic())
        self.tray.setToolTip(self.tooltip_text(now))
        self._schedule_minute(now)

    @property
    def icon_spec(self) -> IconSpec | None:
        return self._spec

    def _schedule_minute(self, now: datetime) -> None:
        if self.state.phase in (Phase.RUNNING, Phase.STARTING):
            elapsed = self.state.elapsed(now)
            delay = int((60.0 - elapsed % 60.0) * 1000) + MINUTE_SLACK_MS
            self.minute_timer.start(delay)
        else:
            self.minute_timer.stop()

    def _on_minute(self) -> None:
        self.render()
        self.minute_ticked.emit()

    def _on_second(self) -> None:
        tooltip_live = self._tooltip_pos is not None and QToolTip.isVisible()
        if not tooltip_live:
            self._tooltip_pos = None
        if self._menu_open and not self._menu_still_open():
            self._menu_open = False
            log.debug("tray menu: no news from the panel for %.0f s: taken as closed", REMOTE_MENU_QUIET_S)
        if self._menu_open and self.menu is not None:
            self.menu.tick()
        if tooltip_live:
            text = self.tooltip_text(self.now())
            self.tray.setToolTip(text)
            QToolTip.showText(self._tooltip_pos, text)
        if not self._menu_open and self._tooltip_pos is None:
            self.second_timer.stop()

    def _live(self) -> None:
        if not self.second_timer.isActive():
            self.second_timer.start()

    def _on_scheme(self, *_: Any) -> None:
        dark = panel_is_dark()
        if dark != self._dark_panel:
            self._dark_panel = dark
            self.render()

    def tooltip_text(self, now: datetime) -> str:
        s = self.state
        if s.phase is Phase.SIGNED_OUT:
            lines = [APP_NAME, tr("Signed out: click to sign in")]
            if s.signed_out_reason:
                lines.append(s.signed_out_reason)
            return "\n".join(lines)
        if s.phase is Phase.LOADING:
            lines = [APP_NAME, tr("Loading your timer…")]
        elif s.is_running and s.task is not None:
            lines = [s.task.title]
            extra = team_and_category(s.task)
            if extra:
                lines.append(extra)
            since = s.started_at.astimezone(user_timezone(s.user)).strftime("%H:%M") if s.started_at else ""
            elapsed = format_hms(s.elapsed(now))
            lines.append(tr("%1 (since %2)").replace("%1", elapsed).replace("%2", since) if since else elapsed)
        else:
            latest = self._latest_title()
            lines = [APP_NAME, tr("Not tracking: click to start “%1”").replace("%1", latest) if latest
                     else tr("Not tracking: click to choose a task")]
        if s.offline:
            lines.append(tr("Offline"))
        if s.pending_count:
            lines.append(tr("%n change(s) waiting to be sent", "", s.pending_count))
        if s.last_error:
            lines.append(s.last_error)
        return "\n".join(lines)

    # -- the menu ---------------------------------------------------------------------------------

    def _menu_shown(self) -> None:
        self._menu_open = True
        self._menu_news()
        self.tray.setToolTip(self.tooltip_text(self.now()))
        self._live()

    def _menu_news(self, *_: Any) -> None:
        self._menu_news_at = time.monotonic()

    def _menu_hidden(self) -> None:
        self._menu_open = False

    def _menu_still_open(self) -> bool:
        """Our own popup says so itself (XEmbed, Windows, macOS: ``aboutToHide``); a menu a panel
        draws (dbusmenu) counts as open while the panel gives news of it (see REMOTE_MENU_QUIET_S)."""
        if self.menu is not None and self.menu.isVisible():
            return True
        return time.monotonic() - self._menu_news_at < REMOTE_MENU_QUIET_S

    # -- X11: the tooltip, the panel's colour, painting at once -----------------------------------

    def _hook_tooltip(self) -> None:
        """Qt's X11 tray is a widget: refresh the tooltip when it is asked for, and tick while shown."""
        if self._tray_sys is not None:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.metaObject().className() == "QSystemTrayIconSys":
                self._tray_sys = widget
                widget.installEventFilter(self)
                log.debug("tooltip hooked on the X11 tray icon window")
                return

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._watching_app and event.type() == QEvent.Type.Show and isinstance(obj, QWidget) \
                and obj.metaObject().className() == "QSystemTrayIconSys":
            QTimer.singleShot(0, self, self._check_tray)  # a tray host appeared: Qt docked the icon
        if obj is self._tray_sys:
            if event.type() == QEvent.Type.ToolTip:
                self.tray.setToolTip(self.tooltip_text(self.now()))
                if isinstance(event, QHelpEvent):
                    self._tooltip_pos = event.globalPos()
                    self._live()
            elif event.type() == QEvent.Type.Paint and not self._panel_sampled:
                self._panel_sampled = True
                QTimer.singleShot(0, self, self._sample_panel)
        return super().eventFilter(obj, event)

    def _sample_panel(self) -> None:
        """An X11 tray (XEmbed) says nothing of its colour: look at the panel's pixels above the icon.

        The docked window is taller than the icon (22x30 in a 32 px panel), and its top
        rows show the panel itself, sampled once at its first paint. Only when nothing more authoritative decided it
        (``$TIMECROWD_TRAY_PANEL``, GNOME's always dark bar).
        """
        if self._tray_sys is None or os.environ.get(PANEL_ENV) or "GNOME" in os.environ.get(
                "XDG_CURRENT_DESKTOP", "").upper():
            return
        widget = self._tray_sys
        screen = widget.screen()
        if screen is None:
            return
        # The window's own pixels: the server fills them with the panel (ParentRelative background).
        image = screen.grabWindow(int(widget.winId()), 0, 0, widget.width(), 2).toImage()
        if image.isNull() or image.width() == 0:
            return
        samples = [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]
        luma = sum(0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() for c in samples) / len(samples)
        dark = luma < 0.5
        log.debug("tray panel sampled: luminance %.2f -> %s panel", luma, "dark" if dark else "light")
        if dark != self._dark_panel:
            self._dark_panel = dark
            self.render()

    def paint_now(self) -> None:
        """After a click: paint the new icon now where Qt lets us (X11), before anything else runs."""
        if self._tray_sys is not None and self._tray_sys.isVisible():
            self._tray_sys.repaint()

    # -- no tray ---------------------------------------------------------------------------------

    def _no_tray(self) -> None:
        shortcut = str(self._shortcut() or "")
        notice = NoTrayNotice(shortcut, lambda: self.palette_requested.emit(), lambda: self.quit_requested.emit())
        text = notice.message(shortcut)
        log.warning("no system tray available: %s", text.replace("\n\n", " "))
        print(f"{APP_NAME}: {text}", file=sys.stderr, flush=True)
        if self._announce_no_tray:
            self.no_tray_notice = notice
            notice.destroyed.connect(lambda *_: setattr(self, "no_tray_notice", None))
            notice.show()
        else:
            notice.deleteLater()
        # Qt docks the icon by itself when a tray host appears (its X11 icon window is then shown):
        # watch for that window, and check every 30 s for the other kinds of tray.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            self._watching_app = True
        self.tray_watch.start()

    # -- panels that come, go and restart -------------------------------------------------------

    def _watch_panels(self) -> None:
        """On Linux, follow the StatusNotifierWatcher: Qt registers the icon with it only once."""
        if self.sni_watch is not None or not sys.platform.startswith("linux") or \
                QGuiApplication.platformName() in ("offscreen", "minimal"):
            return
        from ..platform.tray.sni_watch import StatusNotifierWatch, session_bus_configured

        if not session_bus_configured():
            return
        self.sni_watch = StatusNotifierWatch(self)
        self.sni_watch.changed.connect(self._on_panel_changed)

    def _on_panel_changed(self, reason: str) -> None:
        log.info("tray: %s; checking the icon's registration", reason)
        self.sni_watch.check_registered(lambda ok, why=reason: self._registration_known(ok, why))

    def _registration_known(self, registered: bool | None, reason: str) -> None:
        if registered:
            log.info("tray: icon registered with the StatusNotifierWatcher already: nothing to do")
            self._adopt_tray()
            return
        # Not registered (the panel came after the icon, or restarted), or no watcher any more:
        # a new icon registers with the watcher there is, else docks in an XEmbed tray if any.
        self.replace_icon(reason)
        if self.sni_watch is not None:
            self.sni_watch.check_registered(self._report_registration)

    def _report_registration(self, registered: bool | None) -> None:
        if registered:
            log.info("tray: icon registered with the StatusNotifierWatcher (StatusNotifierItem)")
        elif registered is None:
            log.info("tray: no StatusNotifierWatcher; the icon %s",
                     "docks in the XEmbed tray" if QSystemTrayIcon.isSystemTrayAvailable()
                     else "waits for a tray to appear")
        else:
            log.info("tray: the icon is not registered yet; it is created again when a panel registers")
        self._adopt_tray()

    def replace_icon(self, reason: str) -> QSystemTrayIcon:
        """Create the icon again, with the same picture, tooltip and menu (Qt chooses StatusNotifierItem
        or XEmbed, and registers, only when an icon is created)."""
        old = self.tray
        old.activated.disconnect(self.activated.emit)
        old.hide()
        old.setContextMenu(None)
        if self._tray_sys is not None:
            self._tray_sys.removeEventFilter(self)
            self._tray_sys = None
        new = QSystemTrayIcon(self)
        new.setIcon(old.icon())
        new.setToolTip(old.toolTip())
        if self.menu is not None:
            new.setContextMenu(self.menu)
        new.activated.connect(self.activated.emit)
        self.tray = new
        new.show()
        old.setIcon(QIcon())
        old.deleteLater()
        self.icon_generation += 1
        log.info("tray: icon created again (%s)", reason)
        self.icon_replaced.emit(new)
        return new

    def _adopt_tray(self) -> None:
        """The icon shows somewhere now (or not): the no-tray notice and the tooltip hook follow."""
        available = QSystemTrayIcon.isSystemTrayAvailable()
        if available != self._tray_available:
            log.info("tray: a system tray is %s", "available" if available else "gone")
        self._tray_available = available
        if available:
            self._hook_tooltip()
            if self.no_tray_notice is not None:
                self.no_tray_notice.close()

    def _check_tray(self) -> None:
        if self.sni_watch is not None and self.sni_watch.connected and \
                QSystemTrayIcon.isSystemTrayAvailable() and not self._tray_sys_visible():
            # A StatusNotifierWatcher is there, but is our icon registered with it? (Qt says "available"
            # for the watcher alone, even when the icon was created before it and never registered.)
            self.sni_watch.check_registered(lambda ok: self._registration_known(ok, "a system tray appeared"))
            self._stop_tray_watch()
            return
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self._stop_tray_watch()
            log.info("a system tray is available now: the icon is docked (XEmbed)")
            if not self.tray.isVisible():
                self.tray.show()
            self._hook_tooltip()
            if self.no_tray_notice is not None:
                self.no_tray_notice.close()

    def _stop_tray_watch(self) -> None:
        self.tray_watch.stop()
        if self._watching_app:
            self._watching_app = False
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)

    def _tray_sys_visible(self) -> bool:
        """Whether the icon is docked as an XEmbed window (Qt's QSystemTrayIconSys) that shows."""
        return any(w.metaObject().className() == "QSystemTrayIconSys" and w.isVisible()
                   for w in QApplication.topLevelWidgets())

    # -- tests and diagnostics ------------------------------------------------------------------------

    def live_timers(self) -> list[str]:
        """The timers running now (the tests check nothing ticks every second in the background)."""
        names = []
        if self.minute_timer.isActive():
            names.append(f"minute({self.minute_timer.remainingTime()} ms)")
        if self.second_timer.isActive():
            names.append("second")
        if self.tray_watch.isActive():
            names.append("tray-watch")
        return names
