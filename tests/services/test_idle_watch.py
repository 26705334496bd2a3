"""The idle watcher over the real service and the emulator: away, back, the answer, the server's entry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from timecrowd_tray.core.idle import Choice
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.platform.idle.base import PresenceEvent, PresenceKind
from timecrowd_tray.services import events as ev

from services.idle_harness import (  # noqa: F401 - machine_in_utc: a fixture
    TOKYO,
    away,
    machine_in_utc,
    tokyo_clock,
    watching,
    watching_a_running_entry,
)
from services.timer_harness import emulator_task, run, service_harness


def test_no_timer_while_nothing_is_tracked_one_while_tracking(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, _ = await watching(h, interval=3600)
            assert watch._timer is None
            h.svc.start(emulator_task(h.state, "Code review"))
            assert watch._timer is not None
            h.svc.stop()
            assert watch._timer is None and watch.wakeups == 0
            await watch.aclose()

    run(main)


def test_idle_then_back_then_discard_ends_the_server_entry_when_they_left(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "Code review"))
            await h.synced()
            entry_id = h.svc.state.entry_id
            h.clock.advance(1200)
            watch, source = await watching(h, interval=3600)
            seen = []
            watch.add_listener(seen.append)
            left = await away(h, watch, source, 44 * 60)
            pending = watch.pending
            assert pending is not None and pending.left_at == left and seen[-1] == pending
            assert watch.status() is not None and watch.status()["seconds"] == 44 * 60 + 3
            assert watch.shown_time(h.clock()) == left
            answer = watch.answer(Choice.DISCARD)
            assert answer.code == "stopped" and answer.at == left
            assert watch.pending is None and seen[-1] is None
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            await watch.aclose()

    run(main)


def test_discard_made_offline_is_sent_later_with_the_time_they_left(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            left = await away(h, watch, source, 30 * 60)
            h.state.faults.fail_next(503, count=4)
            assert watch.answer("continue").code == "continued"
            await h.wait_event(ev.WentOffline)
            h.clock.advance(600)
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            running = h.state.running_entry(h.me)
            assert running is not None and running["task_id"] == h.state.entry(entry_id)["task_id"]
            assert len([e for e in h.state.entries_of(h.me) if e["stopped_at"] is None]) == 1
            await watch.aclose()

    run(main)


def test_an_entry_stopped_elsewhere_meanwhile_is_not_touched(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            await away(h, watch, source, 30 * 60)
            h.state.stop_entry(h.me, entry_id)  # stopped on the web meanwhile
            await h.svc.refresh()
            await h.synced()
            stopped_at = h.state.entry(entry_id)["stopped_at"]
            assert h.svc.state.phase is Phase.IDLE
            answer = watch.answer(Choice.DISCARD)
            assert answer.refused and answer.code == "stopped_elsewhere" and watch.pending is None
            assert h.state.entry(entry_id)["stopped_at"] == stopped_at
            await watch.aclose()

    run(main)


def test_stop_at_a_typed_time_and_a_bad_one(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, _ = await watching_a_running_entry(h)
            await away(h, watch, source, 30 * 60)
            assert watch.answer(Choice.STOP_AT, "later").code == "bad_time" and watch.pending is not None
            assert watch.answer(Choice.KEEP).code == "kept" and h.svc.state.is_running
            await watch.aclose()

    run(main)


def test_sleep_from_logind_then_input_after_the_wake_asks(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, _ = await watching_a_running_entry(h)
            slept = h.clock()
            watch._on_presence(PresenceEvent(PresenceKind.SLEEP, slept))
            h.clock.advance(20 * 60)
            watch._on_presence(PresenceEvent(PresenceKind.WAKE, h.clock()))
            source.idle = 30.0          # the last input counted is before the wake: not back yet
            await watch.check()
            assert watch.pending is None and watch.state.away
            h.clock.advance(10)
            source.idle = 1.0
            await watch.check()
            assert watch.pending is not None and watch.pending.left_at == slept
            await watch.aclose()

    run(main)


def test_lock_then_unlock_asks_with_the_time_input_stopped(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, _ = await watching_a_running_entry(h)
            h.clock.advance(300)
            source.idle = 300.0
            watch._on_presence(PresenceEvent(PresenceKind.LOCK, h.clock()))
            await watch._left_before(h.clock())
            left = h.clock() - 300
            h.clock.advance(3600)
            watch._on_presence(PresenceEvent(PresenceKind.UNLOCK, h.clock()))
            assert watch.pending is not None and watch.pending.left_at == left
            await watch.aclose()

    run(main)


def test_a_discard_kept_offline_survives_a_crash_and_is_sent_once_with_the_time_they_left(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            left = await away(h, watch, source, 30 * 60)
            h.state.faults.fail_next(503, count=1000)
            assert watch.answer(Choice.DISCARD).code == "stopped"
            await h.wait_event(ev.WentOffline)
            await watch.aclose()
            # the app is killed: its work stops where it is (nothing flushed, nothing closed);
            # a new one starts on the same files
            await h.svc._halt()
            h.state.faults.clear()
            h.clock.advance(3600)
            again = h.new_service()
            await h.sign_in(again)
            await h.synced(again)
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            stops = [r for r in h.state.requests if r[0] == "PATCH" and r[1].endswith(f"/{entry_id}/stop")]
            assert len(stops) <= 1

    run(main)


@pytest.mark.usefixtures("machine_in_utc")
def test_a_typed_stop_time_is_read_in_the_accounts_zone_not_the_machines(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, entry_id = await watching_a_running_entry(h)
            left = await away(h, watch, source, 30 * 60)
            typed = tokyo_clock(left + 600)                  # 14:10 in Tokyo, 05:10 on this machine
            answer = watch.answer(Choice.STOP_AT, typed)
            assert answer.code == "stopped" and answer.at is not None
            assert datetime.fromtimestamp(answer.at, TOKYO).strftime("%H:%M") == typed
            assert abs(answer.at - (left + 600)) < 60
            await h.synced()
            assert abs(h.state.entry(entry_id)["stopped_at"] - (left + 600)) < 60
            await watch.aclose()

    run(main)


@pytest.mark.usefixtures("machine_in_utc")
def test_the_shells_idle_fields_carry_the_accounts_offset(tmp_path):
    from types import SimpleNamespace

    from timecrowd_tray.services.commands import Commands

    async def main():
        async with service_harness(tmp_path) as h:
            watch, source, _ = await watching_a_running_entry(h)
            left = await away(h, watch, source, 30 * 60)
            commands = Commands(h.svc, SimpleNamespace(idle_watch=watch))
            since = commands.status()["idle"]["since"]
            assert since == watch.status()["since"] == datetime.fromtimestamp(left, UTC).astimezone(TOKYO).isoformat()
            answer = await commands.handle({"cmd": "idle", "answer": "discard"})
            assert answer is not None and answer["ok"] and answer["action"] == "discarded"
            assert answer["at"] == datetime.fromtimestamp(left, UTC).astimezone(TOKYO).isoformat()
            assert answer["at"].endswith("+09:00")
            await watch.aclose()

    run(main)
