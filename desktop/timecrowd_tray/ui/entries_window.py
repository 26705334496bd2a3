"""The entries window: one day of entries, its timeline and totals, everything fixable in place.

One day at a time (:mod:`.day_navigator`). The day loads in the background (a coroutine on
the qasync loop): "Loading…" shows and the last rows stay until the new ones arrive; a newer
day cancels an older day's load, so paging through a month never waits on each day. It is read
again by itself when the timer changes it or after an incomplete load (:mod:`.day_freshness`).

Edits (start, end and comment typed in the table; the task cell opens the task palette; a
bar edge dragged on the timeline; "Add entry…", or a gap picked on the timeline) are checked
first (:meth:`EntriesModel.check_entry`): a blocking problem is said and nothing is sent; an
overlap is said with "Save anyway". What then happened is said as it is (:mod:`.entry_reports`).
A delete hides the row and offers "Undo" for :data:`UNDO_MS`; only then (or when the window
closes, or another notice replaces it) is it asked of the service, so an undo never has to
take back something already sent, and a crash meanwhile deletes nothing.

"Continue" goes through ``start_task`` (the tray's: a switch asks for the comment as a stop does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..api import errors
from ..core.clock_input import ClockInputError, parse_clock
from ..core.models import Task
from ..core.today import user_timezone
from ..services.messages import api_error_text
from . import entries_table as cols
from .day_freshness import DayFreshness
from .day_navigator import DayNavigator
from .day_totals_view import DayTotalsView
from .entries_model import EntriesModel
from .entries_table import DayTableModel, clock_text
from .entry_reports import EntryReports
from .notice_bar import NoticeBar
from .timeline import Timeline

log = logging.getLogger(__name__)

UNDO_MS = 6000


class EntriesWindow(QWidget):
    """See the module docstring."""

    loaded = Signal(object)  # the date whose entries are now shown

    def __init__(self, model: EntriesModel, *, now: Callable[[], datetime],
                 start_task: Callable[[Task], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._now_utc = now
        self._start_task = start_task
        self.day: date = self.now().date()
        self.entries: list[Any] = []    # DayEntry, as loaded (hidden ones included)
        self.hidden: set[Any] = set()   # refs deleted here, waiting for their undo to run out
        self.load_error: str | None = None
        self._load_task: asyncio.Task[None] | None = None
        self._chooser: Any = None       # Palette, built on first use
        self.add_dialog: Any = None     # the last "Add an entry" dialog opened
        self._chosen: Callable[[Task], None] | None = None  # who the chooser's task goes to
        self._unsubscribe = model.add_event_listener(self._on_event)
        self._shut = False              # shut down: nothing loads or reloads any more

        self.setObjectName("entriesWindow")
        self.setWindowTitle(self.tr("Entries - TimeCrowd Tray"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(820, 560)
        layout = QVBoxLayout(self)

        self.navigator = DayNavigator()
        self.navigator.day_chosen.connect(self.show_day)
        layout.addWidget(self.navigator)

        self.timeline = Timeline()
        self.timeline.entry_clicked.connect(self._select_ref)
        self.timeline.times_dragged.connect(self._dragged)
        self.timeline.span_chosen.connect(lambda s, e: self.open_add(s, e))
        layout.addWidget(self.timeline)

        self.table_model = DayTableModel(self.now, self)
        self.table_model.edit_requested.connect(self._cell_edited)
        self.table = QTableView()
        self.table.setObjectName("entriesTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((cols.TASK, 220), (cols.TEAM, 120), (cols.START, 80), (cols.END, 80),
                              (cols.DURATION, 80)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        actions = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add entry…"))
        self.add_button.setObjectName("addEntry")
        self.add_button.setToolTip(self.tr("Ctrl+N; or pick a gap on the timeline"))
        self.add_button.clicked.connect(lambda: self.open_add())
        actions.addWidget(self.add_button)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.setObjectName("continueEntry")
        self.continue_button.setToolTip(self.tr("Start this entry's task again (Ctrl+Enter)"))
        self.continue_button.clicked.connect(self.continue_current)
        actions.addWidget(self.continue_button)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setObjectName("deleteEntry")
        self.delete_button.setToolTip(self.tr("Delete (the Delete key); undo with Ctrl+Z"))
        self.delete_button.clicked.connect(self.delete_current)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.totals_view = DayTotalsView()
        layout.addWidget(self.totals_view)

        self.notice = NoticeBar()
        layout.addWidget(self.notice)
        self.reports = EntryReports(model, self.notice, reload=self.reload, show_change=self._show_change, parent=self)
        self.freshness = DayFreshness(model, reload=self.reload, day=lambda: self.day, tz=lambda: self.tz,
                                      now=self.now, shown=self.isVisible, parent=self)

        self.ticker = QTimer(self)  # the running entry's duration, the now line, the totals
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        for keys, slot in ((QKeySequence("Alt+Left"), self.navigator.previous),
                           (QKeySequence("Alt+Right"), self.navigator.next),
                           (QKeySequence("Ctrl+N"), lambda: self.open_add()),
                           (QKeySequence(QKeySequence.StandardKey.Undo), self.notice.trigger),
                           (QKeySequence(QKeySequence.StandardKey.Refresh), self.reload),
                           (QKeySequence("Ctrl+R"), self.reload),
                           (QKeySequence("Ctrl+Return"), self.continue_current),
                           (QKeySequence("Ctrl+Enter"), self.continue_current),
                           (QKeySequence("Esc"), self.close)):
            QShortcut(keys, self, slot)
        self._render()

    # -- time ---------------------------------------------------------------------------------

    @property
    def tz(self) -> tzinfo:
        return user_timezone(self.model.user)

    def now(self) -> datetime:
        return self._now_utc().astimezone(self.tz)

    # -- loading ------------------------------------------------------------------------------

    def show_day(self, day: date) -> None:
        """Show ``day`` (its entries load in the background; an older load is cancelled)."""
        if day != self.day:
            self.reports.flush()  # a delete waiting for its undo is asked now, before its day goes
        self.day = day
        self.navigator.set_day(day, self.now().date())
        self.reload()

    def reload(self) -> None:
        if self._shut:
            return
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        self.navigator.set_status(self.tr("Loading…"))
        self.freshness.loading()
        self._load_task = asyncio.ensure_future(self._load(self.day))

    async def _load(self, day: date) -> None:
        try:
            load = await self.model.load_day(day)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - said in the window; the last rows stay
            log.warning("loading the entries of %s: %s", day, exc)
            if day == self.day and not self._shut:
                self.load_error = self._failure_text(exc)
                self.navigator.set_status(self.load_error)
                self.freshness.loaded(False)
            return
        if day != self.day or self._shut:
            return
        self.set_load(load)

    def set_load(self, load: Any) -> None:
        """Show a :class:`DayLoad` (:meth:`_load`'s, or the benchmark's); its error, a whole sentence, as is."""
        self.day = load.day
        self.entries = list(load.entries)
        self.hidden &= {e.ref for e in self.entries}
        self.load_error = None if load.complete else (load.error or self.tr("Part of this day could not be loaded."))
        self.navigator.set_status(self.load_error or "")
        self.freshness.loaded(load.complete)
        self._render()
        self.loaded.emit(load.day)

    def _failure_text(self, exc: Exception) -> str:  # an API error's text is a reason, not a sentence
        return self.tr("Could not load this day: %1").replace("%1", api_error_text(exc)) \
            if isinstance(exc, errors.ApiError) else self.tr("Could not load this day.")

    def _render(self) -> None:
        current = self.current_entry()
        shown = self.shown_entries()
        now = self.now()
        self.table_model.set_entries(shown, self.day, self.tz)
        self.timeline.set_day(self.day, self.tz, shown, now)
        self._update_totals(now)
        if current is not None:
            self._select_ref(current.ref)
        today = now.date()
        self.navigator.set_day(self.day, today)
        self.empty_label.setVisible(not shown)
        self.empty_label.setText(self.tr("No entries on this day. Add one with “Add entry…” (Ctrl+N)."))
        running = any(e.stopped_at is None for e in shown)
        if running or self.day == today:
            if not self.ticker.isActive() and self.isVisible():
                self.ticker.start()
        else:
            self.ticker.stop()
        self._update_buttons()

    def shown_entries(self) -> list[Any]:
        return [e for e in self.entries if e.ref not in self.hidden]

    def _update_totals(self, now: datetime) -> None:
        self.totals_view.update_totals([e for e in self.shown_entries() if e.pending != "delete"], now=now,
                                       day=self.day)

    def _tick(self) -> None:
        now = self.now()
        self.table_model.tick()
        self.timeline.set_now(now)
        self._update_totals(now)
        if now.date() != self.day and self.day == (now - timedelta(seconds=2)).date():
            self._render()  # midnight passed: the next day's button

    def _on_event(self, event: object) -> None:
        self.freshness.service_event(event)  # a timer change, the service back online: read the day again
        if type(event).__name__ == "DayChanged":
            day = getattr(event, "day", None)
            if day is None or day == self.day:
                self.reload()
        elif type(event).__name__ == "IntentRejected" and getattr(event, "kind", None) in ("add", "edit", "delete"):
            # Sent long after it was made (back online), a refusal is said here too: the day reloads meanwhile.
            self.reports.refused(getattr(event, "message", ""))

    # -- selection ----------------------------------------------------------------------------

    def current_entry(self) -> Any:
        index = self.table.currentIndex()
        rows = self.table_model.entries
        return rows[index.row()] if index.isValid() and 0 <= index.row() < len(rows) else None

    def _select_ref(self, ref: Any) -> None:
        row = self.table_model.row_of(ref)
        if row >= 0:
            column = max(0, self.table.currentIndex().column())
            self.table.setCurrentIndex(self.table_model.index(row, column))

    def _row_changed(self, *_: object) -> None:
        entry = self.current_entry()
        self.timeline.select(entry.ref if entry is not None else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        usable = entry is not None and entry.pending != "delete"
        self.delete_button.setEnabled(usable)
        self.continue_button.setEnabled(entry is not None)

    # -- keys ---------------------------------------------------------------------------------

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if obj is self.table and event.type() == event.Type.KeyPress and self.table.state() != \
                QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.edit_current()
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_current()
                return True
        return super().eventFilter(obj, event)

    def edit_current(self) -> None:
        """Enter: edit the current cell (the task cell: the task palette)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        if index.column() in (cols.TASK, cols.TEAM):
            self.change_task(self.table_model.entries[index.row()])
        elif self.table_model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.table.edit(index)

    def _double_clicked(self, index: Any) -> None:
        if index.column() in (cols.TASK, cols.TEAM):
            self.change_task(self.table_model.entries[index.row()])

    # -- edits --------------------------------------------------------------------------------

    def read_time(self, text: str, *, reference: datetime | None = None) -> datetime:
        """A typed time on the day shown (``ValueError`` with the message to show)."""
        try:
            return parse_clock(text, day=self.day, now=self.now(), reference=reference)
        except ClockInputError as exc:
            if exc.code == "out_of_range":
                raise ValueError(self.tr("“%1” is not a time of day.").replace("%1", text.strip())) from None
            raise ValueError(self.tr("“%1” is not a time: type 9:05, 905, or -15m for 15 minutes ago.")
                             .replace("%1", text.strip())) from None

    def _cell_edited(self, row: int, column: int, text: str) -> None:
        entry = self.table_model.entries[row]
        if column == cols.COMMENT:
            self.reports.send(lambda _allow: self.model.request_edit(entry, comment=text.strip()),
                              self.tr("Comment saved."), entry=entry, shown=replace(entry, comment=text.strip()))
            return
        try:
            moment = self.read_time(text)
        except ValueError as exc:
            self.notice.show_notice(str(exc), "error")
            return
        if column == cols.START:
            self.change_times(entry, moment, entry.stopped_at)
        elif column == cols.END:
            self.change_times(entry, entry.started_at, moment)

    def _dragged(self, entry: Any, start: datetime, stop: datetime | None) -> None:
        self.change_times(entry, start, stop)

    def problems(self, start: datetime, stop: datetime | None, ignore: Any = None) -> tuple[list[str], list[str]]:
        """(blocking texts, overlap texts) of an entry from ``start`` to ``stop`` among the day's others."""
        others = [e for e in self.shown_entries() if e.pending != "delete"]
        found = self.model.check_entry(start, stop, others=others, ignore=ignore)
        blocking = [self.model.problem_text(p) for p in found if p.blocking]
        overlaps = [self.model.problem_text(p) for p in found if not p.blocking]
        return blocking, overlaps

    def change_times(self, entry: Any, start: datetime, stop: datetime | None) -> None:
        """Check the new times, then ask for them (an overlap: only once the user insists)."""
        blocking, overlaps = self.problems(start, stop, ignore=entry)
        if blocking:
            self.notice.show_notice("\n".join(blocking), "error")
            self.timeline.update()
            return
        fields: dict[str, Any] = {}
        if start != entry.started_at:
            fields["started_at"] = start
        if stop is not None and stop != entry.stopped_at:
            fields["stopped_at"] = stop
        if not fields:
            return
        shown = replace(entry, started_at=start, stopped_at=stop)

        def send(allow: bool) -> None:
            self.reports.send(lambda ok: self.model.request_edit(entry, allow_overlap=ok, **fields),
                              self.tr("Times saved."), entry=entry, shown=shown, allow_overlap=allow)

        if overlaps:
            self.notice.show_notice("\n".join(overlaps), "warning", action=self.tr("Save anyway"),
                                    on_action=lambda: send(True))
            self.timeline.update()
            return
        send(False)

    def change_task(self, entry: Any) -> None:
        def chosen(task: Task) -> None:
            if task.id != entry.task.id:
                self.reports.send(lambda _allow: self.model.request_edit(entry, task=task), self.tr("Task changed."),
                                  entry=entry, shown=replace(entry, task=task))
        self.choose_task(chosen)

    def choose_task(self, callback: Callable[[Task], None]) -> Any:
        """The task palette (the palette's search), calling ``callback`` with the task chosen."""
        from .palette import Palette

        if self._chooser is None:
            model = self.model
            self._chooser = Palette(search=lambda q: model.search_tasks(q), choose_only=True)
            self._chooser.setWindowTitle(self.tr("Choose a task - TimeCrowd Tray"))
            self._chooser.set_destinations([])
        if self._chosen is not None:  # one choice at a time: the last caller gets the task
            self._chooser.task_chosen.disconnect(self._chosen)
        self._chosen = callback
        self._chooser.task_chosen.connect(callback)
        self._chooser.set_tasks(self.model.cached_tasks)
        self._chooser.popup()
        return self._chooser

    def open_add(self, start: datetime | None = None, stop: datetime | None = None) -> Any:
        """The "Add an entry" dialog, for ``start``–``stop`` when given (a gap of the timeline)."""
        from .entry_editor import AddEntryDialog

        current = self.current_entry()

        def submit(task: Task, begin: datetime, end: datetime, comment: str, allow: bool) -> str | None:
            return self.reports.send(
                lambda ok: self.model.request_add(task, begin, end, comment.strip() or None, allow_overlap=ok),
                self.tr("Entry added."), allow_overlap=allow)

        dialog = AddEntryDialog(
            read_time=self.read_time, check=lambda s, e: self.problems(s, e), submit=submit,
            choose_task=self.choose_task, task=current.task if current is not None else None,
            start_text=clock_text(start, self.tz, self.day) if start else "",
            stop_text=clock_text(stop, self.tz, self.day) if stop else "", parent=self)
        dialog.setWindowFlag(Qt.WindowType.Window)
        dialog.show()
        dialog.start_edit.setFocus()
        self.add_dialog = dialog
        return dialog

    def continue_current(self) -> Any:
        entry = self.current_entry()
        if entry is None:
            return None
        return self._start_task(entry.task)

    # -- delete with undo ---------------------------------------------------------------------

    def delete_current(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.pending == "delete":
            return
        row = self.table.currentIndex().row()
        self.hidden.add(entry.ref)
        self.reports.delete_later(entry, on_undo=lambda: self._undelete(entry.ref), timeout_ms=UNDO_MS)
        self._render()
        rows = self.table_model.rowCount()
        if rows:
            self.table.setCurrentIndex(self.table_model.index(min(row, rows - 1), cols.TASK))

    def _undelete(self, ref: Any) -> None:
        self.hidden.discard(ref)
        self._render()
        self._select_ref(ref)

    def _show_change(self, entry: Any, shown: Any) -> None:
        """The row shows the change just asked for (marked pending) until the day is loaded again."""
        marked = replace(shown, pending=shown.pending or "edit")
        self.entries = [marked if e.ref == entry.ref else e for e in self.entries]
        self._render()

    # -- showing ------------------------------------------------------------------------------

    def open(self, day: date | None = None) -> None:
        """Show the window on ``day`` (today by default), raised, with the focus in the list."""
        from .comment_dialog import take_focus

        self.show_day(day or self.now().date())
        self.show()
        take_focus(self, self.table)
        if not self.ticker.isActive():
            self.ticker.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.reports.flush()  # a delete waiting for its undo is asked now
        self.ticker.stop()
        if self._chooser is not None:
            self._chooser.close_palette()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._shut = True
        self.close()
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        self.reports.cancel()
        self.freshness.stop()
        self._unsubscribe()
        if self._chooser is not None:
            self._chooser.deleteLater()
            self._chooser = None
