"""What the service tells the UI besides the state: frozen dataclasses.

``add_event_listener`` callbacks receive one of :data:`ServiceEvent`. Messages
are ready to show: the server's words verbatim, or a text of
:mod:`.messages` already translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.models import Task, TimeEntry

if TYPE_CHECKING:  # not at run time: the UI loads this module early, the outbox needs sqlite3
    from .outbox_open import OutboxDamage, OutboxUnwritable


@dataclass(frozen=True, slots=True)
class StartedElsewhere:
    """A timer started from the web app or a phone while we were idle."""

    entry: TimeEntry


@dataclass(frozen=True, slots=True)
class StoppedElsewhere:
    """The running timer was stopped elsewhere."""

    task: Task
    entry: TimeEntry | None = None  # the entry as we last knew it (still running then)


@dataclass(frozen=True, slots=True)
class SwitchedElsewhere:
    """Another task was started elsewhere, replacing the one we showed."""

    entry: TimeEntry
    previous: Task | None = None


@dataclass(frozen=True, slots=True)
class ActionFailed:
    """An action could not even be recorded (signed out, no task...)."""

    message: str


@dataclass(frozen=True, slots=True)
class IntentRejected:
    """The server refused an intent for good (403/404/422): it left the outbox.

    ``kind`` is the intent's ``ActionKind.value`` ("start", "stop", "comment", "create",
    "add", "edit" or "delete"; a conflict with a change made elsewhere keeps its intent's
    kind), or "superseded" for a start or create dropped because something was
    started elsewhere after it; ``message`` is the server's words verbatim (or a service
    message for a dependent intent); ``task`` is the task it was about, when known.
    """

    message: str
    kind: str
    task: Task | None = None
    status: int | None = None


@dataclass(frozen=True, slots=True)
class SignedOut:
    """The server refused the token (401): sign in again. Emitted once."""

    reason: str


@dataclass(frozen=True, slots=True)
class SyncedPending:
    """Intents held back while offline (or after errors) reached the server."""

    count: int


@dataclass(frozen=True, slots=True)
class WentOffline:
    """The server stopped answering (network, 5xx, 429)."""


@dataclass(frozen=True, slots=True)
class BackOnline:
    """The server answers again."""


@dataclass(frozen=True, slots=True)
class RecentTasksChanged:
    """``recent_tasks`` / ``cached_tasks`` changed (after a fetch or a start)."""


@dataclass(frozen=True, slots=True)
class StorageProblem:
    """The files on this computer are not as they should be; the app goes on. Tell the user once.

    * ``outbox_unwritable``: the outbox cannot be written (read-only or missing folder...): the
      actions made now are queued and sent from memory, and lost if the app quits before they
      are sent; ``waiting_count`` actions already in that file wait there
      (:class:`~.outbox_open.OutboxUnwritable`);
    * ``damage``: the outbox file was damaged; it is kept at ``damage.path``, and a new one
      holds the ``recovered_count`` pending actions read back from it; ``unreadable_count``
      pending actions could not be read (``None``: an unknown number) (:class:`~.outbox_open.OutboxDamage`);
    * ``unreadable_count``: outbox rows that could not be read: set aside, never sent, kept in
      ``outbox_path`` (its table ``unreadable_intents``) for inspection;
    * ``cache_dir`` / ``cache_reason``: the cache folder cannot be written: the recent tasks and
      the running timer are not remembered for the next start (nothing else is affected).

    No ready-made text: the UI words it (:func:`timecrowd_tray.ui.storage_notice.show_storage_problem`).
    ``TimerService.storage_problem`` holds all that was found so far (start-up included); the
    event carries only what was found later (rows set aside while the app runs).
    """

    outbox_path: Path | None = None
    outbox_unwritable: OutboxUnwritable | None = None
    damage: OutboxDamage | None = None
    unreadable_count: int = 0
    cache_dir: Path | None = None
    cache_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DayChanged:
    """An entry of ``day`` (the user's zone) was added, changed or deleted here or elsewhere, or a change
    of ours was refused or conflicted: what shows that day reads it again. None: any day."""

    day: date | None = None


ServiceEvent = (StartedElsewhere | StoppedElsewhere | SwitchedElsewhere | ActionFailed | IntentRejected
                | SignedOut | SyncedPending | WentOffline | BackOnline | RecentTasksChanged | StorageProblem
                | DayChanged)
