from datetime import datetime, timedelta, timezone

from timecrowd_tray.core.entry_rules import blocking, check_times
from timecrowd_tray.core.models import Task, TimeEntry

JST = timezone(timedelta(hours=9))
NOW = datetime(2025, 10, 21, 14, 0, tzinfo=JST)
TASK = Task(id=1, title="Docs", team_id=3, team_name="Demo")


def at(hour, minute=0, day=21):
    return datetime(2025, 10, day, hour, minute, tzinfo=JST)


def entry(entry_id, start, stop):
    return TimeEntry(id=entry_id, task=TASK, started_at=start, stopped_at=stop)


def codes(problems):
    return [p.code for p in problems]


def test_a_good_entry_has_no_problem():
    assert check_times(at(9), at(10), now=NOW, others=[entry(5, at(10), at(11))]) == []  # touching is fine


def test_stop_before_start_is_blocking():
    problems = check_times(at(10), at(9), now=NOW, others=[])
    assert codes(problems) == ["stop_before_start"] and problems[0].blocking


def test_an_entry_with_no_length_is_blocking():
    problems = check_times(at(9), at(9), now=NOW, others=[entry(5, at(8), at(10))])
    assert codes(problems) == ["empty"] and problems[0].blocking  # and no overlap: it has no span at all
    assert check_times(at(9), at(9) + timedelta(seconds=1), now=NOW, others=[]) == []


def test_an_end_in_the_future_is_blocking_a_running_start_too():
    assert codes(check_times(at(13), at(15), now=NOW, others=[])) == ["in_future"]
    assert codes(check_times(at(15), None, now=NOW, others=[])) == ["in_future"]
    assert check_times(at(13), NOW + timedelta(seconds=30), now=NOW, others=[]) == []  # clock drift tolerated


def test_longer_than_a_day_is_blocking():
    assert codes(check_times(at(9, day=19), at(10, day=20), now=NOW, others=[])) == ["too_long"]
    assert check_times(at(9, day=20), at(9, day=21), now=NOW, others=[]) == []  # exactly 24 h is allowed


def test_an_overlap_names_the_other_entry_and_is_not_blocking():
    other = entry(5, at(9, 30), at(11))
    problems = check_times(at(9), at(10), now=NOW, others=[other, entry(6, at(12), at(13))])
    assert codes(problems) == ["overlap"] and problems[0].other is other and not blocking(problems)


def test_the_edited_entry_is_not_compared_with_itself():
    other = entry(5, at(9, 30), at(11))
    assert check_times(at(9), at(10), now=NOW, others=[other], ignore_id=5) == []


def test_a_running_other_counts_up_to_now_and_a_running_entry_checks_overlaps():
    running = entry(7, at(13), None)
    assert codes(check_times(at(13, 30), at(13, 45), now=NOW, others=[running])) == ["overlap"]
    assert codes(check_times(at(12), None, now=NOW, others=[entry(5, at(12, 30), at(12, 45))])) == ["overlap"]


def test_blocking_problems_skip_the_overlap_check():
    assert codes(check_times(at(10), at(9), now=NOW, others=[entry(5, at(8), at(12))])) == ["stop_before_start"]
