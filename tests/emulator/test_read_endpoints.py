"""Shapes of the read endpoints, checked against the reference pages."""

from __future__ import annotations

import re

from timecrowd_tray.emulator import OUTSIDER_TOKEN, TEAMMATE_TOKEN

JST_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+09:00$")
UTC_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
HHMM_RE = re.compile(r"^\d{2,}:\d\d$")

ENTRY_KEYS = {
    "id", "started_at", "stopped_at", "time_trackable_id", "time_trackable_type", "time_tracker_id",
    "time_tracker_type", "created_at", "updated_at", "deleted_at", "duration", "amount", "team_id",
    "input_type", "stopped_at_seconds", "deleted_at_seconds", "formatted_duration", "html_url",
    "user", "task", "comment", "team", "category",
}


def assert_entry_shape(entry: dict) -> None:
    assert ENTRY_KEYS <= entry.keys()
    assert JST_RE.match(entry["started_at"])
    assert entry["stopped_at"] is None or JST_RE.match(entry["stopped_at"])
    assert isinstance(entry["duration"], float)
    assert HHMM_RE.match(entry["formatted_duration"])
    assert entry["html_url"].endswith(f"/app/mytasks/{entry['task']['id']}/edit")
    assert {"id", "nickname", "avatar_url", "email", "html_url", "is_deactivated"} <= entry["user"].keys()
    task = entry["task"]
    assert {"id", "key", "title", "url", "safe_url", "label", "team_id", "parent_id", "root_id"} <= task.keys()
    assert {"id", "title", "color"} <= task["category"].keys()
    assert task["team"]["name"] == entry["team"]["name"]
    assert task["label"] == f"[{entry['team']['name']}] {task['title']}"
    assert entry["team"]["id"] == entry["team_id"] == task["team_id"]
    assert entry["category"]["id"] == task["parent_id"]


def test_user_info(api, state):
    body = api.get("/api/v1/user/info").json()
    assert body["id"] == state.me_id
    assert body["nickname"] == "山田 花子 (demo)"
    assert body["daily_time"] == "08:00"
    assert (body["time_zone"], body["time_zone_mapping"], body["utc_offset"]) == ("Tokyo", "Asia/Tokyo", "+09:00")
    for key in ("email", "image", "avatar_url", "daily", "weekly", "html_url", "is_deactivated", "locale", "bounced"):
        assert key in body
    names = {t["name"] for t in body["teams"]}
    assert {"株式会社デモ", "Open Source Guild"} <= names
    assert all({"id", "name", "avatar_url"} <= t.keys() for t in body["teams"])


def test_teammate_token_is_another_user(api, state):
    body = api.get("/api/v1/user/info", token=TEAMMATE_TOKEN).json()
    assert body["id"] != state.me_id


def test_working_users_lists_colleagues_then_me_when_running(api, state, find_task, find_team):
    rows = api.get("/api/v1/user/working_users").json()
    assert rows and all(row["id"] != state.me_id for row in rows)
    assert "外部 太郎" not in {row["nickname"] for row in rows}  # not in my teams
    row = rows[0]
    assert {"id", "nickname", "avatar_url", "html_url", "time_entry", "task"} <= row.keys()
    assert {"id", "started_at", "html_url", "comment", "duration", "can_stop"} <= row["time_entry"].keys()
    assert UTC_RE.match(row["time_entry"]["started_at"])
    assert isinstance(row["time_entry"]["duration"], float)
    assert row["time_entry"]["can_stop"] is False
    task_keys = {"id", "key", "title", "url", "safe_url", "label", "team_id", "parent_id", "root_id",
                 "html_url", "team", "category", "edit_url"}
    assert task_keys <= row["task"].keys()
    assert row["task"]["team"].keys() >= {"id", "name"}
    assert row["task"]["category"].keys() >= {"id", "title", "color"}

    api.post(f"/api/v1/teams/{find_team('株式会社デモ')}/tasks/{find_task('請求書の作成')}/start", json={})
    rows = api.get("/api/v1/user/working_users").json()
    mine = [r for r in rows if r["id"] == state.me_id]
    assert len(mine) == 1 and mine[0]["task"]["title"] == "請求書の作成"
    assert mine[0]["time_entry"]["can_stop"] is True
    assert len(rows) >= 2


def test_outsider_does_not_see_my_team(api, state):
    rows = api.get("/api/v1/user/working_users", token=OUTSIDER_TOKEN).json()
    assert [r["nickname"] for r in rows] == ["外部 太郎"]


def test_time_entries_list_newest_first_with_paging(api, state):
    page1 = api.get("/api/v1/time_entries", params={"user_id": state.me_id, "per_page": 5}).json()
    page2 = api.get("/api/v1/time_entries", params={"user_id": state.me_id, "per_page": 5, "page": 2}).json()
    assert len(page1) == len(page2) == 5
    starts = [e["started_at"] for e in page1 + page2]
    assert starts == sorted(starts, reverse=True)
    assert {e["user"]["id"] for e in page1 + page2} == {state.me_id}
    for entry in page1:
        assert_entry_shape(entry)
    assert [e["id"] for e in page1] == [e["id"] for e in state.entries_of(state.me_id)[:5]]


def test_time_entries_rejects_non_numeric_params(api):
    response = api.get("/api/v1/time_entries", params={"page": "two"})
    assert response.status_code == 422
    assert "Must be a number" in response.json()["messages"][0]


def test_user_time_entries_filters_by_task(api, state):
    mine = api.get("/api/v1/user/time_entries").json()
    assert mine and all(e["user"]["id"] == state.me_id for e in mine)
    task = mine[0]["task"]["id"]
    only = api.get("/api/v1/user/time_entries", params={"task_id": task}).json()
    assert only and all(e["task"]["id"] == task for e in only)
    expected = [e["id"] for e in state.entries_of(state.me_id) if e["task_id"] == task][:20]
    assert [e["id"] for e in only] == expected


def test_show_time_entry(api, state):
    entry_id = state.entries_of(state.me_id)[0]["id"]
    body = api.get(f"/api/v1/time_entries/{entry_id}").json()
    assert body["id"] == entry_id
    assert_entry_shape(body)
    assert body["duration"] == float(body["stopped_at_seconds"] - state.entry(entry_id)["started_at"])
    assert api.get("/api/v1/time_entries/999999").status_code == 404


def test_teams_categories_and_team_tasks(api, state, find_team):
    teams = api.get("/api/v1/teams").json()
    assert {"株式会社デモ", "Open Source Guild"} <= {t["name"] for t in teams}
    demo = find_team("株式会社デモ")
    categories = api.get("/api/v1/categories", params={"team_id": demo}).json()
    assert {"開発", "会議", "管理業務"} <= {c["title"] for c in categories}
    assert "旧プロジェクト" not in {c["title"] for c in categories}  # deleted

    body = api.get(f"/api/v1/teams/{demo}/tasks").json()
    titles = {t["title"] for t in body["tasks"]}
    assert body["is_last_page"] is True
    assert {"週次定例ミーティング", "請求書の作成"} <= titles
    assert "廃止されたタスク" not in titles and "旧サイトの保守" not in titles
    assert all(t["team_id"] == demo and t["category"] and t["team"] for t in body["tasks"])

    first = api.get(f"/api/v1/teams/{demo}/tasks", params={"per_page": 5}).json()
    assert len(first["tasks"]) == 5 and first["is_last_page"] is False
    assert api.get("/api/v1/teams/99/tasks").status_code == 404


def test_suggestions(api, state):
    body = api.get("/api/v1/tasks/suggestions", params={"title": "BUG triage"}).json()
    titles = [t["title"] for t in body["tasks"]]
    assert set(titles) == {"Bug triage #214", "Bug triage #301"}
    assert body["is_last_page"] is True
    for task in body["tasks"]:
        assert re.match(r"^\d{2,}:\d\d:\d\d$", task["total_time"])
        assert {"id", "title"} <= task["category"].keys() and task["team"]["name"]

    ja = api.get("/api/v1/tasks/suggestions", params={"title": "ミーティング"}).json()
    assert [t["title"] for t in ja["tasks"]] == ["週次定例ミーティング"]

    category = ja["tasks"][0]["category"]["id"]
    none = api.get("/api/v1/tasks/suggestions", params={"title": "Bug", "category_id": category}).json()
    assert none["tasks"] == []

    assert "廃止" not in str(api.get("/api/v1/tasks/suggestions", params={"title": "廃止"}).json())
    assert api.get("/api/v1/tasks/suggestions").status_code == 422
    assert api.get("/api/v1/tasks/suggestions", params={"title": " "}).status_code == 422
