"""Hold the emulator's latency fault on a gate instead of a timer, so tests can see it without timing it.

:class:`LatencyGate` stands in for ``asyncio.sleep`` inside
:mod:`timecrowd_tray.emulator.fault_middleware` only (everything else there, and every
other module, keeps the real asyncio). Each injected delay is recorded in
:attr:`LatencyGate.delays`; while the gate is shut, a delayed request stays
held (its connection open) until :meth:`LatencyGate.release`. The gate works
from any thread and any event loop (the in-process app, or the uvicorn thread
of :class:`EmulatorServer`).

    gate = LatencyGate.install(monkeypatch)           # shut: delayed requests wait
    gate = LatencyGate.install(monkeypatch, open=True)  # open: delays are only recorded
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from timecrowd_tray.emulator import fault_middleware as _fault_middleware

_real_sleep = asyncio.sleep
# How often a held request looks at the gate: yields to its loop in between, so the loop keeps serving.
_POLL = 0.001


class _AsyncioWithGate:
    """The asyncio module as ``fault_middleware`` sees it, with ``sleep`` going through the gate."""

    def __init__(self, gate: LatencyGate) -> None:
        self._gate = gate

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        return await self._gate.sleep(delay, result)


class LatencyGate:
    def __init__(self, *, open: bool = False) -> None:  # noqa: A002 - reads naturally at the call site
        self._open = threading.Event()
        if open:
            self._open.set()
        self._lock = threading.Lock()
        self.delays: list[float] = []
        self._held = 0

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch, *, open: bool = False) -> LatencyGate:  # noqa: A002
        gate = cls(open=open)
        monkeypatch.setattr(_fault_middleware, "asyncio", _AsyncioWithGate(gate))
        return gate

    @property
    def held(self) -> int:
        """How many requests are being delayed right now."""
        with self._lock:
            return self._held

    def release(self) -> None:
        """Let every held request (and every later one) through."""
        self._open.set()

    async def sleep(self, delay: float, result: Any = None) -> Any:
        if delay <= 0:  # the middleware's own yields (sleep(0)) are not latency
            return await _real_sleep(0, result)
        with self._lock:
            self.delays.append(delay)
            self._held += 1
        try:
            while not self._open.is_set():
                await _real_sleep(_POLL)
        finally:
            with self._lock:
                self._held -= 1
        return result
