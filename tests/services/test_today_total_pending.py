"""Today's total counts what waits in the outbox as the entries window shows it (adds, edits, deletes)."""

from __future__ import annotations

from datetime import date

from services.test_entry_service import _row, fresh_task, jst
from services.timer_harness import run, service_harness

DAY = date(2025, 10, 21)


def _window_total(load, now):
    from timecrowd_tray.core.day import day_totals

    return day_totals([e for e in load.entries if e.pending != "delete"], now=now, day=DAY).total


def test_an_add_waiting_in_the_outbox_counts_in_todays_total(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            before = h.svc.today_total()
            h.state.faults.fail_next(503, count=1000)
            result = h.svc.request_add(fresh_task(h), jst(12, 30), jst(13, 15))
            assert (await h.svc.outcome(result, 1)).kind == "queued"
            assert h.svc.today_total() == before + 45 * 60
            h.state.faults.clear()
            h.svc.notify_network_changed(True)
            await h.synced()
            assert h.svc.today_total() == before + 45 * 60  # sent: counted once, not twice

    run(main)


def test_an_edit_and_a_delete_waiting_count_as_the_window_shows_them(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            load = await h.svc.load_day(DAY)
            before = h.svc.today_total()
            h.state.faults.fail_next(503, count=1000)
            entry = _row(load, 1108)
            h.svc.request_edit(entry, stopped_at=entry.stopped_at + (jst(0, 10) - jst(0)))
            assert h.svc.today_total() == before + 10 * 60
            h.svc.request_delete(_row(load, 1106))
            gone = _row(load, 1106)
            shown = await h.svc.load_day(DAY)
            now = jst(14)
            assert h.svc.today_total(now) == _window_total(shown, now)
            assert h.svc.today_total() == before + 10 * 60 - gone.duration(now)

    run(main)
