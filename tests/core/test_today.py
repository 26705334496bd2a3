"""Today's total in the user's time zone: pure, with hand-made times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from timecrowd_tray.core import timer as T
from timecrowd_tray.core.models import Task, TimeEntry, User
from timecrowd_tray.core.timer import ActionKind, EntryRef, PendingAction
from timecrowd_tray.core.today import day_bounds, intervals, today_total, user_timezone

TOKYO = ZoneInfo("Asia/Tokyo")
ME = User(id=7, time_zone_name="Asia/Tokyo", utc_offset="+09:00")
A = Task(id=1, title="A", team_id=1)
B = Task(id=2, title="B", team_id=1)


def jst(h: int, m: int = 0, day: int = 21) -> datetime:
    return datetime(2025, 10, day, h, m, tzinfo=TOKYO)


def e(eid: int, start: datetime, stop: datetime | None, task: Task = A) -> TimeEntry:
    return TimeEntry(id=eid, task=task, started_at=start, stopped_at=stop, user_id=7)


def state(running: TimeEntry | None = None, pending=()) -> T.TimerState:
    s = T.server_snapshot(T.signed_in(T.signing_in(T.initial()), ME), running)
    for p in pending:
        s = T.action_requested(s, p)
    return s


def test_user_timezone():
    assert user_timezone(ME) == TOKYO
    assert user_timezone(None) == UTC
    offset_only = User(id=1, time_zone="Tokyo", time_zone_name="Nowhere/Land", utc_offset="+09:00")
    assert user_timezone(offset_only).utcoffset(None) == timedelta(hours=9)
    assert user_timezone(User(id=1, time_zone_name="", time_zone="", utc_offset="-05:30")).utcoffset(None) \
        == -timedelta(hours=5, minutes=30)
    assert user_timezone(User(id=1, time_zone_name="bad", time_zone="bad", utc_offset="bad")) == UTC


def test_day_bounds_in_the_user_zone_not_utc():
    # 2025-10-21 01:00 JST is 2025-10-20 16:00 UTC: "today" is the 21st in Tokyo.
    now = datetime(2025, 10, 20, 16, 0, tzinfo=UTC)
    lo, hi = day_bounds(now, TOKYO)
    assert lo == jst(0) and hi == jst(0, day=22)


def test_day_bounds_on_a_dst_day_is_23_hours():
    ny = ZoneInfo("America/New_York")
    lo, hi = day_bounds(datetime(2025, 3, 9, 12, tzinfo=ny), ny)
    assert hi.timestamp() - lo.timestamp() == 23 * 3600


def test_sum_of_stopped_entries_plus_running():
    entries = [e(1, jst(9), jst(10)), e(2, jst(10), jst(10, 30)), e(3, jst(11), None)]
    s = state(running=e(3, jst(11), None))
    assert today_total(entries, s, jst(12)) == 3600 + 1800 + 3600


def test_entry_crossing_midnight_counts_only_todays_part():
    entries = [e(1, jst(23, day=20), jst(1, 0))]
    assert today_total(entries, state(), jst(12)) == 3600


def test_yesterday_and_future_parts_are_ignored():
    entries = [e(1, jst(9, day=20), jst(10, day=20)), e(2, jst(13), jst(14))]
    # now is 12:00: an entry reported in the future (clock skew) counts nothing
    assert today_total(entries, state(), jst(12)) == 0


def test_uses_the_user_zone_not_utc_day():
    # 08:30-09:30 JST on the 21st is 23:30 UTC on the 20th to 00:30 UTC on the 21st
    entries = [e(1, jst(8, 30), jst(9, 30))]
    assert today_total(entries, state(), jst(12)) == 3600
    # in UTC "today" (the 21st) only 30 min of it would count
    assert today_total(entries, state(), jst(12), UTC) == 1800


def test_running_entry_from_poll_wins_over_the_list():
    listed = [e(3, jst(11), None)]
    s = state(running=e(3, jst(11), None))
    assert today_total(listed, s, jst(11, 30)) == 1800


def test_listed_open_entry_stopped_since_is_left_out():
    listed = [e(3, jst(11), None)]
    assert today_total(listed, state(running=None), jst(12)) == 0


def test_pending_stop_counts_up_to_the_click():
    s = state(running=e(3, jst(11), None),
              pending=[PendingAction(1, ActionKind.STOP, jst(11, 20), task=A, target=EntryRef(3))])
    assert today_total([], s, jst(12)) == 20 * 60


def test_pending_start_counts_from_the_click_and_closes_the_previous():
    s = state(running=e(3, jst(11), None),
              pending=[PendingAction(1, ActionKind.STOP, jst(11, 10), task=A, target=EntryRef(3)),
                       PendingAction(2, ActionKind.START, jst(11, 10), task=B)])
    assert today_total([], s, jst(11, 40)) == 40 * 60
    # start without an explicit stop: the server closes the previous at the click
    s = state(running=e(3, jst(11), None), pending=[PendingAction(2, ActionKind.START, jst(11, 10), task=B)])
    assert today_total([], s, jst(11, 40)) == 40 * 60


def test_pending_start_then_stop_both_local():
    s = state(pending=[PendingAction(1, ActionKind.START, jst(9), task=A),
                       PendingAction(2, ActionKind.STOP, jst(9, 15), task=A, target=EntryRef(None, 1))])
    assert today_total([], s, jst(12)) == 15 * 60
    assert len(intervals([], s)) == 1


def test_signed_out_is_zero():
    assert today_total([e(1, jst(9), jst(10))], T.initial(), jst(12)) == 0
