"""The tray's context menu, rebuilt from the current state each time it opens.

While it is open, the header's elapsed time and today's total tick every
second (the tray view's one-second timer runs only then).

Layout (running)::

    ● Task title                    (header)
      0:42:13 · Team · Category     (header, live)
    ─────────
    Stop
    Stop with comment…
    Start…                          (the palette)
    Recent tasks ▸                  (up to 10, "Title — Team"; a click switches)
    ─────────
    Today: 3:25
    Open in TimeCrowd
    Pending changes (2)             (only while the outbox is not empty)
    ─────────
    Settings…
    Sign out
    Quit

Idle: "Not tracking" and "Start “latest task”" instead of the header and Stop.
Signed out: "Sign in…", Settings and Quit.

Demo mode (the model's ``demo_server`` is the emulator's URL): a line under the header
says so, "Open in TimeCrowd" is disabled with a tooltip (the demo has no web pages), and
signed out, "Sign in to the demo" (it signs in again at once).

The menu reads and calls a :class:`MenuModel` (the tray's actions,
:class:`~timecrowd_tray.ui.tray.TrayController`, are one): what it shows comes
from there, and each item calls one of its actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..core.durations import format_hm, format_hms
from ..core.labels import team_and_category
from ..core.models import Task
from ..core.timer import Phase, TimerState

MAX_TITLE = 60


class MenuModel(Protocol):
    """What the menu reads (the state, the recent tasks, today's total) and the actions it calls."""

    state: TimerState
    demo_server: str | None  # demo mode: the built-in emulator's URL

    def now(self) -> datetime: ...
    def latest_task(self) -> Task | None: ...
    def recent_tasks(self) -> list[Task]: ...
    def today_total(self, now: datetime | None = None) -> float: ...
    def browser_url(self) -> str | None: ...

    # The actions (what they return is not the menu's business).
    def stop(self) -> Any: ...
    def stop_with_comment(self) -> Any: ...
    def start_task(self, task: Task) -> Any: ...
    def open_palette(self) -> Any: ...
    def open_in_browser(self) -> None: ...
    def sync_now(self) -> None: ...
    def show_settings(self) -> Any: ...
    def sign_in(self) -> None: ...
    def sign_out(self) -> None: ...
    def quit(self) -> None: ...


def menu_text(text: str, limit: int = MAX_TITLE) -> str:
    """User data as a menu label: '&' shown as itself (not a mnemonic), long titles cut."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("&", "&&")


class TrayMenu(QMenu):
    def __init__(self, model: MenuModel) -> None:
        super().__init__()
        self.setObjectName("trayMenu")
        self._model = model
        self.header_title: QAction | None = None
        self.header_detail: QAction | None = None
        self.today_action: QAction | None = None
        self.recent_menu: QMenu | None = None
        self.setToolTipsVisible(True)  # "Open in TimeCrowd" disabled in demo mode says why
        self.aboutToShow.connect(self.rebuild)

    # -- building ---------------------------------------------------------------------------

    def rebuild(self) -> None:
        c = self._model
        state = c.state
        now = c.now()
        self.clear()
        self.header_title = self.header_detail = self.today_action = None
        self.recent_menu = None

        demo = c.demo_server
        if state.phase is Phase.SIGNED_OUT:
            self._header(self.tr("Signed out"))
            self._demo_line(demo)
            if state.signed_out_reason:
                self._info(state.signed_out_reason)
            self.addSeparator()
            self._action(self.tr("Sign in to the demo") if demo else self.tr("Sign in…"), c.sign_in, "signIn")
            self.addSeparator()
            self._action(self.tr("Settings…"), c.show_settings, "settings")
            self._action(self.tr("Quit"), c.quit, "quit")
            return

        running = state.is_running and state.task is not None
        if running:
            assert state.task is not None
            self.header_title = self._header("● " + menu_text(state.task.title))
            self.header_detail = self._info(self.detail_text(state, now))
        elif state.phase is Phase.LOADING:
            self._header(self.tr("Loading your timer…"))
        else:
            self._header(self.tr("Not tracking"))
        self._demo_line(demo)
        if state.offline:
            self._info(self.tr("Offline: changes are sent when TimeCrowd can be reached"))
        if state.last_error:
            self._info(menu_text(state.last_error, 90)).setObjectName("lastError")
        self.addSeparator()

        if running:
            self._action(self.tr("Stop"), c.stop, "stop")
            self._action(self.tr("Stop with comment…"), c.stop_with_comment, "stopWithComment")
        else:
            latest = c.latest_task()
            if latest is not None:
                self._action(self.tr("Start “%1”").replace("%1", menu_text(latest.title, 40)),
                             lambda task=latest: c.start_task(task), "startLatest")
        self._action(self.tr("Start…"), c.open_palette, "palette")
        self._recent(c.recent_tasks(), state)
        self.addSeparator()

        self.today_action = self._info(self.today_text(c.today_total(now)))
        self.today_action.setObjectName("today")
        url = c.browser_url()
        open_action = self._action(self.tr("Open in TimeCrowd"), c.open_in_browser, "openInBrowser")
        open_action.setEnabled(url is not None)
        if demo:
            open_action.setToolTip(self.tr("The demo has no web pages: its data lives only in the built-in "
                                           "emulator, not on TimeCrowd."))
        if state.pending_count:
            pending = self._action(self.tr("Pending changes (%n)", "", state.pending_count), c.sync_now, "pending")
            pending.setToolTip(self.tr("Send them now"))
        self.addSeparator()
        self._action(self.tr("Settings…"), c.show_settings, "settings")
        self._action(self.tr("Sign out"), c.sign_out, "signOut")
        self._action(self.tr("Quit"), c.quit, "quit")

    def _recent(self, tasks: Sequence[Task], state: TimerState) -> None:
        menu = self.addMenu(self.tr("Recent tasks"))
        menu.setObjectName("recentMenu")
        menu.menuAction().setObjectName("recent")
        self.recent_menu = menu
        if not tasks:
            empty = menu.addAction(self.tr("No recent tasks yet"))
            empty.setEnabled(False)
            return
        running_id = state.task.id if state.is_running and state.task is not None else None
        for task in tasks[:10]:
            team = task.team_name
            label = menu_text(task.title, 50) + (f" — {menu_text(team, 30)}" if team else "")
            action = menu.addAction(label)
            action.setData(task.id)
            if task.id == running_id:
                action.setCheckable(True)
                action.setChecked(True)
                action.setEnabled(False)
            else:
                action.triggered.connect(lambda _=False, t=task: self._model.start_task(t))

    # -- pieces -----------------------------------------------------------------------------

    def _header(self, text: str) -> QAction:
        action = self.addAction(text)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.setEnabled(False)
        action.setObjectName("header")
        return action

    def _demo_line(self, demo_server: str | None) -> None:
        if demo_server:
            self._info(self.tr("Demo: the built-in emulator (%1)").replace("%1", demo_server)).setObjectName("demo")

    def _info(self, text: str) -> QAction:
        action = self.addAction(text)
        action.setEnabled(False)
        return action

    def _action(self, text: str, slot, name: str) -> QAction:  # noqa: ANN001
        action = self.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        return action

    # -- texts --------------------------------------------------------------------------------

    def detail_text(self, state: TimerState, now: datetime) -> str:
        parts = [format_hms(state.elapsed(now))]
        if state.task is not None:
            extra = team_and_category(state.task)
            if extra:
                parts.append(menu_text(extra))
        if state.phase is Phase.STARTING:
            parts.append(self.tr("starting…"))
        return "   " + " · ".join(parts)

    def today_text(self, seconds: float) -> str:
        return self.tr("Today: %1").replace("%1", format_hm(seconds))

    # -- live -------------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second while open: the elapsed time and today's total."""
        c = self._model
        now = c.now()
        if self.header_detail is not None and c.state.is_running:
            self.header_detail.setText(self.detail_text(c.state, now))
        if self.today_action is not None:
            self.today_action.setText(self.today_text(c.today_total(now)))

    def action_named(self, name: str) -> QAction | None:
        """The action with ``objectName`` ``name`` (tests, and the end-to-end clicks)."""
        for action in self.actions():
            if action.objectName() == name:
                return action
        return None
