"""The tray's context menu: built once, its items updated in place from the state.

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
    Today…                          (the entries window)
    Pending changes (2)             (only while the outbox is not empty: what waits, and why)
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

from collections.abc import Callable, Sequence
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
    def open_today(self) -> Any: ...    # the entries window
    def open_pending(self) -> Any: ...  # what waits in the outbox, and why
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
    """Every item is made once, in a fixed order; :meth:`refresh` sets their texts and which show.

    Desktop panels show this menu through D-Bus (``com.canonical.dbusmenu``): items made once
    keep their ids, so a panel lays the menu out once and each change is a small property
    update. :meth:`add_item` puts another item in (after a named one), with the function that
    updates it from the model at each refresh.
    """

    RECENT_SLOTS = 10

    def __init__(self, model: MenuModel) -> None:
        super().__init__()
        self.setObjectName("trayMenu")
        self._model = model
        self.setToolTipsVisible(True)  # "Open in TimeCrowd" disabled in demo mode says why
        self._updaters: list[Callable[[], None]] = []
        self._recent_tasks: list[Task | None] = [None] * self.RECENT_SLOTS
        self._latest: Task | None = None
        c = model

        self.header_title = self._header("header")
        self.header_detail = self._info("detail")
        self._info("demo")
        self._info("signedOutReason")
        self._info("offline")
        self._info("lastError")
        self._separator("sep.status")
        self._action("signIn", c.sign_in)
        self._action("stop", c.stop)
        self._action("stopWithComment", c.stop_with_comment)
        self._action("startLatest", lambda: c.start_task(self._latest) if self._latest is not None else None)
        self._action("palette", c.open_palette)
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("recentMenu")
        recent = self.recent_menu.menuAction()
        recent.setObjectName("recent")
        self.addAction(recent)
        self._recent_empty = self.recent_menu.addAction("")
        self._recent_empty.setEnabled(False)
        self._recent_actions: list[QAction] = []
        for slot in range(self.RECENT_SLOTS):
            action = self.recent_menu.addAction("")
            action.triggered.connect(lambda _=False, i=slot: self._start_recent(i))
            self._recent_actions.append(action)
        self._separator("sep.today")
        self.today_action = self._info("today")
        self._action("todayWindow", c.open_today)
        self._action("openInBrowser", c.open_in_browser)
        self._action("pending", c.open_pending)
        self._separator("sep.app")
        self._action("settings", c.show_settings)
        self._action("signOut", c.sign_out)
        self._action("quit", c.quit)
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    # -- what shows, for the state now ---------------------------------------------------------

    def refresh(self) -> None:
        """Set every item from the model (only what changed: Qt sends only real changes to the panel)."""
        c = self._model
        state = c.state
        now = c.now()
        demo = c.demo_server
        signed_out = state.phase is Phase.SIGNED_OUT
        running = state.is_running and state.task is not None and not signed_out
        self._latest = None if signed_out or running else c.latest_task()

        if signed_out:
            header = self.tr("Signed out")
        elif running:
            assert state.task is not None
            header = "● " + menu_text(state.task.title)
        elif state.phase is Phase.LOADING:
            header = self.tr("Loading your timer…")
        else:
            header = self.tr("Not tracking")
        self._set("header", header)
        self._set("detail", self.detail_text(state, now) if running else None)
        self._set("demo", self.tr("Demo: the built-in emulator (%1)").replace("%1", demo) if demo else None)
        self._set("signedOutReason", state.signed_out_reason if signed_out and state.signed_out_reason else None)
        self._set("offline", self.tr("Offline: changes are sent when TimeCrowd can be reached")
                  if state.offline and not signed_out else None)
        self._set("lastError", menu_text(state.last_error, 90) if state.last_error and not signed_out else None)
        self._set("signIn", (self.tr("Sign in to the demo") if demo else self.tr("Sign in…")) if signed_out else None)
        self._set("stop", self.tr("Stop") if running else None)
        self._set("stopWithComment", self.tr("Stop with comment…") if running else None)
        self._set("startLatest", self.tr("Start “%1”").replace("%1", menu_text(self._latest.title, 40))
                  if self._latest is not None else None)
        self._set("palette", None if signed_out else self.tr("Start…"))
        self._set("recent", None if signed_out else self.tr("Recent tasks"))
        if not signed_out:
            self._refresh_recent(c.recent_tasks(), state)
        self._set("sep.today", None if signed_out else "")
        self._set("today", None if signed_out else self.today_text(c.today_total(now)))
        self._set("todayWindow", None if signed_out else self.tr("Today…"))
        url = None if signed_out else c.browser_url()
        opener = self._set("openInBrowser", None if signed_out else self.tr("Open in TimeCrowd"))
        opener.setEnabled(url is not None)
        opener.setToolTip(self.tr("The demo has no web pages: its data lives only in the built-in "
                                  "emulator, not on TimeCrowd.") if demo else "")
        pending = self._set("pending", self.tr("Pending changes (%n)", "", state.pending_count)
                            if state.pending_count and not signed_out else None)
        pending.setToolTip(self.tr("What waits to be sent, and why"))
        self._set("settings", self.tr("Settings…"))
        self._set("signOut", None if signed_out else self.tr("Sign out"))
        self._set("quit", self.tr("Quit"))
        for update in self._updaters:
            update()

    def _refresh_recent(self, tasks: Sequence[Task], state: TimerState) -> None:
        self._recent_empty.setText(self.tr("No recent tasks yet"))
        self._recent_empty.setVisible(not tasks)
        running_id = state.task.id if state.is_running and state.task is not None else None
        shown = list(tasks[: self.RECENT_SLOTS])
        for slot, action in enumerate(self._recent_actions):
            task = shown[slot] if slot < len(shown) else None
            self._recent_tasks[slot] = task
            action.setVisible(task is not None)
            if task is None:
                continue
            team = task.team_name
            action.setText(menu_text(task.title, 50) + (f" — {menu_text(team, 30)}" if team else ""))
            action.setData(task.id)
            current = task.id == running_id
            action.setCheckable(current)
            action.setChecked(current)
            action.setEnabled(not current)

    def _start_recent(self, slot: int) -> None:
        task = self._recent_tasks[slot]
        if task is not None:
            self._model.start_task(task)

    # -- extending ----------------------------------------------------------------------------------

    def add_item(self, action: QAction, *, after: str, update: Callable[[], None] | None = None) -> QAction:
        """Put ``action`` in right after the item named ``after``; ``update()`` runs at each refresh."""
        anchor = self.item(after)
        actions = self.actions()
        following = actions[actions.index(anchor) + 1] if anchor in actions and \
            actions.index(anchor) + 1 < len(actions) else None
        self.insertAction(following, action) if following is not None else self.addAction(action)
        if update is not None:
            self._updaters.append(update)
            update()
        return action

    # -- pieces -----------------------------------------------------------------------------

    def _set(self, name: str, text: str | None) -> QAction:
        """Show the item ``name`` with ``text``, or hide it (``None``)."""
        action = self.item(name)
        assert action is not None, name
        if text is not None and not action.isSeparator() and action.text() != text:
            action.setText(text)
        if action.isVisible() != (text is not None):
            action.setVisible(text is not None)
        return action

    def _header(self, name: str) -> QAction:
        action = self._info(name)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        return action

    def _info(self, name: str) -> QAction:
        action = self.addAction("")
        action.setObjectName(name)
        action.setEnabled(False)
        return action

    def _separator(self, name: str) -> QAction:
        action = self.addSeparator()
        action.setObjectName(name)
        return action

    def _action(self, name: str, slot: Callable[[], Any]) -> QAction:
        action = self.addAction("")
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
        if self.header_detail.isVisible() and c.state.is_running:
            self._set("detail", self.detail_text(c.state, now))
        if self.today_action.isVisible():
            self._set("today", self.today_text(c.today_total(now)))

    def item(self, name: str) -> QAction | None:
        """The item named ``name``, shown or not."""
        for action in self.actions():
            if action.objectName() == name:
                return action
        return None

    def action_named(self, name: str) -> QAction | None:
        """The item named ``name`` when it shows now (tests, and the end-to-end clicks)."""
        action = self.item(name)
        return action if action is not None and action.isVisible() else None

    def shown_actions(self) -> list[QAction]:
        """The items that show now, in order."""
        return [a for a in self.actions() if a.isVisible()]
