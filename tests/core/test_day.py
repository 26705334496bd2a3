from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from timecrowd_tray.core.day import day_bounds, day_totals, gaps
from timecrowd_tray.core.models import Task, TimeEntry

JST = timezone(timedelta(hours=9))
DAY = date(2025, 10, 21)
NOW = datetime(2025, 10, 21, 14, 0, tzinfo=JST)
DOCS = Task(id=1, title="Docs", team_id=3, team_name="Demo")
MEET = Task(id=2, title="Meeting", team_id=4, team_name="Other")


def at(hour, minute=0, day=21):
    return datetime(2025, 10, day, hour, minute, tzinfo=JST)


def entry(i, task, start, stop):
    return TimeEntry(id=i, task=task, started_at=start, stopped_at=stop)


def test_day_bounds_are_wall_clock_midnights():
    assert day_bounds(DAY, JST) == (at(0), at(0, day=22))
    berlin = ZoneInfo("Europe/Berlin")
    lo, hi = day_bounds(date(2025, 10, 26), berlin)  # summer time ends: a 25-hour day
    assert hi.astimezone(UTC) - lo.astimezone(UTC) == timedelta(hours=25)


def test_totals_clip_to_the_day_and_count_running_up_to_now():
    entries = [entry(1, DOCS, at(23, day=20), at(1)),  # 1 h of it today
               entry(2, MEET, at(9), at(10, 30)),
               entry(3, DOCS, at(13), None)]           # running: 1 h until now
    totals = day_totals(entries, now=NOW, day=DAY)
    assert totals.total == 3.5 * 3600
    assert totals.by_task == [(DOCS, 2 * 3600), (MEET, 1.5 * 3600)]
    assert totals.by_team == [("Demo", 2 * 3600), ("Other", 1.5 * 3600)]


def test_gaps_between_entries_never_after_now():
    entries = [entry(1, DOCS, at(9), at(10)), entry(2, MEET, at(10), at(10, 30)),
               entry(3, DOCS, at(11), at(12)), entry(4, DOCS, at(11, 30), at(11, 45)),  # inside the one before
               entry(5, MEET, at(13), None)]  # running: the stretch after now is no gap
    assert gaps(entries, day=DAY, now=NOW) == [(at(10, 30), at(11)), (at(12), at(13))]


def test_small_gaps_are_left_out():
    entries = [entry(1, DOCS, at(9), at(10)), entry(2, DOCS, at(10) + timedelta(seconds=30), at(11))]
    assert gaps(entries, day=DAY, now=NOW) == []
    assert gaps(entries, day=DAY, now=NOW, min_seconds=10) == [(at(10), at(10) + timedelta(seconds=30))]
