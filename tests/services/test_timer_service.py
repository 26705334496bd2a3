"""The timer service against the emulator, in-process (httpx.ASGITransport).

Each test asserts the emulator's final state: no minute lost, no entry duplicated.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from timecrowd_tray.core.timer import EntryRef, Phase
from timecrowd_tray.services import events as ev
from timecrowd_tray.services.action_result import StoppedEntry
from timecrowd_tray.services.actions import CommentTooLong
from timecrowd_tray.services.timer_service import TimerService

from services.timer_harness import (
    comment_text,
    comments_on,
    emulator_task,
    entries_of_task,
    requests_to,
    run,
    service_harness,
)


def test_sign_in_loads_user_state_recent_tasks_and_cache(tmp_path):
    async def main():
        async with service_harness(tmp_path, signed_in=False) as h:
            user = await h.sign_in()
            svc = h.svc
            assert user.id == h.me and user.time_zone_name == "Asia/Tokyo"
            assert svc.state.phase is Phase.IDLE and svc.state.user == user
            recent = svc.recent_tasks
            assert 1 <= len(recent) <= 10
            assert len({t.id for t in recent}) == len(recent)
            assert len(svc.cached_tasks) >= len(recent)
            # newest first: the first recent task is the task of my latest entry
            latest = h.state.entries_of(h.me)[0]
            assert recent[0].id == latest["task_id"]
            # the order of the first requests: user info, then the poll
            paths = [r[1] for r in h.state.requests]
            assert paths[0] == "/api/v1/user/info"
            assert "/api/v1/user/working_users" in paths
            await h.close()
            # a new service on the same dirs has the palette before signing in
            svc2 = h.new_service()
            assert [t.id for t in svc2.cached_tasks] == [t.id for t in h.svc.cached_tasks]
            assert svc2.state.phase is Phase.SIGNED_OUT

    run(main)


def test_start_is_optimistic_then_confirmed_at_click_time(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "Code review")
            click = h.clock()
            assert h.svc.start(task) is None
            s = h.svc.state
            assert s.phase is Phase.STARTING and s.task == task and s.entry_id is None and s.local_ref
            assert s.pending_count == 1 and h.svc.pending_count == 1
            await h.synced()
            s = h.svc.state
            assert s.phase is Phase.RUNNING and s.entry_id is not None and s.pending_count == 0
            running = h.state.running_entry(h.me)
            assert running["id"] == s.entry_id and running["task_id"] == task.id
            assert running["started_at"] == int(click)
            assert h.svc.recent_tasks[0].id == task.id
            assert [type(e) for e in h.events if isinstance(e, ev.IntentRejected)] == []

    run(main)


def test_switch_stops_first_and_returns_the_stopped_entry(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            a, b = emulator_task(h.state, "Code review"), emulator_task(h.state, "1on1")
            h.svc.start(a)
            await h.synced()
            first_id = h.svc.state.entry_id
            h.clock.advance(600)
            stopped = h.svc.start(b)
            assert isinstance(stopped, StoppedEntry)
            assert stopped.task.id == a.id and stopped.ref == EntryRef(first_id, None)
            assert stopped.duration == pytest.approx(600, abs=1)
            assert h.svc.state.phase is Phase.STARTING and h.svc.state.task == b
            await h.synced()
            first = h.state.entry(first_id)
            assert first["stopped_at"] - first["started_at"] == 600
            running = h.state.running_entry(h.me)
            assert running["task_id"] == b.id and running["started_at"] == first["stopped_at"]
            assert len(entries_of_task(h.state, h.me, b.id)) == len(
                [e for e in h.state.entries_of(h.me) if e["task_id"] == b.id])
            # one start request each, never two
            assert len(requests_to(h.state, "POST", f"/tasks/{b.id}/start")) == 1

    run(main)


def test_starting_the_running_task_again_does_nothing(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            a = emulator_task(h.state, "Code review")
            h.svc.start(a)
            assert h.svc.start(a) is None
            await h.synced()
            assert len(requests_to(h.state, "POST", "/start")) == 1

    run(main)


def test_stop_then_comment_keeps_emoji_and_japanese(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "朝会"))
            await h.synced()
            h.clock.advance(125)
            stopped = h.svc.stop()
            assert stopped is not None and stopped.duration == pytest.approx(125, abs=1)
            assert h.svc.state.phase is Phase.STOPPING
            assert h.svc.state.elapsed(datetime.now(UTC)) == pytest.approx(125, abs=1)
            assert h.svc.comment(stopped.ref, "  レビュー完了 😊👍🏽 done\n") is True
            await h.synced()
            assert h.svc.state.phase is Phase.IDLE
            entry = h.state.entry(stopped.ref.entry_id)
            assert entry["stopped_at"] is not None
            assert comment_text(h.state, entry["id"]) == "レビュー完了 😊👍🏽 done"
            assert h.svc.stop() is None  # nothing runs

    run(main)


def test_comment_empty_or_too_long(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            before = len(h.state.requests)
            assert h.svc.comment(EntryRef(1001), "   \n\t　") is False  # includes an ideographic space
            assert h.svc.comment(1001, "") is False
            limit = TimerService.COMMENT_MAX_CHARS
            assert limit == 1000
            with pytest.raises(CommentTooLong) as info:
                h.svc.comment(1001, "あ" * (limit + 1))
            assert "1000" in str(info.value) and "1001" in str(info.value)
            assert isinstance(info.value, ValueError)
            assert h.svc.pending_count == 0
            await h.synced()
            assert len(h.state.requests) == before
            # exactly at the cap (emoji count as one character each): accepted
            mine = h.state.entries_of(h.me)[0]["id"]
            assert h.svc.comment(mine, "😊" * limit) is True
            await h.synced()
            assert comment_text(h.state, mine) == "😊" * limit

    run(main)


def test_comment_on_an_unconfirmed_start_is_resolved_on_replay(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "Sprint planning")
            h.svc.start(task)
            ref = h.svc.state.ref
            assert ref.entry_id is None and ref.local_id is not None
            assert h.svc.comment(ref, "planning 🗓") is True
            h.clock.advance(60)
            stopped = h.svc.stop()
            assert stopped.ref == ref
            assert h.svc.comment(stopped.ref, "終わり") is True
            # everything above is still only in the outbox
            assert h.svc.pending_count == 4
            await h.synced()
            entries = entries_of_task(h.state, h.me, task.id)
            newest = entries[0]
            assert newest["stopped_at"] - newest["started_at"] == 60
            assert comment_text(h.state, newest["id"]) == "終わり"
            assert [c["content"] for c in comments_on(h.state, newest["id"])] == ["planning 🗓", "終わり"]

    run(main)


def test_rejected_start_rolls_back_with_the_server_message_and_drops_dependents(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            deleted = emulator_task(h.state, "廃止されたタスク")
            h.svc.start(deleted)
            ref = h.svc.state.ref
            h.svc.comment(ref, "never sent")
            h.svc.stop()
            assert h.svc.pending_count == 3
            await h.synced()
            s = h.svc.state
            assert s.phase is Phase.IDLE and s.pending_count == 0
            assert s.last_error == "1 error prohibited this Time entry from being saved.\nTask is already deleted."
            rejected = [e for e in h.events if isinstance(e, ev.IntentRejected)]
            assert rejected[0].kind == "start" and rejected[0].status == 422
            assert rejected[0].message == s.last_error and rejected[0].task == deleted
            assert {e.kind for e in rejected[1:]} == {"comment", "stop"}
            assert len(requests_to(h.state, "POST", "/start")) == 1  # not retried
            assert not requests_to(h.state, "POST", "/comments")
            assert h.state.running_entry(h.me) is None

    run(main)


def test_forbidden_comment_leaves_the_queue(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            teammate_entry = next(e for e in h.state.entries.values() if e["user_id"] != h.me)["id"]
            h.svc.comment(teammate_entry, "not mine")
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.synced()
            rejected = [e for e in h.events if isinstance(e, ev.IntentRejected)]
            assert [(e.kind, e.status, e.message) for e in rejected] == [
                ("comment", 403, "You are not authorized to access this page.")]
            assert h.state.running_entry(h.me) is not None  # the queue went on

    run(main)


def test_offline_stop_replays_with_the_click_time(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "Code review"))
            await h.synced()
            entry_id = h.svc.state.entry_id
            h.clock.advance(1800)
            h.state.faults.fail_next(503, count=4)
            click = h.clock()
            h.svc.stop()
            await h.wait_event(ev.WentOffline)
            assert h.svc.state.offline and h.svc.state.pending_count == 1
            h.clock.advance(300)  # the server comes back five minutes later
            await h.synced()
            entry = h.state.entry(entry_id)
            assert entry["stopped_at"] == int(click)
            assert not h.svc.state.offline and h.svc.state.phase is Phase.IDLE
            assert any(isinstance(e, ev.BackOnline) for e in h.events)
            assert any(isinstance(e, ev.SyncedPending) and e.count == 1 for e in h.events)
            # the correction went out as PATCH /time_entries/:id with stopped_at
            patches = requests_to(h.state, "PATCH", f"/time_entries/{entry_id}")
            assert any(r[1].endswith(f"/{entry_id}") and r[2]["time_entry"]["stopped_at"] == str(int(click))
                       for r in patches)

    run(main)


def test_offline_switch_and_queue_replay_in_order_with_click_times(tmp_path, clock):
    async def main():
        async with service_harness(tmp_path, clock=clock) as h:
            a, b, c = (emulator_task(h.state, t) for t in ("Code review", "1on1", "メール対応"))
            h.svc.start(a)
            await h.synced()
            first = h.svc.state.entry_id
            h.state.faults.fail_next(503, count=1000)
            clicks = []
            clock.advance(600)
            clicks.append(clock())
            h.svc.start(b)
            clock.advance(300)
            clicks.append(clock())
            stopped_b = h.svc.stop()
            h.svc.comment(stopped_b.ref, "B done ✅")
            clock.advance(120)
            clicks.append(clock())
            h.svc.start(c)
            assert h.svc.state.phase is Phase.STARTING and h.svc.state.task == c
            assert h.svc.pending_count == 5
            assert not await h.svc.wait_until_synced(0.2)
            h.state.faults.clear()
            clock.advance(900)
            h.svc.notify_network_changed(True)
            await h.synced()
            e_a = h.state.entry(first)
            assert e_a["stopped_at"] == int(clicks[0])
            e_b = entries_of_task(h.state, h.me, b.id)[0]
            assert (e_b["started_at"], e_b["stopped_at"]) == (int(clicks[0]), int(clicks[1]))
            assert comment_text(h.state, e_b["id"]) == "B done ✅"
            e_c = h.state.running_entry(h.me)
            assert e_c["task_id"] == c.id and e_c["started_at"] == int(clicks[2])
            assert h.svc.state.phase is Phase.RUNNING and h.svc.state.entry_id == e_c["id"]
            # no duplicates: one new entry for b, one for c
            new = [e for e in h.state.entries_of(h.me) if e["id"] > first]
            assert sorted(e["task_id"] for e in new) == sorted([b.id, c.id])

    run(main)


def test_rate_limited_honours_retry_after(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.faults.fail_next(429, count=1, retry_after=1)
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.synced()
            starts = requests_to(h.state, "POST", "/start")
            assert len(starts) == 2
            assert starts[1][3] - starts[0][3] >= 0.95  # waited for Retry-After
            new = [e for e in h.state.entries_of(h.me) if e["stopped_at"] is None]
            assert len(new) == 1

    run(main)


@pytest.mark.parametrize("fault", ["drop", "malformed", "html500"])
def test_start_fault_never_duplicates(tmp_path, fault):
    async def main():
        async with service_harness(tmp_path) as h:
            task = emulator_task(h.state, "Deploy to staging")
            before = len(entries_of_task(h.state, h.me, task.id))
            if fault == "drop":
                h.state.faults.drop_next(1)
            elif fault == "malformed":
                h.state.faults.malformed_next(1)  # applied by the server, answer lost
            else:
                h.state.faults.fail_next(500, html=True)
            h.svc.start(task)
            await h.synced()
            assert len(entries_of_task(h.state, h.me, task.id)) == before + 1
            running = h.state.running_entry(h.me)
            assert running["task_id"] == task.id
            assert h.svc.state.entry_id == running["id"] and h.svc.state.phase is Phase.RUNNING

    run(main)


@pytest.mark.parametrize("fault", ["drop", "malformed"])
def test_stop_and_comment_faults_never_double(tmp_path, fault):
    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.synced()
            entry_id = h.svc.state.entry_id
            h.clock.advance(90)
            click = h.clock()
            getattr(h.state.faults, f"{fault}_next")(2)  # the stop and its check/next request
            stopped = h.svc.stop()
            h.svc.comment(stopped.ref, "一度だけ")
            await h.synced()
            entry = h.state.entry(entry_id)
            assert entry["stopped_at"] == int(click)
            assert [c["content"] for c in comments_on(h.state, entry_id)] == ["一度だけ"]

    run(main)


def test_revoked_token_signs_out_once_without_retry_storm(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.revoke_token("demo-token-0123456789abcdef")
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.wait_event(ev.SignedOut)
            s = h.svc.state
            assert s.phase is Phase.SIGNED_OUT and s.signed_out_reason
            count = len(h.state.requests)
            # nothing retries: not a refresh, not the network coming back, not the menu
            assert await h.svc.refresh() is False
            h.svc.request_refresh(0)
            h.svc.notify_network_changed(True)
            assert not await h.svc.wait_until_synced(0.2)
            assert len(h.state.requests) == count
            assert len([e for e in h.events if isinstance(e, ev.SignedOut)]) == 1
            # the intent is kept for this account and sent after signing in again
            assert h.svc.pending_count == 1
            h.state.add_token("fresh-token", h.me)
            n = len(h.states)
            await h.svc.sign_in(h.client("fresh-token"))
            assert any(st.phase is Phase.STARTING for st in h.states[n:])  # shown as pending at once
            await h.synced()
            assert h.state.running_entry(h.me)["task_id"] == emulator_task(h.state, "1on1").id

    run(main)


def test_changes_made_elsewhere_are_events(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            a, b = emulator_task(h.state, "Code review"), emulator_task(h.state, "1on1")
            h.state.start_task(h.me, a.team_id, a.id)
            await h.svc.refresh()
            started = await h.wait_event(ev.StartedElsewhere)
            assert started.entry.task.id == a.id and h.svc.state.phase is Phase.RUNNING
            h.state.start_task(h.me, b.team_id, b.id)
            await h.svc.refresh()
            switched = await h.wait_event(ev.SwitchedElsewhere)
            assert switched.entry.task.id == b.id and switched.previous.id == a.id
            running = h.state.running_entry(h.me)
            h.state.stop_entry(h.me, running["id"])
            await h.svc.refresh()
            stopped = await h.wait_event(ev.StoppedElsewhere)
            assert stopped.task.id == b.id and h.svc.state.phase is Phase.IDLE
            # our own actions are not "elsewhere"
            n = len(h.events)
            h.svc.start(a)
            await h.synced()
            await h.svc.refresh()
            h.svc.stop()
            await h.synced()
            await h.svc.refresh()
            assert not [e for e in h.events[n:] if isinstance(e, (ev.StartedElsewhere, ev.StoppedElsewhere,
                                                                   ev.SwitchedElsewhere))]

    run(main)


def test_never_two_polls_at_once_and_menu_refresh_max_age(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            polls = lambda: len(requests_to(h.state, "GET", "/working_users"))  # noqa: E731
            n = polls()
            h.state.faults.latency = 0.2
            results = await asyncio.gather(h.svc.refresh(), h.svc.refresh(), h.svc.refresh())
            assert results == [True, True, True]
            assert polls() == n + 1
            h.state.faults.latency = 0
            # the menu opens right after a refresh: nothing; with max_age 0: one poll
            done = h.svc.poll_count
            h.svc.request_refresh(max_age=60)
            assert not h.svc._poller.in_flight and not h.svc._poller._requested
            h.svc.request_refresh(max_age=0)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 5
            while h.svc.poll_count == done:  # the poller task runs the poll in the background
                assert loop.time() < deadline
                await asyncio.sleep(0.005)
            assert polls() == n + 2 and h.svc.poll_count == done + 1

    run(main)


def test_today_total_in_the_user_zone_plus_running(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            now = h.clock()
            day_start = int(datetime.fromtimestamp(now, UTC).astimezone(
                __import__("zoneinfo").ZoneInfo("Asia/Tokyo")).replace(hour=0, minute=0, second=0,
                                                                        microsecond=0).timestamp())
            expected = sum(min(e["stopped_at"], now) - max(e["started_at"], day_start)
                           for e in h.state.entries_of(h.me)
                           if e["stopped_at"] and e["stopped_at"] > day_start)
            assert expected > 0
            assert h.svc.today_total() == pytest.approx(expected, abs=1)
            h.svc.start(emulator_task(h.state, "1on1"))
            h.clock.advance(600)
            assert h.svc.today_total() == pytest.approx(expected + 600, abs=1)
            await h.synced()
            h.clock.advance(600)
            assert h.svc.today_total() == pytest.approx(expected + 1200, abs=1)
            h.svc.stop()
            h.clock.advance(600)
            assert h.svc.today_total() == pytest.approx(expected + 1200, abs=1)
            await h.synced()
            assert h.svc.today_total() == pytest.approx(expected + 1200, abs=1)

    run(main)


def test_search_tasks_and_stale_queries_are_cancelled(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            found = await h.svc.search_tasks("review")
            assert {t.title for t in found} >= {"Code review", "Review pull requests"}
            assert await h.svc.search_tasks("   ") == []
            h.state.faults.latency = 0.3
            first = asyncio.ensure_future(h.svc.search_tasks("Bug"))
            await asyncio.sleep(0)
            second = asyncio.ensure_future(h.svc.search_tasks("定例"))
            with pytest.raises(asyncio.CancelledError):
                await first
            titles = [t.title for t in await second]
            assert titles == ["週次定例ミーティング"]

    run(main)


def test_create_task_starts_it_once_even_when_the_answer_is_lost(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.faults.malformed_next(1)
            assert h.svc.create_task("新しいタスク 🚀", 14, None) is None
            assert h.svc.state.phase is Phase.STARTING and h.svc.state.task.title == "新しいタスク 🚀"
            await h.synced()
            running = h.state.running_entry(h.me)
            task = h.state.tasks[running["task_id"]]
            assert task["title"] == "新しいタスク 🚀"
            assert len([e for e in h.state.entries_of(h.me) if e["task_id"] == task["id"]]) == 1
            assert h.svc.state.phase is Phase.RUNNING and h.svc.state.task.id == task["id"]
            # creating in a read-only team is refused with the server's (Japanese) words
            h.svc.create_task("禁止", 16, None)
            await h.synced()
            rejected = [e for e in h.events if isinstance(e, ev.IntentRejected)][-1]
            assert rejected.kind == "create"
            assert rejected.message == "選択中のチームでタスクの作成・編集・削除は許可されていません"
            assert h.svc.state.phase is Phase.IDLE  # the previous entry was stopped first, as the user asked

    run(main)


def test_toggle(tmp_path):
    async def main():
        async with service_harness(tmp_path, signed_in=False) as h:
            assert h.svc.toggle() is None
            assert isinstance(h.events[-1], ev.ActionFailed)
            await h.sign_in()
            recent = h.svc.recent_tasks[0]
            assert h.svc.toggle() is None
            assert h.svc.state.phase is Phase.STARTING and h.svc.state.task.id == recent.id
            stopped = h.svc.toggle()
            assert stopped is not None and h.svc.state.phase is Phase.STOPPING
            await h.synced()
            assert h.state.running_entry(h.me) is None

    run(main)


def test_intents_survive_a_restart(tmp_path, clock):
    async def main():
        async with service_harness(tmp_path, clock=clock) as h:
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.synced()
            entry_id = h.svc.state.entry_id
            h.state.faults.fail_next(503, count=1000)
            clock.advance(100)
            click = clock()
            stopped = h.svc.stop()
            h.svc.comment(stopped.ref, "after restart")
            await h.close()  # the app quits with two intents queued
            h.state.faults.clear()
            clock.advance(3600)
            svc2 = h.new_service(watch=True)
            n = len(h.states)
            await h.sign_in(svc2)
            restored = next(st for st in h.states[n:] if st.user is not None)
            assert restored.pending_count == 2 and restored.phase is Phase.LOADING  # until the server answers
            await h.synced(svc2)
            entry = h.state.entry(entry_id)
            assert entry["stopped_at"] == int(click)
            assert comment_text(h.state, entry_id) == "after restart"

    run(main)


def test_offline_start_stops_an_unknown_running_entry_at_the_click(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            other = emulator_task(h.state, "Code review")
            mine = emulator_task(h.state, "1on1")
            h.state.faults.fail_next(503, count=1000)
            # started on the phone; we never saw it (offline)
            h.state.start_task(h.me, other.team_id, other.id)
            phone = h.state.running_entry(h.me)
            h.clock.advance(300)
            click = h.clock()
            h.svc.start(mine)
            h.clock.advance(600)
            h.state.faults.clear()
            h.svc.notify_network_changed(True)
            await h.synced()
            assert h.state.entry(phone["id"])["stopped_at"] == int(click)
            running = h.state.running_entry(h.me)
            assert running["task_id"] == mine.id and running["started_at"] == int(click)

    run(main)


def test_offline_start_superseded_by_a_later_start_elsewhere(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.faults.fail_next(503, count=1000)
            h.svc.start(emulator_task(h.state, "1on1"))
            h.clock.advance(300)
            later = emulator_task(h.state, "Code review")
            h.state.start_task(h.me, later.team_id, later.id)
            h.clock.advance(60)
            h.state.faults.clear()
            h.svc.notify_network_changed(True)
            await h.synced()
            rejected = await h.wait_event(ev.IntentRejected)
            assert rejected.kind == "superseded"
            assert h.state.running_entry(h.me)["task_id"] == later.id
            await h.svc.refresh()
            assert h.svc.state.phase is Phase.RUNNING and h.svc.state.task.id == later.id

    run(main)


def test_sign_in_offline_from_the_cache(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            await h.close()
            h.state.faults.fail_next(503, count=1000)
            svc2 = h.new_service(watch=True)
            user = await h.sign_in(svc2)
            assert user.id == h.me and svc2.state.offline and svc2.state.phase is Phase.LOADING
            click = h.clock()
            svc2.start(emulator_task(h.state, "1on1"))
            assert svc2.state.phase is Phase.STARTING
            h.clock.advance(120)
            h.state.faults.clear()
            svc2.notify_network_changed(True)
            await h.synced(svc2)
            assert h.state.running_entry(h.me)["started_at"] == int(click)

    run(main)


def test_sign_in_with_a_bad_token_is_signed_out_with_reason(tmp_path):
    from timecrowd_tray.api.errors import Unauthorized

    async def main():
        async with service_harness(tmp_path, signed_in=False) as h:
            with pytest.raises(Unauthorized):
                await h.sign_in(token="nope")
            assert h.svc.state.phase is Phase.SIGNED_OUT and h.svc.state.signed_out_reason

    run(main)


def test_listeners_unsubscribe_and_survive_errors(tmp_path):
    async def main():
        async with service_harness(tmp_path, signed_in=False) as h:
            seen = []
            unsubscribe = h.svc.add_listener(seen.append)

            def broken(_):
                raise RuntimeError("listener bug")

            h.svc.add_listener(broken)
            await h.sign_in()
            assert seen and seen[-1].phase is Phase.IDLE
            unsubscribe()
            n = len(seen)
            h.svc.start(emulator_task(h.state, "1on1"))
            assert len(seen) == n
            assert h.states[-1].phase is Phase.STARTING

    run(main)


def test_sign_out_keeps_the_outbox(tmp_path):
    async def main():
        async with service_harness(tmp_path) as h:
            h.state.faults.fail_next(503, count=1000)
            h.svc.start(emulator_task(h.state, "1on1"))
            await h.svc.sign_out()
            assert h.svc.state.phase is Phase.SIGNED_OUT and h.svc.pending_count == 0
            h.state.faults.clear()
            n = len(h.states)
            await h.sign_in()
            assert any(st.pending_count == 1 and st.phase is Phase.STARTING for st in h.states[n:])
            await h.synced()
            assert h.state.running_entry(h.me) is not None

    run(main)
