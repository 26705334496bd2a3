"""The away prompt and the reminder notices, on the tray with the real service and the emulator."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from timecrowd_tray.services.commands import Commands
from timecrowd_tray.ui.away_setup import AwayFeature

from .conftest import run_async
from services.idle_harness import FakeIdle, machine_in_utc, tokyo_clock  # noqa: F401 - a fixture


def away_feature(qtbot, app):
    source = FakeIdle()

    async def make():
        return source

    async def no_presence(emit, idle):
        return []

    feature = AwayFeature(app.tray, app.service, app.settings, lambda c: __import__("asyncio").ensure_future(c),
                          idle_source=make, presence=no_presence, clock=app.clock)
    run_async(qtbot, feature.start())
    return feature, source


def start_running(qtbot, app):
    task = app.service.recent_tasks[0]
    app.tray.start_task(task)
    qtbot.waitUntil(lambda: app.running() is not None and not app.service.state.pending, timeout=5000)
    return app.running()["id"]


def go_away(qtbot, app, feature, source, seconds):
    app.clock.advance(20 * 60)  # worked 20 minutes, then left
    left = app.clock()
    app.clock.advance(seconds)
    source.idle = seconds
    run_async(qtbot, feature.watch.check())
    app.clock.advance(3)
    source.idle = 1.0
    run_async(qtbot, feature.watch.check())
    return left


def test_the_prompt_says_when_they_left_counts_to_then_and_discard_ends_the_entry_there(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    left = go_away(qtbot, app, feature, source, 44 * 60)
    prompt = feature.host.prompt
    assert prompt is not None and prompt.isVisible() and prompt.keep.isDefault()
    assert "44" in prompt.message.text()
    prompt.reject()                                           # Esc: no answer, the prompt stays
    assert prompt.isVisible() and feature.watch.pending is not None
    assert app.tray.now().timestamp() == left                 # the time shown stops when they left
    status = Commands(app.service, app.tray).status()
    assert status["idle"] == feature.watch.status() and status["idle"]["seconds"] == 44 * 60 + 2
    assert status["elapsed_seconds"] == int(left - app.service.state.started_at.timestamp())
    prompt.discard.click()
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] is not None, timeout=5000)
    assert app.emulator.entry(entry_id)["stopped_at"] == int(left)
    assert feature.host.prompt is None and app.tray.now().timestamp() == app.clock()
    run_async(qtbot, feature.aclose())


def test_an_entry_changed_elsewhere_is_said_and_left_alone(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    go_away(qtbot, app, feature, source, 30 * 60)
    app.emulator.stop_entry(app.me, entry_id)
    run_async(qtbot, app.service.refresh())
    stopped_at = app.emulator.entry(entry_id)["stopped_at"]
    feature.host.prompt.continue_.click()
    assert any("stopped since you left" in n.message for n in app.tray.notifier.history)
    assert app.emulator.entry(entry_id)["stopped_at"] == stopped_at and app.running() is None
    run_async(qtbot, feature.aclose())


def test_stop_at_a_typed_time_or_says_why_not(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    left = go_away(qtbot, app, feature, source, 30 * 60)
    prompt = feature.host.prompt
    prompt.time_edit.setText("99:99")
    prompt.stop_at.click()
    assert prompt.note.isVisible() and feature.host.prompt is prompt
    prompt.time_edit.setText(tokyo_clock(left + 600))     # the account's zone, as the prompt shows times
    prompt.stop_at.click()
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] is not None, timeout=5000)
    assert abs(app.emulator.entry(entry_id)["stopped_at"] - (left + 600)) < 60
    run_async(qtbot, feature.aclose())


def test_a_reminder_offers_the_latest_task_and_snoozes(qtbot, app_under_test):
    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    task = app.service.recent_tasks[0]
    feature.notices.remind(task)
    window = feature.notices.window
    assert window is not None and task.title in window.label.text()
    assert set(window.buttons) == {"act", "15m", "1h", "today", "dismiss"}
    window.buttons["act"].click()
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    assert app.running()["task_id"] == task.id
    feature.notices.remind(task)
    feature.notices.window.buttons["1h"].click()
    assert feature.reminders.state.snoozed_until == app.clock() + 3600
    QApplication.processEvents()
    run_async(qtbot, feature.aclose())


def test_an_answer_from_the_shell_closes_the_prompt(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    start_running(qtbot, app)
    go_away(qtbot, app, feature, source, 30 * 60)
    prompt = feature.host.prompt
    answer = run_async(qtbot, Commands(app.service, app.tray).handle({"cmd": "idle", "answer": "keep"}))
    assert answer["ok"] and answer["action"] == "kept" and answer["status"]["idle"] is None
    assert feature.host.prompt is None and prompt is not None
    none = run_async(qtbot, Commands(app.service, app.tray).handle({"cmd": "idle", "answer": "keep"}))
    assert not none["ok"] and none["code"] == "no_idle"
    run_async(qtbot, feature.aclose())


def test_a_reminder_without_a_recent_task_opens_the_palette(qtbot, app_under_test):
    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    feature.notices.remind(None)
    window = feature.notices.window
    assert window is not None and window.buttons["act"].isVisibleTo(window)
    window.buttons["act"].click()
    assert app.tray.palette is not None
    qtbot.waitUntil(lambda: app.tray.palette.isVisible(), timeout=5000)
    app.tray.palette.close()
    run_async(qtbot, feature.aclose())


def test_a_stop_from_the_tray_keeps_the_prompt_and_says_so_and_discard_trims_the_entry(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    left = go_away(qtbot, app, feature, source, 44 * 60)
    prompt = feature.host.prompt
    app.clock.advance(60)
    app.tray.stop(with_comment=False)                 # the user stops from the tray, the prompt unanswered
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] is not None, timeout=5000)
    assert feature.host.prompt is prompt and prompt.isVisible()
    assert "You stopped the timer" in prompt.message.text() and "web" not in prompt.message.text()
    assert not prompt.continue_.isVisibleTo(prompt) and prompt.stop_at.text() == "End at…"
    stopped = app.clock()
    app.clock.advance(600)
    prompt.time_edit.setText(tokyo_clock(stopped + 300))
    prompt.stop_at.click()                            # after the stop: said, nothing done
    assert prompt.note.isVisible() and "after you stopped" in prompt.note.text()
    prompt.discard.click()
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] == int(left), timeout=5000)
    assert feature.host.prompt is None
    assert not any("web" in n.message for n in app.tray.notifier.history)
    run_async(qtbot, feature.aclose())


def test_the_shell_answers_after_a_stop_here(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    left = go_away(qtbot, app, feature, source, 30 * 60)
    app.clock.advance(60)
    stop = run_async(qtbot, Commands(app.service, app.tray).handle({"cmd": "stop"}))
    assert stop["ok"] and feature.host.prompt is not None
    status = Commands(app.service, app.tray).status()
    assert status["idle"]["stopped_at"] is not None
    cont = run_async(qtbot, Commands(app.service, app.tray).handle({"cmd": "idle", "answer": "continue"}))
    assert not cont["ok"] and cont["code"] == "stopped_here" and feature.host.prompt is not None
    done = run_async(qtbot, Commands(app.service, app.tray).handle({"cmd": "idle", "answer": "discard"}))
    assert done["ok"] and done["action"] == "discarded" and feature.host.prompt is None
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] == int(left), timeout=5000)
    assert app.running() is None
    run_async(qtbot, feature.aclose())


def test_the_japanese_of_the_prompt_reads_naturally(qapp):
    """The minutes and the time sit in 「（）」, not glued to the verb; the quit question names the task in 「」."""
    from PySide6.QtCore import QTranslator

    from timecrowd_tray.ui.i18n import qm_path

    translator = QTranslator()
    assert translator.load(str(qm_path("ja")))
    away = translator.translate("IdlePrompt", "You were away from %1 for %2 while the timer ran.")
    assert away.replace("%1", "13:20").replace("%2", "44 分") == \
        "タイマーの計測中に離席していました（13:20 から 44 分）。"
    stopped = translator.translate("IdlePrompt", "You stopped the timer at %1. The time away from %2 (%3) is still "
                                                 "in that entry: discard it?")
    assert stopped.startswith("%1 にタイマーを停止しました。") and stopped.endswith("除きますか？")
    quit_text = translator.translate("QuitPrompt", "The timer is running: %1. Stop it before quitting?")
    assert quit_text == "「%1」を計測中です。終了する前に停止しますか？"
    assert translator.translate("AwaySettingsFields", "Ask about time away after:") == "離席とみなすまで："


def test_a_reminder_starts_the_task_it_named_even_when_the_latest_changed_since(qtbot, app_under_test):
    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    named = app.service.recent_tasks[1]               # the latest then; another became the latest since
    feature.notices.remind(named)
    feature.notices.window.buttons["act"].click()
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    assert app.running()["task_id"] == named.id
    run_async(qtbot, feature.aclose())


@pytest.mark.usefixtures("machine_in_utc")
def test_the_prompt_shows_and_reads_the_accounts_time_on_a_machine_elsewhere(qtbot, app_under_test):
    app = app_under_test
    feature, source = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    left = go_away(qtbot, app, feature, source, 30 * 60)
    prompt = feature.host.prompt
    assert tokyo_clock(left) in prompt.message.text()       # 14:20 in Tokyo, not 05:20 on this machine
    assert prompt.time_edit.text() == tokyo_clock(left)
    prompt.time_edit.setText(tokyo_clock(left + 600))        # "Stop at 14:30" means 14:30 in Tokyo
    prompt.stop_at.click()
    qtbot.waitUntil(lambda: app.emulator.entry(entry_id)["stopped_at"] is not None, timeout=5000)
    assert abs(app.emulator.entry(entry_id)["stopped_at"] - (left + 600)) < 60
    run_async(qtbot, feature.aclose())


@pytest.mark.usefixtures("machine_in_utc")
def test_a_forgotten_timer_notice_shows_the_accounts_times(qtbot, app_under_test):
    from timecrowd_tray.core.idle import EntryKey
    from timecrowd_tray.services.reminders import Forgotten

    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    task = app.service.recent_tasks[0]
    started, last_active = app.clock() - 11 * 3600, app.clock() - 3600
    feature.notices.forgotten(Forgotten(EntryKey(1, None, task.id, started), task, started, last_active))
    text = feature.notices.window.label.text()
    assert f"since {tokyo_clock(started)}" in text and f"at {tokyo_clock(last_active)}" in text
    assert feature.notices.window.buttons["act"].text() == f"End at {tokyo_clock(last_active)}"
    feature.notices.choose("dismiss")
    run_async(qtbot, feature.aclose())


def test_the_error_line_grows_the_prompt_and_nothing_is_cut_off(qtbot):
    from zoneinfo import ZoneInfo

    from timecrowd_tray.core.idle import AwayReason, Pending
    from timecrowd_tray.ui.idle_prompt import IdlePrompt

    from support.layouts import layout_problems

    left = 1761019380.0
    prompt = IdlePrompt(Pending(left, left + 44 * 60, AwayReason.IDLE, entry=None),  # type: ignore[arg-type]
                        "ログイン画面の改修（お客様向けの新しいサインイン画面）", ZoneInfo("Asia/Tokyo"))
    qtbot.addWidget(prompt)
    prompt.popup()
    qtbot.waitExposed(prompt, timeout=5000)
    height = prompt.height()
    prompt.say("That time is before the entry started. " * 3)  # a long one, wrapped over lines
    QApplication.processEvents()
    assert prompt.height() > height
    assert layout_problems(prompt) == []
    prompt.closing = True
