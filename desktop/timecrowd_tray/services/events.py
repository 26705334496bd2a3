"""What the service tells the UI besides the state: frozen dataclasses.

``add_event_listener`` callbacks receive one of :data:`ServiceEvent`. Messages
are ready to show: the server's words verbatim, or a text of
:mod:`.messages` already translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..core.models import Task, TimeEntry


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

    ``kind`` is "start", "stop", "comment" or "create"; ``message`` is the
    server's words verbatim (or a service message for a dependent intent);
    ``task`` is the task it was about, when known.
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


ServiceEvent = Union[StartedElsewhere, StoppedElsewhere, SwitchedElsewhere, ActionFailed, IntentRejected,
                     SignedOut, SyncedPending, WentOffline, BackOnline, RecentTasksChanged]
