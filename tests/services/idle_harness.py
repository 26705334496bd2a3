"""The idle watcher's test harness: a fake idle source, the watcher over a service harness, a user away."""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from timecrowd_tray.platform.idle.base import IdleSource
from timecrowd_tray.services.idle_watch import IdleWatch

from services.timer_harness import emulator_task

TOKYO = ZoneInfo("Asia/Tokyo")  # the emulator's demo account


@pytest.fixture
def machine_in_utc():
    """The computer's clock in UTC, the account's in Tokyo: every time must follow the account's."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def tokyo_clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, TOKYO).strftime("%H:%M")


class FakeIdle(IdleSource):
    name = "fake"

    def __init__(self) -> None:
        self.idle = 0.0

    async def idle_seconds(self) -> float:
        return self.idle


async def watching(h, minutes: float = 10, **kw) -> tuple[IdleWatch, FakeIdle]:
    source = FakeIdle()

    async def make() -> IdleSource:
        return source

    watch = IdleWatch(h.svc, lambda: minutes, idle_source=make, clock=h.clock, mono=lambda: h.clock() - 1e9,
                      **kw)
    await watch.start()
    return watch, source


async def away(h, watch: IdleWatch, source: FakeIdle, seconds: float) -> float:
    """The user leaves now, is away ``seconds`` (checks see the idle time grow), then moves the mouse."""
    left = h.clock()
    h.clock.advance(seconds)
    source.idle = seconds
    await watch.check()
    h.clock.advance(5)
    source.idle = 2.0
    await watch.check()
    return left


async def watching_a_running_entry(h, title: str = "Code review") -> tuple[IdleWatch, FakeIdle, int]:
    """``title`` timed and on the server, then the watcher over it (checks made by hand); and the entry's id."""
    h.svc.start(emulator_task(h.state, title))
    await h.synced()
    entry_id = h.svc.state.entry_id
    watch, source = await watching(h, interval=3600)
    return watch, source, entry_id
