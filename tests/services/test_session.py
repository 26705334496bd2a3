"""SessionManager against the emulator: token sign-in, browser sign-in (OAuth), refresh, sign-out."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import keyring.errors
import pytest

from timecrowd_tray.api import errors
from timecrowd_tray.emulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TOKEN,
    TEAMMATE_TOKEN,
    EmulatorServer,
    EmulatorState,
    create_app,
)
from timecrowd_tray.logs import redact
from timecrowd_tray.services.credentials import Credentials, CredentialStore, CredentialsUnavailable
from timecrowd_tray.services.session import OAuthError, SessionManager

API = "http://127.0.0.1:1"  # in-process: requests go to the ASGI app, never to this port
NOW = 1_761_022_800.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class MemoryBackend:
    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.fail_with: BaseException | None = None

    def _check(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with

    def get_password(self, service, username):
        self._check()
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self._check()
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self._check()
        if (service, username) not in self.data:
            raise keyring.errors.PasswordDeleteError("No such password!")
        del self.data[(service, username)]


class ScriptedBrowser:
    """Opens the authorization page, follows the redirect back to the loopback listener.

    ``server`` is the emulator (an httpx transport, or None for real HTTP);
    ``tamper`` may rewrite the redirect's query before the browser follows it.
    """

    def __init__(self, server: httpx.AsyncBaseTransport | None = None, tamper=None) -> None:
        self.server = server
        self.tamper = tamper
        self.pages: list[httpx.Response] = []
        self.tasks: list[asyncio.Task] = []

    def open(self, url: str) -> bool:
        self.tasks.append(asyncio.get_running_loop().create_task(self._visit(url)))
        return True

    async def _visit(self, url: str) -> None:
        async with httpx.AsyncClient(transport=self.server, trust_env=False) as web:
            consent = await web.get(url)
        assert consent.status_code == 302, consent.text
        location = urlsplit(consent.headers["location"])
        assert location.hostname == "127.0.0.1"
        query = dict(parse_qsl(location.query))
        if self.tamper is not None:
            query = self.tamper(query)
        back = urlunsplit((location.scheme, location.netloc, location.path, urlencode(query), ""))
        async with httpx.AsyncClient(trust_env=False) as loopback:  # the real listener, over TCP
            self.pages.append(await loopback.get(back))

    async def finish(self) -> None:
        await asyncio.gather(*self.tasks)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def state(clock) -> EmulatorState:
    return EmulatorState.seeded(clock=clock)


@pytest.fixture
def transport(state) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(state))


@pytest.fixture
def backend() -> MemoryBackend:
    return MemoryBackend()


@pytest.fixture
def store(backend) -> CredentialStore:
    return CredentialStore(backend=backend)


@pytest.fixture
def session(store, transport, clock) -> SessionManager:
    return SessionManager(API, store, transport=transport, clock=clock)


def stored(backend: MemoryBackend, api: str = API) -> Credentials | None:
    raw = backend.data.get(("timecrowd-tray", api))
    return Credentials.from_json(raw) if raw else None


def run(coro):
    return asyncio.run(coro)


# -- personal token ------------------------------------------------------------------

def test_sign_in_with_token_validates_stores_and_returns_a_client(session, backend, state):
    async def scenario():
        user, client = await session.sign_in_with_token(f"  {DEMO_TOKEN}\n")
        assert user.id == state.me_id and user.nickname
        assert session.current_client is client and session.current_user == user
        assert session.is_signed_in and session.remembered
        assert (await client.user_info()).id == state.me_id
        await session.aclose()

    run(scenario())
    assert stored(backend) == Credentials(access_token=DEMO_TOKEN)
    assert redact(f"token {DEMO_TOKEN}") == "token [REDACTED]"


def test_rejected_token_stores_nothing(session, backend):
    with pytest.raises(errors.Unauthorized):
        run(session.sign_in_with_token("not-a-valid-token-at-all"))
    assert backend.data == {} and session.current_client is None
    with pytest.raises(ValueError):
        run(session.sign_in_with_token("   "))


def test_validate_token_has_no_side_effects(session, backend, state):
    user = run(session.validate_token(TEAMMATE_TOKEN))
    assert user.id != state.me_id
    assert backend.data == {} and session.current_client is None


def test_session_only_sign_in_touches_no_keyring(session, backend):
    backend.fail_with = AssertionError("the keyring must not be used")
    _user, client = run(session.sign_in_with_token(DEMO_TOKEN, remember=False))
    assert client is session.current_client and not session.remembered
    run(session.aclose())


def test_locked_keyring_leaves_the_sign_in_pending(session, backend):
    backend.fail_with = keyring.errors.InitError("Failed to create the collection: Prompt dismissed..")

    async def scenario():
        with pytest.raises(CredentialsUnavailable) as caught:
            await session.sign_in_with_token(DEMO_TOKEN)
        assert caught.value.kind == "locked"
        assert session.current_client is None and session.has_pending
        with pytest.raises(CredentialsUnavailable):  # still locked
            await session.finish_pending(remember=True)
        user, client = await session.finish_pending(remember=False)
        assert session.current_client is client and not session.remembered and not session.has_pending
        await session.aclose()

    run(scenario())
    assert backend.data == {}


def test_no_store_means_memory_only(transport, clock):
    session = SessionManager(API, None, transport=transport, clock=clock)

    async def scenario():
        assert await session.restore() is None
        with pytest.raises(CredentialsUnavailable) as caught:
            await session.sign_in_with_token(DEMO_TOKEN)
        assert caught.value.kind == "no_backend"
        await session.finish_pending(remember=False)
        assert session.is_signed_in
        assert await session.sign_out() is False
        assert not session.is_signed_in

    run(scenario())


def test_restore_and_sign_out(session, store, backend, transport, clock, state):
    run(session.sign_in_with_token(DEMO_TOKEN))
    run(session.aclose())
    again = SessionManager(API, store, transport=transport, clock=clock)

    async def scenario():
        client = await again.restore()
        assert client is not None and (await client.user_info()).id == state.me_id
        assert await again.sign_out() is True
        assert again.current_client is None
        with pytest.raises(RuntimeError):  # the old client is closed
            await client.user_info()
        assert await again.restore() is None
        assert await again.sign_out() is False

    run(scenario())
    assert backend.data == {}


def test_pasted_token_refused_later_surfaces_401(session, state):
    async def scenario():
        _user, client = await session.sign_in_with_token(TEAMMATE_TOKEN, remember=False)
        state.revoke_token(TEAMMATE_TOKEN)
        with pytest.raises(errors.Unauthorized):
            await client.user_info()
        assert session.needs_sign_in
        await session.aclose()

    run(scenario())


# -- browser sign-in (OAuth2 code grant, loopback redirect) ---------------------------

def test_browser_sign_in_end_to_end_over_loopback(tmp_path):
    """Real HTTP all the way: the emulator on 127.0.0.1, the listener on 127.0.0.1."""
    clock = Clock()
    state = EmulatorState.seeded(clock=clock)
    backend = MemoryBackend()
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        session = SessionManager(server.url, CredentialStore(backend=backend), clock=clock)
        browser = ScriptedBrowser()

        async def scenario():
            user, client = await session.sign_in_with_browser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                                                              open_url=browser.open, timeout=20)
            await browser.finish()
            assert user.id == state.me_id
            assert (await client.user_info()).id == state.me_id
            await session.aclose()

        run(scenario())
        creds = stored(backend, server.url)
    assert creds is not None and creds.refresh_token and creds.client_id == DEMO_CLIENT_ID
    assert creds.client_secret == DEMO_CLIENT_SECRET
    assert creds.expires_at == NOW + state.token_expires_in
    page = browser.pages[0]
    assert page.status_code == 200 and "close this tab" in page.text and "タブ" in page.text
    assert creds.access_token not in page.text
    assert redact(creds.access_token) == "[REDACTED]" and redact(creds.refresh_token) == "[REDACTED]"
    assert redact(DEMO_CLIENT_SECRET) == "[REDACTED]"


def test_browser_sign_in_with_a_wrong_state_is_refused(session, backend, transport):
    browser = ScriptedBrowser(transport, tamper=lambda q: {**q, "state": "forged-" + q["state"]})

    async def scenario():
        with pytest.raises(OAuthError) as caught:
            await session.sign_in_with_browser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, open_url=browser.open,
                                               timeout=20)
        await browser.finish()
        return caught.value

    error = run(scenario())
    assert error.kind == "state_mismatch"
    assert browser.pages[0].status_code == 400
    assert backend.data == {} and session.current_client is None


def test_browser_sign_in_times_out_and_stops_listening(session):
    urls: list[str] = []

    async def scenario():
        with pytest.raises(OAuthError) as caught:
            await session.sign_in_with_browser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, open_url=urls.append,
                                               timeout=0.2)
        return caught.value

    assert run(scenario()).kind == "timeout"
    port = urlsplit(dict(parse_qsl(urlsplit(urls[0]).query))["redirect_uri"]).port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_browser_sign_in_with_a_wrong_secret(session, backend, transport):
    browser = ScriptedBrowser(transport)

    async def scenario():
        with pytest.raises(OAuthError) as caught:
            await session.sign_in_with_browser(DEMO_CLIENT_ID, "not-the-right-secret", open_url=browser.open,
                                               timeout=20)
        await browser.finish()
        return caught.value

    error = run(scenario())
    assert error.kind == "rejected" and "not-the-right-secret" not in str(error)
    assert backend.data == {}


def test_user_denial_comes_back_as_denied(session, transport):
    browser = ScriptedBrowser(transport, tamper=lambda q: {"error": "access_denied", "state": q["state"]})

    async def scenario():
        with pytest.raises(OAuthError) as caught:
            await session.sign_in_with_browser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, open_url=browser.open,
                                               timeout=20)
        await browser.finish()
        return caught.value

    assert run(scenario()).kind == "denied"


# -- refresh ------------------------------------------------------------------------

async def oauth_sign_in(session: SessionManager, transport) -> tuple[Credentials, object]:
    browser = ScriptedBrowser(transport)
    _user, client = await session.sign_in_with_browser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                                                       open_url=browser.open, timeout=20)
    await browser.finish()
    return session._grant.credentials, client  # noqa: SLF001 - the test looks inside


def test_refresh_ahead_of_expiry(session, backend, transport, clock, state):
    async def scenario():
        first, client = await oauth_sign_in(session, transport)
        clock.now = first.expires_at - 60  # inside the refresh margin, still valid
        calls_before = len(state.requests)
        assert (await client.user_info()).id == state.me_id
        assert len(state.requests) == calls_before + 1  # no 401 round trip: refreshed first
        renewed = stored(backend)
        assert renewed.access_token != first.access_token
        assert renewed.refresh_token != first.refresh_token  # the emulator rotates them
        assert renewed.expires_at == clock.now + state.token_expires_in
        assert redact(renewed.access_token) == "[REDACTED]"
        await session.aclose()

    run(scenario())


def test_refresh_once_on_401(session, backend, transport, clock, state):
    async def scenario():
        first, client = await oauth_sign_in(session, transport)
        state.clock = lambda: first.expires_at + 1  # the server's clock is ahead of ours
        results = await asyncio.gather(client.user_info(), client.working_users())
        assert results[0].id == state.me_id
        renewed = stored(backend)
        assert renewed.access_token != first.access_token
        # Two requests got a 401 together, one refresh served both.
        live = [r for r in state.refresh_tokens.values() if not r["revoked"]]
        assert len(live) == 1
        await session.aclose()

    run(scenario())


def test_refused_refresh_surfaces_the_401(session, backend, transport, state):
    async def scenario():
        first, client = await oauth_sign_in(session, transport)
        state.revoke_token(first.access_token)  # revokes its refresh token too
        with pytest.raises(errors.Unauthorized):
            await client.user_info()
        assert session.needs_sign_in
        refresh_calls = len(state.refresh_tokens)
        with pytest.raises(errors.Unauthorized):
            await client.user_info()
        assert len(state.refresh_tokens) == refresh_calls
        await session.aclose()

    run(scenario())
    assert stored(backend) is not None  # the caller decides to sign out; nothing deleted behind its back


class OfflineTokenEndpoint(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.offline = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.offline and request.url.path == "/oauth/token":
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def test_unreachable_token_endpoint_is_transient(store, transport, clock, state):
    flaky = OfflineTokenEndpoint(transport)
    session = SessionManager(API, store, transport=flaky, clock=clock)

    async def scenario():
        first, client = await oauth_sign_in(session, transport)
        flaky.offline = True
        clock.now = first.expires_at - 60  # ahead of expiry: keep the current token
        assert (await client.user_info()).id == state.me_id
        state.clock = lambda: first.expires_at + 1  # now it is refused: the refresh is a transient error
        with pytest.raises(errors.NetworkError):
            await client.user_info()
        assert not session.needs_sign_in
        flaky.offline = False
        assert (await client.user_info()).id == state.me_id
        await session.aclose()

    run(scenario())


# -- the token's format, before any request -------------------------------------------

class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize(("value", "problem"), [
    ("", "empty"), ("tok\x00en-0123456789", "control"), ("t" * 10_000_000, "too_long"),
    ("tok en-0123456789", "whitespace"), ("tok\nen-0123456789", "whitespace"), ("tokén-0123456789", "non_ascii"),
])
def test_a_malformed_token_is_refused_before_any_request(store, backend, transport, clock, value, problem):
    from timecrowd_tray.services.session import TokenFormatError

    counting = CountingTransport(transport)
    session = SessionManager(API, store, transport=counting, clock=clock)
    for call in (session.validate_token, session.sign_in_with_token):
        with pytest.raises(TokenFormatError) as caught:
            run(call(value))
        assert caught.value.problem == problem
        assert value.strip() == "" or value[:8] not in str(caught.value)
    assert counting.requests == [] and backend.data == {}


# -- reading the keyring again (the shell's login / logout changed it) -----------------

def test_reload_picks_up_a_new_stored_sign_in(session, backend, state):
    async def scenario():
        _user, first = await session.sign_in_with_token(DEMO_TOKEN)
        state.revoke_token(DEMO_TOKEN)
        with pytest.raises(errors.Unauthorized):
            await first.user_info()
        assert session.needs_sign_in
        # `timecrowd-tray login` (another process) stores a new token:
        state.add_token("fresh-token-0123456789", state.me_id)
        backend.data[("timecrowd-tray", API)] = Credentials(access_token="fresh-token-0123456789").to_json()
        client = await session.reload()
        assert client is not None and client is session.current_client and client is not first
        assert not session.needs_sign_in and session.remembered
        assert (await client.user_info()).id == state.me_id
        with pytest.raises(RuntimeError):  # the old client is closed
            await first.user_info()
        assert redact("x fresh-token-0123456789") == "x [REDACTED]"
        await session.aclose()

    run(scenario())


def test_reload_keeps_a_working_sign_in_that_did_not_change(session):
    async def scenario():
        _user, client = await session.sign_in_with_token(DEMO_TOKEN)
        assert await session.reload() is client
        assert (await client.user_info()).nickname
        await session.aclose()

    run(scenario())


def test_reload_with_nothing_stored_signs_out_here_only(session, backend):
    async def scenario():
        _user, client = await session.sign_in_with_token(DEMO_TOKEN)
        backend.data.clear()  # `timecrowd-tray logout`
        assert await session.reload() is None
        assert not session.is_signed_in and session.current_client is None and session.current_user is None
        with pytest.raises(RuntimeError):
            await client.user_info()

    run(scenario())
    assert backend.data == {}


def test_reload_with_an_unreadable_keyring_changes_nothing(session, backend):
    async def scenario():
        _user, client = await session.sign_in_with_token(DEMO_TOKEN)
        backend.fail_with = keyring.errors.KeyringLocked("Failed to unlock the collection!")
        with pytest.raises(CredentialsUnavailable):
            await session.reload()
        assert session.current_client is client and session.is_signed_in
        await session.aclose()

    run(scenario())


def test_reload_without_a_store_keeps_the_memory_sign_in(transport, clock):
    session = SessionManager(API, None, transport=transport, clock=clock)

    async def scenario():
        _user, client = await session.sign_in_with_token(DEMO_TOKEN, remember=False)
        assert await session.reload() is client
        await session.aclose()

    run(scenario())
