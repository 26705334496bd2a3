"""Fault injection for the /api routes: latency, error statuses, dropped
connections and truncated bodies.

One-shot faults (``fail_next``, ``drop_next``, ``malformed_next``) queue up in
call order and each answers exactly one /api request; latency applies to every
/api request, faulted or not. OAuth and admin routes are never faulted.

What each fault does to the request:

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


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised in-process where a real server would have closed the socket."""


@dataclass(frozen=True)
class _Fault:
    kind: str  # "fail" | "drop" | "malformed"
    status: int = 200
    retry_after: float | int | None = None
    html: bool = False


class Faults:
    """Thread-safe fault settings shared by the middleware and the tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[_Fault] = deque()
        self._latency = 0.0

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

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._latency = 0.0

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def take(self) -> tuple[float, _Fault | None]:
        with self._lock:
            return self._latency, (self._queue.popleft() if self._queue else None)

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency": self._latency,
                "pending": [
                    {"kind": f.kind, "status": f.status, "retry_after": f.retry_after, "html": f.html}
                    for f in self._queue
                ],
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


def _abort_connection(scope: Scope) -> bool:
    with _transports_lock:
        transport = _transports.get(_key(scope.get("server"), scope.get("client")))
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
                # Let uvicorn notice the disconnect so it sends nothing itself.
                for _ in range(3):
                    await asyncio.sleep(0)
                return
            raise ConnectionDropped("Server disconnected without sending a response.")
        else:
            await self.app(scope, replay, _Truncating(send))


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
