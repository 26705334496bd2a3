"""The palette's commands ("Today…", "Pending changes"), and the palette as a chooser (no commands)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from timecrowd_tray.core.fuzzy import task_index
from timecrowd_tray.core.models import Task
from timecrowd_tray.ui.palette import Destination, Palette
from timecrowd_tray.ui.palette_commands import CommandIndex, tray_commands

from .conftest import flush_deletes, ime_commit
from .test_palette import TASKS, TEAM


def task_score(title, query):
    return task_index([replace(TASKS[0], title=title)]).search(query)[0].score


TODAY_TASK = Task(id=20, title="Today", team_id=14, team_name="株式会社デモ")  # a task named like the command


@pytest.fixture
def palette(qtbot, aloop):
    p = Palette()
    p.set_tasks(TASKS)
    p.set_destinations([Destination(TEAM)])
    p.set_commands(tray_commands(pending_count=2))
    p.popup()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is p.field, timeout=2000)
    yield p
    p.close_palette()
    p.deleteLater()
    flush_deletes()


def kinds(p):
    return [r.kind for r in p.rows()]


def current(p):
    row = p.current_row()
    return p.rows()[row] if row >= 0 else None


def test_typing_today_offers_the_command_and_enter_runs_it(qtbot, palette):
    qtbot.keyClicks(palette.field, "today")
    assert kinds(palette) == ["command", "create"]
    row = current(palette)
    assert row.kind == "command" and row.command == "open_today"
    assert row.title == palette.tr("Today…") and row.tag == palette.tr("Command")  # never passes for a task
    assert palette.hint.text() == palette.tr("↑↓ choose · Enter open · Esc close")
    with qtbot.waitSignal(palette.command_chosen, timeout=1000) as chosen, \
            qtbot.assertNotEmitted(palette.task_chosen), qtbot.assertNotEmitted(palette.create_requested):
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args == ["open_today"]
    assert not palette.isVisible()


@pytest.mark.parametrize(("typed", "intent"), [
    ("今日", "open_today"), ("作業記録", "open_today"), ("entries", "open_today"),
    ("pending", "open_pending"), ("pc", "open_pending"), ("未送信", "open_pending"),
])
def test_commands_are_found_in_both_languages_and_by_abbreviation(palette, typed, intent):
    ime_commit(palette.field, typed)  # the language shown does not matter
    assert current(palette).command == intent


def test_pending_changes_is_offered_only_while_something_waits(palette):
    ime_commit(palette.field, "pending")
    assert current(palette).title == "Pending changes (2)"
    palette.set_commands(tray_commands(pending_count=0))
    assert "command" not in kinds(palette)
    assert [c.intent for c in tray_commands(0)] == ["open_today"]


def test_a_task_matching_as_well_stays_first_and_chosen(qtbot, palette):
    palette.set_tasks([*TASKS, TODAY_TASK])
    qtbot.keyClicks(palette.field, "today")
    assert kinds(palette) == ["task", "command", "create"]
    assert current(palette).task is TODAY_TASK
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0] is TODAY_TASK


def test_the_command_index_scores_like_the_tasks_and_needs_two_characters():
    commands = CommandIndex(tray_commands(0))
    ((command, score),) = commands.search("today")
    assert command.intent == "open_today" and score == task_score("Today", "today")  # the same scale
    assert commands.search("t") == []  # one letter is the start of anything
    assert commands.search("code") == []


def test_a_task_is_chosen_over_a_command_that_matches_worse(qtbot, palette):
    # "rev": "Code review" holds it; no command does: the task, and the create row, as before
    qtbot.keyClicks(palette.field, "rev")
    assert kinds(palette) == ["task", "create"] and current(palette).kind == "task"


def test_with_nothing_typed_commands_follow_the_tasks_and_are_not_chosen(qtbot, aloop):
    p = Palette()
    try:
        p.set_tasks(TASKS)
        p.set_commands(tray_commands(pending_count=1))
        p.popup()
        assert kinds(p) == ["task"] * len(TASKS) + ["command", "command"]
        assert current(p).task is TASKS[0]
        # No task: two commands, neither chosen for you (Enter does nothing)...
        p.set_tasks([])
        assert kinds(p) == ["command", "command"] and p.current_row() == -1
        with qtbot.assertNotEmitted(p.command_chosen):
            qtbot.keyClick(p.field, Qt.Key.Key_Return)
        # ... one command alone is what Enter runs.
        p.set_commands(tray_commands(pending_count=0))
        assert kinds(p) == ["command"] and current(p).command == "open_today"
    finally:
        p.close_palette()
        p.deleteLater()
        flush_deletes()


def test_as_a_chooser_it_offers_tasks_only_and_says_enter_chooses(qtbot, aloop):
    p = Palette(choose_only=True)
    try:
        p.set_tasks([*TASKS, TODAY_TASK])
        p.set_destinations([Destination(TEAM)])
        p.set_commands(tray_commands(pending_count=3))
        p.popup()
        assert "command" not in kinds(p)
        assert p.hint.text() == p.tr("↑↓ move · Enter choose · Esc close")
        assert not p.destination.isVisible() and not p.destination_label.isVisible()
        qtbot.keyClicks(p.field, "today")
        assert kinds(p) == ["task"]  # no command, no create row: nothing is created here
        assert p.hint.text() == p.tr("↑↓ move · Enter choose · Esc close")
        p.field.setText("nothing like it")
        assert kinds(p) == [] and p.hint.text() == p.tr("No task matches · Esc close")
    finally:
        p.close_palette()
        p.deleteLater()
        flush_deletes()


def test_the_entries_window_chooses_with_the_chooser(qtbot, aloop):
    from timecrowd_tray.ui.entries_window import EntriesWindow

    from .entries_fake import FakeEntries, a_day, at
    from .test_entries_window import TODAY

    fake = FakeEntries(now=at(TODAY, 14))
    fake.days[TODAY] = a_day(TODAY)
    window = EntriesWindow(fake, now=lambda: fake.now, start_task=lambda task: None)
    try:
        window.open()
        chooser = window.choose_task(lambda task: None)
        assert chooser.isVisible()
        assert chooser.hint.text() == chooser.tr("↑↓ move · Enter choose · Esc close")
        ime_commit(chooser.field, "今日")
        assert "command" not in kinds(chooser) and "create" not in kinds(chooser)
    finally:
        window.shutdown()
        window.deleteLater()
        flush_deletes()


# -- through the tray controller ---------------------------------------------------------------


def test_enter_on_today_opens_the_entries_window(qtbot, app_under_test):
    app = app_under_test
    palette = app.tray.open_palette()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.field, timeout=2000)
    ime_commit(palette.field, "今日")
    assert current(palette).command == "open_today"
    assert app.tray.entries_window is None
    qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert not palette.isVisible()
    window = app.tray.entries_window
    assert window is not None and window.isVisible()
    assert window.day == app.tray.now().date()  # as open_today() takes it


def test_pending_changes_is_a_command_while_changes_wait(qtbot, app_under_test):
    app = app_under_test
    palette = app.tray.open_palette()
    ime_commit(palette.field, "pending")
    assert "command" not in kinds(palette)  # nothing waits
    palette.close_palette()
    app.tray.state = replace(app.tray.state, pending_count=2)  # as the outbox would say
    palette = app.tray.open_palette()
    ime_commit(palette.field, "pending")
    assert current(palette).title == "Pending changes (2)"
    qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert app.tray.pending_window is not None and app.tray.pending_window.isVisible()
