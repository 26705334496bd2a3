"""The tray icon's controller: shows the timer's state, turns clicks into the service's intents.

Clicks:

* left click: running -> stop (then the comment dialog, with the
  ``comment_on_stop`` setting); idle -> start the most recent task (the task
  of my latest entry; the palette when there is none yet);
* middle click: the task palette. (Not the double click: the first click of
  a double click already starts or stops the timer on every platform, so a
  double click would both toggle and open the palette.)
* right click: the menu (:mod:`.menu`).

Repaints: the icon only changes with the state and, while running, once a
minute (a single-shot timer aligned to the next whole minute of the elapsed
time, for the ring). A one-second timer runs only while the menu is open or
(on X11, where Qt lets us see it) the tooltip is shown: no per-second wake-up
otherwise. The tooltip's ``H:MM:SS`` is therefore exact when it is refreshed:
at each minute, on every state change, when the menu opens, and on hover
where the platform delivers the tooltip event (Qt's own X11 tray; a
StatusNotifierItem host reads the text Qt stored, up to a minute old). The
menu header is always live.

Without a system tray (GNOME without the AppIndicator extension) the
controller says so once (a small window, standard error and the log), keeps
working through the global shortcut and the shell commands, and the icon
docks by itself once a tray appears (Qt docks an icon whose ``show()`` was
called when a tray host arrives). The controller notices at once on X11 (the
icon's window is shown) and checks every 30 seconds otherwise.

``toggle()``, ``open_palette()`` and ``stop_with_comment()`` are the hooks
for the global shortcuts and the shell commands (:mod:`.controls`).

A click does the least it can before returning to the event loop: the service
records the intent and the new icon is set (painted lazily, one size) and, on
X11, painted at once; the notification comes from a 0 ms single shot, and the
comment dialog :data:`COMMENT_AFTER_MS` later, once the service's request is on
the wire (the request needs a few turns of the loop, and Qt would run a 0 ms
single shot before them).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QHelpEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..core.durations import format_hms
from ..core.models import Category, Task
from ..core.timer import Phase, TimerState
from ..services import events as ev
from .icon_painter import PANEL_ENV, IconPainter, IconSpec, panel_is_dark, spec_for
from .menu import TrayMenu, team_and_category
from .notifier import Notifier
from .service_bridge import ServiceBridge

log = logging.getLogger(__name__)

TRAY_CHECK_MS = 30_000
MINUTE_SLACK_MS = 20  # land just after the minute turns, never just before
COMMENT_AFTER_MS = 15  # the comment dialog after a stop: once its request is on the wire


class NoTrayNotice(QWidget):
    """Said once when there is no system tray: what that means and how to get one."""

    def __init__(self, shortcut: str, on_palette: Callable[[], None], on_quit: Callable[[], None]) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("noTrayNotice")
        self.setWindowTitle(self.tr("No system tray - TimeCrowd Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        text = QLabel(self.message(shortcut))
        text.setObjectName("noTrayText")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        palette = QPushButton(self.tr("Start a task…"))
        palette.clicked.connect(on_palette)
        buttons.addWidget(palette)
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.clicked.connect(on_quit)
        buttons.addWidget(quit_button)
        ok = QPushButton(self.tr("OK"))
        ok.setDefault(True)
        ok.clicked.connect(self.close)
        buttons.addWidget(ok)
        layout.addLayout(buttons)
        self.setMaximumWidth(520)

    def message(self, shortcut: str) -> str:
        return self.tr(
            "No system tray was found, so the TimeCrowd Tray icon cannot be shown yet.\n\n"
            "On GNOME, install and enable the “AppIndicator and KStatusNotifierItem Support” extension "
            "(Debian and Ubuntu: the gnome-shell-extension-appindicator package), then log in again.\n\n"
            "TimeCrowd Tray keeps running meanwhile: start and stop the timer with the shortcut %1 or the "
            "command “timecrowd-tray toggle”. The icon appears by itself as soon as a tray is there."
        ).replace("%1", shortcut or "—")


class TrayController(QObject):
    """Owns the QSystemTrayIcon, its menu, the dialogs and the palette."""

    sign_in_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    settings_changed = Signal(dict)   # {key: new value}, after the settings dialog saved them
    comment_dialog_shown = Signal(object)  # CommentDialog

    def __init__(self, settings: Any, *, clock: Callable[[], float] = time.time,
                 painter: IconPainter | None = None, open_url: Callable[[str], Any] | None = None,
                 announce_no_tray: bool = True, tray_icon: QSystemTrayIcon | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.clock = clock
        self.service: Any = None
        self.bridge: ServiceBridge | None = None
        self.state: TimerState = TimerState(phase=Phase.LOADING)
        self.painter = painter or IconPainter()
        self._open_url = open_url or (lambda url: QDesktopServices.openUrl(QUrl(url)))
        self._announce_no_tray = announce_no_tray
        self._spec: IconSpec | None = None
        self._dark_panel = panel_is_dark()
        self._template = sys.platform == "darwin"

        # The app may have put an icon up before this module was even imported: adopt it.
        self.tray = tray_icon if tray_icon is not None else QSystemTrayIcon()
        self.tray.setParent(self)
        self.menu = TrayMenu(self)
        self.menu.aboutToShow.connect(self._menu_shown)
        self.menu.aboutToHide.connect(self._menu_hidden)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._on_activated)
        self._tray_available: bool | None = None  # known since show(); None before (asked then)
        self.notifier = Notifier(self.tray, lambda: bool(self.settings.get("notifications")), self,
                                 tray_available=self.tray_available)

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

        self.palette: Any = None           # Palette, built on first use
        self._palette_dirty = True
        self._last_destination: Any = None
        self.comment_dialogs: list[Any] = []
        self.settings_dialog: Any = None
        # The global shortcuts' problems ({"toggle": text}), for the settings dialog; set by the app.
        self.shortcut_problems: Callable[[], dict[str, str]] | None = None
        self.no_tray_notice: NoTrayNotice | None = None
        self._tray_sys: QWidget | None = None
        self._tooltip_pos: QPoint | None = None
        self._menu_open = False
        self._panel_sampled = False
        self._watching_app = False

        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_scheme)

    # -- life cycle ---------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon up (first thing at start-up), or say there is no tray."""
        self._render()
        self.tray.show()
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self._hook_tooltip()
        else:
            self._no_tray()

    def tray_available(self) -> bool:
        """Whether a system tray shows the icon (as last found: no X round trip per question)."""
        if self._tray_available is None:
            self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        return self._tray_available

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
        for timer in (self.minute_timer, self.second_timer, self.tray_watch):
            timer.stop()
        for dialog in list(self.comment_dialogs):
            dialog.close()
        if self.palette is not None:
            self.palette.close_palette()
            self.palette.deleteLater()
            self.palette = None
        if self.settings_dialog is not None:
            self.settings_dialog.close()
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
        self.detach()
        self.tray.hide()
        self.tray.setContextMenu(None)
        self.menu.deleteLater()
        # Let go of the icons now (their engines are Python objects): not in some later garbage
        # collection, whose order Qt's wrappers do not survive.
        self.tray.setIcon(QIcon())
        self._spec = None
        self.painter.clear()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=timezone.utc)

    # -- state -> icon, tooltip, timers -------------------------------------------------------

    def _on_state(self, state: TimerState) -> None:
        self.state = state
        self._render()
        if self._menu_open:
            self.menu.tick()

    def show_state(self, state: TimerState) -> None:
        """Display ``state`` without a service (start-up, before the service is attached)."""
        self._on_state(state)

    def _render(self) -> None:
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
        self._render()

    def _on_second(self) -> None:
        tooltip_live = self._tooltip_pos is not None and QToolTip.isVisible()
        if not tooltip_live:
            self._tooltip_pos = None
        if self._menu_open:
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
            self._render()

    def tooltip_text(self, now: datetime) -> str:
        s = self.state
        if s.phase is Phase.SIGNED_OUT:
            lines = [APP_NAME, self.tr("Signed out: click to sign in")]
            if s.signed_out_reason:
                lines.append(s.signed_out_reason)
            return "\n".join(lines)
        if s.phase is Phase.LOADING:
            lines = [APP_NAME, self.tr("Loading your timer…")]
        elif s.is_running and s.task is not None:
            lines = [s.task.title]
            extra = team_and_category(s.task)
            if extra:
                lines.append(extra)
            since = s.started_at.astimezone().strftime("%H:%M") if s.started_at else ""
            elapsed = format_hms(s.elapsed(now))
            lines.append(self.tr("%1 (since %2)").replace("%1", elapsed).replace("%2", since) if since else elapsed)
        else:
            lines = [APP_NAME, self.tr("Not tracking: click to start the latest task")]
        if s.offline:
            lines.append(self.tr("Offline"))
        if s.pending_count:
            lines.append(self.tr("%n change(s) waiting to be sent", "", s.pending_count))
        if s.last_error:
            lines.append(s.last_error)
        return "\n".join(lines)

    # -- the tooltip on X11 ----------------------------------------------------------------------

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
        import os

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
            self._render()

    # -- no tray ---------------------------------------------------------------------------------

    def _no_tray(self) -> None:
        shortcut = str(self.settings.get("hotkey.toggle") or "")
        notice = NoTrayNotice(shortcut, self.open_palette, self.quit)
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

    def _check_tray(self) -> None:
        self._tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if self._tray_available:
            self.tray_watch.stop()
            if self._watching_app:
                self._watching_app = False
                app = QApplication.instance()
                if app is not None:
                    app.removeEventFilter(self)
            log.info("a system tray is available now: the icon is docked")
            if not self.tray.isVisible():
                self.tray.show()
            self._hook_tooltip()
            if self.no_tray_notice is not None:
                self.no_tray_notice.close()

    # -- clicks ----------------------------------------------------------------------------------

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.open_palette()

    def _menu_shown(self) -> None:
        self._menu_open = True
        self.tray.setToolTip(self.tooltip_text(self.now()))
        if self.service is not None:
            self.service.request_refresh()
        self._live()

    def _menu_hidden(self) -> None:
        self._menu_open = False

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
        self._paint_now()
        ask = bool(self.settings.get("comment_on_stop")) if with_comment is None else with_comment

        self._later(lambda: self.notifier.stopped(stopped.task.title, stopped.duration))
        if ask:
            service = self.service

            def comment() -> None:
                if self.service is service:  # not signed out, detached or shut down meanwhile
                    self.ask_comment(stopped)

            # Not a 0 ms single shot: Qt runs those before the loop's other timers, so the
            # dialog (its window, its first paint) would go before the request it follows.
            QTimer.singleShot(COMMENT_AFTER_MS, self, comment)
        return result

    def stop_with_comment(self) -> Any:
        return self.stop(with_comment=True)

    def start_task(self, task: Task) -> Any:
        if not self._signed_in():
            return None
        result = self.service.request_start(task)
        if result.recorded:
            self._paint_now()
            self._later(lambda: self.notifier.started(task.title))
        return result

    def create_task(self, title: str, destination: Any) -> Any:
        if not self._signed_in():
            return None
        self._last_destination = destination
        category = destination.category
        result = self.service.request_create_task(title, destination.team.id, category.id if category else None)
        if result.recorded:
            self._paint_now()
            self._later(lambda: self.notifier.started(title.strip()))
        return result

    def _paint_now(self) -> None:
        """After a click: paint the new icon now where Qt lets us (X11), before anything else runs."""
        if self._tray_sys is not None and self._tray_sys.isVisible():
            self._tray_sys.repaint()

    def _later(self, work: Callable[[], None]) -> None:
        """Run ``work`` from the event loop (a 0 ms single shot), after the click's handler."""
        QTimer.singleShot(0, self, work)

    def sync_now(self) -> None:
        if self.service is not None:
            self.service.notify_network_changed(True)

    def sign_in(self) -> None:
        self.sign_in_requested.emit()

    def sign_out(self) -> None:
        self.sign_out_requested.emit()

    def quit(self) -> None:
        self.quit_requested.emit()  # the app closes the service, then quits

    def browser_url(self) -> str | None:
        if self.state.html_url:
            return self.state.html_url
        user = self.state.user
        return user.html_url if user is not None and user.html_url else None

    def open_in_browser(self) -> None:
        url = self.browser_url()
        if url:
            self._open_url(url)

    # -- what the menu shows -----------------------------------------------------------------------

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

    # -- comment dialog ----------------------------------------------------------------------------

    def ask_comment(self, stopped: Any) -> Any:
        from .comment_dialog import CommentDialog

        service = self.service
        dialog = CommentDialog(stopped.task.title, stopped.task.team_name, stopped.duration,
                               save=lambda text: service.comment(stopped.ref, text))
        self.comment_dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.comment_dialogs.remove(dialog)
                                 if dialog in self.comment_dialogs else None)
        geometry = self.tray.geometry()
        dialog.popup(geometry if geometry.isValid() and not geometry.isEmpty() else None)
        self.comment_dialog_shown.emit(dialog)
        return dialog

    # -- palette -------------------------------------------------------------------------------------

    def open_palette(self) -> Any:
        if not self._signed_in():
            return None
        from .palette import Palette

        if self.palette is None:
            service = self.service
            self.palette = Palette(search=lambda q: service.search_tasks(q))
            self.palette.task_chosen.connect(self.start_task)
            self.palette.create_requested.connect(self.create_task)
            self._palette_dirty = True
        if self._palette_dirty:
            self.palette.set_tasks(self.service.cached_tasks)  # most recent first: recent_tasks is its head
            self._palette_dirty = False
        self.palette.set_destinations(self.destinations(), preferred=self._last_destination)
        self.palette.popup()
        return self.palette

    def destinations(self) -> list[Any]:
        """Where a new task can go: each team I may create tasks in, bare and with each known category."""
        from .palette import Destination

        user = self.state.user
        if user is None:
            return []
        categories: dict[int, dict[int, Category]] = {}
        for task in self.service.cached_tasks if self.service is not None else []:
            if task.category is not None and task.team_id is not None:
                categories.setdefault(task.team_id, {}).setdefault(task.category.id, task.category)
        latest = self.latest_task()
        teams = sorted(user.teams, key=lambda t: (latest is None or t.id != latest.team_id))
        out = []
        for team in teams:
            if team.tasks_readonly:
                continue
            out.append(Destination(team))
            for category in sorted(categories.get(team.id, {}).values(), key=lambda c: c.title):
                out.append(Destination(team, category))
        return out

    # -- settings ---------------------------------------------------------------------------------------

    def show_settings(self) -> Any:
        from .comment_dialog import take_focus
        from .settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.show()
            take_focus(self.settings_dialog, self.settings_dialog)
            return self.settings_dialog
        dialog = SettingsDialog(self.settings, shortcut_problems=self._shortcut_problems())
        dialog.settings_changed.connect(self._settings_saved)
        dialog.destroyed.connect(lambda *_: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.show()
        take_focus(dialog, dialog.api_base)
        return dialog

    def _shortcut_problems(self) -> dict[str, str]:
        if self.shortcut_problems is None:
            return {}
        try:
            return dict(self.shortcut_problems())
        except Exception:  # never let this keep the dialog from opening
            log.exception("reading the shortcuts' problems")
            return {}

    def _settings_saved(self, changed: dict) -> None:
        if "poll_interval" in changed and self.service is not None:
            self.service.set_poll_interval(float(changed["poll_interval"]))
        self.settings_changed.emit(changed)

    def retranslate(self) -> None:
        """The language changed: texts built ahead of time are built again."""
        if self.palette is not None:
            self.palette.deleteLater()
            self.palette = None
        self._render()

    # -- events ----------------------------------------------------------------------------------------

    def _on_event(self, event: object) -> None:
        if isinstance(event, ev.RecentTasksChanged):
            self._palette_dirty = True
            return
        self.notifier.handle(event)

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

