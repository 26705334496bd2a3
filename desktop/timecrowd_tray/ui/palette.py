"""The quick-start palette: type, pick, Enter.

A search field over the cached tasks (recent first), filtered on every
keystroke by :class:`timecrowd_tray.core.fuzzy.FuzzyIndex` (10,000 tasks in
a few milliseconds, see ``benchmarks/bench_palette.py``), from a 0 ms single
shot: the typed character shows at once, and a burst of keys (a paste, an
input method's commit, fast typing) filters once. Whatever reads the list
(the keys, :meth:`Palette.rows`) filters first if a filtering is due. Once typing pauses,
the server's suggestions are asked for in the background and merged below the
local matches as they arrive (a newer query makes older answers moot). The
last row offers to create a task with the typed title in the team and
category chosen below the list ("New tasks go to"; picking one there puts the
focus back in the search field, and the row names it at once). Teams that do
not accept new tasks are never offered there; with none left, the row says so
and cannot be chosen.

Keys: Up/Down/PageUp/PageDown move, Enter acts on the highlighted row, Esc
closes. The first task is highlighted for you; the create row never is: a new
task lands in a shared team, so it takes a deliberate choice (↓ to it, or a
click). With no task matching, nothing is highlighted, Enter does nothing and
the hint line says how to create. The palette also closes when it loses the
focus, like the launchers it imitates.

Commands (:meth:`Palette.set_commands`, the tray's are "Today…" and "Pending
changes", :mod:`.palette_commands`) are found by the same typing and listed
among the tasks by how well they match: a command row comes before a task
only when it matches strictly better, so it is highlighted for you only then
(or, with nothing typed, when it is the only row: with nothing typed the
commands come after the tasks). Enter on one emits :attr:`Palette.command_chosen`
with the controller's method to call, as a task emits :attr:`Palette.task_chosen`.

As a chooser (``choose_only=True``: the entries window's "Choose a task") it
offers the tasks alone: no commands, no create row, no destination, and the
hint says Enter chooses.

The list's rows and how they are painted are :mod:`.palette_rows`; the
choices of where a new task goes (:class:`Destination`) are made by
:mod:`timecrowd_tray.core.destinations`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ..core.destinations import Destination, accepts_new_tasks
from ..core.fuzzy import FuzzyIndex, task_index
from ..core.labels import team_and_category
from ..core.models import Task
from .comment_dialog import take_focus
from .palette_commands import CommandIndex, PaletteCommand
from .palette_rows import PaletteDelegate, PaletteModel, PaletteRow

log = logging.getLogger(__name__)

LOCAL_LIMIT = 50
SUGGEST_DELAY_MS = 250

# search(query) -> the server's suggestions (may raise; cancelled by a newer query).
SearchFn = Callable[[str], Awaitable[Sequence[Task]]]


class Palette(QFrame):
    """The palette window. Give it tasks with :meth:`set_tasks`; it emits what the user chose."""

    task_chosen = Signal(object)                 # Task
    create_requested = Signal(str, object)       # title, Destination
    command_chosen = Signal(str)                 # PaletteCommand.intent: the controller's method to call
    closed = Signal()

    def __init__(self, search: SearchFn | None = None, parent: QWidget | None = None, *,
                 choose_only: bool = False) -> None:
        super().__init__(parent)
        self._search = search
        self._choose_only = choose_only
        self._commands = CommandIndex()
        self._index: FuzzyIndex[Task] = task_index([])
        self._local_ids: set[int] = set()
        self._server: dict[str, list[Task]] = {}  # query -> the server's answer
        self._suggest_task: asyncio.Task | None = None
        self._was_active = False

        self.setObjectName("palette")
        self.setWindowTitle(self.tr("Start a task - TimeCrowd Tray"))
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#palette { border: 1px solid palette(mid); border-radius: 8px; }")
        self.resize(560, 420)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(6)
        self.field = QLineEdit()
        self.field.setObjectName("paletteField")
        self.field.setPlaceholderText(self.tr("Search tasks") if choose_only
                                      else self.tr("Search tasks, or type a new task title"))
        self.field.setClearButtonEnabled(True)
        big = self.field.font()
        big.setPointSizeF(big.pointSizeF() * 1.25)
        self.field.setFont(big)
        self.field.textChanged.connect(self._on_text)
        self.field.installEventFilter(self)
        layout.addWidget(self.field)

        self.model = PaletteModel(self)
        self.view = QListView()
        self.view.setObjectName("paletteList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(PaletteDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(lambda index: self.activate(index.row()))
        layout.addWidget(self.view, 1)

        footer = QHBoxLayout()
        footer.setSpacing(6)
        self.destination_label = QLabel(self.tr("New tasks go to:"))
        footer.addWidget(self.destination_label)
        self.destination = QComboBox()
        self.destination.setObjectName("paletteDestination")
        self.destination.currentIndexChanged.connect(self._update_create_row)
        self.destination.activated.connect(self._on_destination_chosen)
        footer.addWidget(self.destination, 1)
        if choose_only:  # nothing is created here
            self.destination_label.hide()
            self.destination.hide()
        self.hint = QLabel(self.tr("↑↓ choose · Enter start · Esc close"))
        self.hint.setObjectName("paletteHint")
        self.hint.setWordWrap(True)  # a longer hint takes two lines, not the destination's width
        hint_font = self.hint.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 0.85)
        self.hint.setFont(hint_font)
        footer.addWidget(self.hint)
        layout.addLayout(footer)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_hint())

        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self._ask_server)
        # Filtering waits for the event loop (0 ms): the line edit repaints the typed character
        # first, and a burst of text changes filters once.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(0)
        self._filter_timer.timeout.connect(self._refresh)
        self._refresh()

    # -- data ------------------------------------------------------------------------------

    def set_tasks(self, tasks: Sequence[Task]) -> None:
        """The local tasks, most recent first (each once)."""
        seen: set[int] = set()
        unique = [t for t in tasks if not (t.id in seen or seen.add(t.id))]  # type: ignore[func-returns-value]
        self._index = task_index(unique)
        self._local_ids = seen
        self._refresh()

    def set_destinations(self, destinations: Sequence[Destination], preferred: Destination | None = None) -> None:
        """The "New tasks go to" choices (teams that do not accept new tasks are left out)."""
        current = self.current_destination() if preferred is None else preferred
        self.destination.blockSignals(True)  # one update of the create row, at the end
        try:
            self.destination.clear()
            for dest in destinations:
                if accepts_new_tasks(dest.team):
                    self.destination.addItem(dest.label(), dest)
            if current is not None:
                for i in range(self.destination.count()):
                    if self.destination.itemData(i) == current:
                        self.destination.setCurrentIndex(i)
                        break
        finally:
            self.destination.blockSignals(False)
        self._update_create_row()

    def set_commands(self, commands: Sequence[PaletteCommand]) -> None:
        """The commands offered beside the tasks (none as a chooser)."""
        if self._choose_only:
            return
        self._commands = CommandIndex(commands)
        self._refresh()

    def current_destination(self) -> Destination | None:
        data = self.destination.currentData()
        return data if isinstance(data, Destination) else None

    @property
    def query(self) -> str:
        return self.field.text()

    def rows(self) -> list[PaletteRow]:
        self.flush()
        return list(self.model.rows)

    def current_row(self) -> int:
        self.flush()
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    # -- filtering ---------------------------------------------------------------------------

    def _on_text(self, _text: str) -> None:
        self._filter_timer.start()  # filters from the event loop (see __init__)
        if self._search is not None and self.query.strip():
            self._suggest_timer.start()
        else:
            self._suggest_timer.stop()

    def flush(self) -> None:
        """Filter now if the text changed since the list was last filtered."""
        if self._filter_timer.isActive():
            self._refresh()

    def _refresh(self, keep: tuple[str, int | str] | None = None) -> None:
        """Filter for what is typed; highlight the row ``keep`` names if it is still there, else the first task."""
        self._filter_timer.stop()
        query = self.query.strip()
        matches = self._index.search(self.query, LOCAL_LIMIT)  # unstripped: a trailing space matters
        rows = [PaletteRow("task", m.item.title, team_and_category(m.item), m.item) for m in matches]
        shown = {r.task.id for r in rows if r.task is not None}
        for task in self._server.get(query, ()):
            if task.id not in shown:
                shown.add(task.id)
                rows.append(PaletteRow("task", task.title, team_and_category(task), task, from_server=True))
        self._insert_commands(rows, [m.score for m in matches])
        if query and not self._choose_only:
            rows.append(self._create_row(query))
        self.model.set_rows(rows)
        target = next((i for i, r in enumerate(rows) if keep is not None and r.identity == keep and r.enabled),
                      None)
        if target is None:  # the first row, a task or a better match; never the create row (see the docstring)
            target = next((i for i, r in enumerate(rows) if r.kind != "create" and r.enabled), None)
            if target is not None and rows[target].kind == "command" and not query and len(rows) > 1:
                target = None  # nothing typed (and no task): a command only when it is all there is
        self._select(target)

    def _insert_commands(self, rows: list[PaletteRow], scores: Sequence[int]) -> None:
        """Put the commands the query finds into ``rows``, after the local tasks matching at least as well.

        ``scores`` are those tasks' scores, best first (they are ``rows``' head). Nothing typed: every
        command, after the tasks.
        """
        found: list[tuple[PaletteCommand, int | None]] = (
            list(self._commands.search(self.query)) if self.query.strip()
            else [(command, None) for command in self._commands.commands])
        end = len(rows)
        for inserted, (command, score) in enumerate(found):  # best first: the positions only grow
            at = end if score is None else sum(1 for s in scores if s >= score)
            rows.insert(at + inserted, PaletteRow("command", command.title, command.subtitle,
                                                  command=command.intent, tag=self.tr("Command")))

    def _create_row(self, query: str) -> PaletteRow:
        title = self.tr("Create “%1”").replace("%1", query)
        dest = self.current_destination()
        if dest is None:
            return PaletteRow("create", title, self.tr("None of your teams accepts new tasks"), enabled=False)
        return PaletteRow("create", title, self.tr("Create a new task in %1").replace("%1", dest.label()))

    def _update_create_row(self, *_args: object) -> None:
        """The create row names the destination chosen now (the rest of the list and the highlight stay)."""
        self.flush()
        rows = self.model.rows
        if not rows or rows[-1].kind != "create":
            self._update_hint()
            return
        last = len(rows) - 1
        was_current = self.current_row() == last
        self.model.replace_row(last, self._create_row(self.query.strip()))
        if was_current and not rows[last].enabled:
            self._select(None)
        self._update_hint()

    def _select(self, row: int | None) -> None:
        if row is None:
            self.view.selectionModel().clear()  # no current row: Enter does nothing
            self.view.setCurrentIndex(self.model.index(-1))
        else:
            self.view.setCurrentIndex(self.model.index(row))
        self._update_hint()

    def _update_hint(self) -> None:
        """The hint line says what Enter does now."""
        rows = self.model.rows
        index = self.view.currentIndex()
        current = rows[index.row()] if index.isValid() and 0 <= index.row() < len(rows) else None
        if current is not None and current.kind == "create":
            text = self.tr("↑↓ choose · Enter create · Esc close")
        elif current is not None and current.kind == "command":
            text = self.tr("↑↓ choose · Enter open · Esc close")
        elif self._choose_only and (current is not None or not self.query.strip()):
            text = self.tr("↑↓ move · Enter choose · Esc close")
        elif current is not None or not self.query.strip():
            text = self.tr("↑↓ choose · Enter start · Esc close")
        elif rows and rows[-1].kind == "create" and rows[-1].enabled:
            text = self.tr("No task matches · ↓ then Enter to create it · Esc close")
        else:
            text = self.tr("No task matches · Esc close")
        self.hint.setText(text)

    def _ask_server(self) -> None:
        query = self.query.strip()
        if not query or self._search is None or query in self._server:
            return
        if self._suggest_task is not None and not self._suggest_task.done():
            self._suggest_task.cancel()
        self._suggest_task = asyncio.ensure_future(self._fetch(query))

    async def _fetch(self, query: str) -> None:
        assert self._search is not None
        try:
            tasks = list(await self._search(query))
        except asyncio.CancelledError:
            return
        except Exception as exc:  # offline, server error: the local matches are enough
            log.info("task suggestions for the palette failed: %s", exc)
            return
        self._server[query] = tasks
        if len(self._server) > 50:
            self._server.pop(next(iter(self._server)))
        if self.query.strip() == query:
            row = self.current_row()
            self._refresh(keep=self.model.rows[row].identity if row >= 0 else None)  # the same choice stays

    # -- keys and choices ---------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp,
                       Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.flush()  # the keys act on the list for what is typed
            moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}
            if key in moves:
                self._move(moves[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activate(self.current_row())  # no row highlighted: nothing happens
                return True
            if key == Qt.Key.Key_Escape:
                self.close_palette()
                return True
        return super().eventFilter(obj, event)

    def _move(self, step: int) -> None:
        """Highlight the row ``step`` rows on (rows that cannot be chosen are stepped over)."""
        rows = self.model.rows
        enabled = [i for i, r in enumerate(rows) if r.enabled]
        if not enabled:
            return
        row = self.current_row()
        if row < 0:  # nothing highlighted (no task matches): either arrow picks the nearest row
            self._select(enabled[0] if step > 0 else enabled[-1])
            return
        target = max(0, min(len(rows) - 1, row + step))
        forward = [i for i in enabled if i >= target] if step > 0 else [i for i in enabled if i <= target]
        if step > 0:
            self._select(forward[0] if forward else enabled[-1])
        else:
            self._select(forward[-1] if forward else enabled[0])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close_palette()
            return
        super().keyPressEvent(event)

    def activate(self, row: int) -> None:
        """Start (or create, or run) what row ``row`` of the list as shown offers (nothing for no row)."""
        if not 0 <= row < self.model.rowCount():
            return
        chosen = self.model.rows[row]
        if not chosen.enabled:
            return
        if chosen.kind == "create":
            dest = self.current_destination()
            if dest is None:
                return
            self.close_palette()
            self.create_requested.emit(self.query.strip(), dest)
        elif chosen.kind == "command":
            self.close_palette()
            self.command_chosen.emit(chosen.command)
        elif chosen.task is not None:
            self.close_palette()
            self.task_chosen.emit(chosen.task)

    def _on_destination_chosen(self, _index: int) -> None:
        """A destination was picked: the create row names it, and typing goes on in the field."""
        self._update_create_row()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        # Again once the combo box's popup has closed (closing it may hand the focus back to the box).
        QTimer.singleShot(0, self, lambda: self.field.setFocus(Qt.FocusReason.OtherFocusReason))

    # -- showing ---------------------------------------------------------------------------------

    def popup(self) -> None:
        """Open empty, centred near the top of the pointer's screen, with the focus in the field."""
        self.field.clear()
        self._server.clear()
        self._refresh()
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.left() + (area.width() - self.width()) // 2, area.top() + area.height() // 5)
        self._was_active = False
        self.show()
        take_focus(self, self.field)

    def close_palette(self) -> None:
        if self.isVisible():
            self.close()  # -> closeEvent
        else:
            self._cancel_suggestions()

    def _cancel_suggestions(self) -> None:
        self._suggest_timer.stop()
        if self._suggest_task is not None and not self._suggest_task.done():
            self._suggest_task.cancel()
        self._suggest_task = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.ActivationChange:
            if self.isActiveWindow():
                self._was_active = True
            elif self._was_active and self.isVisible():
                # Clicked elsewhere: go away like a launcher (only once it really had the focus).
                QTimer.singleShot(0, self, self._close_if_inactive)
        super().changeEvent(event)

    def _close_if_inactive(self) -> None:
        if self.isVisible() and not self.isActiveWindow() and QApplication.activeModalWidget() is None:
            app_active = QGuiApplication.focusWindow()
            if app_active is None or app_active is not self.windowHandle():
                self.close_palette()

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self._cancel_suggestions()
        was_visible = self.isVisible()
        super().closeEvent(event)
        if was_visible:
            self.closed.emit()
