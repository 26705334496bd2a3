"""A stop made here while the away prompt waits (the tray, the shell, a switch): the question stays, truthfully.

The stopped entry still holds the away time; Discard then moves its end back to
when the user left, through the engine's edit path (the outbox: queued offline,
sent later). A stop made elsewhere (the web) is still said and never acted on.
"""

from __future__ import annotations

from timecrowd_tray.core.idle import Choice
from timecrowd_tray.services import events as ev

from services.idle_harness import away, watching_a_running_entry
from services.timer_harness import emulator_task, run, service_harness


def test_a_stop_here_keeps_the_question_and_discard_trims_the_stopped_entry(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            seen = []
            watch.add_listener(seen.append)
            left = await away(h, watch, source, 44 * 60)
            h.clock.advance(120)
            stopped_at = h.clock()
            assert h.svc.request_stop().recorded          # the tray's stop, the prompt unanswered
            pending = watch.pending
            assert pending is not None and pending.stopped_at == stopped_at and seen[-1] == pending
            assert watch.status()["stopped_at"] is not None
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(stopped_at)
            assert watch.answer(Choice.CONTINUE).code == "stopped_here" and watch.pending is not None
            answer = watch.answer(Choice.DISCARD)
            assert answer.code == "trimmed" and answer.at == left and answer.result.recorded
            assert watch.pending is None and seen[-1] is None
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            assert h.state.running_entry(h.me) is None
            await watch.aclose()

    run(main)


def test_a_switch_here_keeps_the_question_about_the_entry_it_ended(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            left = await away(h, watch, source, 30 * 60)
            other = emulator_task(h.state, "1on1")
            assert h.svc.request_start(other).recorded
            assert watch.pending is not None and watch.pending.stopped_at is not None
            assert watch.shown_time(h.clock()) == h.clock()   # the new entry counts from now
            h.state.faults.fail_next(503, count=4)          # the trim is made offline, sent later
            assert watch.answer(Choice.DISCARD).code == "trimmed"
            await h.wait_event(ev.WentOffline)
            h.clock.advance(600)
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            running = h.state.running_entry(h.me)
            assert running is not None and running["task_id"] == other.id
            await watch.aclose()

    run(main)


def test_keep_after_a_stop_here_changes_nothing(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            await away(h, watch, source, 30 * 60)
            h.svc.request_stop()
            await h.synced()
            stopped_at = h.state.entry(entry_id)["stopped_at"]
            assert watch.answer(Choice.KEEP).code == "kept" and watch.pending is None
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == stopped_at
            await watch.aclose()

    run(main)


def test_the_answer_own_stop_is_not_a_stop_here(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, _ = await watching_a_running_entry(h)
            await away(h, watch, source, 30 * 60)
            seen = []
            watch.add_listener(seen.append)
            assert watch.answer(Choice.CONTINUE).code == "continued"
            assert seen == [None] and watch.pending is None
            await watch.aclose()

    run(main)
