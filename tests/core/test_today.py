"""The user's zone and day bounds, pure, with hand-made times (today's total itself: tests/services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from timecrowd_tray.core.models import User
from timecrowd_tray.core.today import day_bounds, user_timezone

TOKYO = ZoneInfo("Asia/Tokyo")
ME = User(id=7, time_zone_name="Asia/Tokyo", utc_offset="+09:00")


def jst(h: int, m: int = 0, day: int = 21) -> datetime:
    return datetime(2025, 10, day, h, m, tzinfo=TOKYO)


def test_user_timezone():
    assert user_timezone(ME) == TOKYO
    assert user_timezone(None, machine=TOKYO) == TOKYO  # not known: the machine's zone
    assert user_timezone(ME, machine=UTC) == TOKYO       # known: the account's, whatever the machine's
    offset_only = User(id=1, time_zone="Tokyo", time_zone_name="Nowhere/Land", utc_offset="+09:00")
    assert user_timezone(offset_only).utcoffset(None) == timedelta(hours=9)
    assert user_timezone(User(id=1, time_zone_name="", time_zone="", utc_offset="-05:30")).utcoffset(None) \
        == -timedelta(hours=5, minutes=30)
    assert user_timezone(User(id=1, time_zone_name="bad", time_zone="bad", utc_offset="bad"), TOKYO) == TOKYO
    assert user_timezone(None).utcoffset(None) == datetime.now().astimezone().utcoffset()  # the machine's


def test_day_bounds_in_the_user_zone_not_utc():
    # 2025-10-21 01:00 JST is 2025-10-20 16:00 UTC: "today" is the 21st in Tokyo.
    now = datetime(2025, 10, 20, 16, 0, tzinfo=UTC)
    lo, hi = day_bounds(now, TOKYO)
    assert lo == jst(0) and hi == jst(0, day=22)


def test_day_bounds_on_a_dst_day_is_23_hours():
    ny = ZoneInfo("America/New_York")
    lo, hi = day_bounds(datetime(2025, 3, 9, 12, tzinfo=ny), ny)
    assert hi.timestamp() - lo.timestamp() == 23 * 3600
