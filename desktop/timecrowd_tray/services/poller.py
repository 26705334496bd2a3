"""Polling: one asyncio task, one poll at a time, jitter, backoff, resume detection.

* Every ``interval`` seconds (default 30) times ``1 ± 10%`` (injected ``rng``),
  so a fleet of trays does not poll in step. An answer may ask for a slower
  pace (:attr:`PollResult.min_interval`): while a timer runs the poller's own
  pace is :data:`RUNNING_POLL_S` (90 s), because the tray polls on the icon's
  minute tick (``ui/tray.py``: the poll and the repaint share one wake-up) and
  always comes first; a change made elsewhere (a stop on the phone) shows
  within about a minute, at once after an action here or when the menu opens
  (both wake the poller), within 90 s where nothing ticks.
* :meth:`Poller.poll_now` runs a poll now, or joins the one in flight: there
  are never two polls at once.
* :meth:`Poller.wake` asks the loop for a poll as soon as possible (after an
  action, when the network comes back, when the menu opens).
* After an error the next poll waits ``5 s * 2^(n-1)`` (10% jitter), capped at
  300 s, or the server's ``Retry-After`` when it is longer (capped at an hour).
* Sleep/resume: the loop compares the wall clock with the monotonic clock
  (which stops during suspend on Linux) each time it wakes, at least every
  ``resume_check`` seconds (no wake-up of its own when that is longer than the
  time to the next poll); when the wall clock ran ahead by more than
  ``RESUME_GAP`` it polls at once and calls ``on_resume``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

JITTER = 0.10
ERROR_BASE = 5.0
ERROR_CAP = 300.0
RETRY_AFTER_CAP = 3600.0
RESUME_GAP = 10.0
RUNNING_POLL_S = 90.0  # the pace a running timer's answer asks for (see the module docstring)


@dataclass(frozen=True, slots=True)
class PollResult:
    ok: bool
    retry_after: float | None = None
    min_interval: float | None = None  # the next poll no sooner than this (s), whatever ``interval`` says


async def wait_event(event: asyncio.Event, timeout: float | None) -> bool:
    """Wait for ``event`` at most ``timeout`` seconds; True when it is set.

    ``asyncio.timeout`` rather than ``asyncio.wait_for``: on Python 3.11 a
    ``wait_for`` cancelled while its inner ``Event.wait`` completes can hang.
    """
    if event.is_set():
        return True
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
        return True
    except TimeoutError:
        return False


def jittered(seconds: float, rng: Callable[[], float]) -> float:
    """``seconds`` times a factor in [0.9, 1.1) drawn from ``rng`` (uniform in [0, 1))."""
    return max(0.0, seconds * (1.0 + JITTER * (2.0 * rng() - 1.0)))


def backoff_delay(failures: int, retry_after: float | None, rng: Callable[[], float], *,
                  base: float = ERROR_BASE, cap: float = ERROR_CAP) -> float:
    """Delay before the next try after ``failures`` consecutive failures (>= 1)."""
    exponent = min(max(failures, 1) - 1, 30)
    delay = min(cap, jittered(min(cap, base * (2 ** exponent)), rng))
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(float(retry_after), RETRY_AFTER_CAP))
    return delay


class ResumeDetector:
    """Tells when the wall clock jumped ahead of the monotonic one (a suspend)."""

    def __init__(self, wall: Callable[[], float], mono: Callable[[], float], gap: float = RESUME_GAP) -> None:
        self._wall, self._mono, self._gap = wall, mono, gap
        self._last = (wall(), mono())

    def check(self) -> bool:
        wall, mono = self._wall(), self._mono()
        last_wall, last_mono = self._last
        self._last = (wall, mono)
        return (wall - last_wall) - (mono - last_mono) > self._gap


class Poller:
    def __init__(self, poll: Callable[[], Awaitable[PollResult]], *, interval: float = 30.0,
                 rng: Callable[[], float], wall: Callable[[], float] = time.time,
                 mono: Callable[[], float] = time.monotonic, resume_check: float = 5.0,
                 on_resume: Callable[[], None] | None = None, retry_base: float = ERROR_BASE) -> None:
        self._poll = poll
        self._interval = float(interval)
        self._rng = rng
        self._mono = mono
        self._resume_check = resume_check
        self._on_resume = on_resume
        self._retry_base = retry_base
        self._detector = ResumeDetector(wall, mono)
        self._kick = asyncio.Event()
        self._requested = False
        self._inflight: asyncio.Future[PollResult] | None = None
        self._task: asyncio.Task[None] | None = None
        self._next_due = 0.0  # poll at once when started before any poll
        self._min_interval = 0.0  # the last answer's PollResult.min_interval
        self.failures = 0
        self.retry_until = 0.0  # monotonic: the server's Retry-After holds every poll until then
        self.last_success: float | None = None  # monotonic
        self.last_attempt: float | None = None
        self.polls = 0

    # -- control ---------------------------------------------------------------

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def pace(self) -> float:
        """The seconds between polls now: ``interval``, or slower when the last answer asked for it."""
        return max(self._interval, self._min_interval)

    @property
    def in_flight(self) -> bool:
        return self._inflight is not None and not self._inflight.done()

    @property
    def next_due(self) -> float:
        return self._next_due

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        tasks = [t for t in (self._task, self._inflight) if t is not None and not t.done()]
        current = asyncio.current_task()
        for t in tasks:
            if t is not current:
                t.cancel()
        for t in tasks:
            if t is not current:
                try:
                    await t
                except (asyncio.CancelledError, Exception):
                    pass
        self._task = None

    @property
    def held(self) -> bool:
        """The server asked us to wait (Retry-After) and the time is not up."""
        return self._mono() < self.retry_until

    def wake(self) -> None:
        """Poll as soon as possible (joins a poll in flight by polling right after it);
        not before the end of a Retry-After."""
        if self.held:
            return
        self._requested = True
        self._kick.set()

    def reset_backoff(self) -> None:
        if self.failures and not self.held:
            self.failures = 0
            self._next_due = self._mono()
            self._kick.set()

    def set_interval(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("the poll interval must be positive")
        self._interval = float(seconds)
        if not self.failures:
            base = self.last_attempt if self.last_attempt is not None else self._mono()
            self._next_due = base + jittered(self.pace, self._rng)
        self._kick.set()

    # -- polling -----------------------------------------------------------------

    async def poll_now(self) -> PollResult:
        """One poll now, or the one in flight (never two at once)."""
        if self._inflight is None or self._inflight.done():
            self._inflight = asyncio.ensure_future(self._poll_once())
        return await asyncio.shield(self._inflight)

    async def _poll_once(self) -> PollResult:
        self.last_attempt = self._mono()
        try:
            result = await self._poll()
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug in the poll must not kill polling
            log.exception("poll failed")
            result = PollResult(False)
        self.polls += 1
        done = self._mono()
        if result.ok:
            self.failures = 0
            self.last_success = done
            self._min_interval = result.min_interval or 0.0
            self._next_due = done + jittered(self.pace, self._rng)
        else:
            self.failures += 1
            self._next_due = done + backoff_delay(self.failures, result.retry_after, self._rng,
                                                 base=self._retry_base)
            if result.retry_after:
                self.retry_until = done + min(result.retry_after, RETRY_AFTER_CAP)
        self._kick.set()
        return result

    async def _run(self) -> None:
        while True:
            while not self._requested:
                remaining = self._next_due - self._mono()
                if remaining <= 0:
                    break
                self._kick.clear()
                await wait_event(self._kick, min(remaining, self._resume_check))
                if self._detector.check() and not self.held:
                    log.info("wall clock jumped ahead: resumed from sleep, polling now")
                    self._requested = True
                    self.failures = 0
                    if self._on_resume is not None:
                        self._on_resume()
            self._requested = False
            await self.poll_now()
