"""A change refused later (a conflict with the web, an entry deleted there) reaches the user: window open or not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from timecrowd_tray.services import events as ev

from .conftest import run_async


def _queue_an_edit_then_change_it_on_the_web(qtbot, app):
    """An end moved offline; meanwhile the web moves that end: the change is sent once online again."""
    load = run_async(qtbot, app.service.load_day(date(2025, 10, 21)))  # conftest: FIXED_NOW
    entry = next(e for e in load.entries if e.stopped_at is not None and e.id is not None)
    app.emulator.faults.fail_next(503, count=1000)
    result = app.service.request_edit(entry, stopped_at=entry.stopped_at - timedelta(minutes=10))
    assert result.recorded, result.refusal
    qtbot.waitUntil(lambda: app.service.state.offline, timeout=10_000)
    web_end = entry.stopped_at - timedelta(minutes=5)
    app.emulator.update_entry(app.me, entry.id, {"stopped_at": int(web_end.timestamp())})
    app.emulator.faults.clear()
    app.service.notify_network_changed(True)
    return entry, web_end


def test_a_conflict_sent_later_is_notified_with_the_entrys_title_when_no_window_is_open(qtbot, app_under_test):
    app = app_under_test
    assert app.tray.entries_window is None
    entry, _ = _queue_an_edit_then_change_it_on_the_web(qtbot, app)
    qtbot.waitUntil(lambda: any(n.title.startswith("TimeCrowd did not change the entry")
                                for n in app.tray.notifier.history), timeout=10_000)
    notice = next(n for n in app.tray.notifier.history if n.title.startswith("TimeCrowd did not change"))
    assert notice.kind == "error"
    assert notice.title == f"TimeCrowd did not change the entry: {entry.task.title}"
    assert "changed elsewhere" in notice.message and "its end" in notice.message


def test_an_open_window_reloads_and_says_the_conflict(qtbot, app_under_test):
    app = app_under_test
    window = app.tray.open_today()
    qtbot.waitUntil(lambda: window.table_model.rowCount() > 0 and window.navigator.status_label.text() == "",
                    timeout=10_000)
    entry, web_end = _queue_an_edit_then_change_it_on_the_web(qtbot, app)

    def shown_end():
        row = next((e for e in window.table_model.entries if e.ref.entry_id == entry.id), None)
        return row.stopped_at if row is not None else None

    qtbot.waitUntil(lambda: "its end" in window.notice.label.text() and window.notice.kind == "error",
                    timeout=10_000)
    qtbot.waitUntil(lambda: shown_end() == web_end, timeout=10_000)  # as the server has it


@pytest.mark.parametrize(("kind", "title"), [
    ("add", "TimeCrowd did not add the entry: Task A"),
    ("edit", "TimeCrowd did not change the entry: Task A"),
    ("delete", "TimeCrowd did not delete the entry: Task A"),
])
def test_refusals_of_entry_changes_have_their_own_titles(app_under_test, kind, title):
    from timecrowd_tray.core.models import Task

    app = app_under_test
    app.tray._on_event(ev.IntentRejected("開始時刻は終了時刻より前にしてください", kind, Task(1, "Task A", 1)))
    notice = app.tray.notifier.history[-1]
    assert (notice.kind, notice.title, notice.message) == ("error", title, "開始時刻は終了時刻より前にしてください")
