"""Reminders and forgotten timers over the real service (fake clock, fake idle source)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from timecrowd_tray.core import reminders as R
from timecrowd_tray.core.settings import SCHEMA
from timecrowd_tray.platform.idle.base import PresenceEvent, PresenceKind
from timecrowd_tray.services.reminders import Reminders

from services.idle_harness import machine_in_utc, tokyo_clock, watching  # noqa: F401 - a fixture
from services.timer_harness import emulator_task, run, service_harness

JST = timezone(timedelta(hours=9))  # FIXED_NOW is a Tuesday, 14:00 in Tokyo


def settings(**over):
    values = {key: s.default for key, s in SCHEMA.items()} | over
    return values.__getitem__


async def reminding(h, zone=JST, **over):
    watch, source = await watching(h, interval=3600)
    shown, forgotten = [], []
    rem = Reminders(h.svc, watch, settings(**over), on_remind=shown.append, on_forgotten=forgotten.append,
                    clock=h.clock, zone=zone)
    rem.start()
    return rem, watch, source, shown, forgotten


def test_reminds_once_per_gap_after_the_minutes_and_not_right_after_a_stop(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "Code review")
            h.svc.start(task)
            await h.synced()
            rem, watch, source, shown, _ = await reminding(h)
            h.svc.stop()
            await h.synced()
            assert rem._timer is not None                      # one timer, at the due moment
            h.clock.advance(60)
            assert not await rem.fire() and shown == []        # grace: never right after a stop
            h.clock.advance(15 * 60)
            assert await rem.fire() and shown[-1] is not None
            h.clock.advance(15 * 60)
            assert not await rem.fire() and len(shown) == 1    # never twice for the same gap
            rem.snooze("15m")
            h.clock.advance(15 * 60)
            assert await rem.fire() and len(shown) == 2
            assert rem.start_latest().recorded and h.svc.state.is_running
            assert rem._timer is None
            rem.close()
            await watch.aclose()

    run(main)


def test_never_while_away(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            rem, watch, source, shown, _ = await reminding(h)
            h.clock.advance(20 * 60)
            source.idle = 20 * 60.0
            assert not await rem.fire() and shown == []
            rem.close()
            await watch.aclose()

    run(main)


def test_a_forgotten_timer_is_offered_once_to_end_when_they_left(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "Code review"))
            await h.synced()
            entry_id = h.svc.state.entry_id
            rem, watch, source, _, forgotten = await reminding(h, remind_max_hours=2, idle_minutes=0)
            h.clock.advance(3600)
            left = h.clock()
            watch.last_left_at = left
            h.clock.advance(2 * 3600)
            await watch.check()
            await watch.check()
            assert len(forgotten) == 1 and forgotten[0].end_at == left
            assert rem.end_forgotten(forgotten[0]).recorded
            await h.synced()
            assert h.state.entry(entry_id)["stopped_at"] == int(left)
            rem.close()
            await watch.aclose()

    run(main)


def test_the_grace_after_a_stop_outlasts_a_short_reminder(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "Code review"))
            await h.synced()
            rem, watch, source, shown, _ = await reminding(h, remind_minutes=1)
            h.svc.stop()
            await h.synced()
            h.clock.advance(2 * 60)                            # the minute is up, the grace is not
            assert not await rem.fire() and shown == []
            h.clock.advance(3 * 60)
            assert await rem.fire() and len(shown) == 1
            rem.close()
            await watch.aclose()

    run(main)


def test_never_while_locked_and_the_count_starts_again_on_unlock(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            rem, watch, source, shown, _ = await reminding(h)
            h.clock.advance(60)
            watch._on_presence(PresenceEvent(PresenceKind.LOCK, h.clock()))
            h.clock.advance(30 * 60)
            assert not await rem.fire() and shown == []        # locked (the idle time says nothing yet)
            watch._on_presence(PresenceEvent(PresenceKind.UNLOCK, h.clock()))
            h.clock.advance(10 * 60)
            assert not await rem.fire() and shown == []        # active for 10 of the 15 minutes
            h.clock.advance(5 * 60)
            assert await rem.fire() and len(shown) == 1
            rem.close()
            await watch.aclose()

    run(main)


def test_never_while_asleep_nor_after_the_wake_before_input(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            rem, watch, source, shown, _ = await reminding(h)
            watch._on_presence(PresenceEvent(PresenceKind.SLEEP, h.clock()))
            h.clock.advance(3600)
            assert not await rem.fire() and shown == []        # asleep
            watch._on_presence(PresenceEvent(PresenceKind.WAKE, h.clock()))
            assert not await rem.fire() and shown == []        # awake, nobody at the keyboard yet
            watch._on_presence(PresenceEvent(PresenceKind.ACTIVE, h.clock()))
            h.clock.advance(15 * 60)
            assert await rem.fire() and len(shown) == 1
            rem.close()
            await watch.aclose()

    run(main)


def test_not_today_waits_for_the_next_working_day(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            rem, watch, source, shown, _ = await reminding(h)
            h.clock.advance(16 * 60)
            assert await rem.fire() and len(shown) == 1
            rem.snooze("today")
            h.clock.advance(3 * 3600)                          # 17:16, still in the hours: not today
            assert not await rem.fire() and len(shown) == 1
            due = R.due_at(rem.state, rem.config(), JST)
            assert due is not None and datetime.fromtimestamp(due, JST).strftime("%a %H:%M") == "Wed 09:00"
            h.clock.advance(due - h.clock())
            assert await rem.fire() and len(shown) == 2
            rem.close()
            await watch.aclose()

    run(main)


@pytest.mark.usefixtures("machine_in_utc")
def test_working_hours_are_the_accounts_when_the_machine_is_elsewhere(tmp_path):
    """14:16 on a Tuesday in Tokyo is within 09:00-18:00; it is 05:16 on this machine, which is not."""
    async def main():
        async with service_harness(tmp_path) as h:
            rem, watch, source, shown, _ = await reminding(h, zone=None, remind_hours="09:00-18:00")
            h.clock.advance(16 * 60)
            assert tokyo_clock(h.clock()) == "14:16"
            assert await rem.fire() and len(shown) == 1
            rem.close()
            await watch.aclose()

    run(main)
