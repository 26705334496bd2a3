"""The palette on its own: filtering, keys, server suggestions, the create row."""

from __future__ import annotations

import asyncio
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from timecrowd_tray.core.models import Category, Task, Team
from timecrowd_tray.ui.palette import LOCAL_LIMIT, Destination, Palette

from .conftest import flush_deletes, ime_commit

DEV = Category(id=1, title="開発", team_id=14)
TASKS = [
    Task(id=1, title="ログイン画面の改修", team_id=14, team_name="株式会社デモ", category=DEV),
    Task(id=2, title="Code review", team_id=14, team_name="株式会社デモ", category=DEV),
    Task(id=3, title="Bug triage #214", team_id=15, team_name="Open Source Guild"),
    Task(id=4, title="Weekly sync", team_id=14, team_name="株式会社デモ"),
]
TEAM = Team(id=14, name="株式会社デモ")
BACKLOG = Task(id=9, title="Triage backlog", team_id=15, team_name="Open Source Guild")  # only on the server


class FakeSearch:
    """Answers when told to, like a server that takes its time."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.answers: dict[str, asyncio.Future] = {}

    async def __call__(self, query: str):
        self.queries.append(query)
        future = asyncio.get_running_loop().create_future()
        self.answers[query] = future
        return await future


@pytest.fixture
def search(aloop):
    return FakeSearch()


@pytest.fixture
def palette(qtbot, aloop, search):
    p = Palette(search=search)
    p.set_tasks(TASKS)
    p.set_destinations([Destination(TEAM), Destination(TEAM, DEV)])
    p.popup()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is p.field, timeout=2000)
    yield p
    p.close_palette()
    p.deleteLater()
    flush_deletes()


def titles(p):
    return [r.title for r in p.rows() if r.kind == "task"]


def test_opens_with_the_recent_tasks_in_order(palette):
    assert titles(palette) == [t.title for t in TASKS]
    assert palette.current_row() == 0
    assert palette.rows()[0].subtitle == "株式会社デモ · 開発"


def test_typing_filters_at_once(qtbot, palette):
    qtbot.keyClicks(palette.field, "rev")
    assert titles(palette) == ["Code review"]
    assert palette.rows()[-1].kind == "create"
    palette.field.clear()
    ime_commit(palette.field, "改修")
    assert titles(palette) == ["ログイン画面の改修"]


def test_a_burst_of_text_changes_filters_once_and_the_keys_act_on_what_is_typed(qtbot, palette, monkeypatch):
    queries = []
    search = palette._index.search
    monkeypatch.setattr(palette._index, "search", lambda q, limit=None: queries.append(q) or search(q, limit))
    for text in ("C", "Co", "Cod"):  # a paste, an input method's commit, fast typing: no loop in between
        palette.field.setText(text)
    assert queries == []  # filtering waits for the event loop: the field shows the text first
    QApplication.processEvents()
    assert queries == ["Cod"] and titles(palette) == ["Code review"]
    # Enter right after typing, before the loop filtered: it starts what matches the text typed
    palette.field.setText("sync")
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0].id == 4


def test_arrows_and_enter_start_the_choice(qtbot, palette):
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    qtbot.keyClick(palette.field, Qt.Key.Key_Up)
    assert palette.current_row() == 1
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0].id == 2
    assert not palette.isVisible()


def test_the_last_row_creates_a_task_in_the_chosen_place(qtbot, palette):
    ime_commit(palette.field, "新機能の設計")
    rows = palette.rows()
    assert rows[-1].kind == "create" and "新機能の設計" in rows[-1].title
    palette.destination.setCurrentIndex(1)
    qtbot.keyClick(palette.field, Qt.Key.Key_End)
    for _ in range(len(rows)):
        qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    assert palette.current_row() == len(rows) - 1
    with qtbot.waitSignal(palette.create_requested, timeout=1000) as created:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert created.args == ["新機能の設計", Destination(TEAM, DEV)]


def hint(p):
    return p.hint.text()


def test_with_no_task_matching_enter_creates_nothing(qtbot, palette):
    """The create row is never chosen for you: a stray Enter must not put a task in a shared team."""
    ime_commit(palette.field, "新機能の設計")
    assert [r.kind for r in palette.rows()] == ["create"]
    assert palette.current_row() == -1
    assert hint(palette) == palette.tr("No task matches · ↓ then Enter to create it · Esc close")
    with qtbot.assertNotEmitted(palette.create_requested), qtbot.assertNotEmitted(palette.task_chosen):
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
        qtbot.keyClick(palette.field, Qt.Key.Key_Enter)
    assert palette.isVisible()
    # Choosing it is one ↓ away (or ↑), and the hint says what Enter now does.
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    assert palette.current_row() == 0
    assert hint(palette) == palette.tr("↑↓ choose · Enter create · Esc close")
    with qtbot.waitSignal(palette.create_requested, timeout=1000) as created:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert created.args == ["新機能の設計", Destination(TEAM)]


def test_a_task_match_is_chosen_for_you_and_the_create_row_is_not(qtbot, palette):
    qtbot.keyClicks(palette.field, "rev")
    assert [r.kind for r in palette.rows()] == ["task", "create"]
    assert palette.current_row() == 0
    assert hint(palette) == palette.tr("↑↓ choose · Enter start · Esc close")
    qtbot.keyClick(palette.field, Qt.Key.Key_Backspace)  # "re": filtered again, the first task again
    assert palette.rows()[palette.current_row()].kind == "task"
    qtbot.keyClicks(palette.field, "v")
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0].id == 2


def click_row(qtbot, p, row):
    assert p.rows()  # filtered: the rows as shown
    qtbot.mouseClick(p.view.viewport(), Qt.MouseButton.LeftButton, pos=p.view.visualRect(p.model.index(row)).center())


def test_clicking_the_create_row_creates(qtbot, palette):
    ime_commit(palette.field, "新機能の設計")
    with qtbot.waitSignal(palette.create_requested, timeout=1000) as created:
        click_row(qtbot, palette, 0)
    assert created.args == ["新機能の設計", Destination(TEAM)]


def test_server_answers_keep_the_row_you_chose(qtbot, palette, search):
    qtbot.keyClicks(palette.field, "triage")
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)  # onto the create row
    assert palette.rows()[palette.current_row()].kind == "create"
    qtbot.waitUntil(lambda: "triage" in search.answers, timeout=2000)
    search.answers["triage"].set_result([BACKLOG])
    qtbot.waitUntil(lambda: "Triage backlog" in titles(palette), timeout=2000)
    assert palette.rows()[palette.current_row()].kind == "create"  # not the task that took its place


def test_a_server_match_is_chosen_when_nothing_local_matched(qtbot, palette, search):
    qtbot.keyClicks(palette.field, "backlog")
    assert palette.current_row() == -1
    qtbot.waitUntil(lambda: "backlog" in search.answers, timeout=2000)
    search.answers["backlog"].set_result([BACKLOG])
    qtbot.waitUntil(lambda: "Triage backlog" in titles(palette), timeout=2000)
    assert palette.current_row() == 0 and hint(palette) == palette.tr("↑↓ choose · Enter start · Esc close")
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0].id == 9


def test_choosing_a_destination_with_the_keyboard_returns_to_the_field(qtbot, palette):
    qtbot.wait(250)  # popup() gives the field the focus again at 150 ms (for slow window managers)
    ime_commit(palette.field, "新機能の設計")
    qtbot.keyClick(palette.field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.destination, timeout=2000)
    qtbot.keyClick(palette.destination, Qt.Key.Key_Down)  # the next destination: 株式会社デモ / 開発
    assert palette.current_destination() == Destination(TEAM, DEV)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.field, timeout=2000)
    assert palette.rows()[-1].subtitle == "Create a new task in 株式会社デモ / 開発"
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(palette.create_requested, timeout=1000) as created:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert created.args == ["新機能の設計", Destination(TEAM, DEV)]


def test_choosing_a_destination_with_the_mouse_renames_the_create_row_at_once(qtbot, palette):
    qtbot.wait(250)  # as above
    qtbot.keyClicks(palette.field, "rev")
    assert palette.rows()[-1].subtitle == "Create a new task in 株式会社デモ"
    qtbot.mouseClick(palette.destination, Qt.MouseButton.LeftButton)
    popup = palette.destination.view()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # the box ignores a release this soon after opening
    item = popup.visualRect(palette.destination.model().index(1, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=item)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)
    assert palette.rows()[-1].subtitle == "Create a new task in 株式会社デモ / 開発"
    assert palette.current_row() == 0  # the highlighted task stays highlighted
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.field, timeout=2000)


def test_teams_that_refuse_new_tasks_are_never_a_destination(qtbot, palette):
    readonly = Team(id=16, name="経理部 (閲覧のみ)", tasks_readonly=True)
    palette.set_destinations([Destination(readonly), Destination(TEAM)])
    assert [palette.destination.itemText(i) for i in range(palette.destination.count())] == ["株式会社デモ"]
    # With no team left, the create row says why and cannot be chosen.
    palette.set_destinations([Destination(readonly)])
    assert palette.destination.count() == 0
    ime_commit(palette.field, "新機能の設計")
    row = palette.rows()[-1]
    assert row.kind == "create" and not row.enabled
    assert row.subtitle == palette.tr("None of your teams accepts new tasks")
    assert hint(palette) == palette.tr("No task matches · Esc close")
    with qtbot.assertNotEmitted(palette.create_requested):
        qtbot.keyClick(palette.field, Qt.Key.Key_Down)
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
        click_row(qtbot, palette, 0)
    assert palette.current_row() == -1 and palette.isVisible()
    # A destination coming back makes it a choice again, at once.
    palette.set_destinations([Destination(TEAM)])
    assert palette.rows()[-1].enabled and palette.rows()[-1].subtitle == "Create a new task in 株式会社デモ"


def test_tasks_of_a_read_only_team_are_still_offered_and_started(qtbot, palette):
    """``tasks_readonly`` forbids creating tasks, not timing them (the API's start has no such refusal)."""
    readonly_task = Task(id=30, title="交通費精算", team_id=16, team_name="経理部 (閲覧のみ)")
    palette.set_tasks([*TASKS, readonly_task])
    ime_commit(palette.field, "交通費")
    assert titles(palette) == ["交通費精算"] and palette.current_row() == 0
    with qtbot.waitSignal(palette.task_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert chosen.args[0] is readonly_task


def test_escape_closes(qtbot, palette):
    with qtbot.waitSignal(palette.closed, timeout=1000):
        qtbot.keyClick(palette.field, Qt.Key.Key_Escape)
    assert not palette.isVisible()


def test_server_suggestions_are_merged_when_they_arrive(qtbot, palette, search):
    qtbot.keyClicks(palette.field, "triage")
    assert titles(palette) == ["Bug triage #214"]
    qtbot.waitUntil(lambda: "triage" in search.answers, timeout=2000)  # after the typing pause
    search.answers["triage"].set_result([
        Task(id=3, title="Bug triage #214", team_id=15, team_name="Open Source Guild"),  # already shown
        Task(id=9, title="Triage backlog", team_id=15, team_name="Open Source Guild"),
    ])
    qtbot.waitUntil(lambda: "Triage backlog" in titles(palette), timeout=2000)
    assert titles(palette) == ["Bug triage #214", "Triage backlog"]
    assert palette.rows()[1].from_server


def test_a_late_answer_for_an_older_query_is_not_shown(qtbot, palette, search):
    qtbot.keyClicks(palette.field, "cod")
    qtbot.waitUntil(lambda: "cod" in search.answers, timeout=2000)
    first = search.answers["cod"]
    qtbot.keyClicks(palette.field, "e")
    assert first.cancelled() or not first.done()
    qtbot.waitUntil(lambda: "code" in search.answers, timeout=2000)
    search.answers["code"].set_result([])
    assert titles(palette) == ["Code review"]


def test_ten_thousand_tasks_filter_correctly(qtbot, aloop):
    # How fast this is, is measured (and printed) by benchmarks/, never asserted here.
    rng = random.Random(5)
    words = "design review weekly sync customer support invoice release 会議 資料 開発 調査".split()
    tasks = [Task(id=i + 1, title=" ".join(rng.choice(words) for _ in range(4)) + f" {i}", team_id=14,
                  team_name="株式会社デモ") for i in range(10_000)]
    p = Palette()
    p.set_tasks(tasks)
    p.popup()
    try:
        assert titles(p) == [t.title for t in tasks[:LOCAL_LIMIT]]  # the most recent ones
        for k in range(1, len("design review") + 1):
            p.field.setText("design review"[:k])  # filtering and the list model's update
            shown = titles(p)
            assert 0 < len(shown) <= LOCAL_LIMIT
            assert p.rows()[-1].kind == "create"
        # The whole query: only tasks with both words, as many as the list shows.
        both = [t.title for t in tasks if {"design", "review"} <= set(t.title.split())]
        shown = titles(p)
        assert len(shown) == min(LOCAL_LIMIT, len(both))
        assert set(shown) <= set(both)
        ime_commit(p.field, " 会議")  # "design review 会議"
        assert titles(p) and all({"design", "review", "会議"} <= set(t.split()) for t in titles(p))
        p.field.setText("zzz")
        assert titles(p) == [] and [r.kind for r in p.rows()] == ["create"]
    finally:
        p.close_palette()
        p.deleteLater()
        flush_deletes()


def test_where_new_tasks_can_go():
    """The "New tasks go to" choices (core.destinations): the latest task's team first, read-only teams left out."""
    from timecrowd_tray.core.destinations import destinations

    guild = Team(id=15, name="Open Source Guild")
    readonly = Team(id=16, name="Read only", tasks_readonly=True)
    ops = Category(id=2, title="運用", team_id=14)
    known = [*TASKS, Task(id=5, title="Deploy", team_id=14, team_name="株式会社デモ", category=ops)]
    got = destinations([TEAM, readonly, guild], known, latest=TASKS[2])
    assert [d.label() for d in got] == [
        "Open Source Guild", "株式会社デモ", "株式会社デモ / 運用", "株式会社デモ / 開発"]
    assert got[1:] == [Destination(TEAM), Destination(TEAM, ops), Destination(TEAM, DEV)]
    assert [d.label() for d in destinations([TEAM, guild], [], latest=None)] == ["株式会社デモ", "Open Source Guild"]


def test_a_read_only_team_accepts_no_new_tasks():
    from timecrowd_tray.core.destinations import accepts_new_tasks

    assert accepts_new_tasks(TEAM)
    assert not accepts_new_tasks(Team.from_json({"id": 16, "name": "経理部", "tasks_readonly": True,
                                                 "tasks_readonly_role": "member"}))


def test_task_labels_are_the_same_everywhere():
    from timecrowd_tray.core.labels import task_label, team_and_category

    assert task_label("Code review", "株式会社デモ") == "Code review (株式会社デモ)"
    assert task_label("Code review", "") == task_label("Code review") == "Code review"
    assert team_and_category(TASKS[0]) == "株式会社デモ · 開発"
    assert team_and_category(TASKS[2]) == "Open Source Guild"
    assert team_and_category(Task(id=9, title="Loose")) == ""
