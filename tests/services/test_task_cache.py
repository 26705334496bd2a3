"""Recent tasks and their disk cache; where the files go (XDG_* honoured)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from timecrowd_tray.core.models import Category, Task, Team, TimeEntry, User
from timecrowd_tray.services import paths
from timecrowd_tray.services.task_cache import (
    TaskCache,
    distinct_recent_tasks,
    merge_tasks,
    task_from_json,
    task_to_json,
)
from timecrowd_tray.services.timer_service import TimerService

from services.timer_harness import run

T0 = datetime(2025, 10, 21, tzinfo=UTC)


def task(i: int, title: str | None = None) -> Task:
    return Task(id=i, title=title or f"task {i}", team_id=14, team_name="株式会社デモ",
                category=Category(id=101, title="開発", color=1, team_id=14), key=f"k{i}", url=None,
                html_url=f"https://x/{i}", parent_id=101)


def entry(eid: int, t: Task, minutes: int) -> TimeEntry:
    return TimeEntry(id=eid, task=t, started_at=T0 + timedelta(minutes=minutes), user_id=28)


def test_task_json_round_trip():
    t = task(5, "ログイン画面の改修 🚀")
    assert task_from_json(task_to_json(t)) == t
    bare = Task(id=6, title="bare")
    assert task_from_json(task_to_json(bare)) == bare
    assert task_from_json({"title": "no id"}) is None


def test_distinct_recent_newest_first():
    a, b, c = task(1), task(2), task(3)
    entries = [entry(1, a, 0), entry(2, b, 10), entry(3, a, 20), entry(4, c, 5)]
    assert [t.id for t in distinct_recent_tasks(entries)] == [1, 2, 3]
    assert [t.id for t in distinct_recent_tasks(entries, limit=2)] == [1, 2]


def ended(eid: int, t: Task, start: int, end: int | None) -> TimeEntry:
    return TimeEntry(id=eid, task=t, started_at=T0 + timedelta(minutes=start),
                     stopped_at=None if end is None else T0 + timedelta(minutes=end), user_id=28)


def test_distinct_recent_is_by_the_last_worked_on_not_the_last_started():
    """A start backdated over another entry (from minute 60, over 90-120), stopped at 150: its task is the latest."""
    backdated, other, older = task(1), task(2), task(3)
    entries = [ended(1, older, 0, 60), ended(2, other, 90, 120), ended(3, backdated, 60, 150)]
    assert [t.id for t in distinct_recent_tasks(entries)] == [1, 2, 3]
    # a running entry counts as the most recent, whenever it started
    assert [t.id for t in distinct_recent_tasks([*entries, ended(4, older, 30, None)])] == [3, 1, 2]
    # the same end: the later start first (then the newer entry)
    assert [t.id for t in distinct_recent_tasks([ended(5, other, 10, 60), ended(6, older, 20, 60)])] == [3, 2]
    assert [t.id for t in distinct_recent_tasks([ended(8, other, 10, 60), ended(7, older, 10, 60)])] == [2, 3]


def test_merge_keeps_older_ones_after_and_skips_placeholders():
    merged = merge_tasks([task(3), task(1)], [task(1), task(2), Task(id=-5, title="pending")], limit=10)
    assert [t.id for t in merged] == [3, 1, 2]
    assert len(merge_tasks([task(i) for i in range(1, 300)], [], limit=200)) == 200


def test_cache_round_trip_is_atomic_and_tolerant(tmp_path):
    cache = TaskCache(tmp_path / "c" / "recent.json")
    assert cache.load().tasks == ()
    user = User(id=28, nickname="山田", time_zone_name="Asia/Tokyo", teams=(Team(14, "デモ"),))
    cache.save("acc", [task(1), task(2)], user=user, api_base="http://127.0.0.1:8")
    data = cache.load()
    assert data.account == "acc" and data.api_base == "http://127.0.0.1:8" and data.user == user
    assert [t.id for t in data.tasks] == [1, 2]
    assert [p.name for p in cache.path.parent.iterdir()] == ["recent.json"]  # no temp file left
    cache.path.write_text("{ half a file")
    assert cache.load().tasks == ()


def test_service_files_follow_xdg_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    assert paths.user_data_dir() == tmp_path / "xdg-data" / "timecrowd-tray"
    assert paths.user_cache_dir() == tmp_path / "xdg-cache" / "timecrowd-tray"

    async def main():
        svc = TimerService()
        svc._recent.save()
        await svc.aclose()

    run(main)
    assert (tmp_path / "xdg-data" / "timecrowd-tray" / paths.OUTBOX_FILE).exists()
    assert (tmp_path / "xdg-cache" / "timecrowd-tray" / paths.TASK_CACHE_FILE).exists()
    assert os.stat(tmp_path / "xdg-data" / "timecrowd-tray").st_mode & 0o077 == 0
