"""The intent codec: what an outbox row holds for each :class:`~..core.timer.ActionKind`, written and read here only.

The outbox's ``kind`` column holds ``ActionKind.value``; its ``payload`` column a JSON
object, one shape per kind::

    start    {"task": <task JSON>}
    stop     {"target": <ref>, "task": <task JSON>, "started_at": <unix seconds> | null}
    comment  {"target": <ref>, "text": "..."}
    create   {"title": "...", "team_id": 3, "category_id": 7 | null}
    add      {"task": <task JSON>, "started_at": <unix s>, "stopped_at": <unix s>, "comment": "..." | null}
    edit     {"target": <ref>, "task": <task JSON>, "set": <changes>, "seen": <seen>}
    delete   {"target": <ref>, "task": <task JSON>, "seen": <seen>}

``<changes>`` holds only what the user changed: ``started_at`` / ``stopped_at`` (unix
seconds), ``task`` (<task JSON>), ``comment``. ``<seen>`` is the entry as the user saw it
when they changed it (``started_at``, ``stopped_at`` or null, ``task_id``, ``comment``):
the replay compares it with the server's to find a change made elsewhere meanwhile.

``<ref>`` is an :class:`~..core.timer.EntryRef`: ``{"entry_id": 5}`` (the server's id),
``{"local_id": 12}`` (the outbox row of the start or create that will make the entry),
or both. ``<task JSON>`` is :func:`.task_cache.task_to_json`'s.

The builders (:func:`start`, :func:`stop`, :func:`comment`, :func:`create`) return
what :meth:`.outbox.Outbox.add_many` takes. The readers never raise: a field that is
missing or of the wrong type reads as absent (the replay then refuses the intent with
a message, the state shows it without a task or target).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.models import Task
from ..core.timer import ActionKind, EntryRef, PendingAction
from .task_cache import task_from_json, task_to_json

if TYPE_CHECKING:
    from .outbox_rows import Intent

#: One intent to record: its kind, its payload, and when the user acted (unix seconds).
NewIntent = tuple[ActionKind, dict[str, Any], float]

#: The kinds whose intent makes a time entry (its outbox id is a ``local_id`` until it is done).
MAKES_ENTRY = frozenset({ActionKind.START, ActionKind.CREATE, ActionKind.ADD})


def kind_of(value: object) -> ActionKind | None:
    """The kind a ``kind`` column holds, or None when it is none of them."""
    try:
        return ActionKind(value)
    except (ValueError, TypeError):
        return None


def kind_column(kind: ActionKind | str) -> str:
    """What the ``kind`` column stores for ``kind`` (a plain string is stored as it is)."""
    return kind.value if isinstance(kind, ActionKind) else kind


def makes_entry(kind: ActionKind) -> bool:
    """A start, a create or an add: its intent makes a time entry."""
    return kind in MAKES_ENTRY


# -- writing -------------------------------------------------------------------------------


def _ref_json(ref: EntryRef) -> dict[str, int]:
    out: dict[str, int] = {}
    if ref.entry_id is not None:
        out["entry_id"] = ref.entry_id
    if ref.local_id is not None:
        out["local_id"] = ref.local_id
    return out


def start(task: Task, acted_at: float) -> NewIntent:
    return ActionKind.START, {"task": task_to_json(task)}, acted_at


def stop(ref: EntryRef, task: Task, started_at: datetime | None, acted_at: float) -> NewIntent:
    """Stop the entry ``ref`` (showing ``task``, started at ``started_at``)."""
    return ActionKind.STOP, {"target": _ref_json(ref), "task": task_to_json(task),
                             "started_at": started_at.timestamp() if started_at else None}, acted_at


def comment(ref: EntryRef, text: str, acted_at: float, *, after: int | None = None) -> NewIntent:
    """``after``: the outbox row of the stop this comment came with (``stop --comment``): refused
    with it, so a refused stop adds no comment to an entry that keeps running."""
    payload: dict[str, Any] = {"target": _ref_json(ref), "text": text}
    if after is not None:
        payload["after"] = int(after)
    return ActionKind.COMMENT, payload, acted_at


def comes_after(payload: Mapping[str, Any]) -> int | None:
    """The outbox row of the stop a comment came with (see :func:`comment`), if any."""
    return _whole(payload.get("after"))


def create(title: str, team_id: int, category_id: int | None, acted_at: float) -> NewIntent:
    """Create a task titled ``title`` in the team ``team_id`` (under ``category_id``) and start it."""
    return ActionKind.CREATE, {"title": title, "team_id": int(team_id),
                               "category_id": int(category_id) if category_id is not None else None}, acted_at


@dataclass(frozen=True, slots=True)
class Seen:
    """An entry as the user saw it when they changed it (see the module docstring)."""

    started_at: float | None
    stopped_at: float | None
    task_id: int | None
    comment: str | None

    def to_json(self) -> dict[str, Any]:
        return {"started_at": self.started_at, "stopped_at": self.stopped_at, "task_id": self.task_id,
                "comment": self.comment}


@dataclass(frozen=True, slots=True)
class EntryChanges:
    """What an edit changes; None: left as it is."""

    started_at: float | None = None
    stopped_at: float | None = None
    task: Task | None = None
    comment: str | None = None

    @property
    def empty(self) -> bool:
        return self.started_at is None and self.stopped_at is None and self.task is None and self.comment is None


def add(task: Task, started_at: float, stopped_at: float, comment: str | None, acted_at: float) -> NewIntent:
    """A finished entry of ``task`` from ``started_at`` to ``stopped_at`` (unix seconds)."""
    return ActionKind.ADD, {"task": task_to_json(task), "started_at": float(started_at),
                            "stopped_at": float(stopped_at), "comment": comment or None}, acted_at


def edit(ref: EntryRef, task: Task, changes: EntryChanges, seen: Seen, acted_at: float) -> NewIntent:
    """Change the entry ``ref`` (showing ``task``) as ``changes`` says; ``seen``: what the user saw."""
    change: dict[str, Any] = {}
    if changes.started_at is not None:
        change["started_at"] = float(changes.started_at)
    if changes.stopped_at is not None:
        change["stopped_at"] = float(changes.stopped_at)
    if changes.task is not None:
        change["task"] = task_to_json(changes.task)
    if changes.comment is not None:
        change["comment"] = changes.comment
    return ActionKind.EDIT, {"target": _ref_json(ref), "task": task_to_json(task), "set": change,
                             "seen": seen.to_json()}, acted_at


def delete(ref: EntryRef, task: Task, seen: Seen, acted_at: float) -> NewIntent:
    return ActionKind.DELETE, {"target": _ref_json(ref), "task": task_to_json(task), "seen": seen.to_json()}, acted_at


# -- reading -------------------------------------------------------------------------------


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def entry_times(payload: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """An add's start and end (unix seconds), as recorded."""
    return _seconds(payload.get("started_at")), _seconds(payload.get("stopped_at"))


def add_comment_text(payload: Mapping[str, Any]) -> str | None:
    return _text(payload.get("comment")) or None


def changes(payload: Mapping[str, Any]) -> EntryChanges:
    raw = payload.get("set")
    if not isinstance(raw, dict):
        return EntryChanges()
    return EntryChanges(_seconds(raw.get("started_at")), _seconds(raw.get("stopped_at")),
                        task_from_json(raw.get("task")) if "task" in raw else None, _text(raw.get("comment")))


def seen(payload: Mapping[str, Any]) -> Seen:
    raw = payload.get("seen")
    raw = raw if isinstance(raw, dict) else {}
    return Seen(_seconds(raw.get("started_at")), _seconds(raw.get("stopped_at")), _whole(raw.get("task_id")),
                _text(raw.get("comment")))



def _whole(value: object) -> int | None:
    return value if isinstance(value, int) else None


def target(payload: Mapping[str, Any]) -> EntryRef | None:
    """The entry a stop or a comment applies to, as recorded (None: it names none)."""
    raw = payload.get("target")
    if not isinstance(raw, dict):
        return None
    entry_id, local_id = _whole(raw.get("entry_id")), _whole(raw.get("local_id"))
    if entry_id is None and local_id is None:
        return None
    return EntryRef(entry_id, local_id)


def target_local_id(payload: Mapping[str, Any]) -> int | None:
    """The outbox row of the start or create whose entry a stop or a comment applies to."""
    ref = target(payload)
    return ref.local_id if ref is not None else None


def task(payload: Mapping[str, Any]) -> Task | None:
    """A start's task, or the task a stop stopped (None for a comment, a create, or a bad one)."""
    return task_from_json(payload.get("task"))


def comment_text(payload: Mapping[str, Any]) -> str:
    return str(payload.get("text") or "")


@dataclass(frozen=True, slots=True)
class Creation:
    """What a create asks for: ``title`` as recorded (trimmed when it was), and ids that are whole numbers."""

    title: str
    team_id: int | None
    category_id: int | None


def creation(payload: Mapping[str, Any]) -> Creation:
    return Creation(str(payload.get("title") or ""), _whole(payload.get("team_id")),
                    _whole(payload.get("category_id")))


def placeholder_task(intent: Intent, team_name: str = "") -> Task:
    """What a pending create shows until the server names the task."""
    made = creation(intent.payload)
    return Task(id=-intent.id, title=made.title, team_id=made.team_id, team_name=team_name)


def task_of(intent: Intent, team_name: Callable[[int | None], str]) -> Task | None:
    """The task ``intent`` is about: its own, or a create's placeholder (``team_name`` names its team)."""
    if intent.kind is ActionKind.CREATE:
        return placeholder_task(intent, team_name(creation(intent.payload).team_id))
    return task(intent.payload)


def pending_action(intent: Intent, *, resolve: Callable[[int], int | None],
                   team_name: Callable[[int | None], str]) -> PendingAction:
    """``intent`` as the state shows it until the server confirms it.

    ``resolve(local_id)`` is the server's id of the entry the start or create ``local_id``
    made, once done (see :meth:`.outbox.Outbox.resolve`); ``team_name`` names a create's team.
    """
    at = datetime.fromtimestamp(intent.acted_at, tz=UTC)
    if makes_entry(intent.kind):
        return PendingAction(intent.id, intent.kind, at, task=task_of(intent, team_name))
    ref = target(intent.payload)
    if ref is not None and ref.entry_id is None and ref.local_id is not None:
        resolved = resolve(ref.local_id)
        if resolved is not None:
            ref = EntryRef(resolved, ref.local_id)
    new_start = changes(intent.payload).started_at if intent.kind is ActionKind.EDIT else None
    return PendingAction(intent.id, intent.kind, at, task=task(intent.payload), target=ref,
                         started_at=datetime.fromtimestamp(new_start, tz=UTC) if new_start is not None else None,
                         after=comes_after(intent.payload))
