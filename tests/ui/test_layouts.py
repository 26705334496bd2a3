"""Every window, in English and in Japanese, with and without stretched strings: nothing cut off.

As Vorta's layout test: each top-level window of the app (the comment dialog, the task palette,
the sign-in window, the settings dialog, the no-tray notice; those with messages that appear
also with all of them shown) is built under a language's translators, shown offscreen and left
to settle, then every visible label and button is checked for a text that does not fit, and
every two visible siblings for an overlap (:func:`support.layouts.layout_problems`).

"Stretched" installs :class:`~timecrowd_tray.ui.i18n.StretchedTranslator` on top (every text
doubled, "Save Save"): what a longer translation, or a larger font, will do. A person can look
at the same thing: ``TIMECROWD_TRAY_STRETCH_STRINGS=1 timecrowd-tray --demo``.

A window that clips today is marked ``xfail(strict=True)`` in :data:`KNOWN`, with what clips:
the windows' own files are fixed elsewhere; once one is, its case passes, strict xfail fails,
and the entry goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QApplication, QWidget

from timecrowd_tray.core.models import Category, Task, Team
from timecrowd_tray.emulator import EmulatorState, create_app
from timecrowd_tray.services import messages
from timecrowd_tray.services.credentials import CredentialStore, CredentialsUnavailable
from timecrowd_tray.services.oauth_loopback import OAuthError
from timecrowd_tray.services.session import SessionManager
from timecrowd_tray.ui.i18n import Translations

from .conftest import flush_deletes
from support.layouts import layout_problems

DEV = Category(id=1, title="開発", team_id=14)
TEAM = Team(id=14, name="株式会社デモ")
TASKS = [
    Task(id=1, title="ログイン画面の改修", team_id=14, team_name="株式会社デモ", category=DEV),
    Task(id=2, title="Code review", team_id=14, team_name="株式会社デモ", category=DEV),
    Task(id=3, title="Bug triage #214", team_id=15, team_name="Open Source Guild"),
]
SHORTCUT = "Ctrl+Alt+Shift+T"


class MemoryBackend:
    """A keyring in memory (nothing here saves: the windows are only shown)."""

    def __init__(self) -> None:
        self.data: dict = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.data.pop((service, username), None)


# -- the windows, as the app shows them ---------------------------------------------------------------
# Each builder shows its window and returns it; ``messages`` also shows every message it can say.


def comment_dialog(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from timecrowd_tray.ui.comment_dialog import CommentDialog

    def save(text: str) -> bool:
        raise ValueError(messages.tr(messages.COMMENT_TOO_LONG, limit=1000, length=1200))

    dialog = CommentDialog("ログイン画面の改修（お客様向けの新しいサインイン画面）", "株式会社デモ", 3725.9, save=save)
    dialog.popup()
    if messages_shown:
        dialog.edit.setPlainText("x" * 1200)
        dialog.submit()  # too long: the dialog says so and stays
    return dialog


def palette(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from timecrowd_tray.core.destinations import Destination
    from timecrowd_tray.ui.palette import Palette

    window = Palette(search=None)
    window.set_tasks(TASKS)
    window.set_destinations([Destination(TEAM), Destination(TEAM, DEV)])
    window.popup()
    if messages_shown:  # nothing matches: the create row, and the longest hint
        window.field.setText("来週のリリース準備")
        window.flush()
    return window


def signin_window(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from timecrowd_tray.ui.signin_window import SignInWindow

    session = SessionManager("http://127.0.0.1:1", CredentialStore(backend=MemoryBackend()),
                             transport=httpx.ASGITransport(app=create_app(EmulatorState.seeded())))
    window = SignInWindow(session, expired=messages_shown, open_url=lambda url: False)  # no browser here
    window.show()
    if messages_shown:
        window.open_page_button.click()  # no browser could open it: the window says so, with the address
        window.token_edit.setText("ａｂｃdef-0123456789")  # a full-width letter: said without asking the server
        ctx.qtbot.waitUntil(lambda: bool(window.status_label.text()), timeout=5000)
        window._show_keyring_problem(CredentialsUnavailable("locked"))  # noqa: SLF001 (as a refused save does)
        window.browser_status_label.setText(window._oauth_error_text(  # noqa: SLF001 (as a failed browser sign-in)
            OAuthError("state_mismatch", "state mismatch")))
    return window


def settings_dialog(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from timecrowd_tray.ui.settings_dialog import SettingsDialog

    problems = {}
    if messages_shown:
        taken = QCoreApplication.translate(
            "Controls", "This combination is already used by another application: choose another one.")
        problems = {"toggle": taken, "palette": taken}
    dialog = SettingsDialog(ctx.settings_store, shortcut_problems=problems)
    dialog.show()
    if messages_shown:
        dialog.api_base.setText("http://timecrowd.example")  # refused: https only
        # `config set` meanwhile: one field updated, the edited one kept (both said).
        dialog.show_new_settings({"poll_interval": 120, "api_base": "https://timecrowd.example/shell"})
        dialog.buttons.accepted.emit()
    return dialog


def no_tray_notice(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from timecrowd_tray.ui.no_tray_notice import NoTrayNotice

    notice = NoTrayNotice(SHORTCUT, lambda: None, lambda: None)
    notice.show()
    return notice


def entries_window(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from datetime import date

    from timecrowd_tray.ui.entries_window import EntriesWindow

    from .entries_fake import FakeEntries, a_day, at

    day = date(2025, 10, 21)
    fake = FakeEntries(now=at(day, 14))
    fake.days[day] = a_day(day)
    window = EntriesWindow(fake, now=lambda: fake.now, start_task=lambda task: None)
    window.open(day)
    ctx.qtbot.waitUntil(lambda: window.table_model.rowCount() == 3, timeout=5000)
    if messages_shown:  # the longest notice: an overlap, with its button
        window.notice.show_notice(window.reports.queued_text("network"), "warning",
                                  action=window.tr("Save anyway"), on_action=lambda: None)
        window.navigator.set_status(messages.tr(messages.DAY_INCOMPLETE, reason="HTTP 503"))
    return window


def add_entry_dialog(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    window = entries_window(ctx)
    ctx.keep.append(window)
    dialog = window.open_add()
    if messages_shown:  # an overlap: said, with "Add anyway"
        dialog.start_edit.setText("11:00")
        dialog.stop_edit.setText("12:30")
        dialog.save()
    return dialog


def idle_prompt(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    """The away prompt, as it pops up; with messages: after "Stop at…" with a time it refused."""
    from zoneinfo import ZoneInfo

    from timecrowd_tray.core.idle import AwayReason, Pending
    from timecrowd_tray.ui.idle_prompt import IdlePrompt

    left = 1761019380.0  # 2025-10-21 13:03 in Tokyo
    pending = Pending(left, left + 44 * 60, AwayReason.IDLE, entry=None)  # type: ignore[arg-type]
    prompt = IdlePrompt(pending, TASKS[0].title, ZoneInfo("Asia/Tokyo"))
    prompt.popup()
    if messages_shown:
        ctx.qtbot.waitExposed(prompt, timeout=5000)
        prompt.say(QCoreApplication.translate("IdlePromptHost", "That time is before the entry started."))
    prompt.closing = True  # the test closes it (an unanswered prompt ignores a close)
    return prompt


def pending_window(ctx: Any, *, messages_shown: bool = False) -> QWidget:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from timecrowd_tray.core.models import User
    from timecrowd_tray.ui.pending_window import PendingWindow

    change = SimpleNamespace(ref=1, kind="add", at=datetime(2025, 10, 21, 0, 5, tzinfo=UTC), task=TASKS[0],
                             summary="Add “ログイン画面の改修（お客様向けの新しいサインイン画面）” 09:00–10:00",
                             why="refused: 開始時刻は終了時刻より前にしてください")
    model = SimpleNamespace(user=User(id=7, time_zone_name="Asia/Tokyo"),
                            pending_changes=lambda: [change] * (3 if messages_shown else 0))
    window = PendingWindow(model, send_now=lambda: None)
    window.open()
    return window


WINDOWS: dict[str, tuple[Callable[..., QWidget], bool]] = {
    "entries": (entries_window, False),
    "entries+messages": (entries_window, True),
    "add_entry": (add_entry_dialog, False),
    "add_entry+messages": (add_entry_dialog, True),
    "idle": (idle_prompt, False),
    "idle+messages": (idle_prompt, True),
    "pending": (pending_window, False),
    "pending+messages": (pending_window, True),
    "comment": (comment_dialog, False),
    "comment+messages": (comment_dialog, True),
    "palette": (palette, False),
    "palette+messages": (palette, True),
    "signin": (signin_window, False),
    "signin+messages": (signin_window, True),
    "settings": (settings_dialog, False),
    "settings+messages": (settings_dialog, True),
    "no_tray": (no_tray_notice, False),
}
MODES = {"en": ("en", False), "ja": ("ja", False), "en-stretched": ("en", True), "ja-stretched": ("ja", True)}

#: (window, mode) -> what clips there today (windows' files are fixed by their owners; see the docstring).
KNOWN: dict[tuple[str, str], str] = {}


def cases():
    for window in WINDOWS:
        for mode in MODES:
            reason = KNOWN.get((window, mode))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(window, mode, id=f"{window}-{mode}", marks=marks)


@pytest.fixture
def strings(qapp, request):
    """The translators of ``request.param`` (a :data:`MODES` key), installed as the app does."""
    language, stretched = MODES[request.param]
    translations = Translations(qapp, stretch=stretched)
    translations.apply(language)
    yield translations
    translations.stretch = False
    translations.language = None  # apply again, plain English: the service's messages and the locale too
    translations.apply("en")
    for translator in translations._installed:  # noqa: SLF001 (and nothing of this test stays installed)
        QCoreApplication.removeTranslator(translator)


class Context:
    def __init__(self, qtbot: Any, settings_store: Any) -> None:
        self.qtbot = qtbot
        self.settings_store = settings_store
        self.keep: list[QWidget] = []  # the windows a dialog was opened from (closed after the test)


#: The smallest screen in common use. Qt opens a window at most 2/3 of its screen wide and tall, and
#: the offscreen platform's screen is 800x800: a window that wants more than 533 px is opened wider
#: on any real screen (910 px on this one), as :func:`as_on_a_laptop` does.
LAPTOP = QSize(1366, 768)
LAPTOP_ROOM = LAPTOP.height() - 56  # the height a window has there, less a panel and its title bar (28 px each)


def as_on_a_laptop(window: QWidget) -> None:
    """The window at the size Qt would have opened it with on a :data:`LAPTOP` screen."""
    screen = window.screen().availableGeometry()
    hint = window.sizeHint()
    if window.width() >= screen.width() * 2 // 3 and hint.width() > window.width():  # capped by 800 px
        width = min(hint.width(), LAPTOP.width() * 2 // 3)
        height = window.heightForWidth(width) if window.hasHeightForWidth() else hint.height()
        window.resize(width, min(height, LAPTOP.height() * 2 // 3))  # a window that fits itself then does


def settle(qtbot, window: QWidget) -> None:
    """Shown, exposed, and its deferred layout work done (fit-to-content timers, layout requests)."""
    qtbot.waitExposed(window, timeout=5000)
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)
    as_on_a_laptop(window)
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


@pytest.mark.parametrize(("window_name", "strings"), list(cases()), indirect=["strings"])
def test_nothing_is_cut_off(qtbot, aloop, settings_store, monkeypatch, window_name, strings):
    from timecrowd_tray.ui.scrolling_body import ScrollingBody

    # A window that fits itself to its screen (its body scrolls past that) fits a laptop's screen: the
    # offscreen platform's is 800x800.
    monkeypatch.setattr(ScrollingBody, "room", staticmethod(lambda window: LAPTOP_ROOM))
    build, messages_shown = WINDOWS[window_name]
    ctx = Context(qtbot, settings_store)
    window = build(ctx, messages_shown=messages_shown)
    try:
        settle(qtbot, window)
        problems = layout_problems(window)
        if window.height() > LAPTOP_ROOM:
            problems.append(f"cut off: the window is {window.height()} px tall, a {LAPTOP.width()}x{LAPTOP.height()} "
                            f"screen has room for {LAPTOP_ROOM} px (its bottom is off the screen)")
        size = f"{window.width()}x{window.height()}"
        assert not problems, f"{window_name} ({strings.language}, {size}):\n  " + "\n  ".join(problems)
    finally:
        for shown in (window, *ctx.keep):
            if shiboken6.isValid(shown):
                getattr(shown, "shutdown", shown.close)()
                shown.deleteLater()
        flush_deletes()


def test_the_stretch_switch_doubles_every_text_but_key_names(qapp, monkeypatch):
    """``TIMECROWD_TRAY_STRETCH_STRINGS=1``: what a person runs the app with to see the same."""
    from PySide6.QtGui import QKeySequence

    monkeypatch.setenv("TIMECROWD_TRAY_STRETCH_STRINGS", "1")
    translations = Translations(qapp)
    assert translations.stretch
    try:
        translations.apply("ja")
        assert QCoreApplication.translate("TrayMenu", "Stop with comment…") == \
            "コメントを付けて停止… コメントを付けて停止…"
        assert QCoreApplication.translate("TrayMenu", "Pending changes (%n)", None, 3) == \
            "未送信の変更（3） 未送信の変更（3）"
        translations.apply("en")
        assert QCoreApplication.translate("CommentDialog", "Save") == "Save Save"
        assert QKeySequence("Ctrl+Alt+Shift+T").toString(QKeySequence.SequenceFormat.NativeText) == \
            "Ctrl+Alt+Shift+T"  # key names are read back: never stretched
    finally:
        translations.stretch = False
        translations.language = None
        translations.apply("en")
        for translator in translations._installed:  # noqa: SLF001
            QCoreApplication.removeTranslator(translator)
    monkeypatch.setenv("TIMECROWD_TRAY_STRETCH_STRINGS", "0")
    assert not Translations(qapp).stretch


def test_the_checks_find_what_they_look_for(qtbot, qapp):
    """:func:`layout_problems` on a window made to clip: each kind of problem is found, and named."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

    window = QWidget()
    window.resize(300, 200)
    fine = QLabel("fine", window)
    fine.setGeometry(0, 0, 100, 30)
    wide = QLabel("a label far wider than the box it was given", window)
    wide.setObjectName("wideLabel")
    wide.setGeometry(0, 40, 60, 30)
    wrapped = QLabel("a wrapped label with many words that needs several lines at this width", window)
    wrapped.setObjectName("wrappedLabel")
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 80, 80, 20)
    check = QCheckBox("a check box with a long text", window)
    check.setObjectName("narrowCheck")
    check.setGeometry(120, 0, check.sizeHint().width() - 15, 30)  # its text 15 px too wide for what is left
    button = QPushButton("a push button with a long text", window)
    button.setObjectName("narrowButton")
    button.setGeometry(120, 40, 60, 30)
    on_top = QPushButton("OK", window)
    on_top.setObjectName("overlapping")
    on_top.setGeometry(10, 10, 60, 30)  # on the "fine" label
    outside = QPushButton("Out", window)
    outside.setObjectName("outside")
    outside.setGeometry(260, 180, 80, 30)  # past the window's right and bottom edges
    window.show()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    problems = "\n".join(layout_problems(window))
    for name in ("wideLabel", "wrappedLabel", "narrowCheck", "narrowButton"):
        assert f"clipped: {name}" in problems, (name, problems)
    assert "overlap: " in problems and "overlapping (QPushButton" in problems
    assert "cut off: outside (QPushButton" in problems
    assert problems.count("\n") + 1 == 6, problems  # and nothing else (the "fine" label fits)
    for widget in (wide, wrapped, check, button, on_top, outside):
        widget.hide()
    assert layout_problems(window) == []


def test_what_a_scroll_area_scrolls_is_checked_too(qtbot):
    """A window's body in a QScrollArea (the sign-in window's) is looked at; its scrolling is no problem."""
    from PySide6.QtWidgets import QLabel, QScrollArea

    window = QWidget()
    window.resize(200, 100)
    area = QScrollArea(window)
    area.setGeometry(0, 0, 200, 100)
    content = QWidget()
    content.setFixedSize(180, 400)  # taller than the viewport: it scrolls
    wide = QLabel("a label far wider than the box it was given", content)
    wide.setObjectName("wideLabel")
    wide.setGeometry(0, 0, 60, 30)
    area.setWidget(content)
    window.show()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    problems = layout_problems(window)
    assert len(problems) == 1 and problems[0].startswith("clipped: wideLabel (QLabel"), problems
    wide.hide()
    assert layout_problems(window) == []
