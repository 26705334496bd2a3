"""Async TimeCrowd API v1 client over one ``httpx.AsyncClient``.

It knows HTTP and the API's JSON, nothing of Qt. Every failure comes out as an
:mod:`timecrowd_tray.api.errors` exception. It never retries a POST by itself
(a retried start is a duplicate entry); a GET is retried once when the
connection could not be made or was dropped.

Every exchange is bounded twice over: httpx's per-phase timeouts
(:data:`DEFAULT_TIMEOUT`) and an overall :data:`DEFAULT_DEADLINE` for sending
the request and reading the whole answer, so a server that trickles bytes or
stalls after its headers cannot hold a call forever (:class:`errors.ApiTimeout`).
Answers are read as a stream and never beyond :data:`MAX_RESPONSE_BYTES`
(:class:`errors.ResponseTooLarge`; a larger ``Content-Length`` is refused
before the body is read), so memory stays bounded whatever the server sends.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from datetime import datetime
from typing import Any, TypeVar, cast

import httpx

from .. import APP_ID, __version__
from ..core.endpoint import normalize_api_base
from ..core.models import (
    Category,
    ParseError,
    TaskPage,
    Team,
    TimeEntry,
    User,
    WorkingUser,
    to_unix_seconds,
)
from ..core.secret import Secret
from . import errors

log = logging.getLogger(__name__)

_T = TypeVar("_T")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=15.0, pool=5.0)
# Longer than the 30 s poll: httpx's default 5 s would make every poll a new TCP + TLS handshake.
DEFAULT_LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=2, keepalive_expiry=75.0)
USER_AGENT = f"{APP_ID}/{__version__} (+python-httpx/{httpx.__version__})"
#: The largest answer body read, in bytes (after content decoding); the API's answers are a few KiB.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
#: Seconds one exchange (send the request, read the whole answer) may take in all.
DEFAULT_DEADLINE = 30.0

#: Called once after a 401 with the token that failed; returns a fresh token
#: (an OAuth refresh) or None when there is none to be had. Plain ``str`` or
#: :class:`Secret` are both accepted.
TokenRefresher = Callable[[Secret], Awaitable["str | Secret | None"]]


class _BearerAuth(httpx.Auth):
    """Adds the token at send time, so it never sits in the client's default headers."""

    def __init__(self, owner: TimeCrowdClient) -> None:
        self._owner = owner

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer " + self._owner._token.reveal()
        yield request

    def __repr__(self) -> str:
        return "<BearerAuth [redacted]>"


def _size_text(size: int) -> str:
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


class _Answer:
    """A fully read (and size-capped) answer: what the rest of the client needs of an httpx.Response."""

    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code: int, headers: httpx.Headers, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        return json.loads(self.content.decode("utf-8"))


def _retry_after(response: _Answer) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _server_messages(response: _Answer) -> tuple[str, ...]:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ()
    if isinstance(body, dict):
        messages = body.get("messages")
        if isinstance(messages, list):
            return tuple(str(m) for m in messages if isinstance(m, (str, int, float)))
        if isinstance(messages, str):
            return (messages,)
        for key in ("error_description", "error", "message"):
            if isinstance(body.get(key), str):
                return (body[key],)
    return ()


def _error_for(response: _Answer, what: str) -> errors.ApiError:
    status = response.status_code
    messages = _server_messages(response)
    summary = f"{what}: HTTP {status}"
    if status == 401:
        return errors.Unauthorized(f"{summary}: the token was rejected", messages=messages)
    if status == 403:
        return errors.Forbidden(summary, messages=messages)
    if status == 404:
        return errors.NotFound(summary, messages=messages)
    if status == 422:
        return errors.ValidationFailed(summary, messages=messages)
    if status == 429:
        return errors.RateLimited(summary, retry_after=_retry_after(response), messages=messages)
    if status >= 500:
        exc = errors.ServerError(summary, messages=messages, status=status)
        exc.retry_after = _retry_after(response)
        return exc
    return errors.ProtocolError(f"{summary}: unexpected status", messages=messages, status=status)


class TimeCrowdClient:
    """The TimeCrowd API v1, typed.

    ``transport`` lets tests put the emulator's ASGI app in-process
    (``httpx.ASGITransport(app=...)``). ``max_response_bytes`` and ``deadline``
    override :data:`MAX_RESPONSE_BYTES` and :data:`DEFAULT_DEADLINE`.
    """

    def __init__(
        self,
        base_url: str,
        token: str | Secret,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        token_refresher: TokenRefresher | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        if max_response_bytes <= 0:
            raise ValueError("max_response_bytes must be positive")
        if not deadline > 0:
            raise ValueError("deadline must be positive")
        self.base_url = normalize_api_base(base_url)
        self._token = Secret(token)
        self._token_refresher = token_refresher
        self._max_response_bytes = int(max_response_bytes)
        self._deadline = float(deadline)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            auth=_BearerAuth(self),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=timeout,
            limits=DEFAULT_LIMITS,
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment may see the token
        )

    def __repr__(self) -> str:
        return f"<TimeCrowdClient {self.base_url}>"

    def set_token(self, token: str | Secret) -> None:
        self._token = Secret(token)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> TimeCrowdClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- transport -----------------------------------------------------------

    async def _exchange(self, method: str, path: str, what: str, params: dict[str, Any] | None,
                        body: Any) -> _Answer:
        """Send one request and read its answer, never more than ``max_response_bytes`` of it."""
        request = self._http.build_request(method, path, params=params, json=body)
        response = await self._http.send(request, stream=True)
        try:
            cap = self._max_response_bytes
            declared = response.headers.get("Content-Length", "")
            too_large = declared.strip().isdigit() and int(declared) > cap
            parts: list[bytes] = []
            size = 0
            if not too_large:
                # An async generator: closed below, so an early break does not leave it open.
                stream = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
                try:
                    async for chunk in stream:
                        parts.append(chunk)
                        size += len(chunk)
                        if size > cap:
                            too_large = True
                            break
                finally:
                    await stream.aclose()
        finally:
            # Unread bytes stay unread: a half-read connection is closed, not reused.
            await response.aclose()
        if too_large:
            if response.is_success:
                raise errors.ResponseTooLarge(
                    f"{what}: the server's answer is larger than {_size_text(cap)}; it was not read",
                    status=response.status_code)
            # An error status keeps its meaning (retry a 5xx, refresh on 401): only its words are lost.
            parts = []
        return _Answer(response.status_code, response.headers, b"".join(parts))

    async def _send(self, method: str, path: str, what: str, *, params: dict[str, Any] | None = None,
                    body: Any = None) -> _Answer:
        attempts = 2 if method == "GET" else 1
        for attempt in range(attempts):
            try:
                async with asyncio.timeout(self._deadline):
                    return await self._exchange(method, path, what, params, body)
            except TimeoutError:
                # The overall deadline: the server trickled its answer or stalled mid-way.
                # Like any timeout the request may have been applied: never resend it here.
                raise errors.ApiTimeout(
                    f"{what}: the server did not answer in time (no complete answer in {self._deadline:g} s)"
                ) from None
            except httpx.TimeoutException as exc:
                # A timed-out request may have reached the server: never resend it here.
                raise errors.ApiTimeout(f"{what}: the server did not answer in time ({type(exc).__name__})") from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if attempt + 1 < attempts:
                    log.debug("%s: %s, retrying once", what, type(exc).__name__)
                    continue
                raise errors.NetworkError(f"{what}: cannot reach the server ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise errors.NetworkError(f"{what}: network error ({type(exc).__name__})") from None
        raise AssertionError("unreachable")

    async def _request(self, method: str, path: str, what: str, *, params: dict[str, Any] | None = None,
                       body: Any = None, expect_body: bool = True) -> Any:
        response = await self._send(method, path, what, params=params, body=body)
        if response.status_code == 401 and self._token_refresher is not None:
            fresh = await self._token_refresher(self._token)
            if fresh:
                self._token = Secret(fresh)
                # The server refused before acting, so sending again cannot duplicate.
                response = await self._send(method, path, what, params=params, body=body)
        log.debug("%s %s -> %s", method, path, response.status_code)
        if not response.is_success:
            raise _error_for(response, what)
        if not expect_body:
            return None
        try:
            return json.loads(response.content.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            kind = response.headers.get("Content-Type", "unknown content")
            raise errors.ProtocolError(f"{what}: the server's answer is not valid JSON ({kind})",
                                       status=response.status_code) from None

    @staticmethod
    def _parse(what: str, parse: Callable[[Any], _T], data: Any) -> _T:
        try:
            return parse(data)
        except ParseError as exc:
            raise errors.ProtocolError(f"{what}: unexpected JSON ({exc})") from None

    def _list(self, what: str, parse: Callable[[Any], _T], data: Any) -> list[_T]:
        if not isinstance(data, list):
            raise errors.ProtocolError(f"{what}: expected a list, got {type(data).__name__}")
        return [self._parse(what, parse, item) for item in data]

    # -- the signed-in user ------------------------------------------------------

    async def user_info(self) -> User:
        what = "user info"
        return self._parse(what, User.from_json, await self._request("GET", "/api/v1/user/info", what))

    async def working_users(self) -> list[WorkingUser]:
        what = "working users"
        return self._list(what, WorkingUser.from_json, await self._request("GET", "/api/v1/user/working_users", what))

    async def running_entry(self, user_id: int) -> TimeEntry | None:
        """My running entry: my own row of ``working_users``, or None when I am idle."""
        for row in await self.working_users():
            if row.user_id == user_id:
                return row.entry
        return None

    async def time_entries(self, user_id: int, *, per_page: int = 50, page: int = 1,
                           started_since: datetime | None = None,
                           started_until: datetime | None = None) -> list[TimeEntry]:
        """``user_id``'s entries, newest first; ``started_since``/``started_until`` bound their starts."""
        what = "time entries"
        params: dict[str, Any] = {"user_id": user_id, "per_page": per_page, "page": page}
        if started_since is not None:
            params["started_since"] = to_unix_seconds(started_since)
        if started_until is not None:
            params["started_until"] = to_unix_seconds(started_until)
        data = await self._request("GET", "/api/v1/time_entries", what, params=params)
        return self._list(what, TimeEntry.from_json, data)

    async def my_time_entries(self, *, page: int = 1, task_id: int | None = None) -> list[TimeEntry]:
        what = "my time entries"
        params: dict[str, Any] = {"page": page}
        if task_id is not None:
            params["task_id"] = task_id
        return self._list(what, TimeEntry.from_json,
                          await self._request("GET", "/api/v1/user/time_entries", what, params=params))

    async def time_entry(self, entry_id: int) -> TimeEntry:
        what = "time entry"
        return self._parse(what, TimeEntry.from_json,
                           await self._request("GET", f"/api/v1/time_entries/{int(entry_id)}", what))

    # -- tasks -------------------------------------------------------------------

    async def task_suggestions(self, title: str, *, category_id: int | None = None) -> TaskPage:
        what = "task suggestions"
        params: dict[str, Any] = {"title": title}
        if category_id is not None:
            params["category_id"] = category_id
        return self._parse(what, TaskPage.from_json,
                           await self._request("GET", "/api/v1/tasks/suggestions", what, params=params))

    async def team_tasks(self, team_id: int, *, page: int = 1) -> TaskPage:
        what = "team tasks"
        return self._parse(what, TaskPage.from_json,
                           await self._request("GET", f"/api/v1/teams/{int(team_id)}/tasks", what,
                                               params={"page": page}))

    async def teams(self) -> list[Team]:
        """Not on the vendor's pages (seen in public clients): optional."""
        what = "teams"
        data = await self._request("GET", "/api/v1/teams", what)
        if isinstance(data, dict):
            data = data.get("teams")
        return self._list(what, Team.from_json, data)

    async def categories(self, team_id: int) -> list[Category]:
        """Not on the vendor's pages (seen in public clients): optional."""
        what = "categories"
        data = await self._request("GET", "/api/v1/categories", what, params={"team_id": team_id})
        if isinstance(data, dict):
            data = data.get("categories")
        return self._list(what, Category.from_json, data)

    # -- actions -----------------------------------------------------------------

    async def start_task(self, team_id: int, task_id: int) -> TimeEntry:
        what = "start"
        return self._parse(what, TimeEntry.from_json, await self._request(
            "POST", f"/api/v1/teams/{int(team_id)}/tasks/{int(task_id)}/start", what, body={}))

    async def stop_entry(self, entry_id: int) -> TimeEntry:
        what = "stop"
        return self._parse(what, TimeEntry.from_json, await self._request(
            "PATCH", f"/api/v1/time_entries/{int(entry_id)}/stop", what))

    async def update_entry_times(self, entry_id: int, *, started_at: datetime | None = None,
                                 stopped_at: datetime | None = None, task_id: int | None = None) -> TimeEntry:
        """``PATCH /api/v1/time_entries/:id`` with the given fields only (``task_id``: its ``time_trackable_id``)."""
        what = "update times"
        fields: dict[str, str] = {}
        if started_at is not None:
            fields["started_at"] = to_unix_seconds(started_at)
        if stopped_at is not None:
            fields["stopped_at"] = to_unix_seconds(stopped_at)
        if task_id is not None:
            fields["time_trackable_id"] = str(int(task_id))
        if not fields:
            raise ValueError("update_entry_times needs started_at, stopped_at or task_id")
        return self._parse(what, TimeEntry.from_json, await self._request(
            "PATCH", f"/api/v1/time_entries/{int(entry_id)}", what, body={"time_entry": fields}))

    async def add_comment(self, entry_id: int, content: str) -> TimeEntry:
        what = "comment"
        return self._parse(what, TimeEntry.from_json, await self._request(
            "POST", f"/api/v1/time_entries/{int(entry_id)}/comments", what,
            body={"comment": {"content": content}}))

    async def create_task_entry(self, title: str, team_id: int, *, parent_id: int | None = None,
                                key: str | None = None, url: str | None = None) -> TimeEntry:
        """Create a task and start tracking it (``POST /api/v1/time_entries`` with a task)."""
        what = "create task"
        task: dict[str, Any] = {"title": title, "team_id": str(team_id)}
        if parent_id is not None:
            task["parent_id"] = str(parent_id)
        if key:
            task["key"] = key
        if url:
            task["url"] = url
        return self._parse(what, TimeEntry.from_json,
                           await self._request("POST", "/api/v1/time_entries", what, body={"task": task}))

    async def create_entry_from_times(self, task_id: int, started_at: datetime, stopped_at: datetime) -> TimeEntry:
        """A finished entry of ``task_id`` (``POST /api/v1/time_entries`` with ``time_entry``; no comment in it)."""
        what = "add entry"
        body = {"time_entry": {"started_at": to_unix_seconds(started_at), "stopped_at": to_unix_seconds(stopped_at),
                               "time_trackable_id": str(int(task_id))}}
        return self._parse(what, TimeEntry.from_json, await self._request("POST", "/api/v1/time_entries", what,
                                                                          body=body))

    async def delete_entry(self, entry_id: int) -> None:
        await self._request("DELETE", f"/api/v1/time_entries/{int(entry_id)}", "delete", expect_body=False)
