"""Quit or Sign out while a timer runs: "stop it now, keep it running on the server, or cancel?".

Never a nested event loop (the qasync loop keeps running): the box is opened
with ``open()`` and the choice comes back through ``decided(choice)``, one of
``"stop"``, ``"keep"`` or ``"cancel"`` (Esc and the close button cancel).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget


class QuitPrompt(QMessageBox):
    decided = Signal(str)

    def __init__(self, leaving: str, task_title: str, parent: QWidget | None = None) -> None:
        """``leaving``: "quit" or "sign_out"."""
        super().__init__(parent)
        self.setObjectName("quitPrompt")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setIcon(QMessageBox.Icon.Question)
        if leaving == "sign_out":
            self.setWindowTitle(self.tr("Sign out"))
            self.setText(self.tr("The timer is running: %1. Stop it before signing out?").replace("%1", task_title))
        else:
            self.setWindowTitle(self.tr("Quit"))
            self.setText(self.tr("The timer is running: %1. Stop it before quitting?").replace("%1", task_title))
        self.setInformativeText(self.tr("If you keep it running, TimeCrowd goes on counting on the server."))
        self.stop_button = self.addButton(self.tr("Stop now"), QMessageBox.ButtonRole.AcceptRole)
        self.keep_button = self.addButton(self.tr("Keep running"), QMessageBox.ButtonRole.DestructiveRole)
        self.cancel_button = self.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        self._sent = False
        self.buttonClicked.connect(self._clicked)
        self.finished.connect(lambda *_: self._decide("cancel"))

    def _clicked(self, button: object) -> None:
        if button is self.stop_button:
            self._decide("stop")
        elif button is self.keep_button:
            self._decide("keep")
        else:
            self._decide("cancel")

    def _decide(self, choice: str) -> None:
        if not self._sent:
            self._sent = True
            self.decided.emit(choice)
