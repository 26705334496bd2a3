"""The entries window against a fake service: loading, live rows, edits checked first, outcomes said as they are."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from timecrowd_tray.ui import day_freshness as freshness_mod, entries_table as cols, entries_window as window_mod
from timecrowd_tray.ui.entries_window import EntriesWindow

from .conftest import flush_deletes, ime_commit
from .entries_fake import LOGIN, REVIEW, TRIAGE, FakeDayLoad, FakeEntries, a_day, at, entry

TODAY = date(2025, 10, 21)


@pytest.fixture
def fake():
    model = FakeEntries(now=at(TODAY, 14))
    model.days[TODAY] = a_day(TODAY)
    model.days[TODAY - timedelta(days=1)] = a_day(TODAY - timedelta(days=1), running=False)
    return model


@pytest.fixture
def started():
    return []


@pytest.fixture
def win(qtbot, aloop, fake, started):
    window = EntriesWindow(fake, now=lambda: fake.now, start_task=started.append)
    window.open()
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 3, timeout=5000)
    yield window
    window.shutdown()
    window.deleteLater()
    flush_deletes()


def cell(window, row, column):
    return window.table_model.index(row, column).data()


def type_into(qtbot, window, row, column, text):
    window.table.setCurrentIndex(window.table_model.index(row, column))
    window.table.edit(window.table.currentIndex())
    editor = next(w for w in window.table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    if text.isascii():
        QTest.keyClicks(editor, text)
    else:  # QTest types Latin-1 only: Japanese comes as an input method's commit
        editor.clear()
        ime_commit(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits from the event loop (a queued call), once the editor has the key.
    qtbot.waitUntil(lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=3000)


def test_the_day_is_shown_with_times_durations_comments_and_totals(win, fake):
    assert [cell(win, r, cols.TASK) for r in range(3)] == ["週次定例ミーティング", "ログイン画面の改修", "Code review"]
    assert cell(win, 0, cols.START) == "9:00" and cell(win, 0, cols.END) == "9:30"
    assert cell(win, 1, cols.DURATION) == "2:30" and cell(win, 1, cols.COMMENT) == "サインイン画面"
    # one format for every row and the totals: H:MM (live seconds only in the menu's header)
    assert cell(win, 2, cols.END) == "running" and cell(win, 2, cols.DURATION) == "1:00"
    assert cell(win, 0, cols.TEAM) == "株式会社デモ"
    assert win.totals_view.total_label.text() == "Day total: 4:00"
    assert "ログイン画面の改修 2:30" in win.totals_view.by_task_label.text()
    assert win.totals_view.by_team_label.text() == "By team: 株式会社デモ 4:00"
    assert not win.navigator.next_button.isEnabled()  # nothing after today


def test_the_running_entry_ticks(qtbot, win, fake):
    fake.advance(65)
    qtbot.waitUntil(lambda: win.totals_view.total_label.text() == "Day total: 4:01", timeout=3000)
    assert cell(win, 2, cols.DURATION) == "1:01"  # the running row ticks each minute, as the total does


def test_paging_cancels_the_older_loads_and_shows_the_last_day(qtbot, win, fake):
    fake.gate = asyncio.Event()
    before = len(fake.loads)
    for _ in range(5):
        win.navigator.prev_button.click()
    assert win.navigator.status_label.text() == "Loading…"
    assert cell(win, 0, cols.TASK) == "週次定例ミーティング"  # the old rows stay until the new ones come
    target = TODAY - timedelta(days=5)
    qtbot.waitUntil(lambda: target in fake.loads, timeout=3000)
    fake.gate.set()
    qtbot.waitUntil(lambda: win.day == target and win.navigator.status_label.text() == "", timeout=3000)
    # every older day's load was cancelled (before it started, or while it waited)
    assert all(day in fake.cancelled for day in fake.loads[before:] if day != target)
    assert win.table_model.rowCount() == 0 and win.empty_label.isVisible()
    assert win.navigator.date_edit.date().toPython() == target
    fake.gate = None
    QTest.keyClick(win.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.day == target + timedelta(days=1), timeout=3000)


@pytest.mark.parametrize(("typed", "hour", "minute"), [("9:05", 9, 5), ("905", 9, 5), ("8", 8, 0)])
def test_a_start_typed_in_place_is_asked_for(qtbot, win, fake, typed, hour, minute):
    type_into(qtbot, win, 0, cols.START, typed)
    name, args = fake.calls[-1]
    assert name == "edit" and args["entry"].ref.entry_id == 101
    assert args["started_at"] == at(TODAY, hour, minute) and "stopped_at" not in args
    qtbot.waitUntil(lambda: win.notice.label.text() == "Times saved.", timeout=3000)


def test_the_running_entry_started_twenty_minutes_ago(qtbot, win, fake):
    fake.outcome_kind = "queued"
    type_into(qtbot, win, 2, cols.START, "-20m")
    name, args = fake.calls[-1]
    assert args["started_at"] == at(TODAY, 13, 40) and args["entry"].stopped_at is None
    assert cell(win, 2, cols.START) == "13:40"  # shown at once, marked as not sent
    assert "not sent yet" in win.table_model.index(2, cols.TASK).data(Qt.ItemDataRole.ToolTipRole)


def test_unreadable_time_and_end_before_start_are_refused_in_words_before_anything_is_sent(qtbot, win, fake):
    type_into(qtbot, win, 1, cols.END, "half past")
    assert fake.calls == []
    assert win.notice.kind == "error" and "is not a time" in win.notice.label.text()
    type_into(qtbot, win, 1, cols.END, "9:10")
    assert fake.calls == [] and win.notice.label.text() == "The end is before the start."
    type_into(qtbot, win, 1, cols.END, "14:30")
    assert fake.calls == [] and win.notice.label.text() == "The end is in the future."
    type_into(qtbot, win, 1, cols.END, cell(win, 1, cols.START))
    assert fake.calls == [] and win.notice.label.text() == "The entry has no length: its end is its start."


def test_an_overlap_is_said_and_sent_only_when_the_user_insists(qtbot, win, fake):
    type_into(qtbot, win, 0, cols.END, "10:00")
    assert fake.calls == []
    assert win.notice.kind == "warning" and win.notice.label.text() == "This overlaps “ログイン画面の改修”."
    assert win.notice.button.text() == "Save anyway"
    win.notice.button.click()
    name, args = fake.calls[-1]
    assert args["stopped_at"] == at(TODAY, 10) and args["allow_overlap"] is True


def test_the_servers_refusal_is_shown_as_it_is_and_the_day_reloaded(qtbot, win, fake):
    fake.outcome_kind, fake.outcome_reason = "refused", "開始時刻は終了時刻より前にしてください"
    loads = len(fake.loads)
    type_into(qtbot, win, 1, cols.COMMENT, "レビュー対応")
    assert fake.calls[-1][1]["comment"] == "レビュー対応"
    qtbot.waitUntil(lambda: win.notice.kind == "error", timeout=3000)
    assert win.notice.label.text() == "TimeCrowd refused this change: 開始時刻は終了時刻より前にしてください"
    qtbot.waitUntil(lambda: len(fake.loads) > loads, timeout=3000)
    qtbot.waitUntil(lambda: cell(win, 1, cols.COMMENT) == "サインイン画面", timeout=3000)  # as the server has it


def test_a_queued_change_says_it_is_not_sent_yet(qtbot, win, fake):
    fake.outcome_kind = "queued"
    type_into(qtbot, win, 0, cols.COMMENT, "x")
    qtbot.waitUntil(lambda: win.notice.label.text().startswith("Not sent yet (TimeCrowd can't be reached)"),
                    timeout=3000)


def test_a_refusal_before_sending_is_said(qtbot, win, fake):
    fake.refusal = ("This entry is on a team you can't edit.", "not_found")
    type_into(qtbot, win, 0, cols.COMMENT, "x")
    assert win.notice.kind == "error" and win.notice.label.text() == "This entry is on a team you can't edit."


def test_delete_hides_the_row_and_undo_brings_it_back_without_asking(qtbot, win, fake):
    win.table.setCurrentIndex(win.table_model.index(1, cols.TASK))
    QTest.keyClick(win.table, Qt.Key.Key_Delete)
    assert win.table_model.rowCount() == 2 and fake.calls == []
    assert win.notice.label.text() == "Deleted “ログイン画面の改修”." and win.notice.button.text() == "Undo"
    assert win.totals_view.total_label.text() == "Day total: 1:30"
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.table_model.rowCount() == 3 and fake.calls == []
    assert win.current_entry().ref.entry_id == 102


def test_delete_is_asked_when_the_undo_runs_out(qtbot, win, fake, monkeypatch):
    monkeypatch.setattr(window_mod, "UNDO_MS", 30)
    win.table.setCurrentIndex(win.table_model.index(0, cols.TASK))
    win.delete_button.click()
    qtbot.waitUntil(lambda: bool(fake.calls), timeout=3000)
    assert fake.calls[0][0] == "delete" and fake.calls[0][1]["entry"].ref.entry_id == 101
    qtbot.waitUntil(lambda: win.notice.label.text() == "Entry deleted.", timeout=3000)


def test_closing_the_window_asks_for_the_delete_waiting_for_its_undo(qtbot, win, fake):
    win.table.setCurrentIndex(win.table_model.index(0, cols.TASK))
    win.delete_current()
    win.close()
    assert [c[0] for c in fake.calls] == ["delete"]


def test_a_gap_on_the_timeline_fills_an_add_dialog(qtbot, win, fake):
    gap = win.timeline.gap_spans[0]
    assert gap == (at(TODAY, 12), at(TODAY, 13))
    win.timeline.span_chosen.emit(*gap)
    dialog = win.add_dialog
    assert dialog.start_edit.text() == "12:00" and dialog.stop_edit.text() == "13:00"
    dialog.set_task(TRIAGE)
    dialog.comment_edit.setText("お昼の対応")
    dialog.save_button.click()
    name, args = fake.calls[-1]
    assert name == "add" and args["task"] == TRIAGE and args["started_at"] == at(TODAY, 12)
    assert args["stopped_at"] == at(TODAY, 13) and args["comment"] == "お昼の対応"


def test_the_add_dialog_says_the_overlap_and_adds_anyway_on_request(qtbot, win, fake):
    dialog = win.open_add()
    dialog.set_task(REVIEW)
    dialog.start_edit.setText("11:00")
    dialog.stop_edit.setText("12:30")
    dialog.save_button.click()
    assert fake.calls == [] and dialog.anyway_button.isVisible()
    assert "ログイン画面の改修" in dialog.problem_label.text()
    dialog.anyway_button.click()
    assert fake.calls[-1][1]["allow_overlap"] is True


def test_continue_starts_the_entrys_task_again_through_the_tray(qtbot, win, started):
    win.table.setCurrentIndex(win.table_model.index(1, cols.TASK))
    QTest.keyClick(win.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert started == [LOGIN]


def test_enter_on_the_task_opens_the_palette_and_changes_the_task(qtbot, win, fake):
    win.table.setCurrentIndex(win.table_model.index(0, cols.TASK))
    QTest.keyClick(win.table, Qt.Key.Key_Return)
    chooser = win._chooser  # noqa: SLF001
    assert chooser is not None and chooser.isVisible()
    chooser.task_chosen.emit(TRIAGE)
    assert fake.calls[-1][1]["task"] == TRIAGE and fake.calls[-1][1]["entry"].ref.entry_id == 101


def test_dragging_on_the_timeline_asks_for_the_times(qtbot, win, fake):
    first = win.table_model.entries[0]
    win.timeline.times_dragged.emit(first, at(TODAY, 8, 45), first.stopped_at)
    assert fake.calls[-1][1]["started_at"] == at(TODAY, 8, 45)


def test_a_day_changed_event_reloads(qtbot, win, fake):
    from timecrowd_tray.services import events

    day_changed = getattr(events, "DayChanged", None)
    if day_changed is None:
        pytest.skip("the engine's DayChanged event has not landed")
    fake.days[TODAY] = [entry(101, LOGIN, at(TODAY, 9), at(TODAY, 10))]
    for listener in list(fake.listeners):
        listener(day_changed(TODAY))
    qtbot.waitUntil(lambda: win.table_model.rowCount() == 1, timeout=3000)


# -- the real service, against the emulator -------------------------------------------------------------


def _emulator_entry(app, entry_id):
    return next(e for e in app.emulator.entries_of(app.me) if e["id"] == entry_id)


def test_the_real_service_day_opens_from_the_tray_and_a_comment_reaches_the_server(qtbot, app_under_test):
    app = app_under_test
    window = app.tray.open_today()
    qtbot.waitUntil(lambda: window.table_model.rowCount() > 0 and window.navigator.status_label.text() == "",
                    timeout=10_000)
    rows = window.table_model.entries
    assert [e.started_at for e in rows] == sorted(e.started_at for e in rows)  # oldest first
    first = rows[0]
    type_into(qtbot, window, 0, cols.COMMENT, "見積もりの確認")
    qtbot.waitUntil(lambda: bool(window.reports.outcomes), timeout=10_000)
    assert window.reports.outcomes[-1].kind == "done"
    assert window.notice.label.text() == "Comment saved."
    comment = app.emulator.comment_of(_emulator_entry(app, first.ref.entry_id))
    assert comment is not None and comment["content"] == "見積もりの確認"
    qtbot.waitUntil(lambda: cell(window, 0, cols.COMMENT) == "見積もりの確認", timeout=10_000)


def test_the_real_service_refuses_an_end_before_the_start_before_sending(qtbot, app_under_test):
    app = app_under_test
    window = app.tray.open_today()
    qtbot.waitUntil(lambda: window.table_model.rowCount() > 0, timeout=10_000)
    requests = len(app.emulator.request_log) if hasattr(app.emulator, "request_log") else None
    first = window.table_model.entries[0]
    type_into(qtbot, window, 0, cols.END, clock_text(first.started_at - timedelta(minutes=5)))
    assert window.notice.kind == "error" and window.notice.label.text()  # the service's words for it
    assert not window.reports.outcomes
    if requests is not None:
        assert len(app.emulator.request_log) == requests


def clock_text(moment):
    local = moment.astimezone(at(TODAY, 0).tzinfo)
    return f"{local.hour}:{local.minute:02d}"


def test_menu_today_and_pending_open_their_windows(qtbot, app_under_test):
    app = app_under_test
    app.tray.menu.refresh()
    today = app.tray.menu.action_named("todayWindow")
    assert today is not None and today.text() == "Today…"
    today.trigger()
    assert app.tray.entries_window is not None and app.tray.entries_window.isVisible()
    window = app.tray.open_pending()
    assert window.isVisible() and window.summary_label.text()


def test_switching_task_asks_for_the_comment_of_the_entry_it_ends(qtbot, app_under_test):
    app = app_under_test
    app.settings.set("comment_on_stop", True)
    tasks = app.tray.recent_tasks()
    if not app.tray.state.is_running:
        app.tray.start_task(tasks[0])
        qtbot.waitUntil(lambda: app.running() is not None, timeout=10_000)
    running_id = app.tray.state.task.id
    other = next(t for t in tasks if t.id != running_id)
    shown = []
    app.tray.comment_dialog_shown.connect(shown.append)
    result = app.tray.start_task(other)
    assert result.stopped is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown[0].task_label.text() == result.stopped.task.title


def test_switching_does_not_ask_when_comment_on_stop_is_off(qtbot, app_under_test):
    app = app_under_test
    app.settings.set("comment_on_stop", False)
    tasks = app.tray.recent_tasks()
    app.tray.start_task(tasks[0])
    qtbot.waitUntil(lambda: app.running() is not None, timeout=10_000)
    shown = []
    app.tray.comment_dialog_shown.connect(shown.append)
    result = app.tray.start_task(tasks[1])
    assert result.stopped is not None
    qtbot.wait(100)  # the dialog would come 15 ms after the switch (COMMENT_AFTER_MS)
    assert shown == []


def test_an_entry_across_midnight_shows_on_both_days_clipped_in_the_timeline_and_totals(qtbot, aloop):
    yesterday = TODAY - timedelta(days=1)
    model = FakeEntries(now=at(TODAY, 1))
    crossing = entry(201, LOGIN, at(yesterday, 23, 30), None)  # running since 23:30 yesterday
    model.days[TODAY] = [crossing]
    model.days[yesterday] = [crossing]
    window = EntriesWindow(model, now=lambda: model.now, start_task=lambda task: None)
    try:
        window.resize(860, 520)
        window.open(TODAY)
        qtbot.waitUntil(lambda: window.table_model.rowCount() == 1, timeout=5000)
        assert cell(window, 0, cols.START) == "23:30 (10/20)" and cell(window, 0, cols.END) == "running"
        assert window.totals_view.total_label.text() == "Day total: 1:00"  # today's part only
        midnight = at(TODAY, 0)
        timeline = window.timeline
        assert timeline._view[0] == midnight  # noqa: SLF001 - the strip starts at the day's start
        assert timeline.bar_rect(crossing).left() == timeline.x_of(midnight)
        window.navigator.prev_button.click()
        qtbot.waitUntil(lambda: window.table_model.day == yesterday and window.table_model.rowCount() == 1,
                        timeout=5000)
        assert cell(window, 0, cols.START) == "23:30"
        assert window.totals_view.total_label.text() == "Day total: 0:30"  # yesterday's part: up to midnight
        assert timeline._view[1] == midnight  # noqa: SLF001 - the strip ends at the day's end
        assert timeline.bar_rect(crossing).right() == timeline.x_of(midnight)
        assert timeline.x_of(midnight) < timeline.width()
    finally:
        window.shutdown()
        window.deleteLater()
        flush_deletes()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_picture_of_the_window_for_the_readme(qtbot, aloop, qapp, fake, language):
    """A day with a gap and a running entry, in each language: artifacts/screenshots/<language>/entries-window.png.

    Copied to docs/screenshots/entries-<language>.png (the README's) only with TIMECROWD_TRAY_UPDATE_SCREENSHOTS=1;
    otherwise the tracked picture is left alone. The window must render its rows and totals.
    """
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from timecrowd_tray.ui.i18n import Translations

    from support.screenshots import DOCS_SCREENSHOTS, update_readme_picture, updating_screenshots

    docs = DOCS_SCREENSHOTS / f"entries-{language}.png"
    before = docs.stat().st_mtime_ns if docs.exists() else None

    translations = Translations(qapp, stretch=False)
    translations.apply(language)
    window = EntriesWindow(fake, now=lambda: fake.now, start_task=lambda task: None)
    try:
        window.resize(860, 520)
        window.open(TODAY)
        qtbot.waitUntil(lambda: window.table_model.rowCount() == 3, timeout=5000)
        window.table.setCurrentIndex(window.table_model.index(1, cols.TASK))
        window.table.setColumnWidth(cols.TASK, 230)
        qtbot.wait(50)
        out = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / language / "entries-window.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(out))
        assert window.totals_view.total_label.text() != ""
        update_readme_picture(out, docs.name)  # the README's picture, refreshed only on request
        if not updating_screenshots():  # a test run leaves the tracked picture as it was
            assert (docs.stat().st_mtime_ns if docs.exists() else None) == before
    finally:
        window.shutdown()
        window.deleteLater()
        flush_deletes()
        translations.language = None
        translations.apply("en")
        for translator in translations._installed:  # noqa: SLF001
            QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize(("language", "shown"), [("en", "Tue, Oct 21, 2025"), ("ja", "2025年10月21日（火）")])
def test_the_date_picker_reads_as_each_language_writes_a_date(qtbot, aloop, qapp, fake, language, shown):
    from PySide6.QtCore import QCoreApplication

    from timecrowd_tray.ui.day_navigator import DayNavigator
    from timecrowd_tray.ui.i18n import Translations

    translations = Translations(qapp, stretch=False)
    translations.apply(language)
    try:
        navigator = DayNavigator()
        navigator.set_day(TODAY, TODAY)
        assert navigator.date_edit.text() == shown
        navigator.deleteLater()
    finally:
        translations.language = None
        translations.apply("en")
        for translator in translations._installed:  # noqa: SLF001
            QCoreApplication.removeTranslator(translator)


# -- the day stays fresh by itself: timer changes, an incomplete load ------------------------------------


class LiveFake(FakeEntries):
    """The fake with the service's state listeners and a queue of loads to give (else the day as it is)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.state = SimpleNamespace(phase="idle", task=None, started_at=None, stopped_at=None, entry_id=None,
                                     local_ref=None, server_entry=None, pending_count=0, offline=False)
        self.state_listeners = []
        self.answers = []  # FakeDayLoad or an exception, given (in order) before the day as it is

    def add_listener(self, callback):
        self.state_listeners.append(callback)
        return lambda: self.state_listeners.remove(callback)

    def set_state(self, **changes):
        self.state = replace_ns(self.state, **changes)
        for listener in list(self.state_listeners):
            listener(self.state)

    async def load_day(self, day):
        if self.answers:
            self.loads.append(day)
            await asyncio.sleep(0)
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return await super().load_day(day)

    def emit(self, event):
        for listener in list(self.listeners):
            listener(event)


def replace_ns(ns, **changes):
    return SimpleNamespace(**{**vars(ns), **changes})


@pytest.fixture
def live(qtbot, aloop, monkeypatch):
    monkeypatch.setattr(freshness_mod, "DEBOUNCE_MS", 10)
    model = LiveFake(now=at(TODAY, 14))
    model.days[TODAY] = a_day(TODAY, running=False)
    window = EntriesWindow(model, now=lambda: model.now, start_task=lambda task: None)
    window.open()
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 2, timeout=5000)
    yield model, window
    window.shutdown()
    window.deleteLater()
    flush_deletes()


def test_a_start_made_through_the_engine_shows_in_the_open_window(qtbot, live):
    model, window = live
    # `timecrowd-tray start` goes through the app's engine: only its state says so (no DayChanged)
    model.days[TODAY] = [*a_day(TODAY, running=False), entry(104, REVIEW, at(TODAY, 14), None)]
    model.set_state(phase="starting", task=REVIEW, started_at=at(TODAY, 14), local_ref=9)
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 3, timeout=3000)
    loads = len(model.loads)
    model.set_state(offline=True)  # not a timer change: the day is not read again
    qtbot.wait(50)
    assert len(model.loads) == loads
    model.days[TODAY] = a_day(TODAY, running=False)
    model.set_state(phase="idle", task=None, started_at=None, local_ref=None)  # and the stop
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 2, timeout=3000)


def test_a_burst_of_timer_changes_reads_the_day_once(qtbot, live):
    model, window = live
    loads = len(model.loads)
    model.set_state(phase="starting", task=REVIEW, started_at=at(TODAY, 14), local_ref=9)
    model.set_state(phase="running", entry_id=104)
    model.set_state(pending_count=0, server_entry="104")
    qtbot.waitUntil(lambda: len(model.loads) > loads, timeout=3000)
    qtbot.wait(50)
    assert len(model.loads) == loads + 1


def test_a_timer_change_on_another_day_does_not_reload(qtbot, live):
    model, window = live
    window.show_day(TODAY - timedelta(days=3))
    qtbot.waitUntil(lambda: window.day == TODAY - timedelta(days=3) and not window.navigator.status_label.text(),
                    timeout=3000)
    loads = len(model.loads)
    model.set_state(phase="running", task=REVIEW, started_at=at(TODAY, 14), entry_id=104)
    qtbot.wait(60)
    assert len(model.loads) == loads


@pytest.mark.parametrize("name", ["StartedElsewhere", "StoppedElsewhere", "SwitchedElsewhere", "SyncedPending"])
def test_a_change_seen_elsewhere_or_confirmed_reloads_the_day(qtbot, live, name):
    from timecrowd_tray.services import events

    model, window = live
    model.days[TODAY] = [entry(101, LOGIN, at(TODAY, 9), at(TODAY, 10))]
    running = SimpleNamespace(started_at=at(TODAY, 13), task=REVIEW)
    event = {"StartedElsewhere": lambda: events.StartedElsewhere(running),
             "StoppedElsewhere": lambda: events.StoppedElsewhere(REVIEW, running),
             "SwitchedElsewhere": lambda: events.SwitchedElsewhere(running, LOGIN),
             "SyncedPending": lambda: events.SyncedPending(1)}[name]()
    model.emit(event)
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 1, timeout=3000)


SERVICE_SENTENCE = "この日の作業記録の一部を読み込めませんでした（Service Unavailable）。"


def test_an_incomplete_day_says_the_services_sentence_once(qtbot, live):
    model, window = live
    model.answers = [FakeDayLoad(TODAY, [], complete=False, error=SERVICE_SENTENCE)]
    window.reload()
    qtbot.waitUntil(lambda: window.load_error is not None, timeout=3000)
    assert window.navigator.status_label.text() == SERVICE_SENTENCE
    model.answers = [FakeDayLoad(TODAY, [], complete=False, error=None)]
    window.reload()
    qtbot.waitUntil(lambda: window.navigator.status_label.text() == "Part of this day could not be loaded.",
                    timeout=3000)


def test_a_failed_load_says_one_sentence(qtbot, live):
    from timecrowd_tray.api import errors

    model, window = live
    model.answers = [errors.ServerError("Service Unavailable", status=503)]
    window.reload()
    qtbot.waitUntil(lambda: window.navigator.status_label.text().startswith("Could not load this day"),
                    timeout=3000)
    assert window.navigator.status_label.text().count("Could not load") == 1
    model.answers = [RuntimeError("boom")]
    window.reload()
    qtbot.waitUntil(lambda: window.navigator.status_label.text() == "Could not load this day.", timeout=3000)


def test_an_incomplete_day_is_read_again_by_itself_with_a_growing_wait(qtbot, live, monkeypatch):
    model, window = live
    monkeypatch.setattr(freshness_mod, "RETRY_FIRST_MS", 20)
    monkeypatch.setattr(freshness_mod, "RETRY_MAX_MS", 40)
    model.answers = [FakeDayLoad(TODAY, [], complete=False, error=SERVICE_SENTENCE)] * 3
    window.reload()
    qtbot.waitUntil(lambda: window.freshness.retry_ms == 40, timeout=3000)  # 20, then 40: bounded
    # the faults cleared: the next try reads the whole day, and the retries stop
    qtbot.waitUntil(lambda: window.load_error is None and window.table_model.rowCount() == 2, timeout=3000)
    assert window.navigator.status_label.text() == "" and not window.freshness.retry.isActive()


def test_no_retry_while_offline_and_back_online_reads_the_day_at_once(qtbot, live, monkeypatch):
    from timecrowd_tray.services import events

    model, window = live
    monkeypatch.setattr(freshness_mod, "RETRY_FIRST_MS", 20)
    model.set_state(offline=True)
    model.answers = [FakeDayLoad(TODAY, [], complete=False, error=SERVICE_SENTENCE)]
    window.reload()
    qtbot.waitUntil(lambda: window.load_error is not None, timeout=3000)
    loads = len(model.loads)
    qtbot.wait(80)
    assert len(model.loads) == loads  # offline: no try until it answers
    model.set_state(offline=False)
    model.emit(events.BackOnline())
    qtbot.waitUntil(lambda: window.load_error is None and window.table_model.rowCount() == 2, timeout=3000)
    loads = len(model.loads)
    model.emit(events.BackOnline())  # a complete day is not read again for that
    qtbot.wait(50)
    assert len(model.loads) == loads
