"""Start-up, memory, idle cost and responsiveness of the tray app, against a bare Qt tray app.

    make bench                                   # = .venv/bin/python benchmarks/run_all.py
    .venv/bin/python benchmarks/run_all.py [--runs N] [--quick] [--markdown]

Not a test (nothing here runs under pytest). One session, all on this machine:

* a virtual screen with a real tray host (tests/support/virtual_screen.py:
  Xvfb + trayer);
* the TimeCrowd emulator in its own process on 127.0.0.1
  (``python -m timecrowd_tray.emulator``), so its CPU and memory are not the
  app's;
* a private D-Bus session bus with an unlocked gnome-keyring
  (tests/secret_service.py), holding the demo token, stored the way a user
  stores theirs: ``timecrowd-tray --api-base URL login --with-token``.

Why not ``--demo``: it runs the emulator inside the app (uvicorn and starlette
in the app's memory, a server thread on its CPU) and signs in with a token in
memory, skipping the keyring. Here the app is started as a user starts it,
``timecrowd-tray --api-base URL``: it restores the sign-in from the keyring and
finds the entry already running on the server (started through the API
before the first launch). Each run starts a fresh app process; the app's data
directory (task cache, outbox) persists across runs, as on a user's machine,
and one unmeasured launch first warms the page cache and the bytecode caches
(cold start after boot is not measured).

The baseline is benchmarks/bare_tray.py: QApplication + QSystemTrayIcon with
an icon drawn from a pixmap, nothing else. It runs beside the app in each
run, on the same screen, so both live through the same conditions.

What each figure is, and how it is taken (all times are CLOCK_MONOTONIC, one
clock for every process on the machine):

* start-up -> icon docked: from just before ``Popen`` to the icon's window
  being inside trayer's panel, viewable, nonzero size (benchmarks/_xprobe.py,
  polled every 5 ms over the benchmark's own X connection, no fixed sleeps).
* start-up -> running state shown: until the docked icon's on-screen pixels
  are the running look (a green disc, read with GetImage). The baseline's
  icon is a disc of the same green, so this is "docked and painted" for it.
* RSS: VmRSS of the process tree after N s (30 s; --quick 5 s), and VmHWM
  (the peak); /proc, summed over every process of the tree. Two more rows,
  reported without a budget: the same figure for ``bare_tray.py --with-stack``
  (the bare tray plus asyncio, qasync and one httpx client: the floor of the
  stack the service layer is built on, started in the app's place beside the
  baseline), and the app's RSS after the click pairs, once the first comment
  dialog has opened (what is loaded at first use rather than at start).
* idle CPU: utime+stime of every thread from /proc/PID/stat over a 60 s window
  (--quick 10 s) with the menu closed, the entry running and nothing touched,
  as a share of one core. Wake-ups: voluntary context switches of every
  thread over the same window, per minute (each is one block + one wake-up:
  timers, sockets, X events alike). Both processes idle side by side.
* click -> request on the wire: an XTEST left click on the docked icon (the
  press's monotonic time, taken just before it is flushed to the X server)
  to the emulator receiving the request (its request log stamps each request
  with time.monotonic() once the body is read; GET /_emulator/state). Stop
  clicks (PATCH .../stop, then the comment dialog opens: default settings;
  the benchmark closes it with Esc) and start clicks (POST .../start of the
  latest task) are reported apart. Baseline: click -> the bare app's
  ``activated`` signal (it prints the monotonic time): what X and Qt cost
  before any app code runs.
* click -> icon repainted: the same click to the first poll (every 1 ms) that
  sees the new look on screen. Baseline: the bare app swaps its icon on click.
* palette: benchmarks/bench_palette.py's measure (FuzzyIndex.search over its
  10,000 tasks, slowest keystroke of its sessions, median of 7 repeats),
  baseline its plain substring filter; and benchmarks/palette_widget.py, the
  real palette window offscreen (key event -> filtered list repainted),
  baseline a bare QLineEdit.
* entries window: benchmarks/bench_entries.py once per run (offscreen): a
  day of 50 entries opened and painted, baseline a bare QTableView of the same
  rows; the worst UI-thread stall while paging 30 days back, baseline the same
  probe over an idle loop. Its budgets are the ones it prints.
* idle watch: benchmarks/bench_idle.py after the table (no screen needed):
  the away-time watcher's wake-ups per minute in compressed time (not
  tracking: 0; tracking, at work or away: at most 1), baseline a 1 s idle
  poller. Its own table; a miss there fails the run (--no-idle skips it).
* loop lag, server stalled 5 s: the app has no lag hook, but its control
  socket (platform/single_instance.py) is served by the Qt event loop and
  answers ``ping`` synchronously, so the time a ping takes is how long the
  loop keeps it waiting. With the emulator delaying every /api request by 5 s
  (POST /_emulator/faults {"latency": 5}), the benchmark clicks stop (its
  request and the poll after it both hang on the server), closes the comment
  dialog, and pings every 10 ms until the stall is over plus 1 s (so the late
  answers are handled inside the window): the worst round trip. The click's
  own handling, before the dialog is closed, is not in this figure: the click
  rows measure it. Baseline: the same pings for 2 s with the server answering
  at once.

Machine noise: the figures are only as quiet as the machine; the load average
before and after is printed with the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import _proc  # noqa: E402
from _common import Figure, print_table  # noqa: E402

PY = sys.executable
APP_CLASS = "timecrowd-tray"     # WM_CLASS class of the app's windows (its application name)
BASE_CLASS = "bare-tray"
FLOOR_CLASS = "stack-floor"
COMMENT_TITLE = "Comment - TimeCrowd Tray"  # the app runs with LANG=C.UTF-8: English titles
TOOLS = ("Xvfb", "xdpyinfo", "trayer", "dbus-daemon", "dbus-send", "gnome-keyring-daemon")
DOUBLE_CLICK_S = 0.5             # two clicks closer than Qt's 400 ms would be a double click
START_TIMEOUT = 60.0
SETTLE_TIMEOUT = 30.0

BUDGET_STARTUP_RATIO = 1.5
BUDGET_RSS_RATIO = 1.5
BUDGET_IDLE_CPU_PCT = 0.5
BUDGET_CLICK_WIRE_MS = 50.0
BUDGET_CLICK_PAINT_MS = 16.0
BUDGET_PALETTE_MS = 10.0
BUDGET_LAG_MS = 50.0
BUDGET_WAKEUPS_MIN = 5.0  # issue 16; benchmarks/bench_wakeups.py names each one


@dataclass
class Plan:
    runs: int
    rss_at: float
    idle: float
    stall: float
    clicks: int          # stop + start pairs per run
    lag_floor: float = 2.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- processes ----------------------------------------------------------------------------------


class Child:
    """A process started now (``t0`` = just before Popen) whose output lines are kept, with arrival times."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.transcript: list[str] = []
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace")
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def wait_line(self, predicate: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.proc.poll() is not None and self.lines.empty():
                raise RuntimeError(f"{self.name}: no {what} after {timeout:g} s; output:\n" + self.tail())
            try:
                _, line = self.lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            self.transcript.append(line)
            if predicate(line):
                return line

    def tail(self, n: int = 40) -> str:
        while not self.lines.empty():
            self.transcript.append(self.lines.get_nowait()[1])
        return "\n".join(self.transcript[-n:])

    def alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; output:\n{self.tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the app quits cleanly on SIGTERM
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Emulator:
    """``python -m timecrowd_tray.emulator`` in its own process, and its API/admin routes."""

    def __init__(self) -> None:
        from timecrowd_tray.emulator import DEMO_TOKEN

        self.token = DEMO_TOKEN
        self.child = Child("emulator", [PY, "-m", "timecrowd_tray.emulator", "--port", "0"], dict(os.environ))
        line = self.child.wait_line(lambda l: "listening on" in l, 30, "emulator URL")
        self.url = line.split()[-1]

    def close(self) -> None:
        self.child.stop()

    def _call(self, method: str, path: str, body: Any = None, token: bool = False) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/state")

    def faults(self, body: dict[str, Any]) -> None:
        self._call("POST", "/_emulator/faults", body)

    def my_running(self, state: dict[str, Any] | None = None) -> dict[str, Any] | None:
        state = state or self.state()
        return state["running"].get(str(state["me_id"]))

    def start_latest(self) -> None:
        """Start my most recent entry's task through the API, as another client would."""
        state = self.state()
        mine = [e for e in state["entries"] if e["user_id"] == state["me_id"]]
        latest = max(mine, key=lambda e: (e["started_at"], e["id"]))
        self._call("POST", f"/api/v1/teams/{latest['team_id']}/tasks/{latest['task_id']}/start", {}, token=True)


@contextlib.contextmanager
def keyring_session(base: Path) -> Iterator[dict[str, str]]:
    """tests/secret_service.py's private bus + unlocked gnome-keyring, for the whole session.

    Its generator sets ``os.environ`` (HOME, XDG_*, DBUS_SESSION_BUS_ADDRESS) to the private
    session while it runs, which every process started from here inherits.
    """
    from secret_service import _start  # the tests' recipe (a pytest fixture's body), not a copy

    class TempDirs:  # the one method of pytest's TempPathFactory that _start uses
        def mktemp(self, name: str) -> Path:
            return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))

    try:
        with contextlib.contextmanager(_start)(TempDirs(), unlocked=True) as service:
            yield service.env
    except BaseException as exc:  # pytest.skip/fail raise outcome exceptions
        if type(exc).__module__.startswith("_pytest"):
            raise RuntimeError(f"no Secret Service: {exc}") from None
        raise


def app_env(screen: Any) -> dict[str, str]:
    env = screen.env()  # os.environ (the keyring session) + DISPLAY, QT_QPA_PLATFORM=xcb
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "TIMECROWD_TRAY_PANEL", "TIMECROWD_API_BASE",
                 "TIMECROWD_TRAY_INSTANCE", "PYTHONUNBUFFERED"):
        env.pop(name, None)
    env["LANG"] = "C.UTF-8"
    return env


def app_argv(url: str) -> list[str]:
    script = Path(PY).parent / "timecrowd-tray"  # the console script a user runs
    launcher = [str(script)] if script.exists() else [PY, "-m", "timecrowd_tray"]
    return [*launcher, "--api-base", url]


def control(cmd: str, timeout: float = 10.0) -> dict[str, Any] | None:
    """One request to the running app over its control socket (no Qt in this process)."""
    from timecrowd_tray.platform.instance.client import send_request

    return send_request({"cmd": cmd}, timeout=timeout)


# -- measures -----------------------------------------------------------------------------------


@dataclass
class Samples:
    figures: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.figures.setdefault(key, []).append(value)

    def get(self, key: str) -> list[float]:
        return self.figures.get(key, [])


class Session:
    def __init__(self, plan: Plan, screen: Any, probe: Any, emulator: Emulator) -> None:
        self.plan = plan
        self.screen = screen
        self.probe = probe
        self.emu = emulator
        self.env = app_env(screen)
        self.s = Samples()
        self._last_click: dict[str, float] = {}
        self.diagnostics: list[str] = []

    # -- start-up -------------------------------------------------------------------------

    def launch_baseline(self) -> tuple[Child, float, float]:
        child = Child("baseline", [PY, str(HERE / "bare_tray.py")], self.screen.env())
        return (child, *self._startup(child, BASE_CLASS))

    def launch_stack_floor(self) -> Child:
        """The memory reference: bare_tray.py --with-stack (docked, not timed)."""
        child = Child("stack floor", [PY, str(HERE / "bare_tray.py"), "--with-stack"], self.screen.env())
        self._startup(child, FLOOR_CLASS)
        return child

    def launch_app(self) -> tuple[Child, float, float]:
        child = Child("app", app_argv(self.emu.url), self.env)
        return (child, *self._startup(child, APP_CLASS))

    def _startup(self, child: Child, wm_class: str) -> tuple[float, float]:
        """(ms to docked, ms to the running look on screen), from just before Popen."""
        probe = self.probe

        def docked():
            child.alive()
            return probe.docked_icon(wm_class)

        def running():
            child.alive()
            icon = probe.docked_icon(wm_class)  # trayer may move icons when another one docks
            return icon is not None and probe.shows_running(icon)

        _, t_docked = probe.wait(docked, START_TIMEOUT, f"{child.name}'s icon to dock", interval=0.005)
        _, t_running = probe.wait(running, START_TIMEOUT, f"{child.name}'s icon to show the running look",
                                  interval=0.005)
        return (t_docked - child.t0) * 1000, (t_running - child.t0) * 1000

    # -- clicks ---------------------------------------------------------------------------

    def _click(self, wm_class: str) -> tuple[Any, float]:
        since = time.monotonic() - self._last_click.get(wm_class, 0.0)
        if since < DOUBLE_CLICK_S:
            time.sleep(DOUBLE_CLICK_S - since)  # Qt's double-click interval, as a person would
        icon = self.probe.docked_icon(wm_class)
        if icon is None:
            raise RuntimeError(f"{wm_class}'s icon is not docked")
        t = self.probe.click(icon)
        self._last_click[wm_class] = time.monotonic()
        return icon, t

    def _repaint(self, icon: Any, green: bool, t_click: float, what: str) -> float:
        _, t = self.probe.wait(lambda: self.probe.shows_running(icon) == green, 10, what, interval=0.001)
        return (t - t_click) * 1000

    def baseline_click(self, base: Child) -> None:
        icon = self.probe.docked_icon(BASE_CLASS)
        green_now = self.probe.shows_running(icon)
        icon, t = self._click(BASE_CLASS)
        paint_ms = self._repaint(icon, not green_now, t, "the baseline's icon to change")
        line = base.wait_line(lambda l: l.startswith("activated "), 10, "activated line")
        self.s.add("base.click_activated", (float(line.split()[1]) - t) * 1000)
        self.s.add("base.click_paint", paint_ms)

    def app_click(self, kind: str, measured: bool = True) -> None:
        """Click the app's icon to ``kind`` ("stop" or "start"); time the request and the repaint."""
        before = self.emu.state()
        mark = len(before["requests"])
        running = self.emu.my_running(before) is not None
        if running != (kind == "stop"):
            raise RuntimeError(f"cannot measure a {kind} click: the entry is {'running' if running else 'stopped'}")
        icon, t = self._click(APP_CLASS)
        paint_ms = self._repaint(icon, kind == "start", t, f"the app's icon to show the {kind} click")
        request = self._wait_request(kind, mark)
        if measured:
            self.s.add(f"app.{kind}_paint", paint_ms)
            self.s.add(f"app.{kind}_wire", (request["monotonic"] - t) * 1000)
        if kind == "stop":
            self.close_comment_dialog()
        self.settle(running=kind == "start")

    def _wait_request(self, kind: str, mark: int, timeout: float = 15.0) -> dict[str, Any]:
        method, suffix = ("POST", "/start") if kind == "start" else ("PATCH", "/stop")
        deadline = time.monotonic() + timeout
        while True:
            for request in self.emu.state()["requests"][mark:]:
                if request["method"] == method and request["path"].endswith(suffix):
                    return request
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {method} ...{suffix} reached the emulator within {timeout:g} s")
            time.sleep(0.05)  # the emulator stamped the arrival itself: polling slowly loses nothing

    def close_comment_dialog(self) -> None:
        """The comment dialog opens after a stop (default settings): Esc skips the comment."""
        probe = self.probe
        window, _ = probe.wait(lambda: probe.toplevel_named(COMMENT_TITLE), 15, "the comment dialog",
                               interval=0.01)
        probe.wait(lambda: probe.has_focus(window), 15, "the comment dialog to take the focus", interval=0.01)
        probe.key("Escape")
        probe.wait(lambda: not probe.toplevel_named(COMMENT_TITLE), 15, "the comment dialog to close",
                   interval=0.01)

    def settle(self, running: bool, timeout: float = SETTLE_TIMEOUT) -> None:
        """Until the server has the entry running (or not) and the app has nothing waiting to be sent."""
        deadline = time.monotonic() + timeout
        while True:
            server_ok = (self.emu.my_running() is not None) == running
            answer = control("status") if server_ok else None
            status = (answer or {}).get("status") or {}
            if server_ok and status.get("state") == ("running" if running else "idle") and not status.get("pending"):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not settle ({'running' if running else 'idle'}) within "
                                   f"{timeout:g} s: server running={self.emu.my_running() is not None}, "
                                   f"app status={status}")
            time.sleep(0.1)

    # -- idle -------------------------------------------------------------------------------

    def idle_window(self, base: Child, app: Child) -> None:
        pids = {"base": base.pid, "app": app.pid}
        before = {k: _proc.threads(p) for k, p in pids.items()}
        ticks0 = {k: _proc.cpu_seconds(p) for k, p in pids.items()}
        t0 = time.monotonic()
        time.sleep(self.plan.idle)  # the measurement window itself: nothing to wait for, on purpose
        elapsed = time.monotonic() - t0
        for key, pid in pids.items():
            after = _proc.threads(pid)
            w = _proc.window(before[key], after)
            self.s.add(f"{key}.idle_cpu_pct", w.cpu / elapsed * 100)
            self.s.add(f"{key}.wakeups_min", w.switches / elapsed * 60)
            self.s.add(f"{key}.threads", len(after))
            ticks = _proc.cpu_seconds(pid) - ticks0[key]
            self.diagnostics.append(
                f"{key}: idle {elapsed:.0f} s, CPU {w.cpu * 1000:.1f} ms (utime+stime: {ticks * 1000:.0f} ms), "
                f"wake-ups by thread: {w.by_thread}, threads {len(before[key])} -> {len(after)}"
                + (f" ({w.threads_gone} ended: not counted)" if w.threads_gone else ""))

    # -- loop lag ---------------------------------------------------------------------------

    @staticmethod
    def _pings(seconds: float) -> list[float]:
        rtts, until = [], time.monotonic() + seconds
        while time.monotonic() < until:
            t = time.monotonic()
            answer = control("ping", timeout=30)
            if not answer or not answer.get("ok"):
                raise RuntimeError(f"the app did not answer ping: {answer}")
            rtts.append((time.monotonic() - t) * 1000)
            time.sleep(0.01)
        return rtts

    def lag_floor(self) -> None:
        self.s.add("base.lag", max(self._pings(self.plan.lag_floor)))

    def stalled_lag(self) -> None:
        """Worst ping round trip while every /api request hangs ``stall`` s on the server."""
        stall = self.plan.stall
        self.emu.faults({"latency": stall})
        try:
            t_stall = time.monotonic()
            icon, t = self._click(APP_CLASS)   # stop: PATCH .../stop and the poll after it both hang
            self._repaint(icon, False, t, "the app's icon to show the stop")
            self.close_comment_dialog()
            rtts = self._pings(max(0.5, t_stall + stall + 1.0 - time.monotonic()))
        finally:
            self.emu.faults({"clear": True})
        self.s.add("app.lag", max(rtts))
        self.settle(running=False, timeout=SETTLE_TIMEOUT + stall * 4)

    # -- one run ----------------------------------------------------------------------------

    def run(self, index: int, measured: bool = True) -> None:
        plan = self.plan
        base, base_docked, base_shown = self.launch_baseline()
        base.wait_line(lambda l: l == "ready", 30, "ready line")
        app = floor = None
        try:
            app, app_docked, app_shown = self.launch_app()
            log(f"run {index}: baseline docked {base_docked:.0f} ms; app docked {app_docked:.0f} ms, "
                f"running look {app_shown:.0f} ms")
            if not measured:
                return
            self.s.add("base.docked", base_docked)
            self.s.add("base.shown", base_shown)
            self.s.add("app.docked", app_docked)
            self.s.add("app.shown", app_shown)
            self.settle(running=True)
            floor = self.launch_stack_floor()

            # "RSS after N s": a point in time, of each process's own life
            for key, child in (("base", base), ("app", app), ("floor", floor)):
                time.sleep(max(0.0, child.t0 + plan.rss_at - time.monotonic()))
                self.s.add(f"{key}.rss", _proc.rss_mb(child.pid))
                self.s.add(f"{key}.hwm", _proc.peak_rss_mb(child.pid))
            floor.stop()
            log(f"run {index}: idle window {plan.idle:g} s")
            self.idle_window(base, app)
            status = (control("status") or {}).get("status") or {}
            if status.get("state") != "running":
                raise RuntimeError(f"the app was not running its entry during the idle window: {status}")

            self.lag_floor()
            for _ in range(plan.clicks):
                self.app_click("stop")
                self.app_click("start")
            for _ in range(2 * plan.clicks):
                self.baseline_click(base)
            self.s.add("app.rss_used", _proc.rss_mb(app.pid))
            self.s.add("base.rss_used", _proc.rss_mb(base.pid))
            log(f"run {index}: server stalled {plan.stall:g} s")
            self.stalled_lag()
            self.app_click("start", measured=False)  # running again for the next run
        finally:
            for child in (app, base, floor):
                if child is None:
                    continue
                child.stop()
                if child.proc.returncode not in (0, -15):  # -15: the bare apps die of SIGTERM by design
                    self.diagnostics.append(f"run {index}: {child.name} exited with {child.proc.returncode} on "
                                            f"SIGTERM; last output:\n{child.tail(15)}")


# -- palette ---------------------------------------------------------------------------------------


def palette_filter(runs: int) -> tuple[list[float], list[float]]:
    """bench_palette.py's measure, per run: the slowest keystroke's median over 7 repeats.

    Its own ``run()`` only prints, so this drives its pieces (tasks, sessions, timer) the same way.
    """
    import statistics

    from timecrowd_tray.core.fuzzy import FuzzyIndex

    import bench_palette as bp

    tasks = bp.make_tasks(10_000)
    index = FuzzyIndex(tasks, lambda t: t.title, bp.extra_of)
    titles = [t.title for t in tasks]
    fuzzy_worst, base_worst = [], []
    for _ in range(runs):
        fuzzy: list[list[float]] = []
        plain: list[list[float]] = []
        for _ in range(7):
            k = 0
            for queries in bp.SESSIONS.values():
                index.search("")
                for q in queries:
                    if len(fuzzy) <= k:
                        fuzzy.append([])
                        plain.append([])
                    fuzzy[k].append(bp._time_ms(index.search, q))
                    plain[k].append(bp._time_ms(lambda q=q: [t for t in titles if q in t]))
                    k += 1
        fuzzy_worst.append(max(statistics.median(s) for s in fuzzy))
        base_worst.append(max(statistics.median(s) for s in plain))
    return fuzzy_worst, base_worst


def palette_widget(runs: int) -> dict[str, list[float]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    result = subprocess.run([PY, str(HERE / "palette_widget.py"), "--runs", str(runs)], env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"palette_widget.py failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# bench_entries.py's two result lines: "<label> <app> ms (<baseline's label>: <baseline> ms) budget <n> ms".
ENTRIES_LINE = re.compile(r"^(?P<key>open a day|30 days paged).*?\s(?P<app>[\d.]+) ms\s+\(.*?:\s*(?P<base>[\d.]+) ms\)"
                          r"\s+budget (?P<budget>[\d.]+) ms")
ENTRIES_KEYS = {"open a day": "open", "30 days paged": "paging"}


def parse_entries(stdout: str) -> dict[str, tuple[float, float, float]]:
    """bench_entries.py's output as {"open" | "paging": (app ms, baseline ms, budget ms)}."""
    found = {}
    for line in stdout.splitlines():
        m = ENTRIES_LINE.match(line.strip())
        if m:
            found[ENTRIES_KEYS[m["key"]]] = (float(m["app"]), float(m["base"]), float(m["budget"]))
    return found


def entries_window(runs: int) -> dict[str, list[float]]:
    """bench_entries.py once per run: {"open", "open.base", "paging", "paging.base": [ms per run], "*.budget"}."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    out: dict[str, list[float]] = {}
    for _ in range(runs):
        result = subprocess.run([PY, str(HERE / "bench_entries.py")], env=env, capture_output=True, text=True,
                                timeout=600)
        found = parse_entries(result.stdout)
        if result.returncode not in (0, 1) or set(found) != set(ENTRIES_KEYS.values()):  # 1: over a budget
            raise RuntimeError(f"bench_entries.py failed ({result.returncode}):\n{result.stdout[-1000:]}"
                               f"{result.stderr[-2000:]}")
        for key, (app, base, budget) in found.items():
            out.setdefault(key, []).append(app)
            out.setdefault(f"{key}.base", []).append(base)
            out[f"{key}.budget"] = [budget]
    return out


# -- the table ---------------------------------------------------------------------------------------


def figures(plan: Plan, s: Samples, palette: tuple[list[float], list[float]],
            widget: dict[str, list[float]], entries: dict[str, list[float]]) -> list[Figure]:
    g = s.get
    return [
        Figure("start-up: process start -> icon docked", "ms", g("app.docked"), g("base.docked"), digits=0),
        Figure("start-up: process start -> icon docked, showing the running state", "ms", g("app.shown"),
               g("base.shown"), ("ratio", BUDGET_STARTUP_RATIO), digits=0),
        Figure(f"RSS after {plan.rss_at:g} s", "MiB", g("app.rss"), g("base.rss"), ("ratio", BUDGET_RSS_RATIO)),
        Figure(f"RSS after {plan.rss_at:g} s: the stack's floor (bare tray + asyncio/qasync/httpx) in the "
               "app's place", "MiB", g("floor.rss"), g("base.rss")),
        Figure("RSS after the click pairs (the first comment dialog has opened)", "MiB", g("app.rss_used"),
               g("base.rss_used")),
        Figure("peak RSS (VmHWM)", "MiB", g("app.hwm"), g("base.hwm")),
        Figure(f"idle CPU over {plan.idle:g} s, menu closed", "% of one core", g("app.idle_cpu_pct"),
               g("base.idle_cpu_pct"), ("below", BUDGET_IDLE_CPU_PCT), digits=3),
        Figure("wake-ups, a timer running, menu closed (voluntary context switches, all threads)", "per min",
               g("app.wakeups_min"), g("base.wakeups_min"), ("max", BUDGET_WAKEUPS_MIN), digits=1),
        Figure("threads", "", g("app.threads"), g("base.threads"), digits=0),
        Figure("click (stop) -> request on the wire", "ms", g("app.stop_wire"), g("base.click_activated"),
               ("below", BUDGET_CLICK_WIRE_MS)),
        Figure("click (start) -> request on the wire", "ms", g("app.start_wire"), g("base.click_activated"),
               ("below", BUDGET_CLICK_WIRE_MS)),
        Figure("click (stop) -> icon repainted on screen", "ms", g("app.stop_paint"), g("base.click_paint"),
               ("below", BUDGET_CLICK_PAINT_MS)),
        Figure("click (start) -> icon repainted on screen", "ms", g("app.start_paint"), g("base.click_paint"),
               ("below", BUDGET_CLICK_PAINT_MS)),
        Figure("palette filtering, 10,000 tasks, slowest keystroke", "ms", palette[0], palette[1],
               ("below", BUDGET_PALETTE_MS), digits=2),
        Figure("palette window, key -> list repainted (offscreen), slowest keystroke", "ms", widget["palette"],
               widget["bare"], ("below", BUDGET_PALETTE_MS), digits=2),
        Figure("entries window: a day of 50 entries opened and painted (offscreen)", "ms", entries["open"],
               entries["open.base"], ("below", entries["open.budget"][0])),
        Figure("entries window: worst UI stall, 30 days paged back (offscreen)", "ms", entries["paging"],
               entries["paging.base"], ("below", entries["paging.budget"][0])),
        Figure(f"worst event-loop lag, server stalled {plan.stall:g} s", "ms", g("app.lag"), g("base.lag"),
               ("below", BUDGET_LAG_MS)),
    ]


BASELINES = (
    "Baselines: start-up, RSS, CPU, wake-ups, threads: benchmarks/bare_tray.py (QApplication + QSystemTrayIcon) "
    "on the same screen at the same time; click -> request: click -> the bare app's `activated`; "
    "click -> repaint: the bare app swapping its icon; palette filtering: plain substring filter; "
    "palette window: a bare QLineEdit; entries window: a bare QTableView of the same rows, and the idle loop's "
    "worst stall; loop lag: the same ping probe, server answering at once."
)


def machine_line(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    distro = "Linux"
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                distro = line.split("=", 1)[1].strip('"')
    from PySide6 import __version__ as pyside

    return (f"{distro}, kernel {platform.release()}, {os.cpu_count()} x {cpu}, {mem} RAM; "
            f"Python {platform.python_version()}, PySide6 {pyside}; Xvfb + trayer; "
            f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")


# -- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="See the module's docstring for what each figure is.")
    parser.add_argument("--runs", type=int, default=None, help="runs of each measure (default 5; --quick 2)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke check: RSS after 5 s, 10 s idle windows, 2 s stall, 1 click pair, 2 runs")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    parser.add_argument("--verbose", action="store_true", help="per-thread wake-ups and other diagnostics")
    parser.add_argument("--no-wakeups", action="store_true",
                        help="skip benchmarks/bench_wakeups.py (idle and running, by thread and by cause)")
    parser.add_argument("--no-idle", action="store_true",
                        help="skip benchmarks/bench_idle.py (the away-time watcher's wake-ups)")
    args = parser.parse_args(argv)
    if args.quick:
        plan = Plan(runs=args.runs or 2, rss_at=5.0, idle=10.0, stall=2.0, clicks=1)
    else:
        plan = Plan(runs=args.runs or 5, rss_at=30.0, idle=60.0, stall=5.0, clicks=2)
    if plan.runs < 1:
        parser.error("--runs must be at least 1")

    from support.tools import missing

    absent = missing(*TOOLS)
    if absent:
        print(f"benchmarks need {', '.join(absent)} (Debian: xvfb x11-utils trayer dbus gnome-keyring; "
              "`make bench` installs them when run as root)", file=sys.stderr)
        return 2

    from _xprobe import XProbe
    from support.virtual_screen import VirtualScreen

    started = time.monotonic()
    load_before = os.getloadavg()
    log(f"{plan.runs} runs; palette first")
    palette = palette_filter(plan.runs)
    widget = palette_widget(plan.runs)
    log("entries window")
    entries = entries_window(plan.runs)

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tct-bench-")))
        stack.enter_context(keyring_session(tmp))
        emulator = Emulator()
        stack.callback(emulator.close)
        login = subprocess.run([*app_argv(emulator.url), "login", "--with-token"], input=emulator.token,
                               env=dict(os.environ), capture_output=True, text=True, timeout=60)
        if login.returncode != 0:
            raise RuntimeError(f"login failed ({login.returncode}): {login.stdout}{login.stderr}")
        emulator.start_latest()
        screen = stack.enter_context(VirtualScreen())
        screen.start_tray()
        probe = XProbe(screen.display or "")
        stack.callback(probe.close)
        session = Session(plan, screen, probe, emulator)
        log("warm-up launch (not measured)")
        session.run(0, measured=False)
        for i in range(1, plan.runs + 1):
            session.run(i)

    load_after = os.getloadavg()
    figs = figures(plan, session.s, palette, widget, entries)
    print()
    print(f"TimeCrowd Tray vs a bare Qt tray app: {plan.runs} runs, median (min-max)"
          + (" [--quick: shorter windows]" if args.quick else ""))
    print_table(figs, markdown=args.markdown)
    print()
    print(BASELINES)
    print(f"Machine: {machine_line(load_before, load_after)}")
    print(f"Took {time.monotonic() - started:.0f} s.")
    if args.verbose:
        print()
        for line in session.diagnostics:
            print(line)
    misses = [f.name for f in figs if f.verdict() == "MISS"]
    if not args.no_wakeups:
        print()
        log("bench_wakeups.py: idle and running, by thread and by cause")
        wakeups = subprocess.run([PY, str(HERE / "bench_wakeups.py"), *(["--quick"] if args.quick else [])],
                                 timeout=1800)
        if wakeups.returncode != 0:
            misses.append("bench_wakeups.py")
    if not args.no_idle:
        print()
        log("bench_idle.py: the away-time watcher's wake-ups per minute (compressed time)")
        idle = subprocess.run([PY, str(HERE / "bench_idle.py"), *(["--minutes", "3"] if args.quick else []),
                               *(["--markdown"] if args.markdown else [])], timeout=600)
        if idle.returncode != 0:
            misses.append("bench_idle.py")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
