"""Timestamp and duration formatting in the shapes the TimeCrowd API uses."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

# The demo account lives in Tokyo; the real API renders time entries in the
# account's zone with a fixed offset and milliseconds always ".000".
JST = timezone(timedelta(hours=9), "JST")


def iso_jst(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), JST).isoformat(timespec="milliseconds")


def iso_utc(ts: float | None) -> str | None:
    """working_users uses UTC with a "Z" suffix instead of an offset."""
    if ts is None:
        return None
    moment = datetime.fromtimestamp(int(ts), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def hhmm(seconds: float) -> str:
    # Hours are not wrapped at 24: the docs show "25:00" for a 90000 s entry.
    total_minutes = int(max(0.0, seconds) // 60)
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def hhmmss(seconds: float) -> str:
    total = int(max(0.0, seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def parse_unix_seconds(value: object) -> int | None:
    """Accept what clients send: unix seconds as a number or a numeric string
    (as in the docs), or an ISO-8601 string; None when unparseable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(float(text))
        except (ValueError, OverflowError):
            pass
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=JST)
        return int(moment.timestamp())
    return None
