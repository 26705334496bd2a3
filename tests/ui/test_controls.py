"""The app's controls: one task matcher, the shortcuts' problems for the settings dialog, start at login."""

from __future__ import annotations

from timecrowd_tray.core.fuzzy import best_task_match, task_search_text
from timecrowd_tray.core.models import Category, Task
from timecrowd_tray.platform.hotkeys import HotkeyConflict, HotkeyUnsupported, NullBackend, parse_sequence
from timecrowd_tray.platform.hotkeys.base import HotkeyBackend
from timecrowd_tray.ui.controls import Controls, apply_autostart_setting, install_controls

from .conftest import run_async

DESIGN = Category(id=3, title="設計")
TASKS = [
    Task(id=1, title="Weekly meeting", team_id=10, team_name="Sales"),
    Task(id=2, title="API review", team_id=20, team_name="Dev", category=DESIGN, key="DEV-42"),
    Task(id=3, title="Write docs", team_id=20, team_name="Dev"),
]


class TakenBackend(HotkeyBackend):
    name = "fake"

    def __init__(self, taken=()):
        super().__init__()
        self.taken = {parse_sequence(t) for t in taken}

    def register(self, name, sequence, callback):
        if parse_sequence(sequence) in self.taken:
            raise HotkeyConflict(f"{sequence} is already used by another application")

    def unregister(self, name):
        pass

    def unregister_all(self):
        pass


class Settings(dict):
    def get(self, key, default=None):
        return super().get(key, default)


SHORTCUTS = {"hotkey.toggle": "Ctrl+Alt+Shift+T", "hotkey.palette": "Ctrl+Alt+Shift+Space"}


# -- one task matcher -----------------------------------------------------------------------


def test_task_search_text_has_team_category_and_key():
    assert task_search_text(TASKS[1]) == "Dev 設計 DEV-42"
    assert task_search_text(TASKS[0]) == "Sales"


def test_best_task_match():
    assert best_task_match(TASKS, "review") is TASKS[1]
    assert best_task_match(TASKS, "設計") is TASKS[1]       # by its category
    assert best_task_match(TASKS, "dev-42") is TASKS[1]     # by its key
    assert best_task_match(TASKS, "") is TASKS[0]           # the most recent
    assert best_task_match(TASKS, "zzz") is None
    assert best_task_match([], "review") is None


class Service:
    def __init__(self, cached):
        self.cached_tasks = list(cached)
        self.recent_tasks = self.cached_tasks[:10]
        self.searched = []

    async def search_tasks(self, query):
        self.searched.append(query)
        return []


def test_a_shell_command_finds_a_task_by_its_category(qtbot, aloop):
    service = Service(TASKS)
    controls = Controls(object(), service, Settings(), lambda m: None, backend=TakenBackend())
    assert run_async(qtbot, controls.commands.resolve("設計", None)) is TASKS[1]
    assert service.searched == []  # found among the known tasks: no need to ask the server
    assert run_async(qtbot, controls.commands.resolve(None, None)) is TASKS[0]  # the most recent


def test_the_palette_finds_a_task_by_its_category(qapp):
    from timecrowd_tray.ui.palette import Palette

    palette = Palette()
    try:
        palette.set_tasks(TASKS)
        palette.field.setText("設計")
        assert [r.task.id for r in palette.rows() if r.kind == "task"] == [2]
    finally:
        palette.deleteLater()


# -- the shortcuts' problems, for the settings dialog ----------------------------------------------


def test_a_taken_shortcut_is_a_problem_next_to_its_field(qapp):
    controls = install_controls(object(), object(), Settings(SHORTCUTS), lambda m: None,
                                backend=TakenBackend(taken=["Ctrl+Alt+Shift+Space"]), start_server=False)
    assert set(controls.problems) == {"palette"}
    assert "already used by another application" in controls.problems["palette"]


def test_without_global_shortcuts_each_field_says_which_command_to_bind(qapp):
    controls = install_controls(object(), object(), Settings(SHORTCUTS), lambda m: None,
                                backend=NullBackend("wayland"), start_server=False)
    assert "no global shortcut on this desktop" in controls.problems["toggle"].lower()
    assert "timecrowd-tray toggle" in controls.problems["toggle"]
    assert "timecrowd-tray palette" in controls.problems["palette"]


class LaterBackend(HotkeyBackend):
    """Takes every shortcut now and answers later, as the portal does."""

    name = "later"
    grabs_keys = False

    def _grab(self, name, seq):
        return None

    def _ungrab(self, name, registration):
        pass


def test_a_desktop_found_without_shortcuts_later_is_told_as_at_once(qapp):
    """The portal's first bind finds no portal ("*"): the same hint, once, and each field's text."""
    notes = []
    backend = LaterBackend()
    controls = install_controls(object(), object(), Settings(SHORTCUTS), notes.append,
                                backend=backend, start_server=False)
    assert notes == [] and set(controls.registered) == {"toggle", "palette"}
    backend._report_problem("*", HotkeyUnsupported("the desktop offers no org.freedesktop.portal.GlobalShortcuts"))
    assert len(notes) == 1 and notes[0].startswith("Global shortcuts are not available on this desktop")
    assert controls.registered == {}
    assert "timecrowd-tray toggle" in controls.problems["toggle"]
    assert "timecrowd-tray palette" in controls.problems["palette"]


# -- start at login ------------------------------------------------------------------------------


def test_start_at_login_failing_puts_the_setting_back(qapp, tmp_path, monkeypatch, settings_store):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "autostart").write_text("")  # a file where the folder should be: the entry cannot be written
    settings_store.set("autostart", True)    # what the settings dialog saved
    notes = []
    assert apply_autostart_setting(settings_store, True, notes.append) is False
    assert settings_store.get("autostart") is False  # the setting says what the system does
    assert len(notes) == 1 and notes[0].startswith("Could not change “start at login”")


def test_start_at_login_through_the_controls(qapp, tmp_path, monkeypatch, settings_store):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings_store.set("autostart", True)
    controls = Controls(object(), object(), settings_store, lambda m: None, backend=TakenBackend())
    controls.on_settings_changed({"autostart": True})
    assert (tmp_path / "autostart" / "timecrowd-tray.desktop").is_file()
    assert settings_store.get("autostart") is True
