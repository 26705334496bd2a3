"""Defects of the issue "Nothing lost, nothing doubled, nothing claimed that did not happen":
each test here failed before its fix.

* an app started while the server is unreachable stays "loading": a toggle is queued, not refused;
* a queued start confirmed before the first poll leaves the timer running, not "loading";
* an offline start replayed after a restart does not adopt an older entry of the same task;
* a start the server held past the client's timeout, then executed, stays one entry;
* what an action became (:meth:`TimerService.outcome`): done, queued (with its time), refused.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx

from timecrowd_tray.api.client import TimeCrowdClient
from timecrowd_tray.api.errors import NetworkError, ValidationFailed
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer

from services.timer_harness import Harness, emulator_task, entries_of_task, requests_to, run, service_harness


async def _wait(predicate, timeout: float = 10.0) -> None:
    """Until ``predicate()`` holds (the emulator's sleeping request, the sender): bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def test_toggle_while_loading_offline_is_queued_and_sent_with_the_click_time(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            latest = h.svc.recent_tasks[0]
            await h.close()
            h.state.faults.fail_next(503, count=1000)  # the next start-up finds the server down
            svc = h.new_service(watch=True)
            await h.sign_in(svc)
            assert svc.state.phase is Phase.LOADING and svc.state.offline
            click = h.clock()
            result = svc.request_toggle()
            assert result.recorded and not result.refused and result.acted_at == click
            assert svc.state.phase is Phase.STARTING and svc.state.task.id == latest.id
            outcome = await svc.outcome(result, timeout=0.5)
            assert outcome.kind == "queued" and outcome.waiting_for == "network"
            h.clock.advance(90)
            h.state.faults.clear()
            svc.notify_network_changed(True)
            await h.synced(svc)
            running = h.state.running_entry(h.me)
            assert running["task_id"] == latest.id and running["started_at"] == int(click)
            assert (await svc.outcome(result, timeout=0)).kind == "done"

    run(main)


def test_a_start_confirmed_before_the_first_poll_is_running_not_loading(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "1on1")
            await h.close()
            h.state.faults.fail_next(503, count=1000)
            svc = h.new_service(watch=True, poll_interval=3600)
            await h.sign_in(svc)
            svc.request_start(task)
            h.state.faults.clear()
            svc._sender.wake()  # the sender retries now; no poll has answered yet
            await h.synced(svc)
            assert not svc.state.pending
            assert svc.state.phase is Phase.RUNNING and svc.state.task.id == task.id
            assert svc.request_toggle().stopped is not None  # a toggle now stops, not "still loading"

    run(main)


def test_an_offline_start_replayed_after_a_restart_does_not_adopt_an_older_entry(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "Code review")
            h.state.faults.fail_next(503, count=1000)
            click = h.clock()
            h.svc.request_start(task)
            await h.close()  # quit while offline: the start stays in the outbox
            # Meanwhile (the phone, say) the same task ran for a bit, starting 30 s before the click.
            older = h.state.add_entry(h.me, task.id, int(click) - 30, int(click) - 5)
            h.clock.advance(300)
            h.state.faults.clear()
            svc = h.new_service(watch=True)

            async def not_yet() -> None:  # the recent entries have not answered yet when the sender starts
                return None

            svc._recent.refresh = not_yet
            client = h.client()
            real_start = client.start_task
            starts = []

            async def first_one_lost(team_id, task_id):  # the connection drops before the server acts
                starts.append(task_id)
                if len(starts) == 1:
                    raise NetworkError("start: cannot reach the server (RemoteProtocolError)")
                return await real_start(team_id, task_id)

            client.start_task = first_one_lost
            await svc.sign_in(client)
            await h.synced(svc)
            mine = [e for e in entries_of_task(h.state, h.me, task.id) if e["id"] > older["id"]]
            assert len(starts) == 2 and len(mine) == 1 and mine[0]["started_at"] == int(click), mine
            assert h.state.entry(older["id"])["stopped_at"] == int(click) - 5  # left as it was

    run(main)


def test_a_start_held_past_the_timeout_then_executed_stays_one_entry(tmp_path):
    async def main():
        h = Harness(tmp_path, undecided_hold=600)
        loop = asyncio.get_running_loop()
        # Over a real socket: in-process, a client that gives up cancels the request with it.
        server = EmulatorServer(h.state, host="127.0.0.1", port=0)
        await loop.run_in_executor(None, server.start)
        fast = TimeCrowdClient(server.url, DEMO_TOKEN, timeout=httpx.Timeout(0.3))
        h.clients.append(fast)
        try:
            await h.svc.sign_in(fast)
            task = emulator_task(h.state, "Deploy to staging")
            before = len(entries_of_task(h.state, h.me, task.id))
            h.state.faults.latency = 1.0  # the server sits on the start, then does it anyway
            result = h.svc.request_start(task)
            await _wait(lambda: requests_to(h.state, "POST", f"/tasks/{task.id}/start"))
            h.state.faults.latency = 0.0  # the checks before a new attempt answer at once
            await _wait(lambda: len(entries_of_task(h.state, h.me, task.id)) > before, timeout=15)
            await h.synced(timeout=15)
            assert len(entries_of_task(h.state, h.me, task.id)) == before + 1
            assert len(requests_to(h.state, "POST", f"/tasks/{task.id}/start")) == 1
            assert (await h.svc.outcome(result, timeout=0)).kind == "done"
            assert h.svc.state.phase is Phase.RUNNING and h.svc.state.task.id == task.id
        finally:
            await h.close()
            await loop.run_in_executor(None, server.stop)

    run(main)


def test_a_timed_out_start_nobody_executed_is_sent_again_after_the_hold(tmp_path):
    async def main():
        async with service_harness(tmp_path, undecided_hold=120) as h:
            task = emulator_task(h.state, "Deploy to staging")
            before = len(entries_of_task(h.state, h.me, task.id))
            real = h.svc._client.start_task
            calls = []

            async def lost_in_transit(team_id, task_id):  # a timeout the server never acted on
                calls.append(task_id)
                if len(calls) == 1:
                    from timecrowd_tray.api.errors import ApiTimeout
                    raise ApiTimeout("start: the server did not answer in time")
                return await real(team_id, task_id)

            h.svc._client.start_task = lost_in_transit
            click = h.clock()
            h.svc.request_start(task)
            await _wait(lambda: h.svc._outbox.head(h.svc._account).attempts >= 2)
            assert len(calls) == 1  # undecided: not sent again while it could still land
            h.clock.advance(121)
            h.svc._sender.wake()
            await h.synced()
            assert len(calls) == 2
            entries = entries_of_task(h.state, h.me, task.id)
            newest = max(entries, key=lambda e: e["id"])
            assert len(entries) == before + 1 and newest["started_at"] == int(click)

    run(main)


def test_outcome_says_refused_with_the_servers_words(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.faults.fail_next(422)
            result = h.svc.request_start(emulator_task(h.state, "1on1"))
            outcome = await h.svc.outcome(result, timeout=5)
            assert outcome.kind == "refused" and outcome.reason

    run(main)


def test_a_write_the_disk_refused_is_refused_and_changes_nothing(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            before = h.svc.state

            def full(*_args, **_kw):
                raise sqlite3.OperationalError("database or disk is full")

            h.svc._outbox.add_many = full
            result = h.svc.request_start(emulator_task(h.state, "1on1"))
            assert result.refused and result.code == "storage" and not result.recorded
            assert h.svc.state.phase is before.phase and h.svc.state.task == before.task
            assert (await h.svc.outcome(result, timeout=0)).kind == "refused"

    run(main)


def test_a_check_refused_before_a_resend_does_not_drop_the_action(tmp_path):
    """Found by the fault soak: the stop's request was lost, the GET that checks the entry before
    sending it again got a 422, and the stop was dropped as "refused" (the app said it was not done)
    though nothing had refused the stop itself."""
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.request_start(emulator_task(h.state, "1on1"))
            await h.synced()
            entry_id = h.state.running_entry(h.me)["id"]
            click = h.clock()
            client = h.svc._client
            real_stop, real_get = client.stop_entry, client.time_entry
            calls = {"stop": 0, "get": 0}

            async def lost(entry):  # the PATCH .../stop never reaches the server
                calls["stop"] += 1
                if calls["stop"] == 1:
                    raise NetworkError("stop: cannot reach the server (RemoteProtocolError)")
                return await real_stop(entry)

            async def refused_once(entry):  # the check of the entry before sending it again
                calls["get"] += 1
                if calls["get"] == 1:
                    raise ValidationFailed("time entry: HTTP 422", messages=("Emulated error 422",))
                return await real_get(entry)

            client.stop_entry, client.time_entry = lost, refused_once
            result = h.svc.request_stop()
            await h.synced()
            assert (await h.svc.outcome(result, timeout=0)).kind == "done"
            assert h.state.entry(entry_id)["stopped_at"] == int(click)
            assert h.svc.state.phase is Phase.IDLE and not h.svc.state.offline

    run(main)
