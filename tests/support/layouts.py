"""What a window's layout cuts off: texts wider (or taller) than their widget, widgets on top of each other.

:func:`layout_problems` looks at a window as it is on the screen (show it first, and let its
layouts settle) and returns one line per problem, naming the widget (its object name, class and
text), so that a failing test says what to fix:

* a visible label whose text does not fit: a word-wrapped one when ``heightForWidth(width)`` is
  more than its height (the last lines are cut off); another when a line of its text is wider
  than its contents, or its lines taller;
* a visible button (push button, check box, radio button, tool button) whose text is wider than
  the room its style leaves for the text (a check box's indicator and a push button's frame are
  not room for text);
* two visible sibling widgets whose geometries overlap, and a visible widget that sticks out of
  its parent (it is cut off there).

The insides of Qt's composite widgets (a line edit's clear button, a spin box's or a combo box's
editor, a scroll area's viewport and scroll bars) are theirs to place and are not looked at; but
what a :class:`QScrollArea` scrolls (its ``widget()``, a window's body) is looked at as the rest of
the window is (that it is taller than the viewport is no problem: it scrolls).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QTextEdit,
    QWidget,
)

SLACK = 1  # px: a text may touch its box's edge
COMPOSITES = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractScrollArea, QPlainTextEdit, QTextEdit)


def describe(widget: QWidget) -> str:
    """``saveButton (QPushButton "Sign in")``: enough to find the widget in its window's code."""
    name = widget.objectName() or "(no name)"
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    shown = f' "{text[:60]}{"…" if len(text) > 60 else ""}"' if text else ""
    return f"{name} ({type(widget).__name__}{shown})"


def _plain_lines(label: QLabel) -> tuple[list[str], bool]:
    """The lines a label shows, and whether its text is rich text (measured by a document then)."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    return text.split("\n"), rich


def _label_problems(label: QLabel) -> list[str]:
    if not label.text():
        return []
    room = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return [f"clipped: {describe(label)} needs {needed} px of height at its width "
                    f"{label.width()} px, has {label.height()} px"]
        return []
    lines, rich = _plain_lines(label)
    metrics = label.fontMetrics()
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setHtml(label.text())
        width, height = round(document.idealWidth()), round(document.size().height())
    else:
        width = max(metrics.horizontalAdvance(line) for line in lines)
        height = metrics.height() * len(lines) + metrics.leading() * (len(lines) - 1)
    found = []
    if width > room.width() + SLACK:
        found.append(f"clipped: {describe(label)} is {width} px wide, has {room.width()} px")
    if height > room.height() + SLACK:
        found.append(f"clipped: {describe(label)} is {height} px tall, has {room.height()} px")
    return found


def _button_text(button: QAbstractButton) -> list[str]:
    return re.sub(r"&(.)", r"\1", button.text()).split("\n")  # "&Save" shows "Save", "&&" one "&"


def _text_room(button: QAbstractButton, text_width: int) -> int:
    """The width the button's style leaves for its text."""
    style = button.style()
    if isinstance(button, QCheckBox | QRadioButton | QPushButton):
        option = QStyleOptionButton()
        option.initFrom(button)
        option.text = button.text()
        option.icon = button.icon()
        option.iconSize = button.iconSize()
        element = (QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox)
                   else QStyle.SubElement.SE_RadioButtonContents if isinstance(button, QRadioButton)
                   else QStyle.SubElement.SE_PushButtonContents)
        room = style.subElementRect(element, option, button).width()
        if not button.icon().isNull():
            room -= button.iconSize().width() + 4
        if isinstance(button, QPushButton) and button.menu() is not None:
            room -= style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
        return room
    # A tool button (or another kind): its own size hint is its text plus what goes around it.
    return button.width() - (button.sizeHint().width() - text_width)


def _button_problems(button: QAbstractButton) -> list[str]:
    if not button.text():
        return []
    width = max(button.fontMetrics().horizontalAdvance(line) for line in _button_text(button))
    room = _text_room(button, width)
    if width > room + SLACK:
        return [f"clipped: {describe(button)} is {width} px wide, has {room} px for its text "
                f"(the button is {button.width()} px)"]
    return []


def _visible_children(widget: QWidget) -> list[QWidget]:
    return [child for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if child.isVisible() and not child.isWindow()]


def _overlap_problems(parent: QWidget) -> list[str]:
    if isinstance(parent, COMPOSITES):
        return []
    found = []
    children = _visible_children(parent)
    bounds = parent.rect()
    for child in children:
        geometry = child.geometry()
        if not bounds.contains(geometry):
            found.append(f"cut off: {describe(child)} at {_rect(geometry)} sticks out of {describe(parent)} "
                         f"({bounds.width()}x{bounds.height()})")
    for i, first in enumerate(children):
        for second in children[i + 1:]:
            common = first.geometry().intersected(second.geometry())
            if not common.isEmpty():
                found.append(f"overlap: {describe(first)} at {_rect(first.geometry())} and {describe(second)} at "
                             f"{_rect(second.geometry())} share {common.width()}x{common.height()} px")
    return found


def _rect(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}+{rect.x()}+{rect.y()}"


def layout_problems(window: QWidget) -> list[str]:
    """Every problem of ``window``'s visible widgets, one line each (empty: nothing is cut off)."""
    found: list[str] = []
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible() or (widget is not window and widget.isWindow()):
            continue
        if any(isinstance(ancestor, COMPOSITES) for ancestor in _ancestors(widget, window)
               if not _scrolled_by(widget, ancestor)):
            continue  # a composite's insides
        if isinstance(widget, QLabel):
            found += _label_problems(widget)
        elif isinstance(widget, QAbstractButton):
            found += _button_problems(widget)
        found += _overlap_problems(widget)
    return found


def _scrolled_by(widget: QWidget, area: QWidget) -> bool:
    """Whether ``widget`` is (in) what the scroll area ``area`` scrolls: the window's own widgets."""
    if not isinstance(area, QScrollArea) or area.widget() is None:
        return False
    content = area.widget()
    return widget is content or content.isAncestorOf(widget)


def _ancestors(widget: QWidget, window: QWidget) -> list[QWidget]:
    chain = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        chain.append(parent)
        parent = parent.parentWidget()
    return chain
