"""The tray's actions: what a click, a menu item, a shortcut or a shell command does.

Clicks:

* left click: running -> stop (then the comment dialog, with the
  ``comment_on_stop`` setting); idle -> start the most recent task (the task
  of my latest entry; the palette when there is none yet);
* middle click: the task palette. (Not the double click: the first click of
  a double click already starts or stops the timer on every platform, so a
  double click would both toggle and open the palette.)
* right click: the menu (:mod:`.menu`, over this controller as its
  :class:`~.menu.MenuModel`).

:class:`TrayController` follows the service (:meth:`~TrayController.attach`)
and turns each gesture into the service's intent. It owns the icon's view
(:class:`.tray_view.TrayView`: the icon and its tooltip drawn from the state,
the X11 work-arounds, the watch for a tray to appear), the menu, the
notifications, the comment dialogs, the palette and the settings dialog (those
windows are opened by :mod:`.tray_windows`, a mixin of this class). Where a new
task can go is decided by :mod:`timecrowd_tray.core.destinations`.

``toggle()``, ``open_palette()`` and ``stop_with_comment()`` are the hooks
for the global shortcuts and the shell commands (:mod:`.controls`).

:attr:`TrayController.demo_server` is the demo emulator's URL in demo mode (set by the
app), else None: the menu then says it is the demo, and "Open in TimeCrowd" is off (the
entries' pages are on the real site, which knows nothing of the demo's data). A page the
browser cannot open (``open_url`` returns False) is notified, with its address.

A click does the least it can before returning to the event loop: the service
records the intent and the new icon is set (painted lazily, one size) and, on
X11, painted at once; the notification comes from a 0 ms single shot, and the
comment dialog :data:`COMMENT_AFTER_MS` later, once the service's request is on
the wire (the request needs a few turns of the loop, and Qt would run a 0 ms
single shot before them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QSystemTrayIcon

from ..core.models import Task
from ..core.timer import Phase, TimerState
from ..services import events as ev
from .icon_painter import IconPainter
from .icon_spec import IconSpec
from .menu import TrayMenu
from .no_tray_notice import NoTrayNotice
from .notifier import Notifier
from .service_bridge import ServiceBridge
from .tray_view import TrayView
from .tray_windows import TrayWindows

log = logging.getLogger(__name__)

COMMENT_AFTER_MS = 15  # the comment dialog after a stop: once its request is on the wire
MINUTE_POLL_AGE_S = 50.0  # the minute tick polls unless the server answered this recently


class TrayController(QObject, TrayWindows):
    """The tray's actions, over its view; owns the menu, the dialogs and the palette (:mod:`.tray_windows`)."""

    sign_in_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    settings_changed = Signal(dict)   # {key: new value}, after the settings dialog saved them
    comment_dialog_shown = Signal(object)  # CommentDialog

    def __init__(self, settings: Any, *, clock: Callable[[], float] = time.time,
                 painter: IconPainter | None = None, open_url: Callable[[str], Any] | None = None,
                 announce_no_tray: bool = True, tray_icon: QSystemTrayIcon | None = None,
                 sni: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.clock = clock
        self.service: Any = None
        self.bridge: ServiceBridge | None = None
        self.state: TimerState = TimerState(phase=Phase.LOADING)
        # Demo mode: the URL of the built-in emulator the app is connected to (set by the app), else None.
        self.demo_server: str | None = None
        self._open_url = open_url or (lambda url: QDesktopServices.openUrl(QUrl(url)))
        # Away time (issue #15; set by the app): the time the running timer is shown at (when the user
        # left, while the away prompt waits), and the question asked before Quit or Sign out while a
        # timer runs: confirm_leave("quit" | "sign_out", go_on).
        self.shown_time: Callable[[float], float] | None = None
        self.confirm_leave: Callable[[str, Callable[[], None]], None] | None = None

        self.view = TrayView(clock=self._shown_clock, painter=painter, announce_no_tray=announce_no_tray,
                             tray_icon=tray_icon, sni=sni,
                             shortcut=lambda: str(self.settings.get("hotkey.toggle") or ""),
                             latest_title=self._latest_title, parent=self)
        self.view.palette_requested.connect(self.open_palette)
        self.view.quit_requested.connect(self.quit)
        # The view's parts the app and the tests reach through the controller.
        self.painter = self.view.painter
        self.minute_timer = self.view.minute_timer
        self.second_timer = self.view.second_timer
        self.tray_watch = self.view.tray_watch

        self.menu = TrayMenu(self)
        self.view.set_menu(self.menu)
        self.menu.aboutToShow.connect(self._menu_shown)
        self.view.activated.connect(self._on_activated)
        self.view.minute_ticked.connect(self._on_minute_tick)
        self.notifier = Notifier(lambda: self.view.tray, lambda: bool(self.settings.get("notifications")), self,
                                 tray_available=self.view.tray_available)

        self.palette: Any = None           # Palette, built on first use
        self._palette_dirty = True
        self._last_destination: Any = None
        self.comment_dialogs: list[Any] = []
        self.entries_window: Any = None    # EntriesWindow, built on first use
        self.pending_window: Any = None    # PendingWindow, built on first use
        self.settings_dialog: Any = None
        # The global shortcuts' problems ({"toggle": text}), for the settings dialog; set by the app.
        self.shortcut_problems: Callable[[], dict[str, str]] | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon up (first thing at start-up), or say there is no tray."""
        self.view.show()

    def attach(self, service: Any) -> None:
        """Follow ``service`` (a TimerService): its state, events and actions."""
        self.detach()
        self.service = service
        self.bridge = ServiceBridge(service, self)
        self.bridge.state_changed.connect(self._on_state)
        self.bridge.event.connect(self._on_event)
        self._palette_dirty = True
        self._on_state(service.state)

    def detach(self) -> None:
        if self.bridge is not None:
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None
        self.service = None

    def shutdown(self) -> None:
        """Hide everything, stop every timer and let go of the windows (before quitting)."""
        for dialog in list(self.comment_dialogs):
            dialog.close()
        if self.palette is not None:
            self.palette.close_palette()
            self.palette.deleteLater()
            self.palette = None
        if self.settings_dialog is not None:
            self.settings_dialog.close()
        for window in (self.entries_window, self.pending_window):
            if window is not None:
                getattr(window, "shutdown", window.close)()
                window.deleteLater()
        self.entries_window = self.pending_window = None
        self.detach()
        self.view.shutdown()
        self.menu.deleteLater()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._shown_clock(), tz=UTC)

    def _shown_clock(self) -> float:
        now = self.clock()
        return self.shown_time(now) if self.shown_time is not None else now

    def _on_state(self, state: TimerState) -> None:
        self.state = state
        self.view.show_state(state)
        if self.pending_window is not None and self.pending_window.isVisible():
            self.pending_window.refresh()

    def show_state(self, state: TimerState) -> None:
        """Display ``state`` without a service (start-up, before the service is attached)."""
        self._on_state(state)

    # -- the view, as the app and the tests read it -------------------------------------------

    @property
    def tray(self) -> Any:
        """The icon up now (the view creates it again when a panel appears or restarts)."""
        return self.view.tray

    @property
    def icon_spec(self) -> IconSpec | None:
        return self.view.icon_spec

    @property
    def no_tray_notice(self) -> NoTrayNotice | None:
        return self.view.no_tray_notice

    def live_timers(self) -> list[str]:
        """The timers running now (the tests check nothing ticks every second in the background)."""
        return self.view.live_timers()

    # -- clicks ----------------------------------------------------------------------------------

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.open_palette()

    def _menu_shown(self) -> None:
        if self.service is not None:
            self.service.request_refresh()

    def _on_minute_tick(self) -> None:
        """While a timer runs, the poll rides on the icon's minute tick: one wake-up for both (issue #16)."""
        if self.service is not None:
            self.service.request_refresh(max_age=MINUTE_POLL_AGE_S)

    # -- intents (public: the menu, the shortcuts and the shell commands call these) ------------

    def _signed_in(self) -> bool:
        if self.service is None or self.state.phase is Phase.SIGNED_OUT:
            self.sign_in()
            return False
        return True

    # Each returns what the service did (an ActionResult: recorded, or refused and why), or None
    # when nothing was asked of it (the sign-in window or the palette opened instead).

    def toggle(self) -> Any:
        """Running: stop (and ask for a comment). Idle: start the latest task, or open the palette."""
        if not self._signed_in():
            return None
        if self.state.is_running:
            return self.stop()
        # Loading too (offline at start-up): the start is queued with the time of the click.
        latest = self.latest_task()
        if latest is None:
            self.open_palette()
            return None
        return self.start_task(latest)

    def stop(self, with_comment: bool | None = None) -> Any:
        """Stop what runs; ask for a comment (``None``: as the ``comment_on_stop`` setting says)."""
        if not self._signed_in():
            return None
        result = self.service.request_stop()
        stopped = result.stopped
        if stopped is None:
            return result
        self.view.paint_now()
        ask = bool(self.settings.get("comment_on_stop")) if with_comment is None else with_comment

        self._later(lambda: self.notifier.stopped(stopped.task.title, stopped.duration))
        if ask:
            self._comment_later(stopped)
        return result

    def _comment_later(self, stopped: Any) -> None:
        """The comment dialog for ``stopped`` (a stop, or a start that switched), once its request is out."""
        service = self.service

        def comment() -> None:
            if self.service is service:  # not signed out, detached or shut down meanwhile
                self.ask_comment(stopped)

        # Not a 0 ms single shot: Qt runs those before the loop's other timers, so the
        # dialog (its window, its first paint) would go before the request it follows.
        QTimer.singleShot(COMMENT_AFTER_MS, self, comment)

    def _comment_on_switch(self, result: Any) -> None:
        """A start that ended the running entry asks for its comment as a stop does (``comment_on_stop``)."""
        stopped = getattr(result, "stopped", None)
        if stopped is not None and bool(self.settings.get("comment_on_stop")):
            self._comment_later(stopped)

    def stop_with_comment(self) -> Any:
        return self.stop(with_comment=True)

    def start_task(self, task: Task) -> Any:
        if not self._signed_in():
            return None
        result = self.service.request_start(task)
        if result.recorded:
            self.view.paint_now()
            self._later(lambda: self.notifier.started(task.title))
            self._comment_on_switch(result)
        return result

    def create_task(self, title: str, destination: Any) -> Any:
        if not self._signed_in():
            return None
        self._last_destination = destination
        category = destination.category
        result = self.service.request_create_task(title, destination.team.id, category.id if category else None)
        if result.recorded:
            self.view.paint_now()
            self._later(lambda: self.notifier.started(title.strip()))
            self._comment_on_switch(result)
        return result

    def _later(self, work: Callable[[], None]) -> None:
        """Run ``work`` from the event loop (a 0 ms single shot), after the click's handler."""
        QTimer.singleShot(0, self, work)

    def sync_now(self) -> None:
        if self.service is not None:
            self.service.notify_network_changed(True)

    def sign_in(self) -> None:
        self.sign_in_requested.emit()

    def sign_out(self) -> None:
        if self.confirm_leave is not None and self.state.is_running:
            self.confirm_leave("sign_out", self.sign_out_requested.emit)
            return
        self.sign_out_requested.emit()

    def quit(self) -> None:
        if self.confirm_leave is not None and self.state.is_running:
            self.confirm_leave("quit", self.quit_requested.emit)
            return
        self.quit_requested.emit()  # the app closes the service, then quits

    def browser_url(self) -> str | None:
        """The web page of what runs (else of the account); None in demo mode, which has no web pages."""
        if self.demo_server is not None:
            return None
        if self.state.html_url:
            return self.state.html_url
        user = self.state.user
        return user.html_url if user is not None and user.html_url else None

    def open_in_browser(self) -> None:
        url = self.browser_url()
        if url:
            self.open_url(url)

    def open_url(self, url: str) -> bool:
        """Open ``url`` in the browser; when it cannot be (no browser), say so in a notification."""
        if self._open_url(url) is False:
            log.warning("no browser could open a page")
            self.notifier.page_not_opened(url)
            return False
        return True

    # -- what the menu shows -----------------------------------------------------------------------

    def _latest_title(self) -> str | None:
        latest = self.latest_task()
        return latest.title if latest is not None else None

    def latest_task(self) -> Task | None:
        tasks = self.recent_tasks()
        return tasks[0] if tasks else None

    def recent_tasks(self) -> list[Task]:
        return list(self.service.recent_tasks) if self.service is not None else []

    def today_total(self, now: datetime | None = None) -> float:
        if self.service is None:
            return 0.0
        try:
            return float(self.service.today_total(now or self.now()))
        except Exception:  # never let a sum break the menu
            log.exception("today's total")
            return 0.0

    # -- events ----------------------------------------------------------------------------------------

    def _on_event(self, event: object) -> None:
        if isinstance(event, ev.RecentTasksChanged):
            self._palette_dirty = True
            self.view.render()  # the idle tooltip names the task a click starts: it may be another now
            return
        self.notifier.handle(event)
