"""The asyncio loop on Qt's event loop (qasync), whose cancelled timers do not wake the process.

qasync runs each ``call_later`` as a Qt timer and, when the handle is cancelled, still lets that
timer fire (the callback is skipped then). Every HTTP request arms timeouts it cancels as soon as
the answer is in (httpx/anyio's connect and read timeouts, the client's own deadline), so each poll
left three or four wake-ups behind it, 5, 15 and 30 s later: most of an idle app's wake-ups.
:class:`QuietEventLoop` kills the Qt timer when its handle is cancelled.

Its timers are precise ones, rounded up to the next millisecond: Qt's default "coarse" timer may
fire up to 5 % early (1.5 s for a 30 s poll), and asyncio's callbacks must not run before their
time; a wait that ended early was waited again for the rest, one more wake-up a poll.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
from collections.abc import Callable
from typing import Any

import qasync
from PySide6.QtCore import QObject, Qt, QTimerEvent


class _CancellableHandle(asyncio.Handle):
    __slots__ = ("_on_cancel",)

    def __init__(self, callback: Callable[..., object], args: tuple[Any, ...], loop: asyncio.AbstractEventLoop,
                 context: contextvars.Context | None) -> None:
        super().__init__(callback, args, loop, context=context)
        self._on_cancel: Callable[[], None] | None = None

    def cancel(self) -> None:
        if not self._cancelled:
            super().cancel()
            on_cancel, self._on_cancel = self._on_cancel, None
            if on_cancel is not None:
                on_cancel()


class _Timers(QObject):
    """One Qt timer per delayed callback; killed when it fires or when its handle is cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self._handles: dict[int, _CancellableHandle] = {}

    def add(self, handle: _CancellableHandle, delay: float) -> _CancellableHandle:
        timer_id = self.startTimer(math.ceil(max(0.0, delay) * 1000), Qt.TimerType.PreciseTimer)
        self._handles[timer_id] = handle
        handle._on_cancel = lambda: self._kill(timer_id)
        return handle

    def _kill(self, timer_id: int) -> None:
        if self._handles.pop(timer_id, None) is not None:
            self.killTimer(timer_id)

    def timerEvent(self, event: QTimerEvent) -> None:  # noqa: N802
        timer_id = event.timerId()
        self.killTimer(timer_id)
        handle = self._handles.pop(timer_id, None)
        if handle is not None and not handle._cancelled:
            handle._on_cancel = None
            handle._run()

    def stop(self) -> None:
        for timer_id in list(self._handles):
            self._kill(timer_id)

    def pending(self) -> int:
        return len(self._handles)

    def describe_timer(self, timer_id: int) -> str | None:
        """What the timer ``timer_id`` runs (the wake-up trace, :mod:`.wake_trace`), if it is one of these."""
        handle = self._handles.get(timer_id)
        if handle is None:
            return None
        from .wake_trace import describe_callback

        return describe_callback(handle._callback)


class QuietEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop, with delayed callbacks whose cancellation stops their timer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._delayed = _Timers()

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any,
                   context: contextvars.Context | None = None) -> asyncio.Handle:
        if delay <= 0:  # call_soon: qasync's own path (a 0 ms timer, never cancelled late)
            return super().call_later(delay, callback, *args, context=context)
        if asyncio.iscoroutinefunction(callback) or not callable(callback):
            raise TypeError("call_later needs a plain callable")
        return self._delayed.add(_CancellableHandle(callback, args, self, context), delay)

    def call_at(self, when: float, callback: Callable[..., object], *args: Any,
                context: contextvars.Context | None = None) -> asyncio.Handle:
        return self.call_later(when - self.time(), callback, *args, context=context)

    def pending_timers(self) -> int:
        """Delayed callbacks still armed (tests: a cancelled one is not)."""
        return self._delayed.pending()

    def close(self) -> None:
        self._delayed.stop()
        super().close()
