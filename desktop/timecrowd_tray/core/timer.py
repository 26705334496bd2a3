"""The timer's state as a pure state machine: no Qt, no I/O, no clock.

The state is derived, never edited field by field. It holds two sources of
truth and projects them into what the user sees:

* ``server_entry``: the running entry as the server last told us (a poll, or
  the answer to one of our own requests); ``loaded`` says whether we have
  heard from the server at all since signing in;
* ``pending``: the user's actions the server has not confirmed yet, in the
  order they were made (each one a row of the outbox, ``ref`` being its id).

The visible fields (``phase``, ``task``, ``started_at``, ``entry_id``...) are
``server_entry`` with the pending actions replayed on top of it. So a start the
server rejects "rolls back" by simply leaving ``pending``: the projection falls
back to whatever the server has, and ``last_error`` carries the server's words.

Every transition is a module-level function ``(state, ...) -> state``; the
service calls them and the tests call them with hand-made datetimes.

Phases::

    SIGNED_OUT  no account
    LOADING     signed in, nothing heard from the server yet (and nothing pending)
    IDLE        nothing runs
    STARTING    a start (or a create) the server has not confirmed: shown as running
    RUNNING     the server's running entry
    STOPPING    a stop the server has not confirmed: shown as stopped, with its times
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .models import Task, TimeEntry, User


class Phase(enum.Enum):
    SIGNED_OUT = "signed_out"
    LOADING = "loading"
    IDLE = "idle"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"


class ActionKind(str, enum.Enum):  # noqa: UP042 - not StrEnum, whose str() is the value: str() stays "ActionKind.START"
    START = "start"
    STOP = "stop"
    COMMENT = "comment"
    CREATE = "create"  # create a task and start it
    ADD = "add"        # a finished entry made from times (a forgotten one)
    EDIT = "edit"      # change an entry's times, task or comment
    DELETE = "delete"  # delete an entry


@dataclass(frozen=True, slots=True)
class EntryRef:
    """Points at a time entry that may exist only in the outbox so far.

    ``entry_id`` is the server's id when known; ``local_id`` is the outbox row
    of the start (or create) that will make the entry. The outbox resolves a
    ``local_id`` into an ``entry_id`` when it replays.
    """

    entry_id: int | None = None
    local_id: int | None = None

    def __post_init__(self) -> None:
        if self.entry_id is None and self.local_id is None:
            raise ValueError("an EntryRef needs an entry id or a local id")

    def matches(self, entry_id: int | None, local_id: int | None) -> bool:
        if self.entry_id is not None and entry_id is not None:
            return self.entry_id == entry_id
        if self.local_id is not None and local_id is not None:
            return self.local_id == local_id
        return False


@dataclass(frozen=True, slots=True)
class PendingAction:
    """One action of the user the server has not confirmed (an outbox row)."""

    ref: int                       # the outbox row id
    kind: ActionKind
    at: datetime                   # when the user acted
    task: Task | None = None       # START/CREATE: the task to run; STOP: the task being stopped
    target: EntryRef | None = None  # STOP/COMMENT/EDIT/DELETE: the entry it applies to
    started_at: datetime | None = None  # EDIT: the new start it gives its entry (None: unchanged)
    after: int | None = None       # COMMENT: the outbox row of the stop it came with (one action with it)


@dataclass(frozen=True, slots=True)
class RemoteChange:
    """A difference between two server snapshots nobody here caused."""

    kind: str                      # "started" | "stopped" | "switched"
    before: TimeEntry | None
    after: TimeEntry | None


@dataclass(frozen=True, slots=True)
class TimerState:
    # -- what the UI reads -----------------------------------------------------------
    phase: Phase = Phase.SIGNED_OUT
    user: User | None = None
    task: Task | None = None             # running, starting or (STOPPING) being stopped
    started_at: datetime | None = None
    stopped_at: datetime | None = None   # STOPPING only: the time of the click
    entry_id: int | None = None          # None while a start is unconfirmed
    local_ref: int | None = None         # the outbox id of an unconfirmed start shown as running
    html_url: str | None = None
    comment: str | None = None
    offline: bool = False
    pending_count: int = 0
    last_error: str | None = None        # shown as is (the server's words verbatim)
    signed_out_reason: str | None = None
    # -- the sources the visible fields are projected from ------------------------
    server_entry: TimeEntry | None = None
    loaded: bool = False
    pending: tuple[PendingAction, ...] = field(default_factory=tuple)

    @property
    def is_running(self) -> bool:
        return self.phase in (Phase.RUNNING, Phase.STARTING)

    @property
    def is_signed_in(self) -> bool:
        return self.phase is not Phase.SIGNED_OUT

    @property
    def ref(self) -> EntryRef | None:
        """The entry shown (running, starting or stopping), for a comment."""
        if self.entry_id is None and self.local_ref is None:
            return None
        return EntryRef(self.entry_id, self.local_ref)

    def elapsed(self, now: datetime) -> float:
        """Seconds on the clock at ``now``: frozen at the click while STOPPING, 0 when idle."""
        if self.started_at is None or self.phase not in (Phase.RUNNING, Phase.STARTING, Phase.STOPPING):
            return 0.0
        end = self.stopped_at if self.phase is Phase.STOPPING and self.stopped_at else now
        return max(0.0, (end - self.started_at).total_seconds())


# -- projection ------------------------------------------------------------------------


@dataclass(slots=True)
class _View:
    task: Task
    started_at: datetime | None
    entry_id: int | None
    local_ref: int | None
    html_url: str | None = None
    comment: str | None = None


def _view_of(entry: TimeEntry | None) -> _View | None:
    if entry is None:
        return None
    return _View(entry.task, entry.started_at, entry.id, None, entry.html_url, entry.comment)


def action_count(pending: tuple[PendingAction, ...]) -> int:
    """The user's actions among ``pending``: a comment given with its stop (``stop --comment``) is part of it."""
    refs = {p.ref for p in pending}
    return sum(1 for p in pending if p.after is None or p.after not in refs)


def _project(state: TimerState) -> TimerState:
    base: dict[str, Any] = dict(task=None, started_at=None, stopped_at=None, entry_id=None, local_ref=None,
                html_url=None, comment=None, pending_count=action_count(state.pending))
    if state.user is None:
        return replace(state, phase=Phase.SIGNED_OUT, **base)
    view = _view_of(state.server_entry)
    last: ActionKind | None = None
    stopping: tuple[_View, datetime] | None = None
    for action in state.pending:
        if action.kind in (ActionKind.START, ActionKind.CREATE) and action.task is not None:
            view = _View(action.task, action.at, None, action.ref)
            last, stopping = ActionKind.START, None
        elif action.kind is ActionKind.STOP and action.target is not None and view is not None \
                and action.target.matches(view.entry_id, view.local_ref):
            stopping = (view, action.at)
            view, last = None, ActionKind.STOP
        elif action.kind is ActionKind.EDIT and action.started_at is not None and action.target is not None \
                and view is not None and action.target.matches(view.entry_id, view.local_ref):
            view.started_at = action.started_at  # "I started 20 minutes ago", shown before it is sent
        elif action.kind is ActionKind.DELETE and action.target is not None and view is not None \
                and action.target.matches(view.entry_id, view.local_ref):
            view, last, stopping = None, None, None  # the running entry deleted: nothing runs
    if last is ActionKind.START and view is not None:
        return replace(state, phase=Phase.STARTING, **{**base, **_fields(view)})
    if last is ActionKind.STOP and stopping is not None:
        stopped_view, at = stopping
        return replace(state, phase=Phase.STOPPING, **{**base, **_fields(stopped_view), "stopped_at": at})
    if not state.loaded and view is None:
        # Nothing heard yet and nothing known: a running entry shown from the cache (not yet
        # confirmed) stays RUNNING through any transition until the first answer.
        return replace(state, phase=Phase.LOADING, **base)
    if view is None:
        return replace(state, phase=Phase.IDLE, **base)
    return replace(state, phase=Phase.RUNNING, **{**base, **_fields(view)})


def _fields(view: _View) -> dict[str, Any]:
    return dict(task=view.task, started_at=view.started_at, entry_id=view.entry_id,
                local_ref=view.local_ref, html_url=view.html_url, comment=view.comment)


# -- transitions -------------------------------------------------------------------------


def initial(reason: str | None = None) -> TimerState:
    """Signed out (``reason`` says why, when it was not the user's choice)."""
    return TimerState(signed_out_reason=reason)


def signed_out(state: TimerState, reason: str | None = None) -> TimerState:
    """Back to SIGNED_OUT: everything account-specific forgotten but how many of the account's
    actions the outbox still keeps (``pending_count``: a 401 right after a click must not say
    "nothing pending" while the click waits there to be sent after the next sign-in)."""
    return replace(initial(reason), offline=state.offline, pending_count=action_count(state.pending))


def signing_in(state: TimerState) -> TimerState:
    """Sign-in under way: LOADING before we even know the user."""
    return replace(state, phase=Phase.LOADING, user=None, signed_out_reason=None, last_error=None,
                   server_entry=None, loaded=False, pending=())


def signed_in(state: TimerState, user: User, pending: Iterable[PendingAction] = ()) -> TimerState:
    """The user is known; ``pending`` are the account's intents restored from the outbox."""
    return _project(replace(state, user=user, signed_out_reason=None, server_entry=None, loaded=False,
                            pending=tuple(pending)))


def server_snapshot(state: TimerState, entry: TimeEntry | None) -> TimerState:
    """A poll answered: ``entry`` is my running entry on the server (None: idle)."""
    if state.user is None:
        return state
    return _project(replace(state, server_entry=entry, loaded=True))


def action_requested(state: TimerState, action: PendingAction) -> TimerState:
    """The user acted: shown at once; a new action clears the last error."""
    if state.user is None:
        return state
    return _project(replace(state, pending=state.pending + (action,), last_error=None))


def action_confirmed(state: TimerState, ref: int, entry: TimeEntry | None = None) -> TimerState:
    """The server did what the outbox row ``ref`` asked; ``entry`` is its answer.

    A confirmed start becomes the server's running entry, and the later actions
    that pointed at its local id now point at the server's id. A confirmed stop
    clears the server's running entry if it was that one. Either answer is the
    server's word on what runs for this user now (one running entry per user),
    so it counts as heard from the server (``loaded``): a start confirmed before
    the first poll must not leave the timer "loading".
    """
    action = next((a for a in state.pending if a.ref == ref), None)
    rest = tuple(a for a in state.pending if a.ref != ref)
    server_entry = state.server_entry
    loaded = state.loaded
    if action is not None and action.kind in (ActionKind.START, ActionKind.CREATE) and entry is not None:
        if entry.is_running:
            server_entry, loaded = entry, True
        rest = tuple(_retarget(a, ref, entry.id) for a in rest)
    elif action is not None and action.kind is ActionKind.STOP:
        target_id = entry.id if entry is not None else (action.target.entry_id if action.target else None)
        if server_entry is not None and server_entry.id == target_id:
            server_entry = None
        if entry is not None and entry.stopped_at is not None and server_entry is None:
            loaded = True
    elif action is not None and action.kind is ActionKind.COMMENT and entry is not None:
        if server_entry is not None and server_entry.id == entry.id:
            server_entry = replace(server_entry, comment=entry.comment)
    elif action is not None and action.kind in (ActionKind.EDIT, ActionKind.DELETE) and server_entry is not None:
        target_id = entry.id if entry is not None else (action.target.entry_id if action.target else None)
        if server_entry.id == target_id:
            # An edit answers with the entry as it is now (a stop time given to the running one ends it).
            keep = action.kind is ActionKind.EDIT and entry is not None and entry.is_running
            server_entry = entry if keep else None
    return _project(replace(state, pending=rest, server_entry=server_entry, loaded=loaded))


def _retarget(action: PendingAction, local_id: int, entry_id: int) -> PendingAction:
    if action.target is not None and action.target.local_id == local_id:
        return replace(action, target=EntryRef(entry_id, local_id))
    return action


def action_dropped(state: TimerState, ref: int, message: str | None = None) -> TimerState:
    """The server refused the outbox row ``ref`` for good: it leaves, the view rolls back."""
    rest = tuple(a for a in state.pending if a.ref != ref)
    return _project(replace(state, pending=rest, last_error=message if message is not None else state.last_error))


def set_offline(state: TimerState, offline: bool) -> TimerState:
    return state if state.offline == offline else replace(state, offline=offline)


def set_error(state: TimerState, message: str | None) -> TimerState:
    return replace(state, last_error=message)


def clear_error(state: TimerState) -> TimerState:
    return state if state.last_error is None else replace(state, last_error=None)


# -- reading snapshots ---------------------------------------------------------------------


def remote_change(before: TimeEntry | None, after: TimeEntry | None) -> RemoteChange | None:
    """What changed on the server between two snapshots, if anything."""
    if before is None and after is None:
        return None
    if before is None:
        return RemoteChange("started", None, after)
    if after is None:
        return RemoteChange("stopped", before, None)
    if before.id != after.id:
        return RemoteChange("switched", before, after)
    return None


def has_unconfirmed_timer_action(state: TimerState) -> bool:
    """True while a start/stop/create waits: a snapshot then says nothing about others' changes."""
    return any(a.kind in (ActionKind.START, ActionKind.STOP, ActionKind.CREATE) for a in state.pending)
