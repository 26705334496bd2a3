"""The app's asyncio loop: a cancelled timeout stops its Qt timer (no wake-up at its deadline)."""

from __future__ import annotations

import asyncio

import pytest

from timecrowd_tray.ui.event_loop import _CancellableHandle, _Timers


@pytest.fixture
def loop():
    """The loop the handles belong to (only their context and error handler are used: Qt runs them)."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_a_cancelled_delayed_callback_leaves_no_timer_armed(qtbot, loop):
    timers = _Timers()
    ran: list[str] = []
    kept = timers.add(_CancellableHandle(lambda: ran.append("kept"), (), loop, None), 0.05)
    cancelled = timers.add(_CancellableHandle(lambda: ran.append("cancelled"), (), loop, None), 30.0)
    assert timers.pending() == 2
    cancelled.cancel()  # what asyncio.timeout() does once the awaited answer is in
    assert timers.pending() == 1  # qasync's own loop keeps it armed until its 30 s deadline
    qtbot.waitUntil(lambda: ran == ["kept"], timeout=2000)
    assert timers.pending() == 0 and not kept.cancelled()
    timers.stop()



def test_the_wake_trace_names_each_timer_that_fires(qtbot, tmp_path, loop):
    """TIMECROWD_TRAY_WAKE_TRACE's log (benchmarks/bench_wakeups.py): which delayed callback or QTimer woke
    the UI thread."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from timecrowd_tray.ui.wake_trace import WakeTrace

    log_path = tmp_path / "wake.log"
    app = QApplication.instance()
    with log_path.open("w", encoding="utf-8") as out:
        trace = WakeTrace(out)
        app.installEventFilter(trace)
        try:
            timers = _Timers()
            ran: list[str] = []

            def poll_due() -> None:
                ran.append("poll")

            timers.add(_CancellableHandle(poll_due, (), loop, None), 0.01)
            minute = QTimer()
            minute.setObjectName("minute_timer")
            minute.setSingleShot(True)
            minute.timeout.connect(lambda: ran.append("minute"))
            minute.start(20)
            qtbot.waitUntil(lambda: sorted(ran) == ["minute", "poll"], timeout=2000)
        finally:
            app.removeEventFilter(trace)
    lines = [line.split("\t")[1:] for line in log_path.read_text(encoding="utf-8").splitlines()]
    assert ["asyncio", f"{__name__}.test_the_wake_trace_names_each_timer_that_fires.<locals>.poll_due"] in lines
    assert ["qtimer", "-.minute_timer every 20 ms"] in lines


def test_a_delayed_callback_never_runs_before_its_time(qtbot, loop):
    """asyncio's rule (a coarse Qt timer may fire 5 % early: the poller then waited again, one more wake-up)."""
    import time

    timers = _Timers()
    early: list[float] = []
    done: list[float] = []
    for delay in (0.131, 0.27, 0.513):
        due = time.monotonic() + delay

        def ran(due: float = due) -> None:
            now = time.monotonic()
            done.append(now)
            if now < due:
                early.append(due - now)

        timers.add(_CancellableHandle(ran, (), loop, None), delay)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=3000)
    assert early == []
    timers.stop()
