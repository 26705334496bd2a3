"""Issue #14 in the service: a day's entries, add / edit / delete / backdated start through the outbox, with faults."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from timecrowd_tray.api import errors
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services.events import DayChanged

from services.timer_harness import JST, emulator_task, entries_of_task, requests_to, run, service_harness

DAY = date(2025, 10, 21)  # the harness's "now" is 14:00:00.5 JST that day


def jst(hour, minute=0, day=21):
    return datetime(2025, 10, day, hour, minute, tzinfo=JST)


async def _wait(predicate, timeout=10.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def fresh_task(h):
    """A task of mine with no entry yet (counting its entries counts what we made)."""
    task = emulator_task(h.state, "1on1")
    with h.state.lock:
        for entry in h.state.entries.values():
            if entry["task_id"] == task.id:
                entry["task_id"] = emulator_task(h.state, "朝会").id
    return task


def _row(load, entry_id):
    return next(e for e in load.entries if e.ref.entry_id == entry_id)


def test_load_day_reads_the_days_entries_of_me_oldest_first(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            load = await h.svc.load_day(DAY)
            assert load.complete and load.error is None
            assert [e.ref.entry_id for e in load.entries] == [1106, 1108]
            assert load.entries[0].started_at == jst(9, 56) and load.entries[0].server is not None
            assert [e.ref.entry_id for e in (await h.svc.load_day(date(2025, 10, 20))).entries][:2] == [1094, 1099]

    run(main)


def test_add_sends_the_users_times_and_comment(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            result = h.svc.request_add(task, jst(12, 30), jst(13, 15), "  notes  ")
            outcome = await h.svc.outcome(result, 5)
            assert outcome.kind == "done"
            [made] = entries_of_task(h.state, h.me, task.id)
            assert (made["started_at"], made["stopped_at"]) == (int(jst(12, 30).timestamp()),
                                                                int(jst(13, 15).timestamp()))
            assert made["input_type"] == "manual"
            assert h.state.comment_of(made)["content"] == "notes"
            assert isinstance(await h.wait_event(DayChanged), DayChanged)
            assert any(e.ref.entry_id == made["id"] for e in (await h.svc.load_day(DAY)).entries)

    run(main)


def test_times_that_break_a_rule_are_refused_before_anything_is_written(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            await h.svc.load_day(DAY)
            task = fresh_task(h)
            before = len(h.state.requests)
            cases = [((jst(13), jst(12)), "The end is before the start."),
                     ((jst(12), jst(12)), "The entry has no length: its end is its start."),
                     ((jst(13), jst(15)), "The end is in the future."),
                     ((jst(9, day=19), jst(10, day=20)), "An entry can't be longer than 24 hours.")]
            for (start, stop), message in cases:
                result = h.svc.request_add(task, start, stop)
                assert (result.code, result.refusal) == ("invalid_times", message)
            overlap = h.svc.request_add(task, jst(12), jst(12, 30))
            assert (overlap.code, overlap.refusal) == ("overlap", "This overlaps “Deploy to staging” (11:56–12:21).")
            assert h.svc._outbox.count(h.svc._account) == 0 and len(h.state.requests) == before
            insisted = h.svc.request_add(task, jst(12), jst(12, 30), allow_overlap=True)
            assert (await h.svc.outcome(insisted, 5)).kind == "done"

    run(main)


def test_an_entry_across_midnight_is_in_both_days_and_each_day_counts_its_part(tmp_path):
    from timecrowd_tray.core.day import day_totals

    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            result = h.svc.request_add(task, jst(23, 30, day=19), jst(1, day=20), allow_overlap=True)
            assert (await h.svc.outcome(result, 5)).kind == "done"
            [made] = entries_of_task(h.state, h.me, task.id)
            now = jst(14)
            for day, seconds in ((date(2025, 10, 19), 1800), (date(2025, 10, 20), 3600)):
                load = await h.svc.load_day(day)
                assert made["id"] in [e.ref.entry_id for e in load.entries], day
                totals = day_totals([e for e in load.entries if e.ref.entry_id == made["id"]], now=now, day=day)
                assert totals.total == seconds, day

    run(main)


def test_an_add_made_offline_is_shown_pending_and_sent_later_with_the_users_values(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            h.state.faults.fail_next(503, count=1000)
            result = h.svc.request_add(task, jst(12, 30), jst(13, 15), "offline")
            outcome = await h.svc.outcome(result, 5)
            assert outcome.kind == "queued" and outcome.waiting_for == "network"
            load = await h.svc.load_day(DAY)
            assert not load.complete and load.error
            added = [e for e in load.entries if e.pending == "add"]
            assert [(e.task.id, e.started_at, e.stopped_at, e.comment) for e in added] == \
                [(task.id, jst(12, 30), jst(13, 15), "offline")]
            assert [e.ref.entry_id for e in load.entries if e.pending is None] == [1106, 1108]  # known here
            [change] = h.svc.pending_changes()
            assert change.kind == "add" and change.summary == "Add “1on1” 12:30–13:15"
            assert change.why == "waiting for the network"
            h.state.faults.clear()
            h.svc.notify_network_changed(True)
            await h.synced()
            [made] = entries_of_task(h.state, h.me, task.id)
            assert made["started_at"] == int(jst(12, 30).timestamp())
            assert h.state.comment_of(made)["content"] == "offline"

    run(main)


def test_a_server_error_then_a_retry_sends_the_add_once(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            h.state.faults.fail_next(500, count=1)
            h.svc.request_add(task, jst(12, 30), jst(13, 15))
            await h.synced()
            assert len(entries_of_task(h.state, h.me, task.id)) == 1

    run(main)


def test_an_add_executed_but_not_answered_is_not_made_twice(tmp_path):
    async def main():
        async with service_harness(tmp_path, undecided_hold=600) as h:
            task = fresh_task(h)
            real = h.svc._client.create_entry_from_times
            calls = []

            async def executed_then_lost(*args):  # the server did it; its answer never came
                calls.append(args)
                await real(*args)
                raise errors.ApiTimeout("add entry: the server did not answer in time")

            h.svc._client.create_entry_from_times = executed_then_lost
            result = h.svc.request_add(task, jst(12, 30), jst(13, 15))
            await h.synced()
            assert len(calls) == 1 and len(entries_of_task(h.state, h.me, task.id)) == 1
            assert (await h.svc.outcome(result, 0)).kind == "done"

    run(main)


def test_a_restart_replays_what_an_earlier_run_queued(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            h.state.faults.fail_next(503, count=1000)
            h.svc.request_add(task, jst(12, 30), jst(13, 15))
            load = await h.svc.load_day(DAY)
            h.svc.request_delete(_row(load, 1108))
            await h.svc._halt()  # as after kill -9: nothing more from this run
            h.state.faults.clear()
            again = h.new_service()
            await h.sign_in(again)
            await h.synced(again)
            assert len(entries_of_task(h.state, h.me, task.id)) == 1
            assert h.state.entry(1108) is None

    run(main)


def test_an_edit_sends_only_the_changed_fields(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            other = emulator_task(h.state, "Code review")
            result = h.svc.request_edit(entry, stopped_at=jst(12, 40), task=other, comment="reviewed")
            assert (await h.svc.outcome(result, 5)).kind == "done"
            stored = h.state.entry(1108)
            assert stored["stopped_at"] == int(jst(12, 40).timestamp()) and stored["task_id"] == other.id
            assert stored["started_at"] == int(jst(11, 56).timestamp())
            assert h.state.comment_of(stored)["content"] == "reviewed"
            patch = requests_to(h.state, "PATCH", "/api/v1/time_entries/1108")[-1]
            assert patch[2] == {"time_entry": {"stopped_at": str(int(jst(12, 40).timestamp())),
                                               "time_trackable_id": str(other.id)}}

    run(main)


def test_an_edit_that_leaves_no_length_is_refused_before_anything_is_sent(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            before = len(h.state.requests)
            result = h.svc.request_edit(entry, stopped_at=entry.started_at)
            assert (result.code, result.refusal) == ("invalid_times", "The entry has no length: its end is its start.")
            moved = h.svc.request_edit(entry, started_at=entry.stopped_at)
            assert moved.code == "invalid_times"
            assert h.svc._outbox.count(h.svc._account) == 0 and len(h.state.requests) == before

    run(main)


def test_a_change_made_elsewhere_meanwhile_is_a_conflict_not_overwritten(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            h.state.faults.fail_next(503, count=1000)
            result = h.svc.request_edit(entry, stopped_at=jst(12, 45))
            assert (await h.svc.outcome(result, 1)).kind == "queued"
            h.state.update_entry(h.me, 1108, {"stopped_at": int(jst(12, 30).timestamp())})  # on the web
            h.state.faults.clear()
            h.svc.notify_network_changed(True)
            await h.synced()
            outcome = await h.svc.outcome(result, 0)
            assert outcome.kind == "refused" and outcome.code == "conflict" and "its end" in outcome.reason
            assert h.state.entry(1108)["stopped_at"] == int(jst(12, 30).timestamp())
            assert h.svc.pending_count == 0

    run(main)


def test_an_entry_deleted_elsewhere_is_not_found(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            h.state.delete_entry(h.me, 1108)
            outcome = await h.svc.outcome(h.svc.request_edit(entry, comment="late"), 5)
            assert outcome.kind == "refused" and outcome.code == "not_found"

    run(main)


def test_a_servers_refusal_is_shown_verbatim_and_the_entry_left_as_the_server_has_it(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)

            async def refuse(*args, **kwargs):
                raise errors.ValidationFailed("update times: HTTP 422",
                                              messages=("開始時刻は終了時刻より前にしてください",))

            h.svc._client.update_entry_times = refuse
            outcome = await h.svc.outcome(h.svc.request_edit(entry, started_at=jst(12)), 5)
            assert outcome.kind == "refused" and outcome.reason == "開始時刻は終了時刻より前にしてください"
            assert h.state.entry(1108)["started_at"] == int(jst(11, 56).timestamp())
            assert _row(await h.svc.load_day(DAY), 1108).started_at == jst(11, 56)

    run(main)


def test_delete_online_and_offline(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            load = await h.svc.load_day(DAY)
            assert (await h.svc.outcome(h.svc.request_delete(_row(load, 1108)), 5)).kind == "done"
            assert h.state.entry(1108) is None
            h.state.faults.fail_next(503, count=1000)
            result = h.svc.request_delete(_row(load, 1106))
            assert (await h.svc.outcome(result, 1)).kind == "queued"
            marked = await h.svc.load_day(DAY)
            assert [e.pending for e in marked.entries if e.ref.entry_id == 1106] == ["delete"]
            assert h.svc.pending_changes()[0].summary == "Delete “Release 2.4 準備”"

    run(main)


def test_a_backdated_start_stops_what_runs_then_and_starts_at_that_time(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            first = fresh_task(h)
            assert (await h.svc.outcome(h.svc.request_start(first, at=jst(13, 0)), 5)).kind == "done"
            [one] = entries_of_task(h.state, h.me, first.id)
            assert one["started_at"] == int(jst(13).timestamp()) and one["stopped_at"] is None
            second = emulator_task(h.state, "Code review")
            refused = h.svc.request_start(second, at=jst(12, 50))
            assert refused.code == "invalid_times" and "1on1" in refused.refusal
            result = h.svc.request_start(second, at=jst(13, 40))
            assert h.svc.state.started_at == jst(13, 40)  # shown at once with the time asked
            assert (await h.svc.outcome(result, 5)).kind == "done"
            assert h.state.entry(one["id"])["stopped_at"] == int(jst(13, 40).timestamp())
            two = max(entries_of_task(h.state, h.me, second.id), key=lambda e: e["id"])
            assert two["started_at"] == int(jst(13, 40).timestamp())
            assert h.svc.request_start(emulator_task(h.state, "朝会"), at=jst(15)).code == "invalid_times"

    run(main)


def test_the_running_entrys_start_and_comment_can_be_edited(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = fresh_task(h)
            await h.svc.outcome(h.svc.request_start(task), 5)
            running = [e for e in (await h.svc.load_day(DAY)).entries if e.is_running]
            assert len(running) == 1
            result = h.svc.request_edit(running[0], started_at=jst(13, 40), comment="planning")
            assert h.svc.state.started_at == jst(13, 40)  # "I started 20 minutes ago", at once
            assert (await h.svc.outcome(result, 5)).kind == "done"
            stored = h.state.entry(running[0].ref.entry_id)
            assert stored["started_at"] == int(jst(13, 40).timestamp()) and stored["stopped_at"] is None
            assert h.svc.state.phase is Phase.RUNNING and h.svc.state.started_at == jst(13, 40)
            assert h.svc.state.comment == "planning"

    run(main)


def test_problem_text_names_the_other_entry(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")  # the machine's zone, used while the account's is not known
    time.tzset()
    from timecrowd_tray.core.entry_rules import EntryProblem
    from timecrowd_tray.core.models import Task, TimeEntry
    from timecrowd_tray.services.timer_service import TimerService

    other = TimeEntry(1, Task(1, "Docs", 3), jst(9), jst(10))
    service = TimerService.__new__(TimerService)  # problem_text needs no outbox
    from timecrowd_tray.services.entry_actions import EntryActions
    service._entry_actions = EntryActions(service, None, None, clock=lambda: 0.0)  # type: ignore[arg-type]
    service._user = None
    text = service.problem_text(EntryProblem("overlap", False, other))
    assert text == "This overlaps “Docs” (00:00–01:00)."  # the machine's zone when the user is not known
    monkeypatch.undo()
    time.tzset()
