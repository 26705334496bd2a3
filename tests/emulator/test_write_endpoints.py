"""Starting, creating, stopping, editing, deleting and commenting entries."""

from __future__ import annotations

import pytest

from timecrowd_tray.emulator import TEAMMATE_TOKEN
from timecrowd_tray.emulator.timefmt import iso_jst

TE_PREFIX = "1 error prohibited this Time entry from being saved. "


@pytest.fixture
def demo(find_team):
    return find_team("株式会社デモ")


@pytest.fixture
def guild(find_team):
    return find_team("Open Source Guild")


def start(api, team, task):
    return api.post(f"/api/v1/teams/{team}/tasks/{task}/start", json={})


def test_start_task_returns_a_running_entry(api, state, clock, demo, find_task):
    response = start(api, demo, find_task("週次定例ミーティング"))
    assert response.status_code == 200
    body = response.json()
    assert body["stopped_at"] is None and body["stopped_at_seconds"] == 0
    assert body["started_at"] == iso_jst(int(clock.now))
    assert body["started_at"].endswith(":00.000+09:00")  # whole seconds despite clock.now's .5
    assert body["time_tracker_id"] == state.me_id
    assert body["task"]["title"] == "週次定例ミーティング"
    assert body["duration"] == pytest.approx(0.5)
    assert body["formatted_duration"] == "00:00"
    running = state.running_entry(state.me_id)
    assert running is not None and running["id"] == body["id"]
    assert state.entries_of(state.me_id)[0]["id"] == body["id"]

    clock.advance(3725)
    again = api.get(f"/api/v1/time_entries/{body['id']}").json()
    assert again["formatted_duration"] == "01:02"


def test_starting_another_task_stops_the_previous_at_the_same_instant(api, state, clock, demo, guild, find_task):
    first = start(api, demo, find_task("Code review")).json()
    clock.advance(1800)
    second = start(api, guild, find_task("Review pull requests")).json()
    previous = state.entry(first["id"])
    assert previous["stopped_at"] == state.entry(second["id"])["started_at"]
    assert state.running_entry(state.me_id)["id"] == second["id"]
    shown = api.get(f"/api/v1/time_entries/{first['id']}").json()
    assert shown["duration"] == 1800.0 and shown["formatted_duration"] == "00:30"
    assert sum(1 for e in state.entries_of(state.me_id) if e["stopped_at"] is None) == 1


def test_starting_a_deleted_task_is_422_verbatim(api, state, demo, find_task):
    response = start(api, demo, find_task("廃止されたタスク"))
    assert response.status_code == 422
    assert response.json() == {"messages": [TE_PREFIX, "Task is already deleted."]}
    assert state.running_entry(state.me_id) is None


def test_start_unknown_or_mismatched_task_is_404(api, demo, guild, find_task):
    assert start(api, demo, 999999).status_code == 404
    assert start(api, guild, find_task("Code review")).status_code == 404  # task of another team


def test_create_from_task_creates_and_starts(api, state, demo, find_task):
    dev = state.tasks[find_task("Code review")]["category_id"]
    body = {"task": {"title": "新しいタスク ✨", "team_id": str(demo), "parent_id": str(dev),
                     "key": "https://example.com/new", "url": "https://example.com/new"}}
    response = api.post("/api/v1/time_entries", json=body)
    assert response.status_code == 200
    entry = response.json()
    assert entry["is_new_task"] is True
    assert entry["stopped_at"] is None
    assert entry["task"]["title"] == "新しいタスク ✨"
    assert entry["task"]["parent_id"] == dev and entry["category"]["id"] == dev
    assert entry["task"]["url"] == "https://example.com/new"
    assert state.running_entry(state.me_id)["task_id"] == entry["task"]["id"]
    # The new task is now suggested and listed.
    found = api.get("/api/v1/tasks/suggestions", params={"title": "新しい"}).json()["tasks"]
    assert [t["id"] for t in found] == [entry["task"]["id"]]

    again = api.post("/api/v1/time_entries", json=body).json()
    assert again["is_new_task"] is False and again["task"]["id"] == entry["task"]["id"]


def test_create_in_readonly_team_is_422_in_japanese(api, state, find_team):
    readonly = next(t["id"] for t in state.teams.values() if t["tasks_readonly"])
    response = api.post("/api/v1/time_entries",
                        json={"task": {"title": "x", "team_id": readonly, "key": "k", "url": ""}})
    assert response.status_code == 422
    assert response.json() == {"messages": ["選択中のチームでタスクの作成・編集・削除は許可されていません"]}
    assert "選択中のチーム".encode() in response.content  # raw UTF-8, not \u escapes
    assert state.running_entry(state.me_id) is None


def test_create_under_deleted_category_is_422_verbatim(api, state, demo):
    deleted = next(c["id"] for c in state.categories.values() if c["deleted_at"] and c["team_id"] == demo)
    response = api.post("/api/v1/time_entries", json={"task": {"title": "x", "team_id": demo, "parent_id": deleted}})
    assert response.status_code == 422
    assert response.json() == {"messages": ["1 error prohibited this Task from being saved. ",
                                            "Category is already deleted."]}


def test_create_from_times(api, state, clock, find_task):
    task = find_task("資料作成")
    start_at, stop_at = int(clock.now) - 7200, int(clock.now) - 3600
    response = api.post("/api/v1/time_entries", json={"time_entry": {
        "started_at": str(start_at), "stopped_at": str(stop_at), "time_trackable_id": str(task)}})
    assert response.status_code == 200
    body = response.json()
    assert body["is_new_task"] is None
    assert body["duration"] == 3600.0 and body["formatted_duration"] == "01:00"
    assert body["started_at"] == iso_jst(start_at) and body["stopped_at_seconds"] == stop_at
    assert state.running_entry(state.me_id) is None


def test_stop_and_stop_twice(api, state, clock, demo, find_task):
    entry = start(api, demo, find_task("メール対応")).json()
    clock.advance(600)
    stopped = api.patch(f"/api/v1/time_entries/{entry['id']}/stop")
    assert stopped.status_code == 200
    first = stopped.json()
    assert first["stopped_at"] == iso_jst(int(clock.now))
    assert first["duration"] == 600.0
    assert state.running_entry(state.me_id) is None

    clock.advance(300)
    twice = api.patch(f"/api/v1/time_entries/{entry['id']}/stop")
    assert twice.status_code == 200
    assert twice.json()["stopped_at"] == first["stopped_at"]
    assert twice.json()["duration"] == 600.0


@pytest.mark.parametrize("action", ["stop", "patch", "delete", "comment"])
def test_writing_another_users_entry_is_403(api, state, action):
    mate_entry = next(e for e in state.entries.values() if e["user_id"] != state.me_id and e["stopped_at"] is None
                      and e["team_id"] in state.users[state.me_id]["team_ids"])
    path = f"/api/v1/time_entries/{mate_entry['id']}"
    response = {
        "stop": lambda: api.patch(f"{path}/stop"),
        "patch": lambda: api.patch(path, json={"time_entry": {"started_at": "1761000000"}}),
        "delete": lambda: api.delete(path),
        "comment": lambda: api.post(f"{path}/comments", json={"comment": {"content": "hi"}}),
    }[action]()
    assert response.status_code == 403
    assert response.json() == {"messages": ["You are not authorized to access this page."]}
    assert state.entry(mate_entry["id"]) == mate_entry


def test_teammate_cannot_stop_mine(api, make_api, state, demo, find_task):
    entry = start(api, demo, find_task("朝会")).json()
    mate = make_api(token=TEAMMATE_TOKEN)
    assert mate.patch(f"/api/v1/time_entries/{entry['id']}/stop").status_code == 403
    assert state.running_entry(state.me_id)["id"] == entry["id"]


@pytest.mark.parametrize(("method", "suffix"),
                         [("GET", ""), ("PATCH", "/stop"), ("PATCH", ""), ("DELETE", ""), ("POST", "/comments")])
def test_unknown_entry_is_404(api, method, suffix):
    kwargs = {"json": {"comment": {"content": "x"}}} if suffix == "/comments" else {}
    response = api.request(method, f"/api/v1/time_entries/424242{suffix}", **kwargs)
    assert response.status_code == 404
    assert response.json()["messages"]


def test_patch_times(api, state, clock):
    entry = state.entries_of(state.me_id)[3]
    new_start = entry["started_at"] - 900
    body = api.patch(f"/api/v1/time_entries/{entry['id']}", json={"time_entry": {"started_at": str(new_start)}}).json()
    assert body["started_at"] == iso_jst(new_start)
    assert body["duration"] == float(entry["stopped_at"] - new_start)
    body = api.patch(f"/api/v1/time_entries/{entry['id']}",
                     json={"time_entry": {"stopped_at": entry["stopped_at"] + 60}}).json()
    assert body["stopped_at_seconds"] == entry["stopped_at"] + 60
    assert state.entry(entry["id"])["started_at"] == new_start


def test_patch_stopped_before_started_is_422(api, state):
    entry = state.entries_of(state.me_id)[0]
    response = api.patch(f"/api/v1/time_entries/{entry['id']}",
                         json={"time_entry": {"stopped_at": str(entry["started_at"] - 1)}})
    assert response.status_code == 422
    assert response.json() == {"messages": [TE_PREFIX, "Stopped at must be after started at"]}
    assert state.entry(entry["id"]) == entry
    bad = api.patch(f"/api/v1/time_entries/{entry['id']}", json={"time_entry": {"started_at": "soon"}})
    assert bad.status_code == 422


def test_patch_stopped_at_stops_a_running_entry(api, state, clock, demo, find_task):
    entry = start(api, demo, find_task("採用面接")).json()
    clock.advance(1200)
    body = api.patch(f"/api/v1/time_entries/{entry['id']}",
                     json={"time_entry": {"stopped_at": int(clock.now) - 200}}).json()
    assert body["duration"] == 1000.0
    assert state.running_entry(state.me_id) is None


def test_delete(api, state):
    entry = state.entries_of(state.me_id)[0]
    response = api.delete(f"/api/v1/time_entries/{entry['id']}")
    assert response.status_code == 204 and response.content == b""
    assert state.entry(entry["id"]) is None
    assert api.get(f"/api/v1/time_entries/{entry['id']}").status_code == 404
    assert entry["id"] not in [e["id"] for e in state.entries_of(state.me_id)]


def test_comments_round_trip_emoji_and_japanese(api, state):
    entry = state.entries_of(state.me_id)[0]
    text = "議事録を共有しました 😊🎉 done"
    response = api.post(f"/api/v1/time_entries/{entry['id']}/comments", json={"comment": {"content": text}})
    assert response.status_code == 200
    comment = response.json()["comment"]
    assert comment["content"] == text
    assert comment["commentable_id"] == entry["id"] and comment["user_id"] == state.me_id
    assert comment["commentable_type"] == "ActsAsTimeTrackable::ActiveRecordStores::TimeEntry"
    assert api.get(f"/api/v1/time_entries/{entry['id']}").json()["comment"]["content"] == text
    blank = api.post(f"/api/v1/time_entries/{entry['id']}/comments", json={"comment": {"content": ""}})
    assert blank.status_code == 422


def test_comment_shows_in_working_users(api, state, demo, find_task):
    entry = start(api, demo, find_task("資料作成")).json()
    api.post(f"/api/v1/time_entries/{entry['id']}/comments", json={"comment": {"content": "スライド 3枚目"}})
    mine = next(r for r in api.get("/api/v1/user/working_users").json() if r["id"] == state.me_id)
    assert mine["time_entry"]["comment"] == "スライド 3枚目"


def test_requests_are_recorded(api, state, demo, find_task):
    start(api, demo, find_task("朝会"))
    method, path, body, when = state.requests[-1]
    assert (method, path, body) == ("POST", f"/api/v1/teams/{demo}/tasks/{find_task('朝会')}/start", {})
    assert isinstance(when, float)
    assert [r for r in state.requests if r[0] == "POST"].__len__() == 1
