"""The timeline: bars where the entries are, in their category's colour; gaps; drags and picks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from timecrowd_tray.ui.timeline import CATEGORY_COLOURS, NO_CATEGORY, Timeline, category_colour, snap

from .conftest import flush_deletes
from .entries_fake import LOGIN, TOKYO, TRIAGE, WEEKLY, a_day, at

DAY = date(2025, 10, 21)


def strip(qtbot, entries=None, now=None):
    timeline = Timeline()
    timeline.resize(1000, 60)
    timeline.set_day(DAY, TOKYO, a_day(DAY) if entries is None else entries, now or at(DAY, 14))
    timeline.show()
    qtbot.waitExposed(timeline)
    return timeline


def test_the_strip_spans_the_working_day_and_every_entry(qtbot):
    timeline = strip(qtbot)
    try:
        start, end = timeline._view  # noqa: SLF001
        assert (start, end) == (at(DAY, 8), at(DAY, 18))
        early = strip(qtbot, entries=[*a_day(DAY, running=False)], now=at(DAY, 21, 30))
        assert early._view[1] == at(DAY, 22)  # noqa: SLF001 - widened to now
        early.close()
    finally:
        timeline.close()
        flush_deletes()


def test_bars_are_painted_in_the_category_colour_where_the_entries_are(qtbot):
    timeline = strip(qtbot)
    try:
        image = QImage(timeline.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor("black"))
        timeline.render(image)
        _weekly, login, _review = timeline.entries
        assert category_colour(WEEKLY) == QColor(CATEGORY_COLOURS[2])
        assert category_colour(TRIAGE) == QColor(NO_CATEGORY)
        y = int(timeline.bar_rect(login).center().y())
        inside = int(timeline.bar_rect(login).right()) - 2  # past the title's end (it is elided before)
        assert QColor(image.pixel(inside, y)) == category_colour(LOGIN)
        mid_gap = int(timeline.x_of(at(DAY, 12, 30)))
        assert QColor(image.pixel(mid_gap, y)) != category_colour(LOGIN)  # the gap is not painted over
        now_x = round(timeline.x_of(at(DAY, 14)))
        assert any(QColor(image.pixel(x, y)).red() > 180 and QColor(image.pixel(x, y)).green() < 90
                   for x in range(now_x - 1, now_x + 2))  # the now line
        assert timeline.gap_spans == [(at(DAY, 12), at(DAY, 13))]
    finally:
        timeline.close()
        flush_deletes()


def test_a_click_in_a_gap_offers_it_and_a_drag_across_the_strip_offers_the_span(qtbot):
    timeline = strip(qtbot)
    try:
        y = int(timeline.bar_rect(timeline.entries[0]).center().y())
        with qtbot.waitSignal(timeline.span_chosen) as chosen:
            QTest.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.x_of(at(DAY, 12, 20))), y))
        assert chosen.args == [at(DAY, 12), at(DAY, 13)]
        with qtbot.waitSignal(timeline.span_chosen) as dragged:
            QTest.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.x_of(at(DAY, 15))), y))
            QTest.mouseMove(timeline, QPoint(int(timeline.x_of(at(DAY, 16))), y))
            QTest.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.x_of(at(DAY, 16))), y))
        start, end = dragged.args
        assert abs((start - at(DAY, 15)).total_seconds()) <= 60 and abs((end - at(DAY, 16)).total_seconds()) <= 60
        assert start.second == 0 and end.second == 0
    finally:
        timeline.close()
        flush_deletes()


def test_dragging_an_edge_offers_the_new_time_snapped_to_the_minute(qtbot):
    timeline = strip(qtbot)
    try:
        login = timeline.entries[1]
        rect = timeline.bar_rect(login)
        y = int(rect.center().y())
        target = int(timeline.x_of(at(DAY, 11, 30)))
        with qtbot.waitSignal(timeline.times_dragged) as dragged:
            QTest.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(rect.right()), y))
            QTest.mouseMove(timeline, QPoint(target, y))
            QTest.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(target, y))
        entry, start, stop = dragged.args
        assert entry is login and start == login.started_at
        assert abs((stop - at(DAY, 11, 30)).total_seconds()) <= 60 and stop.second == 0
    finally:
        timeline.close()
        flush_deletes()


def test_a_click_on_a_bar_and_the_arrow_keys_select_entries(qtbot):
    timeline = strip(qtbot)
    try:
        login = timeline.entries[1]
        with qtbot.waitSignal(timeline.entry_clicked) as clicked:
            QTest.mouseClick(timeline, Qt.MouseButton.LeftButton,
                             pos=timeline.bar_rect(login).center().toPoint())
        assert clicked.args == [login.ref]
        with qtbot.waitSignal(timeline.entry_clicked) as moved:
            QTest.keyClick(timeline, Qt.Key.Key_Right)
        assert moved.args == [timeline.entries[2].ref]
    finally:
        timeline.close()
        flush_deletes()


def test_snap_rounds_to_the_nearest_minute():
    assert snap(at(DAY, 9, 5).replace(second=29)) == at(DAY, 9, 5)
    assert snap(at(DAY, 9, 5).replace(second=30)) == at(DAY, 9, 6)
