"""The answers a fault sends instead of the app's: captured, truncated, padded, failed.

Each is a stand-in ``send()`` or a sender that ``fault_middleware.py`` uses for
one kind of fault (see ``faults.py`` for what each kind does).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .connections import abort_connection, connection_over, let_uvicorn_notice, transport_of

if TYPE_CHECKING:
    from starlette.types import Message, Scope, Send

    from .faults import _Fault

_CHUNK = 64 * 1024

_HTML_ERROR = (
    "<!DOCTYPE html>\n<html><head><title>{status} Service Error</title></head>"
    "<body><h1>{status}</h1><p>The server is temporarily unable to service your request."
    "</p></body></html>\n"
)


class Captured:
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


def padding_frame(body: bytes) -> tuple[bytes, bytes, bytes]:
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


async def send_huge(scope: Scope, send: Send, body: bytes, fault: _Fault) -> None:
    prefix, pad, suffix = padding_frame(body)
    padding = max(0, fault.size - len(prefix) - len(suffix))
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if not fault.chunked:
        headers.append((b"content-length", str(len(prefix) + padding + len(suffix)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": prefix, "more_body": True})
    transport = transport_of(scope)
    chunk = pad * _CHUNK  # one chunk object, sent again and again: the emulator never holds the whole body
    while padding > 0:
        if transport is not None and connection_over(scope, transport):
            # The client went away (or the server stops): end the connection, send no more.
            if abort_connection(scope):
                await let_uvicorn_notice()
            return
        piece = chunk if padding >= _CHUNK else chunk[:padding]
        padding -= len(piece)
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": suffix})


class Truncating:
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


async def send_failure(send: Send, fault: _Fault) -> None:
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

