"""The faults queued for the /api routes: latency, error statuses, dropped
connections, truncated, huge or withheld answers.

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

This module is the queue of faults (what the tests and the admin route ask
for). ``fault_middleware.py`` applies them to the requests, with the stand-in
answers of ``fault_answers.py`` and the connection registry of
``connections.py``; a new kind of fault touches all of them.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

import httpx

#: Upper bound of any hold (``blackhole_next``, ``stall_after_headers_next``), in seconds.
MAX_HOLD = 600.0
#: Default hold of ``blackhole_next`` and ``stall_after_headers_next``, in seconds.
DEFAULT_HOLD = 60.0
#: Default and upper bound of the body size of ``huge_next``, in bytes.
DEFAULT_HUGE_SIZE = 50 * 1024 * 1024
MAX_HUGE_SIZE = 1024 * 1024 * 1024


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
        """Apply a /_emulator/faults body (clear first, then the rest in order).

        A key it does not know is a ValueError before anything is applied: a misspelt fault that
        did nothing would let a test pass for the wrong reason.
        """
        unknown = sorted(set(body) - ADMIN_KEYS - {"revoke_token"})
        if unknown:
            raise ValueError(f"unknown keys {', '.join(map(repr, unknown))} (known: {', '.join(sorted(ADMIN_KEYS))})")
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


#: The keys of a /_emulator/faults body that :meth:`Faults.apply_admin` applies (the admin route
#: itself takes "revoke_token").
ADMIN_KEYS = frozenset({"clear", "latency", "stall", "fail_next", "drop_next", "malformed_next", "blackhole_next",
                        "huge_next", "stall_after_headers_next"})


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
