"""Helpers for the timer service tests: a shared fake clock, the emulator in-process,
and ``run`` (plain ``asyncio.run``, no pytest-asyncio). A test reads::

    def test_something(tmp_path):
        async def main():
            async with service_harness(tmp_path) as h:  # signed in; closed on the way out
                h.svc.start(emulator_task(h.state, "1on1"))
                await h.synced()
                assert h.state.running_entry(h.me) is not None

        run(main)

The service and the emulator read the same :class:`FakeClock`, so "the user
clicked at T, the server answered at T + 300 s" is a line of test code, not a
sleep. Asyncio timers (backoff, poll interval) still run on the real monotonic
clock; the tests use a tiny ``retry_base`` so retries come at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import httpx

from timecrowd_tray.api.client import TimeCrowdClient
from timecrowd_tray.core.models import Task
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorState, create_app
from timecrowd_tray.services.timer_service import TimerService

from support.clock import FakeClock

# Tuesday 2025-10-21 14:00:00.5 JST (the emulator tests' reference moment).
FIXED_NOW = 1761022800.5
JST = timezone(timedelta(hours=9))
R = TypeVar("R")


def run(factory: Callable[[], Awaitable[R]], timeout: float = 20.0) -> R:
    async def main() -> R:
        return await asyncio.wait_for(factory(), timeout)

    return asyncio.run(main())


def emulator_task(state: EmulatorState, title: str) -> Task:
    """A Task for one of the emulator's tasks, by title (as the menu would have it)."""
    with state.lock:
        record = next(t for t in state.tasks.values() if t["title"] == title)
        team = state.teams[record["team_id"]]
        return Task(id=record["id"], title=record["title"], team_id=record["team_id"], team_name=team["name"])


def requests_to(state: EmulatorState, method: str, fragment: str) -> list[tuple[str, str, Any, float]]:
    with state.lock:
        return [r for r in state.requests if r[0] == method and fragment in r[1]]


def entries_of_task(state: EmulatorState, user_id: int, task_id: int) -> list[dict[str, Any]]:
    return [e for e in state.entries_of(user_id) if e["task_id"] == task_id]


def comment_text(state: EmulatorState, entry_id: int) -> str | None:
    entry = state.entry(entry_id)
    comment = state.comment_of(entry) if entry else None
    return comment["content"] if comment else None


def comments_on(state: EmulatorState, entry_id: int) -> list[dict[str, Any]]:
    with state.lock:
        return [c for c in state.comments.values() if c["entry_id"] == entry_id]


class Harness:
    """One emulator (in-process) + one service on a tmp data dir."""

    def __init__(self, tmp_path: Path, *, clock: FakeClock | None = None, state: EmulatorState | None = None,
                 **service_kwargs: Any) -> None:
        self.tmp_path = tmp_path
        self.clock = clock or FakeClock(FIXED_NOW)
        self.state = state or EmulatorState.seeded(clock=self.clock)
        self.app = create_app(self.state)
        self.me = self.state.me_id
        self.service_kwargs = {"clock": self.clock, "rng": lambda: 0.5, "retry_base": 0.01, **service_kwargs}
        self.events: list[Any] = []
        self.states: list[Any] = []
        self._event_flag: asyncio.Event | None = None
        #: Every service made here (``svc`` first); :func:`service_harness` closes them all.
        self.services: list[TimerService] = []
        self.svc = self.new_service(watch=True)
        self.clients: list[TimeCrowdClient] = []

    def new_service(self, *, watch: bool = False, **overrides: Any) -> TimerService:
        """A service on the same data folder (the app started again); ``watch`` adds it to ``events`` and
        ``states``; ``overrides`` replace the harness's service arguments."""
        svc = TimerService(self.tmp_path / "data", **{**self.service_kwargs, **overrides})
        self.services.append(svc)
        if watch:
            self.watch(svc)
        return svc

    def watch(self, svc: TimerService) -> None:
        svc.add_listener(self.states.append)
        svc.add_event_listener(self._on_event)

    def _on_event(self, event: Any) -> None:
        self.events.append(event)
        if self._event_flag is not None:
            self._event_flag.set()

    def client(self, token: str = DEMO_TOKEN) -> TimeCrowdClient:
        client = TimeCrowdClient("http://127.0.0.1:8", token, transport=httpx.ASGITransport(app=self.app))
        self.clients.append(client)
        return client

    async def sign_in(self, svc: TimerService | None = None, token: str = DEMO_TOKEN):
        return await (svc or self.svc).sign_in(self.client(token))

    async def wait_event(self, kind: type, timeout: float = 5.0) -> Any:
        """Wait (on an asyncio.Event, no sleeping) until an event of ``kind`` arrived."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [e for e in self.events if isinstance(e, kind)]
            if found:
                return found[-1]
            self._event_flag = asyncio.Event()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no {kind.__name__} event; got {self.events!r}")
            try:
                await asyncio.wait_for(self._event_flag.wait(), remaining)
            except TimeoutError:
                pass

    async def synced(self, svc: TimerService | None = None, timeout: float = 10.0) -> None:
        ok = await (svc or self.svc).wait_until_synced(timeout)
        assert ok, f"not synced: {(svc or self.svc).pending_count} pending; events {self.events!r}"

    async def close(self) -> None:
        """Close ``svc`` and the clients (the app quits); closing again is harmless."""
        await self.svc.aclose()
        for client in self.clients:
            await client.aclose()


@contextlib.asynccontextmanager
async def service_harness(tmp_path: Path, *, signed_in: bool = True, clock: FakeClock | None = None,
                          state: EmulatorState | None = None, **service_kwargs: Any) -> AsyncIterator[Harness]:
    """A :class:`Harness`, signed in with the demo token unless ``signed_in=False``; on the way out
    every service it made and every client are closed, whatever happened."""
    h = Harness(tmp_path, clock=clock, state=state, **service_kwargs)
    try:
        if signed_in:
            await h.sign_in()
        yield h
    finally:
        for svc in h.services[1:]:
            await svc.aclose()
        await h.close()


def at_jst(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, JST)
