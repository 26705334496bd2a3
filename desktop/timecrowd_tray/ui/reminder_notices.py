"""Reminder notifications: "not tracking: start <latest task>?", with snoozes, and "a timer was forgotten".

Thin: the rules and timers are :mod:`timecrowd_tray.services.reminders`. The
message goes through the tray's :class:`~.notifier.Notifier` (so it is logged,
and printed where no tray shows it); a tray message has no buttons, so a small
window beside it carries the offer (start the latest task; end the forgotten
timer at the time the user was last active) and the snoozes (15 min, 1 hour,
rest of the day). It never takes the focus. With no recent task to offer, the
button opens the task palette, through the tray controller as the shortcut does.
Its times ("running since 09:12") are in the reminders' ``zone``: the account's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.models import Task
from ..core.reminders import Snooze
from ..services.reminders import Forgotten
from .comment_dialog import place_near
from .idle_prompt import clock_text

log = logging.getLogger(__name__)


class ReminderWindow(QWidget):
    """Buttons for the offer: the action itself, and optional snoozes. ``chosen(name)``."""

    chosen = Signal(str)

    def __init__(self, text: str, action: str, snoozes: bool) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("reminderWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle(self.tr("TimeCrowd"))
        layout = QVBoxLayout(self)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        entries = [("act", action)]
        if snoozes:
            entries += [(Snooze.QUARTER.value, self.tr("In 15 min")), (Snooze.HOUR.value, self.tr("In 1 hour")),
                        (Snooze.TODAY.value, self.tr("Not today"))]
        entries.append(("dismiss", self.tr("Dismiss")))
        for name, label in entries:
            button = QPushButton(label, self)
            button.clicked.connect(lambda _=False, n=name: self._choose(n))
            self.buttons[name] = button
            row.addWidget(button)
        layout.addLayout(row)

    def _choose(self, name: str) -> None:
        self.chosen.emit(name)
        self.close()


class ReminderNotices(QObject):
    """Shows the reminders' offers and carries out the choice (``reminders`` is a services.reminders.Reminders)."""

    def __init__(self, reminders: Any, notifier: Any, parent: QObject | None = None, *,
                 open_palette: Callable[[], Any] | None = None) -> None:
        """``open_palette``: the tray controller's (``TrayController.open_palette``)."""
        super().__init__(parent)
        self.reminders = reminders
        self.notifier = notifier
        self._open_palette = open_palette
        self.window: ReminderWindow | None = None
        self._offer: tuple[str, Any] | None = None

    def remind(self, task: Task | None) -> None:
        if task is None:
            text = self.tr("You are not tracking time.")
            action = self.tr("Open the palette")
        else:
            text = self.tr("You are not tracking time. Start %1?").replace("%1", task.title)
            action = self.tr("Start")
        self._show("remind", task, text, action, snoozes=True)

    def forgotten(self, offer: Forgotten) -> None:
        zone = self.reminders.zone  # the account's, as every time shown
        started = clock_text(offer.started_at, zone)
        if offer.end_at is None:
            text = self.tr("%1 has been running since %2. Still working on it?").replace("%1", offer.task.title) \
                .replace("%2", started)
            self._show("forgotten", offer, text, "", snoozes=False)
            return
        end = clock_text(offer.end_at, zone)
        text = self.tr("%1 has been running since %2. End it at %3, when you were last active?") \
            .replace("%1", offer.task.title).replace("%2", started).replace("%3", end)
        self._show("forgotten", offer, text, self.tr("End at %1").replace("%1", end), snoozes=False)

    def _show(self, kind: str, subject: Any, text: str, action: str, *, snoozes: bool) -> None:
        self._offer = (kind, subject)
        self.notifier.elsewhere(self.tr("TimeCrowd"), text)  # always shown: the user asked for reminders
        if self.window is not None:
            self.window.close()
        window = self.window = ReminderWindow(text, action or self.tr("OK"), snoozes)
        if not action:
            window.buttons["act"].hide()
        window.chosen.connect(self.choose)
        window.adjustSize()
        place_near(window, None)
        window.show()

    def choose(self, name: str) -> Any:
        offer, self._offer = self._offer, None
        if self.window is not None:
            window, self.window = self.window, None
            window.close()
        if offer is None:
            return None
        kind, subject = offer
        if name in (s.value for s in Snooze):
            self.reminders.snooze(name)
            return None
        if name != "act":
            return None
        if kind == "remind" and subject is None:
            return self._open_palette() if self._open_palette is not None else None
        if kind == "remind":
            result = self.reminders.start_latest(subject)  # the task the reminder named
            if result is None:
                log.info("reminder: no recent task to start")
            return result
        result = self.reminders.end_forgotten(subject)
        if result is None:
            self.notifier.error(self.tr("The timer changed meanwhile: nothing was done."))
        return result
