"""The day as a strip: hours across, each entry a bar in its category's colour, gaps, now.

The strip spans the working day at least (8:00 to 18:00), widened to every entry and to now.
Gaps between entries (:func:`timecrowd_tray.core.day.gaps`) are drawn as dashed outlines; the
running entry's bar ends at the now line; a change of ours not sent yet is hatched.

Mouse: a click on a bar selects its entry (:attr:`Timeline.entry_clicked`); dragging a bar's
edge moves that end (snapped to the minute; the running entry's end is now and does not move),
and the new times are offered on release (:attr:`Timeline.times_dragged`); a click in a gap,
or a drag across the empty strip, offers that span for a new entry
(:attr:`Timeline.span_chosen`). Keys (when it has the focus): Left/Right select the previous
or next entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..core.day import day_bounds, gaps
from ..core.durations import format_hm

#: TimeCrowd's category colours are numbers (1, 2, …): the palette they index, in order.
CATEGORY_COLOURS = ("#2e90fa", "#12b76a", "#f79009", "#ee46bc", "#7a5af8", "#f04438",
                    "#15b79e", "#eaaa08", "#6172f3", "#db6e2c", "#66c61c", "#9e77ed")
NO_CATEGORY = "#98a2b3"
EDGE_GRAB_PX = 5
MIN_SPAN = timedelta(minutes=1)
DEFAULT_HOURS = (8, 18)


def category_colour(task: Any) -> QColor:
    """The colour of ``task``'s category (grey without one)."""
    category = getattr(task, "category", None)
    number = getattr(category, "color", None)
    if not isinstance(number, int) or number <= 0:
        return QColor(NO_CATEGORY)
    return QColor(CATEGORY_COLOURS[(number - 1) % len(CATEGORY_COLOURS)])


def snap(moment: datetime) -> datetime:
    """``moment`` to the nearest whole minute."""
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if moment - base >= timedelta(seconds=30) else base


class Timeline(QWidget):
    """The strip (see the module docstring)."""

    entry_clicked = Signal(object)                  # DayEntry.ref
    times_dragged = Signal(object, object, object)  # DayEntry, new start, new stop (None: running)
    span_chosen = Signal(object, object)            # start, end (aware datetimes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Timeline of the day"))
        self.entries: list[Any] = []
        self.day: date = date.today()
        self.tz: tzinfo | None = None
        self.now: datetime | None = None
        self.selected: Any = None  # the ref of the selected entry
        self.gap_spans: list[tuple[datetime, datetime]] = []
        self._view: tuple[datetime, datetime] | None = None
        self._drag: tuple[Any, str, datetime | None, datetime | None] | None = None  # entry, "start"/"stop"/"span"
        self._press_x = 0.0

    # -- data ------------------------------------------------------------------------------

    def set_day(self, day: date, tz: tzinfo, entries: Sequence[Any], now: datetime) -> None:
        self.day, self.tz, self.now = day, tz, now
        self.entries = [e for e in entries if e.pending != "delete"]
        self.gap_spans = gaps(self.entries, day=day, now=now)
        self._view = self._view_range()
        self.update()

    def set_now(self, now: datetime) -> None:
        self.now = now
        self.update()

    def select(self, ref: Any) -> None:
        self.selected = ref
        self.update()

    def _view_range(self) -> tuple[datetime, datetime]:
        assert self.tz is not None and self.now is not None
        lo, hi = day_bounds(self.day, self.tz)
        first, last = lo + timedelta(hours=DEFAULT_HOURS[0]), lo + timedelta(hours=DEFAULT_HOURS[1])
        for entry in self.entries:
            first = min(first, max(lo, entry.started_at))
            last = max(last, min(hi, entry.stopped_at or self.now))
        if lo <= self.now < hi:
            last = max(last, self.now)
        start = max(lo, first.replace(minute=0, second=0, microsecond=0))
        end = last.replace(minute=0, second=0, microsecond=0)
        end = min(hi, end + timedelta(hours=1) if end < last else end)
        return start, max(end, start + timedelta(hours=1))

    # -- geometry ------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, self.fontMetrics().height() * 2 + 36)

    def _bar_area(self) -> QRectF:
        label = self.fontMetrics().height() + 4
        return QRectF(8, label + 2, max(1, self.width() - 16), max(8, self.height() - label - 8))

    def x_of(self, moment: datetime) -> float:
        area = self._bar_area()
        if self._view is None:
            return area.left()
        start, end = self._view
        share = (moment - start).total_seconds() / max(1.0, (end - start).total_seconds())
        return area.left() + max(0.0, min(1.0, share)) * area.width()

    def time_at(self, x: float) -> datetime:
        area = self._bar_area()
        assert self._view is not None
        start, end = self._view
        share = max(0.0, min(1.0, (x - area.left()) / area.width()))
        return start + (end - start) * share

    def bar_rect(self, entry: Any) -> QRectF:
        area = self._bar_area()
        left = self.x_of(entry.started_at)
        right = self.x_of(entry.stopped_at or self.now or entry.started_at)
        return QRectF(left, area.top(), max(2.0, right - left), area.height())

    def _entry_at(self, x: float) -> tuple[Any, str | None]:
        """The entry under ``x`` and the edge ("start"/"stop") within grabbing distance, if any."""
        for entry in reversed(self.entries):
            rect = self.bar_rect(entry)
            if abs(x - rect.left()) <= EDGE_GRAB_PX:
                return entry, "start"
            if entry.stopped_at is not None and abs(x - rect.right()) <= EDGE_GRAB_PX:
                return entry, "stop"
        for entry in reversed(self.entries):
            rect = self.bar_rect(entry)
            if rect.left() <= x <= rect.right():
                return entry, None
        return None, None

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self._view is None or self.tz is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        area = self._bar_area()
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        self._paint_hours(painter, area, palette)
        dashed = QPen(palette.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DashLine)
        for start, end in self.gap_spans:
            painter.setPen(dashed)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.x_of(start), area.top() + 3, self.x_of(end) - self.x_of(start),
                                    area.height() - 6))
        dragged, what, drag_start, drag_stop = self._drag or (None, "", None, None)
        for entry in self.entries:
            if entry is dragged and drag_start is not None:  # where the edge is being dragged to
                entry = replace(entry, started_at=drag_start, stopped_at=drag_stop)
            self._paint_bar(painter, entry, palette)
        if what == "span" and drag_start is not None and drag_stop is not None:
            colour = palette.color(QPalette.ColorRole.Highlight)
            colour.setAlpha(90)
            left, right = sorted((self.x_of(drag_start), self.x_of(drag_stop)))
            painter.fillRect(QRectF(left, area.top(), right - left, area.height()), colour)
        if self.now is not None and self._view[0] <= self.now <= self._view[1]:
            x = self.x_of(self.now)
            painter.setPen(QPen(QColor("#d92d20"), 2))
            painter.drawLine(QPointF(x, area.top() - 3), QPointF(x, area.bottom() + 3))
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(area.adjusted(-2, -2, 2, 2))
        painter.end()

    def _paint_hours(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        assert self._view is not None and self.tz is not None
        start, end = self._view
        hours = int((end - start).total_seconds() // 3600)
        metrics = self.fontMetrics()
        step = 1
        while step < 24 and hours and area.width() / (hours / step) < metrics.horizontalAdvance("00:00") + 6:
            step += 1
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Midlight), 1))
        for i in range(hours + 1):
            moment = start + timedelta(hours=i)
            x = self.x_of(moment)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            if i % step == 0:
                label = f"{moment.astimezone(self.tz).hour}:00"
                width = metrics.horizontalAdvance(label)
                left = max(0.0, min(self.width() - width, x - width / 2))
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                painter.drawText(QPointF(left, metrics.ascent() + 1), label)

    def _paint_bar(self, painter: QPainter, entry: Any, palette: QPalette) -> None:
        rect = self.bar_rect(entry).adjusted(0, 6, 0, -6)
        colour = category_colour(entry.task)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 3, 3)
        if entry.pending is not None:
            painter.setBrush(QBrush(colour.darker(150), Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 3, 3)
        if entry.ref == self.selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
        metrics = self.fontMetrics()
        if rect.width() > metrics.averageCharWidth() * 4:
            painter.setPen(QColor("white"))
            text = metrics.elidedText(entry.task.title, Qt.TextElideMode.ElideRight, int(rect.width()) - 6)
            painter.drawText(rect.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             text)

    # -- mouse -----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._view is None:
            super().mousePressEvent(event)
            return
        x = event.position().x()
        self._press_x = x
        entry, edge = self._entry_at(x)
        if entry is not None and edge is not None:
            self._drag = (entry, edge, entry.started_at, entry.stopped_at)
        elif entry is not None:
            self._drag = None
            self.select(entry.ref)
            self.entry_clicked.emit(entry.ref)
        else:
            moment = snap(self.time_at(x))
            self._drag = (None, "span", moment, moment)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        x = event.position().x()
        if self._drag is None:
            _entry, edge = self._entry_at(x)
            self.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.ArrowCursor)
            return
        entry, what, start, stop = self._drag
        moment = snap(self.time_at(x))
        if what == "start":
            self._drag = (entry, what, moment, stop)
        elif what == "stop":
            self._drag = (entry, what, start, moment)
        else:
            self._drag = (None, what, start, moment)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self._drag = self._drag, None
        if drag is None:
            return
        entry, what, start, stop = drag
        moved = abs(event.position().x() - self._press_x) > 2
        if what == "span":
            assert start is not None and stop is not None
            lo, hi = min(start, stop), max(start, stop)
            if moved and hi - lo >= MIN_SPAN:
                self.span_chosen.emit(lo, hi)
            else:
                gap = self.gap_at(self.time_at(self._press_x))
                if gap is not None:
                    self.span_chosen.emit(*gap)
            return
        if not moved:
            self.select(entry.ref)
            self.entry_clicked.emit(entry.ref)
            return
        self.times_dragged.emit(entry, start, stop)

    def gap_at(self, moment: datetime) -> tuple[datetime, datetime] | None:
        return next(((s, e) for s, e in self.gap_spans if s <= moment < e), None)

    def event(self, event: Any) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent) and self._view is not None:
            entry, _edge = self._entry_at(event.position().x())
            if entry is not None and self.tz is not None:
                end = entry.stopped_at or self.now
                span = self.tr("%1–%2").replace("%1", _clock(entry.started_at, self.tz)).replace(
                    "%2", _clock(end, self.tz) if end else "")  # ja: 〜
                QToolTip.showText(event.globalPos(), f"{entry.task.title}\n{span}", self)
            else:
                gap = self.gap_at(self.time_at(event.position().x()))
                if gap is not None and self.tz is not None:
                    QToolTip.showText(event.globalPos(), self.tr("Free %1–%2 (%3): click to add an entry")
                                      .replace("%1", _clock(gap[0], self.tz)).replace("%2", _clock(gap[1], self.tz))
                                      .replace("%3", format_hm((gap[1] - gap[0]).total_seconds())), self)
                else:
                    QToolTip.hideText()
            return True
        return super().event(event)

    # -- keys ---------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.entries:
            refs = [e.ref for e in self.entries]
            index = refs.index(self.selected) if self.selected in refs else -1
            step = 1 if event.key() == Qt.Key.Key_Right else -1
            index = max(0, min(len(refs) - 1, index + step if index >= 0 else 0))
            self.select(refs[index])
            self.entry_clicked.emit(refs[index])
            return
        super().keyPressEvent(event)


def _clock(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.hour}:{local.minute:02d}"
