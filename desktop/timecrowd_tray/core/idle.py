"""Away time as pure rules: when the user left, whether to ask on return, and what an answer does.

No Qt, no I/O, no clock: every function takes the times it needs (unix
seconds), so the tests drive it with hand-made numbers.

The watcher (:mod:`timecrowd_tray.services.idle_watch`) feeds it what the
platform says: the idle time of the last check, a sleep, a lock, a screen saver
turning on, a jump of the wall clock. The rules:

* **Away** starts when the user was last active (the check's time minus the
  idle seconds, or the moment of a sleep/lock), never later: a prompt that is
  still unanswered when the user leaves again keeps its first departure.
* **Asking.** On return, with an entry running that already ran when they left,
  a prompt is pending when they were away at least ``threshold`` seconds (the
  ``idle_minutes`` setting; 0 turns it off), or slept (a sleep always counts:
  a lid closed for five minutes is still time not worked).
* **Until answered**, the time shown counts only to when they left
  (:func:`shown_time`).
* **Answers** (:func:`decide`) are checked against the entry running now: one
  that was stopped or changed meanwhile (the web app, another computer) is
  never trimmed blindly; :class:`Refused` says why.
* **A stop made here** while the prompt waits (the tray, the shell, a switch to
  another task) ends the entry with the away time still in it: the question
  stays, about that stopped entry (:func:`stopped_here`), and Discard then
  ends it when they left (:class:`EndAt`, an edit of the stopped entry). A
  stop at or before the departure leaves nothing to decide.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

#: A jump of the wall clock against the monotonic one of more than this is a sleep (s).
CLOCK_JUMP_SLEEP = 90.0


class AwayReason(str, enum.Enum):  # noqa: UP042 - str() stays the member name, as ActionKind's
    IDLE = "idle"      # no input for a while
    LOCK = "lock"      # the session locked, or the screen saver came on
    SLEEP = "sleep"    # the computer slept (logind, or the wall clock jumped)


class Choice(str, enum.Enum):  # noqa: UP042
    KEEP = "keep"                  # nothing changes
    DISCARD = "discard"            # the entry ends when they left
    CONTINUE = "continue"          # ends when they left; the same task starts now
    STOP_AT = "stop_at"            # the entry ends at a time they typed


@dataclass(frozen=True, slots=True)
class EntryKey:
    """Which entry runs: the server's id when known, else the outbox row of its start."""

    entry_id: int | None
    local_ref: int | None
    task_id: int
    started_at: float | None

    def same_entry(self, other: EntryKey | None) -> bool:
        if other is None or other.task_id != self.task_id:
            return False
        if self.entry_id is not None and other.entry_id is not None:
            return self.entry_id == other.entry_id
        if self.local_ref is not None and other.local_ref is not None:
            return self.local_ref == other.local_ref
        # a start confirmed meanwhile: its id is new, its start the same
        return self.started_at is not None and other.started_at is not None \
            and abs(self.started_at - other.started_at) < 1.0


@dataclass(frozen=True, slots=True)
class Pending:
    """A decision to ask for: away from ``left_at`` to ``back_at`` while ``entry`` ran."""

    left_at: float
    back_at: float
    reason: AwayReason
    entry: EntryKey
    stopped_at: float | None = None     # the entry was stopped here then, the away time still in it

    @property
    def seconds(self) -> float:
        return max(0.0, self.back_at - self.left_at)


@dataclass(frozen=True, slots=True)
class IdleState:
    away_since: float | None = None     # away now, since then (None: present, as far as known)
    reason: AwayReason | None = None
    asleep: bool = False                # between a sleep and its wake
    locked: bool = False                # between a lock and its unlock
    pending: Pending | None = None      # a decision waiting for the user

    @property
    def away(self) -> bool:
        return self.away_since is not None


# -- what the platform says ---------------------------------------------------------------------


def went_away(state: IdleState, since: float, reason: AwayReason) -> IdleState:
    """The user left at ``since`` (the earliest word wins; a sleep outranks an idle or a lock)."""
    start = since if state.away_since is None else min(state.away_since, since)
    kind = reason if state.reason is None or reason is AwayReason.SLEEP else state.reason
    return replace(state, away_since=start, reason=kind,
                   asleep=state.asleep or reason is AwayReason.SLEEP,
                   locked=state.locked or reason is AwayReason.LOCK)


def idle_checked(state: IdleState, now: float, idle_seconds: float, threshold: float) -> IdleState:
    """A check of the idle time: ``idle_seconds`` without input at ``now``.

    At or over ``threshold`` (and the feature on) the user is away since the last
    input; under it, a user seen away is back (see :func:`came_back`, which the
    caller runs with the entry running now).
    """
    if threshold > 0 and idle_seconds >= threshold:
        return went_away(state, now - idle_seconds, AwayReason.IDLE)
    return state


def back_at(now: float, idle_seconds: float | None) -> float:
    """When the user came back: the first input after the absence (``now`` minus the idle seconds)."""
    return now - idle_seconds if idle_seconds is not None and idle_seconds >= 0 else now


def came_back(state: IdleState, at: float, running: EntryKey | None, threshold: float) -> IdleState:
    """The user is back at ``at``; a prompt becomes pending if the rules say so (module docstring).

    A prompt already pending keeps its departure and widens to the new return.
    Still asleep or locked (no wake or unlock yet) is not back.
    """
    if state.away_since is None or state.asleep or state.locked:
        return state
    left, reason = state.away_since, state.reason or AwayReason.IDLE
    cleared = replace(state, away_since=None, reason=None)
    if state.pending is not None and state.pending.stopped_at is not None:
        return cleared  # about an entry that ended: a later absence is not in it (its length stays true)
    if state.pending is not None:
        pending = state.pending
        if left < pending.left_at:
            pending = replace(pending, left_at=left)
        return replace(cleared, pending=replace(pending, back_at=max(pending.back_at, at)))
    if threshold <= 0 or running is None:
        return cleared
    if running.started_at is not None and running.started_at > left:
        return cleared  # started after they left (elsewhere, or by them on return): nothing to trim
    long_enough = at - left >= threshold or (reason is AwayReason.SLEEP and at - left >= 60.0)
    if not long_enough:
        return cleared
    return replace(cleared, pending=Pending(left, at, reason, running))


def woke(state: IdleState, at: float) -> IdleState:
    """The computer woke up (logind's PrepareForSleep(false)); back only once input says so."""
    return replace(state, asleep=False)


def unlocked(state: IdleState) -> IdleState:
    return replace(state, locked=False)


def clock_jump(prev_wall: float, prev_mono: float, wall: float, mono: float) -> float | None:
    """How long the computer slept between two readings, judged by the clocks, or None.

    The monotonic clock stops during a suspend (Linux ``CLOCK_MONOTONIC``, macOS
    ``mach_absolute_time``); the wall clock does not. A gap over
    :data:`CLOCK_JUMP_SLEEP` is a sleep (an NTP step is seconds, not minutes).
    """
    gap = (wall - prev_wall) - (mono - prev_mono)
    return gap if gap > CLOCK_JUMP_SLEEP else None


def stopped_here(state: IdleState, entry: EntryKey, at: float) -> IdleState:
    """``entry`` was stopped here (not by an answer) at ``at``: the prompt asks about the stopped entry."""
    pending = state.pending
    if pending is None or pending.stopped_at is not None or not pending.entry.same_entry(entry):
        return state
    if at <= pending.left_at + 1.0:
        return answered(state)  # stopped when they left, or before: no away time in the entry
    return replace(state, pending=replace(pending, stopped_at=at))


def answered(state: IdleState) -> IdleState:
    return replace(state, pending=None)


# -- reading -------------------------------------------------------------------------------------


def shown_time(state: IdleState, now: float) -> float:
    """The time the running timer is shown at: ``now``, or when they left while a prompt waits."""
    if state.pending is not None and state.pending.stopped_at is None:
        return min(now, state.pending.left_at)
    return now


_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


def typed_time(text: str, now: float, zone: tzinfo) -> float | None:
    """``"17:05"`` (or ``１７：０５``) as the latest such moment at or before ``now`` in ``zone``; None when not a time.

    A time later than now today means yesterday's (away across midnight).
    """
    match = _CLOCK.match(unicodedata.normalize("NFKC", text or ""))
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    today = datetime.fromtimestamp(now, zone)
    moment = today.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if moment.timestamp() > now:
        moment -= timedelta(days=1)
    return moment.timestamp()


# -- answers -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Keep:
    pass


@dataclass(frozen=True, slots=True)
class StopAt:
    """Stop the entry at ``at``; ``restart``: then start the same task now."""

    at: float
    restart: bool = False


@dataclass(frozen=True, slots=True)
class EndAt:
    """The entry was stopped here already: move its end back to ``at`` (an edit)."""

    at: float


@dataclass(frozen=True, slots=True)
class Refused:
    code: str      # "changed" | "stopped" | "stopped_here" | "too_early" | "too_late" | "none"


Decision = Keep | StopAt | EndAt | Refused


def _decide_stopped(pending: Pending, stopped_at: float, choice: Choice, typed_at: float | None) -> Decision:
    """An answer about an entry stopped here meanwhile (nothing runs to continue)."""
    if choice is Choice.CONTINUE:
        return Refused("stopped_here")
    at = pending.left_at if choice is Choice.DISCARD else typed_at
    start = pending.entry.started_at
    if at is None or (start is not None and at <= start):
        return Refused("too_early")
    if at >= stopped_at:
        return Refused("too_late")
    return EndAt(at)


def decide(pending: Pending | None, choice: Choice, running: EntryKey | None, now: float,
           typed_at: float | None = None) -> Decision:
    """What ``choice`` does to the entry, checked against what runs now (``running``)."""
    if pending is None:
        return Refused("none")
    if choice is Choice.KEEP:
        return Keep()
    if pending.stopped_at is not None:
        return _decide_stopped(pending, pending.stopped_at, choice, typed_at)
    if running is None:
        return Refused("stopped")
    if not pending.entry.same_entry(running):
        return Refused("changed")
    if choice is Choice.STOP_AT:
        if typed_at is None:
            return Refused("too_early")
        start = running.started_at
        if start is not None and typed_at <= start:
            return Refused("too_early")
        if typed_at > now:
            return Refused("too_late")
        return StopAt(typed_at)
    at = pending.left_at
    if running.started_at is not None and at <= running.started_at:
        return Refused("too_early")
    return StopAt(at, restart=choice is Choice.CONTINUE)
