"""The ASGI middleware that puts the queued faults (``faults.py``) on the /api requests.

Every /api request is logged on the state first (``state.requests``), then held
for the latency, then answered as its fault says. OAuth and admin routes pass
through untouched.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from .connections import abort_connection, connection_over, let_uvicorn_notice, transport_of
from .fault_answers import Captured, Truncating, send_failure, send_huge
from .faults import ConnectionDropped

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from .store import EmulatorState

# How often a held request looks whether its connection or the server went away.
_HOLD_POLL = 0.05


class FaultMiddleware:
    """Pure ASGI middleware that applies the queued faults to /api requests (logging each first)."""

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
            await send_failure(send, fault)
        elif fault.kind == "drop":
            if abort_connection(scope):
                await let_uvicorn_notice()
                return
            raise ConnectionDropped("Server disconnected without sending a response.")
        elif fault.kind == "malformed":
            await self.app(scope, replay, Truncating(send))
        elif fault.kind == "blackhole":
            await self.app(scope, replay, Captured())  # applied; the answer is thrown away
            over_socket = transport_of(scope) is not None
            if await self._hold(scope, receive, fault.seconds) == "disconnected":
                return
            if over_socket:
                if abort_connection(scope):
                    await let_uvicorn_notice()
                return
            raise ConnectionDropped("Server disconnected without sending a response.")
        elif fault.kind == "huge":
            answer = Captured()
            await self.app(scope, replay, answer)
            await send_huge(scope, send, answer.body, fault)
        elif fault.kind == "stall_after_headers":
            answer = Captured()
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
        transport = transport_of(scope)
        disconnect = asyncio.ensure_future(_until_disconnect(receive))
        self.state.faults._hold_started()
        try:
            while True:
                if disconnect.done():
                    return "disconnected"
                if transport is not None and connection_over(scope, transport):
                    return "disconnected" if transport_of(scope) is not transport else "stopping"
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return "elapsed"
                await asyncio.wait({disconnect}, timeout=min(_HOLD_POLL, remaining))
        finally:
            self.state.faults._hold_ended()
            disconnect.cancel()
            await asyncio.gather(disconnect, return_exceptions=True)



async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass



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
