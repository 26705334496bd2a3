"""A day read offline shows what this run read before, as the server last confirmed it.

The fallback of :meth:`DayEntries.load` (a page failed: "what this run read before plus the
latest entries") listed an entry whose delete the server had confirmed a minute earlier, and
the overlap checks used an edited entry's old times: the entries read this run were never
told of a confirmed delete or edit.
"""

from __future__ import annotations

from datetime import date, datetime

from services.timer_harness import JST, run, service_harness

DAY = date(2025, 10, 21)  # the harness's "now" is 14:00:00.5 JST that day; 1106 and 1108 are on it


def jst(hour, minute=0):
    return datetime(2025, 10, 21, hour, minute, tzinfo=JST)


def _row(load, entry_id):
    return next(e for e in load.entries if e.ref.entry_id == entry_id)


async def _refreshed(h):
    task = h.svc._recent.refresh_task
    if task is not None:
        await task


def test_an_entry_deleted_here_is_not_listed_offline(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            load = await h.svc.load_day(DAY)
            assert (await h.svc.outcome(h.svc.request_delete(_row(load, 1108)), 5)).kind == "done"
            await _refreshed(h)
            h.state.faults.fail_next(503, count=1000)
            offline = await h.svc.load_day(DAY)
            assert not offline.complete and offline.error
            assert [e.ref.entry_id for e in offline.entries] == [1106]
            assert 1108 not in [e.ref.entry_id for e in h.svc._day_entries.known_spans()]

    run(main)


def test_an_entry_edited_here_is_listed_offline_with_its_new_values(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            result = h.svc.request_edit(entry, stopped_at=jst(12, 40), comment="reviewed")
            assert (await h.svc.outcome(result, 5)).kind == "done"
            await _refreshed(h)
            h.state.faults.fail_next(503, count=1000)
            offline = _row(await h.svc.load_day(DAY), 1108)
            assert (offline.stopped_at, offline.comment, offline.pending) == (jst(12, 40), "reviewed", None)
            # the overlap checks see the new times too (an add at 12:45 overlaps nothing now)
            [known] = [e for e in h.svc._day_entries.known_spans() if e.ref.entry_id == 1108]
            assert known.stopped_at == jst(12, 40)

    run(main)


def test_an_entry_added_here_is_listed_offline(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            await h.svc.load_day(DAY)
            task = _row(await h.svc.load_day(DAY), 1108).task
            result = h.svc.request_add(task, jst(13, 0), jst(13, 30), None)
            assert (await h.svc.outcome(result, 5)).kind == "done"
            made = h.svc._outbox.resolve(result.intents[0])
            await _refreshed(h)
            h.state.faults.fail_next(503, count=1000)
            offline = await h.svc.load_day(DAY)
            assert _row(offline, made).started_at == jst(13, 0) and _row(offline, made).pending is None

    run(main)


def test_a_stale_read_answering_after_a_confirmed_delete_does_not_bring_it_back(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            load = await h.svc.load_day(DAY)
            await _refreshed(h)
            client = h.svc._client
            before = await client.time_entries(h.me, per_page=100)  # read before the delete, answered after
            assert (await h.svc.outcome(h.svc.request_delete(_row(load, 1108)), 5)).kind == "done"
            await _refreshed(h)

            async def stale(*_args, **_kwargs):
                return before

            client.time_entries = stale
            await h.svc._recent.refresh()
            assert 1108 not in h.svc._recent.entries
            assert 1108 not in [e.ref.entry_id for e in (await h.svc.load_day(DAY)).entries]

    run(main)


def test_an_entry_the_server_says_is_gone_is_not_listed_offline(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            entry = _row(await h.svc.load_day(DAY), 1108)
            h.state.delete_entry(h.me, 1108)  # on the web
            outcome = await h.svc.outcome(h.svc.request_edit(entry, comment="late"), 5)
            assert outcome.kind == "refused" and outcome.code == "not_found"
            await _refreshed(h)
            h.state.faults.fail_next(503, count=1000)
            offline = await h.svc.load_day(DAY)
            assert not offline.complete and [e.ref.entry_id for e in offline.entries] == [1106]

    run(main)


def test_the_entries_kept_for_offline_lists_are_bounded(monkeypatch):
    """An app running for months keeps at most SEEN_MAX entries of the run, the newest."""
    from datetime import UTC, datetime, timedelta

    from timecrowd_tray.core.models import Task, TimeEntry
    from timecrowd_tray.services import recent_tasks

    monkeypatch.setattr(recent_tasks, "SEEN_MAX", 10)
    holder = recent_tasks.RecentTasks.__new__(recent_tasks.RecentTasks)
    holder.entries, holder.seen, holder.deleted = {}, {}, set()
    task = Task(id=1, title="t", team_id=1)
    start = datetime(2025, 10, 1, tzinfo=UTC)
    for i in range(25):
        holder.saw(TimeEntry(id=i, task=task, started_at=start + timedelta(hours=i)))
    assert sorted(holder.seen) == list(range(15, 25))
