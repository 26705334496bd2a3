"""The timer service against the emulator over loopback HTTP (real sockets, uvicorn).

Faults here are real: a dropped connection is an aborted TCP socket, a stall
keeps the socket open (held on a :class:`LatencyGate` until the test lets it
go, so nothing here depends on how long anything takes). Each test asserts the
emulator's final state.
"""

from __future__ import annotations

import asyncio

import pytest

from timecrowd_tray.api.client import TimeCrowdClient
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.services import events as ev

from services.timer_harness import (
    FIXED_NOW,
    Harness,
    comments_on,
    emulator_task,
    entries_of_task,
    requests_to,
    run,
)
from support.clock import FakeClock
from support.latency import LatencyGate
from support.waiting import wait_until


@pytest.fixture
def served():
    clock = FakeClock(FIXED_NOW)
    state = EmulatorState.seeded(clock=clock)
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        yield clock, state, server


class LoopbackHarness(Harness):
    def __init__(self, tmp_path, clock, state, server, **kw):
        self.server = server
        super().__init__(tmp_path, clock=clock, state=state, **kw)

    def client(self, token: str = DEMO_TOKEN) -> TimeCrowdClient:
        client = TimeCrowdClient(self.server.url, token)
        self.clients.append(client)
        return client


def test_full_day_over_loopback_with_every_fault(tmp_path, served, monkeypatch):
    clock, state, server = served
    gate = LatencyGate.install(monkeypatch)  # a stalled request is held until gate.release()

    async def main():
        h = LoopbackHarness(tmp_path, clock, state, server)
        try:
            await h.sign_in()
            a, b, c = (emulator_task(state, t) for t in ("Code review", "1on1", "資料作成"))
            me = h.me
            # 1. a start whose connection is dropped (not applied): sent again once, after checking
            state.faults.drop_next(1)
            t_a = clock()
            h.svc.start(a)
            await h.synced()
            e_a = state.running_entry(me)
            assert e_a["task_id"] == a.id and e_a["started_at"] == int(t_a)
            # 2. a switch answered with a truncated body (applied): adopted, not repeated
            clock.advance(1500)
            state.faults.malformed_next(2)
            t_b = clock()
            stopped = h.svc.start(b)
            h.svc.comment(stopped.ref, "レビュー済み ✅")
            await h.synced()
            assert state.entry(e_a["id"])["stopped_at"] == int(t_b)
            assert [x["content"] for x in comments_on(state, e_a["id"])] == ["レビュー済み ✅"]
            e_b = state.running_entry(me)
            assert e_b["task_id"] == b.id and e_b["started_at"] == int(t_b)
            # 3. a 503 burst then a 429 with Retry-After: 1
            clock.advance(900)
            state.faults.fail_next(503, count=3)
            state.faults.fail_next(429, count=1, retry_after=1)
            t_c = clock()
            h.svc.start(c)
            clock.advance(45)  # the server comes back 45 s after the click
            await h.synced()
            assert state.entry(e_b["id"])["stopped_at"] == int(t_c)
            e_c = state.running_entry(me)
            assert e_c["task_id"] == c.id and e_c["started_at"] == int(t_c)
            # 4. the stop stalls on the wire (its socket open): the loop keeps running meanwhile
            clock.advance(600)
            state.faults.latency = 0.3
            t_stop = clock()
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.001)

            ticking = asyncio.ensure_future(ticker())
            try:
                stops_before = len(requests_to(state, "PATCH", "/stop"))
                h.svc.stop()
                # the stop reached the server, where it stalls (with the refreshes sent alongside it)
                await wait_until(lambda: len(requests_to(state, "PATCH", "/stop")) > stops_before)
                marker = ticks
                await wait_until(lambda: ticks > marker + 5)  # the service's loop keeps ticking ...
                assert h.svc.pending_count == 1  # ... while the stop is still stalled
                assert state.entry(e_c["id"])["stopped_at"] is None
                state.faults.latency = 0
                gate.release()
                await h.synced()
            finally:
                ticking.cancel()
            assert gate.delays and set(gate.delays) == {0.3}  # only what was sent during the stall
            assert state.entry(e_c["id"])["stopped_at"] == int(t_stop)
            # no duplicates anywhere: one entry per task since the test began
            for task in (a, b, c):
                assert len([e for e in entries_of_task(state, me, task.id) if e["id"] >= e_a["id"]]) == 1
            # a: the dropped POST was not applied, so sent again; b: applied, answer lost, adopted
            starts = [r[1] for r in requests_to(state, "POST", "/start")]
            assert [starts.count(f"/api/v1/teams/{t.team_id}/tasks/{t.id}/start") for t in (a, b, c)] == [2, 1, 1]
            assert h.svc.state.phase is Phase.IDLE and not h.svc.state.offline
        finally:
            await h.close()

    run(main, timeout=30)


def test_revoked_token_over_loopback(tmp_path, served):
    clock, state, server = served

    async def main():
        h = LoopbackHarness(tmp_path, clock, state, server)
        try:
            await h.sign_in()
            state.revoke_token(DEMO_TOKEN)
            clock.advance(10)
            h.svc.start(emulator_task(state, "1on1"))
            await h.wait_event(ev.SignedOut)
            n = len(state.requests)
            h.svc.notify_network_changed(True)
            await h.svc.refresh()
            assert len(state.requests) == n
            assert h.svc.state.phase is Phase.SIGNED_OUT and h.svc.pending_count == 1
            assert state.running_entry(h.me) is None
        finally:
            await h.close()

    run(main)


def test_network_back_replays_at_once_despite_a_long_backoff(tmp_path, served):
    clock, state, server = served

    async def main():
        h = LoopbackHarness(tmp_path, clock, state, server, retry_base=60.0)
        try:
            await h.sign_in()
            state.faults.fail_next(503, count=1)
            t = clock()
            h.svc.start(emulator_task(state, "1on1"))
            await h.wait_event(ev.WentOffline)
            assert not await h.svc.wait_until_synced(0.1)  # waiting out a 60 s backoff
            clock.advance(30)
            h.svc.notify_network_changed(True)
            await h.synced(timeout=5)
            assert state.running_entry(h.me)["started_at"] == int(t)
        finally:
            await h.close()

    run(main)


def test_resume_from_sleep_polls_and_sees_changes_made_meanwhile(tmp_path, served):
    clock, state, server = served

    async def main():
        h = LoopbackHarness(tmp_path, clock, state, server, poll_interval=3600, resume_check_interval=0.01)
        try:
            await h.sign_in()
            task = emulator_task(state, "Code review")
            state.start_task(h.me, task.team_id, task.id)  # on the phone, while the laptop sleeps
            clock.advance(6 * 3600)
            started = await h.wait_event(ev.StartedElsewhere)
            assert started.entry.task.id == task.id and h.svc.state.phase is Phase.RUNNING
        finally:
            await h.close()

    run(main)
