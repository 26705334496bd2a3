"""The outbox's rows: its schema, the states a row goes through, and reading a row back as an :class:`Intent`.

A row that cannot be an intent (``acted_at`` not a time, a payload that is not a
JSON object, an unknown kind or state, a NULL where a value is needed) raises
:class:`UnreadableRow` from :func:`read_row`, whose message says which column and
why; :mod:`.outbox` then sets it aside. What a payload means is :mod:`.intent_codec`'.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, overload

from ..core.timer import ActionKind
from . import intent_codec as codec

QUEUED = "queued"
SENDING = "sending"
DONE = "done"
REJECTED = "rejected"
PENDING_STATES = (QUEUED, SENDING)
FINISHED_STATES = (DONE, REJECTED)

COLUMNS = ("id", "account", "kind", "payload", "acted_at", "state", "attempts", "first_sent_at", "last_error",
           "progress", "entry_id", "finished_at")

SCHEMA = """
CREATE TABLE IF NOT EXISTS intents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    acted_at      REAL    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'queued',
    attempts      INTEGER NOT NULL DEFAULT 0,
    first_sent_at REAL,
    last_error    TEXT,
    progress      TEXT    NOT NULL DEFAULT '{}',
    entry_id      INTEGER,
    finished_at   REAL
);
CREATE INDEX IF NOT EXISTS intents_by_account ON intents(account, state, id);
CREATE TABLE IF NOT EXISTS unreadable_intents (
    id, account, kind, payload, acted_at, state, attempts, first_sent_at, last_error, progress, entry_id,
    finished_at, reason, set_aside_at
);
"""
# unreadable_intents has no column types on purpose: the values are kept exactly as they were.


@dataclass(frozen=True, slots=True)
class Intent:
    id: int
    account: str
    kind: ActionKind
    payload: dict[str, Any]
    acted_at: float
    state: str = QUEUED
    attempts: int = 0
    first_sent_at: float | None = None
    last_error: str | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    entry_id: int | None = None

    @property
    def maybe_sent(self) -> bool:
        """A previous pick-up may have reached the server: check before resending.

        Read on a row returned by :meth:`.outbox.Outbox.mark_sending`, whose ``attempts``
        already counts the current pick-up.
        """
        return self.attempts > 1

    @property
    def target_local_id(self) -> int | None:
        return codec.target_local_id(self.payload)


class UnreadableRow(ValueError):
    """A row whose columns cannot be an intent; the message says which and why."""


@overload
def _number(value: Any, name: str, *, optional: Literal[False] = ...) -> float: ...
@overload
def _number(value: Any, name: str, *, optional: bool) -> float | None: ...
def _number(value: Any, name: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UnreadableRow(f"{name} is {value!r}, not a number")
    return float(value)


@overload
def _instant(value: Any, name: str, *, optional: Literal[False] = ...) -> float: ...
@overload
def _instant(value: Any, name: str, *, optional: bool) -> float | None: ...
def _instant(value: Any, name: str, *, optional: bool = False) -> float | None:
    number = _number(value, name, optional=optional)
    if number is not None:
        try:
            datetime.fromtimestamp(number, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise UnreadableRow(f"{name} is {value!r}, not a time") from None
    return number


@overload
def _integer(value: Any, name: str, *, optional: Literal[False] = ...) -> int: ...
@overload
def _integer(value: Any, name: str, *, optional: bool) -> int | None: ...
def _integer(value: Any, name: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnreadableRow(f"{name} is {value!r}, not a whole number")
    return value


def _object(text: Any, name: str, *, null_is_empty: bool = False) -> dict[str, Any]:
    if text is None and null_is_empty:
        return {}
    if not isinstance(text, str):
        raise UnreadableRow(f"{name} is {text!r}, not JSON text")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableRow(f"{name} is not JSON: {text[:80]!r}") from None
    if not isinstance(value, dict):
        raise UnreadableRow(f"{name} is not a JSON object: {text[:80]!r}")
    return value


def read_row(r: Mapping[str, Any]) -> Intent:
    """The intent in row ``r``; raises :class:`UnreadableRow` when it cannot be one."""
    try:
        intent_id = _integer(r["id"], "id")
        if intent_id < 1:
            raise UnreadableRow(f"id is {intent_id!r}")
        account, kind, state, last_error = r["account"], codec.kind_of(r["kind"]), r["state"], r["last_error"]
        if not isinstance(account, str) or not account:
            raise UnreadableRow(f"account is {account!r}")
        if kind is None:
            raise UnreadableRow(f"kind {r['kind']!r} is unknown")
        if state not in (*PENDING_STATES, *FINISHED_STATES):
            raise UnreadableRow(f"state {state!r} is unknown")
        if last_error is not None and not isinstance(last_error, str):
            raise UnreadableRow(f"last_error is {last_error!r}, not text")
        attempts = _integer(r["attempts"], "attempts")
        if attempts < 0:
            raise UnreadableRow(f"attempts is {attempts!r}")
        progress = _object(r["progress"], "progress", null_is_empty=True)
        if not isinstance(progress.get("known_ids", []), list):
            raise UnreadableRow(f"progress.known_ids is {progress['known_ids']!r}, not a list")
        return Intent(id=intent_id, account=account, kind=kind, payload=_object(r["payload"], "payload"),
                      acted_at=_instant(r["acted_at"], "acted_at"), state=state, attempts=attempts,
                      first_sent_at=_instant(r["first_sent_at"], "first_sent_at", optional=True),
                      last_error=last_error, progress=progress,
                      entry_id=_integer(r["entry_id"], "entry_id", optional=True))
    except (KeyError, IndexError) as exc:
        raise UnreadableRow(f"column {exc} is missing") from None


def id_column(r: Mapping[str, Any]) -> Any:
    """The ``id`` column of ``r`` as it is (None when it has none)."""
    try:
        return r["id"]
    except (KeyError, IndexError):
        return None


def text_or_bytes(raw: bytes) -> str | bytes:
    """Text columns as ``str``; bytes that are not UTF-8 stay bytes (the row is then unreadable, not the query)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
