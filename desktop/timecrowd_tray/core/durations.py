"""Duration formatting shared by the tray, the menu, the tooltip and the shell."""

from __future__ import annotations

import math


def _whole_seconds(seconds: float) -> int:
    if math.isnan(seconds) or seconds < 0:
        return 0
    # Floor, never round up: a timer that shows 0:01:00 after 59.6 s lies.
    return int(seconds)


def format_hms(seconds: float) -> str:
    """``H:MM:SS`` (hours unbounded): the tooltip and the menu header."""
    total = _whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def format_hm(seconds: float) -> str:
    """``H:MM``: totals (today's total, the icon where it has room) and the entries window's durations."""
    total = _whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}"


def format_compact(seconds: float) -> str:
    """The shortest honest label for a small icon: ``42m`` under an hour, then ``3h``, ``12h``."""
    total = _whole_seconds(seconds)
    if total < 3600:
        return f"{total // 60}m"
    return f"{total // 3600}h"


def parse_hms(text: str) -> int:
    """``HH:MM:SS`` or ``HH:MM`` (as the API's ``total_time``/``formatted_duration``) to seconds."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a duration: {text!r}")
    numbers = [int(p) for p in parts] + ([0] if len(parts) == 2 else [])
    hours, minutes, secs = numbers
    if minutes >= 60 or secs >= 60:
        raise ValueError(f"not a duration: {text!r}")
    return hours * 3600 + minutes * 60 + secs
