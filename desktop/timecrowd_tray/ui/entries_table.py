"""The day's entries as the rows of a table: task, team, start, end, duration, comment.

:class:`DayTableModel` shows :class:`~timecrowd_tray.services.day_entries.DayEntry` rows
(oldest first, as the day's load gives them) for a ``QTableView``. The start, end and comment
cells are editable in place; an edit is not written into the row: it is announced by
:attr:`DayTableModel.edit_requested` (row, column, typed text) and the window checks it and
asks the service, which shows the change once it has it. Times are the user's wall clock (the
account's time zone); a time on another day than the one shown carries its date.

Every duration is ``H:MM`` (:func:`~timecrowd_tray.core.durations.format_hm`), as the day's
totals are; the running entry's end says "running" and its duration ticks each minute
(:meth:`DayTableModel.tick`); its live seconds are the menu header's (``H:MM:SS``).
A pending change of ours says so in the task cell's tooltip and in an italic font.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from ..core.durations import format_hm

TASK, TEAM, START, END, DURATION, COMMENT = range(6)
EDITABLE = (START, END, COMMENT)
_NO_PARENT = QModelIndex()


def clock_text(moment: datetime, tz: tzinfo, day: date) -> str:
    """``9:05`` on ``day``; ``23:40 (10/20)`` on another day (the month/day it is on)."""
    local = moment.astimezone(tz)
    text = f"{local.hour}:{local.minute:02d}"
    if local.date() != day:
        text += f" ({local.month}/{local.day})"
    return text


class DayTableModel(QAbstractTableModel):
    """The rows of one day (see the module docstring)."""

    edit_requested = Signal(int, int, str)  # row, column, the typed text

    def __init__(self, now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.entries: list[Any] = []  # DayEntry
        self.day: date = now().date()
        self.tz: tzinfo = now().tzinfo or datetime.now().astimezone().tzinfo  # type: ignore[assignment]
        self._headers = [self.tr("Task"), self.tr("Team"), self.tr("Start"), self.tr("End"),
                         self.tr("Duration"), self.tr("Comment")]

    # -- data -------------------------------------------------------------------------------

    def set_entries(self, entries: Sequence[Any], day: date, tz: tzinfo) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.day = day
        self.tz = tz
        self.endResetModel()

    def replace(self, row: int, entry: Any) -> None:
        """Row ``row`` shows ``entry`` (an edit just asked for, shown before the server confirms it)."""
        self.entries[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, COMMENT))

    def row_of(self, ref: Any) -> int:
        return next((i for i, e in enumerate(self.entries) if e.ref == ref), -1)

    def running_row(self) -> int:
        return next((i for i, e in enumerate(self.entries) if e.stopped_at is None), -1)

    def tick(self) -> None:
        """Once a second while shown: the running entry's end and duration."""
        row = self.running_row()
        if row >= 0:
            self.dataChanged.emit(self.index(row, END), self.index(row, DURATION), [Qt.ItemDataRole.DisplayRole])

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        entry = self.entries[index.row()]
        if index.column() in EDITABLE and not (index.column() == END and entry.stopped_at is None):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.FontRole and entry.pending is not None:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and entry.pending == "delete":
            return QColor("#888888")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(entry, column)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = str(value if value is not None else "")
        if text == self._edit_text(self.entries[index.row()], index.column()):
            return False  # left as it was: nothing to ask
        self.edit_requested.emit(index.row(), index.column(), text)
        return False  # the row changes when the service has the change (see the module docstring)

    # -- texts --------------------------------------------------------------------------------

    def _display(self, entry: Any, column: int) -> str:
        if column == TASK:
            return entry.task.title
        if column == TEAM:
            return entry.task.team_name
        if column == START:
            return clock_text(entry.started_at, self.tz, self.day)
        if column == END:
            if entry.stopped_at is None:
                return self.tr("running")
            return clock_text(entry.stopped_at, self.tz, self.day)
        if column == DURATION:
            return format_hm(entry.duration(self._now()))
        return " ".join((entry.comment or "").split())

    def _edit_text(self, entry: Any, column: int) -> str:
        if column == COMMENT:
            return entry.comment or ""
        if column == START:
            return clock_text(entry.started_at, self.tz, self.day)
        if column == END and entry.stopped_at is not None:
            return clock_text(entry.stopped_at, self.tz, self.day)
        return self._display(entry, column)

    def _tooltip(self, entry: Any, column: int) -> str | None:
        lines = []
        if column == COMMENT and entry.comment:
            lines.append(entry.comment)
        if entry.pending is not None:
            lines.append(self.pending_text(entry.pending))
        if entry.problem:
            lines.append(entry.problem)
        if column in (START, END) and not entry.pending:
            lines.append(self.tr("Type 9:05, 905 or -15m (15 minutes ago); Enter saves"))
        return "\n".join(lines) or None

    def pending_text(self, pending: str) -> str:
        if pending == "add":
            return self.tr("Added here, not sent yet")
        if pending == "delete":
            return self.tr("Deleted here, not sent yet")
        return self.tr("Changed here, not sent yet")
