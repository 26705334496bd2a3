"""Polling: jitter, backoff, Retry-After, coalescing, resume detection (no network)."""

from __future__ import annotations

import asyncio

import pytest

from timecrowd_tray.services.poller import (
    ERROR_CAP,
    Poller,
    PollResult,
    ResumeDetector,
    backoff_delay,
    jittered,
    wait_event,
)

from services.timer_harness import run
from support.clock import FakeClock


def test_jitter_is_ten_percent_either_way():
    assert jittered(30, lambda: 0.0) == pytest.approx(27.0)
    assert jittered(30, lambda: 0.5) == pytest.approx(30.0)
    assert jittered(30, lambda: 0.999999) == pytest.approx(33.0, abs=1e-3)


def test_backoff_doubles_and_caps_at_five_minutes():
    mid = lambda: 0.5  # noqa: E731  no jitter
    assert [backoff_delay(n, None, mid) for n in range(1, 8)] == [5, 10, 20, 40, 80, 160, 300]
    assert backoff_delay(50, None, mid) == ERROR_CAP
    assert backoff_delay(50, None, lambda: 0.999) <= ERROR_CAP  # jitter never exceeds the cap


def test_backoff_honours_retry_after():
    mid = lambda: 0.5  # noqa: E731
    assert backoff_delay(1, 120, mid) == 120
    assert backoff_delay(7, 10, mid) == 300  # never shorter than the backoff
    assert backoff_delay(1, 10 ** 9, mid) == 3600  # absurd values are capped
    assert backoff_delay(1, 0, mid) == 5


def test_resume_detector():
    wall, mono = FakeClock(1000.0), FakeClock(50.0)
    d = ResumeDetector(wall, mono)
    wall.advance(5); mono.advance(5)
    assert not d.check()
    wall.advance(3600); mono.advance(5)  # suspended for an hour
    assert d.check()
    assert not d.check()
    wall.advance(-30); mono.advance(5)  # clock set back: not a resume
    assert not d.check()


class FakePoll:
    def __init__(self, results=None, gate: asyncio.Event | None = None):
        self.results = list(results or [])
        self.calls = 0
        self.gate = gate
        self.called = asyncio.Event()
        self.active = 0
        self.max_active = 0

    async def __call__(self) -> PollResult:
        self.calls += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        self.called.set()
        try:
            if self.gate is not None:
                await self.gate.wait()
            return self.results.pop(0) if self.results else PollResult(True)
        finally:
            self.active -= 1


def test_poll_now_coalesces_concurrent_calls():
    async def main():
        gate = asyncio.Event()
        poll = FakePoll(gate=gate)
        poller = Poller(poll, rng=lambda: 0.5)
        calls = [asyncio.ensure_future(poller.poll_now()) for _ in range(5)]
        await poll.called.wait()
        assert poller.in_flight
        gate.set()
        results = await asyncio.gather(*calls)
        assert all(r.ok for r in results) and poll.calls == 1 and poll.max_active == 1

    run(main)


def test_schedule_after_success_and_failures():
    async def main():
        mono = FakeClock(100.0)
        poll = FakePoll([PollResult(False), PollResult(False), PollResult(False, retry_after=60), PollResult(True)])
        poller = Poller(poll, rng=lambda: 0.5, mono=mono, interval=30)
        await poller.poll_now()
        assert poller.failures == 1 and poller.next_due == 105
        await poller.poll_now()
        assert poller.next_due == 110
        await poller.poll_now()
        assert poller.failures == 3 and poller.next_due == 160  # Retry-After beats 20 s
        await poller.poll_now()
        assert poller.failures == 0 and poller.next_due == 130 and poller.last_success == 100
        poller.set_interval(60)
        assert poller.next_due == 160

    run(main)


def test_loop_polls_on_wake_and_never_overlaps():
    async def main():
        poll = FakePoll()
        poller = Poller(poll, rng=lambda: 0.5, interval=3600)
        poller.start()
        try:
            await wait_event(poll.called, 2)
            assert poll.calls == 1  # started before any poll: polls at once
            poll.called.clear()
            poller.wake()
            assert await wait_event(poll.called, 2)
            assert poll.calls == 2 and poll.max_active == 1
        finally:
            await poller.stop()

    run(main)


def test_loop_polls_right_after_a_resume():
    async def main():
        wall = FakeClock(1_000_000.0)
        resumed = []
        poll = FakePoll()
        poller = Poller(poll, rng=lambda: 0.5, interval=3600, wall=wall, resume_check=0.01,
                        on_resume=lambda: resumed.append(True))
        poller.start()
        try:
            await wait_event(poll.called, 2)
            poll.called.clear()
            wall.advance(8 * 3600)  # the laptop slept over night
            assert await wait_event(poll.called, 2)
            assert resumed == [True] and poll.calls == 2
        finally:
            await poller.stop()

    run(main)


def test_stop_cancels_a_poll_in_flight():
    async def main():
        poll = FakePoll(gate=asyncio.Event())
        poller = Poller(poll, rng=lambda: 0.5)
        poller.start()
        await poll.called.wait()
        await poller.stop()
        assert not poller.in_flight

    run(main)


def test_wait_event():
    async def main():
        e = asyncio.Event()
        assert not await wait_event(e, 0.01)
        e.set()
        assert await wait_event(e, 0)

    run(main)


def test_retry_after_holds_wakes_until_it_is_over():
    async def main():
        mono = FakeClock(100.0)
        poll = FakePoll([PollResult(False, retry_after=120)])
        poller = Poller(poll, rng=lambda: 0.5, mono=mono)
        await poller.poll_now()
        assert poller.held and poller.next_due == 220
        poller.wake()
        poller.reset_backoff()
        assert not poller._requested and poller.next_due == 220  # the menu, the network: not before 220
        mono.advance(121)
        assert not poller.held
        poller.wake()
        assert poller._requested

    run(main)
