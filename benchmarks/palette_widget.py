"""Per-keystroke cost of the real palette window (offscreen), for benchmarks/run_all.py.

bench_palette.py times the fuzzy ranking alone; a user waits for more: the
key event, the line edit, the ranking, the list model reset and the repaint.
This builds the app's own ``ui.palette.Palette`` with 10,000 cached tasks
(bench_palette's ``make_tasks``) under ``QT_QPA_PLATFORM=offscreen``, types
bench_palette's ``SESSIONS`` into it with QTest (one key per character,
Backspace for the shrinking session, a paste for the "paste" session) and times
each keystroke until the event queue is empty again (the repaint into the
offscreen backing store included; on a real screen the X server's share is not).

Baseline: the same keystrokes into a bare QLineEdit above an empty QListView in
a window of the same size (what Qt costs per keystroke with no filtering).

Prints one JSON object: ``{"palette": [worst ms per run], "bare": [...], "keystrokes": N}``;
the worst keystroke of a run is the slowest keystroke's median over ``--repeats``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/palette_widget.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_palette import SESSIONS, make_tasks  # noqa: E402


def _actions(queries: list[str]) -> list[tuple[str, str]]:
    """The keystrokes that turn "" into each query in turn: ("type", ch), ("back", ""), ("paste", text)."""
    actions, previous = [], ""
    for q in queries:
        if q.startswith(previous) and len(q) == len(previous) + 1:
            actions.append(("type", q[-1]))
        elif previous.startswith(q) and len(q) == len(previous) - 1:
            actions.append(("back", ""))
        else:
            actions.append(("paste", q))
        previous = q
    return actions


def _measure(field, app, sessions: dict[str, list[str]], repeats: int,  # noqa: ANN001
             detail: list[tuple[str, float]] | None = None) -> float:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest

    def type_char(ch: str) -> None:
        # A key event carrying the character (QTest.keyClicks only knows ASCII; a Japanese
        # character comes from an input method, but reaches QLineEdit as text just the same).
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))

    per_key: list[list[float]] = []
    for _ in range(repeats):
        k = 0
        for queries in sessions.values():
            field.clear()
            app.processEvents()
            for kind, text in _actions(queries):
                start = time.perf_counter()
                if kind == "type":
                    type_char(text)
                elif kind == "back":
                    QTest.keyClick(field, Qt.Key.Key_Backspace)
                else:
                    field.selectAll()
                    field.insert(text)
                app.processEvents()
                elapsed = (time.perf_counter() - start) * 1000.0
                if len(per_key) <= k:
                    per_key.append([])
                per_key[k].append(elapsed)
                k += 1
    medians = [statistics.median(samples) for samples in per_key]
    if detail is not None:
        labels = [q for queries in sessions.values() for q in queries]
        detail[:] = list(zip(labels, medians))
    return max(medians)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--verbose", action="store_true", help="each keystroke's median on standard error")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QVBoxLayout, QWidget

    from timecrowd_tray.ui.palette import Palette
    from timecrowd_tray.ui.qt_compat import guard_none_refcount

    guard_none_refcount()  # as the app does first thing (PySide6 6.12.0 on Python 3.11)
    app = QApplication(sys.argv[:1])
    palette = Palette(search=None)
    palette.set_tasks(make_tasks(args.tasks))

    bare = QWidget()
    layout = QVBoxLayout(bare)
    bare_field = QLineEdit()
    layout.addWidget(bare_field)
    layout.addWidget(QListView(), 1)
    bare.resize(palette.size())

    def timed(window: QWidget, field: QLineEdit, repeats: int, detail: list | None = None) -> float:
        # One window at a time: the palette hides itself when another window takes the focus.
        window.show()
        window.activateWindow()
        field.setFocus()
        app.processEvents()
        try:
            worst = _measure(field, app, SESSIONS, repeats, detail)
            if not window.isVisible():
                raise RuntimeError(f"{window.objectName() or 'window'} was hidden during the measurement")
            return worst
        finally:
            window.hide()
            app.processEvents()

    keystrokes = sum(len(q) for q in SESSIONS.values())
    timed(palette, palette.field, 1)  # warm-up: first paints, font and glyph caches
    timed(bare, bare_field, 1)
    result: dict[str, list[float] | int] = {"palette": [], "bare": [], "keystrokes": keystrokes}
    for _ in range(args.runs):
        detail: list[tuple[str, float]] = []
        result["palette"].append(timed(palette, palette.field, args.repeats, detail))  # type: ignore[union-attr]
        if args.verbose:
            print("  ".join(f"{q!r}:{ms:.1f}" for q, ms in detail), file=sys.stderr)
        result["bare"].append(timed(bare, bare_field, args.repeats))  # type: ignore[union-attr]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
