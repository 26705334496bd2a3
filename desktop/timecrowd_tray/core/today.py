"""The user's day: the account's time zone, a day's bounds in it, the seconds of a span inside them.

"Today" is the calendar day of ``now`` in the user's time zone (the account's
``time_zone_mapping``, not the computer's). Today's total itself is
``DayEntries.today_total`` (services/day_entries.py): the entries as the entries
window shows them, what waits in the outbox included, summed by :func:`.day.day_totals`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import User

_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")


def user_timezone(user: User | None, machine: tzinfo | None = None) -> tzinfo:
    """The one zone every time is shown and read in, by the app and the shell alike.

    The rule: the account's zone when it is known (its IANA name, else its fixed UTC
    offset: what TimeCrowd's web shows), else the machine's (``machine``, by default its
    current UTC offset). An ``HH:MM`` typed (``--from``, ``--to``, ``--at``, a cell of the
    entries window) is read in the zone it is printed in; the shell's answers carry their
    times in it (ISO 8601 with its offset) and are printed as they are.
    """
    if user is None:
        return _machine(machine)
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
    return _machine(machine)


def _machine(machine: tzinfo | None) -> tzinfo:
    return machine if machine is not None else (datetime.now(UTC).astimezone().tzinfo or UTC)


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
