"""The comment dialog's keys: Enter saves, Shift+Enter is a new line, Esc skips."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from timecrowd_tray.ui.comment_dialog import CommentDialog

from .conftest import flush_deletes, ime_commit


class Saver:
    def __init__(self, limit: int = 1000) -> None:
        self.saved: list[str] = []
        self.limit = limit

    def __call__(self, text: str) -> bool:
        content = text.strip()
        if not content:
            return False
        if len(content) > self.limit:
            raise ValueError(f"A comment can be at most {self.limit} characters long (this one has {len(content)}).")
        self.saved.append(content)
        return True


@pytest.fixture
def dialog(qtbot, qapp):
    saver = Saver(limit=20)
    dlg = CommentDialog("ログイン画面の改修", "株式会社デモ", 3725.9, save=saver)
    dlg.saver = saver
    dlg.popup()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.edit, timeout=2000)
    yield dlg
    if shiboken6.isValid(dlg) and dlg.isVisible():  # it deletes itself once closed
        dlg.close()
    flush_deletes()


def test_shows_the_task_and_the_final_duration(dialog):
    assert dialog.task_label.text() == "ログイン画面の改修"
    assert dialog.detail_label.text() == "株式会社デモ · Stopped after 1:02:05"
    assert dialog.windowTitle() == "Comment - TimeCrowd Tray"


def test_enter_saves_and_shift_enter_is_a_new_line(qtbot, dialog):
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        qtbot.keyClicks(dialog.edit, "first")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        ime_commit(dialog.edit, "二行目")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert saved.args == ["first\n二行目"]
    assert dialog.saver.saved == ["first\n二行目"]
    assert not dialog.isVisible()


def test_keypad_enter_saves_too(qtbot, dialog):
    qtbot.keyClicks(dialog.edit, "x")
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)


def test_escape_skips(qtbot, dialog):
    qtbot.keyClicks(dialog.edit, "not saved")
    with qtbot.waitSignal(dialog.skipped, timeout=1000):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    assert dialog.saver.saved == []
    assert not dialog.isVisible()


def test_enter_on_an_empty_comment_skips(qtbot, dialog):
    with qtbot.waitSignal(dialog.skipped, timeout=1000):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert dialog.saver.saved == []


def test_too_long_keeps_the_text_and_says_why(qtbot, dialog):
    qtbot.keyClicks(dialog.edit, "x" * 25)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and "at most 20" in dialog.error_label.text()
    assert dialog.edit.toPlainText() == "x" * 25


def test_opens_next_to_the_tray_inside_the_screen(qtbot, qapp):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    # a tray icon in the top right corner
    anchor = QRect(screen.right() - 30, screen.top(), 22, 22)
    dlg = CommentDialog("Task", "", 10, save=Saver())
    dlg.popup(anchor)
    geometry = dlg.frameGeometry()
    assert screen.contains(geometry.topLeft()) and screen.contains(geometry.bottomRight())
    assert geometry.top() >= anchor.bottom()  # below a tray at the top
    dlg.close()
    flush_deletes()
