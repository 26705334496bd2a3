"""What the entries window (and its parts) use of the timer service, as a Protocol.

:class:`~timecrowd_tray.services.timer_service.TimerService` is one; the tests use a fake
(tests/ui/entries_fake.py). ``DayLoad``, ``DayEntry`` and ``EntryProblem`` are the engine's
(services/day_entries.py, core/entry_rules.py); typed ``Any`` here so the UI reads only
the fields it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from ..core.models import Task, User


class EntriesModel(Protocol):
    """What the window uses of the service."""

    @property
    def user(self) -> User | None: ...
    @property
    def cached_tasks(self) -> list[Task]: ...

    async def search_tasks(self, query: str) -> list[Task]: ...
    async def load_day(self, day: date) -> Any: ...  # DayLoad
    def check_entry(self, started_at: datetime, stopped_at: datetime | None, *, others: Sequence[Any],
                    ignore: Any = None) -> list[Any]: ...  # list[EntryProblem]
    def problem_text(self, problem: Any) -> str: ...
    def request_add(self, task: Task, started_at: datetime, stopped_at: datetime, comment: str | None = None, *,
                    allow_overlap: bool = False) -> Any: ...
    def request_edit(self, entry: Any, *, started_at: datetime | None = None, stopped_at: datetime | None = None,
                     task: Task | None = None, comment: str | None = None, allow_overlap: bool = False) -> Any: ...
    def request_delete(self, entry: Any) -> Any: ...
    async def outcome(self, result: Any, timeout: float) -> Any: ...
    def add_event_listener(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...
