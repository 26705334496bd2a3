"""The entries window's day bar: ◀ previous day, the date picker, next day ▶, Today, and the load's status.

It only says which day was asked for (:attr:`DayNavigator.day_chosen`); the window loads it.
The next day is offered up to today, not after (nothing is tracked in the future).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget


def date_format(locale: QLocale) -> str:
    """How the picker writes a day: as Japanese is written (2025年10月21日（火）), else "Tue, Oct 21, 2025".

    A Qt format rather than a translated text: the glossary's spacing rules are for prose.
    """
    if locale.language() == QLocale.Language.Japanese:
        return "yyyy年M月d日（ddd）"
    return "ddd, MMM d, yyyy"


class DayNavigator(QWidget):
    day_chosen = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = date.today()
        self.today = self.day
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        self.prev_button = QPushButton(self.tr("◀ Previous day"))
        self.prev_button.setObjectName("prevDay")
        self.prev_button.setToolTip("Alt+Left")  # a key name: never translated
        self.prev_button.clicked.connect(self.previous)
        bar.addWidget(self.prev_button)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(date_format(QLocale()))
        self.date_edit.dateChanged.connect(self._picked)
        bar.addWidget(self.date_edit)
        self.next_button = QPushButton(self.tr("Next day ▶"))
        self.next_button.setObjectName("nextDay")
        self.next_button.setToolTip("Alt+Right")
        self.next_button.clicked.connect(self.next)
        bar.addWidget(self.next_button)
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.setObjectName("todayButton")
        self.today_button.clicked.connect(lambda: self.day_chosen.emit(self.today))
        bar.addWidget(self.today_button)
        self.status_label = QLabel()
        self.status_label.setObjectName("loadStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        bar.addWidget(self.status_label, 1)

    def set_day(self, day: date, today: date) -> None:
        """Show ``day`` as chosen (``today``: the last day offered)."""
        self.day, self.today = day, today
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self.next_button.setEnabled(day < today)
        self.today_button.setEnabled(day != today)

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def previous(self) -> None:
        self.day_chosen.emit(self.day - timedelta(days=1))

    def next(self) -> None:
        if self.day < self.today:
            self.day_chosen.emit(self.day + timedelta(days=1))

    def _picked(self, qdate: QDate) -> None:
        self.day_chosen.emit(date(qdate.year(), qdate.month(), qdate.day()))
