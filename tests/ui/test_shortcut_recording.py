"""While a shortcut is recorded the app's own shortcuts step aside; ``config set`` reaches a running app.

The controls here are the real :class:`Controls` on a fake backend that grabs
keys as X11 does (a grabbed combination is the app's, never the focused
window's), with the real settings dialog and store.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from timecrowd_tray.platform.hotkeys import HotkeyConflict, parse_sequence
from timecrowd_tray.platform.hotkeys.base import HotkeyBackend
from timecrowd_tray.ui.controls import Controls, install_controls
from timecrowd_tray.ui.settings_dialog import SettingsDialog
from timecrowd_tray.ui.shortcut_field import shortcut_channel

from .conftest import flush_deletes

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
CTRL_ALT_SHIFT = CTRL_ALT | Qt.KeyboardModifier.ShiftModifier


class GrabbingBackend(HotkeyBackend):
    """Grabs keys like XGrabKey: what it holds, and what other applications hold (``taken``)."""

    name = "fake"

    def __init__(self, grabs_keys: bool = True, taken=()) -> None:
        super().__init__()
        self.grabs_keys = grabs_keys
        self.taken = {parse_sequence(t) for t in taken}

    @property
    def held(self) -> dict[str, str]:
        return {name: registration.sequence.text for name, registration in self._registered.items()}

    def _grab(self, name, seq):
        if seq in self.taken:
            raise HotkeyConflict(f"{seq.text} is already used by another application")
        return name

    def _ungrab(self, name, registration):
        pass

    def press(self, sequence: str) -> bool:
        """The user pressed ``sequence``: True when this app's grab took it (the focused window never sees it)."""
        seq = parse_sequence(sequence)
        for name, registration in self._registered.items():
            if registration.sequence == seq:
                return self._activate(name)
        return False


class Tray:
    def __init__(self) -> None:
        self.toggled = 0
        self.palettes = 0

    def toggle(self) -> None:
        self.toggled += 1

    def open_palette(self) -> None:
        self.palettes += 1


DEFAULTS = {"toggle": "Ctrl+Alt+Shift+T", "palette": "Ctrl+Alt+Shift+Space"}


@pytest.fixture
def controls(qapp, settings_store):
    backend = GrabbingBackend()
    notes: list[str] = []
    made = install_controls(Tray(), object(), settings_store, notes.append, backend=backend, start_server=False)
    made.notes = notes
    yield made
    made.close()


@pytest.fixture
def dialog(qtbot, controls, settings_store):
    dlg = SettingsDialog(settings_store, shortcut_problems=dict(controls.problems))
    dlg.settings_changed.connect(controls.on_settings_changed)  # as the app applies what the dialog saved
    dlg.show()
    yield dlg
    if shiboken6.isValid(dlg):
        dlg.close()
    flush_deletes()
    assert not shortcut_channel().active


def test_recording_suspends_the_apps_shortcuts_and_restores_them_after(dialog, controls):
    backend = controls.backend
    assert backend.held == DEFAULTS
    QTest.mouseClick(dialog.hotkey_toggle.record_button, Qt.MouseButton.LeftButton)
    assert dialog.hotkey_toggle.is_recording() and controls.suspended
    assert backend.held == {}  # every key goes to the field now
    # The palette's combination: the app's grab does not take it (no palette over Settings)...
    assert backend.press("Ctrl+Alt+Shift+Space") is False
    QTest.keyClick(dialog.hotkey_toggle.key_box, Qt.Key.Key_Space, CTRL_ALT_SHIFT)
    assert controls.tray.palettes == 0
    # ... it reaches the field, which keeps it (and says whose it is).
    assert dialog.hotkey_toggle.sequence() == "Ctrl+Alt+Shift+Space"
    assert "task palette shortcut" in dialog.hotkey_toggle_problem.text()
    QTest.keyClick(dialog.hotkey_toggle.key_box, Qt.Key.Key_Escape)
    assert not controls.suspended and backend.held == DEFAULTS
    assert backend.press("Ctrl+Alt+Shift+Space") is True and controls.tray.palettes == 1
    assert controls.notes == []


def test_a_backend_the_desktop_binds_keeps_its_shortcuts_but_they_do_nothing_meanwhile(qapp, settings_store):
    backend = GrabbingBackend(grabs_keys=False)  # the portal: binding again would make the desktop ask again
    controls = install_controls(Tray(), object(), settings_store, lambda m: None, backend=backend,
                                start_server=False)
    try:
        controls.suspend()
        assert backend.held == DEFAULTS
        assert backend.press("Ctrl+Alt+Shift+Space") is True and controls.tray.palettes == 0
        controls.resume()
        assert backend.press("Ctrl+Alt+Shift+Space") is True and controls.tray.palettes == 1
    finally:
        controls.close()


def test_after_recording_the_dialog_shows_the_conflict_of_the_saved_shortcut(dialog, controls):
    assert not dialog.hotkey_palette_problem.isVisible()
    controls.backend.taken.add(parse_sequence("Ctrl+Alt+Shift+Space"))  # another app took it meanwhile
    QTest.mouseClick(dialog.hotkey_toggle.key_box, Qt.MouseButton.LeftButton)
    assert controls.suspended
    QTest.keyClick(dialog.hotkey_toggle.key_box, Qt.Key.Key_Escape)
    assert not controls.suspended
    assert dialog.hotkey_palette_problem.isVisible()
    assert "already used by another application" in dialog.hotkey_palette_problem.text()
    assert controls.notes == []  # the dialog shows it: no notification over it


def test_a_shortcut_saved_while_recording_is_registered_once_recording_ends(qtbot, dialog, controls,
                                                                            settings_store):
    field = dialog.hotkey_toggle
    QTest.mouseClick(field.key_box, Qt.MouseButton.LeftButton)
    QTest.keyClick(field.key_box, Qt.Key.Key_K, CTRL_ALT)
    with qtbot.waitSignal(dialog.settings_changed, timeout=1000):
        QTest.keyClick(field.key_box, Qt.Key.Key_Return)  # the dialog's default button: OK
    assert settings_store.get("hotkey.toggle") == "Ctrl+Alt+K"
    flush_deletes()
    assert not controls.suspended
    assert controls.backend.held == {"toggle": "Ctrl+Alt+K", "palette": "Ctrl+Alt+Shift+Space"}


def test_a_field_deleted_while_recording_does_not_keep_the_shortcuts_suspended(qtbot, controls, settings_store):
    dlg = SettingsDialog(settings_store)
    dlg.show()
    dlg.hotkey_palette.start_recording()
    assert controls.suspended
    dlg.deleteLater()
    flush_deletes()
    assert not shortcut_channel().active and not controls.suspended
    assert controls.backend.held == DEFAULTS


# -- `config set` reaches the running app --------------------------------------------------------------


def _write_as_another_process(store, text: str) -> None:
    with open(store.location, "w", encoding="utf-8") as file:
        file.write(text)


def test_settings_changed_reads_the_file_again_and_hands_the_values_to_the_app(controls, settings_store):
    settings_store.set("poll_interval", 30)
    applied: list[dict] = []
    controls.settings_changed = applied.append
    _write_as_another_process(settings_store, "[General]\npoll_interval=120\nhotkey.toggle=Ctrl+Alt+K\n")
    assert settings_store.get("poll_interval") == 30  # this process still has what it read before
    answer = controls.handle({"cmd": "settings_changed", "keys": ["hotkey.toggle", "poll_interval"]})
    assert answer == {"ok": True, "outcome": "done", "applied": ["hotkey.toggle", "poll_interval"]}
    assert applied == [{"hotkey.toggle": "Ctrl+Alt+K", "poll_interval": 120}]


def test_settings_changed_applies_them_as_the_dialog_does(controls, settings_store):
    """Wired as the app wires it, a new shortcut from the shell is registered at once."""
    controls.settings_changed = controls.on_settings_changed
    _write_as_another_process(settings_store, "[General]\nhotkey.palette=Ctrl+Alt+P\n")
    assert controls.handle({"cmd": "settings_changed", "keys": ["hotkey.palette"]})["ok"] is True
    assert controls.backend.held == {"toggle": "Ctrl+Alt+Shift+T", "palette": "Ctrl+Alt+P"}


@pytest.mark.parametrize("keys", [["colour"], ["poll_interval", "colour"], [], "poll_interval", None, [3]])
def test_settings_changed_refuses_what_is_not_a_list_of_known_keys(controls, keys):
    applied: list[dict] = []
    controls.settings_changed = applied.append
    request = {"cmd": "settings_changed"} if keys is None else {"cmd": "settings_changed", "keys": keys}
    answer = controls.handle(request)
    assert answer["ok"] is False and answer["code"] == "bad_request"
    if keys and isinstance(keys, list) and "colour" in keys:
        assert "unknown setting 'colour'" in answer["error"]
    assert applied == []


def test_settings_changed_without_the_apps_wiring_is_refused(qapp, settings_store):
    controls = Controls(Tray(), object(), settings_store, lambda m: None, backend=GrabbingBackend())
    try:
        answer = controls.handle({"cmd": "settings_changed", "keys": ["poll_interval"]})
        assert answer["ok"] is False and "cannot apply" in answer["error"]
    finally:
        controls.close()


def test_settings_changed_that_fails_in_the_app_is_told(controls):
    def broken(changed):
        raise RuntimeError("boom")

    controls.settings_changed = broken
    answer = controls.handle({"cmd": "settings_changed", "keys": ["language"]})
    assert answer["ok"] is False and "boom" in answer["error"]


def test_leaving_the_field_ends_the_recording_and_keeps_what_was_pressed(qtbot, dialog, controls):
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    field = dialog.hotkey_toggle
    field.key_box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(field.is_recording, timeout=2000)
    assert controls.suspended
    QTest.keyClick(field.key_box, Qt.Key.Key_K, CTRL_ALT)
    QTest.keyClick(field.key_box, Qt.Key.Key_Tab)  # Tab moves on, as anywhere (one step)
    qtbot.waitUntil(lambda: not field.is_recording(), timeout=2000)
    assert field.clear_button.hasFocus()
    assert field.sequence() == "Ctrl+Alt+K" and not controls.suspended
    assert controls.backend.held == DEFAULTS  # the saved ones, until OK saves the new one
    field.key_box.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(field.key_box, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(dialog.api_base.hasFocus, timeout=2000)
    assert not field.is_recording() and not controls.suspended
