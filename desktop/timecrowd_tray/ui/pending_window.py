""""Pending changes (n)": what waits in the outbox, oldest first, and why it waits.

Each row is a :class:`~timecrowd_tray.services.day_entries.PendingChange`: when the user
acted, what (the service's summary, e.g. "Add “Task” 09:00–10:00"), and why it has not
been sent ("waiting for the network", the server's words of a refused try…). The list is
read again when the window opens, on :meth:`PendingWindow.refresh` (the tray calls it when
the timer's state changes) and after "Send now".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.models import User
from ..core.today import user_timezone


class PendingModel(Protocol):
    """What the window uses of the service."""

    @property
    def user(self) -> User | None: ...
    def pending_changes(self) -> list[Any]: ...  # list[PendingChange]


class PendingWindow(QWidget):
    def __init__(self, model: PendingModel, *, send_now: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._send_now = send_now
        self.setObjectName("pendingWindow")
        self.setWindowTitle(self.tr("Pending changes - TimeCrowd Tray"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("pendingSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.list = QTreeWidget()
        self.list.setObjectName("pendingList")
        self.list.setHeaderLabels([self.tr("When"), self.tr("Change"), self.tr("Why it waits")])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setColumnWidth(0, 70)
        self.list.setColumnWidth(1, 300)
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.send_button = QPushButton(self.tr("Send now"))
        self.send_button.setObjectName("sendNow")
        self.send_button.clicked.connect(self.send_now)
        buttons.addWidget(self.send_button)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Esc"), self, self.close)
        self.changes: list[Any] = []

    @property
    def tz(self) -> tzinfo:
        return user_timezone(self.model.user)

    def refresh(self) -> None:
        try:
            self.changes = list(self.model.pending_changes())
        except Exception:  # noqa: BLE001 - a closed outbox: show nothing rather than break the tray
            self.changes = []
        self.list.clear()
        for change in self.changes:
            local = change.at.astimezone(self.tz)
            item = QTreeWidgetItem([f"{local.hour}:{local.minute:02d}", change.summary, change.why])
            item.setToolTip(1, change.summary)
            item.setToolTip(2, change.why)
            self.list.addTopLevelItem(item)
        count = len(self.changes)
        self.summary_label.setText(
            self.tr("Changes not sent yet: %1. They are sent in order, with the times you gave, "
                    "as soon as TimeCrowd answers.").replace("%1", str(count)) if count else
            self.tr("Nothing is waiting: every change has been sent."))
        self.send_button.setEnabled(bool(count))

    def send_now(self) -> None:
        self._send_now()
        self.refresh()

    def open(self) -> None:
        from .comment_dialog import take_focus

        self.refresh()
        self.show()
        take_focus(self, self.list)
