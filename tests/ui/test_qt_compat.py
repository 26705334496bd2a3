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


def test_modules_imported_after_the_binding_leave_no_source_in_memory(tmp_path):
    """PySide6 reads each later import's source; with the work-around nothing stays in linecache,
    and the binding still learns which modules mention PySide6 (its ``__feature__`` bookkeeping)."""
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\nVALUE = 1\n")
    (tmp_path / "plain.py").write_text("VALUE = 2\n" + "# filler line\n" * 2000)
    code = textwrap.dedent(f"""
        import sys, linecache
        sys.path.insert(0, {str(tmp_path)!r})
        from timecrowd_tray.ui.qt_compat import stop_module_source_caching
        assert stop_module_source_caching() is {{workaround}}
        import PySide6.QtCore
        import uses_qt, plain
        feature = sys.modules["shibokensupport.feature"]
        cached = [name for name in linecache.cache if name.endswith(("uses_qt.py", "plain.py"))]
        print(feature.pyside_feature_dict.get("uses_qt"), feature.pyside_feature_dict.get("plain"), len(cached))
    """)
    with_fix = subprocess.run([sys.executable, "-c", code.replace("{workaround}", "True")],
                              capture_output=True, text=True, timeout=120)
    assert with_fix.returncode == 0, with_fix.stderr[-2000:]
    assert with_fix.stdout.split() == ["0", "-1", "0"]
    # Without it the sources stay cached: what the work-around is for (and proof the check can fail).
    without = subprocess.run([sys.executable, "-c", code.replace(
        "assert stop_module_source_caching() is {workaround}", "pass")], capture_output=True, text=True,
        timeout=120)
    assert without.returncode == 0, without.stderr[-2000:]
    assert without.stdout.split() == ["0", "-1", "2"]
