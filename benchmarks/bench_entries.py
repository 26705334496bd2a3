"""The entries window: opening a day of 50 entries, and a month of paging, next to a bare table.

Offscreen Qt (``QT_QPA_PLATFORM=offscreen``), the app's own ``ui.entries_window.EntriesWindow``
over an in-memory service (tests/ui/entries_fake.py's ``FakeEntries``, every load answering
after ``--latency`` ms, as a server would):

* open 50: from ``set_load`` of a day of 50 entries (mixed categories, one running) to the
  event queue empty again, the table, the timeline and the totals painted into the offscreen
  backing store; median of ``--repeats``. Baseline, same run: a bare ``QTableView`` over a
  ``QStandardItemModel`` of the same 50 rows x 6 texts, reset and painted.
* paging: 30 "previous day" clicks, one every 20 ms (faster than anyone pages), each day's load
  answering after ``--latency`` ms; the worst stall of the UI thread meanwhile, read by a 1 ms
  probe timer (the longest gap between its ticks), until the last day shows. Baseline: the same
  probe over the same span with nothing else going on.

Budgets: open 50 under 100 ms (a blink), worst paging stall under 50 ms; exit code 1 when over.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_entries.py [--repeats 7] [--latency 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests"))

OPEN_BUDGET_MS = 100.0
STALL_BUDGET_MS = 50.0
DAY = date(2025, 10, 21)


def fifty(day: date) -> list:
    from ui.entries_fake import LOGIN, REVIEW, TRIAGE, WEEKLY, at, entry

    tasks = (LOGIN, REVIEW, TRIAGE, WEEKLY)
    rows, start = [], at(day, 0, 10)
    for i in range(50):
        stop = start + timedelta(minutes=12)
        rows.append(entry(1000 + i, tasks[i % 4], start, None if i == 49 else stop, f"コメント {i}"))
        start = stop + timedelta(minutes=2)
    return rows


def drain(app) -> None:
    from PySide6.QtCore import QEventLoop

    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def open_fifty(app, window, loads, repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        load = loads[i % 2]
        t0 = time.perf_counter()
        window.set_load(load)
        window.repaint()
        drain(app)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bare_table(app, rows, repeats: int) -> list[float]:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    view, model = QTableView(), QStandardItemModel()
    view.setModel(model)
    view.resize(820, 560)
    view.show()
    drain(app)
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model.clear()
        for e in rows:
            model.appendRow([QStandardItem(t) for t in (e.task.title, e.task.team_name, e.started_at.strftime("%H:%M"),
                                                        "", "0:12", e.comment or "")])
        view.repaint()
        drain(app)
        out.append((time.perf_counter() - t0) * 1000)
    view.close()
    return out


async def worst_stall(app, action, until, limit: float = 20.0) -> float:
    """The longest gap between ticks of a 1 ms timer while ``action`` runs, until ``until()``."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(1)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()
    start = time.perf_counter()
    await action()
    while not until() and time.perf_counter() - start < limit:
        await asyncio.sleep(0.005)
    probe.stop()
    ticks = [start, *ticks, time.perf_counter()]
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) * 1000


async def main_async(app, args) -> int:
    from ui.entries_fake import FakeDayLoad, FakeEntries, at

    from timecrowd_tray.ui.entries_window import EntriesWindow

    fake = FakeEntries(now=at(DAY, 23, 0))
    latency = args.latency / 1000

    async def slow_load(day):
        fake.loads.append(day)
        await asyncio.sleep(latency)
        return FakeDayLoad(day, fifty(day))

    fake.load_day = slow_load  # type: ignore[method-assign]
    window = EntriesWindow(fake, now=lambda: fake.now, start_task=lambda task: None)
    window.resize(820, 560)
    window.show()
    drain(app)
    loads = [FakeDayLoad(DAY, fifty(DAY)), FakeDayLoad(DAY, fifty(DAY)[:49])]
    window.set_load(loads[0])
    drain(app)
    opened = open_fifty(app, window, loads, args.repeats)
    bare = bare_table(app, fifty(DAY), args.repeats)

    target = DAY - timedelta(days=30)

    async def page() -> None:
        for _ in range(30):
            window.navigator.previous()
            await asyncio.sleep(0.02)

    paging = await worst_stall(app, page, lambda: window.day == target and window.table_model.rowCount() == 50)
    span = 30 * 0.02 + latency

    async def idle() -> None:
        await asyncio.sleep(span)

    baseline = await worst_stall(app, idle, lambda: True)
    loaded = len(set(fake.loads))
    window.shutdown()

    open_ms, bare_ms = statistics.median(opened), statistics.median(bare)
    print(f"open a day of 50 entries   {open_ms:7.1f} ms   (bare QTableView, same rows: {bare_ms:6.1f} ms)"
          f"   budget {OPEN_BUDGET_MS:.0f} ms")
    print(f"30 days paged, worst stall {paging:7.1f} ms   (idle loop, same span:       {baseline:6.1f} ms)"
          f"   budget {STALL_BUDGET_MS:.0f} ms; {loaded} loads started, the last day shown")
    return 0 if open_ms <= OPEN_BUDGET_MS and paging <= STALL_BUDGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--latency", type=float, default=40.0, help="ms each day's load takes")
    args = parser.parse_args()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(main_async(app, args))


if __name__ == "__main__":
    sys.exit(main())
