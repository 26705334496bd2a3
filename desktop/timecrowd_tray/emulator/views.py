"""JSON shapes of the TimeCrowd API v1, built from the store's records.

Field sets follow the reference pages in /work/shared/timecrowd-api: where the
list and show examples differ, the emulator sends the union (clients must
ignore unknown fields anyway). Call these while holding ``state.lock`` so one
response reflects one consistent moment.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .records import Record
from .store import EmulatorState
from .timefmt import hhmm, hhmmss, iso_jst, iso_utc

JSON = dict[str, Any]


def _key_md5(key: Any) -> str:
    """The reference pages show a hex MD5 of the key (ASSUMPTION: of the key's UTF-8 text)."""
    return hashlib.md5(str(key or "").encode("utf-8"), usedforsecurity=False).hexdigest()


def team_json(state: EmulatorState, team: Record) -> JSON:
    base = state.web_base_url
    return {
        "id": team["id"],
        "name": team["name"],
        "created_at": iso_jst(team["created_at"]),
        "updated_at": iso_jst(team["created_at"]),
        "deleted_at": None,
        "time_limit": 0,
        "avatar": None,
        "avatar_url": team.get("avatar_url"),
        "ancestry": None,
        "hierarchized": False,
        "default_duration": 15,
        "tasks_readonly_role": "member" if team["tasks_readonly"] else "none",
        "workspaces_workspace_id": team["workspace_id"],
        "tasks_readonly": team["tasks_readonly"],
        "rounding": "floor",
        "capacity": None,
        "premium": False,
        "personal": False,
        "html_url": f"{base}/app/teams/{team['id']}/edit",
    }


def category_json(category: Record) -> JSON:
    return {
        "id": category["id"],
        "key": category["key"],
        "title": category["title"],
        "url": None,
        "team_id": category["team_id"],
        "created_at": iso_jst(category["created_at"]),
        "updated_at": iso_jst(category["updated_at"]),
        "deleted_at": iso_jst(category["deleted_at"]),
        "description": None,
        "category": True,
        "sequential_id": None,
        "state": "open",
        "bill": 0,
        "ancestry": None,
        "ancestry_depth": 0,
        "closed_at": None,
        "color": category["color"],
        "position": category["position"],
        "deleted_at_seconds": category["deleted_at"] or 0,
        "key_md5": _key_md5(category["key"]),
        "archived": False,
        "category_id": None,
        "ancestry_path": "/",
        "selectable": category["deleted_at"] is None,
    }


def task_json(state: EmulatorState, task: Record) -> JSON:
    base = state.web_base_url
    team = state.teams[task["team_id"]]
    category = state.categories.get(task["category_id"]) if task["category_id"] else None
    cat_id = category["id"] if category else None
    return {
        "id": task["id"],
        "key": task["key"],
        "title": task["title"],
        "url": task["url"],
        "safe_url": task["url"],
        "label": f"[{team['name']}] {task['title']}",
        "team_id": task["team_id"],
        "parent_id": cat_id,
        "root_id": cat_id,
        "category_id": cat_id,
        "created_at": iso_jst(task["created_at"]),
        "updated_at": iso_jst(task["updated_at"]),
        "deleted_at": iso_jst(task["deleted_at"]),
        "description": None,
        "state": "open",
        "sequential_id": None,
        "bill": 0,
        "ancestry": str(cat_id) if cat_id else None,
        "ancestry_depth": 1 if cat_id else 0,
        "closed_at": None,
        "color": category["color"] if category else 1,
        "position": None,
        "deleted_at_seconds": task["deleted_at"] or 0,
        "key_md5": _key_md5(task["key"]),
        "archived": False,
        "ancestry_path": f"/{cat_id}/" if cat_id else "/",
        "selectable": task["deleted_at"] is None,
        # ASSUMPTION: task pages live under /app/tasks/:id on the web app.
        "html_url": f"{base}/app/tasks/{task['id']}",
        "edit_url": f"{base}/app/tasks/{task['id']}/edit",
        "category": category_json(category) if category else None,
        "team": team_json(state, team),
    }


def user_json(state: EmulatorState, user: Record) -> JSON:
    """The user object embedded in time entries."""
    base = state.web_base_url
    return {
        "id": user["id"],
        "email": user["email"],
        "nickname": user["nickname"],
        "image": user.get("avatar_url"),
        "avatar_url": user.get("avatar_url"),
        "avatar": None,
        "created_at": iso_jst(user["created_at"]),
        "updated_at": iso_jst(user["created_at"]),
        "deleted_at": None,
        "daily": True,
        "weekly": True,
        "daily_time": "2000-01-01T08:00:00.000+09:00",
        "time_zone": "Tokyo",
        "locale": user["locale"],
        "domain": "timecrowd.net",
        "reset_password_sent_at": None,
        "remember_created_at": None,
        "sign_in_count": 0,
        "current_sign_in_at": None,
        "last_sign_in_at": None,
        "confirmed_at": iso_jst(user["created_at"]),
        "confirmation_sent_at": None,
        "calendar_zoom_rate": 1,
        "has_password": True,
        "is_deactivated": False,
        "deactivated_at": None,
        "html_url": f"{base}/app/users/{user['id']}/calendar",
    }


def user_info_json(state: EmulatorState, user: Record) -> JSON:
    base = state.web_base_url
    return {
        "id": user["id"],
        "email": user["email"],
        "nickname": user["nickname"],
        "image": user.get("avatar_url"),
        "avatar_url": user.get("avatar_url"),
        "daily": True,
        "weekly": True,
        "daily_time": "08:00",
        "html_url": f"{base}/app/users/{user['id']}/calendar",
        "is_deactivated": False,
        "time_zone": "Tokyo",
        "time_zone_mapping": "Asia/Tokyo",
        "utc_offset": "+09:00",
        "locale": user["locale"],
        "bounced": False,
        "teams": [team_json(state, state.teams[t]) for t in user["team_ids"]],
    }


def comment_json(comment: Record) -> JSON:
    return {
        "id": comment["id"],
        "content": comment["content"],
        "commentable_id": comment["entry_id"],
        "commentable_type": "ActsAsTimeTrackable::ActiveRecordStores::TimeEntry",
        "user_id": comment["user_id"],
        "created_at": iso_jst(comment["created_at"]),
        "updated_at": iso_jst(comment["updated_at"]),
        "deleted_at": None,
    }


def entry_duration(state: EmulatorState, entry: Record) -> float:
    if entry["stopped_at"] is None:
        # Running entries report a live, fractional duration like the real API.
        return max(0.0, float(state.clock()) - entry["started_at"])
    return float(entry["stopped_at"] - entry["started_at"])


def entry_json(state: EmulatorState, entry: Record, *, is_new_task: bool | None = None,
               with_new_flag: bool = True) -> JSON:
    task = state.tasks[entry["task_id"]]
    team = state.teams[entry["team_id"]]
    category = state.categories.get(task["category_id"]) if task["category_id"] else None
    comment = state.comment_of(entry)
    duration = entry_duration(state, entry)
    body: JSON = {
        "id": entry["id"],
        "started_at": iso_jst(entry["started_at"]),
        "stopped_at": iso_jst(entry["stopped_at"]),
        "time_trackable_id": entry["task_id"],
        "time_trackable_type": "Task",
        "time_tracker_id": entry["user_id"],
        "time_tracker_type": "User",
        "created_at": iso_jst(entry["created_at"]),
        "updated_at": iso_jst(entry["updated_at"]),
        "deleted_at": iso_jst(entry["deleted_at"]),
        "duration": duration,
        "amount": 0,
        "team_id": entry["team_id"],
        "input_type": entry["input_type"],
        "stopped_at_seconds": entry["stopped_at"] or 0,
        "deleted_at_seconds": entry["deleted_at"] or 0,
        "external_identifier": None,
        "external_provider": "none",
        "formatted_duration": hhmm(duration),
        "html_url": f"{state.web_base_url}/app/mytasks/{entry['task_id']}/edit",
        "user": user_json(state, state.users[entry["user_id"]]),
        "task": task_json(state, task),
        "comment": comment_json(comment) if comment else None,
        "team": team_json(state, team),
        "category": category_json(category) if category else None,
    }
    if with_new_flag:
        body["is_new_task"] = is_new_task
    return body


#: The task fields a working_users row carries (the API docs' list).
_WORKING_TASK_KEYS = ("id", "key", "title", "url", "safe_url", "label", "team_id", "parent_id", "root_id",
                      "html_url", "team", "category", "edit_url")


def working_task_json(state: EmulatorState, task: Record) -> JSON:
    """The task as a working_users row embeds it: task_json's fields, with a short team and category."""
    full = task_json(state, task)
    short = {
        "team": {"id": full["team"]["id"], "name": full["team"]["name"]},
        "category": ({k: full["category"][k] for k in ("id", "title", "color")} if full["category"] else None),
    }
    return {k: short[k] if k in short else full[k] for k in _WORKING_TASK_KEYS}


def working_user_json(state: EmulatorState, viewer_id: int, user: Record, entry: Record) -> JSON:
    base = state.web_base_url
    task = state.tasks[entry["task_id"]]
    comment = state.comment_of(entry)
    return {
        "id": user["id"],
        "nickname": user["nickname"],
        "avatar_url": user.get("avatar_url"),
        "html_url": f"{base}/app/users/{user['id']}/calendar",
        "time_entry": {
            "id": entry["id"],
            "started_at": iso_utc(entry["started_at"]),
            "html_url": f"{base}/app/mytasks/{task['id']}/edit",
            # ASSUMPTION: the comment is rendered as its text (or null) here.
            "comment": comment["content"] if comment else None,
            "duration": entry_duration(state, entry),
            # ASSUMPTION: only the owner may stop an entry.
            "can_stop": entry["user_id"] == viewer_id,
        },
        "task": working_task_json(state, task),
    }


def suggestion_json(state: EmulatorState, task: Record) -> JSON:
    body = task_json(state, task)
    body["total_time"] = hhmmss(state.task_total_seconds(task["id"]))
    return body
