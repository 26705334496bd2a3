"""A diagnostic log of what wakes the UI thread: every timer and socket event, named (benchmarks only).

    TIMECROWD_TRAY_WAKE_TRACE=/tmp/wake.log timecrowd-tray ...

Off unless that variable names a file. Then an application event filter appends one line per
timer event and socket activation delivered on the UI thread, with its monotonic time and what
it was for: a QTimer (its parent's class, its object name, its interval), a Qt single-shot, an
asyncio delayed callback (:mod:`.event_loop` names its callback), a socket notifier (its fd). Each
line is written during a wake-up that happens anyway: the trace adds none of its own.
``benchmarks/bench_wakeups.py`` reads the file and counts each source over its window.
"""

from __future__ import annotations

import os
import time
from typing import IO, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer, QTimerEvent

WAKE_TRACE_ENV = "TIMECROWD_TRAY_WAKE_TRACE"


def describe_callback(callback: Any) -> str:
    """``module.qualname`` of a callback (a bound method's function, a partial's target)."""
    target = getattr(callback, "func", callback)  # functools.partial
    target = getattr(target, "__func__", target)  # bound method
    module = getattr(target, "__module__", "") or ""
    name = getattr(target, "__qualname__", None) or type(target).__name__
    text = f"{module}.{name}" if module else str(name)
    task = getattr(getattr(callback, "__self__", None), "_task", None)  # asyncio.timeout(): whose
    coro = task.get_coro() if task is not None and hasattr(task, "get_coro") else None
    if coro is not None:
        text += f" in {getattr(coro, '__qualname__', coro)}"
    return text


class WakeTrace(QObject):
    """Logs timer and socket events of the UI thread to ``out`` (see the module docstring)."""

    def __init__(self, out: IO[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._out = out

    def note(self, kind: str, what: str) -> None:
        self._out.write(f"{time.monotonic():.3f}\t{kind}\t{what}\n")
        self._out.flush()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Timer and isinstance(event, QTimerEvent):
            describe = getattr(obj, "describe_timer", None)
            if describe is not None:  # the asyncio loop's delayed callbacks name themselves
                what = describe(event.timerId())
                if what is not None:
                    self.note("asyncio", what)
            elif isinstance(obj, QTimer):
                parent = obj.parent()
                owner = type(parent).__name__ if parent is not None else "-"
                self.note("qtimer", f"{owner}.{obj.objectName() or '?'} every {obj.interval()} ms")
            else:
                self.note("timer", f"{type(obj).__name__}/{obj.metaObject().className()}")
        elif kind == QEvent.Type.SockAct and isinstance(obj, QSocketNotifier):
            self.note("socket", f"fd {obj.socket()} ({obj.type().name})")
        return False


def install_from_env(app: QCoreApplication) -> WakeTrace | None:
    """Start the trace when ``$TIMECROWD_TRAY_WAKE_TRACE`` names a file; None otherwise."""
    path = os.environ.get(WAKE_TRACE_ENV)
    if not path:
        return None
    trace = WakeTrace(open(path, "a", encoding="utf-8"), app)  # noqa: SIM115 - open for the app's life
    app.installEventFilter(trace)
    return trace
