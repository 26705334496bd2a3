"""Fault injection for the /api routes: latency, error statuses, dropped
connections, truncated, huge and withheld answers.

One-shot faults (``fail_next``, ``drop_next``, ``malformed_next``,
``blackhole_next``, ``huge_next``, ``stall_after_headers_next``) queue up in
call order and each answers exactly one /api request; latency applies to every
/api request, faulted or not. OAuth and admin routes are never faulted.

What each fault does to the request:

* latency: the server holds every request that many seconds, THEN executes
  it. Over a real socket it is executed even when the client gave up and
  closed the connection meanwhile (uvicorn runs the app to the end), which is
  how a real server applies a request whose answer the client never saw.
  In-process (``httpx.ASGITransport``) the app runs in the caller's task, so a
  client that gives up (is cancelled) cancels it too: there it is not applied.
* fail: the request is NOT applied; the answer is the given status with a
  ``{"messages": [...]}`` body (or an HTML page with ``html=True``) and a
  ``Retry-After`` header when asked.
* drop: the request is NOT applied. Over a real socket served by
  ``EmulatorServer`` the TCP connection is aborted before any response byte,
  so httpx raises ``httpx.RemoteProtocolError`` ("Server disconnected without
  sending a response"). In-process (``httpx.ASGITransport``) the app raises
  ``ConnectionDropped``, itself an ``httpx.RemoteProtocolError``, which the
  transport re-raises to the caller (with the default
  ``raise_app_exceptions=True``), so client code sees the same exception type.
* malformed: the request IS applied (the server did the work, the answer got
  mangled in transit); the client gets 200 with a truncated JSON body.
* blackhole (``hold`` seconds): the request IS applied, then never answered:
  the connection stays open without a single response byte for ``hold``
  seconds, then it is aborted as with drop (in-process: ``ConnectionDropped``
  is raised). The hold ends early, without sending anything, when the client
  disconnects (in-process: when the caller is cancelled) and, over a real
  socket, when the server shuts down, so neither tests nor ``EmulatorServer.stop``
  wait for it.
* huge (``size`` bytes): the request IS applied; the answer is 200 with a
  syntactically valid JSON body of ``size`` bytes (the real answer, when
  shorter): the real JSON with a huge unknown string field
  ``"_emulator_padding"`` in its top-level object (or in the first object of
  a top-level list; any other answer is padded with trailing whitespace).
  It is streamed in 64 KiB chunks, with a ``Content-Length`` unless
  ``chunked=True`` (then ``Transfer-Encoding: chunked``, so a client cannot
  refuse it by its header), and stops early when the client disconnects.
  In-process, httpx's ASGI transport joins the body in memory: keep ``size``
  small there.
* stall after headers (``seconds``): the request IS applied; the status and
  headers of the real answer (with the ``Content-Length`` of the real body)
  are sent at once, then the body is held back ``seconds`` seconds, then
  sent in full: a slow server, not a broken one. The hold ends early when the
  client disconnects (nothing more is sent then) or the server shuts down (the
  body is sent then). In-process the ASGI transport hands the caller nothing
  before the app returns, so there the whole answer is late by ``seconds``.

Holds are bounded by :data:`MAX_HOLD`; :attr:`Faults.holding` counts the
requests being held right now (tests wait on it instead of sleeping).

One file for all the faults, though it is long: the queue, the admin body and the
middleware that applies them must agree on every kind, and each kind is a few
lines in each of the three.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from .store import EmulatorState


#: Upper bound of any hold (``blackhole_next``, ``stall_after_headers_next``), in seconds.
MAX_HOLD = 600.0
#: Default hold of ``blackhole_next`` and ``stall_after_headers_next``, in seconds.
DEFAULT_HOLD = 60.0
#: Default and upper bound of the body size of ``huge_next``, in bytes.
DEFAULT_HUGE_SIZE = 50 * 1024 * 1024
MAX_HUGE_SIZE = 1024 * 1024 * 1024
# How often a held request looks whether its connection or the server went away.
_HOLD_POLL = 0.05
_CHUNK = 64 * 1024


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised in-process where a real server would have closed the socket."""


@dataclass(frozen=True)
class _Fault:
    kind: str  # "fail" | "drop" | "malformed" | "blackhole" | "huge" | "stall_after_headers"
    status: int = 200
    retry_after: float | int | None = None
    html: bool = False
    seconds: float = 0.0  # blackhole: hold; stall_after_headers: seconds
    size: int = 0  # huge
    chunked: bool = False  # huge


def _count(value: Any) -> int:
    count = int(value)
    if count < 0:
        raise ValueError(f"a fault count cannot be negative ({count})")
    return count


def _hold_seconds(value: Any) -> float:
    seconds = float(value)
    if not seconds >= 0:  # also refuses NaN
        raise ValueError(f"a hold cannot be negative ({value!r})")
    return min(seconds, MAX_HOLD)


def _spec(value: Any) -> dict[str, Any]:
    """An admin fault value: ``{"count": ..., ...}`` or a bare count (``true`` is one)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, (bool, int, str)):
        return {"count": value}
    raise TypeError(f"expected an object or a count, got {type(value).__name__}")


class Faults:
    """Thread-safe fault settings shared by the middleware and the tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[_Fault] = deque()
        self._latency = 0.0
        self._holding = 0

    @property
    def latency(self) -> float:
        with self._lock:
            return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        with self._lock:
            self._latency = max(0.0, float(seconds))

    def stall(self, seconds: float) -> None:
        self.latency = seconds

    def fail_next(
        self, status: int = 503, count: int = 1, retry_after: float | int | None = None, html: bool = False
    ) -> None:
        with self._lock:
            self._queue.extend(_Fault("fail", int(status), retry_after, bool(html)) for _ in range(count))

    def drop_next(self, count: int = 1) -> None:
        with self._lock:
            self._queue.extend(_Fault("drop") for _ in range(count))

    def malformed_next(self, count: int = 1) -> None:
        with self._lock:
            self._queue.extend(_Fault("malformed") for _ in range(count))

    def blackhole_next(self, count: int = 1, hold: float = DEFAULT_HOLD) -> None:
        """Apply the next ``count`` requests, answer nothing for ``hold`` s, then abort."""
        fault = _Fault("blackhole", seconds=_hold_seconds(hold))
        with self._lock:
            self._queue.extend(fault for _ in range(_count(count)))

    def huge_next(self, count: int = 1, size: int = DEFAULT_HUGE_SIZE, chunked: bool = False) -> None:
        """Apply the next ``count`` requests and answer each with ``size`` bytes of valid JSON."""
        size = int(size)
        if size < 0:
            raise ValueError(f"a body size cannot be negative ({size})")
        fault = _Fault("huge", size=min(size, MAX_HUGE_SIZE), chunked=bool(chunked))
        with self._lock:
            self._queue.extend(fault for _ in range(_count(count)))

    def stall_after_headers_next(self, count: int = 1, seconds: float = DEFAULT_HOLD) -> None:
        """Apply the next ``count`` requests, send status + headers, hold the body ``seconds`` s."""
        fault = _Fault("stall_after_headers", seconds=_hold_seconds(seconds))
        with self._lock:
            self._queue.extend(fault for _ in range(_count(count)))

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._latency = 0.0

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def holding(self) -> int:
        """How many requests a blackhole or a stall is holding right now."""
        with self._lock:
            return self._holding

    def _hold_started(self) -> None:
        with self._lock:
            self._holding += 1

    def _hold_ended(self) -> None:
        with self._lock:
            self._holding -= 1

    def take(self) -> tuple[float, _Fault | None]:
        with self._lock:
            return self._latency, (self._queue.popleft() if self._queue else None)

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency": self._latency,
                "pending": [_describe(f) for f in self._queue],
                "holding": self._holding,
            }

    def apply_admin(self, body: dict[str, Any]) -> None:
        """Apply a /_emulator/faults body (clear first, then the rest in order)."""
        if body.get("clear"):
            self.clear()
        for key in ("latency", "stall"):
            if body.get(key) is not None:
                self.latency = float(body[key])
        fail = body.get("fail_next")
        if fail:
            spec = fail if isinstance(fail, dict) else {}
            self.fail_next(
                status=int(spec.get("status", 503)),
                count=int(spec.get("count", 1)),
                retry_after=spec.get("retry_after"),
                html=bool(spec.get("html", False)),
            )
        if body.get("drop_next"):
            self.drop_next(int(body["drop_next"]))
        if body.get("malformed_next"):
            self.malformed_next(int(body["malformed_next"]))
        if body.get("blackhole_next") not in (None, False):
            spec = _spec(body["blackhole_next"])
            self.blackhole_next(count=_count(spec.get("count", 1)), hold=_hold_seconds(spec.get("hold", DEFAULT_HOLD)))
        if body.get("huge_next") not in (None, False):
            spec = _spec(body["huge_next"])
            self.huge_next(count=_count(spec.get("count", 1)), size=int(spec.get("size", DEFAULT_HUGE_SIZE)),
                           chunked=bool(spec.get("chunked", False)))
        if body.get("stall_after_headers_next") not in (None, False):
            spec = _spec(body["stall_after_headers_next"])
            self.stall_after_headers_next(count=_count(spec.get("count", 1)),
                                          seconds=_hold_seconds(spec.get("seconds", DEFAULT_HOLD)))


def _describe(fault: _Fault) -> dict[str, Any]:
    described: dict[str, Any] = {
        "kind": fault.kind, "status": fault.status, "retry_after": fault.retry_after, "html": fault.html,
    }
    if fault.kind == "blackhole":
        described["hold"] = fault.seconds
    elif fault.kind == "stall_after_headers":
        described["seconds"] = fault.seconds
    elif fault.kind == "huge":
        described.update(size=fault.size, chunked=fault.chunked)
    return described


# -- connection registry -------------------------------------------------------
# ASGI has no "abort the connection" message, so EmulatorServer's protocol
# registers each transport here and the middleware aborts it by (server, client).

_transports: dict[tuple[Any, Any], asyncio.BaseTransport] = {}
_transports_lock = threading.Lock()


def _key(server: Any, client: Any) -> tuple[Any, Any]:
    return (tuple(server) if server else None, tuple(client) if client else None)


def register_transport(server: Any, client: Any, transport: asyncio.BaseTransport) -> None:
    with _transports_lock:
        _transports[_key(server, client)] = transport


def unregister_transport(server: Any, client: Any) -> None:
    with _transports_lock:
        _transports.pop(_key(server, client), None)


def _transport_of(scope: Scope) -> asyncio.BaseTransport | None:
    with _transports_lock:
        return _transports.get(_key(scope.get("server"), scope.get("client")))


def _connection_over(scope: Scope, transport: asyncio.BaseTransport) -> bool:
    """Whether a served connection is gone, closing, or its server is shutting down."""
    if _transport_of(scope) is not transport or transport.is_closing():
        return True
    # uvicorn's graceful shutdown turns keep-alive off on every busy connection
    # (H11Protocol.shutdown); nothing else turns it off while a request is held.
    cycle = getattr(transport.get_protocol(), "cycle", None)
    return cycle is not None and getattr(cycle, "keep_alive", True) is False


def _abort_connection(scope: Scope) -> bool:
    transport = _transport_of(scope)
    if transport is None:
        return False
    transport.abort()  # type: ignore[attr-defined]
    return True


# -- middleware ----------------------------------------------------------------

_HTML_ERROR = (
    "<!DOCTYPE html>\n<html><head><title>{status} Service Error</title></head>"
    "<body><h1>{status}</h1><p>The server is temporarily unable to service your request."
    "</p></body></html>\n"
)


class FaultMiddleware:
    """Pure ASGI middleware: records /api requests and applies faults."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        self.state.record_request(scope["method"], scope["path"], _json_or_none(body))
        latency, fault = self.state.faults.take()
        if latency:
            await asyncio.sleep(latency)
        replay = _replay(body, receive)
        if fault is None:
            await self.app(scope, replay, send)
        elif fault.kind == "fail":
            await _send_failure(send, fault)
        elif fault.kind == "drop":
            if _abort_connection(scope):
                await _let_uvicorn_notice()
                return
            raise ConnectionDropped("Server disconnected without sending a response.")
        elif fault.kind == "malformed":
            await self.app(scope, replay, _Truncating(send))
        elif fault.kind == "blackhole":
            await self.app(scope, replay, _Captured())  # applied; the answer is thrown away
            over_socket = _transport_of(scope) is not None
            if await self._hold(scope, receive, fault.seconds) == "disconnected":
                return
            if over_socket:
                if _abort_connection(scope):
                    await _let_uvicorn_notice()
                return
            raise ConnectionDropped("Server disconnected without sending a response.")
        elif fault.kind == "huge":
            answer = _Captured()
            await self.app(scope, replay, answer)
            await _send_huge(scope, send, answer.body, fault)
        elif fault.kind == "stall_after_headers":
            answer = _Captured()
            await self.app(scope, replay, answer)
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
            if await self._hold(scope, receive, fault.seconds) == "disconnected":
                return
            await send({"type": "http.response.body", "body": answer.body})
        else:  # pragma: no cover - every kind is handled above
            raise AssertionError(f"unknown fault {fault.kind!r}")

    async def _hold(self, scope: Scope, receive: Receive, seconds: float) -> str:
        """Hold the request ``seconds`` s; returns "elapsed", "disconnected" or "stopping".

        A socket connection is watched for the client going away (the ASGI
        disconnect message, or the transport closing) and for the server
        shutting down. In-process nothing arrives, so only the hold's end or the
        caller's cancellation ends it.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        transport = _transport_of(scope)
        disconnect = asyncio.ensure_future(_until_disconnect(receive))
        self.state.faults._hold_started()
        try:
            while True:
                if disconnect.done():
                    return "disconnected"
                if transport is not None and _connection_over(scope, transport):
                    return "disconnected" if _transport_of(scope) is not transport else "stopping"
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return "elapsed"
                await asyncio.wait({disconnect}, timeout=min(_HOLD_POLL, remaining))
        finally:
            self.state.faults._hold_ended()
            disconnect.cancel()
            await asyncio.gather(disconnect, return_exceptions=True)


async def _let_uvicorn_notice() -> None:
    """Yield so uvicorn sees an aborted connection as lost and sends nothing itself."""
    for _ in range(3):
        await asyncio.sleep(0)


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class _Captured:
    """A send() that keeps the app's answer instead of sending it."""

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))


def _padding_frame(body: bytes) -> tuple[bytes, bytes, bytes]:
    """(prefix, padding byte, suffix) with prefix + padding * n + suffix valid JSON for any n."""
    text = body.strip()
    field = b'"_emulator_padding":"'
    if not text:
        return b"{" + field, b"x", b'"}'
    at = 0
    if text.startswith(b"["):
        rest = text[1:].lstrip()
        if rest.startswith(b"{"):
            at = len(text) - len(rest)
    if text[at : at + 1] == b"{":
        inside = text[at + 1 :]
        comma = b"" if inside.lstrip().startswith(b"}") else b","
        return text[: at + 1] + field, b"x", b'"' + comma + inside
    return text, b" ", b""  # a scalar or an empty list: trailing whitespace keeps it valid


async def _send_huge(scope: Scope, send: Send, body: bytes, fault: _Fault) -> None:
    prefix, pad, suffix = _padding_frame(body)
    padding = max(0, fault.size - len(prefix) - len(suffix))
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if not fault.chunked:
        headers.append((b"content-length", str(len(prefix) + padding + len(suffix)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": prefix, "more_body": True})
    transport = _transport_of(scope)
    chunk = pad * _CHUNK  # one chunk object, sent again and again: the emulator never holds the whole body
    while padding > 0:
        if transport is not None and _connection_over(scope, transport):
            # The client went away (or the server stops): end the connection, send no more.
            if _abort_connection(scope):
                await _let_uvicorn_notice()
            return
        piece = chunk if padding >= _CHUNK else chunk[:padding]
        padding -= len(piece)
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": suffix})


class _Truncating:
    """A send() that turns whatever the app answers into 200 + half a body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            return
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        full = b"".join(self._chunks)
        if len(full) < 4:
            full = b'{"messages": ["truncated by the emulator"]}'
        cut = full[: max(1, len(full) // 2)]
        await self._send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(cut)).encode()),
                ],
            }
        )
        await self._send({"type": "http.response.body", "body": cut})


async def _send_failure(send: Send, fault: _Fault) -> None:
    if fault.html:
        payload = _HTML_ERROR.format(status=fault.status).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        message = "Service Unavailable" if fault.status == 503 else f"Emulated error {fault.status}"
        payload = json.dumps({"messages": [message]}).encode()
        content_type = b"application/json; charset=utf-8"
    headers = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode())]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _json_or_none(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
