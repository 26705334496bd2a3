"""A stand-in for the service as the entries window uses it (its :class:`EntriesModel`), in memory.

The real :class:`TimerService` is tested with the window too (tests/ui/test_entries_window.py,
against the emulator); this one lets a test hold a day's load, refuse an action, or choose an
outcome.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from timecrowd_tray.core.entry_rules import check_times
from timecrowd_tray.core.models import Category, Task, User
from timecrowd_tray.core.timer import EntryRef
from timecrowd_tray.services.action_result import ActionResult, Outcome

TOKYO = ZoneInfo("Asia/Tokyo")
DEV = Category(id=1, title="開発", color=1, team_id=14)
MEETING = Category(id=2, title="会議", color=3, team_id=14)
LOGIN = Task(id=1, title="ログイン画面の改修", team_id=14, team_name="株式会社デモ", category=DEV)
REVIEW = Task(id=2, title="Code review", team_id=14, team_name="株式会社デモ", category=DEV)
WEEKLY = Task(id=3, title="週次定例ミーティング", team_id=14, team_name="株式会社デモ", category=MEETING)
TRIAGE = Task(id=4, title="Bug triage #214", team_id=15, team_name="Open Source Guild")


@dataclass(frozen=True)
class FakeDayEntry:
    ref: EntryRef
    task: Task
    started_at: datetime
    stopped_at: datetime | None
    comment: str | None = None
    pending: Literal["add", "edit", "delete"] | None = None
    problem: str | None = None
    server: Any = None

    def duration(self, now: datetime) -> float:
        return max(0.0, ((self.stopped_at or now) - self.started_at).total_seconds())

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None


@dataclass(frozen=True)
class FakeDayLoad:
    day: date
    entries: list[Any]
    complete: bool = True
    error: str | None = None


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def entry(entry_id: int, task: Task, start: datetime, stop: datetime | None, comment: str | None = None,
          **kw: Any) -> FakeDayEntry:
    return FakeDayEntry(EntryRef(entry_id=entry_id), task, start, stop, comment, **kw)


def a_day(day: date, running: bool = True) -> list[FakeDayEntry]:
    """A morning's entries, a gap (12:00–13:00), and (``running``) the afternoon's running entry."""
    rows = [entry(101, WEEKLY, at(day, 9), at(day, 9, 30), "定例"),
            entry(102, LOGIN, at(day, 9, 30), at(day, 12), "サインイン画面")]
    if running:
        rows.append(entry(103, REVIEW, at(day, 13), None))
    return rows


@dataclass
class FakeEntries:
    now: datetime
    days: dict[date, list[Any]] = field(default_factory=dict)
    user: User = field(default_factory=lambda: User(id=7, nickname="me", time_zone_name="Asia/Tokyo"))
    cached_tasks: list[Task] = field(default_factory=lambda: [REVIEW, LOGIN, WEEKLY, TRIAGE])
    gate: asyncio.Event | None = None         # set: a load waits for it
    refusal: tuple[str, str] | None = None    # (message, code): the next request is refused so
    outcome_kind: str = "done"
    outcome_reason: str | None = None
    calls: list[tuple[str, Any]] = field(default_factory=list)
    loads: list[date] = field(default_factory=list)
    cancelled: list[date] = field(default_factory=list)
    listeners: list[Any] = field(default_factory=list)
    _before: dict[Any, Any] = field(default_factory=dict)

    async def search_tasks(self, query: str) -> list[Task]:
        return [t for t in self.cached_tasks if query.lower() in t.title.lower()]

    async def load_day(self, day: date) -> FakeDayLoad:
        self.loads.append(day)
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            self.cancelled.append(day)
            raise
        return FakeDayLoad(day, list(self.days.get(day, [])))

    def check_entry(self, started_at: datetime, stopped_at: datetime | None, *, others: Any,
                    ignore: Any = None) -> list[Any]:
        ignore_id = ignore.ref.entry_id if ignore is not None else None
        return check_times(started_at, stopped_at, now=self.now, others=others, ignore_id=ignore_id)

    def problem_text(self, problem: Any) -> str:
        if problem.code == "overlap":
            return f"This overlaps “{problem.other.task.title}”."
        return {"stop_before_start": "The end is before the start.", "in_future": "The end is in the future.",
                "empty": "The entry has no length: its end is its start.",
                "too_long": "An entry can't be longer than 24 hours."}[problem.code]

    def _result(self, name: str, args: Any) -> ActionResult:
        self.calls.append((name, args))
        if self.refusal is not None:
            message, code = self.refusal
            self.refusal = None
            return ActionResult.refuse(message, code)  # type: ignore[arg-type]
        return ActionResult(intents=(len(self.calls),), acted_at=self.now.timestamp())

    def request_add(self, task: Task, started_at: datetime, stopped_at: datetime, comment: str | None = None, *,
                    allow_overlap: bool = False) -> ActionResult:
        return self._result("add", dict(task=task, started_at=started_at, stopped_at=stopped_at, comment=comment,
                                        allow_overlap=allow_overlap))

    def request_edit(self, entry: Any, **fields: Any) -> ActionResult:
        result = self._result("edit", dict(entry=entry, **fields))
        if result.recorded:  # as the service's overlay: the day shows the change until the server decides
            changed = {k: v for k, v in fields.items() if k in ("started_at", "stopped_at", "task", "comment")}
            for day, rows in self.days.items():
                for i, row in enumerate(rows):
                    if row == entry:  # (another day may hold the same ids)
                        self._before[result.intents] = (day, i, row)
                        rows[i] = replace(row, pending="edit", **changed)
        return result

    def request_delete(self, entry: Any) -> ActionResult:
        return self._result("delete", dict(entry=entry))

    async def outcome(self, result: ActionResult, timeout: float) -> Outcome:
        await asyncio.sleep(0)
        before = self._before.pop(result.intents, None)
        if before is not None and self.outcome_kind != "queued":
            day, i, row = before
            rows = self.days[day]
            rows[i] = row if self.outcome_kind == "refused" else replace(rows[i], pending=None)
        waiting = "network" if self.outcome_kind == "queued" else None
        return Outcome(self.outcome_kind, result.acted_at, self.outcome_reason, waiting)  # type: ignore[arg-type]

    def add_event_listener(self, callback: Any) -> Any:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
