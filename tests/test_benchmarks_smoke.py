"""The benchmark scripts (benchmarks/, run by `make bench`, never by pytest) still parse and import.

Nothing here times anything or starts a process: it catches a renamed import or
a syntax error before someone runs the ten-minute benchmark.
"""

from __future__ import annotations

import ast
import importlib
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(BENCH.glob("*.py"))


@pytest.fixture
def bench_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_parses(script: Path) -> None:
    ast.parse(script.read_text(encoding="utf-8"), filename=str(script))


@pytest.mark.parametrize("name", ["_common", "_proc", "_xprobe", "run_all", "palette_widget", "bare_tray",
                                  "bench_palette", "bench_service", "bench_entries", "bench_wakeups", "bench_idle",
                                  "day_soak"])
def test_module_imports(name: str, bench_path: None) -> None:
    sys.modules.pop(name, None)
    importlib.import_module(name)


def test_table_prints_in_both_forms(bench_path: None) -> None:
    from _common import Figure, print_table, summary

    figures = [Figure("start-up", "ms", [300.0, 310.0, 290.0], [200.0, 210.0], ("ratio", 1.5)),
               Figure("lag", "ms", [60.0], [1.0], ("below", 50.0)),
               Figure("threads", "", [15], [3])]
    assert [f.verdict() for f in figures] == ["pass", "MISS", ""]
    text: list[str] = []
    print_table(figures, out=text.append)
    assert "300.0 (290.0-310.0)" in text[2]
    markdown: list[str] = []
    print_table(figures, markdown=True, out=markdown.append)
    assert markdown[0].startswith("| measure |") and len(markdown) == 2 + len(figures)
    assert summary([]) == "-" and "(1.000 - 3.000)" in summary([1.0, 2.0, 3.0])


def test_proc_readings_of_this_process(bench_path: None) -> None:
    import _proc

    pid = os.getpid()
    if not Path(f"/proc/{pid}/status").exists():
        pytest.skip("no /proc here")
    assert _proc.rss_mb(pid) > 1 and _proc.peak_rss_mb(pid) >= _proc.rss_mb(pid) * 0.5
    assert _proc.cpu_seconds(pid) > 0 and _proc.thread_count(pid) >= 1
    before = _proc.threads(pid)
    assert (pid, pid) in before and before[(pid, pid)].cpu > 0
    window = _proc.window(before, _proc.threads(pid))
    assert window.cpu >= 0 and window.switches >= 0


def test_run_all_options(bench_path: None, capsys: pytest.CaptureFixture[str]) -> None:
    import run_all

    with pytest.raises(SystemExit) as exc:
        run_all.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--runs", "--quick", "--markdown"):
        assert option in out


def test_run_all_reads_the_entries_bench(bench_path: None) -> None:
    import run_all

    out = ("open a day of 50 entries      20.0 ms   (bare QTableView, same rows:   13.1 ms)   budget 100 ms\n"
           "30 days paged, worst stall     2.9 ms   (idle loop, same span:         14.6 ms)   budget 50 ms; "
           "30 loads started, the last day shown\n")
    assert run_all.parse_entries(out) == {"open": (20.0, 13.1, 100.0), "paging": (2.9, 14.6, 50.0)}
    source = (BENCH / "bench_entries.py").read_text(encoding="utf-8")  # the lines it prints start so
    assert 'f"open a day of 50 entries' in source and 'f"30 days paged, worst stall' in source


def test_palette_keystrokes(bench_path: None) -> None:
    from palette_widget import _actions

    assert _actions(["d", "de"]) == [("type", "d"), ("type", "e")]
    assert _actions(["deploy", "deplo"]) == [("paste", "deploy"), ("back", "")]


def test_day_soak_short(bench_path: None, capsys: pytest.CaptureFixture[str]) -> None:
    """50 cycles of the day soak (the emulator in its own process): it runs, and says what it read."""
    import day_soak

    day_soak.main(["--cycles", "50", "--polls", "60"])  # its verdict on memory is for the full day
    out = capsys.readouterr().out
    assert "timer service: 50 start/stop/comment cycles, 60 polls" in out
    assert "baseline (no-op): 50 start/stop/comment cycles" in out
    assert sum(day_soak.polls_in(cycle, 3, 4) for cycle in range(3)) == 4


def test_wakeup_trace_bursts(bench_path: None, tmp_path: Path) -> None:
    """bench_wakeups.py counts a burst of the UI thread's trace as one wake-up, named by its first event."""
    import bench_wakeups

    trace = tmp_path / "trace.log"
    trace.write_text("10.000\tasyncio\tpoll\n10.010\tsocket\tfd 11 (Read)\n40.000\tqtimer\tminute\n"
                     "99.000\tasyncio\tlate\n", encoding="utf-8")
    causes, riders = bench_wakeups.trace_causes(trace, 0.0, 50.0)
    assert causes == {"asyncio poll": 1, "qtimer minute": 1} and riders == {"socket fd 11 (Read)": 1}


def test_idle_watch_bench_short(bench_path: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Half a simulated minute per situation: it runs and prints its three rows (the verdicts are for `make bench`)."""
    import bench_idle

    bench_idle.main(["--minutes", "0.5"])
    out = capsys.readouterr().out
    for row in ("idle watch: not tracking", "idle watch: tracking, at work", "idle watch: tracking, away"):
        assert row in out
