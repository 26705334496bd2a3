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

The tooltip's words are :mod:`.tray_tooltip`'s. X11 work-arounds
(:mod:`.x11_tray_window`): Qt's X11 tray icon is a widget
(``QSystemTrayIconSys``). Its tooltip event refreshes the text and starts the
one-second timer; the panel under it is sampled once for its colour (an
XEmbed tray says nothing of it); and :meth:`TrayView.paint_now` paints a new
icon at once after a click.

On Linux with a session bus the icon is our own StatusNotifierItem
(:class:`.sni_icon.SniTrayIcon`, driven as a QSystemTrayIcon is): its tooltip has a
title and a description, and it registers with every panel that comes. Whether
a tray shows the icon at all (none yet, one that comes late or restarts) is
:mod:`.tray_presence`'s watch; the view puts a QSystemTrayIcon up instead while no
StatusNotifierItem panel is there (:meth:`TrayView.replace_icon`), and goes back
to the item when one comes (:meth:`TrayView.use_sni`). The no-tray notice's buttons
are :attr:`TrayView.palette_requested` and :attr:`TrayView.quit_requested`.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QSystemTrayIcon, QToolTip

from ..core.timer import Phase, TimerState
from . import tray_tooltip
from .icon_painter import IconPainter
from .icon_spec import IconSpec, spec_for
from .menu import TrayMenu
from .no_tray_notice import NoTrayNotice
from .panel_shade import panel_is_dark
from .tray_presence import TrayPresence
from .x11_tray_window import X11TrayWindow

log = logging.getLogger(__name__)

# A panel that draws the menu itself (StatusNotifierItem + dbusmenu) may never say it closed it
# (libdbusmenu-gtk3 sends no "closed"): without news from it (an opening, a hovered item), the
# menu is taken as closed after this long, and its live texts stop ticking.
REMOTE_MENU_QUIET_S = 2.0
MINUTE_SLACK_MS = 20  # land just after the minute turns, never just before


class TrayView(QObject):
    """Owns the QSystemTrayIcon, showing the timer's state on it."""

    palette_requested = Signal()  # the no-tray notice's "Start a task…"
    quit_requested = Signal()     # the no-tray notice's "Quit"
    activated = Signal(object)    # QSystemTrayIcon.ActivationReason, from whichever icon is up
    icon_replaced = Signal(object)  # the new QSystemTrayIcon, after a panel appeared or restarted
    minute_ticked = Signal()      # the running icon's minute tick (the tray's poll rides on it)

    def __init__(self, *, clock: Callable[[], float] = time.time, painter: IconPainter | None = None,
                 announce_no_tray: bool = True, tray_icon: QSystemTrayIcon | None = None,
                 sni: Any = None, shortcut: Callable[[], str] = lambda: "",
                 latest_title: Callable[[], str | None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.state: TimerState = TimerState(phase=Phase.LOADING)
        self.painter = painter or IconPainter()
        self._latest_title = latest_title  # the task a click starts when idle, named by the tooltip
        self._spec: IconSpec | None = None
        self._dark_panel = panel_is_dark()
        self._template = sys.platform == "darwin"

        # Our StatusNotifierItem (SniTrayIcon), on Linux with a session bus: the icon unless told otherwise.
        self.sni = sni
        if sni is not None:
            sni.setParent(self)
            sni.activated.connect(self.activated.emit)
        # The app may have put an icon up before this module was even imported: adopt it.
        self.tray: Any = tray_icon if tray_icon is not None else (sni if sni is not None else QSystemTrayIcon())
        self.tray.setParent(self)
        if self.tray is not sni:
            self.tray.activated.connect(self.activated.emit)
        self.icon_generation = 0     # how many times the icon was created again
        self.menu: TrayMenu | None = None

        self.minute_timer = QTimer(self)
        self.minute_timer.setSingleShot(True)
        self.minute_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.minute_timer.timeout.connect(self._on_minute)
        self.second_timer = QTimer(self)
        self.second_timer.setInterval(1000)
        self.second_timer.timeout.connect(self._on_second)

        self.x11_window = X11TrayWindow(self)
        self.x11_window.tooltip_asked.connect(self._on_tooltip_asked)
        self.x11_window.panel_sampled.connect(self._on_panel_sampled)
        self.presence = TrayPresence(icon=lambda: self.tray, replace_icon=self.replace_icon,
                                     hook_window=self._hook_x11_window, shortcut=shortcut,
                                     announce_no_tray=announce_no_tray,
                                     on_palette=lambda: self.palette_requested.emit(),
                                     on_quit=lambda: self.quit_requested.emit(), sni=sni,
                                     use_sni=self.use_sni, parent=self)
        self.tray_watch = self.presence.tray_watch  # its 30 s check, while there is no tray

        self._tooltip_pos: QPoint | None = None
        self._menu_open = False
        self._menu_news_at = 0.0  # monotonic: the last sign of life of an open menu

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
        if self.sni is not None:
            self.sni.setContextMenu(menu)  # exported before the item registers, whichever icon shows now

    # -- life cycle ---------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon up (first thing at start-up), or say there is no tray."""
        self.render()
        self.tray.show()
        self.presence.start()

    def tray_available(self) -> bool:
        """Whether a system tray shows the icon (as last found: no X round trip per question)."""
        return self.presence.tray_available()

    @property
    def no_tray_notice(self) -> NoTrayNotice | None:
        """The no-tray notice while it shows, else None."""
        return self.presence.no_tray_notice

    def shutdown(self) -> None:
        """Stop every timer, take the icon and its menu down, and let go of the icons (before quitting)."""
        for timer in (self.minute_timer, self.second_timer):
            timer.stop()
        self.presence.close()
        self.x11_window.release()
        self.tray.hide()
        self.tray.setContextMenu(None)
        if self.sni is not None:
            self.sni.close()  # off the bus: the panel drops the item
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
        """The tooltip for the state shown, at ``now``."""
        return tray_tooltip.tooltip_text(self.state, now, self._latest_title)

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

    def _on_tooltip_asked(self, pos: QPoint | None) -> None:
        """The X11 icon's tooltip is about to show: fresh text, ticking while it shows."""
        self.tray.setToolTip(self.tooltip_text(self.now()))
        if pos is not None:
            self._tooltip_pos = pos
            self._live()

    def _on_panel_sampled(self, dark: bool) -> None:
        if dark != self._dark_panel:
            self._dark_panel = dark
            self.render()

    def _hook_x11_window(self) -> None:
        """Hook the docked icon's X11 window. Qt deletes that window when the XEmbed tray goes away
        (and makes a new one for the next tray): the hook then lets go of it."""
        known = self.x11_window.window
        self.x11_window.hook()
        window = self.x11_window.window
        if window is not None and window is not known:
            window.destroyed.connect(self._x11_window_destroyed)

    def _x11_window_destroyed(self, *_: Any) -> None:
        self.x11_window.window = None  # already gone with its event filter: nothing to release

    def paint_now(self) -> None:
        """After a click: paint the new icon now where Qt lets us (X11), before anything else runs."""
        self.x11_window.repaint_now()

    # -- the icon, created again ----------------------------------------------------------------

    def replace_icon(self, reason: str) -> QSystemTrayIcon:
        """A new QSystemTrayIcon, with the same picture, tooltip and menu (Qt chooses XEmbed, or its own
        StatusNotifierItem, only when an icon is created). Our item stays on the bus meanwhile: it
        registers with the next watcher by itself."""
        new = QSystemTrayIcon(self)
        new.setIcon(self.tray.icon())
        new.setToolTip(self.tray.toolTip())
        if self.menu is not None:
            new.setContextMenu(self.menu)
        new.activated.connect(self.activated.emit)
        self._switch_to(new, f"tray: icon created again ({reason})")
        return new

    def use_sni(self, reason: str) -> None:
        """Show through our StatusNotifierItem again (a watcher lists it): the QSystemTrayIcon goes."""
        if self.sni is not None and self.tray is not self.sni:
            self._switch_to(self.sni, f"tray: the icon shows as our StatusNotifierItem again ({reason})")

    def _switch_to(self, new: Any, said: str) -> None:
        """``new`` is the icon from now on; a QSystemTrayIcon that was up goes (our item, which keeps its
        menu, stays on the bus for the next watcher)."""
        old = self.tray
        if old is not self.sni:
            old.activated.disconnect(self.activated.emit)
            old.hide()
            old.setContextMenu(None)
        self.x11_window.release()
        self.tray = new
        if new is self.sni:
            self._spec = None
            self.render()  # it was not kept up to date while the other icon showed
        new.show()
        if old is not self.sni:
            old.setIcon(QIcon())
            old.deleteLater()
        self.icon_generation += 1
        log.info("%s", said)
        self.icon_replaced.emit(new)

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
