"""The comment asked for after a stop: small, near the tray, keyboard first.

Enter saves, Shift+Enter starts a new line, Esc skips. It opens on the screen
of the mouse pointer, next to the tray icon when Qt knows where that is, and
takes the keyboard focus at once. It never waits on the network: saving hands
the text to ``save`` (the service queues it, online or not) and closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.durations import format_hms

log = logging.getLogger(__name__)

# save(text): True when queued, False when blank; raises ValueError (too long) with a message.
SaveFn = Callable[[str], bool]


class CommentEdit(QPlainTextEdit):
    """Enter submits, Shift+Enter inserts a line break."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CommentDialog(QDialog):
    """Ask for a comment on the entry just stopped.

    ``task_title``, ``team`` and ``duration`` (seconds, final) describe it;
    ``save`` is called with the text on Enter. ``saved(str)`` / ``skipped()``
    tell what happened.
    """

    saved = Signal(str)
    skipped = Signal()

    def __init__(self, task_title: str, team: str, duration: float, save: SaveFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._done = False
        self.setObjectName("commentDialog")
        self.setWindowTitle(self.tr("Comment - TimeCrowd Tray"))
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(360)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        self.task_label = QLabel()
        self.task_label.setObjectName("taskLabel")
        self.task_label.setTextFormat(Qt.TextFormat.PlainText)
        self.task_label.setWordWrap(True)
        font = self.task_label.font()
        font.setBold(True)
        self.task_label.setFont(font)
        self.task_label.setText(task_title)
        layout.addWidget(self.task_label)

        self.detail_label = QLabel()
        self.detail_label.setObjectName("detailLabel")
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        detail = self.tr("Stopped after %1").replace("%1", format_hms(duration))
        self.detail_label.setText(f"{team} · {detail}" if team else detail)
        layout.addWidget(self.detail_label)

        self.edit = CommentEdit()
        self.edit.setObjectName("commentEdit")
        self.edit.setPlaceholderText(self.tr("What did you do? (Enter saves, Shift+Enter: new line, Esc skips)"))
        self.edit.setTabChangesFocus(True)
        metrics = self.edit.fontMetrics()
        self.edit.setFixedHeight(metrics.lineSpacing() * 4 + 12)
        self.edit.submitted.connect(self.submit)
        layout.addWidget(self.edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d92d20;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton(self.tr("Skip"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAutoDefault(False)
        self.skip_button.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # -- behaviour ------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.edit.toPlainText()

    def submit(self) -> None:
        text = self.text
        try:
            queued = self._save(text)
        except ValueError as exc:  # CommentTooLong: say so, keep the text
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.adjustSize()  # grow to hold the message: never over the text field
            self.edit.setFocus()
            return
        self._done = True
        if queued:
            self.saved.emit(text)
        else:
            self.skipped.emit()
        self.accept()

    def reject(self) -> None:  # Esc, the Skip button, the window's close button
        if not self._done:
            self._done = True
            self.skipped.emit()
        super().reject()

    # -- placement and focus -----------------------------------------------------------------

    def popup(self, anchor: QRect | None = None) -> None:
        """Show near ``anchor`` (the tray icon's geometry, when known) and take the keyboard focus."""
        self.adjustSize()
        place_near(self, anchor)
        self.show()
        take_focus(self, self.edit)


def place_near(window: QWidget, anchor: QRect | None) -> None:
    """Move ``window`` next to ``anchor`` (or the pointer), inside the pointer's screen."""
    cursor = QCursor.pos()
    screen = QGuiApplication.screenAt(cursor) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    size = window.sizeHint().expandedTo(window.minimumSizeHint()).expandedTo(window.size())
    if anchor is not None and anchor.isValid() and area.intersects(anchor):
        # Below a tray at the top of the screen, above one at the bottom; right-aligned with it.
        x = anchor.right() - size.width()
        y = anchor.bottom() + 6 if anchor.center().y() < area.center().y() else anchor.top() - size.height() - 6
    else:
        x = cursor.x() - size.width() // 2
        y = cursor.y() + 16
    x = max(area.left(), min(x, area.right() - size.width()))
    y = max(area.top(), min(y, area.bottom() - size.height()))
    window.move(QPoint(x, y))


def take_focus(window: QWidget, focus: QWidget) -> None:
    """Raise ``window`` and give ``focus`` the keyboard, now and once the window is mapped."""
    window.raise_()
    window.activateWindow()
    focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def again() -> None:
        if window.isVisible() and not window.isActiveWindow():
            window.raise_()
            window.activateWindow()
        if window.isVisible():
            focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # A window manager may map the window after show() returns: ask once more when it has.
    QTimer.singleShot(0, window, again)
    QTimer.singleShot(150, window, again)

