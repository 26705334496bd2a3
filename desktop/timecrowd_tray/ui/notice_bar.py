"""A line of news inside a window, with at most one button: "Deleted. [Undo]", "Overlaps… [Save anyway]".

Kinds set the colour: ``info`` (what happened), ``error`` (refused, in the refusal's own words),
``warning`` (a choice to make). :meth:`NoticeBar.show_notice` replaces what was shown; the
button's callback runs once, then the bar goes. A notice may go by itself after ``timeout_ms``
(``on_timeout`` runs then: the undo bar commits the delete).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

_STYLES = {
    "info": "#noticeBar { background: palette(alternate-base); border: 1px solid palette(mid); border-radius: 4px; }",
    "warning": "#noticeBar { background: #fef0c7; border: 1px solid #f79009; border-radius: 4px; } "
               "#noticeBar QLabel { color: #1d2939; }",
    "error": "#noticeBar { background: #fee4e2; border: 1px solid #d92d20; border-radius: 4px; } "
             "#noticeBar QLabel { color: #7a271a; }",
}


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.kind = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setObjectName("noticeText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.button = QPushButton()
        self.button.setObjectName("noticeAction")
        self.button.clicked.connect(self._act)
        layout.addWidget(self.button)
        self.close_button = QPushButton(self.tr("Dismiss"))
        self.close_button.setObjectName("noticeDismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self._on_timeout: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expired)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget()) or self.isVisible() else ""

    def show_notice(self, text: str, kind: str = "info", *, action: str | None = None,
                    on_action: Callable[[], None] | None = None, timeout_ms: int = 0,
                    on_timeout: Callable[[], None] | None = None) -> None:
        self.flush()  # what the previous notice would have done on its own (a pending delete) is done now
        self.kind = kind
        self.setStyleSheet(_STYLES.get(kind, _STYLES["info"]))
        self.label.setText(text)
        self._action = on_action
        self._on_timeout = on_timeout
        self.button.setVisible(action is not None)
        self.button.setText(action or "")
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
        self.show()

    def _act(self) -> None:
        action, self._action = self._action, None
        self._on_timeout = None
        self._timer.stop()
        self.hide()
        if action is not None:
            action()

    def trigger(self) -> bool:
        """Press the button (Ctrl+Z presses "Undo"); False when there is none."""
        if self._action is None or not self.isVisibleTo(self.window()):
            return False
        self._act()
        return True

    def _expired(self) -> None:
        self.flush()
        self.hide()

    def flush(self) -> None:
        """Run what the notice does when it goes by itself (now, once)."""
        self._timer.stop()
        on_timeout, self._on_timeout = self._on_timeout, None
        self._action = None
        self.button.hide()  # its action is gone with the notice's moment
        if on_timeout is not None:
            on_timeout()

    def dismiss(self) -> None:
        self.flush()
        self.hide()
