"""The rules of every change a user asks of the emulated account (start, stop, edit, comment).

Guesses about the real server are marked ASSUMPTION where they are applied and
listed in ``store.py``.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import COMMENT_PREFIX, TASK_PREFIX, TASKS_READONLY, TIME_ENTRY_PREFIX, Invalid, NotFound
from .read_rules import ReadRules
from .records import Record
from .timefmt import parse_unix_seconds


class WriteRules(ReadRules):
    """The account's checked writes: each refuses with a StoreError, or applies the change."""

    def _start(self, user_id: int, task: Record) -> Record:
        now = self.now()
        previous = self._running(user_id)
        if previous is not None:
            # ASSUMPTION: one running entry per user; the old one ends when the new one starts.
            previous["stopped_at"] = max(now, previous["started_at"])
            previous["updated_at"] = now
        return self._new_entry(user_id, task, now, None)

    def start_task(self, user_id: int, team_id: int, task_id: int) -> Record:
        with self.lock:
            self._member_team(user_id, team_id)
            task = self.tasks.get(task_id)
            if task is None or task["team_id"] != team_id:
                raise NotFound(f"Couldn't find Task with 'id'={task_id}")
            if task["deleted_at"] is not None:
                raise Invalid(TIME_ENTRY_PREFIX, "Task is already deleted.")
            category = self.categories.get(task["category_id"])
            if category is not None and category["deleted_at"] is not None:
                # ASSUMPTION: a task under a deleted category counts as deleted.
                raise Invalid(TIME_ENTRY_PREFIX, "Task is already deleted.")
            return copy.deepcopy(self._start(user_id, task))

    def create_task_and_start(
        self, user_id: int, fields: dict[str, Any], parent: dict[str, Any] | None = None
    ) -> tuple[Record, bool]:
        """POST /time_entries with {"task": ...}: find or create the task, start it.

        Returns (entry, is_new_task).
        """
        with self.lock:
            team_id = _as_int(fields.get("team_id"))
            if team_id is None:
                raise Invalid(TASK_PREFIX, "Team can't be blank")
            team = self._member_team(user_id, team_id)
            title = str(fields.get("title") or "").strip()
            url = str(fields.get("url") or "")
            key = str(fields.get("key") or url or title.replace(" ", ""))
            # ASSUMPTION: the task key identifies a task within a team, so posting a
            # known key reuses that task (is_new_task false) instead of copying it.
            for task in self.tasks.values():
                if task["team_id"] == team_id and task["key"] == key and key:
                    if not self._task_usable(task):
                        raise Invalid(TIME_ENTRY_PREFIX, "Task is already deleted.")
                    return copy.deepcopy(self._start(user_id, task)), False
            if team["tasks_readonly"]:
                raise Invalid(TASKS_READONLY)
            if not title:
                raise Invalid(TASK_PREFIX, "Title can't be blank")
            category = self._resolve_category(team_id, fields.get("parent_id"), parent)
            if category["deleted_at"] is not None:
                raise Invalid(TASK_PREFIX, "Category is already deleted.")
            task = self.add_task(team_id, category["id"], title, url=url, key=key)
            return copy.deepcopy(self._start(user_id, self.tasks[task["id"]])), True

    def _resolve_category(self, team_id: int, parent_id: Any, parent: dict[str, Any] | None) -> Record:
        if parent_id not in (None, ""):
            category = self.categories.get(_as_int(parent_id) or -1)
            if category is None or category["team_id"] != team_id:
                raise NotFound(f"Couldn't find Category with 'id'={parent_id}")
            return category
        if parent and parent.get("title"):
            # ASSUMPTION: a "parent" object without parent_id names a category,
            # found by title or created.
            for category in self.categories.values():
                if (category["team_id"] == team_id and category["title"] == parent["title"]
                        and category["deleted_at"] is None):
                    return category
            return self.add_category(team_id, str(parent["title"]), key=str(parent.get("key") or parent["title"]))
        # ASSUMPTION: with no category given, the task goes into the team's first live category.
        live = [c for c in self.categories.values() if c["team_id"] == team_id and c["deleted_at"] is None]
        if not live:
            return self.add_category(team_id, "未分類")
        return min(live, key=lambda c: (c["position"], c["id"]))

    def create_entry_from_times(self, user_id: int, fields: dict[str, Any]) -> Record:
        """POST /time_entries with {"time_entry": ...} (a manual, finished entry)."""
        with self.lock:
            task_id = _as_int(fields.get("time_trackable_id"))
            task = self.tasks.get(task_id or -1)
            if task is None or task["team_id"] not in self.users[user_id]["team_ids"]:
                raise NotFound(f"Couldn't find Task with 'id'={fields.get('time_trackable_id')}")
            if not self._task_usable(task):
                raise Invalid(TIME_ENTRY_PREFIX, "Task is already deleted.")
            started = _time_field(fields, "started_at", required=True)
            stopped = _time_field(fields, "stopped_at", required=False)
            if stopped is None:
                # ASSUMPTION: no stopped_at means "start now-ish", like a timer.
                entry = self._start(user_id, task)
                if started is not None and started <= entry["started_at"]:
                    entry["started_at"] = started
                return copy.deepcopy(entry)
            assert started is not None
            if stopped < started:
                raise Invalid(TIME_ENTRY_PREFIX, "Stopped at must be after started at")
            entry = self._new_entry(user_id, task, started, stopped)
            entry["input_type"] = "manual"
            return copy.deepcopy(entry)

    def stop_entry(self, user_id: int, entry_id: int) -> Record:
        with self.lock:
            entry = self._own_entry(user_id, entry_id)
            if entry["stopped_at"] is None:
                now = self.now()
                entry["stopped_at"] = max(now, entry["started_at"])
                entry["updated_at"] = now
            # ASSUMPTION: stopping a stopped entry is a no-op answered with 200.
            return copy.deepcopy(entry)

    def update_entry(self, user_id: int, entry_id: int, fields: dict[str, Any]) -> Record:
        with self.lock:
            entry = self._own_entry(user_id, entry_id)
            started = _time_field(fields, "started_at", required=False)
            stopped = _time_field(fields, "stopped_at", required=False)
            new_started = started if started is not None else entry["started_at"]
            new_stopped = stopped if stopped is not None else entry["stopped_at"]
            now = self.now()
            if new_stopped is not None and new_stopped < new_started:
                raise Invalid(TIME_ENTRY_PREFIX, "Stopped at must be after started at")
            if new_stopped is None and new_started > now:
                raise Invalid(TIME_ENTRY_PREFIX, "Started at can't be in the future")
            task = None
            if fields.get("time_trackable_id") not in (None, ""):
                task = self.tasks.get(_as_int(fields.get("time_trackable_id")) or -1)
                if task is None or task["team_id"] not in self.users[user_id]["team_ids"]:
                    raise NotFound(f"Couldn't find Task with 'id'={fields.get('time_trackable_id')}")
                if not self._task_usable(task):
                    raise Invalid(TIME_ENTRY_PREFIX, "Task is already deleted.")
            entry["started_at"] = new_started
            entry["stopped_at"] = new_stopped
            if task is not None:
                entry["task_id"] = task["id"]
                entry["team_id"] = task["team_id"]
            entry["updated_at"] = now
            return copy.deepcopy(entry)

    def delete_entry(self, user_id: int, entry_id: int) -> None:
        with self.lock:
            entry = self._own_entry(user_id, entry_id)
            entry["deleted_at"] = self.now()

    def add_comment(self, user_id: int, entry_id: int, content: Any) -> Record:
        with self.lock:
            entry = self._own_entry(user_id, entry_id)
            if not isinstance(content, str) or not content.strip():
                raise Invalid(COMMENT_PREFIX, "Content can't be blank")
            self._comment(user_id, entry, content, at=self.now())
            return copy.deepcopy(entry)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _time_field(fields: dict[str, Any], name: str, *, required: bool) -> int | None:
    raw = fields.get(name)
    if raw in (None, ""):
        if required:
            raise Invalid(TIME_ENTRY_PREFIX, f"{name.replace('_', ' ').capitalize()} can't be blank")
        return None
    value = parse_unix_seconds(raw)
    if value is None:
        raise Invalid(TIME_ENTRY_PREFIX, f"{name.replace('_', ' ').capitalize()} is invalid")
    return value
