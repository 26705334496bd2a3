"""Signing in and out of one TimeCrowd server, and keeping the access token fresh.

:class:`SessionManager` is the only place that learns tokens: from a pasted
personal token, from a browser sign-in (OAuth2 authorization code grant with a
loopback redirect, RFC 8252), from the keyring at start-up, or from a refresh.
It registers each of them with :func:`timecrowd_tray.logs.register_secret`, so
no log line can carry one, and hands out a :class:`TimeCrowdClient` whose
token it keeps fresh:

* before each request, an OAuth access token within ``refresh_margin`` seconds
  of its expiry is refreshed first (a transport wrapper does it, so every
  request of the client benefits without a timer);
* on a 401, the client calls the refresher once; a refresh the server refuses
  returns None so the 401 surfaces (the caller moves to "signed out", and
  :attr:`SessionManager.needs_sign_in` turns True). A refresh that cannot reach
  the server raises the API's transient error instead: being offline is no
  reason to sign out.

No Qt here: the sign-in window and the shell commands both drive this class.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx

from ..api import errors
from ..api.client import DEFAULT_TIMEOUT, USER_AGENT, TimeCrowdClient
from ..core.endpoint import normalize_api_base
from ..core.models import User
from ..core.secret import Secret
from ..core.token_format import TokenFormatError, check_token
from ..logs import register_secret
from .credentials import Credentials, CredentialStore, CredentialsUnavailable
from .oauth_loopback import LoopbackListener, OAuthError

log = logging.getLogger(__name__)

__all__ = ["OAuthError", "SessionManager", "TOKEN_PAGE_PATH", "TokenFormatError"]

#: Where a signed-in user finds their OAuth applications and issues a personal token.
TOKEN_PAGE_PATH = "/oauth/applications"

#: Refresh an OAuth access token this many seconds before it expires.
DEFAULT_REFRESH_MARGIN = 120.0


class _SharedTransport(httpx.AsyncBaseTransport):
    """A caller's transport, lent to many clients: closing a client must not close it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        pass


class _Grant:
    """One sign-in: its credentials (replaced on each refresh) and whether the keyring has them."""

    def __init__(self, credentials: Credentials, *, remembered: bool) -> None:
        self.credentials = credentials
        self.remembered = remembered
        self.lock = asyncio.Lock()
        self.client: TimeCrowdClient | None = None
        self.closed = False
        self.refreshed_token: str | None = None  # the last access token a refresh gave us
        self.refresh_refused = False  # the server refused a refresh: only a new sign-in helps


class _FreshTokenTransport(httpx.AsyncBaseTransport):
    """Refreshes an expiring access token before a request goes out."""

    def __init__(self, inner: httpx.AsyncBaseTransport, session: SessionManager, grant: _Grant) -> None:
        self._inner = inner
        self._session = session
        self._grant = grant

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        grant = self._grant
        if not grant.closed and not grant.refresh_refused and self._session._expiring(grant.credentials):
            fresh = await self._session._refresh(grant, failed=None)
            if fresh:
                request.headers["Authorization"] = f"Bearer {fresh}"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class SessionManager:
    """Sign-in state for the API server ``api_base``.

    ``store`` is None when nothing may be remembered (demo mode): every sign-in
    then lives in memory only. ``transport`` goes to every HTTP client made
    here, the token endpoint's included (tests put the emulator in-process).
    ``clock`` gives unix seconds; it dates token expiry.
    """

    def __init__(
        self,
        api_base: str,
        store: CredentialStore | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
    ) -> None:
        self.api_base = normalize_api_base(api_base)
        self.store = store
        self._transport = _SharedTransport(transport) if transport is not None else None
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._grant: _Grant | None = None
        self._user: User | None = None
        self._pending: tuple[User, Credentials] | None = None
        self._needs_sign_in = False

    def __repr__(self) -> str:
        return f"<SessionManager {self.api_base} signed_in={self.is_signed_in}>"

    # -- state -----------------------------------------------------------------

    @property
    def current_client(self) -> TimeCrowdClient | None:
        return self._grant.client if self._grant is not None else None

    @property
    def current_user(self) -> User | None:
        """The account, when a sign-in in this process validated it (None after a bare restore)."""
        return self._user

    @property
    def is_signed_in(self) -> bool:
        return self._grant is not None and not self._grant.closed

    @property
    def remembered(self) -> bool:
        """True when the current sign-in is kept in the keyring, False when in memory only."""
        return self._grant is not None and self._grant.remembered

    @property
    def needs_sign_in(self) -> bool:
        """True once the server refused the token and no refresh could replace it."""
        return self._needs_sign_in

    @property
    def has_pending(self) -> bool:
        """A validated sign-in is waiting because the keyring refused it: see :meth:`finish_pending`."""
        return self._pending is not None

    @property
    def token_page_url(self) -> str:
        return self.api_base + TOKEN_PAGE_PATH

    # -- signing in ------------------------------------------------------------

    async def restore(self) -> TimeCrowdClient | None:
        """A client for the credentials stored for this server, or None when there are none.

        Nothing is sent to the server: an expired or revoked token shows up as a
        401 on the first call. Raises :class:`CredentialsUnavailable` when the
        keyring cannot be read.
        """
        if self.store is None:
            return None
        credentials = await self.store.load(self.api_base)
        if credentials is None:
            return None
        self._learn(credentials)
        await self._replace_grant(_Grant(credentials, remembered=True), user=None)
        log.info("restored the sign-in for %s from the keyring", self.api_base)
        return self.current_client

    async def reload(self) -> TimeCrowdClient | None:
        """Read this server's stored sign-in again: another process (the shell's ``login`` or
        ``logout``) may have changed it.

        Credentials other than the current ones replace the current sign-in (a new client; the
        old one is closed) and are returned as a client, as :meth:`restore` does. The same
        credentials as in use keep the current client, unless the server refused it. Nothing
        stored signs out here (None; the keyring is not written). Nothing is sent to the server.
        Raises :class:`CredentialsUnavailable` when the keyring cannot be read; nothing changes then.
        Without a store (demo mode) the current client is returned as it is.
        """
        if self.store is None:
            return self.current_client
        credentials = await self.store.load(self.api_base)
        if credentials is None:
            self._user = None
            self._needs_sign_in = False
            await self._replace_grant(None, user=None)
            log.info("no sign-in is stored for %s any more: signed out here", self.api_base)
            return None
        grant = self._grant
        if (grant is not None and not grant.closed and not grant.refresh_refused and not self._needs_sign_in
                and grant.credentials == credentials):
            return grant.client
        self._learn(credentials)
        self._pending = None
        await self._replace_grant(_Grant(credentials, remembered=True), user=None)
        log.info("reloaded the sign-in for %s from the keyring", self.api_base)
        return self.current_client

    async def validate_token(self, token: str) -> User:
        """The account behind ``token`` (``GET /api/v1/user/info``); nothing is kept.

        The value is checked first (:func:`timecrowd_tray.core.token_format.check_token`):
        :class:`TokenFormatError` (a ValueError) for one that cannot be a token (empty, too long,
        with spaces, control or non-ASCII characters), before anything is sent. Then the API's
        errors (:class:`errors.Unauthorized` when the server rejects it).
        """
        token = check_token(token)
        register_secret(token)
        async with TimeCrowdClient(self.api_base, token, transport=self._transport) as client:
            return await client.user_info()

    async def sign_in_with_token(self, token: str, *, remember: bool = True) -> tuple[User, TimeCrowdClient]:
        """Validate a pasted token and sign in with it.

        ``remember=False`` keeps it in memory only. When the keyring refuses
        (:class:`CredentialsUnavailable`), nothing changes yet: the validated
        sign-in waits in :meth:`finish_pending`. :class:`TokenFormatError` as :meth:`validate_token`.
        """
        token = check_token(token)
        user = await self.validate_token(token)
        return await self._activate(user, Credentials(access_token=token), remember=remember)

    def authorize_url(self, client_id: str, redirect_uri: str, state: str) -> str:
        query = urlencode({"client_id": client_id, "redirect_uri": redirect_uri,
                           "response_type": "code", "state": state})
        return f"{self.api_base}/oauth/authorize?{query}"

    async def sign_in_with_browser(
        self,
        client_id: str,
        client_secret: str,
        *,
        open_url: Callable[[str], object],
        timeout: float = 300,
        remember: bool = True,
        port: int = 0,
    ) -> tuple[User, TimeCrowdClient]:
        """OAuth2 authorization code grant with a loopback redirect (RFC 8252).

        Listens on 127.0.0.1 (``port``, random by default; the OAuth application
        must accept ``http://127.0.0.1/callback``), calls ``open_url`` with the
        authorization page (awaited if it returns an awaitable), waits up to
        ``timeout`` seconds for the browser to come back with the right
        ``state``, then exchanges the code at ``/oauth/token``.
        Raises :class:`OAuthError` (see its kinds), the API's errors, or
        :class:`CredentialsUnavailable` as :meth:`sign_in_with_token` does.
        """
        client_id = (client_id or "").strip()
        client_secret = (client_secret or "").strip()
        if not client_id or not client_secret:
            raise ValueError("a client id and a client secret are both needed")
        register_secret(client_secret)
        async with LoopbackListener(port=port) as listener:
            redirect_uri = listener.redirect_uri
            opened = open_url(self.authorize_url(client_id, redirect_uri, listener.state))
            if inspect.isawaitable(opened):
                await opened
            code = await listener.wait(timeout)
        register_secret(code)
        credentials = await self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            client_id, client_secret)
        user = await self.validate_token(credentials.access_token)
        return await self._activate(user, credentials, remember=remember)

    async def finish_pending(self, *, remember: bool) -> tuple[User, TimeCrowdClient]:
        """Complete a sign-in the keyring refused: try the keyring again, or keep it in memory.

        ``remember=True`` raises :class:`CredentialsUnavailable` again when the
        keyring still refuses (the sign-in stays pending).
        """
        if self._pending is None:
            raise RuntimeError("no sign-in is waiting")
        user, credentials = self._pending
        return await self._activate(user, credentials, remember=remember)

    def discard_pending(self) -> None:
        self._pending = None

    async def sign_out(self) -> bool:
        """Forget the sign-in here and delete the stored credentials of this server.

        Returns True when stored credentials were deleted. The in-memory sign-in
        is gone even when the keyring then fails (:class:`CredentialsUnavailable`).
        """
        self._pending = None
        self._user = None
        self._needs_sign_in = False
        await self._replace_grant(None, user=None)
        if self.store is None:
            return False
        deleted = await self.store.delete(self.api_base)
        log.info("signed out of %s%s", self.api_base, " (stored sign-in deleted)" if deleted else "")
        return deleted

    async def aclose(self) -> None:
        """Close the current client (the stored credentials stay)."""
        await self._replace_grant(None, user=self._user)

    # -- internals -------------------------------------------------------------

    @staticmethod
    def _learn(credentials: Credentials) -> None:
        for value in credentials.secrets():
            register_secret(value)

    async def _activate(self, user: User, credentials: Credentials, *, remember: bool) -> tuple[User, TimeCrowdClient]:
        self._learn(credentials)
        if remember:
            try:
                if self.store is None:
                    raise CredentialsUnavailable("no_backend", "no credential store")
                await self.store.save(self.api_base, credentials)
            except CredentialsUnavailable:
                self._pending = (user, credentials)
                raise
        self._pending = None
        await self._replace_grant(_Grant(credentials, remembered=remember), user=user)
        log.info("signed in to %s as user %s (%s)", self.api_base, user.id,
                 "kept in the keyring" if remember else "this session only")
        client = self.current_client
        assert client is not None
        return user, client

    async def _replace_grant(self, grant: _Grant | None, *, user: User | None) -> None:
        old = self._grant
        if old is not None:
            old.closed = True
            if old.client is not None:
                await old.client.aclose()
        self._grant = grant
        self._user = user
        if grant is not None:
            self._needs_sign_in = False
            grant.client = self._build_client(grant)

    def _build_client(self, grant: _Grant) -> TimeCrowdClient:
        inner: httpx.AsyncBaseTransport = self._transport or httpx.AsyncHTTPTransport()

        async def refresher(failed: Secret | str) -> str | None:
            plain = failed.reveal() if isinstance(failed, Secret) else str(failed)
            return await self._refresh(grant, failed=plain)

        return TimeCrowdClient(
            self.api_base,
            grant.credentials.access_token,
            transport=_FreshTokenTransport(inner, self, grant),
            token_refresher=refresher,
        )

    def _expiring(self, credentials: Credentials) -> bool:
        return (credentials.expires_at is not None and credentials.can_refresh
                and self._clock() >= credentials.expires_at - self._refresh_margin)

    async def _refresh(self, grant: _Grant, *, failed: str | None) -> str | None:
        """A fresh access token for ``grant``, or None when it cannot have one.

        ``failed`` is the token a 401 refused (None: a refresh ahead of expiry).
        Calls are serialised per grant; a caller that waited while another
        refreshed gets the new token without a second refresh.
        """
        async with grant.lock:
            if grant.closed:
                return None
            if grant.refresh_refused:
                self._signed_out_by_server(grant)
                return None
            credentials = grant.credentials
            if failed is None:
                if not self._expiring(credentials):
                    return credentials.access_token  # refreshed meanwhile
            elif credentials.access_token != failed:
                return credentials.access_token  # refreshed meanwhile
            elif failed == grant.refreshed_token or not credentials.can_refresh:
                # A token fresh from a refresh is refused too, or there is nothing to refresh
                # with: only a new sign-in helps.
                self._signed_out_by_server(grant)
                return None
            assert credentials.refresh_token and credentials.client_id and credentials.client_secret
            try:
                fresh = await self._token_request(
                    {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token},
                    credentials.client_id, credentials.client_secret, previous=credentials)
            except OAuthError as exc:
                log.warning("the server refused to renew the sign-in for %s (%s)", self.api_base, exc.kind)
                self._signed_out_by_server(grant)
                return None
            except errors.ApiError as exc:
                if failed is None:
                    # Ahead of expiry: keep using the current one, try again on the next request.
                    log.warning("could not renew the sign-in ahead of expiry: %s", exc.message)
                    return credentials.access_token
                raise
            self._learn(fresh)
            grant.credentials = fresh
            grant.refreshed_token = fresh.access_token
            if grant.client is not None:
                grant.client.set_token(fresh.access_token)
            log.info("renewed the sign-in for %s", self.api_base)
            if grant.remembered and self.store is not None:
                try:
                    await self.store.save(self.api_base, fresh)
                except CredentialsUnavailable as exc:
                    # The renewed sign-in still works in memory; the next start may ask again.
                    log.warning("could not keep the renewed sign-in in the keyring: %s", exc.kind)
            return fresh.access_token

    def _signed_out_by_server(self, grant: _Grant) -> None:
        grant.refresh_refused = True
        if grant is self._grant:
            self._needs_sign_in = True

    async def _token_request(self, form: dict[str, str], client_id: str, client_secret: str, *,
                             previous: Credentials | None = None) -> Credentials:
        """POST ``form`` to ``/oauth/token`` (client id and secret in the body) and parse the grant."""
        body = {**form, "client_id": client_id, "client_secret": client_secret}
        what = "sign-in token request"
        sent_at = self._clock()
        http = httpx.AsyncClient(transport=self._transport, timeout=DEFAULT_TIMEOUT, trust_env=False,
                                 follow_redirects=False,
                                 headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        try:
            response = await http.post(f"{self.api_base}/oauth/token", data=body)
        except httpx.TimeoutException as exc:
            raise errors.ApiTimeout(f"{what}: the server did not answer in time ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"{what}: cannot reach the server ({type(exc).__name__})") from None
        finally:
            await http.aclose()
        log.debug("sign-in grant request -> HTTP %s", response.status_code)
        data: Any
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            data = None
        if response.status_code >= 500:
            raise errors.ServerError(f"{what}: HTTP {response.status_code}", status=response.status_code)
        if response.status_code in (400, 401, 403):
            error = data.get("error") if isinstance(data, dict) else None
            if error == "invalid_client":
                raise OAuthError("rejected", "The server did not accept the client id and secret. Check "
                                             "them on your TimeCrowd OAuth application page.")
            if error == "invalid_grant":
                raise OAuthError("rejected", "The server refused the authorization (it expired, was "
                                             "revoked or was already used). Sign in again.")
            raise OAuthError("rejected", f"The server refused the sign-in (HTTP {response.status_code}"
                                         f"{', ' + str(error)[:80] if error else ''}).")
        if not response.is_success or not isinstance(data, dict):
            raise OAuthError("protocol", f"The server's answer to the sign-in was not understood "
                                         f"(HTTP {response.status_code}).")
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise OAuthError("protocol", "The server's answer to the sign-in had no access token.")
        register_secret(access)
        refresh = data.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            # No rotation: the old refresh token stays valid.
            refresh = previous.refresh_token if previous is not None else None
        expires_in = data.get("expires_in")
        expires_at = (sent_at + float(expires_in)
                      if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and expires_in > 0
                      else None)
        credentials = Credentials(access_token=access, refresh_token=refresh, expires_at=expires_at,
                                  client_id=client_id, client_secret=client_secret)
        self._learn(credentials)
        return credentials
