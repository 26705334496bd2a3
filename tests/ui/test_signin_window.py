"""The sign-in window, offscreen, against the in-process emulator."""

from __future__ import annotations

import asyncio
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import keyring.errors  # noqa: E402
import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtWidgets import QLineEdit  # noqa: E402

from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOKEN, EmulatorState, create_app  # noqa: E402
from timecrowd_tray.services.credentials import CredentialStore  # noqa: E402
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
