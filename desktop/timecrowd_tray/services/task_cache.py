"""Recent tasks: derived from my latest entries, kept on disk for an instant palette.

The cache is one JSON file in the user cache dir, written atomically (a
temporary file renamed over the old one), so a crash leaves either the old or
the new list, never half of one. It is advisory: unreadable means empty.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.models import ParseError, Task, TimeEntry, User
from .atomic_file import write_text_atomically

log = logging.getLogger(__name__)

MENU_COUNT = 10
CACHE_COUNT = 200
_VERSION = 1


def task_to_json(task: Task) -> dict[str, Any]:
    """A task as JSON that :meth:`Task.from_json` reads back unchanged."""
    data: dict[str, Any] = {"id": task.id, "title": task.title}
    if task.team_id is not None:
        data["team_id"] = task.team_id
    data["team"] = {"id": task.team_id, "name": task.team_name} if task.team_id is not None else {
        "name": task.team_name}
    if task.category is not None:
        c = task.category
        data["category"] = {"id": c.id, "title": c.title, "color": c.color, "team_id": c.team_id}
    for key in ("key", "url", "html_url", "parent_id", "total_time"):
        value = getattr(task, key)
        if value is not None:
            data[key] = value
    return data


def task_from_json(data: Any) -> Task | None:
    try:
        return Task.from_json(data)
    except ParseError:
        return None


def worked_on_last(entry: TimeEntry) -> tuple[bool, datetime, datetime, int]:
    """The sort key of "most recently worked on": a running entry first, then the one that ended last
    (the same end: the later start, then the newer entry). Not the latest start: a start backdated to
    before another entry, once stopped, is still the last thing the user did."""
    return (entry.is_running, entry.stopped_at or entry.started_at, entry.started_at, entry.id)


def distinct_recent_tasks(entries: Iterable[TimeEntry], limit: int = CACHE_COUNT) -> list[Task]:
    """Tasks of ``entries``, most recently worked on first (:func:`worked_on_last`), each once."""
    seen: set[int] = set()
    out: list[Task] = []
    for entry in sorted(entries, key=worked_on_last, reverse=True):
        if entry.task.id in seen:
            continue
        seen.add(entry.task.id)
        out.append(entry.task)
        if len(out) >= limit:
            break
    return out


def merge_tasks(newest: Iterable[Task], older: Iterable[Task], limit: int = CACHE_COUNT) -> list[Task]:
    """``newest`` first, then the ``older`` ones not already there, capped at ``limit``."""
    seen: set[int] = set()
    out: list[Task] = []
    for task in (*newest, *older):
        if task.id in seen or task.id <= 0:
            continue
        seen.add(task.id)
        out.append(task)
        if len(out) >= limit:
            break
    return out


def user_to_json(user: User) -> dict[str, Any]:
    """A user as JSON that :meth:`User.from_json` reads back unchanged."""
    return {"id": user.id, "nickname": user.nickname, "email": user.email, "time_zone": user.time_zone,
            "time_zone_mapping": user.time_zone_name, "utc_offset": user.utc_offset, "locale": user.locale,
            "html_url": user.html_url,
            "teams": [{"id": t.id, "name": t.name, "tasks_readonly": t.tasks_readonly} for t in user.teams]}


@dataclass(frozen=True, slots=True)
class CacheData:
    account: str | None = None
    api_base: str | None = None
    user: User | None = None
    tasks: tuple[Task, ...] = ()


class TaskCache:
    """``recent-tasks.json``: the account, its user info and its recent tasks."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> CacheData:
        """What is on disk; empty when missing or unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return CacheData()
        if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("tasks"), list):
            return CacheData()
        tasks = tuple(t for t in (task_from_json(item) for item in data["tasks"]) if t is not None)
        account = data.get("account") if isinstance(data.get("account"), str) else None
        api_base = data.get("api_base") if isinstance(data.get("api_base"), str) else None
        try:
            user = User.from_json(data["user"]) if isinstance(data.get("user"), dict) else None
        except ParseError:
            user = None
        return CacheData(account, api_base, user, tasks)

    def save(self, account: str | None, tasks: Iterable[Task], *, user: User | None = None,
             api_base: str | None = None) -> None:
        body = json.dumps({"version": _VERSION, "account": account, "api_base": api_base,
                           "user": user_to_json(user) if user is not None else None,
                           "tasks": [task_to_json(t) for t in tasks]}, ensure_ascii=False)
        try:
            write_text_atomically(self.path, body)
        except OSError as exc:
            log.warning("could not write the task cache %s: %s", self.path, exc)
