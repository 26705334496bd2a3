"""The away prompt: "you were away from 12:03 for 44 minutes: keep, discard, discard and continue, or stop at…".

Thin: the watcher (:mod:`timecrowd_tray.services.idle_watch`) decides when
to ask and what each answer does; :class:`IdlePromptHost` shows one prompt
while a decision is pending (widened when the user left again), carries out
the answer, and says what happened (done, queued with the time, or refused:
the entry changed meanwhile, a time that cannot be). While a prompt waits, the
tray shows the running time counted to when they left (``shown_until``).

A stop made here while it waits (the tray, the shell, a switch) keeps the
prompt, saying so: the stopped entry still holds the away time, and Discard (or
End at…) moves its end back; Discard and continue has nothing to continue.

Its times ("You left at 14:05") are the account's zone, and so is a time typed
in "Stop at…" (the watcher's ``zone``: ``core.today.user_timezone``), as in
the tray and the entries window, whatever the computer's zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.idle import AwayReason, Choice, Pending
from .comment_dialog import place_near, take_focus

log = logging.getLogger(__name__)


def clock_text(ts: float, zone: tzinfo) -> str:
    """``ts`` (unix seconds) as ``HH:MM`` in ``zone``: the account's (``IdleWatch.zone``), as every time shown."""
    return datetime.fromtimestamp(ts, zone).strftime("%H:%M")


class IdlePrompt(QDialog):
    """One prompt; ``answered(choice, typed)`` when a button is pressed (the host acts on it)."""

    answered = Signal(str, str)

    def __init__(self, pending: Pending, task_title: str, zone: tzinfo, parent: QWidget | None = None) -> None:
        """``zone``: the one the times are shown in, and a typed ``HH:MM`` is read in (by the watcher)."""
        super().__init__(parent)
        self.zone = zone
        self.setObjectName("idlePrompt")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("Time away"))
        self.closing = False  # set by the host when the decision went (answered here, or from the shell)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # never smaller than its texts
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.task = QLabel(task_title, self)
        self.task.setObjectName("idleTask")
        self.note = QLabel(self)   # what went wrong with the last answer, if anything
        self.note.setObjectName("idleNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.message)
        layout.addWidget(self.task)
        buttons = QHBoxLayout()
        self.keep = QPushButton(self.tr("Keep"), self)
        self.discard = QPushButton(self.tr("Discard"), self)
        self.continue_ = QPushButton(self.tr("Discard and continue"), self)
        for button in (self.keep, self.discard, self.continue_):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        stop_row = QHBoxLayout()
        self.stop_at = QPushButton(self.tr("Stop at…"), self)  # "End at…" once stopped here
        self.time_edit = QLineEdit(self)
        self.time_edit.setPlaceholderText(self.tr("HH:MM"))
        self.time_edit.setMaxLength(5)
        stop_row.addWidget(self.stop_at)
        stop_row.addWidget(self.time_edit)
        layout.addLayout(stop_row)
        layout.addWidget(self.note)
        self.keep.setDefault(True)  # Enter keeps: nothing is lost by a stray key
        self.keep.clicked.connect(lambda: self.answered.emit(Choice.KEEP.value, ""))
        self.discard.clicked.connect(lambda: self.answered.emit(Choice.DISCARD.value, ""))
        self.continue_.clicked.connect(lambda: self.answered.emit(Choice.CONTINUE.value, ""))
        self.stop_at.clicked.connect(lambda: self.answered.emit(Choice.STOP_AT.value, self.time_edit.text()))
        self.time_edit.returnPressed.connect(self.stop_at.click)
        self.show_pending(pending)

    def show_pending(self, pending: Pending) -> None:
        length = self.tr("%1 min").replace("%1", str(max(1, round(pending.seconds / 60))))
        left = clock_text(pending.left_at, self.zone)
        stopped = pending.stopped_at is not None
        self.continue_.setVisible(not stopped)
        self.stop_at.setText(self.tr("End at…") if stopped else self.tr("Stop at…"))
        if pending.stopped_at is not None:
            text = self.tr("You stopped the timer at %1. The time away from %2 (%3) is still in that entry: "
                           "discard it?").replace("%1", clock_text(pending.stopped_at, self.zone)).replace("%3", length)
        elif pending.reason is AwayReason.SLEEP:
            text = self.tr("The computer slept from %1 for %2 while the timer ran.").replace("%1", left)
        else:
            text = self.tr("You were away from %1 for %2 while the timer ran.").replace("%1", left)
        self.message.setText(text.replace("%2", left if stopped else length))
        if not self.time_edit.text():
            self.time_edit.setText(left)
        self.fit()

    def say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self.fit()

    def fit(self) -> None:
        """Grow to show every line (a wrapped message, the note just shown) at the width it has."""
        layout = self.layout()
        layout.activate()
        width = max(self.width(), layout.totalMinimumSize().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        self.setMinimumHeight(height)
        if height > self.height() or width > self.width():
            self.resize(width, max(height, self.height()))

    def reject(self) -> None:
        """Esc or the close button: ignored. An unanswered prompt keeps the away time out of the count,
        and a prompt gone without an answer could not be found again: Keep is the way to dismiss it."""
        if self.closing:
            super().reject()

    def popup(self, anchor: Any = None) -> None:
        self.adjustSize()
        place_near(self, anchor)
        self.show()
        take_focus(self, self.keep)


class IdlePromptHost(QObject):
    """Shows the prompt for the watcher's pending decision and carries out the answer."""

    prompt_shown = Signal(object)   # IdlePrompt
    display_changed = Signal()      # the tray's shown time changes (a prompt came or went)

    def __init__(self, watch: Any, task_title: Callable[[], str], tell: Callable[[str, str], None],
                 anchor: Callable[[], Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watch = watch
        self._task_title = task_title
        self._tell = tell            # (title, message): a notification that is always shown
        self._anchor = anchor or (lambda: None)
        self.prompt: IdlePrompt | None = None
        self._remove = watch.add_listener(self._on_pending)

    def close(self) -> None:
        self._remove()
        self._close_prompt()

    def _on_pending(self, pending: Pending | None) -> None:
        self.display_changed.emit()
        if pending is None:
            self._close_prompt()
            return
        if self.prompt is None:
            prompt = self.prompt = IdlePrompt(pending, self._task_title(), self.watch.zone)
            prompt.answered.connect(self.answer)
            prompt.popup(self._anchor())
            self.prompt_shown.emit(prompt)
        else:
            self.prompt.zone = self.watch.zone  # the account may have changed its zone meanwhile
            self.prompt.show_pending(pending)
            self.prompt.show()

    def _close_prompt(self) -> None:
        if self.prompt is not None:
            prompt, self.prompt = self.prompt, None
            prompt.closing = True
            prompt.close()
            prompt.deleteLater()

    def answer(self, choice: str, typed: str = "") -> Any:
        result = self.watch.answer(choice, typed or None)
        code = result.code
        if code == "bad_time" and self.prompt is not None:
            self.prompt.say(self.tr("Type a time such as 12:30."))
        elif code == "too_early" and self.prompt is not None:
            self.prompt.say(self.tr("That time is before the entry started."))
        elif code == "too_late" and self.prompt is not None:
            pending = self.watch.pending
            if pending is not None and pending.stopped_at is not None:
                self.prompt.say(self.tr("That time is after you stopped the timer (%1).")
                                .replace("%1", clock_text(pending.stopped_at, self.watch.zone)))
            else:
                self.prompt.say(self.tr("That time is in the future."))
        elif code == "changed":
            self._tell(self.tr("Time away"), self.tr("The running entry changed since you left (on the web or "
                                                     "another computer): nothing was done."))
        elif code == "stopped_elsewhere":
            self._tell(self.tr("Time away"), self.tr("The timer was stopped since you left (on the web or "
                                                     "another computer): nothing was done."))
        elif code == "refused":
            reason = result.result.refusal if result.result is not None else ""
            self._tell(self.tr("Time away"), reason or self.tr("The timer could not be stopped."))
        elif code in ("stopped", "continued", "trimmed") and result.at is not None:
            log.info("idle: the entry ends at %s (%s)", clock_text(result.at, self.watch.zone), code)
        return result

    def shown_time(self, now: float) -> float:
        return float(self.watch.shown_time(now))
