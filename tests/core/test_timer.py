"""The timer state machine: every transition, without Qt, network or clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from timecrowd_tray.core import timer as T
from timecrowd_tray.core.models import Task, TimeEntry, User
from timecrowd_tray.core.timer import ActionKind, EntryRef, PendingAction, Phase, TimerState

T0 = datetime(2025, 10, 21, 5, 0, tzinfo=UTC)
ME = User(id=7, nickname="me", time_zone_name="Asia/Tokyo")
A = Task(id=1, title="Task A", team_id=10)
B = Task(id=2, title="Task B", team_id=10)


def entry(eid: int, task: Task, start: datetime, stop: datetime | None = None, **kw) -> TimeEntry:
    return TimeEntry(id=eid, task=task, started_at=start, stopped_at=stop, user_id=ME.id, **kw)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def start(ref: int, task: Task, t: float) -> PendingAction:
    return PendingAction(ref=ref, kind=ActionKind.START, at=at(t), task=task)


def stop(ref: int, target: EntryRef, t: float, task: Task | None = None) -> PendingAction:
    return PendingAction(ref=ref, kind=ActionKind.STOP, at=at(t), task=task, target=target)


def idle_state() -> TimerState:
    return T.server_snapshot(T.signed_in(T.signing_in(T.initial()), ME), None)


def running_state(e: TimeEntry) -> TimerState:
    return T.server_snapshot(T.signed_in(T.signing_in(T.initial()), ME), e)


def test_initial_is_signed_out_and_not_running():
    s = T.initial()
    assert s.phase is Phase.SIGNED_OUT
    assert not s.is_running and not s.is_signed_in
    assert s.elapsed(at(100)) == 0.0
    assert s.ref is None


def test_initial_with_reason():
    assert T.initial("token revoked").signed_out_reason == "token revoked"


def test_signing_in_then_signed_in_is_loading_until_the_server_answers():
    s = T.signing_in(T.initial("old reason"))
    assert s.phase is Phase.LOADING and s.user is None and s.signed_out_reason is None
    s = T.signed_in(s, ME)
    assert s.phase is Phase.LOADING and s.user == ME
    assert T.server_snapshot(s, None).phase is Phase.IDLE


def test_snapshot_with_entry_is_running_with_its_fields():
    e = entry(5, A, at(0), html_url="http://x/5", comment="hi")
    s = running_state(e)
    assert s.phase is Phase.RUNNING and s.is_running
    assert (s.task, s.started_at, s.entry_id, s.html_url, s.comment) == (A, at(0), 5, "http://x/5", "hi")
    assert s.local_ref is None and s.ref == EntryRef(5, None)
    assert s.elapsed(at(90)) == 90.0
    assert s.elapsed(at(-10)) == 0.0  # a clock behind the server never shows negative


def test_snapshot_ignored_when_signed_out():
    s = T.initial()
    assert T.server_snapshot(s, entry(1, A, at(0))) is s


def test_start_from_idle_is_starting_at_click_time_without_entry_id():
    s = T.action_requested(idle_state(), start(1, A, 10))
    assert s.phase is Phase.STARTING and s.is_running
    assert s.task == A and s.started_at == at(10) and s.entry_id is None and s.local_ref == 1
    assert s.ref == EntryRef(None, 1)
    assert s.pending_count == 1
    assert s.elapsed(at(25)) == 15.0


def test_start_confirmed_becomes_running_with_the_server_entry():
    s = T.action_requested(idle_state(), start(1, A, 10))
    s = T.action_confirmed(s, 1, entry(42, A, at(10)))
    assert s.phase is Phase.RUNNING and s.entry_id == 42 and s.local_ref is None
    assert s.pending_count == 0 and s.pending == ()


def test_start_rejected_rolls_back_to_idle_with_the_server_message():
    s = T.action_requested(idle_state(), start(1, A, 10))
    s = T.action_dropped(s, 1, "Task is already deleted.")
    assert s.phase is Phase.IDLE and s.task is None
    assert s.last_error == "Task is already deleted."


def test_switch_rejected_start_rolls_back_to_the_still_running_entry():
    running = entry(5, A, at(0))
    s = running_state(running)
    s = T.action_requested(s, stop(1, EntryRef(5), 10, A))
    s = T.action_requested(s, start(2, B, 10))
    assert s.phase is Phase.STARTING and s.task == B
    # the stop went through, the start was refused
    s = T.action_confirmed(s, 1, entry(5, A, at(0), at(10)))
    assert s.phase is Phase.STARTING
    s = T.action_dropped(s, 2, "nope")
    assert s.phase is Phase.IDLE and s.last_error == "nope"


def test_both_rejected_rolls_back_to_the_previous_entry():
    s = running_state(entry(5, A, at(0)))
    s = T.action_requested(s, stop(1, EntryRef(5), 10, A))
    s = T.action_requested(s, start(2, B, 10))
    s = T.action_dropped(s, 1, "x")
    s = T.action_dropped(s, 2, "y")
    assert s.phase is Phase.RUNNING and s.entry_id == 5 and s.last_error == "y"


def test_stop_is_stopping_with_frozen_elapsed_then_idle():
    s = running_state(entry(5, A, at(0)))
    s = T.action_requested(s, stop(1, EntryRef(5), 60, A))
    assert s.phase is Phase.STOPPING and not s.is_running
    assert s.task == A and s.entry_id == 5 and s.stopped_at == at(60)
    assert s.elapsed(at(1000)) == 60.0
    s = T.action_confirmed(s, 1, entry(5, A, at(0), at(60)))
    assert s.phase is Phase.IDLE and s.server_entry is None


def test_stop_confirmed_without_answer_uses_the_target():
    s = running_state(entry(5, A, at(0)))
    s = T.action_requested(s, stop(1, EntryRef(5), 60, A))
    assert T.action_confirmed(s, 1, None).phase is Phase.IDLE


def test_stop_rejected_rolls_back_to_running():
    s = running_state(entry(5, A, at(0)))
    s = T.action_requested(s, stop(1, EntryRef(5), 60, A))
    s = T.action_dropped(s, 1, "You are not authorized to access this page.")
    assert s.phase is Phase.RUNNING and s.entry_id == 5
    assert s.last_error == "You are not authorized to access this page."


def test_start_then_stop_both_pending_is_stopping_the_unconfirmed_start():
    s = T.action_requested(idle_state(), start(1, A, 10))
    s = T.action_requested(s, stop(2, EntryRef(None, 1), 70, A))
    assert s.phase is Phase.STOPPING and s.local_ref == 1 and s.elapsed(at(500)) == 60.0
    # the start is confirmed: the stop now points at the server's id
    s = T.action_confirmed(s, 1, entry(42, A, at(10)))
    assert s.pending[0].target == EntryRef(42, 1)
    assert s.phase is Phase.STOPPING and s.entry_id == 42
    s = T.action_confirmed(s, 2, entry(42, A, at(10), at(70)))
    assert s.phase is Phase.IDLE


def test_stop_of_another_entry_does_not_change_the_view():
    s = running_state(entry(9, B, at(0)))
    s = T.action_requested(s, stop(1, EntryRef(5), 60, A))
    assert s.phase is Phase.RUNNING and s.entry_id == 9 and s.pending_count == 1


def test_comment_pending_counts_but_does_not_change_the_view():
    s = running_state(entry(5, A, at(0)))
    s = T.action_requested(s, PendingAction(1, ActionKind.COMMENT, at(5), target=EntryRef(5)))
    assert s.phase is Phase.RUNNING and s.pending_count == 1
    s = T.action_confirmed(s, 1, entry(5, A, at(0), comment="done"))
    assert s.pending_count == 0 and s.comment == "done"


def test_create_pending_is_starting_with_the_placeholder_task():
    placeholder = Task(id=-3, title="New", team_id=10)
    s = T.action_requested(idle_state(), PendingAction(3, ActionKind.CREATE, at(0), task=placeholder))
    assert s.phase is Phase.STARTING and s.task == placeholder
    s = T.action_confirmed(s, 3, entry(77, Task(id=900, title="New", team_id=10), at(0)))
    assert s.phase is Phase.RUNNING and s.task.id == 900


def test_poll_during_pending_start_keeps_showing_the_start():
    s = T.action_requested(idle_state(), start(1, A, 10))
    s = T.server_snapshot(s, None)
    assert s.phase is Phase.STARTING
    s = T.server_snapshot(s, entry(9, B, at(0)))
    assert s.phase is Phase.STARTING and s.task == A


def test_pending_restored_while_loading_shows_the_action():
    s = T.signed_in(T.signing_in(T.initial()), ME, [start(1, A, 10)])
    assert s.phase is Phase.STARTING
    s = T.signed_in(T.signing_in(T.initial()), ME, [stop(1, EntryRef(5), 10, A)])
    # the entry being stopped is unknown until the server answers
    assert s.phase is Phase.LOADING and s.pending_count == 1
    s = T.server_snapshot(s, entry(5, A, at(0)))
    assert s.phase is Phase.STOPPING and s.stopped_at == at(10)


def test_new_action_clears_last_error():
    s = T.set_error(idle_state(), "boom")
    assert s.last_error == "boom"
    assert T.action_requested(s, start(1, A, 0)).last_error is None
    assert T.clear_error(s).last_error is None


def test_action_requested_ignored_when_signed_out():
    s = T.initial()
    assert T.action_requested(s, start(1, A, 0)) is s


def test_offline_flag_is_independent_of_phase():
    s = T.set_offline(running_state(entry(5, A, at(0))), True)
    assert s.offline and s.phase is Phase.RUNNING
    assert T.set_offline(s, True) is s
    assert not T.set_offline(s, False).offline


def test_signed_out_forgets_the_account_with_a_reason():
    s = T.action_requested(running_state(entry(5, A, at(0))), start(1, B, 1))
    s = T.signed_out(T.set_offline(s, True), "Session expired")
    assert s.phase is Phase.SIGNED_OUT and s.user is None and s.pending == () and s.server_entry is None
    assert s.signed_out_reason == "Session expired" and s.offline


def test_dropping_an_unknown_ref_only_sets_the_message():
    s = idle_state()
    s2 = T.action_dropped(s, 99, "gone")
    assert s2.phase is Phase.IDLE and s2.last_error == "gone"


def test_entry_ref_needs_an_id():
    with pytest.raises(ValueError):
        EntryRef()
    assert EntryRef(5).matches(5, None)
    assert EntryRef(5, 1).matches(None, 1)
    assert not EntryRef(5).matches(None, 1)
    assert not EntryRef(None, 1).matches(5, None)


@pytest.mark.parametrize("before,after,kind", [
    (None, None, None),
    (None, entry(1, A, T0), "started"),
    (entry(1, A, T0), None, "stopped"),
    (entry(1, A, T0), entry(2, B, T0), "switched"),
    (entry(1, A, T0), entry(1, A, T0, comment="x"), None),
])
def test_remote_change(before, after, kind):
    change = T.remote_change(before, after)
    assert (change.kind if change else None) == kind


def test_has_unconfirmed_timer_action():
    s = idle_state()
    assert not T.has_unconfirmed_timer_action(s)
    s = T.action_requested(s, PendingAction(1, ActionKind.COMMENT, at(0), target=EntryRef(1)))
    assert not T.has_unconfirmed_timer_action(s)
    assert T.has_unconfirmed_timer_action(T.action_requested(s, start(2, A, 0)))


def test_state_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        idle_state().phase = Phase.RUNNING  # type: ignore[misc]


def test_signed_out_by_the_server_still_counts_what_the_outbox_keeps():
    """Found by the fault soak: a click just before a 401 was kept and sent after the next sign-in,
    while the status said "pending": 0."""
    from datetime import datetime

    from timecrowd_tray.core.models import Task, User

    user = User(id=1, nickname="me")
    state = T.server_snapshot(T.signed_in(T.initial(), user), None)
    state = T.action_requested(state, T.PendingAction(7, T.ActionKind.START, datetime.now(UTC),
                                                      task=Task(id=3, title="x", team_id=1)))
    out = T.signed_out(state, "expired")
    assert out.phase is T.Phase.SIGNED_OUT and out.pending_count == 1 and out.task is None


def test_a_comment_given_with_its_stop_counts_as_one_action_with_it():
    s = T.action_requested(running_state(entry(9, A, at(0))), stop(1, EntryRef(9), 10, A))
    with_comment = PendingAction(ref=2, kind=ActionKind.COMMENT, at=at(10), target=EntryRef(9), after=1)
    s = T.action_requested(s, with_comment)
    assert len(s.pending) == 2 and s.pending_count == 1   # `stop --comment` offline: one change waits
    later = PendingAction(ref=3, kind=ActionKind.COMMENT, at=at(20), target=EntryRef(9))
    assert T.action_requested(s, later).pending_count == 2  # a comment of its own is an action of its own
