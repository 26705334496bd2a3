"""The settings dialog round-trips every key; bad values are refused, bad stored values fall back.

The shortcut fields are driven with key events as a keyboard sends them (a
combination another application grabbed on X11 arrives as its modifiers alone),
and the Japanese dialog is laid out for real (offscreen) and checked for
clipped or padded labels.
"""

from __future__ import annotations

import logging

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QFormLayout, QLabel, QLineEdit

from timecrowd_tray.core.settings import SCHEMA
from timecrowd_tray.platform.settings_store import SettingsStore
from timecrowd_tray.ui.i18n import Translations
from timecrowd_tray.ui.settings_dialog import SettingsDialog

from .conftest import flush_deletes

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def keys_of(field):
    """Where a field's keys go (the box inside it)."""
    return field.focusProxy() or field


def combo(field, key, modifiers):
    """Press and release ``modifiers`` + ``key`` on ``field``, as a keyboard does (modifiers first)."""
    QTest.keyClick(keys_of(field), key, modifiers)


def modifiers_only(field, *keys):
    """What reaches the app of a combination another app grabbed (X11): its modifiers, never its key."""
    target = keys_of(field)
    flags = {Qt.Key.Key_Control: CTRL, Qt.Key.Key_Alt: ALT, Qt.Key.Key_Shift: SHIFT}
    held = NONE
    for key in keys:
        held |= flags[key]
        QCoreApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, held))
    for key in reversed(keys):
        QCoreApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, held))
        held &= ~flags[key]
    QApplication.processEvents()


def click(widget):
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


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
    click(keys_of(dialog.hotkey_toggle))
    combo(dialog.hotkey_toggle, Qt.Key.Key_K, CTRL | ALT)
    click(dialog.hotkey_palette.clear_button)  # turned off, on purpose
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


def test_the_two_shortcuts_must_differ(dialog, settings_store):
    combo(dialog.hotkey_toggle, Qt.Key.Key_K, CTRL | ALT)
    combo(dialog.hotkey_palette, Qt.Key.Key_K, CTRL | ALT)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert dialog.error_label.text() == "The two shortcuts must be different."
    assert not settings_store.is_set("hotkey.toggle") and not settings_store.is_set("hotkey.palette")


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
        combo(dlg.hotkey_toggle, Qt.Key.Key_J, CTRL | ALT)  # another combination: the problem is moot
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


# -- a shortcut field never loses its shortcut -----------------------------------------------------


def test_a_combination_that_never_arrives_keeps_the_shortcut(qtbot, dialog, settings_store):
    """Another app grabbed Ctrl+Alt+Shift+K (X11): only its modifiers reach the field. OK keeps the old one."""
    click(keys_of(dialog.hotkey_toggle))
    modifiers_only(dialog.hotkey_toggle, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Shift)
    assert dialog.raw_values()["hotkey.toggle"] == "Ctrl+Alt+Shift+T"
    with qtbot.assertNotEmitted(dialog.settings_changed):
        dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert settings_store.get("hotkey.toggle") == "Ctrl+Alt+Shift+T"


def test_a_click_never_clears_a_shortcut(dialog):
    for _ in range(3):
        click(keys_of(dialog.hotkey_palette))
    QTest.mouseDClick(keys_of(dialog.hotkey_palette), Qt.MouseButton.LeftButton)
    assert dialog.raw_values()["hotkey.palette"] == "Ctrl+Alt+Shift+Space"


def test_modifiers_alone_or_a_bare_key_change_nothing(dialog):
    field = dialog.hotkey_toggle
    click(keys_of(field))
    modifiers_only(field, Qt.Key.Key_Control, Qt.Key.Key_Alt)
    combo(field, Qt.Key.Key_K, NONE)     # no modifier: no global shortcut
    combo(field, Qt.Key.Key_K, SHIFT)    # Shift alone is not enough
    assert field.sequence() == "Ctrl+Alt+Shift+T"
    assert "cannot be a global shortcut" in dialog.hotkey_toggle_problem.text()
    assert dialog.hotkey_toggle_problem.isVisible()
    combo(field, Qt.Key.Key_K, CTRL | ALT)
    assert field.sequence() == "Ctrl+Alt+K" and not dialog.hotkey_toggle_problem.isVisible()


def test_escape_cancels_the_recording_not_the_dialog(dialog, settings_store):
    field = dialog.hotkey_toggle
    click(keys_of(field))
    combo(field, Qt.Key.Key_K, CTRL | ALT)
    assert field.sequence() == "Ctrl+Alt+K"
    combo(field, Qt.Key.Key_Escape, NONE)
    assert field.sequence() == "Ctrl+Alt+Shift+T" and not field.is_recording()
    assert dialog.isVisible()  # Escape ended the recording, it did not close the dialog
    assert field.display_text() == "Ctrl+Alt+Shift+T"


def test_clear_turns_a_shortcut_off_on_purpose(qtbot, dialog, settings_store):
    click(dialog.hotkey_palette.clear_button)
    assert dialog.hotkey_palette.display_text() == "Off"
    click(keys_of(dialog.hotkey_toggle))
    combo(dialog.hotkey_toggle, Qt.Key.Key_Backspace, NONE)  # Backspace (or Delete) too
    assert dialog.hotkey_toggle.display_text() == "Off"
    with qtbot.waitSignal(dialog.settings_changed, timeout=1000) as changed:
        dialog.buttons.accepted.emit()
    assert changed.args[0] == {"hotkey.toggle": "", "hotkey.palette": ""}
    assert settings_store.get("hotkey.toggle") == "" and settings_store.get("hotkey.palette") == ""


def test_an_empty_shortcut_nobody_cleared_is_never_saved(dialog, settings_store):
    dialog.hotkey_toggle.set_sequence("")  # how a lost key press used to end
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "Clear" in dialog.error_label.text()
    assert settings_store.get("hotkey.toggle") == "Ctrl+Alt+Shift+T"


def test_the_other_shortcuts_combination_is_recorded_and_reported(dialog, settings_store):
    field = dialog.hotkey_toggle
    click(keys_of(field))
    combo(field, Qt.Key.Key_Space, CTRL | ALT | SHIFT)  # the palette's own: reaches the field, is not lost
    assert field.sequence() == "Ctrl+Alt+Shift+Space"
    assert dialog.hotkey_toggle_problem.isVisible()
    assert "task palette shortcut" in dialog.hotkey_toggle_problem.text()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error_label.text() == "The two shortcuts must be different."
    assert not settings_store.is_set("hotkey.toggle")


def test_must_be_different_goes_after_restore_defaults(dialog):
    combo(dialog.hotkey_toggle, Qt.Key.Key_K, CTRL | ALT)
    combo(dialog.hotkey_palette, Qt.Key.Key_K, CTRL | ALT)
    dialog.buttons.accepted.emit()
    assert dialog.error_label.isVisible()
    dialog.restore_defaults()
    assert not dialog.error_label.isVisible() and dialog.error_label.text() == ""
    assert not dialog.hotkey_toggle_problem.isVisible() and not dialog.hotkey_palette_problem.isVisible()


def test_must_be_different_goes_once_the_values_are_valid(dialog):
    combo(dialog.hotkey_toggle, Qt.Key.Key_K, CTRL | ALT)
    combo(dialog.hotkey_palette, Qt.Key.Key_K, CTRL | ALT)
    dialog.buttons.accepted.emit()
    assert dialog.error_label.isVisible()
    combo(dialog.hotkey_palette, Qt.Key.Key_L, CTRL | ALT)
    assert not dialog.error_label.isVisible()


def test_an_invalid_server_message_goes_once_it_is_fixed(dialog):
    dialog.api_base.setText("http://example.com")
    dialog.buttons.accepted.emit()
    assert dialog.error_label.isVisible()
    dialog.api_base.setText("https://example.com")
    assert not dialog.error_label.isVisible()


# -- the Japanese dialog ---------------------------------------------------------------------------------


@pytest.fixture
def japanese(qapp):
    translations = Translations(qapp)
    translations.apply("ja")
    yield
    translations.apply("en")


def _problems(widget):
    """Every visible text of ``widget`` that its geometry clips, or pads with empty lines."""
    found = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        size = label.size()
        if label.wordWrap():
            needed = label.heightForWidth(size.width())
            if needed > size.height():
                found.append(f"clipped: {label.text()!r} needs {needed} px, has {size.height()}")
            elif needed < size.height() - 2:
                found.append(f"padded: {label.text()!r} needs {needed} px, has {size.height()}")
        else:
            hint = label.sizeHint()
            if hint.width() > size.width() or hint.height() > size.height():
                found.append(f"clipped: {label.text()!r} wants {hint.toTuple()}, has {size.toTuple()}")
    for control in widget.findChildren(QAbstractButton) + widget.findChildren(QLineEdit):
        if not control.isVisible():
            continue
        if isinstance(control, QLineEdit):
            text_width = control.fontMetrics().horizontalAdvance(control.text())
            if text_width > control.contentsRect().width() - 4:
                found.append(f"clipped: {control.text()!r} ({text_width} px) in a {control.width()} px box")
        elif control.sizeHint().width() > control.width():
            found.append(f"clipped: {control.text()!r} wants {control.sizeHint().width()} px, "
                         f"has {control.width()}")
    return found


def test_the_japanese_dialog_clips_nothing_and_has_no_gaps(qtbot, japanese, settings_store):
    problems = {"palette": QCoreApplication.translate(
        "Controls", "This combination is already used by another application: choose another one.")}
    dlg = SettingsDialog(settings_store, shortcut_problems=problems)
    dlg.show()
    dlg.adjustSize()
    qtbot.wait(20)
    try:
        assert dlg.hotkey_palette_problem.isVisible()
        assert _problems(dlg) == []
        # An error, then a narrower window: still nothing clipped.
        combo(dlg.hotkey_toggle, Qt.Key.Key_K, CTRL | ALT)
        combo(dlg.hotkey_palette, Qt.Key.Key_K, CTRL | ALT)
        dlg.buttons.accepted.emit()
        assert dlg.error_label.isVisible()
        dlg.resize(dlg.minimumWidth(), dlg.height())
        qtbot.wait(20)
        assert _problems(dlg) == []
        # The message goes: the window gives its room back (no empty band where it was).
        dlg.restore_defaults()
        qtbot.wait(20)
        assert dlg.height() <= dlg.needed_height() + 2
    finally:
        dlg.close()
        flush_deletes()


def test_the_japanese_dialog_uses_one_term_and_full_width_colons(qtbot, japanese, settings_store):
    dlg = SettingsDialog(settings_store)
    try:
        form = dlg.findChild(QFormLayout)
        form_labels = [form.labelForField(form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget())
                       for row in range(form.rowCount()) if form.itemAt(row, QFormLayout.ItemRole.FieldRole)]
        texts = [label.text() for label in form_labels if label is not None]
        assert texts and all(text.endswith("：") for text in texts), texts
        everything = [w.text() for w in dlg.findChildren(QLabel) + dlg.findChildren(QCheckBox)]
        assert not [t for t in everything if ":" in t and "://" not in t and not t.startswith("保存場所：")], everything
        assert "開始・停止のショートカット：" in texts
        assert not [t for t in everything if "開始/停止" in t]
        assert dlg.hotkey_toggle.record_button.text() == "記録" and dlg.hotkey_toggle.clear_button.text() == "クリア"
    finally:
        dlg.close()
        flush_deletes()


def test_demo_mode_says_where_it_is_connected(qtbot, tmp_path):
    """Before: Settings showed https://timecrowd.net while the demo talked to the emulator."""
    from timecrowd_tray.ui.settings_dialog import SettingsDialog

    store = SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    dialog = SettingsDialog(store, demo_server="http://127.0.0.1:40123")
    qtbot.addWidget(dialog)
    hint = dialog.findChild(QLabel, "serverHint")
    assert "http://127.0.0.1:40123" in hint.text() and "--demo" in hint.text()
    plain = SettingsDialog(store)
    qtbot.addWidget(plain)
    assert "127.0.0.1" not in plain.findChild(QLabel, "serverHint").text()


def test_the_japanese_messages_name_the_buttons_as_they_read(qtbot, japanese, settings_store):
    """A message that tells what to press names the button by its text, in ［］ (GLOSSARY.md)."""
    dlg = SettingsDialog(settings_store)
    try:
        clear = dlg.hotkey_toggle.clear_button.text()
        lost = QCoreApplication.translate("SettingsDialog",
                                          "Press the new shortcut in the field, or press Clear to turn it off.")
        assert f"［{clear}］" in lost
        # One modifier or more, and a key: said as a Japanese sentence says it.
        needs = QCoreApplication.translate(
            "SettingsDialog", "A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta) and a key.")
        assert needs == ("グローバルショートカットには、1 つ以上の修飾キー（Ctrl、Alt、Shift、Meta）と"
                         "ほかのキーが 1 つ必要です。")
    finally:
        dlg.close()
        flush_deletes()
