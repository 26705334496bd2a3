"""The guard against PySide6 6.12.0's lost references to None (Python 3.11)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from timecrowd_tray.ui import qt_compat


def test_many_void_calls_do_not_kill_the_interpreter():
    """300,000 void calls (a day of ticking menus and tooltips) and a clean exit."""
    code = textwrap.dedent("""
        from timecrowd_tray.ui.qt_compat import guard_none_refcount
        guard_none_refcount()
        from PySide6.QtCore import QObject
        o = QObject()
        for _ in range(300_000):
            o.setObjectName("x")
        print("alive")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "alive" in result.stdout, result.stderr[-2000:]


def test_guard_only_where_needed():
    assert qt_compat.none_refcount_is_leaky() == (sys.version_info < (3, 12)
                                                  and qt_compat.binding_version() in qt_compat.AFFECTED)
