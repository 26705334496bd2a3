"""In-memory state and business rules of the emulated TimeCrowd account.

No HTTP here: the routes in ``app.py`` translate the exceptions below into
status codes and render records with ``views.py``.

Stored records are plain dicts (documented on ``EmulatorState``). Every public
method takes ``self.lock`` (re-entrant), so tests may read the state from the
main thread while uvicorn serves from its own thread; readers get copies.

Why one file of this size: every rule reads and writes the same records under
the same lock (a start stops the running entry, a stop checks the owner, a
comment replaces the shown one); split across modules, each would reach into
the others' dicts. The seed data (``seed.py``), the HTTP mapping (``app.py``,
``views.py``) and the faults (``faults.py``) already live apart.

Behaviours that are guesses about the real server, not documented facts:

* Starting a task (or creating a running entry) stops the user's running entry
  at the same instant: one running entry per user.
* An entry created from times (``time_entry: {started_at, stopped_at, ...}``) has
  ``input_type`` "manual" (issue #14; the reference page's one example shows
  "realtime", the API's own value list has "manual" for entries typed in).
* Stopping an entry that is already stopped answers 200 with the entry
  unchanged: ``stopped_at`` does not move.
* A new comment replaces the one shown on the entry (entries show one comment).
* Users may read entries of teams they belong to; writing (stop, update,
  delete, comment) is reserved to the entry's owner (403 otherwise).
* Personal tokens (``add_token`` without ``expires_at``) never expire; OAuth
  access tokens expire after ``token_expires_in`` seconds of the clock.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .faults import Faults
from .seed import populate
from .timefmt import parse_unix_seconds

Record = dict[str, Any]

NOT_AUTHORIZED = "You are not authorized to access this page."
TIME_ENTRY_PREFIX = "1 error prohibited this Time entry from being saved. "
TASK_PREFIX = "1 error prohibited this Task from being saved. "
COMMENT_PREFIX = "1 error prohibited this Comment from being saved. "
TASKS_READONLY = "選択中のチームでタスクの作成・編集・削除は許可されていません"


class StoreError(Exception):
    """A rule refused the operation; ``messages`` is what the API shows."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class NotFound(StoreError):
    pass


class Forbidden(StoreError):
    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (NOT_AUTHORIZED,)))


class Invalid(StoreError):
    pass


class Unauthenticated(StoreError):
    pass


class OAuthError(Exception):
    """RFC 6749 error code; ``status`` is 401 for client errors, else 400."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def _is_loopback_redirect(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}


class EmulatorState:
    """The whole emulated account.

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

    @classmethod
    def seeded(cls, clock: Callable[[], float] | None = None) -> EmulatorState:
        """A store holding the demo account (``seed.py``)."""
        state = cls(clock)
        populate(state)
        return state

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

    # -- tokens ---------------------------------------------------------------

    def add_token(self, token: str, user_id: int, expires_at: float | None = None) -> None:
        with self.lock:
            self.tokens[token] = {"user_id": user_id, "expires_at": expires_at, "revoked": False}

    def revoke_token(self, token: str) -> None:
        with self.lock:
            if token in self.tokens:
                self.tokens[token]["revoked"] = True
            for record in self.refresh_tokens.values():
                if record["access_token"] == token:
                    record["revoked"] = True

    def authenticate(self, token: str | None) -> int:
        """The user id behind a Bearer token, else Unauthenticated."""
        with self.lock:
            if not token:
                raise Unauthenticated("You need to sign in or sign up before continuing.")
            record = self.tokens.get(token)
            if record is None:
                raise Unauthenticated("The access token is invalid")
            if record["revoked"]:
                raise Unauthenticated("The access token was revoked")
            if record["expires_at"] is not None and self.clock() >= record["expires_at"]:
                raise Unauthenticated("The access token expired")
            return int(record["user_id"])

    # -- OAuth2 provider --------------------------------------------------------

    def add_oauth_client(self, client_id: str, secret: str, name: str) -> None:
        with self.lock:
            self.oauth_clients[client_id] = {"secret": secret, "name": name}

    def check_authorize_request(self, client_id: str | None, redirect_uri: str | None) -> None:
        """Raise OAuthError when /oauth/authorize must not redirect at all."""
        with self.lock:
            if not client_id or client_id not in self.oauth_clients:
                raise OAuthError("invalid_client", "Client authentication failed due to unknown client.")
            if not redirect_uri or not _is_loopback_redirect(redirect_uri):
                raise OAuthError(
                    "invalid_redirect_uri",
                    "The redirect uri included is not valid: only http://127.0.0.1 or "
                    "http://localhost redirect URIs are accepted by the emulator.",
                )

    def issue_code(self, client_id: str, redirect_uri: str) -> str:
        with self.lock:
            self.check_authorize_request(client_id, redirect_uri)
            code = secrets.token_urlsafe(24)
            self.oauth_codes[code] = {
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "user_id": self.oauth_user_id or self.me_id,
                "expires_at": self.clock() + self.oauth_code_expires_in,
                "used": False,
            }
            return code

    def _check_client(self, client_id: str | None, client_secret: str | None) -> None:
        client = self.oauth_clients.get(client_id or "")
        if client is None or not client_secret or not secrets.compare_digest(
            client["secret"], client_secret
        ):
            raise OAuthError(
                "invalid_client",
                "Client authentication failed due to unknown client, no client "
                "authentication included, or unsupported authentication method.",
                status=401,
            )

    def _grant_tokens(self, user_id: int, client_id: str) -> Record:
        now = self.now()
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        self.add_token(access, user_id, expires_at=now + self.token_expires_in)
        self.refresh_tokens[refresh] = {
            "user_id": user_id,
            "client_id": client_id,
            "access_token": access,
            "revoked": False,
        }
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.token_expires_in,
            "refresh_token": refresh,
            "scope": "public",
            "created_at": now,
        }

    def exchange_code(
        self, code: str | None, redirect_uri: str | None, client_id: str | None, client_secret: str | None
    ) -> Record:
        with self.lock:
            self._check_client(client_id, client_secret)
            record = self.oauth_codes.get(code or "")
            if (
                record is None
                or record["used"]
                or record["client_id"] != client_id
                or record["redirect_uri"] != redirect_uri
                or self.clock() >= record["expires_at"]
            ):
                raise OAuthError(
                    "invalid_grant",
                    "The provided authorization grant is invalid, expired, revoked, does not "
                    "match the redirection URI used in the authorization request, or was "
                    "issued to another client.",
                )
            record["used"] = True  # codes are one-shot
            return self._grant_tokens(record["user_id"], client_id or "")

    def refresh(self, refresh_token: str | None, client_id: str | None, client_secret: str | None) -> Record:
        with self.lock:
            self._check_client(client_id, client_secret)
            record = self.refresh_tokens.get(refresh_token or "")
            if record is None or record["revoked"] or record["client_id"] != client_id:
                raise OAuthError(
                    "invalid_grant",
                    "The provided authorization grant is invalid, expired, revoked, or was "
                    "issued to another client.",
                )
            # ASSUMPTION: refresh tokens rotate (Doorkeeper's common setup); the old
            # access token stays valid until it expires.
            record["revoked"] = True
            return self._grant_tokens(record["user_id"], client_id or "")

    # -- lookups ----------------------------------------------------------------

    def _team_ids(self, user_id: int) -> list[int]:
        return list(self.users[user_id]["team_ids"])

    def _alive_entry(self, entry_id: int) -> Record:
        entry = self.entries.get(entry_id)
        if entry is None or entry["deleted_at"] is not None:
            raise NotFound(f"Couldn't find TimeEntry with 'id'={entry_id}")
        return entry

    def _own_entry(self, user_id: int, entry_id: int) -> Record:
        entry = self._alive_entry(entry_id)
        if entry["user_id"] != user_id:
            raise Forbidden()
        return entry

    def _member_team(self, user_id: int, team_id: int) -> Record:
        team = self.teams.get(team_id)
        if team is None or team_id not in self.users[user_id]["team_ids"]:
            # ASSUMPTION: a team you are not in looks like a missing one.
            raise NotFound(f"Couldn't find Team with 'id'={team_id}")
        return team

    def _running(self, user_id: int) -> Record | None:
        for entry in self.entries.values():
            if entry["user_id"] == user_id and entry["stopped_at"] is None and entry["deleted_at"] is None:
                return entry
        return None

    def running_entry(self, user_id: int) -> Record | None:
        with self.lock:
            entry = self._running(user_id)
            return copy.deepcopy(entry) if entry else None

    def entries_of(self, user_id: int) -> list[Record]:
        with self.lock:
            mine = [
                e for e in self.entries.values() if e["user_id"] == user_id and e["deleted_at"] is None
            ]
            return copy.deepcopy(_newest_first(mine))

    def entry(self, entry_id: int) -> Record | None:
        with self.lock:
            entry = self.entries.get(entry_id)
            if entry is None or entry["deleted_at"] is not None:
                return None
            return copy.deepcopy(entry)

    def comment_of(self, entry: Record) -> Record | None:
        with self.lock:
            if entry.get("comment_id") is None:
                return None
            return copy.deepcopy(self.comments.get(entry["comment_id"]))

    def visible_entry(self, user_id: int, entry_id: int) -> Record:
        with self.lock:
            entry = self._alive_entry(entry_id)
            if entry["user_id"] != user_id and entry["team_id"] not in self.users[user_id]["team_ids"]:
                raise Forbidden()
            return copy.deepcopy(entry)

    def list_entries(
        self,
        user_id: int,
        *,
        only_user_id: int | None = None,
        team_id: int | None = None,
        task_id: int | None = None,
        category_id: int | None = None,
        started_since: int | None = None,
        started_until: int | None = None,
        input_type: str | None = None,
    ) -> list[Record]:
        """Entries of the caller's teams (and the caller's own), newest first."""
        with self.lock:
            teams = set(self.users[user_id]["team_ids"])
            found = []
            for entry in self.entries.values():
                if entry["deleted_at"] is not None:
                    continue
                if entry["user_id"] != user_id and entry["team_id"] not in teams:
                    continue
                if only_user_id is not None and entry["user_id"] != only_user_id:
                    continue
                if team_id is not None and entry["team_id"] != team_id:
                    continue
                if task_id is not None and entry["task_id"] != task_id:
                    continue
                if category_id is not None and self.tasks[entry["task_id"]]["category_id"] != category_id:
                    continue
                if started_since is not None and entry["started_at"] < started_since:
                    continue
                if started_until is not None and entry["started_at"] > started_until:
                    continue
                if input_type is not None and entry["input_type"] != input_type:
                    continue
                found.append(entry)
            return copy.deepcopy(_newest_first(found))

    def teams_of(self, user_id: int) -> list[Record]:
        with self.lock:
            return [copy.deepcopy(self.teams[t]) for t in self.users[user_id]["team_ids"]]

    def categories_of(self, user_id: int, team_id: int | None = None) -> list[Record]:
        with self.lock:
            if team_id is not None:
                self._member_team(user_id, team_id)
            teams = [team_id] if team_id is not None else self._team_ids(user_id)
            found = [
                c for c in self.categories.values() if c["team_id"] in teams and c["deleted_at"] is None
            ]
            return copy.deepcopy(sorted(found, key=lambda c: (c["team_id"], c["position"], c["id"])))

    def _task_usable(self, task: Record) -> bool:
        category = self.categories.get(task["category_id"]) if task["category_id"] else None
        return task["deleted_at"] is None and (category is None or category["deleted_at"] is None)

    def team_tasks(self, user_id: int, team_id: int) -> list[Record]:
        with self.lock:
            self._member_team(user_id, team_id)
            found = [t for t in self.tasks.values() if t["team_id"] == team_id and self._task_usable(t)]
            return copy.deepcopy(sorted(found, key=lambda t: t["id"]))

    def suggest_tasks(self, user_id: int, title: str, category_id: int | None = None) -> list[Record]:
        """Case-insensitive substring match over the caller's live tasks.

        ASSUMPTION: ordered by the caller's most recent use, then newest task.
        """
        with self.lock:
            needle = title.casefold()
            teams = set(self.users[user_id]["team_ids"])
            last_used: dict[int, int] = {}
            for entry in self.entries.values():
                if entry["user_id"] == user_id and entry["deleted_at"] is None:
                    last_used[entry["task_id"]] = max(last_used.get(entry["task_id"], 0), entry["started_at"])
            found = [
                t
                for t in self.tasks.values()
                if t["team_id"] in teams
                and self._task_usable(t)
                and needle in t["title"].casefold()
                and (category_id is None or t["category_id"] == category_id)
            ]
            found.sort(key=lambda t: (-last_used.get(t["id"], 0), -t["id"]))
            return copy.deepcopy(found)

    def task_total_seconds(self, task_id: int) -> float:
        with self.lock:
            now = self.clock()
            total = 0.0
            for entry in self.entries.values():
                if entry["task_id"] == task_id and entry["deleted_at"] is None:
                    total += (entry["stopped_at"] if entry["stopped_at"] is not None else now) - entry["started_at"]
            return total

    def working_users(self, user_id: int) -> list[tuple[Record, Record]]:
        """(user, running entry) for everyone tracking time in the caller's teams."""
        with self.lock:
            teams = set(self.users[user_id]["team_ids"])
            rows = []
            for entry in self.entries.values():
                if entry["stopped_at"] is not None or entry["deleted_at"] is not None:
                    continue
                if entry["user_id"] == user_id or entry["team_id"] in teams:
                    rows.append((copy.deepcopy(self.users[entry["user_id"]]), copy.deepcopy(entry)))
            # ASSUMPTION: most recently started first.
            rows.sort(key=lambda row: (-row[1]["started_at"], -row[1]["id"]))
            return rows

    # -- writes -----------------------------------------------------------------

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

    def _start(self, user_id: int, task: Record) -> Record:
        now = self.now()
        previous = self._running(user_id)
        if previous is not None:
            # ASSUMPTION: one running entry per user; the old one ends when the new one starts.
            previous["stopped_at"] = max(now, previous["started_at"])
            previous["updated_at"] = now
        return self._new_entry(user_id, task, now, None)

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

    def add_comment(self, user_id: int, entry_id: int, content: Any) -> Record:
        with self.lock:
            entry = self._own_entry(user_id, entry_id)
            if not isinstance(content, str) or not content.strip():
                raise Invalid(COMMENT_PREFIX, "Content can't be blank")
            self._comment(user_id, entry, content, at=self.now())
            return copy.deepcopy(entry)

    # -- seed helpers -----------------------------------------------------------

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

    # -- admin ------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Plain-JSON picture of the mutable state, for /_emulator/state."""
        with self.lock:
            running = {str(uid): copy.deepcopy(self._running(uid)) for uid in sorted(self.users)}
            return {
                "now": self.clock(),
                "me_id": self.me_id,
                "entries": copy.deepcopy(_newest_first(list(self.entries.values()))),
                "running": running,
                "comments": copy.deepcopy(sorted(self.comments.values(), key=lambda c: c["id"])),
                "requests": [
                    {"method": m, "path": p, "json": b, "monotonic": t} for (m, p, b, t) in self.requests
                ],
                "faults": self.faults.describe(),
            }


def _newest_first(entries: list[Record]) -> list[Record]:
    return sorted(entries, key=lambda e: (e["started_at"], e["id"]), reverse=True)


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
