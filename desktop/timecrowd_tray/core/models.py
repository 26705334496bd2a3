"""Typed models parsed from TimeCrowd API JSON.

The API is a vendor beta: unknown fields are ignored, optional fields may be
missing or null, and the same object comes in several shapes (a task nests a
full team in ``/time_entries/:id`` but only ``{"name": ...}`` in the list, and
``working_users`` flattens the entry into ``time_entry`` + ``task``). Parsing
never trusts a shape: a field of the wrong type is the only thing that raises,
as :class:`ParseError`, which the API layer turns into a protocol error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any


class ParseError(ValueError):
    """The JSON does not have the shape of the model (a wrong type, a missing id)."""


def _obj(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ParseError(f"{what}: expected an object, got {type(data).__name__}")
    return data


def _req_int(data: Mapping[str, Any], key: str, what: str) -> int:
    value = data.get(key)
    # bool is an int in Python; an id of `true` is garbage, not 1.
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ParseError(f"{what}.{key}: expected an integer id, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise ParseError(f"{what}.{key}: expected an integer id, got {value!r}") from None


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value != "" else None


def _bool(data: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key)
    return value if isinstance(value, bool) else default


def parse_timestamp(value: Any) -> datetime:
    """An ISO-8601 timestamp with an offset or ``Z``, or unix seconds, as an aware datetime.

    A timestamp without an offset is taken as UTC: the API always sends one,
    so a naive value is a surprise we should not shift by the local zone.
    """
    if isinstance(value, bool):
        raise ParseError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value:
        raise ParseError(f"not a timestamp: {value!r}")
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ParseError(f"not an ISO-8601 timestamp: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _opt_timestamp(data: Mapping[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if value is None or value == "" or value == 0:
        return None
    return parse_timestamp(value)


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str = ""
    tasks_readonly: bool = False

    @classmethod
    def from_json(cls, data: Any) -> Team:
        d = _obj(data, "team")
        return cls(id=_req_int(d, "id", "team"), name=_str(d, "name"),
                   tasks_readonly=_bool(d, "tasks_readonly"))


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    title: str = ""
    color: int | None = None
    team_id: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Category:
        d = _obj(data, "category")
        return cls(id=_req_int(d, "id", "category"), title=_str(d, "title"),
                   color=_opt_int(d, "color"), team_id=_opt_int(d, "team_id"))


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    title: str
    team_id: int | None = None
    team_name: str = ""
    category: Category | None = None
    key: str | None = None
    url: str | None = None
    html_url: str | None = None
    parent_id: int | None = None
    total_time: str | None = None  # "HH:MM:SS", only in suggestions

    @classmethod
    def from_json(cls, data: Any) -> Task:
        d = _obj(data, "task")
        raw_team = d.get("team")
        team: Mapping[str, Any] = raw_team if isinstance(raw_team, Mapping) else {}
        category = d.get("category")
        team_id = _opt_int(d, "team_id")
        if team_id is None:
            team_id = _opt_int(team, "id")
        return cls(
            id=_req_int(d, "id", "task"),
            title=_str(d, "title"),
            team_id=team_id,
            team_name=_str(team, "name"),
            category=Category.from_json(category) if isinstance(category, Mapping) else None,
            key=_opt_str(d, "key"),
            url=_opt_str(d, "url"),
            html_url=_opt_str(d, "html_url"),
            parent_id=_opt_int(d, "parent_id") or _opt_int(d, "category_id"),
            total_time=_opt_str(d, "total_time"),
        )

    def with_team_name(self, name: str) -> Task:
        return self if self.team_name or not name else replace(self, team_name=name)


def _comment_text(value: Any) -> str | None:
    # A stored entry carries {"id", "content", ...}; working_users may carry the text.
    if isinstance(value, Mapping):
        value = value.get("content")
    return value if isinstance(value, str) and value != "" else None


@dataclass(frozen=True, slots=True)
class TimeEntry:
    id: int
    task: Task
    started_at: datetime
    stopped_at: datetime | None = None
    duration: float = 0.0
    user_id: int | None = None
    team_id: int | None = None
    comment: str | None = None
    html_url: str | None = None

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None

    def elapsed(self, now: datetime) -> float:
        """Seconds tracked by this entry at ``now`` (its final duration once stopped)."""
        end = self.stopped_at or now
        return max(0.0, (end - self.started_at).total_seconds())

    @classmethod
    def from_json(cls, data: Any) -> TimeEntry:
        d = _obj(data, "time_entry")
        task_data = _obj(d.get("task"), "time_entry.task")
        task = Task.from_json(task_data)
        team = d.get("team")
        if isinstance(team, Mapping):
            task = task.with_team_name(_str(team, "name"))
        user = d.get("user")
        user_id = _opt_int(user, "id") if isinstance(user, Mapping) else None
        duration = d.get("duration")
        return cls(
            id=_req_int(d, "id", "time_entry"),
            task=task,
            started_at=parse_timestamp(d.get("started_at")),
            stopped_at=_opt_timestamp(d, "stopped_at"),
            duration=float(duration) if isinstance(duration, (int, float)) and not isinstance(duration, bool) else 0.0,
            user_id=user_id if user_id is not None else _opt_int(d, "time_tracker_id"),
            team_id=_opt_int(d, "team_id") or task.team_id,
            comment=_comment_text(d.get("comment")),
            html_url=_opt_str(d, "html_url"),
        )


@dataclass(frozen=True, slots=True)
class WorkingUser:
    """A row of ``/api/v1/user/working_users``: someone tracking time right now."""

    user_id: int
    nickname: str
    entry: TimeEntry

    @classmethod
    def from_json(cls, data: Any) -> WorkingUser:
        d = _obj(data, "working_user")
        user_id = _req_int(d, "id", "working_user")
        entry_data = dict(_obj(d.get("time_entry"), "working_user.time_entry"))
        entry_data["task"] = _obj(d.get("task"), "working_user.task")
        entry_data.setdefault("time_tracker_id", user_id)
        entry_data["stopped_at"] = None  # listed here because it is running
        return cls(user_id=user_id, nickname=_str(d, "nickname"), entry=TimeEntry.from_json(entry_data))


@dataclass(frozen=True, slots=True)
class User:
    id: int
    nickname: str = ""
    email: str = ""
    time_zone: str = "UTC"
    time_zone_name: str = "Etc/UTC"  # IANA name, from time_zone_mapping
    utc_offset: str = "+00:00"
    locale: str = "en"
    html_url: str | None = None
    teams: tuple[Team, ...] = field(default_factory=tuple)

    @classmethod
    def from_json(cls, data: Any) -> User:
        d = _obj(data, "user")
        teams = d.get("teams")
        return cls(
            id=_req_int(d, "id", "user"),
            nickname=_str(d, "nickname"),
            email=_str(d, "email"),
            time_zone=_str(d, "time_zone", "UTC"),
            time_zone_name=_str(d, "time_zone_mapping", "Etc/UTC"),
            utc_offset=_str(d, "utc_offset", "+00:00"),
            locale=_str(d, "locale", "en"),
            html_url=_opt_str(d, "html_url"),
            teams=tuple(Team.from_json(t) for t in teams if isinstance(t, Mapping))
            if isinstance(teams, list) else (),
        )


@dataclass(frozen=True, slots=True)
class TaskPage:
    tasks: tuple[Task, ...]
    is_last_page: bool = True

    @classmethod
    def from_json(cls, data: Any) -> TaskPage:
        d = _obj(data, "task page")
        tasks = d.get("tasks")
        if not isinstance(tasks, list):
            raise ParseError("task page.tasks: expected a list")
        return cls(tasks=tuple(Task.from_json(t) for t in tasks), is_last_page=_bool(d, "is_last_page", True))


def to_unix_seconds(moment: datetime) -> str:
    """Request bodies carry times as unix seconds in a string (``"1760926050"``)."""
    return str(int(moment.timestamp()))
