"""An open Settings dialog shows what `timecrowd-tray config set` wrote meanwhile.

Untouched fields take the new values at once; a field the user edited keeps what they typed, and
the dialog says which field was changed elsewhere and to what (OK saves theirs, Cancel keeps the
new one). Driven as the app is wired: the shell's ``settings_changed`` request reaches the real
:class:`~timecrowd_tray.ui.controls.Controls`, which hands the values to the tray controller.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtTest import QTest

from timecrowd_tray.ui.controls import install_controls
from timecrowd_tray.ui.settings_dialog import SettingsDialog

from .conftest import flush_deletes
from .test_shortcut_recording import GrabbingBackend


def _write_as_the_shell(store, **values) -> None:
    """What `timecrowd-tray config set` does: another process writes the file."""
    lines = "".join(f"{key}={value}\n" for key, value in values.items())
    with open(store.location, "w", encoding="utf-8") as file:
        file.write("[General]\n" + lines)


def test_config_set_shows_in_the_open_dialog_and_keeps_what_the_user_typed(qtbot, app_under_test):
    tray, store = app_under_test.tray, app_under_test.settings
    controls = install_controls(tray, app_under_test.service, store, lambda message: None,
                                backend=GrabbingBackend(), start_server=False)
    controls.settings_changed = tray.settings_saved  # as the app wires it
    try:
        dialog: SettingsDialog = tray.show_settings()
        qtbot.waitExposed(dialog)
        dialog.api_base.clear()
        QTest.keyClicks(dialog.api_base, "https://mine.example")  # the user is editing this one
        _write_as_the_shell(store, api_base="https://shell.example", poll_interval=120,
                            **{"hotkey.palette": "Ctrl+Alt+P"})
        answer = controls.handle({"cmd": "settings_changed", "keys": ["api_base", "poll_interval",
                                                                       "hotkey.palette"]})
        assert answer["ok"] is True

        assert dialog.poll_interval.value() == 120  # untouched: the new values, at once
        assert dialog.hotkey_palette.sequence() == "Ctrl+Alt+P"
        assert dialog.api_base.text() == "https://mine.example"  # edited: kept
        notice = dialog.elsewhere_label
        assert notice.isVisible()
        assert "Check the server every" in notice.text() and "Task palette shortcut" in notice.text()
        assert "TimeCrowd server was changed elsewhere to \u201chttps://shell.example\u201d" in notice.text()
        assert not dialog.error_label.isVisible()

        with qtbot.waitSignal(dialog.settings_changed, timeout=5000) as saved:
            dialog.buttons.accepted.emit()  # OK: the user's server over the shell's, nothing else changes
        assert saved.args[0] == {"api_base": "https://mine.example"}
        assert store.get("api_base") == "https://mine.example" and store.get("poll_interval") == 120
    finally:
        controls.close()
        if tray.settings_dialog is not None and shiboken6.isValid(tray.settings_dialog):
            tray.settings_dialog.close()
        flush_deletes()


def test_a_field_edited_to_the_new_value_is_no_conflict(qtbot, settings_store):
    dialog = SettingsDialog(settings_store)
    dialog.show()
    try:
        dialog.poll_interval.setValue(90)
        settings_store.set("poll_interval", 90)
        dialog.show_new_settings({"poll_interval": 90})
        assert not dialog.elsewhere_label.isVisible()  # nothing to say: it shows what the file has
        flipped = not dialog.comment_on_stop.isChecked()
        settings_store.set("comment_on_stop", flipped)
        dialog.show_new_settings({"comment_on_stop": flipped})
        assert dialog.comment_on_stop.isChecked() is flipped
        assert dialog.elsewhere_label.text() == \
            "Updated from the settings file: Ask for a comment when the timer stops."
    finally:
        dialog.close()
        flush_deletes()


def test_a_shortcut_field_that_records_is_not_changed_under_the_user(qtbot, settings_store):
    dialog = SettingsDialog(settings_store)
    dialog.show()
    qtbot.waitExposed(dialog)
    try:
        before = dialog.hotkey_toggle.sequence()
        dialog.hotkey_toggle.start_recording()
        settings_store.set("hotkey.toggle", "Ctrl+Alt+K")
        dialog.show_new_settings({"hotkey.toggle": "Ctrl+Alt+K"})
        assert dialog.hotkey_toggle.is_recording() and dialog.hotkey_toggle.sequence() == before
        assert "Start/stop shortcut was changed elsewhere to \u201cCtrl+Alt+K\u201d" in dialog.elsewhere_label.text()
    finally:
        dialog.close()
        flush_deletes()


def test_what_the_dialog_saved_itself_says_nothing(qtbot, settings_store):
    """The tray hands the dialog every change, its own save included: that one is not "elsewhere"."""
    dialog = SettingsDialog(settings_store)
    dialog.show()
    try:
        dialog.poll_interval.setValue(75)
        dialog.settings_changed.connect(dialog.show_new_settings)  # as the tray does, during the save
        with qtbot.waitSignal(dialog.settings_changed, timeout=5000):
            dialog.buttons.accepted.emit()
        assert dialog.elsewhere_label.text() == ""
    finally:
        if shiboken6.isValid(dialog):
            dialog.close()
        flush_deletes()
