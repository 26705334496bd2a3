"""What the app tells the user about bad local state (services.events.StorageProblem): one notice,
through the tray's notifier, saying what is lost, what is kept where and what to do.

English source texts; counts are checked as "N action" so that English plural forms
("1 action", "3 actions") in the translations do not matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from timecrowd_tray.app import AppRunner
from timecrowd_tray.services.events import StorageProblem
from timecrowd_tray.services.outbox_open import OutboxDamage, OutboxUnwritable
from timecrowd_tray.ui.storage_notice import show_storage_problem

OUTBOX = Path("/home/me/.local/share/timecrowd-tray/outbox.sqlite3")


class Notifier:
    def __init__(self):
        self.errors: list[tuple[str, str | None]] = []

    def error(self, message, title=None):
        self.errors.append((message, title))


class Tray:
    def __init__(self):
        self.notifier = Notifier()


@pytest.fixture
def runner(qapp):
    return AppRunner(None, Tray(), None, None, demo=False, api_base="https://timecrowd.example")


def test_nothing_wrong_says_nothing(runner):
    show_storage_problem(runner.tray.notifier, None)
    assert runner.tray.notifier.errors == []


def test_a_read_only_data_folder_says_actions_are_lost_if_the_app_quits(runner):
    show_storage_problem(runner.tray.notifier, StorageProblem(
        outbox_path=OUTBOX, outbox_unwritable=OutboxUnwritable(OUTBOX, "Permission denied", 2)))
    [(message, title)] = runner.tray.notifier.errors
    assert title == "Your actions are not saved on this computer"
    assert str(OUTBOX.parent) in message and "Permission denied" in message
    assert "lost if you quit the app" in message and "Make the folder writable" in message
    assert "2 action" in message and "already waiting there" in message


def test_a_damaged_outbox_says_how_many_were_recovered_and_lost(runner):
    aside = OUTBOX.with_name("outbox.sqlite3.corrupt-1761022800")
    show_storage_problem(runner.tray.notifier, StorageProblem(outbox_path=OUTBOX, damage=OutboxDamage(aside, 1, 3)))
    show_storage_problem(runner.tray.notifier, StorageProblem(outbox_path=OUTBOX, damage=OutboxDamage(aside, None, 0)))
    (recovered, title), (unknown, _title) = runner.tray.notifier.errors
    assert title == "The list of your unsent actions was damaged"
    assert str(aside) in recovered
    assert "3 action" in recovered and "recovered from it and will be sent" in recovered
    assert "1 action" in recovered and "could not be read from it" in recovered
    assert "An unknown number of actions could not be read" in unknown


def test_unreadable_rows_and_an_unwritable_cache_are_told_too(runner):
    show_storage_problem(runner.tray.notifier, StorageProblem(outbox_path=OUTBOX, unreadable_count=2,
                                                                   cache_dir=Path("/home/me/.cache/timecrowd-tray"),
                                                                   cache_reason="Read-only file system"))
    [(message, title)] = runner.tray.notifier.errors
    assert title == "Some of your unsent actions could not be read"
    assert "2 action" in message and "could not be read" in message and str(OUTBOX) in message
    assert "/home/me/.cache/timecrowd-tray" in message and "Read-only file system" in message


def test_a_problem_found_later_comes_as_an_event(runner):
    runner._on_event(StorageProblem(outbox_path=OUTBOX, unreadable_count=1))
    [(message, _title)] = runner.tray.notifier.errors
    assert "1 action" in message and "could not be read" in message
