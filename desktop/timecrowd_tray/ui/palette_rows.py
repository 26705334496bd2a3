"""The palette's list: its rows, their model, and how a row is painted.

:class:`PaletteRow` is one line of the list (a task, a command such as
"Today…", or the offer to create a task); :class:`PaletteModel` holds them for
the view; :class:`PaletteDelegate` paints each as two lines, the title and,
smaller, the team and category (a command: what it does; a row that cannot be
chosen: why), muted. A command's row also shows its tag ("Command") at the
right of its title, so it never passes for a task. The window that fills the
list and acts on the choice is :mod:`.palette`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..core.models import Task

TEXT_CACHE = 512  # texts kept by the delegate (a few screens of rows, at a few widths)
_NO_PARENT = QModelIndex()  # the list's rows have no parent


@dataclass(frozen=True, slots=True)
class PaletteRow:
    kind: str                   # "task", "command" or "create"
    title: str
    subtitle: str               # team and category; a command: what it does; a disabled row: why
    task: Task | None = None
    from_server: bool = False
    enabled: bool = True        # False: shown, never selected or started
    command: str = ""           # a command row: the intent it runs (PaletteCommand.intent)
    tag: str = ""               # shown muted at the right of the title ("Command")

    @property
    def identity(self) -> tuple[str, int | str]:
        """The same for the same choice across refreshes of the list (the row number is not)."""
        return (self.kind, self.task.id if self.task is not None else self.command)


class PaletteModel(QAbstractListModel):
    RowRole = Qt.ItemDataRole.UserRole + 1
    SubtitleRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PaletteRow] = []

    def set_rows(self, rows: list[PaletteRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def replace_row(self, row: int, new: PaletteRow) -> None:
        """Row ``row`` shows ``new`` (the selection stays)."""
        self.rows[row] = new
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return Qt.ItemFlag.NoItemFlags
        if not self.rows[index.row()].enabled:
            return Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role in (self.SubtitleRole, Qt.ItemDataRole.ToolTipRole):
            return row.subtitle
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}, {row.tag}" if row.tag else row.title
        if role == self.RowRole:
            return row
        return None


class PaletteDelegate(QStyledItemDelegate):
    """Two lines per row: the title, and the team and category in a smaller, muted font.

    A keystroke repaints every visible row, mostly with texts it showed a moment ago: the
    elided texts and their layouts (``QStaticText``) are kept, :data:`TEXT_CACHE` of
    each (least recently used out), and the fonts per view font. The row is read straight from
    the model (no ``initStyleOption``: it would ask the model for a dozen roles per row).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._elided: OrderedDict[tuple[str, int, str], str] = OrderedDict()
        self._texts: OrderedDict[tuple[str, str], QStaticText] = OrderedDict()
        self._fonts: dict[str, _RowFonts] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        metrics = option.fontMetrics
        return QSize(option.rect.width(), int(metrics.height() * 2.3) + 8)

    def _fonts_for(self, base: QFont, key: str) -> _RowFonts:
        fonts = self._fonts.get(key)
        if fonts is None:
            fonts = self._fonts[key] = _RowFonts(base)
        return fonts

    def _elide(self, metrics: QFontMetrics, text: str, width: int, font_key: str) -> str:
        key = (text, width, font_key)
        elided = self._elided.get(key)
        if elided is not None:
            self._elided.move_to_end(key)
            return elided
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        self._elided[key] = elided
        if len(self._elided) > TEXT_CACHE:
            self._elided.popitem(last=False)
        return elided

    def _static(self, text: str, font: QFont, font_key: str) -> QStaticText:
        key = (text, font_key)
        static = self._texts.get(key)
        if static is not None:
            self._texts.move_to_end(key)
            return static
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(font=font)
        self._texts[key] = static
        if len(self._texts) > TEXT_CACHE:
            self._texts.popitem(last=False)
        return static

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        model = index.model()
        rows = model.rows if isinstance(model, PaletteModel) else []
        row = rows[index.row()] if 0 <= index.row() < len(rows) else None
        if row is None:
            super().paint(painter, option, index)
            return
        state = option.state
        if state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
            # The selection or hover background (a plain row has none: the view painted its base).
            widget = option.widget
            style = widget.style() if widget else QGuiApplication.instance().style()  # type: ignore[union-attr]
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal if row.enabled else QPalette.ColorGroup.Disabled
        text_color = option.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(10, 4, -10, -4)
        half = rect.height() // 2
        fonts = self._fonts_for(option.font, option.font.key())
        italic = row.kind == "create"
        font, font_key = (fonts.italic, fonts.italic_key) if italic else (fonts.normal, fonts.normal_key)
        title_width = rect.width()
        painter.save()
        if row.tag:  # right-aligned on the title's line; the title is elided short of it
            tag = self._static(row.tag, fonts.small, fonts.small_key)
            tag_size = tag.size()
            tag_color = QColor(text_color)
            tag_color.setAlphaF(0.65)
            painter.setFont(fonts.small)
            painter.setPen(tag_color)
            painter.drawStaticText(QPointF(rect.right() - tag_size.width(),
                                           rect.top() + (half - tag_size.height()) / 2), tag)
            title_width = max(0, rect.width() - int(tag_size.width()) - 12)
        title = self._elide(option.fontMetrics, row.title, title_width, fonts.normal_key)
        painter.setFont(font)
        painter.setPen(text_color)
        # Left-aligned and vertically centred in each half, as drawText(AlignLeft | AlignVCenter) would.
        static = self._static(title, font, font_key)
        painter.drawStaticText(QPointF(rect.left(), rect.top() + (half - static.size().height()) / 2), static)
        if row.subtitle:
            muted = QColor(text_color)
            muted.setAlphaF(0.65)
            painter.setFont(fonts.small)
            painter.setPen(muted)
            subtitle = self._elide(fonts.small_metrics, row.subtitle, rect.width(), fonts.small_key)
            static = self._static(subtitle, fonts.small, fonts.small_key)
            painter.drawStaticText(
                QPointF(rect.left(), rect.top() + half + (rect.height() - half - static.size().height()) / 2),
                static)
        painter.restore()


class _RowFonts:
    """The fonts of a row for one view font: the title's, the "create" row's title's, the subtitle's."""

    __slots__ = ("normal", "italic", "small", "small_metrics", "normal_key", "italic_key", "small_key")

    def __init__(self, base: QFont) -> None:
        self.normal = QFont(base)
        self.italic = QFont(base)
        self.italic.setItalic(True)
        self.small = QFont(base)
        self.small.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
        self.small_metrics = QFontMetrics(self.small)
        self.normal_key, self.italic_key, self.small_key = self.normal.key(), self.italic.key(), self.small.key()
