"""The "Add an entry" dialog: a forgotten entry's task, from, to and comment.

Opened empty ("Add entry…", Ctrl+N) or with a span (a gap picked on the timeline). It never
asks the server anything itself: the window gives it what it needs as callables

* ``read_time(text)``: the typed time as a moment on the day shown (raises ``ValueError``
  with the message to show);
* ``check(start, stop)``: the problems, as (blocking texts, overlap texts);
* ``submit(task, start, stop, comment, allow_overlap)``: None when recorded, else the refusal;
* ``choose_task(callback)``: opens the task palette, which calls ``callback(task)``.

A blocking problem is said under the fields and nothing is sent; an overlap is said too, and
"Save anyway" then sends it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.labels import team_and_category

ReadTime = Callable[[str], datetime]
Check = Callable[[datetime, datetime], tuple[list[str], list[str]]]
Submit = Callable[[Any, datetime, datetime, str, bool], "str | None"]


class AddEntryDialog(QDialog):
    def __init__(self, *, read_time: ReadTime, check: Check, submit: Submit,
                 choose_task: Callable[[Callable[[Any], None]], None], task: Any = None,
                 start_text: str = "", stop_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_time = read_time
        self._check = check
        self._submit = submit
        self._choose_task = choose_task
        self.task: Any = None
        self.setObjectName("addEntryDialog")
        self.setWindowTitle(self.tr("Add an entry - TimeCrowd Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # The task on a row of its own, over the whole width: a long title wraps there (a label that
        # wraps beside a button in a form row is given one line's height by QFormLayout).
        self.task_label = QLabel()
        self.task_label.setObjectName("taskLabel")
        self.task_label.setTextFormat(Qt.TextFormat.PlainText)
        self.task_label.setWordWrap(True)
        layout.addWidget(self.task_label)
        self.task_button = QPushButton(self.tr("Choose…"))
        self.task_button.setObjectName("chooseTask")
        self.task_button.clicked.connect(self._pick_task)
        task_row = QHBoxLayout()
        task_row.addWidget(self.task_button)
        task_row.addStretch(1)
        form.addRow(self.tr("Task:"), task_row)
        self.start_edit = QLineEdit(start_text)
        self.start_edit.setObjectName("startEdit")
        self.start_edit.setPlaceholderText(self.tr("9:05, 905 or -1h"))
        form.addRow(self.tr("From:"), self.start_edit)
        self.stop_edit = QLineEdit(stop_text)
        self.stop_edit.setObjectName("stopEdit")
        self.stop_edit.setPlaceholderText(self.tr("10:30, 1030 or -15m"))
        form.addRow(self.tr("To:"), self.stop_edit)
        self.comment_edit = QLineEdit()
        self.comment_edit.setObjectName("commentEdit")
        form.addRow(self.tr("Comment:"), self.comment_edit)
        layout.addLayout(form)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #d92d20;")
        self.problem_label.hide()
        layout.addWidget(self.problem_label)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("addButton")
        self.anyway_button = self.buttons.addButton(self.tr("Add anyway"), QDialogButtonBox.ButtonRole.ActionRole)
        self.anyway_button.setObjectName("addAnywayButton")
        self.anyway_button.hide()
        self.anyway_button.clicked.connect(lambda: self.save(allow_overlap=True))
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.start_edit, self.stop_edit, self.comment_edit):
            edit.textChanged.connect(self._edited)
        self.set_task(task)

    def set_task(self, task: Any) -> None:
        self.task = task
        if task is None:
            self.task_label.setText(self.tr("No task chosen"))
        else:
            extra = team_and_category(task)
            self.task_label.setText(f"{task.title}\n{extra}" if extra else task.title)
        self._edited()
        self.adjustSize()

    def _pick_task(self) -> None:
        self._choose_task(self._task_picked)

    def _task_picked(self, task: Any) -> None:
        self.set_task(task)
        self.raise_()
        self.activateWindow()
        self.start_edit.setFocus()

    def _edited(self, *_: object) -> None:
        self.anyway_button.hide()  # an overlap said for other times no longer holds

    def _say(self, lines: list[str]) -> None:
        self.problem_label.setText("\n".join(lines))
        self.problem_label.setVisible(bool(lines))
        self.adjustSize()

    def save(self, allow_overlap: bool = False) -> bool:
        """Check and add; True when the entry was recorded (the dialog closes then)."""
        if self.task is None:
            self._say([self.tr("Choose the task first.")])
            self.task_button.setFocus()
            return False
        try:
            start = self._read_time(self.start_edit.text())
        except ValueError as exc:
            self._say([str(exc)])
            self.start_edit.setFocus()
            return False
        try:
            stop = self._read_time(self.stop_edit.text())
        except ValueError as exc:
            self._say([str(exc)])
            self.stop_edit.setFocus()
            return False
        blocking, overlaps = self._check(start, stop)
        if blocking:
            self._say(blocking)
            return False
        if overlaps and not allow_overlap:
            self._say(overlaps)
            self.anyway_button.show()
            self.anyway_button.setFocus()
            return False
        refusal = self._submit(self.task, start, stop, self.comment_edit.text(), allow_overlap)
        if refusal is not None:
            self._say([refusal])
            return False
        self.accept()
        return True
