"""The latest task (what a click, the shortcut or ``toggle`` starts when nothing runs): the task worked on last.

"Last" is the entry that ended last (a running one counts as the most recent), not the one that
started last: a start backdated to before another entry, once stopped, is still what the user did last.
"""

from __future__ import annotations

from datetime import datetime

from timecrowd_tray.core.timer import Phase

from services.timer_harness import JST, emulator_task, entries_of_task, run, service_harness


def jst(hour, minute=0):
    return datetime(2025, 10, 21, hour, minute, tzinfo=JST)  # the harness's "now" is 14:00:00.5 JST that day


async def refreshed(h) -> None:
    """The recent tasks read again from the server (a stop schedules it)."""
    task = h.svc._recent.refresh_task  # noqa: SLF001
    if task is not None:
        await task


def test_a_backdated_start_once_stopped_is_the_latest_task(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            # Today's entries: "Release 2.4 準備" 9:56-11:56, then "Deploy to staging" 11:56-12:21, the latest.
            await refreshed(h)
            assert h.svc.recent_tasks[0].title == "Deploy to staging"
            worked = emulator_task(h.state, "1on1")
            # "I have been in the 1on1 since 11:00" (over both of today's entries: --allow-overlap), then stop.
            started = h.svc.request_start(worked, at=jst(11, 0), allow_overlap=True)
            assert (await h.svc.outcome(started, 5)).kind == "done"
            h.clock.advance(300)
            assert (await h.svc.outcome(h.svc.request_stop(), 5)).kind == "done"
            await refreshed(h)  # the stop's refresh: read from the server again
            one = max(entries_of_task(h.state, h.me, worked.id), key=lambda e: e["id"])
            assert (one["started_at"], one["stopped_at"]) == (int(jst(11).timestamp()), int(jst(14, 5).timestamp()))
            assert h.svc.recent_tasks[0].id == worked.id
            # a click (or `toggle`) when idle starts it again
            assert h.svc.toggle() is None
            assert h.svc.state.phase is Phase.STARTING and h.svc.state.task.id == worked.id
            await h.synced()
            assert h.state.running_entry(h.me)["task_id"] == worked.id
            # and a service started again on the same folder (the cache) says the same
            await h.close()
            assert h.new_service().cached_tasks[0].id == worked.id

    run(main)
