from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from timecrowd_tray.core.models import (
    ParseError,
    Task,
    TaskPage,
    TimeEntry,
    User,
    WorkingUser,
    parse_timestamp,
    to_unix_seconds,
)

WORKING_USER = {
    "id": 7, "nickname": "同僚", "avatar_url": None, "html_url": "x",
    "time_entry": {"id": 99, "started_at": "2025-06-02T07:24:39Z", "html_url": "h", "comment": "メモ",
                   "duration": 12.5, "can_stop": False},
    "task": {"id": 5, "key": "k", "title": "週次定例", "url": "", "safe_url": "", "label": "[t] 週次定例",
             "team_id": 3, "parent_id": 4, "root_id": 4, "html_url": "th",
             "team": {"id": 3, "name": "チーム"}, "category": {"id": 4, "title": "会議", "color": 2},
             "edit_url": "e", "something_new": {"nested": True}},
}


def test_working_user_parses_flattened_entry():
    row = WorkingUser.from_json(WORKING_USER)
    assert row.user_id == 7
    entry = row.entry
    assert entry.is_running and entry.id == 99 and entry.user_id == 7
    assert entry.started_at == datetime(2025, 6, 2, 7, 24, 39, tzinfo=UTC)
    assert entry.task.team_name == "チーム" and entry.task.category.title == "会議"
    assert entry.comment == "メモ"


def test_missing_optional_fields_are_tolerated():
    entry = TimeEntry.from_json({"id": 1, "started_at": "2025-01-01T00:00:00+09:00", "task": {"id": 2}})
    assert entry.task.title == "" and entry.task.category is None and entry.comment is None
    assert entry.stopped_at is None and entry.duration == 0.0
    user = User.from_json({"id": 3})
    assert user.time_zone_name == "Etc/UTC" and user.teams == ()


@pytest.mark.parametrize("bad", [
    {"started_at": "2025-01-01T00:00:00Z", "task": {"id": 2}},              # no id
    {"id": True, "started_at": "2025-01-01T00:00:00Z", "task": {"id": 2}},  # bool id
    {"id": 1, "started_at": "yesterday", "task": {"id": 2}},
    {"id": 1, "started_at": "2025-01-01T00:00:00Z"},                        # no task
    {"id": 1, "started_at": "2025-01-01T00:00:00Z", "task": []},
    [],
])
def test_wrong_shapes_raise_parse_error(bad):
    with pytest.raises(ParseError):
        TimeEntry.from_json(bad)


def test_task_page():
    page = TaskPage.from_json({"tasks": [{"id": 1, "title": "a", "total_time": "01:02:03",
                                          "team": {"id": 9, "name": "T"}}], "is_last_page": False})
    assert page.tasks[0].team_id == 9 and page.tasks[0].total_time == "01:02:03" and not page.is_last_page
    with pytest.raises(ParseError):
        TaskPage.from_json({"tasks": "nope"})


offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets))
def test_timestamps_round_trip_through_iso_and_unix(moment):
    moment = moment.replace(microsecond=0)
    assert parse_timestamp(moment.isoformat()) == moment
    assert parse_timestamp(moment.astimezone(UTC).isoformat().replace("+00:00", "Z")) == moment
    assert parse_timestamp(to_unix_seconds(moment)) == moment


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(st.none(), st.integers(), st.text(), st.booleans())))
def test_unknown_fields_never_break_parsing(extra):
    data = {**extra, "id": 1, "title": "t"}
    assert Task.from_json(data).id == 1
