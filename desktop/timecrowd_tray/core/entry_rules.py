"""The rules an entry's times must follow before anything is sent, as problems to tell the user.

* ``stop_before_start``: the end is before the start (blocking);
* ``empty``: the end is the start, an entry of no length (blocking);
* ``in_future``: the end, or the start of a running entry, is after ``now`` (blocking;
  ``FUTURE_SLACK`` seconds of clock drift tolerated);
* ``too_long``: longer than 24 hours (blocking);
* ``overlap``: it overlaps another entry (``other``); not blocking: the user may insist.

Pure: ``now`` and the other entries come from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

MAX_DURATION = timedelta(hours=24)
FUTURE_SLACK = timedelta(seconds=60)

ProblemCode = Literal["stop_before_start", "empty", "in_future", "too_long", "overlap"]


class Span(Protocol):
    """What the rules read of another entry (a :class:`TimeEntry`, or the service's DayEntry)."""

    @property
    def started_at(self) -> datetime: ...

    @property
    def stopped_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class EntryProblem:
    code: ProblemCode
    blocking: bool
    other: Any = None  # overlap: the entry it overlaps (a TimeEntry, or the service's DayEntry)


def _id_of(entry: object) -> int | None:
    value = getattr(entry, "id", None)
    if isinstance(value, int):
        return value
    ref = getattr(entry, "ref", None)
    entry_id = getattr(ref, "entry_id", None)
    return entry_id if isinstance(entry_id, int) else None


def check_times(started_at: datetime, stopped_at: datetime | None, *, now: datetime,
                others: Sequence[Span], ignore_id: int | None = None) -> list[EntryProblem]:
    """What is wrong with an entry from ``started_at`` to ``stopped_at`` (None: still running).

    Blocking problems come first; then one overlap per other entry it overlaps (``ignore_id``:
    the entry being edited, never compared with itself). A running other entry counts up to ``now``.
    """
    problems: list[EntryProblem] = []
    if stopped_at is not None and stopped_at < started_at:
        problems.append(EntryProblem("stop_before_start", True))
    elif stopped_at is not None and stopped_at == started_at:
        problems.append(EntryProblem("empty", True))
    if (stopped_at if stopped_at is not None else started_at) > now + FUTURE_SLACK:
        problems.append(EntryProblem("in_future", True))
    if stopped_at is not None and stopped_at - started_at > MAX_DURATION:
        problems.append(EntryProblem("too_long", True))
    if any(p.blocking for p in problems):
        return problems
    end = stopped_at if stopped_at is not None else now
    for other in others:
        if ignore_id is not None and _id_of(other) == ignore_id:
            continue
        other_end = other.stopped_at if other.stopped_at is not None else now
        if other.started_at < end and started_at < other_end:
            problems.append(EntryProblem("overlap", False, other))
    return problems


def blocking(problems: Sequence[EntryProblem]) -> list[EntryProblem]:
    return [p for p in problems if p.blocking]
