"""The day's totals under the entries: the day's, then by task and by team (most time first).

Sums come from :func:`timecrowd_tray.core.day.day_totals` (clipped to the day, the running
entry up to now); this only words them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core.day import DayTotals, day_totals
from ..core.durations import format_hm


class DayTotalsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.total_label = QLabel()
        self.total_label.setObjectName("dayTotal")
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)
        self.total_label.setWordWrap(True)
        layout.addWidget(self.total_label)
        self.by_task_label = self._line("byTask", layout)
        self.by_team_label = self._line("byTeam", layout)
        self.totals: DayTotals | None = None

    @staticmethod
    def _line(name: str, layout: QVBoxLayout) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label)
        return label

    def update_totals(self, entries: Sequence[Any], *, now: datetime, day: date) -> DayTotals:
        totals = day_totals(entries, now=now, day=day)
        self.totals = totals
        self.total_label.setText(self.tr("Day total: %1").replace("%1", format_hm(totals.total)))
        tasks = " · ".join(f"{task.title} {format_hm(s)}" for task, s in totals.by_task)
        no_team = self.tr("(no team)")
        teams = " · ".join(f"{name or no_team} {format_hm(s)}" for name, s in totals.by_team)
        self.by_task_label.setText(self.tr("By task: %1").replace("%1", tasks) if tasks else "")
        self.by_team_label.setText(self.tr("By team: %1").replace("%1", teams) if teams else "")
        self.by_task_label.setVisible(bool(tasks))
        self.by_team_label.setVisible(bool(teams))
        return totals
