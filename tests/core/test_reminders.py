"""Reminder and forgotten-timer rules, with hand-made times in Tokyo."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from timecrowd_tray.core import reminders as R
from timecrowd_tray.core.reminders import ReminderConfig, ReminderState, Snooze

JST = timezone(timedelta(hours=9))
TUE_14 = datetime(2025, 10, 21, 14, 0, tzinfo=JST).timestamp()
CFG = ReminderConfig()


def at(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2025, 10, day, hour, minute, tzinfo=JST).timestamp()


def test_reminds_after_the_active_minutes_not_tracking():
    state = R.not_tracking(ReminderState(), TUE_14)
    assert R.due_at(state, CFG, JST) == TUE_14 + 15 * 60
    assert not R.should_remind(state, CFG, TUE_14 + 14 * 60, JST, present=True)
    assert R.should_remind(state, CFG, TUE_14 + 15 * 60, JST, present=True)


def test_never_right_after_a_stop():
    # bug report: "reminders that fire right after a stop"
    quick = ReminderConfig(minutes=1)
    state = R.stopped(ReminderState(), TUE_14)
    assert not R.should_remind(state, quick, TUE_14 + 60, JST, present=True)
    assert R.due_at(state, quick, JST) == TUE_14 + R.STOP_GRACE


def test_never_while_away_and_the_count_restarts_on_return():
    state = R.not_tracking(ReminderState(), TUE_14)
    assert not R.should_remind(state, CFG, TUE_14 + 3600, JST, present=False)
    state = R.returned(state, TUE_14 + 3600)
    assert not R.should_remind(state, CFG, TUE_14 + 3600 + 60, JST, present=True)
    assert R.due_at(state, CFG, JST) == TUE_14 + 3600 + 15 * 60


def test_never_twice_for_the_same_gap_but_again_after_a_snooze():
    state = R.reminded(R.not_tracking(ReminderState(), TUE_14))
    assert R.due_at(state, CFG, JST) is None
    snoozed = R.snoozed(state, Snooze.QUARTER, TUE_14 + 20 * 60, CFG, JST)
    assert R.due_at(snoozed, CFG, JST) == TUE_14 + 35 * 60
    assert R.due_at(R.snoozed(state, Snooze.HOUR, TUE_14, CFG, JST), CFG, JST) == TUE_14 + 3600
    tomorrow = R.due_at(R.snoozed(state, Snooze.TODAY, TUE_14, CFG, JST), CFG, JST)
    assert tomorrow == at(22, 9)


def test_a_new_gap_after_a_start_and_stop_is_reminded_again():
    state = R.reminded(R.not_tracking(ReminderState(), TUE_14))
    state = R.stopped(R.started(state), TUE_14 + 3600)
    assert R.due_at(state, CFG, JST) == TUE_14 + 3600 + 15 * 60


def test_only_in_working_hours_and_days():
    # bug report: reminders "never" fire: a gap from before 9:00 is reminded at 9:00 sharp
    early = R.not_tracking(ReminderState(), at(21, 7))
    assert R.due_at(early, CFG, JST) == at(21, 9)
    evening = R.not_tracking(ReminderState(), at(21, 17, 50))
    assert R.due_at(evening, CFG, JST) == at(22, 9)
    friday = R.not_tracking(ReminderState(), at(24, 18, 30))
    assert R.due_at(friday, CFG, JST) == at(27, 9)  # Monday
    assert not R.should_remind(friday, CFG, at(25, 11), JST, present=True)  # Saturday


def test_zero_minutes_is_off():
    assert R.due_at(R.not_tracking(ReminderState(), TUE_14), ReminderConfig(minutes=0), JST) is None


def test_settings_text():
    assert R.parse_hours("9:00-18:30") == (time(9), time(18, 30))
    assert R.parse_days("mon-fri") == frozenset(range(5))
    assert R.parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    for bad in ("18:00-09:00", "9-18", "25:00-26:00"):
        with pytest.raises(ValueError):
            R.parse_hours(bad)
    with pytest.raises(ValueError):
        R.parse_days("someday")


def test_forgotten_timers():
    started = at(21, 9)
    assert not R.is_forgotten(started, at(21, 18), 10, JST)
    assert R.is_forgotten(started, at(21, 19), 10, JST)
    assert R.is_forgotten(at(21, 17), at(22, 8), 10, JST)   # across the night
    assert not R.is_forgotten(started, at(21, 23), 0, JST)
    assert R.forgotten_end(started, at(21, 18, 5)) == at(21, 18, 5)
    assert R.forgotten_end(started, at(20, 18)) is None
