"""The one-shot loopback listener of a browser sign-in (RFC 8252, section 7.3).

It listens on 127.0.0.1 on a random port, waits for the browser to come back
to ``/callback?code=...&state=...``, checks ``state``, answers a small page
that says the tab can be closed, and stops listening. Any other path (a
browser's ``/favicon.ico``) gets a 404 and the wait goes on. A callback with a
wrong ``state`` is refused (400) and ends the sign-in: it did not come from
the authorization request this app made.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
_MAX_REQUEST = 16 * 1024
_READ_TIMEOUT = 10.0


class OAuthError(Exception):
    """A browser sign-in failed. ``kind`` tells why; the message never carries a secret.

    Kinds: ``timeout`` (nobody came back in time), ``state_mismatch`` (a callback
    that this sign-in did not ask for), ``denied`` (the user refused on the
    server's page), ``server_error`` (the server's redirect carried another
    error), ``rejected`` (the token endpoint refused: wrong client id or secret,
    used or expired code), ``protocol`` (an unreadable answer).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    @property
    def user_message(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"OAuthError({self.kind!r}, {self.message!r})"


@dataclass(frozen=True, slots=True)
class _Page:
    status: int
    reason: str
    title: str
    body_ja: str
    body_en: str


_DONE = _Page(200, "OK", "TimeCrowd Tray",
              "TimeCrowd Tray に戻ってください。このタブは閉じてかまいません。",
              "Return to TimeCrowd Tray. You can close this tab.")
_REFUSED = _Page(400, "Bad Request", "TimeCrowd Tray",
                 "このサインイン要求は受け付けられません。アプリからもう一度サインインしてください。",
                 "This sign-in request was not accepted. Sign in again from the app.")
_FAILED = _Page(200, "OK", "TimeCrowd Tray",
                "サインインは完了しませんでした。アプリに戻ってください。このタブは閉じてかまいません。",
                "The sign-in did not complete. Return to the app; you can close this tab.")
_NOT_FOUND = _Page(404, "Not Found", "Not found", "見つかりません。", "Not found.")


def _render(page: _Page) -> bytes:
    body = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(page.title)}</title>"
        "<style>body{font-family:sans-serif;margin:3em;color:#333}</style></head><body>"
        f"<h1>{html.escape(page.title)}</h1><p lang=\"ja\">{html.escape(page.body_ja)}</p>"
        f"<p lang=\"en\">{html.escape(page.body_en)}</p></body></html>\n"
    ).encode()
    head = (
        f"HTTP/1.1 {page.status} {page.reason}\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n"
        "Referrer-Policy: no-referrer\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    return head + body


class LoopbackListener:
    """``async with LoopbackListener() as listener: ...; code = await listener.wait(timeout)``."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, state: str | None = None) -> None:
        self.host = host
        self.port = port
        self.state = state or secrets.token_urlsafe(32)
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[str] | None = None

    @property
    def redirect_uri(self) -> str:
        return f"http://{self.host}:{self.port}{CALLBACK_PATH}"

    async def start(self) -> None:
        self._result = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.debug("browser sign-in: listening on %s:%s", self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None
        if self._result is not None and not self._result.done():
            self._result.cancel()

    async def __aenter__(self) -> LoopbackListener:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def wait(self, timeout: float) -> str:
        """The authorization code, once the browser is back; OAuthError otherwise."""
        assert self._result is not None, "start() first"
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError:
            raise OAuthError("timeout", "The browser did not come back in time. Sign in again.") from None
        finally:
            await self.close()

    def _finish(self, *, code: str | None = None, error: OAuthError | None = None) -> None:
        if self._result is None or self._result.done():
            return
        if error is not None:
            self._result.set_exception(error)
        else:
            self._result.set_result(code or "")
        if self._server is not None:
            self._server.close()  # one shot: no second callback is accepted

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT)
            except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            if len(head) > _MAX_REQUEST:
                return
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split(" ")
            if len(parts) != 3 or parts[0] not in ("GET", "HEAD"):
                writer.write(_render(_NOT_FOUND))
                return
            page = self._dispatch(parts[1])
            writer.write(_render(page))
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()

    def _dispatch(self, target: str) -> _Page:
        url = urlsplit(target)
        if url.path != CALLBACK_PATH:
            return _NOT_FOUND
        if self._result is None or self._result.done():
            return _REFUSED  # a second callback after the first was taken
        query = parse_qs(url.query, keep_blank_values=True)

        def one(name: str) -> str | None:
            values = query.get(name)
            return values[0] if values and len(values) == 1 else None

        if not secrets.compare_digest((one("state") or "").encode(), self.state.encode()):
            log.warning("browser sign-in: refused a callback with a wrong state parameter")
            self._finish(error=OAuthError(
                "state_mismatch",
                "The browser came back with a sign-in this app did not start (the state did not "
                "match). Nothing was saved. Sign in again."))
            return _REFUSED
        error = one("error")
        if error is not None:
            kind = "denied" if error == "access_denied" else "server_error"
            detail = one("error_description") or error
            self._finish(error=OAuthError(kind, f"The server refused the sign-in: {detail[:200]}"))
            return _FAILED
        code = one("code")
        if not code:
            self._finish(error=OAuthError("protocol", "The browser came back without an authorization code."))
            return _FAILED
        self._finish(code=code)
        return _DONE
