"""Reminder rules, pure: when to remind a user who is not tracking, and when a timer was forgotten.

No Qt, no I/O, no clock: times are unix seconds, the local zone is passed in.

Reminding (the ``remind_minutes``, ``remind_hours`` and ``remind_days`` settings):

* a *gap* is the time between a stop (or the app's start, or sign-in) and the
  next start; it is reminded about at most once (:attr:`ReminderState.reminded_gap`),
  unless the user snoozed it, which asks for one more reminder later;
* the count starts at the gap's start, again after every absence (the user must
  have been *active* for ``remind_minutes`` not tracking), and never ends within
  :data:`STOP_GRACE` of a stop;
* only inside working hours on working days; never while away, locked or asleep
  (the caller says whether the user is present);
* :func:`due_at` is the one moment to look again, so the watcher sets one timer
  instead of polling.

A *forgotten* timer runs past ``remind_max_hours``, or started on an earlier
day (it ran across the night): offered once per entry, ending at the last time
the user was active.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo

STOP_GRACE = 300.0      # never a reminder within 5 min of a stop (s)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Snooze(str, enum.Enum):  # noqa: UP042 - as ActionKind
    QUARTER = "15m"
    HOUR = "1h"
    TODAY = "today"


@dataclass(frozen=True, slots=True)
class ReminderConfig:
    minutes: int = 15                        # 0: off
    start: time = time(9, 0)                 # working hours, local time
    end: time = time(18, 0)
    days: frozenset[int] = frozenset(range(5))  # weekday() numbers: Mon-Fri


@dataclass(frozen=True, slots=True)
class ReminderState:
    gap_start: float | None = None     # not tracking since (None: tracking, or not signed in)
    count_from: float | None = None    # the active stretch counted (reset by each absence)
    last_stop: float | None = None
    reminded_gap: float | None = None  # the gap already reminded about
    snoozed_until: float | None = None


# -- settings text -------------------------------------------------------------------------------

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(text: str) -> tuple[time, time]:
    """``"09:00-18:00"`` -> (09:00, 18:00); ValueError with a message otherwise."""
    match = _HOURS.match(str(text))
    if match is None:
        raise ValueError("expected working hours such as 09:00-18:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError("expected working hours such as 09:00-18:00")
    start, end = time(h1, m1), (time(23, 59, 59) if h2 == 24 else time(h2, m2))
    if end <= start:
        raise ValueError("the end of the working hours must come after their start")
    return start, end


def parse_days(text: str) -> frozenset[int]:
    """``"mon-fri"``, ``"mon,wed,fri"``, ``"mon-fri,sun"`` -> weekday numbers; ValueError otherwise."""
    days: set[int] = set()
    for part in str(text).lower().replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError("expected days such as mon-fri or mon,wed,fri")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    if not days:
        raise ValueError("expected at least one day, such as mon-fri")
    return frozenset(days)


def days_text(days: frozenset[int]) -> str:
    return ",".join(DAYS[d] for d in sorted(days))


# -- transitions ---------------------------------------------------------------------------------


def stopped(state: ReminderState, at: float) -> ReminderState:
    """The timer stopped at ``at`` (or nothing ran when watching began): a new gap."""
    return ReminderState(gap_start=at, count_from=at, last_stop=at, snoozed_until=state.snoozed_until)


def not_tracking(state: ReminderState, at: float) -> ReminderState:
    """Nothing runs (sign-in, start-up): a gap from ``at`` unless one is counted already."""
    if state.gap_start is not None:
        return state
    return replace(state, gap_start=at, count_from=at)


def started(state: ReminderState) -> ReminderState:
    return replace(state, gap_start=None, count_from=None, reminded_gap=None)


def returned(state: ReminderState, at: float) -> ReminderState:
    """Back from an absence at ``at``: the active stretch counts again from there."""
    if state.gap_start is None:
        return state
    return replace(state, count_from=max(state.count_from or at, at))


def reminded(state: ReminderState) -> ReminderState:
    return replace(state, reminded_gap=state.gap_start, snoozed_until=None)


def snoozed(state: ReminderState, snooze: Snooze, now: float, config: ReminderConfig,
            zone: tzinfo) -> ReminderState:
    if snooze is Snooze.QUARTER:
        until = now + 15 * 60
    elif snooze is Snooze.HOUR:
        until = now + 3600
    else:
        day = datetime.fromtimestamp(now, zone).date() + timedelta(days=1)
        until = datetime.combine(day, time(0, 0), zone).timestamp()
    return replace(state, reminded_gap=None, snoozed_until=until)


# -- when ----------------------------------------------------------------------------------------


def _next_working_moment(at: float, config: ReminderConfig, zone: tzinfo) -> float | None:
    """``at`` if it is inside working hours, else the start of the next working window (within 8 days)."""
    moment = datetime.fromtimestamp(at, zone)
    for offset in range(8):
        day = moment.date() + timedelta(days=offset)
        if day.weekday() not in config.days:
            continue
        start = datetime.combine(day, config.start, zone).timestamp()
        end = datetime.combine(day, config.end, zone).timestamp()
        if at < end:
            return max(at, start)
    return None


def due_at(state: ReminderState, config: ReminderConfig, zone: tzinfo) -> float | None:
    """When a reminder is due (the caller then checks the user is present), or None: none will be."""
    if config.minutes <= 0 or state.gap_start is None or state.count_from is None:
        return None
    if state.reminded_gap == state.gap_start and state.snoozed_until is None:
        return None
    candidate = state.count_from + config.minutes * 60
    if state.last_stop is not None:
        candidate = max(candidate, state.last_stop + STOP_GRACE)
    if state.snoozed_until is not None:
        candidate = max(candidate, state.snoozed_until)
    return _next_working_moment(candidate, config, zone)


def should_remind(state: ReminderState, config: ReminderConfig, now: float, zone: tzinfo, *,
                  present: bool) -> bool:
    due = due_at(state, config, zone)
    return present and due is not None and now >= due and _next_working_moment(now, config, zone) == now


# -- forgotten timers ----------------------------------------------------------------------------


def is_forgotten(started_at: float, now: float, max_hours: float, zone: tzinfo) -> bool:
    """Running over ``max_hours`` (0: that rule is off), or since an earlier day (across the night)."""
    if max_hours > 0 and now - started_at >= max_hours * 3600:
        return True
    return datetime.fromtimestamp(started_at, zone).date() < datetime.fromtimestamp(now, zone).date()


def forgotten_end(started_at: float, last_active: float | None) -> float | None:
    """The time to offer as the end of a forgotten timer: the last time the user was active, if after its start."""
    if last_active is None or last_active <= started_at:
        return None
    return last_active
