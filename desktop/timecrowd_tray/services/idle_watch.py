"""The idle watcher: feeds the platform's idle time and presence signals to the away rules, on asyncio.

No Qt. The rules are :mod:`timecrowd_tray.core.idle`; the platform is
:mod:`timecrowd_tray.platform.idle` (an idle source asked, presence sources
listened to). The cost is part of the design:

* **nothing tracked**: no timer at all (signals are still listened to, which
  costs no wake-up);
* **tracking**: one check at most every :attr:`IdleWatch.interval` seconds (60),
  and no sooner than the threshold could be reached (at 10 minutes idle
  threshold and 2 minutes idle, the next check is 8 minutes later); one more a
  few seconds after a wake from sleep. Each check reads the idle time (one
  local call on X11) and the clocks (a sleep nobody announced).

An answer (:meth:`IdleWatch.answer`) is a stop stamped with the time the user
left (``request_stop_at``): the outbox keeps it, with the guarantees of any
stop (sent later when offline, with that time; kill -9 safe; never twice).

A stop made here while the prompt waits (the tray, the shell, a switch) is
seen in the service's state (a stop of that entry among its actions): the
question stays, about the stopped entry, and Discard then moves its end back
through the engine's edit path (``request_edit``), with the same guarantees.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol

from ..core import idle as I
from ..core.idle import Choice, EntryKey, IdleState, Pending
from ..core.models import Task
from ..core.timer import ActionKind, EntryRef, TimerState
from ..core.today import user_timezone
from ..platform.idle.base import IdleSource, NullIdleSource, PresenceEvent, PresenceKind, PresenceSource
from ..platform.idle.clock_jump import ClockJumpDetector
from .action_result import ActionResult

log = logging.getLogger(__name__)

CHECK_INTERVAL = 60.0   # at most one check a minute while tracking (s)
AFTER_WAKE = 5.0        # the check after a wake from sleep: input has come by then (s)


class WatchedService(Protocol):
    @property
    def state(self) -> TimerState: ...

    def add_listener(self, callback: Callable[[TimerState], None]) -> Callable[[], None]: ...

    def request_stop_at(self, at: float) -> ActionResult: ...

    def request_start(self, task: Any) -> ActionResult: ...

    def request_edit(self, entry: Any, *, stopped_at: datetime | None = None) -> ActionResult: ...


@dataclass(frozen=True, slots=True)
class StoppedHere:
    """The entry of the pending prompt, stopped here (not by an answer): what a trim edits."""

    ref: EntryRef
    task: Task
    stopped_at: float
    comment: str | None


@dataclass(frozen=True, slots=True)
class IdleAnswer:
    """What an answer did: ``code`` "kept", "stopped", "continued", "trimmed" (an entry stopped here
    ends when they left), or a refusal's code ("changed", "stopped_elsewhere", "stopped_here",
    "too_early", "too_late", "bad_time", "none", "refused");
    ``result``: the stop (and start) recorded, for the front ends to tell done or queued."""

    code: str
    result: ActionResult | None = None
    start: ActionResult | None = None
    at: float | None = None

    @property
    def refused(self) -> bool:
        return self.code not in ("kept", "stopped", "continued", "trimmed")


def running_key(state: TimerState) -> EntryKey | None:
    """The entry running now, as the away rules compare it (None: nothing runs)."""
    if not state.is_running or state.task is None:
        return None
    return EntryKey(state.entry_id, state.local_ref, state.task.id,
                    state.started_at.timestamp() if state.started_at else None)


class IdleWatch:
    """See the module docstring. ``threshold_minutes`` is read at each use (the ``idle_minutes`` setting);
    ``zone`` fixes the zone of :attr:`zone` (by default the signed-in account's, read at each use)."""

    def __init__(self, service: WatchedService, threshold_minutes: Callable[[], float], *,
                 idle_source: Callable[[], Awaitable[IdleSource]] | None = None,
                 presence: Callable[[Callable[[PresenceEvent], None], IdleSource],
                                    Awaitable[list[PresenceSource]]] | None = None,
                 clock: Callable[[], float] = time.time, mono: Callable[[], float] = time.monotonic,
                 interval: float = CHECK_INTERVAL, zone: tzinfo | None = None) -> None:
        self.service = service
        self._threshold_minutes = threshold_minutes
        self._make_source = idle_source
        self._make_presence = presence
        self._clock = clock
        self.interval = interval
        self._zone = zone
        self.source: IdleSource = NullIdleSource("not started")
        self.presence: list[PresenceSource] = []
        self._jump = ClockJumpDetector(wall=clock, mono=mono)
        self.state = IdleState()
        self._listeners: list[Callable[[Pending | None], None]] = []
        self._check_listeners: list[Callable[[float, bool], None]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._remove_listener: Callable[[], None] | None = None
        self._tracking = False
        self._woke_at: float | None = None
        self.last_left_at: float | None = None   # the start of the latest absence (for forgotten timers)
        self.wakeups = 0                           # checks done (the benchmark counts them)
        self.stopped_here: StoppedHere | None = None  # the pending entry, stopped here meanwhile
        self._answering = False                    # an answer's own stop is not a stop made here
        self._closed = False

    # -- life cycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        if self._make_source is not None:
            self.source = await self._make_source()
        if self._make_presence is not None:
            self.presence = await self._make_presence(self._on_presence, self.source)
        await self.source.arm(self.threshold)
        self._remove_listener = self.service.add_listener(self._on_state)
        self._on_state(self.service.state)

    async def aclose(self) -> None:
        self._closed = True
        self._cancel_timer()
        if self._remove_listener is not None:
            self._remove_listener()
        for task in list(self._tasks):
            task.cancel()
        parts: list[IdleSource | PresenceSource] = [*self.presence, self.source]
        for part in parts:
            try:
                await part.close()
            except Exception:  # noqa: BLE001 - closing
                log.debug("idle: closing %s", part.name, exc_info=True)

    # -- observing ---------------------------------------------------------------------------------

    @property
    def threshold(self) -> float:
        try:
            return max(0.0, float(self._threshold_minutes()) * 60.0)
        except (TypeError, ValueError):
            return 0.0

    @property
    def pending(self) -> Pending | None:
        return self.state.pending

    @property
    def present(self) -> bool:
        """Not away, locked or asleep, as far as the watcher knows."""
        return not (self.state.away or self.state.locked or self.state.asleep)

    @property
    def zone(self) -> tzinfo:
        """The zone the away times are told and typed in: the signed-in account's (``core.today.user_timezone``)."""
        return self._zone or user_timezone(self.service.state.user)

    def shown_time(self, now: float) -> float:
        """The time the running timer is shown at (when they left, while a prompt waits)."""
        return I.shown_time(self.state, now)

    def status(self) -> dict[str, Any] | None:
        """``{"since": ISO time they left, "seconds": away}`` while a decision is pending, else None."""
        pending = self.state.pending
        if pending is None:
            return None
        doc: dict[str, Any] = {"since": self.iso(pending.left_at), "seconds": int(pending.seconds)}
        if pending.stopped_at is not None:  # stopped here meanwhile: the away time is in the stopped entry
            doc["stopped_at"] = self.iso(pending.stopped_at)
        return doc

    def iso(self, at: float) -> str:
        """``at`` (unix seconds) as the shell carries it: ISO 8601 in :attr:`zone`, with its offset."""
        return datetime.fromtimestamp(at, UTC).astimezone(self.zone).isoformat()

    def add_listener(self, callback: Callable[[Pending | None], None]) -> Callable[[], None]:
        """``callback(pending)`` when a decision becomes pending, widens or goes (None)."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def add_check_listener(self, callback: Callable[[float, bool], None]) -> Callable[[], None]:
        """``callback(now, came_back)`` after each check (False) and each return (True, ``now`` the return):
        the reminders look then, with no wake-up of theirs."""
        self._check_listeners.append(callback)
        return lambda: self._check_listeners.remove(callback) if callback in self._check_listeners else None

    # -- the service ---------------------------------------------------------------------------------

    def _on_state(self, state: TimerState) -> None:
        self._note_stop_here(state)
        tracking = state.is_running
        if tracking == self._tracking:
            return
        self._tracking = tracking
        if tracking:
            self._jump.reset()
            self._schedule(self.interval)
        else:
            self._cancel_timer()

    def _note_stop_here(self, state: TimerState) -> None:
        """A stop of the pending entry among the service's actions, not one of an answer: stopped here."""
        pending = self.state.pending
        if pending is None or pending.stopped_at is not None or self._answering:
            return
        for action in state.pending:
            target = action.target
            if action.kind is not ActionKind.STOP or target is None or action.task is None:
                continue
            key = EntryKey(target.entry_id, target.local_id, action.task.id, pending.entry.started_at)
            if not pending.entry.same_entry(key):
                continue
            at = action.at.timestamp()
            log.info("idle: the entry was stopped here while the prompt waited")
            self.stopped_here = StoppedHere(target, action.task, at, state.comment)
            self._update(I.stopped_here(self.state, pending.entry, at))
            return

    def note_activity(self) -> None:
        """The user acted in the app (a click, a shortcut): present now; check at once if they seemed away."""
        if self.state.away and not self.state.asleep:
            self._spawn(self.check())

    # -- checking ------------------------------------------------------------------------------------

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        if self._closed or not self._tracking:
            return
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(max(0.0, delay), lambda: self._spawn(self.check()))

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("idle: a check failed", exc_info=task.exception())

    async def check(self) -> None:
        """One look: the clocks, then the idle time; then the next look is scheduled (while tracking)."""
        self.wakeups += 1
        threshold = self.threshold
        jump = self._jump.check()
        if jump is not None and not self.state.asleep:
            slept_from, woke_at = jump
            log.info("idle: the clocks say the computer slept %.0f s", woke_at - slept_from)
            self._update(I.went_away(self.state, slept_from, I.AwayReason.SLEEP))
            self._update(I.woke(self.state, woke_at))
            self._woke_at = woke_at
        idle: float | None
        try:
            idle = await self.source.idle_seconds()
        except Exception as exc:  # noqa: BLE001 - a source that failed once is asked again next time
            log.info("idle: %s gave no idle time: %s", self.source.name, exc)
            idle = None
        now = self._clock()
        if idle is not None:
            self._update(I.idle_checked(self.state, now, idle, threshold))
            self._maybe_back(I.back_at(now, idle))
        for callback in list(self._check_listeners):
            callback(now, False)
        if idle is None or self.state.away:
            delay = self.interval
        else:
            delay = max(self.interval, threshold - idle) if threshold > 0 else self.interval * 10
        self._schedule(delay)

    def _maybe_back(self, last_input: float) -> None:
        """Input after the departure (and after the wake, if they slept) means they are back."""
        state = self.state
        if state.away_since is None or state.asleep or state.locked:
            return
        if last_input <= state.away_since + 1.0:
            return
        if self._woke_at is not None and last_input < self._woke_at:
            return
        self._back(last_input)

    def _back(self, at: float) -> None:
        if self.state.away_since is not None:
            self.last_left_at = self.state.away_since
        self._woke_at = None
        self._update(I.came_back(self.state, at, running_key(self.service.state), self.threshold))
        for callback in list(self._check_listeners):
            callback(at, True)

    # -- presence signals -------------------------------------------------------------------------------

    def _on_presence(self, event: PresenceEvent) -> None:
        log.info("idle: %s says %s", event.source or "a source", event.kind.value)
        kind = event.kind
        if kind is PresenceKind.SLEEP:
            self._update(I.went_away(self.state, event.at, I.AwayReason.SLEEP))
        elif kind is PresenceKind.WAKE:
            self._woke_at = event.at
            self._update(I.woke(self.state, event.at))
            self._jump.reset()  # the sleep is known: the clocks must not tell it twice
            self._schedule(AFTER_WAKE)
            resumed = getattr(self.service, "notify_resumed", None)  # the timer service: poll and send now
            if callable(resumed):
                resumed()
        elif kind is PresenceKind.LOCK:
            self._update(I.went_away(self.state, event.at, I.AwayReason.LOCK))
            self._spawn(self._left_before(event.at))
        elif kind is PresenceKind.UNLOCK:
            self._update(I.unlocked(self.state))
            self._back(event.at)  # unlocking is input
        elif kind is PresenceKind.AWAY:
            self._update(I.went_away(self.state, event.at, I.AwayReason.IDLE))
        elif kind is PresenceKind.ACTIVE:
            self._back(event.at)

    async def _left_before(self, locked_at: float) -> None:
        """A screen saver comes on after its own timeout: the user left when input stopped."""
        try:
            idle = await self.source.idle_seconds()
        except Exception:  # noqa: BLE001
            return
        if idle > 0 and self.state.away_since is not None:
            self._update(I.went_away(self.state, self._clock() - idle, self.state.reason or I.AwayReason.LOCK))

    def _update(self, state: IdleState) -> None:
        before = self.state.pending
        self.state = state
        if state.pending is None:
            self.stopped_here = None
        if state.pending != before:
            for callback in list(self._listeners):
                try:
                    callback(state.pending)
                except Exception:
                    log.exception("idle: a listener failed")

    # -- answers ---------------------------------------------------------------------------------------

    def answer(self, choice: Choice | str, typed: str | None = None) -> IdleAnswer:
        """Carry out the user's answer to the pending prompt, checked against what runs now."""
        choice = Choice(choice)
        pending = self.state.pending
        now = self._clock()
        typed_at: float | None = None
        if choice is Choice.STOP_AT:
            typed_at = I.typed_time(typed or "", now, self.zone)
            if typed_at is None:
                return IdleAnswer("bad_time")
        decision = I.decide(pending, choice, running_key(self.service.state), now, typed_at)
        if isinstance(decision, I.EndAt):
            return self._trim(decision.at)
        if isinstance(decision, I.Refused):
            if decision.code in ("changed", "stopped"):
                log.info("idle: the entry changed since they left (%s): nothing done", decision.code)
                self._update(I.answered(self.state))
                return IdleAnswer("changed" if decision.code == "changed" else "stopped_elsewhere")
            return IdleAnswer(decision.code)
        if isinstance(decision, I.Keep):
            self._update(I.answered(self.state))
            return IdleAnswer("kept")
        task = self.service.state.task
        self._answering = True
        try:
            result = self.service.request_stop_at(decision.at)
            if result.refused or not result.recorded:
                return IdleAnswer("refused", result)
            self._update(I.answered(self.state))
            if decision.restart and task is not None:
                start = self.service.request_start(task)
                return IdleAnswer("continued", result, start, decision.at)
        finally:
            self._answering = False
        return IdleAnswer("stopped", result, at=decision.at)

    def _trim(self, at: float) -> IdleAnswer:
        """End the entry stopped here at ``at`` instead (an edit of it, through the outbox)."""
        from .day_entries import DayEntry

        stopped, pending = self.stopped_here, self.state.pending
        if stopped is None or pending is None or pending.entry.started_at is None:
            return IdleAnswer("refused")
        entry = DayEntry(stopped.ref, stopped.task, datetime.fromtimestamp(pending.entry.started_at, UTC),
                         datetime.fromtimestamp(stopped.stopped_at, UTC), stopped.comment)
        result = self.service.request_edit(entry, stopped_at=datetime.fromtimestamp(at, UTC))
        if result.refused or not result.recorded:
            return IdleAnswer("refused", result)
        self._update(I.answered(self.state))
        return IdleAnswer("trimmed", result, at=at)
