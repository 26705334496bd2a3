"""The away rules with a fake clock: each of the competitors' reported bugs is a case here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from timecrowd_tray.core import idle as I
from timecrowd_tray.core.idle import AwayReason, Choice, EntryKey, IdleState

T0 = 1_761_022_800.0        # 2025-10-21 14:00 JST
MIN = 60.0
TEN = 10 * MIN
ENTRY = EntryKey(entry_id=5, local_ref=None, task_id=7, started_at=T0 - 3600)


def away_for(seconds: float, reason: AwayReason = AwayReason.IDLE, entry: EntryKey | None = ENTRY,
             threshold: float = TEN) -> IdleState:
    state = I.went_away(IdleState(), T0, reason)
    if reason is AwayReason.SLEEP:
        state = I.woke(state, T0 + seconds)
    if reason is AwayReason.LOCK:
        state = I.unlocked(state)
    return I.came_back(state, T0 + seconds, entry, threshold)


def test_idle_over_the_threshold_asks_with_the_time_they_left():
    state = I.idle_checked(IdleState(), T0 + 44 * MIN, 44 * MIN, TEN)
    assert state.away_since == T0
    state = I.came_back(state, T0 + 44 * MIN, ENTRY, TEN)
    assert state.pending is not None
    assert state.pending.left_at == T0 and state.pending.seconds == 44 * MIN


def test_under_the_threshold_nothing_is_asked():
    assert I.idle_checked(IdleState(), T0, 9 * MIN, TEN).away_since is None
    assert away_for(9 * MIN).pending is None


def test_threshold_zero_turns_it_off():
    assert I.idle_checked(IdleState(), T0, 3 * 3600, 0).away_since is None
    assert away_for(3600, AwayReason.SLEEP, threshold=0).pending is None


def test_sleep_counts_as_away_even_under_the_idle_threshold():
    # bug report: "sleep not counted as away"
    state = away_for(5 * MIN, AwayReason.SLEEP)
    assert state.pending is not None and state.pending.reason is AwayReason.SLEEP
    assert state.pending.left_at == T0


def test_still_asleep_or_locked_is_not_back():
    asleep = I.went_away(IdleState(), T0, AwayReason.SLEEP)
    assert I.came_back(asleep, T0 + 3600, ENTRY, TEN).pending is None
    locked = I.went_away(IdleState(), T0, AwayReason.LOCK)
    assert I.came_back(locked, T0 + 3600, ENTRY, TEN).away_since == T0


def test_nothing_running_or_started_after_they_left_asks_nothing():
    assert away_for(3600, entry=None).pending is None
    later = EntryKey(9, None, 7, T0 + 120)
    assert away_for(3600, entry=later).pending is None


def test_unanswered_prompt_keeps_the_first_departure_and_the_shown_time_stops_there():
    # bug report: "an unanswered prompt keeps the away time"
    state = away_for(30 * MIN)
    assert I.shown_time(state, T0 + 2 * 3600) == T0
    state = I.went_away(state, T0 + 40 * MIN, AwayReason.IDLE)       # away again, still unanswered
    state = I.came_back(state, T0 + 90 * MIN, ENTRY, TEN)
    assert state.pending is not None and state.pending.left_at == T0
    assert state.pending.back_at == T0 + 90 * MIN
    assert I.shown_time(I.answered(state), T0 + 2 * 3600) == T0 + 2 * 3600


def test_the_earliest_word_of_a_departure_wins_and_sleep_outranks():
    state = I.went_away(IdleState(), T0 + 300, AwayReason.LOCK)
    state = I.went_away(state, T0, AwayReason.SLEEP)
    assert state.away_since == T0 and state.reason is AwayReason.SLEEP


def test_discard_ends_at_the_time_they_left():
    pending = away_for(44 * MIN).pending
    assert I.decide(pending, Choice.DISCARD, ENTRY, T0 + 44 * MIN) == I.StopAt(T0)
    assert I.decide(pending, Choice.CONTINUE, ENTRY, T0 + 44 * MIN) == I.StopAt(T0, restart=True)
    assert I.decide(pending, Choice.KEEP, ENTRY, T0 + 44 * MIN) == I.Keep()


def test_discard_after_the_user_already_stopped_does_nothing():
    # bug report: "a discard that acts after the user already stopped"
    pending = away_for(44 * MIN).pending
    assert I.decide(pending, Choice.DISCARD, None, T0 + 50 * MIN) == I.Refused("stopped")
    other = EntryKey(6, None, 8, T0 + 45 * MIN)
    assert I.decide(pending, Choice.DISCARD, other, T0 + 50 * MIN) == I.Refused("changed")


def test_the_same_entry_confirmed_meanwhile_is_still_the_same():
    local = EntryKey(None, 12, 7, T0 - 3600)
    confirmed = EntryKey(5, 12, 7, T0 - 3600)
    assert local.same_entry(confirmed) and EntryKey(None, 3, 7, T0 - 3600).same_entry(ENTRY)
    assert not ENTRY.same_entry(EntryKey(5, None, 8, T0 - 3600))


def test_stop_at_a_typed_time_between_the_start_and_now():
    pending = away_for(44 * MIN).pending
    now = T0 + 44 * MIN
    assert I.decide(pending, Choice.STOP_AT, ENTRY, now, T0 + 5 * MIN) == I.StopAt(T0 + 5 * MIN)
    assert I.decide(pending, Choice.STOP_AT, ENTRY, now, T0 - 2 * 3600) == I.Refused("too_early")
    assert I.decide(pending, Choice.STOP_AT, ENTRY, now, now + 60) == I.Refused("too_late")
    assert I.decide(None, Choice.KEEP, ENTRY, now) == I.Refused("none")


def test_typed_time_takes_full_width_digits_and_means_yesterday_when_later_than_now():
    jst = timezone(timedelta(hours=9))
    at = I.typed_time("１３：３０", T0, jst)
    assert at is not None and datetime.fromtimestamp(at, jst).strftime("%d %H:%M") == "21 13:30"
    late = I.typed_time("23:10", T0, jst)
    assert late is not None and datetime.fromtimestamp(late, jst).strftime("%d %H:%M") == "20 23:10"
    assert I.typed_time("25:00", T0, UTC) is None and I.typed_time("soon", T0, UTC) is None


def test_a_clock_jump_is_a_sleep_and_a_small_step_is_not():
    assert I.clock_jump(T0, 100.0, T0 + 3600, 160.0) == 3540.0
    assert I.clock_jump(T0, 100.0, T0 + 65, 160.0) is None


# -- a stop made here while the prompt waits (the tray, the shell, a switch) ----------------------


def test_a_stop_made_here_after_they_left_keeps_the_question_about_the_stopped_entry():
    state = I.stopped_here(away_for(44 * MIN), ENTRY, T0 + 50 * MIN)
    pending = state.pending
    assert pending is not None and pending.stopped_at == T0 + 50 * MIN and pending.left_at == T0
    assert I.shown_time(state, T0 + 60 * MIN) == T0 + 60 * MIN  # nothing runs: nothing to hold back


def test_a_stop_made_here_at_or_before_they_left_leaves_nothing_to_decide():
    assert I.stopped_here(away_for(44 * MIN), ENTRY, T0).pending is None


def test_a_stop_of_another_entry_changes_nothing():
    other = EntryKey(entry_id=6, local_ref=None, task_id=7, started_at=T0 - 60)
    state = away_for(44 * MIN)
    assert I.stopped_here(state, other, T0 + 50 * MIN) == state


def test_after_a_stop_here_discard_trims_the_stopped_entry_to_when_they_left():
    pending = I.stopped_here(away_for(44 * MIN), ENTRY, T0 + 50 * MIN).pending
    assert I.decide(pending, Choice.DISCARD, None, T0 + 55 * MIN) == I.EndAt(T0)
    assert I.decide(pending, Choice.KEEP, None, T0 + 55 * MIN) == I.Keep()
    assert I.decide(pending, Choice.CONTINUE, None, T0 + 55 * MIN) == I.Refused("stopped_here")
    assert I.decide(pending, Choice.STOP_AT, None, T0 + 55 * MIN, T0 + 10 * MIN) == I.EndAt(T0 + 10 * MIN)
    assert I.decide(pending, Choice.STOP_AT, None, T0 + 55 * MIN, T0 + 52 * MIN) == I.Refused("too_late")
    assert I.decide(pending, Choice.STOP_AT, None, T0 + 55 * MIN, T0 - 2 * 3600) == I.Refused("too_early")


def test_a_later_absence_does_not_widen_the_question_about_a_stopped_entry():
    state = I.stopped_here(away_for(44 * MIN), ENTRY, T0 + 50 * MIN)
    pending = state.pending
    state = I.went_away(state, T0 + 60 * MIN, AwayReason.IDLE)
    later = EntryKey(entry_id=9, local_ref=None, task_id=7, started_at=T0 + 55 * MIN)
    assert I.came_back(state, T0 + 90 * MIN, later, TEN).pending == pending
