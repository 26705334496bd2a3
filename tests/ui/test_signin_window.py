"""The sign-in window, offscreen, against the in-process emulator."""

from __future__ import annotations

import asyncio
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import keyring.errors  # noqa: E402
import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit  # noqa: E402

from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOKEN, EmulatorState, create_app  # noqa: E402
from timecrowd_tray.services.credentials import CredentialStore, CredentialsUnavailable  # noqa: E402
from timecrowd_tray.services.oauth_loopback import OAuthError  # noqa: E402
from timecrowd_tray.services.session import SessionManager  # noqa: E402
from timecrowd_tray.ui.signin_window import SignInWindow  # noqa: E402

API = "http://127.0.0.1:1"


@pytest.fixture(scope="module")
def _signin_loop(qapp):
    """A qasync loop for this module (tests/ui/conftest.py will provide a session-wide one).

    The loop that was current before (if any) is put back afterwards, so tests that
    run later with ``asyncio.run`` or with another loop are not affected.
    """
    previous = asyncio._get_running_loop()
    loop = qasync.QEventLoop(qapp, already_running=True)  # becomes the running loop
    executor = qasync.QThreadExecutor(2)  # keyring calls run here; joined below, not at exit
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    executor.shutdown(wait=True)
    asyncio._set_running_loop(previous)
    asyncio.set_event_loop(previous)


class MemoryBackend:
    def __init__(self) -> None:
        self.data: dict = {}
        self.fail_with: BaseException | None = None

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        if self.fail_with is not None:
            raise self.fail_with
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


@pytest.fixture
def state():
    return EmulatorState.seeded()


@pytest.fixture
def backend():
    return MemoryBackend()


@pytest.fixture
def window(qtbot, _signin_loop, state, backend):
    session = SessionManager(API, CredentialStore(backend=backend),
                             transport=httpx.ASGITransport(app=create_app(state)))
    opened: list[str] = []
    win = SignInWindow(session, open_url=opened.append)
    win.opened = opened
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_token_is_checked_live_and_saved(qtbot, window, state, backend):
    me = state.users[state.me_id]
    assert window.token_edit.echoMode() == QLineEdit.EchoMode.Password
    window.show_check.setChecked(True)
    assert window.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    window.open_page_button.click()
    assert window.opened == [f"{API}/oauth/applications"]

    assert not window.sign_in_button.isEnabled()
    qtbot.keyClicks(window.token_edit, DEMO_TOKEN)
    qtbot.waitUntil(lambda: window.sign_in_button.isEnabled(), timeout=5000)
    assert me["nickname"] in window.status_label.text() and me["email"] in window.status_label.text()
    with qtbot.waitSignal(window.signed_in, timeout=5000) as signal:
        window.sign_in_button.click()
    user, client = signal.args
    assert user.id == state.me_id and client is not None
    assert list(backend.data.values()) and DEMO_TOKEN in next(iter(backend.data.values()))
    assert not window.isVisible()


def test_rejected_token_keeps_the_button_disabled(qtbot, window, backend):
    window.token_edit.setText("wrong-token-0123456789")
    qtbot.waitUntil(lambda: "rejected" in window.status_label.text(), timeout=5000)
    assert not window.sign_in_button.isEnabled()
    assert backend.data == {}


def test_locked_keyring_offers_this_session_only(qtbot, window, backend):
    backend.fail_with = keyring.errors.InitError("Failed to create the collection: Prompt dismissed..")
    window.token_edit.setText(DEMO_TOKEN)
    qtbot.waitUntil(lambda: window.sign_in_button.isEnabled(), timeout=5000)
    window.sign_in_button.click()
    qtbot.waitUntil(lambda: window.keyring_box.isVisible(), timeout=5000)
    assert "locked" in window.keyring_label.text()
    with qtbot.waitSignal(window.signed_in, timeout=5000):
        window.session_only_button.click()
    assert backend.data == {}


def test_browser_sign_in(qtbot, window, state, backend):
    """The scripted browser follows the emulator's redirect back to the window's listener."""
    transport = httpx.ASGITransport(app=create_app(state))

    async def browse(url: str) -> None:
        async with httpx.AsyncClient(transport=transport) as web:
            consent = await web.get(url)
        async with httpx.AsyncClient(trust_env=False) as loopback:
            await loopback.get(consent.headers["location"])

    window._open_url = lambda url: asyncio.get_event_loop().create_task(browse(url))  # noqa: SLF001
    assert not window.browser_button.isEnabled()
    window.client_id_edit.setText(DEMO_CLIENT_ID)
    window.client_secret_edit.setText(DEMO_CLIENT_SECRET)
    with qtbot.waitSignal(window.signed_in, timeout=10000) as signal:
        window.browser_button.click()
    assert signal.args[0].id == state.me_id
    assert DEMO_CLIENT_SECRET in next(iter(backend.data.values()))


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list = []

    async def handle_async_request(self, request):
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize(("value", "problem", "words"), [
    ("abc def-0123456789", "whitespace", "space"),
    ("abc\x00def-0123456789", "control", "control character"),
    ("a" * 5000, "too_long", "4096"),
    ("ａｂｃdef-0123456789", "non_ascii", "ASCII"),
])
def test_a_malformed_token_is_explained_under_the_field_without_asking_the_server(
        qtbot, _signin_loop, state, backend, value, problem, words):
    counting = CountingTransport(httpx.ASGITransport(app=create_app(state)))
    session = SessionManager(API, CredentialStore(backend=backend), transport=counting)
    win = SignInWindow(session)
    qtbot.addWidget(win)
    win.show()
    try:
        win.token_edit.setText(value)
        qtbot.waitUntil(lambda: words in win.status_label.text(), timeout=5000)
        assert win.status_label.text() == win._token_format_text(problem)
        assert value not in win.status_label.text()
        assert not win.sign_in_button.isEnabled()
        qtbot.wait(100)
        assert counting.requests == [] and backend.data == {}
        # A good token pasted next is checked with the server as usual.
        win.token_edit.setText(f"  {DEMO_TOKEN}\n")
        qtbot.waitUntil(lambda: win.sign_in_button.isEnabled(), timeout=5000)
        assert len(counting.requests) == 1
    finally:
        win.close()


def test_the_token_format_texts_are_the_cores_and_translatable(qtbot, window):
    """Each core message has its text in the window, through tr() (same English, so the same meaning)."""
    from timecrowd_tray.core.token_format import MESSAGES

    for problem, english in MESSAGES.items():
        assert window._token_format_text(problem) == english


# -- "A first day without traps" -----------------------------------------------------------------


def test_the_token_field_has_the_focus_when_the_window_opens(qtbot, _signin_loop, state, backend):
    """A paste right away goes into the token field, not onto "Open the token page"."""
    session = SessionManager(API, CredentialStore(backend=backend),
                             transport=httpx.ASGITransport(app=create_app(state)))
    for expired in (False, True):
        win = SignInWindow(session, open_url=lambda url: None, expired=expired)
        qtbot.addWidget(win)
        win.show()
        win.activateWindow()
        qtbot.waitExposed(win)
        try:
            assert win.focusWidget() is win.token_edit
            assert win.open_page_button.focusPolicy() != Qt.FocusPolicy.NoFocus  # still reachable with Tab
        finally:
            win.close()


def test_no_signed_in_text_before_the_sign_in_succeeded(qtbot, window, state):
    me = state.users[state.me_id]
    qtbot.keyClicks(window.token_edit, DEMO_TOKEN)
    qtbot.waitUntil(lambda: window.sign_in_button.isEnabled(), timeout=5000)
    text = window.status_label.text()
    assert me["nickname"] in text and me["email"] in text  # whose token it is, before signing in...
    assert "Signed in" not in text  # ...but not signed in yet
    assert "Sign in" in text  # what to do next
    with qtbot.waitSignal(window.signed_in, timeout=5000):
        window.sign_in_button.click()
    assert window.status_label.text().startswith("Signed in as")


def test_a_token_page_that_cannot_open_is_said_in_the_window(qtbot, _signin_loop, state, backend):
    session = SessionManager(API, CredentialStore(backend=backend),
                             transport=httpx.ASGITransport(app=create_app(state)))
    win = SignInWindow(session, open_url=lambda url: False)  # QDesktopServices.openUrl: no browser
    qtbot.addWidget(win)
    win.show()
    try:
        assert not win.link_label.isVisible()
        win.open_page_button.click()
        assert win.link_label.isVisible()
        assert "Could not open" in win.link_label.text() and session.token_page_url in win.link_label.text()
        assert win.link_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    finally:
        win.close()


def test_a_browser_sign_in_whose_page_cannot_open_shows_the_address(qtbot, window):
    window._open_url = lambda url: False  # noqa: SLF001
    window.client_id_edit.setText(DEMO_CLIENT_ID)
    window.client_secret_edit.setText(DEMO_CLIENT_SECRET)
    window.browser_button.click()
    label = window.browser_status_label
    qtbot.waitUntil(lambda: "Could not open" in label.text(), timeout=5000)
    assert f"{API}/oauth/authorize?" in label.text()  # to copy into a browser: the window still waits for it
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    window.browser_button.click()  # cancel
    qtbot.waitUntil(lambda: "cancelled" in window.browser_status_label.text(), timeout=5000)


def _clipped_labels(win) -> list[str]:
    """The visible labels whose text does not fit in them (word-wrapped: its height for the width)."""
    clipped = []
    for label in win.findChildren(QLabel):
        if not label.isVisibleTo(win) or not label.text():
            continue
        size = label.size()
        if label.wordWrap():
            needed_height = label.heightForWidth(size.width())
            if needed_height > size.height():
                clipped.append(f"{label.objectName() or label.text()[:30]!r}: {needed_height} > {size.height()}")
        else:
            hint = label.sizeHint()
            if hint.width() > size.width() or hint.height() > size.height():
                clipped.append(f"{label.objectName() or label.text()[:30]!r}: {hint.toTuple()} > {size.toTuple()}")
    return clipped


@pytest.mark.parametrize("language", ["ja", "en"])
def test_long_errors_wrap_and_the_window_grows_instead_of_clipping(qtbot, qapp, _signin_loop, state, backend,
                                                                    language):
    from timecrowd_tray.ui.i18n import Translations

    translations = Translations(qapp)
    translations.apply(language)
    session = SessionManager(API, CredentialStore(backend=backend),
                             transport=httpx.ASGITransport(app=create_app(state)))
    win = SignInWindow(session, open_url=lambda url: False, expired=True)
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitExposed(win)
        qapp.processEvents()
        assert _clipped_labels(win) == []
        # A long error under the field (what a bad paste gives), then the one a link that cannot open gives.
        win.token_edit.setText("ａｂｃdef-0123456789")
        qtbot.waitUntil(lambda: win.status_label.text() == win._token_format_text("non_ascii"), timeout=5000)
        win.open_page_button.click()
        qapp.processEvents()
        assert _clipped_labels(win) == []
        win.browser_status_label.setText(win._oauth_error_text(OAuthError("rejected", "x")))
        win._grow_to_fit()
        # The keyring problem, the longest of all.
        win._show_keyring_problem(CredentialsUnavailable("timeout", "10"))
        qapp.processEvents()
        assert _clipped_labels(win) == []
        assert all(label.wordWrap() for label in (win.status_label, win.link_label, win.keyring_label,
                                                  win.browser_status_label, win.expired_label))
    finally:
        win.close()
        translations.apply("en")


def test_on_a_short_screen_the_body_scrolls_to_the_message_and_close_stays_on_the_screen(
        qtbot, qapp, _signin_loop, state, backend, monkeypatch):
    """Every message at once is taller than a laptop screen: the window stops at the screen, its body scrolls."""
    from PySide6.QtWidgets import QDialogButtonBox

    from timecrowd_tray.ui.scrolling_body import ScrollingBody

    room = 420
    monkeypatch.setattr(ScrollingBody, "room", staticmethod(lambda window: room))
    session = SessionManager(API, CredentialStore(backend=backend),
                             transport=httpx.ASGITransport(app=create_app(state)))
    win = SignInWindow(session, open_url=lambda url: False, expired=True)
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitExposed(win)
        win.open_page_button.click()
        win.token_edit.setText("ａｂｃdef-0123456789")
        qtbot.waitUntil(lambda: win.status_label.text() == win._token_format_text("non_ascii"), timeout=5000)
        win._show_keyring_problem(CredentialsUnavailable("timeout", "10"))
        bar = win.body.verticalScrollBar()
        qapp.processEvents()
        qtbot.waitUntil(lambda: bar.isVisible() and bar.value() > 0, timeout=5000)  # scrolled to the problem
        assert win.height() <= room
        close = win.findChild(QDialogButtonBox)
        assert close.isVisible() and win.rect().contains(close.geometry())  # under the body, not scrolled away
        # The keyring problem (just shown) is in view: its top is inside the viewport.
        top = win.keyring_box.mapTo(win.body.viewport(), win.keyring_box.rect().topLeft()).y()
        assert 0 <= top < win.body.viewport().height()
        assert _clipped_labels(win) == []
    finally:
        win.close()


def test_with_room_on_the_screen_nothing_scrolls(qtbot, qapp, window):
    """The scroll area is there for short screens only: with room, the window is as tall as its content."""
    window.open_page_button.click()
    qapp.processEvents()
    qtbot.waitUntil(lambda: window.body.widget().height() <= window.body.viewport().height(), timeout=5000)
    assert not window.body.verticalScrollBar().isVisible()


def test_the_japanese_keyring_problem_names_the_button_it_offers(qtbot, qapp, window):
    """「［今回のセッションだけ使う］を押すと…」: the way out is named by the button's own text."""
    from timecrowd_tray.ui.i18n import Translations
    from timecrowd_tray.ui.signin_texts import keyring_problem_text

    translations = Translations(qapp)
    translations.apply("ja")
    try:
        button = QCoreApplication.translate("SignInWindow", "Use for this session only")
        assert f"［{button}］" in keyring_problem_text(CredentialsUnavailable("locked"))
    finally:
        translations.apply("en")


def test_tab_goes_from_field_to_field_not_to_the_scrolling_body(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.focusWidget() is window.token_edit, timeout=5000)
    seen = []
    for _ in range(12):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
    assert window.body not in seen and window.body.viewport() not in seen
    assert window.client_id_edit in seen  # the browser section is reached with Tab too
