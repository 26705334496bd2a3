"""What one user action did, as every front end reports it: done, queued or refused.

An action (a click, a shortcut, a shell command) first either is *recorded* in
the outbox (the intents it wrote, stamped with the time of the action) or is
*refused* before anything was written (``refusal`` says why, in words for the
user; ``code`` says it for programs). A no-op (stopping when nothing runs,
starting what already runs) records nothing and refuses nothing.

What became of recorded intents is :class:`Outcome`, read from the outbox once
the server answered or a bounded wait ran out: ``done`` (the server did it),
``queued`` (kept, to be sent with the time of the action: offline, loading,
signed out meanwhile, or the server did not confirm in time), or ``refused``
(the server said no, for good; ``reason`` carries its words verbatim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ..core.models import Task
from ..core.timer import EntryRef

#: Machine-readable reasons an action was refused before anything was recorded.
RefusalCode = Literal["signed_out", "no_task", "no_team", "empty", "storage", "too_long", "not_running",
                      "invalid_times", "overlap", "conflict", "not_found"]


@dataclass(frozen=True, slots=True)
class StoppedEntry:
    """What a stop stopped, for the comment dialog. ``ref`` goes to :meth:`TimerService.comment`."""

    ref: EntryRef
    task: Task
    started_at: datetime | None
    stopped_at: datetime
    duration: float  # seconds


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action did at once (see the module docstring)."""

    intents: tuple[int, ...] = ()
    acted_at: float | None = None        # unix seconds: the time the intents carry
    stopped: StoppedEntry | None = None  # what it stopped (a stop, or a start that switched)
    started: Task | None = None          # what it started (a start or a create)
    refusal: str | None = None           # why nothing was recorded, for the user (translated)
    code: RefusalCode | None = None

    @property
    def recorded(self) -> bool:
        return bool(self.intents)

    @property
    def refused(self) -> bool:
        return self.refusal is not None

    @classmethod
    def refuse(cls, message: str, code: RefusalCode) -> ActionResult:
        return cls(refusal=message, code=code)


OutcomeKind = Literal["done", "queued", "refused"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of an action's intents (see the module docstring)."""

    kind: OutcomeKind
    acted_at: float | None = None
    reason: str | None = None            # refused: the server's words; queued: why it waits
    waiting_for: Literal["network", "sign_in", "server"] | None = None  # queued only
    done_ids: tuple[int, ...] = field(default_factory=tuple)
    code: str | None = None              # refused by the replay: "conflict", "not_found" (else None)
