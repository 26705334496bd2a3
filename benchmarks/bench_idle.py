"""Wake-ups of the idle watcher (services/idle_watch.py) per minute, next to a naive idle poller (the baseline).

    .venv/bin/python benchmarks/bench_idle.py [--minutes 10] [--scale 60] [--markdown]

Time is compressed: one real second is ``--scale`` seconds of the watcher's clock
(its check interval and threshold shrink by the same factor, the idle time it
reads grows by it), so ten minutes of a working day take ten seconds. Every
timer callback the loop runs is counted (the watcher has no thread). Three
situations, each against the same baseline: a poller that asks the idle time
every second, as many trackers do.

* nothing tracked: the budget is 0 wake-ups a minute (signals only);
* tracking, the user at work (input every 30 s): at most 1 a minute;
* tracking, the user away: at most 1 a minute (and the return is seen at the next).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timecrowd_tray.core.models import Task  # noqa: E402
from timecrowd_tray.core.timer import Phase, TimerState  # noqa: E402
from timecrowd_tray.platform.idle.base import IdleSource  # noqa: E402
from timecrowd_tray.services.idle_watch import IdleWatch  # noqa: E402

from _common import Figure, print_table  # noqa: E402


class Clock:
    """The watcher's wall clock, ``scale`` times faster than the real one."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.t0 = time.monotonic()
        self.base = 1_761_022_800.0

    def __call__(self) -> float:
        return self.base + (time.monotonic() - self.t0) * self.scale


class User(IdleSource):
    """The idle time of a user who types every ``every`` seconds (None: who left)."""

    name = "bench"

    def __init__(self, clock: Clock, every: float | None) -> None:
        self.clock = clock
        self.every = every
        self.since = clock()

    async def idle_seconds(self) -> float:
        elapsed = self.clock() - self.since
        return elapsed % self.every if self.every else elapsed


class Service:
    def __init__(self, running: bool) -> None:
        task = Task(id=1, title="bench", team_id=1)
        self.state = TimerState(phase=Phase.RUNNING if running else Phase.IDLE, task=task if running else None,
                                entry_id=1 if running else None,
                                started_at=datetime.now(UTC) if running else None)

    def add_listener(self, callback: Any) -> Any:
        return lambda: None

    def request_stop_at(self, at: float) -> Any:
        return None

    def request_start(self, task: Any) -> Any:
        return None


def counting(loop: asyncio.AbstractEventLoop) -> list[int]:
    """Count every timer callback the loop runs from now on."""
    count = [0]
    call_at = loop.call_at

    def counted_call_at(when: float, callback: Any, *args: Any, **kw: Any) -> asyncio.TimerHandle:
        def run(*a: Any) -> Any:
            count[0] += 1
            return callback(*a)

        return call_at(when, run, *args, **kw)

    loop.call_at = counted_call_at  # type: ignore[method-assign]
    return count


async def watcher_run(running: bool, every: float | None, seconds: float, scale: float) -> float:
    loop = asyncio.get_running_loop()
    count = counting(loop)
    clock = Clock(scale)
    user = User(clock, every)

    async def source() -> IdleSource:
        return user

    watch = IdleWatch(Service(running), lambda: 10, idle_source=source, clock=clock, mono=lambda: clock() - 1e9,
                      interval=60.0 / scale)
    # the watcher's own delays are in its clock's seconds: shrink them to real ones
    schedule = watch._schedule
    watch._schedule = lambda delay: schedule(delay / scale)  # type: ignore[method-assign]
    await watch.start()
    await asyncio.sleep(seconds)
    await watch.aclose()
    loop.call_at = type(loop).call_at.__get__(loop)  # type: ignore[method-assign]
    own = 1  # the benchmark's own sleep above
    return (count[0] - own) / (seconds * scale / 60.0)


async def naive_run(seconds: float, scale: float) -> float:
    """The baseline: ask the idle time every second of the (compressed) clock."""
    loop = asyncio.get_running_loop()
    count = counting(loop)
    clock = Clock(scale)
    user = User(clock, 30.0)
    end = loop.time() + seconds
    while loop.time() < end:
        await user.idle_seconds()
        await asyncio.sleep(1.0 / scale)
    loop.call_at = type(loop).call_at.__get__(loop)  # type: ignore[method-assign]
    return count[0] / (seconds * scale / 60.0)


async def main_async(args: argparse.Namespace) -> list[Figure]:
    seconds = args.minutes * 60.0 / args.scale
    baseline = await naive_run(seconds, args.scale)
    figures = []
    for name, running, every, budget in (("not tracking", False, 30.0, 0.0),
                                         ("tracking, at work", True, 30.0, 1.0),
                                         ("tracking, away", True, None, 1.0)):
        rate = await watcher_run(running, every, seconds, args.scale)
        figures.append(Figure(f"idle watch: {name}", "wake-ups/min", [rate], [baseline], ("max", budget),
                              note="baseline: a 1 s idle poller"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="simulated minutes per situation")
    parser.add_argument("--scale", type=float, default=60.0, help="simulated seconds per real second")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    figures = asyncio.run(main_async(args))
    print_table(figures, markdown=args.markdown)
    return 0 if all(f.verdict() != "MISS" for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
