"""Reminders to start the timer, and offers to end a forgotten one, on asyncio (no Qt).

The rules are :mod:`timecrowd_tray.core.reminders`. The cost: one timer, set at
the moment a reminder is due (never a periodic one); when it fires and the user
seems away, one look a minute until they are back or the day's hours end. A
forgotten timer is looked for at the idle watcher's checks (which run while
tracking anyway) and at each return: no wake-up of its own.

Working hours (``remind_hours``, ``remind_days``) and "today" are read in the
account's zone when it is known, else the machine's, like every time the app
shows and reads (``core.today.user_timezone``): 09:00-18:00 means what the
tray and the entries window call 09:00.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Protocol

from ..core import reminders as R
from ..core.idle import EntryKey
from ..core.models import Task
from ..core.reminders import ReminderConfig, ReminderState, Snooze
from ..core.timer import TimerState
from ..core.today import user_timezone
from .action_result import ActionResult
from .idle_watch import IdleWatch, running_key

log = logging.getLogger(__name__)

RECHECK_AWAY = 60.0     # a due reminder while the user seems away: looked at again this often (s)
ACTIVE_WITHIN = 120.0   # input within this many seconds means "active" for a reminder (s)


class RemindedService(Protocol):
    @property
    def state(self) -> TimerState: ...

    @property
    def recent_tasks(self) -> list[Task]: ...

    def add_listener(self, callback: Callable[[TimerState], None]) -> Callable[[], None]: ...

    def request_start(self, task: Task) -> ActionResult: ...

    def request_stop_at(self, at: float) -> ActionResult: ...


@dataclass(frozen=True, slots=True)
class Forgotten:
    """A timer running too long: ``end_at`` is the last time the user was active (None: unknown)."""

    entry: EntryKey
    task: Task
    started_at: float
    end_at: float | None


def config_from(get: Callable[[str], Any]) -> ReminderConfig:
    """The reminder settings (already validated by :mod:`timecrowd_tray.core.settings`)."""
    start, end = R.parse_hours(str(get("remind_hours")))
    return ReminderConfig(minutes=int(get("remind_minutes")), start=start, end=end,
                          days=R.parse_days(str(get("remind_days"))))


class Reminders:
    def __init__(self, service: RemindedService, watch: IdleWatch, setting: Callable[[str], Any], *,
                 on_remind: Callable[[Task | None], None], on_forgotten: Callable[[Forgotten], None],
                 clock: Callable[[], float] = time.time, zone: tzinfo | None = None) -> None:
        self.service = service
        self.watch = watch
        self._setting = setting
        self._on_remind = on_remind
        self._on_forgotten = on_forgotten
        self._clock = clock
        self._zone = zone
        self.state = ReminderState()
        self._timer: asyncio.TimerHandle | None = None
        self._was_running: bool | None = None
        self._offered: set[tuple[int | None, int | None, int]] = set()  # forgotten entries offered already
        self._removers: list[Callable[[], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def zone(self) -> tzinfo:
        """The zone of the working hours, the days and the times told: the signed-in account's
        (``core.today.user_timezone``, read at each use), unless the caller fixed one."""
        return self._zone or user_timezone(self.service.state.user)

    def config(self) -> ReminderConfig:
        try:
            return config_from(self._setting)
        except (ValueError, TypeError):
            log.warning("reminders: unreadable settings; reminders are off")
            return ReminderConfig(minutes=0)

    def start(self) -> None:
        self._removers.append(self.service.add_listener(self._on_state))
        self._removers.append(self.watch.add_check_listener(self._on_check))
        self._on_state(self.service.state)

    def close(self) -> None:
        self._cancel()
        for remove in self._removers:
            remove()
        for task in self._tasks:
            task.cancel()

    # -- following the service ----------------------------------------------------------------

    def _on_state(self, state: TimerState) -> None:
        running = state.is_running
        signed_in = state.is_signed_in and state.phase.value != "loading"
        if not signed_in:
            self.state = ReminderState(snoozed_until=self.state.snoozed_until)
            self._was_running = None
            self._cancel()
            return
        if running == self._was_running:
            return
        now = self._clock()
        if running:
            self.state = R.started(self.state)
        elif self._was_running:
            self.state = R.stopped(self.state, now)
        else:
            self.state = R.not_tracking(self.state, now)
        self._was_running = running
        self.reschedule()

    def _on_check(self, now: float, came_back: bool) -> None:
        """The watcher looked, or the user came back (the count restarts); a forgotten timer is offered."""
        if came_back:
            self.state = R.returned(self.state, now)
            self.reschedule()
        self._look_for_forgotten(now)

    # -- reminding ------------------------------------------------------------------------------

    def reschedule(self) -> None:
        self._cancel()
        due = R.due_at(self.state, self.config(), self.zone)
        if due is None:
            return
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(max(0.0, due - self._clock()), self._due)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _due(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self.fire())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def fire(self) -> bool:
        """The reminder is due: shown if the user is active now, else looked at again later. True if shown."""
        now = self._clock()
        present = self.watch.present
        if present:
            try:
                present = await self.watch.source.idle_seconds() < ACTIVE_WITHIN
            except Exception:  # noqa: BLE001 - no idle time: the signals' word stands
                pass
        if not present:
            self.state = R.returned(self.state, now)  # the active stretch starts again on return
        config = self.config()
        if not R.should_remind(self.state, config, now, self.zone, present=present):
            if present or R.due_at(self.state, config, self.zone) is None:
                self.reschedule()
            else:
                self._timer = asyncio.get_running_loop().call_later(RECHECK_AWAY, self._due)
            return False
        self.state = R.reminded(self.state)
        recent = self.service.recent_tasks
        self._on_remind(recent[0] if recent else None)
        return True

    def snooze(self, snooze: Snooze | str) -> None:
        self.state = R.snoozed(self.state, Snooze(snooze), self._clock(), self.config(), self.zone)
        self.reschedule()

    def start_latest(self, task: Task | None = None) -> ActionResult | None:
        """Start ``task`` (the one the reminder named), else the latest task; None when there is none."""
        recent = self.service.recent_tasks
        chosen = task or (recent[0] if recent else None)
        return self.service.request_start(chosen) if chosen is not None else None

    # -- forgotten timers ---------------------------------------------------------------------------

    def _look_for_forgotten(self, now: float) -> None:
        state = self.service.state
        key = running_key(state)
        if key is None or key.started_at is None or state.task is None:
            return
        mark = (key.entry_id, key.local_ref, key.task_id)
        if mark in self._offered:
            return
        try:
            max_hours = float(self._setting("remind_max_hours"))
        except (TypeError, ValueError):
            max_hours = 10.0
        if not R.is_forgotten(key.started_at, now, max_hours, self.zone):
            return
        self._offered.add(mark)
        end = R.forgotten_end(key.started_at, self.watch.last_left_at)
        self._on_forgotten(Forgotten(key, state.task, key.started_at, end))

    def end_forgotten(self, forgotten: Forgotten) -> ActionResult | None:
        """End the forgotten timer at its ``end_at``, if it is still the one running (else None)."""
        if forgotten.end_at is None or not forgotten.entry.same_entry(running_key(self.service.state)):
            return None
        return self.service.request_stop_at(forgotten.end_at)
