"""When the entries window's shown day must be read again, besides the user's F5.

* The timer changed in a way that touches the shown day: a start, a stop, a switch, a
  confirmed or dropped action, whether made here, from the shell (``timecrowd-tray start``
  goes through this app's engine) or seen elsewhere by the poll. The service's state is
  listened to (``add_listener``) as are its events; the reload is debounced
  (:data:`DEBOUNCE_MS`), so a burst of changes reads the day once.
* The day was loaded incomplete (a page failed): it is read again when the service is back
  online, and meanwhile on a backoff from :data:`RETRY_FIRST_MS` doubling up to
  :data:`RETRY_MAX_MS` (never while the service says it is offline), so the window recovers by
  itself without hammering a server that is down.

Only while the window is shown: opening it reads the day anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject, QTimer

DEBOUNCE_MS = 300
RETRY_FIRST_MS = 15_000
RETRY_MAX_MS = 120_000

#: Events that say the timer changed elsewhere or an action of ours ended.
TIMER_EVENTS = frozenset({"StartedElsewhere", "StoppedElsewhere", "SwitchedElsewhere", "SyncedPending",
                          "IntentRejected"})


def timer_key(state: Any) -> tuple[Any, ...]:
    """What of the timer's state shows in a day's entries (offline and errors left out)."""
    task = getattr(state, "task", None)
    return (getattr(state, "phase", None), task.id if task is not None else None, getattr(state, "started_at", None),
            getattr(state, "stopped_at", None), getattr(state, "entry_id", None), getattr(state, "local_ref", None),
            getattr(state, "server_entry", None), getattr(state, "pending_count", 0))


class DayFreshness(QObject):
    """See the module docstring."""

    def __init__(self, model: Any, *, reload: Callable[[], None], day: Callable[[], date],
                 tz: Callable[[], tzinfo], now: Callable[[], datetime], shown: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._reload, self._day, self._tz, self._now, self._shown = reload, day, tz, now, shown
        self.incomplete = False
        self.retry_ms = 0
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.timeout.connect(self._reload_if_shown)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self._retry_if_online)
        state = getattr(model, "state", None)
        self._last_state: Any = state
        self._last_key = timer_key(state) if state is not None else None
        add_listener = getattr(model, "add_listener", None)
        self._unsubscribe: Callable[[], None] = add_listener(self.state_changed) if add_listener else (lambda: None)

    # -- what happened ------------------------------------------------------------------------

    def state_changed(self, state: Any) -> None:
        key = timer_key(state)
        before, self._last_state = self._last_state, state
        if key == self._last_key:
            return
        self._last_key = key
        if self._day() in self._days_touched(before, state):
            self.reload_soon()

    def service_event(self, event: object) -> None:
        name = type(event).__name__
        if name in TIMER_EVENTS:
            if name != "IntentRejected" or getattr(event, "kind", None) in ("start", "stop", "create", "superseded"):
                self.reload_soon()
        elif name == "BackOnline" and self.incomplete:
            self.reload_soon()

    def _days_touched(self, before: Any, after: Any) -> set[date]:
        tz = self._tz()
        days = {self._now().astimezone(tz).date()}  # a start or a stop happens now
        for state in (before, after):
            for moment in (getattr(state, "started_at", None), getattr(state, "stopped_at", None),
                           getattr(getattr(state, "server_entry", None), "started_at", None)):
                if isinstance(moment, datetime):
                    days.add(moment.astimezone(tz).date())
        return days

    # -- what the window loaded ---------------------------------------------------------------

    def loading(self) -> None:
        """A load starts (whoever asked): its outcome, not an older timer, says what comes next."""
        self.soon.stop()
        self.retry.stop()

    def loaded(self, complete: bool) -> None:
        """After each load: an incomplete one is tried again later (see the module docstring)."""
        self.incomplete = not complete
        if complete:
            self.retry_ms = 0
            self.retry.stop()
            return
        self.retry_ms = min(RETRY_MAX_MS, self.retry_ms * 2) if self.retry_ms else RETRY_FIRST_MS
        self.retry.start(self.retry_ms)

    # -- reloading ----------------------------------------------------------------------------

    def reload_soon(self) -> None:
        self.soon.start(DEBOUNCE_MS)

    def _reload_if_shown(self) -> None:
        if self._shown():
            self._reload()

    def _retry_if_online(self) -> None:
        if not self.incomplete:
            return
        if getattr(getattr(self.model, "state", None), "offline", False):
            self.retry.start(self.retry_ms)  # BackOnline reloads as soon as it answers
            return
        self._reload_if_shown()

    def stop(self) -> None:
        self.soon.stop()
        self.retry.stop()
        self._unsubscribe()
