"""install_controls: shortcuts registered from the settings, problems told to the user once, autostart."""

from __future__ import annotations

from timecrowd_tray.platform.hotkeys import HotkeyConflict, NullBackend, parse_sequence
from timecrowd_tray.platform.hotkeys.base import HotkeyBackend
from timecrowd_tray.ui.controls import fallback_hint, install_controls


class FakeBackend(HotkeyBackend):
    name = "fake"

    def __init__(self, taken=()):
        super().__init__()
        self.taken = {parse_sequence(t) for t in taken}
        self.bound = {}

    def register(self, name, sequence, callback):
        seq = parse_sequence(sequence)
        if seq in self.taken:
            raise HotkeyConflict(f"{seq.text} is already used by another application")
        self.bound[name] = (seq.text, callback)

    def unregister(self, name):
        self.bound.pop(name, None)

    def unregister_all(self):
        self.bound.clear()


class Tray:
    def __init__(self):
        self.calls = []

    def toggle(self):
        self.calls.append("toggle")

    def open_palette(self):
        self.calls.append("palette")


class Settings(dict):
    def get(self, key, default=None):
        return super().get(key, default)


DEFAULTS = {"hotkey.toggle": "Ctrl+Alt+Shift+T", "hotkey.palette": "Ctrl+Alt+Shift+Space"}


def test_shortcuts_call_the_tray(qapp):
    tray, backend, notes = Tray(), FakeBackend(), []
    controls = install_controls(tray, object(), Settings(DEFAULTS), notes.append, backend=backend, start_server=False)
    assert controls.registered == DEFAULTS_BY_NAME
    backend.bound["toggle"][1]()
    backend.bound["palette"][1]()
    assert tray.calls == ["toggle", "palette"]
    assert notes == [] and controls.problems == {}


DEFAULTS_BY_NAME = {"toggle": "Ctrl+Alt+Shift+T", "palette": "Ctrl+Alt+Shift+Space"}


def test_a_taken_combination_is_told_to_the_user_and_the_other_still_works(qapp):
    backend, notes = FakeBackend(taken=["Ctrl+Alt+Shift+Space"]), []
    controls = install_controls(Tray(), object(), Settings(DEFAULTS), notes.append, backend=backend,
                                start_server=False)
    assert list(backend.bound) == ["toggle"]
    assert "already used by another application" in controls.problems["palette"]
    assert len(notes) == 1 and "Ctrl+Alt+Shift+Space" in notes[0] and "already used" in notes[0]


def test_settings_changes_re_register(qapp):
    settings, backend = Settings(DEFAULTS), FakeBackend()
    controls = install_controls(Tray(), object(), settings, lambda m: None, backend=backend, start_server=False)
    settings["hotkey.toggle"] = "Meta+F9"
    settings["hotkey.palette"] = ""  # turned off
    controls.on_settings_changed({"hotkey.toggle": "Meta+F9", "hotkey.palette": ""})
    assert {n: s for n, (s, _cb) in backend.bound.items()} == {"toggle": "Meta+F9"}


def test_no_backend_tells_once_to_bind_a_desktop_shortcut(qapp):
    notes = []
    controls = install_controls(Tray(), object(), Settings(DEFAULTS), notes.append, backend=NullBackend("wayland"),
                                start_server=False)
    assert notes == [fallback_hint()]
    assert "timecrowd-tray toggle" in notes[0]
    controls.apply_settings()
    assert len(notes) == 1
    assert not controls.shortcuts_available


def test_autostart_from_the_settings(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    notes = []
    controls = install_controls(Tray(), object(), Settings(DEFAULTS), notes.append, backend=FakeBackend(),
                                start_server=False)
    entry = tmp_path / "autostart" / "timecrowd-tray.desktop"
    controls.on_settings_changed({"autostart": True})
    assert entry.is_file()
    controls.on_settings_changed({"autostart": False})
    assert not entry.exists()
    (tmp_path / "autostart").rmdir()
    (tmp_path / "autostart").write_text("")  # a file where the folder should be
    assert controls.apply_autostart(True) is False
    assert len(notes) == 1 and "start at login" in notes[0]


def test_socket_path_falls_back_when_the_runtime_dir_is_too_long(monkeypatch, tmp_path):
    from timecrowd_tray.platform.instance import paths

    deep = tmp_path / ("d" * 90)
    deep.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    path = paths.socket_path()
    assert len(path.encode()) <= paths.MAX_SOCKET_PATH
    assert not path.startswith(str(deep))
