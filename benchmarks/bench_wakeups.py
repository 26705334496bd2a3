"""Wake-ups of the app, idle and with a timer running, every thread, next to a bare tray app, from /proc.

    .venv/bin/python benchmarks/bench_wakeups.py [--window 120] [--settle 20] [--quick]

One session, as benchmarks/run_all.py sets it up (and with its pieces): a virtual screen with a
real tray host (Xvfb + trayer), the TimeCrowd emulator in its own process on 127.0.0.1 (its
threads are not the app's), a private gnome-keyring holding the demo token, and the app started
as a user starts it, ``timecrowd-tray --api-base URL``. Beside it, the whole time, the bare tray
app (``benchmarks/bare_tray.py``): the baseline, measured over the same windows.

Two windows, the menu closed and nothing touched: **idle** (no timer) and **running** (the latest
task started through the shell's ``toggle``, before the window). A wake-up is a voluntary context
switch (a thread blocked, then woke: timers, sockets, X events alike), counted for every thread
of both processes from ``/proc/PID/task/TID/status``. The app runs with
``TIMECROWD_TRAY_WAKE_TRACE`` (``ui/wake_trace.py``), which names each timer and socket event of
its UI thread; the bursts of that trace (events closer than 50 ms are one wake-up) give the
causes, printed beside the counts.

The wake-ups a running timer has, each with its reason (:data:`ACCOUNTED`, per minute):
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import _proc  # noqa: E402
import run_all  # noqa: E402

BUDGET_PER_MIN = 5.0
BURST_S = 0.05  # trace events closer than this belong to one wake-up

#: (source, per minute while a timer runs, why it is there)
ACCOUNTED = (
    ("the icon's minute tick, with the poll riding on it", 1.0,
     "the ring shows the elapsed minutes: one repaint at each whole minute, and the tray asks for the "
     "poll of the running entry then (ui/tray.py; the poller's own 90 s schedule never comes first)"),
    ("the poll's answer", 1.0, "the server's answer arrives a few ms later: the loop blocked in between"),
    ("the idle watcher", 1.0, "services/idle_watch.py: at most one look at the idle time a minute while "
     "tracking, usually one per idle threshold (10 min)"),
    ("the X server's events about the new icon", 2.0,
     "after each minute repaint the X server and the tray host answer: the QXcbEventQueue thread reads "
     "them, then wakes the UI thread for them (the baseline has this thread too)"),
)
NOT_STEADY = (
    "Qt's pixmap cache (QPMCache) trims itself every 10-30 s after windows or the menu drew, until it is "
    "empty: 2-3 a minute for a few minutes after start-up or a menu, none in a steady state",
    "idle (no timer): the poll every poll_interval (30 s by default), its timer and its answer: 4 a minute; "
    "nothing else ticks",
)
__doc__ += "".join(f"\n* {name}: {rate:g} a minute ({why});" for name, rate, why in ACCOUNTED) + "\n\nAnd:\n"
__doc__ += "".join(f"\n* {note}." for note in NOT_STEADY) + "\n"


def wait_state(state: str, timeout: float = 30.0) -> None:
    """Until the app says ``state`` with nothing waiting to be sent (asked over its control socket)."""
    deadline = time.monotonic() + timeout
    while True:
        status = (run_all.control("status") or {}).get("status") or {}
        if status.get("state") == state and not status.get("pending"):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the app is not {state} after {timeout:g} s: {status}")
        time.sleep(0.1)  # a condition polled, with a bound


def trace_causes(path: Path, since: float, until: float) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """The UI thread's trace between ``since`` and ``until``: the first event of each burst (the
    wake-up's cause), and the events that came inside those bursts (what else ran then)."""
    causes: collections.Counter[str] = collections.Counter()
    riders: collections.Counter[str] = collections.Counter()
    last = -1.0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp, _, rest = line.partition("\t")
        try:
            t = float(stamp)
        except ValueError:
            continue
        what = rest.replace("\t", " ")
        if since <= t <= until:
            (causes if t - last > BURST_S else riders)[what] += 1
        last = t
    return causes, riders


def measure(pids: dict[str, int], seconds: float) -> tuple[dict[str, _proc.Window], float, float, float]:
    before = {key: _proc.threads(pid) for key, pid in pids.items()}
    t0 = time.monotonic()
    time.sleep(seconds)  # the measuring window itself: nothing to wait for, on purpose
    t1 = time.monotonic()
    windows = {key: _proc.window(before[key], _proc.threads(pid)) for key, pid in pids.items()}
    return windows, t0, t1, t1 - t0


def report(label: str, windows: dict[str, _proc.Window], elapsed: float,
           trace: tuple[collections.Counter[str], collections.Counter[str]]) -> None:
    def rate(n: float) -> str:
        return f"{n * 60.0 / elapsed:5.1f}"

    app, base = windows["app"], windows["base"]
    print(f"{label}: app {rate(app.switches)} / min, baseline {rate(base.switches)} / min "
          f"(all threads, {elapsed:.0f} s)")
    for key, w in (("app", app), ("baseline", base)):
        threads = ", ".join(f"{name} {rate(n).strip()}" for name, n in w.by_thread.items()) or "none"
        print(f"    {key} by thread: {threads}" + (f" ({w.threads_gone} ended)" if w.threads_gone else ""))
    causes, riders = trace
    print("    app's UI thread, by cause (the first event of each burst of the trace):")
    for what, n in causes.most_common() or [("nothing", 0)]:
        print(f"      {rate(n)}  {what}")
    if riders:
        inside = ", ".join(f"{what} {rate(n).strip()}" for what, n in riders.most_common())
        print(f"      within those bursts: {inside}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="See the module's docstring for what is counted.")
    parser.add_argument("--window", type=float, default=120.0, help="seconds measured in each state")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds after a change before measuring")
    parser.add_argument("--quick", action="store_true", help="a smoke check: 20 s windows, 5 s settle")
    args = parser.parse_args(argv)
    window, settle = (20.0, 5.0) if args.quick else (args.window, args.settle)

    from support.tools import missing
    from support.virtual_screen import VirtualScreen

    absent = missing(*run_all.TOOLS)
    if absent:
        print(f"bench_wakeups needs {', '.join(absent)}", file=sys.stderr)
        return 2
    results: dict[str, tuple[dict[str, _proc.Window], float]] = {}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tct-wake-")))
        stack.enter_context(run_all.keyring_session(tmp))
        emulator = run_all.Emulator()
        stack.callback(emulator.close)
        login = subprocess.run([*run_all.app_argv(emulator.url), "login", "--with-token"], input=emulator.token,
                               env=dict(os.environ), capture_output=True, text=True, timeout=60)
        if login.returncode != 0:
            raise RuntimeError(f"login failed ({login.returncode}): {login.stdout}{login.stderr}")
        screen = stack.enter_context(VirtualScreen())
        screen.start_tray()
        trace = tmp / "wake-trace.log"
        base = run_all.Child("baseline", [run_all.PY, str(HERE / "bare_tray.py")], screen.env())
        stack.callback(base.stop)
        base.wait_line(lambda line: line == "ready", 30, "ready line")
        env = {**run_all.app_env(screen), "TIMECROWD_TRAY_WAKE_TRACE": str(trace)}
        app = run_all.Child("app", run_all.app_argv(emulator.url), env)
        stack.callback(app.stop)
        wait_state("running" if emulator.my_running() else "idle", 60)
        if emulator.my_running():
            run_all.control("stop")
            wait_state("idle")
        pids = {"app": app.pid, "base": base.pid}
        for label, command in (("idle, menu closed", None), ("a timer running, menu closed", "toggle")):
            if command is not None:
                answer = run_all.control(command)
                if not (answer or {}).get("ok", True):
                    raise RuntimeError(f"{command}: {answer}")
                wait_state("running")
            run_all.log(f"{label}: settling {settle:g} s, then {window:g} s measured")
            time.sleep(settle)  # start-up's and the change's one-off work is not idle cost
            app.alive()
            windows, t0, t1, elapsed = measure(pids, window)
            results[label] = (windows, elapsed)
            report(label, windows, elapsed, trace_causes(trace, t0, t1))
            print()
    running_windows, running_elapsed = results["a timer running, menu closed"]
    running = running_windows["app"].switches * 60.0 / running_elapsed
    print("Accounted wake-ups while a timer runs (budget "
          f"{BUDGET_PER_MIN:g} a minute, all threads): {sum(rate for _, rate, _ in ACCOUNTED):g} a minute")
    for name, per_min, why in ACCOUNTED:
        print(f"  {per_min:g}/min  {name}: {why}")
    for note in NOT_STEADY:
        print(f"  (not counted above) {note}")
    verdict = "pass" if running <= BUDGET_PER_MIN else "MISS"
    print(f"Measured with a timer running: {running:.1f} a minute: {verdict}")
    return 0 if verdict == "pass" else 1


if __name__ == "__main__":
    sys.exit(main())
