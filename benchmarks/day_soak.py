"""An all-day soak of the timer service: memory, file descriptors and threads after a day's work.

    make day-soak                                   # = .venv/bin/python benchmarks/day_soak.py
    .venv/bin/python benchmarks/day_soak.py [--cycles 1000] [--polls 1440] [--tracemalloc]

Not a test (``tests/test_benchmarks_smoke.py`` runs a short one without judging it). The real
:class:`~timecrowd_tray.services.timer_service.TimerService` with its real client (httpx over
loopback, the outbox in SQLite on disk, the caches) against the TimeCrowd emulator **in its own
process** (so the server's growing day of entries is not counted here), both on one simulated
clock shared through shared memory: a day of 24 hours passes over the run, midnight included.

Each cycle is a start of one of the recent tasks, a stop, and a comment on the stopped entry,
each sent and confirmed (``wait_until_synced``); the day's polls (default 1,440: one a minute
for 24 hours) are spread over the cycles (``refresh()``: the poll the poller runs). Readings of
this process, each after ``gc.collect()`` and glibc's ``malloc_trim(0)`` (freed memory given
back, so what stays is what is still held): VmRSS, the open descriptors (``/proc/self/fd``) and
the threads, at the start, after the warm-up (the first tenth of the cycles, at least 50 or half
of a short run: the connection pool, the caches and the allocator's arenas fill up) and at the end.

The baseline is the same loop, the same readings, with a no-op in place of the service's work,
run first in the same process: what the readings move by themselves.

Exits 1 when the RSS grew by 2 MiB or more after the warm-up (issue #16), or when descriptors or
threads grew past the warm-up's count plus the client's pool (4 connections).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import multiprocessing
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "desktop") not in sys.path:
    sys.path.insert(0, str(ROOT / "desktop"))

BUDGET_GROWTH_MIB = 2.0
POOL_SLACK = 4            # the client's max_connections: sockets it may open on its own
DAY_S = 24 * 3600.0
START = 1_760_000_000.0   # a fixed simulated morning (2025-10-09 08:53 UTC); only its passing matters


# -- the emulator in its own process, on the shared clock --------------------------------------------


def _serve(now: Any, ready: Any, stop: Any) -> None:  # the child's body (spawned: importable by name)
    from timecrowd_tray.emulator import EmulatorServer, EmulatorState

    state = EmulatorState.seeded(clock=lambda: now.value)
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        ready.put(server.url)
        stop.wait()


class SharedClock:
    """The simulated wall clock, one double in shared memory, read by both processes."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def __call__(self) -> float:
        return float(self._value.value)

    def advance(self, seconds: float) -> None:
        self._value.value += seconds


class EmulatorProcess:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # nothing of this process (threads, sockets) goes along
        self.now = ctx.Value("d", START, lock=False)
        self.clock = SharedClock(self.now)
        ready = ctx.Queue()
        self._stop = ctx.Event()
        self.proc = ctx.Process(target=_serve, args=(self.now, ready, self._stop), daemon=True)
        self.proc.start()
        self.url: str = ready.get(timeout=60)

    def close(self) -> None:
        self._stop.set()
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=10)


# -- readings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    rss_mib: float
    fds: int
    threads: int


def _trim() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the RSS keeps what the allocator holds
        pass


def reading() -> Reading:
    gc.collect()
    _trim()
    rss_kb = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kb = int(line.split()[1])
    threads = len(os.listdir("/proc/self/task"))  # every thread, not only Python's
    return Reading(rss_kb / 1024, len(os.listdir("/proc/self/fd")), threads)


@dataclass
class Run:
    name: str
    start: Reading
    warm: Reading
    end: Reading
    cycles: int
    polls: int
    seconds: float
    held: list[Any]  # with --tracemalloc: where the memory held after the warm-up grew most

    @property
    def growth(self) -> float:
        return self.end.rss_mib - self.warm.rss_mib


# -- the loops --------------------------------------------------------------------------------------


def polls_in(cycle: int, cycles: int, polls: int) -> int:
    """How many of the day's ``polls`` fall in ``cycle`` (spread evenly, all of them in all)."""
    return (cycle + 1) * polls // cycles - cycle * polls // cycles


async def day(work: Callable[[int], Awaitable[None]], poll: Callable[[], Awaitable[None]], *, name: str,
              cycles: int, polls: int, warm_up: int) -> Run:
    t0 = time.monotonic()
    start = reading()
    warm = start
    warm_snapshot = None
    done_polls = 0
    for cycle in range(cycles):
        await work(cycle)
        for _ in range(polls_in(cycle, cycles, polls)):
            await poll()
            done_polls += 1
        if cycle + 1 == warm_up:
            warm = reading()
            warm_snapshot = tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None
    end = reading()
    held = tracemalloc.take_snapshot().compare_to(warm_snapshot, "lineno")[:15] if warm_snapshot else []
    return Run(name, start, warm, end, cycles, done_polls, time.monotonic() - t0, held)


async def soak(cycles: int, polls: int, warm_up: int, data: Path) -> Run:
    from timecrowd_tray.api.client import TimeCrowdClient
    from timecrowd_tray.emulator import DEMO_TOKEN
    from timecrowd_tray.services.timer_service import TimerService

    emulator = EmulatorProcess()
    clock = emulator.clock
    step = DAY_S / cycles / 3  # start -> stop -> comment -> the next start: a day over the run
    service = TimerService(data / "data", clock=clock, monotonic=clock, poll_interval=3600.0,
                           resume_check_interval=3600.0)
    client = TimeCrowdClient(emulator.url, DEMO_TOKEN)
    try:
        await service.sign_in(client)
        tasks = service.recent_tasks[:5]
        if not tasks:
            raise RuntimeError("the emulator's demo account has no recent tasks")

        async def synced() -> None:
            if not await service.wait_until_synced(30):
                raise RuntimeError(f"not sent after 30 s: {service.pending_count} pending, {service.state}")

        async def work(cycle: int) -> None:
            if not service.request_start(tasks[cycle % len(tasks)]).recorded:
                raise RuntimeError(f"cycle {cycle}: the start was not recorded: {service.state}")
            await synced()
            clock.advance(step)
            stopped = service.stop()
            if stopped is None:
                raise RuntimeError(f"cycle {cycle}: nothing to stop: {service.state}")
            await synced()
            clock.advance(step)
            if not service.comment(stopped.ref, f"cycle {cycle}: レビュー ✅"):
                raise RuntimeError(f"cycle {cycle}: the comment was not recorded")
            await synced()
            clock.advance(step)

        async def poll() -> None:
            if not await service.refresh():
                raise RuntimeError(f"a poll was not answered: {service.state}")

        return await day(work, poll, name="timer service", cycles=cycles, polls=polls, warm_up=warm_up)
    finally:
        await service.aclose()
        await client.aclose()
        emulator.close()


async def baseline(cycles: int, polls: int, warm_up: int) -> Run:
    async def nothing(*_: Any) -> None:
        await asyncio.sleep(0)

    return await day(nothing, nothing, name="baseline (no-op)", cycles=cycles, polls=polls, warm_up=warm_up)


# -- main -------------------------------------------------------------------------------------------


def verdicts(run: Run) -> list[str]:
    """What missed the budget (empty: all within)."""
    misses = []
    if run.growth >= BUDGET_GROWTH_MIB:
        misses.append(f"RSS grew {run.growth:.2f} MiB after the warm-up (budget < {BUDGET_GROWTH_MIB:g})")
    if run.end.fds > run.warm.fds + POOL_SLACK:
        misses.append(f"open descriptors {run.warm.fds} -> {run.end.fds}")
    if run.end.threads > run.warm.threads:
        misses.append(f"threads {run.warm.threads} -> {run.end.threads}")
    return misses


def print_runs(runs: list[Run], out: Callable[[str], None] = print) -> None:
    out(f"{'':22} {'start':>22} {'after warm-up':>22} {'end':>22} {'growth after warm-up':>22}")
    for r in runs:
        cells = [f"{x.rss_mib:6.1f} MiB {x.fds:3d} fd {x.threads:2d} th" for x in (r.start, r.warm, r.end)]
        out(f"{r.name:22} {cells[0]:>22} {cells[1]:>22} {cells[2]:>22} "
            f"{r.growth:+8.2f} MiB {r.end.fds - r.warm.fds:+3d} fd {r.end.threads - r.warm.threads:+2d} th")
    for r in runs:
        out(f"{r.name}: {r.cycles} start/stop/comment cycles, {r.polls} polls, {r.seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="See the module's docstring for what is measured.")
    parser.add_argument("--cycles", type=int, default=1000, help="start/stop/comment cycles (default 1000)")
    parser.add_argument("--polls", type=int, default=1440, help="polls over the day (default 1440)")
    parser.add_argument("--tracemalloc", action="store_true", help="print where the memory grew (slow)")
    args = parser.parse_args(argv)
    if args.cycles < 1 or args.polls < 0:
        parser.error("--cycles must be at least 1 and --polls not negative")
    warm_up = max(min(50, args.cycles // 2), args.cycles // 10, 1)
    base = asyncio.run(baseline(args.cycles, args.polls, warm_up))
    if args.tracemalloc:
        tracemalloc.start(10)
    with tempfile.TemporaryDirectory(prefix="tct-day-") as tmp:
        run = asyncio.run(soak(args.cycles, args.polls, warm_up, Path(tmp)))
    tracemalloc.stop()
    print(f"Day soak: the timer service against the emulator (own process), {args.cycles} cycles, "
          f"{args.polls} polls, a simulated day; readings after gc + malloc_trim")
    print_runs([run, base])
    if run.held:
        print("where the memory held grew after the warm-up (tracemalloc):")
        for stat in run.held:
            print(f"  {stat}")
    misses = verdicts(run)
    for miss in misses:
        print(f"MISS: {miss}")
    if not misses:
        print(f"pass: growth {run.growth:+.2f} MiB after the warm-up (budget < {BUDGET_GROWTH_MIB:g} MiB), "
              f"descriptors and threads back where the warm-up left them")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
