"""The away-time and reminder fields of the Settings dialog (issue #15), one block the dialog adds.

The values are validated by :mod:`timecrowd_tray.core.settings` (``idle_minutes``,
``remind_minutes``, ``remind_hours``, ``remind_days``, ``remind_max_hours``),
like every field of the dialog: what ``timecrowd-tray config set`` refuses, the
dialog refuses too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QSpinBox, QWidget

KEYS = ("idle_minutes", "remind_minutes", "remind_hours", "remind_days", "remind_max_hours")


def _spin(name: str, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(0, high)
    box.setSuffix(suffix)
    box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return box


class AwaySettingsFields(QObject):
    def __init__(self, row: Callable[[str, QWidget], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        minutes = self.tr(" min")
        self.idle_minutes = _spin("idle_minutes", 480, minutes)
        self.idle_minutes.setSpecialValueText(self.tr("Off"))
        row(self.tr("Ask about time away after:"), self.idle_minutes)
        self.remind_minutes = _spin("remind_minutes", 480, minutes)
        self.remind_minutes.setSpecialValueText(self.tr("Off"))
        row(self.tr("Remind me to start after:"), self.remind_minutes)
        self.remind_hours = QLineEdit()
        self.remind_hours.setObjectName("remind_hours")
        self.remind_hours.setPlaceholderText("09:00-18:00")
        row(self.tr("Working hours:"), self.remind_hours)
        self.remind_days = QLineEdit()
        self.remind_days.setObjectName("remind_days")
        self.remind_days.setPlaceholderText("mon-fri")
        row(self.tr("Working days:"), self.remind_days)
        self.remind_max_hours = _spin("remind_max_hours", 48, self.tr(" h"))
        self.remind_max_hours.setSpecialValueText(self.tr("Only overnight"))
        row(self.tr("Offer to end a timer running over:"), self.remind_max_hours)

    def fields(self) -> dict[str, QWidget]:
        return {key: getattr(self, key) for key in KEYS}

    def load(self, values: dict[str, Any]) -> None:
        for key in ("idle_minutes", "remind_minutes", "remind_max_hours"):
            getattr(self, key).setValue(int(values[key]))
        self.remind_hours.setText(str(values["remind_hours"]))
        self.remind_days.setText(str(values["remind_days"]))

    def raw_values(self) -> dict[str, Any]:
        return {"idle_minutes": self.idle_minutes.value(), "remind_minutes": self.remind_minutes.value(),
                "remind_hours": self.remind_hours.text().strip(), "remind_days": self.remind_days.text().strip(),
                "remind_max_hours": self.remind_max_hours.value()}

    def explain(self, key: str) -> str | None:
        if key == "remind_hours":
            return self.tr("Type the working hours as 09:00-18:00.")
        if key == "remind_days":
            return self.tr("Type the working days as mon-fri, or as a list such as mon,wed,fri.")
        return None
