"""One calendar day of entries: its bounds in the user's zone, its totals, the gaps between entries.

Pure arithmetic on anything with ``task``, ``started_at`` and ``stopped_at`` (a
:class:`~.models.TimeEntry` or the service's DayEntry); a running entry counts up to
``now``; an entry that crosses midnight counts only its part inside the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from .models import Task
from .today import clipped_seconds


class DaySpan(Protocol):
    @property
    def task(self) -> Task: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def stopped_at(self) -> datetime | None: ...


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of ``day`` in ``tz``: wall-clock midnights, so a DST day is 23 or 25 h."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    following = day + timedelta(days=1)
    return start, datetime(following.year, following.month, following.day, tzinfo=tz)


@dataclass(frozen=True)
class DayTotals:
    total: float                          # seconds
    by_task: list[tuple[Task, float]]     # most time first
    by_team: list[tuple[str, float]]      # team name ("" when unknown), most time first


def _window(day: date, now: datetime) -> tuple[datetime, datetime]:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    lo, hi = day_bounds(day, now.tzinfo)
    return lo, min(hi, max(lo, now))


def day_totals(entries: Sequence[DaySpan], *, now: datetime, day: date) -> DayTotals:
    """Seconds tracked on ``day`` (in the zone of ``now``), in all, by task and by team."""
    lo, hi = _window(day, now)
    tasks: dict[int, Task] = {}
    by_task: dict[int, float] = {}
    by_team: dict[str, float] = {}
    total = 0.0
    for entry in entries:
        seconds = clipped_seconds(entry.started_at, entry.stopped_at, lo, hi)
        if seconds <= 0:
            continue
        total += seconds
        tasks.setdefault(entry.task.id, entry.task)
        by_task[entry.task.id] = by_task.get(entry.task.id, 0.0) + seconds
        by_team[entry.task.team_name] = by_team.get(entry.task.team_name, 0.0) + seconds
    task_rows = sorted(((tasks[i], s) for i, s in by_task.items()), key=lambda ts: -ts[1])
    team_rows = sorted(by_team.items(), key=lambda ts: -ts[1])
    return DayTotals(total, task_rows, team_rows)


def gaps(entries: Sequence[DaySpan], *, day: date, now: datetime,
         min_seconds: float = 60) -> list[tuple[datetime, datetime]]:
    """The untracked stretches of ``day`` between its first entry and the last (never after ``now``)."""
    lo, hi = _window(day, now)
    spans = sorted((max(e.started_at, lo), min(e.stopped_at if e.stopped_at is not None else now, hi))
                   for e in entries)
    spans = [(s, e) for s, e in spans if e > s]
    out: list[tuple[datetime, datetime]] = []
    reached: datetime | None = None
    for start, end in spans:
        if reached is not None and (start - reached).total_seconds() >= min_seconds:
            out.append((reached, start))
        reached = end if reached is None else max(reached, end)
    return out
