"""The settings dialog round-trips every key; bad values are refused, bad stored values fall back."""

from __future__ import annotations

import logging

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from timecrowd_tray.core.settings import SCHEMA
from timecrowd_tray.platform.settings_store import SettingsStore
from timecrowd_tray.ui.settings_dialog import SettingsDialog

from .conftest import flush_deletes


@pytest.fixture
def dialog(qtbot, settings_store):
    dlg = SettingsDialog(settings_store)
    dlg.show()
    yield dlg
    if shiboken6.isValid(dlg):
        dlg.close()
    flush_deletes()


def test_shows_the_defaults(dialog):
    assert dialog.raw_values() == {key: setting.default for key, setting in SCHEMA.items()}


def test_round_trip(qtbot, dialog, settings_store):
    dialog.api_base.setText("http://127.0.0.1:8080/")
    dialog.hotkey_toggle.setKeySequence(QKeySequence("Ctrl+Alt+K"))
    dialog.hotkey_palette.clear()  # turned off
    dialog.poll_interval.setValue(120)
    dialog.comment_on_stop.setChecked(False)
    dialog.notifications.setChecked(True)
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    dialog.autostart.setChecked(False)
    with qtbot.waitSignal(dialog.settings_changed, timeout=1000) as changed:
        dialog.buttons.accepted.emit()
    expected = {"api_base": "http://127.0.0.1:8080", "hotkey.toggle": "Ctrl+Alt+K", "hotkey.palette": "",
                "poll_interval": 120, "comment_on_stop": False, "notifications": True, "language": "ja"}
    assert changed.args[0] == expected
    assert {k: settings_store.get(k) for k in expected} == expected
    # a second dialog shows what was stored
    again = SettingsDialog(settings_store)
    assert {k: v for k, v in again.raw_values().items() if k in expected} == expected
    again.close()


def test_invalid_value_is_refused_and_nothing_is_written(qtbot, dialog, settings_store):
    dialog.api_base.setText("http://example.com")
    dialog.poll_interval.setValue(90)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and "https://" in dialog.error_label.text()
    assert not settings_store.is_set("api_base") and not settings_store.is_set("poll_interval")


def test_the_two_shortcuts_must_differ(dialog):
    dialog.hotkey_toggle.setKeySequence(QKeySequence("Ctrl+Alt+K"))
    dialog.hotkey_palette.setKeySequence(QKeySequence("Ctrl+Alt+K"))
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error_label.isVisible()


def test_restore_defaults(dialog, settings_store):
    settings_store.set("poll_interval", 300)
    dialog.load(settings_store.all())
    dialog.restore_defaults()
    assert dialog.poll_interval.value() == SCHEMA["poll_interval"].default


def test_invalid_stored_value_falls_back_with_a_warning(tmp_path, caplog, qapp):
    path = tmp_path / "broken.ini"
    path.write_text("[General]\npoll_interval=soon\nlanguage=klingon\ncomment_on_stop=maybe\n", encoding="utf-8")
    store = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat))
    with caplog.at_level(logging.WARNING):
        values = store.all()
    assert values["poll_interval"] == SCHEMA["poll_interval"].default
    assert values["language"] == "system"
    assert values["comment_on_stop"] is True
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "poll_interval" in warned and "language" in warned and "comment_on_stop" in warned
    dlg = SettingsDialog(store)  # and the dialog opens on the defaults
    assert dlg.poll_interval.value() == SCHEMA["poll_interval"].default
    dlg.close()


def test_shortcut_problems_are_shown_next_to_their_fields(qtbot, settings_store):
    problems = {"toggle": "No global shortcut on this desktop: bind a desktop shortcut to “timecrowd-tray toggle”."}
    dlg = SettingsDialog(settings_store, shortcut_problems=problems)
    dlg.show()
    try:
        assert dlg.hotkey_toggle_problem.isVisible() and dlg.hotkey_toggle_problem.text() == problems["toggle"]
        assert not dlg.hotkey_palette_problem.isVisible()
        dlg.hotkey_toggle.setKeySequence(QKeySequence("Ctrl+Alt+J"))  # another combination: the problem is moot
        assert not dlg.hotkey_toggle_problem.isVisible()
    finally:
        dlg.close()
        flush_deletes()


def test_no_shortcut_problem_shows_nothing(dialog):
    assert not dialog.hotkey_toggle_problem.isVisible() and not dialog.hotkey_palette_problem.isVisible()


def test_the_server_hint_says_it_applies_at_once(dialog):
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("applies at once" in t for t in texts)
    assert not any("next time you sign in" in t for t in texts)
