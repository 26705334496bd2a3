"""Storage of the emulated account: its records, their lock, their ids, unchecked inserts.

The rule modules (``token_rules.py``, ``read_rules.py``, ``write_rules.py``)
extend :class:`AccountRecords`, and ``store.py`` puts them together, so every
rule reads and writes the same dicts under the same lock. The inserts here
check nothing: the seed (``seed.py``) and the write rules call them once the
rules have passed.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any

from .faults import Faults

Record = dict[str, Any]


class AccountRecords:
    """The records of the emulated account.

    Record shapes (internal, returned as copies):

    * user: ``id, email, nickname, locale, color, team_ids (list), created_at``
      and ``avatar_url`` when one was given
    * team: ``id, name, tasks_readonly, workspace_id, color, created_at``
      and ``avatar_url`` when one was given
    * category: ``id, team_id, title, key, color, position, created_at,
      updated_at, deleted_at``
    * task: ``id, team_id, category_id, title, key, url, created_at,
      updated_at, deleted_at``
    * entry: ``id, user_id, task_id, team_id, started_at, stopped_at (None
      while running), created_at, updated_at, deleted_at, input_type,
      comment_id`` - all times are whole unix seconds.
    * comment: ``id, entry_id, user_id, content, created_at, updated_at``
    """

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.faults = Faults()
        # (method, path, json body or None, time.monotonic()) for every /api call.
        self.requests: list[tuple[str, str, Any, float]] = []
        self.web_base_url = "https://timecrowd.net"
        self.token_expires_in = 7200
        self.oauth_code_expires_in = 600
        self.me_id = 0
        self.oauth_user_id: int | None = None  # who "approves" /oauth/authorize
        self.users: dict[int, Record] = {}
        self.teams: dict[int, Record] = {}
        self.categories: dict[int, Record] = {}
        self.tasks: dict[int, Record] = {}
        self.entries: dict[int, Record] = {}
        self.comments: dict[int, Record] = {}
        self.tokens: dict[str, Record] = {}
        self.oauth_clients: dict[str, Record] = {}
        self.oauth_codes: dict[str, Record] = {}
        self.refresh_tokens: dict[str, Record] = {}
        self._counters: dict[str, int] = {}

    # -- basics ---------------------------------------------------------------

    def now(self) -> int:
        # The real API stores whole seconds (it always renders ".000").
        return int(self.clock())

    def next_id(self, kind: str) -> int:
        with self.lock:
            value = self._counters.get(kind, 1)
            self._counters[kind] = value + 1
            return value

    def set_next_id(self, kind: str, value: int) -> None:
        with self.lock:
            self._counters[kind] = value

    def record_request(self, method: str, path: str, body: Any) -> None:
        with self.lock:
            self.requests.append((method, path, body, time.monotonic()))

    # -- unchecked inserts (the seed's, and the write rules' once they have passed) --------

    def add_user(self, user_id: int, nickname: str, email: str, team_ids: list[int], locale: str = "ja",
                 color: str = "#4a90d9", *, avatar_url: str | None = None) -> Record:
        with self.lock:
            user: Record = {
                "id": user_id,
                "nickname": nickname,
                "email": email,
                "locale": locale,
                "color": color,
                "team_ids": list(team_ids),
                "created_at": self.now() - 400 * 86400,
            }
            if avatar_url is not None:
                user["avatar_url"] = avatar_url
            self.users[user_id] = user
            return copy.deepcopy(user)

    def add_team(self, team_id: int, name: str, *, tasks_readonly: bool = False, color: str = "#2e7d32",
                 avatar_url: str | None = None) -> Record:
        with self.lock:
            team: Record = {
                "id": team_id,
                "name": name,
                "tasks_readonly": tasks_readonly,
                "workspace_id": 500 + team_id,
                "color": color,
                "created_at": self.now() - 500 * 86400,
            }
            if avatar_url is not None:
                team["avatar_url"] = avatar_url
            self.teams[team_id] = team
            return copy.deepcopy(team)

    def add_category(self, team_id: int, title: str, *, key: str | None = None, color: int = 1,
                     deleted: bool = False) -> Record:
        with self.lock:
            now = self.now()
            position = 1 + sum(1 for c in self.categories.values() if c["team_id"] == team_id)
            category: Record = {
                "id": self.next_id("category"),
                "team_id": team_id,
                "title": title,
                "key": key or title,
                "color": color,
                "position": position,
                "created_at": now - 300 * 86400,
                "updated_at": now - 300 * 86400,
                "deleted_at": now - 30 * 86400 if deleted else None,
            }
            self.categories[category["id"]] = category
            return category

    def add_task(self, team_id: int, category_id: int, title: str, *, url: str = "", key: str | None = None,
                 deleted: bool = False) -> Record:
        with self.lock:
            now = self.now()
            task: Record = {
                "id": self.next_id("task"),
                "team_id": team_id,
                "category_id": category_id,
                "title": title,
                "key": key or url or title.replace(" ", ""),
                "url": url,
                "created_at": now,
                "updated_at": now,
                "deleted_at": now - 7 * 86400 if deleted else None,
            }
            self.tasks[task["id"]] = task
            return task

    def _new_entry(self, user_id: int, task: Record, started_at: int, stopped_at: int | None) -> Record:
        now = self.now()
        entry = {
            "id": self.next_id("entry"),
            "user_id": user_id,
            "task_id": task["id"],
            "team_id": task["team_id"],
            "started_at": started_at,
            "stopped_at": stopped_at,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "input_type": "realtime",
            "comment_id": None,
        }
        self.entries[entry["id"]] = entry
        return entry


    def add_entry(
        self, user_id: int, task_id: int, started_at: int, stopped_at: int | None, comment: str | None = None
    ) -> Record:
        """Seed helper: store an entry as given, with no rule checks."""
        with self.lock:
            entry = self._new_entry(user_id, self.tasks[task_id], started_at, stopped_at)
            entry["created_at"] = started_at
            entry["updated_at"] = stopped_at if stopped_at is not None else started_at
            if comment:
                self._comment(user_id, entry, comment, at=entry["updated_at"])
            return copy.deepcopy(entry)

    def _comment(self, user_id: int, entry: Record, content: str, at: int) -> Record:
        comment = {
            "id": self.next_id("comment"),
            "entry_id": entry["id"],
            "user_id": user_id,
            "content": content,
            "created_at": at,
            "updated_at": at,
        }
        self.comments[comment["id"]] = comment
        entry["comment_id"] = comment["id"]
        return comment
