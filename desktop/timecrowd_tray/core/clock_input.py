"""Times as people type them ("9:05", "905", "-15m") read into an aware moment on a given day.

Accepted forms::

    9  09  905  0905  9:05  09:05  21:30  9.05  ９：０５   a wall-clock time on ``day``
    -15m  -1h  -1h30m  +10m  -90                          relative to ``reference`` (default ``now``)

Full-width digits and colons (a Japanese input method's) count as ASCII. A bare
relative number counts minutes. Wall-clock times are read in the time zone of
``now``; a time that does not exist on that day (a DST gap) is pushed forward by
the gap, as the zone's rules say. No clock and no I/O here: the caller gives
``now``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Literal

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_PACKED = re.compile(r"^(\d{1,2})(\d{2})$")
_RELATIVE = re.compile(r"^([+-])\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?$")

ClockErrorCode = Literal["unreadable", "out_of_range"]


class ClockInputError(ValueError):
    """The text is not a time (``code`` "unreadable") or names none (``code`` "out_of_range": 25:00)."""

    def __init__(self, text: str, code: ClockErrorCode) -> None:
        super().__init__(f"not a time: {text!r} ({code})")
        self.text = text
        self.code: ClockErrorCode = code


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower().replace(" ", "")


def parse_clock(text: str, *, day: date, now: datetime, reference: datetime | None = None) -> datetime:
    """The moment ``text`` names (see the module docstring); raises :class:`ClockInputError`."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    cleaned = _normalized(text)
    if not cleaned:
        raise ClockInputError(text, "unreadable")
    if cleaned[0] in "+-":
        return _relative(text, cleaned, reference if reference is not None else now)
    match = _CLOCK.match(cleaned) or _PACKED.match(cleaned)
    if match is None:
        raise ClockInputError(text, "unreadable")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ClockInputError(text, "out_of_range")
    tz = now.tzinfo
    naive = datetime(day.year, day.month, day.day, hour, minute)
    # Round-trip through UTC: a wall time inside a DST gap comes back shifted by the gap.
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _relative(text: str, cleaned: str, reference: datetime) -> datetime:
    match = _RELATIVE.match(cleaned)
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise ClockInputError(text, "unreadable")
    hours, minutes = int(match.group(2) or 0), int(match.group(3) or 0)
    if hours > 48 or minutes > 48 * 60:
        raise ClockInputError(text, "out_of_range")
    delta = timedelta(hours=hours, minutes=minutes)
    return reference - delta if match.group(1) == "-" else reference + delta
