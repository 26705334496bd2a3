"""Today's total: pure arithmetic on entries and the timer state (no clock, no I/O).

"Today" is the calendar day of ``now`` in the user's time zone (the account's
``time_zone_mapping``, not the computer's). An entry that crosses midnight
counts only for its part inside today. The running entry counts up to ``now``;
actions still in the outbox count as the user made them (a stop at its click
time, a start from its click time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import TimeEntry, User
from .timer import ActionKind, Phase, TimerState

_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")


def user_timezone(user: User | None) -> tzinfo:
    """The account's zone: its IANA name, else its fixed UTC offset, else UTC."""
    if user is None:
        return UTC
    for name in (user.time_zone_name, user.time_zone):
        if name and "/" in name or name in ("UTC", "Etc/UTC"):
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    match = _OFFSET.match((user.utc_offset or "").strip())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    return UTC


def day_bounds(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of the day containing ``now`` in ``tz``, as aware datetimes.

    Computed on the wall clock then localised, so a 23- or 25-hour DST day is right.
    """
    local = now.astimezone(tz)
    start_naive = datetime(local.year, local.month, local.day)
    end_naive = start_naive + timedelta(days=1)
    return start_naive.replace(tzinfo=tz), end_naive.replace(tzinfo=tz)


def clipped_seconds(start: datetime, end: datetime | None, lo: datetime, hi: datetime) -> float:
    """Seconds of [start, end) inside [lo, hi); an open end means ``hi``."""
    s = max(start, lo)
    e = min(end if end is not None else hi, hi)
    return max(0.0, (e - s).total_seconds())


def intervals(entries: Iterable[TimeEntry], state: TimerState) -> list[tuple[datetime, datetime | None]]:
    """The intervals to count: the server's entries corrected by the state.

    * the state's ``server_entry`` is the server's running entry (it wins over a list
      fetched earlier); a listed entry still open that is not it has been stopped since
      the list was fetched, at a time we do not know yet: left out until refetched;
    * pending actions are replayed: a stop closes its entry at the click, a start opens
      an interval at the click (closing what ran before, as the server will).
    """
    spans: dict[tuple[str, int], list[Any]] = {}  # [start, stop or None]
    running = state.server_entry
    for entry in entries:
        if entry.stopped_at is None and (running is None or running.id != entry.id):
            continue
        spans[("e", entry.id)] = [entry.started_at, entry.stopped_at]
    if running is not None:
        spans[("e", running.id)] = [running.started_at, None]
    current: tuple[str, int] | None = ("e", running.id) if running is not None else None
    for action in state.pending:
        if action.kind in (ActionKind.START, ActionKind.CREATE):
            if current is not None and spans[current][1] is None:
                spans[current][1] = action.at
            current = ("l", action.ref)
            spans[current] = [action.at, None]
        elif action.kind is ActionKind.STOP and action.target is not None:
            keys = []
            if action.target.local_id is not None:
                keys.append(("l", action.target.local_id))
            if action.target.entry_id is not None:
                keys.append(("e", action.target.entry_id))
            for key in keys:
                span = spans.get(key)
                if span is not None and (span[1] is None or span[1] > action.at):
                    span[1] = max(span[0], action.at)
                if key == current:
                    current = None
    return [(s, e) for s, e in spans.values()]


def today_total(entries: Iterable[TimeEntry], state: TimerState, now: datetime,
                tz: tzinfo | None = None) -> float:
    """Seconds tracked today (in ``tz``, default the state's user's zone) up to ``now``."""
    if state.phase is Phase.SIGNED_OUT:
        return 0.0
    zone = tz if tz is not None else user_timezone(state.user)
    lo, day_end = day_bounds(now, zone)
    hi = min(now, day_end)
    return sum(clipped_seconds(s, e, lo, hi) for s, e in intervals(entries, state))
