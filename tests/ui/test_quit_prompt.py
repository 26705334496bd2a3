"""Quit and Sign out while a timer runs ask first: stop it now, keep it running on the server, or cancel."""

from __future__ import annotations

from timecrowd_tray.ui.away_setup import AwayFeature

from .conftest import run_async
from .test_idle_prompt import away_feature, start_running


def leaving(qtbot, app, feature: AwayFeature, action: str):
    quits, sign_outs = [], []
    app.tray.quit_requested.connect(lambda: quits.append(1))
    app.tray.sign_out_requested.connect(lambda: sign_outs.append(1))
    getattr(app.tray, action)()
    return feature.quit_prompt, quits, sign_outs


def test_nothing_running_quits_without_asking(qtbot, app_under_test):
    feature, _ = away_feature(qtbot, app_under_test)
    prompt, quits, _ = leaving(qtbot, app_under_test, feature, "quit")
    assert prompt is None and quits == [1]
    run_async(qtbot, feature.aclose())


def test_cancel_stays_and_keep_quits_with_the_timer_running(qtbot, app_under_test):
    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    prompt, quits, _ = leaving(qtbot, app, feature, "quit")
    assert prompt is not None and prompt.isVisible() and prompt.defaultButton() is prompt.cancel_button
    prompt.cancel_button.click()
    assert quits == [] and feature.quit_prompt is None
    app.tray.quit()
    feature.quit_prompt.keep_button.click()
    assert quits == [1] and app.emulator.entry(entry_id)["stopped_at"] is None
    run_async(qtbot, feature.aclose())


def test_stop_now_stops_on_the_server_then_signs_out(qtbot, app_under_test):
    app = app_under_test
    feature, _ = away_feature(qtbot, app)
    entry_id = start_running(qtbot, app)
    prompt, _, sign_outs = leaving(qtbot, app, feature, "sign_out")
    assert "signing out" in prompt.text()
    prompt.stop_button.click()
    qtbot.waitUntil(lambda: sign_outs == [1], timeout=5000)
    assert app.emulator.entry(entry_id)["stopped_at"] is not None
    run_async(qtbot, feature.aclose())
