"""The timer service's calls for a day's entries (the entries window, ``log``/``add``/``edit``/``delete``).

A mixin of :class:`~.timer_service.TimerService`, so the facade stays one class
without growing: each call hands over to :mod:`.day_entries` (reading) or
:mod:`.entry_actions` (changing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from ..core.entry_rules import EntryProblem
from ..core.models import Task
from .action_result import ActionResult
from .day_entries import DayEntries, DayEntry, DayLoad, PendingChange
from .entry_actions import EntryActions


class DayFacade:
    _day_entries: DayEntries
    _entry_actions: EntryActions

    async def load_day(self, day: date) -> DayLoad:
        """``day``'s entries (the user's zone), oldest first, with the changes still in the outbox on top."""
        return await self._day_entries.load(day)

    def request_add(self, task: Task, started_at: datetime, stopped_at: datetime, comment: str | None = None, *,
                    allow_overlap: bool = False) -> ActionResult:
        """Add a finished entry (a forgotten one); refused at once when its times break a rule."""
        return self._entry_actions.add(task, started_at, stopped_at, comment, allow_overlap=allow_overlap)

    def request_edit(self, entry: DayEntry, *, started_at: datetime | None = None,
                     stopped_at: datetime | None = None, task: Task | None = None, comment: str | None = None,
                     allow_overlap: bool = False) -> ActionResult:
        """Change the given fields of ``entry`` (the running one's start and comment too)."""
        return self._entry_actions.edit(entry, started_at=started_at, stopped_at=stopped_at, task=task,
                                        comment=comment, allow_overlap=allow_overlap)

    def request_delete(self, entry: DayEntry) -> ActionResult:
        """Delete ``entry`` (refused when it was changed elsewhere meanwhile: ``conflict``)."""
        return self._entry_actions.delete(entry)

    def check_entry(self, started_at: datetime, stopped_at: datetime | None, *, others: Sequence[DayEntry],
                    ignore: DayEntry | None = None) -> list[EntryProblem]:
        """What is wrong with these times (see :mod:`..core.entry_rules`), now being the service's clock."""
        return self._entry_actions.check(started_at, stopped_at, others=others, ignore=ignore)

    def problem_text(self, problem: EntryProblem, *, running: bool = False) -> str:
        """``problem`` in words for the user (translated); ``running``: about a running entry's start."""
        return self._entry_actions.problem_text(problem, running=running)

    def pending_changes(self) -> list[PendingChange]:
        """What waits in the outbox, oldest first, and why (for "Pending changes (n)")."""
        return self._day_entries.pending_changes()
