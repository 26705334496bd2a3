"""A randomized fault sequence: nothing lost, nothing doubled, nothing claimed that did not happen.

    make soak                                            # 1,000 actions (see the Makefile for the seed)
    .venv/bin/python benchmarks/fault_soak.py --actions 1000 --seed 7 [--markdown] [--out DIR]
    .venv/bin/python benchmarks/fault_soak.py --short --seed 3   # what tests/e2e/test_fault_sequence.py runs

Not a test by itself (tests/e2e/test_fault_sequence.py runs a short seeded
version under pytest). One session on this machine, the app started as a user
starts it:

* a virtual screen with a real tray host (tests/support/virtual_screen.py: Xvfb
  + trayer), a private D-Bus session with an unlocked gnome-keyring
  (tests/secret_service.py, as benchmarks/run_all.py uses it) holding the
  token, stored with ``timecrowd-tray --api-base URL login --with-token``;
* the TimeCrowd emulator in *this* process (``EmulatorServer`` on 127.0.0.1),
  so faults are set on its state directly and the server's entries are read
  from it;
* the app, ``timecrowd-tray --api-base URL --debug``, with its own XDG data,
  cache, config and state directories and a private, short XDG_RUNTIME_DIR
  (its socket and outbox are the run's alone); ``comment_on_stop`` false,
  ``poll_interval`` 10, the default toggle shortcut Ctrl+Alt+Shift+T.

What a run does, all of it drawn from ``random.Random(seed)`` up front (the
schedule and the sequence of commands; only the timing of the machine varies):

* actions through the three front ends: a left click on the docked icon
  (xdotool, the icon found in trayer's panel by benchmarks/_xprobe.py), the
  toggle shortcut (``xdotool key ctrl+alt+shift+t``), and the shell
  (``timecrowd-tray toggle``, ``start --task ID``, ``start QUERY``, ``stop
  [--comment TEXT]``);
* faults between actions, every kind the emulator has: ``fail_next`` (5xx,
  429 with Retry-After, HTML bodies, and 422: a refusal for good),
  ``drop_next``, ``malformed_next``, ``latency`` for a few actions (short,
  and now and then longer than the client's 15 s read timeout),
  ``blackhole_next``, ``huge_next`` (over the client's 8 MiB cap, with or
  without a Content-Length), ``stall_after_headers_next``, and a revoked
  token (the app signs out; a few actions later the user signs in again with
  ``login --with-token`` and a new token);
* ``kill -9`` of the app after an action (never while a shell command waits
  for its answer): at once, at the app's next request to the server (its
  background sending or a poll: mid-flight, under latency too), at a random
  moment up to 2.5 s later, or during an outage (every request 503: the action
  was queued, the app is relaunched offline, the outage ends two actions
  later); then a relaunch, waited for until the control socket answers
  ``status`` (``source: app``);
* quiet periods: no action until the app says nothing is pending (bounded).

For every action it keeps: the front end, the wall-clock time (unix seconds)
just before it was made, what it was meant to do given what the app showed just
before (a toggle: stop when something showed running, else start the latest
task), what the user was told (a shell command: its exit code and line, parsed
into done / queued / refused with the task and, for queued, the HH:MM it
promises; a click or shortcut: ``timecrowd-tray status --json`` right after,
once the app's state moved or a few seconds passed), and the app's state
right after. A shell command told "done" is checked on the server at once
(done means the server confirmed it).

At the end: faults cleared, signed in again if need be, wait (bounded) until
the app says ``pending: 0`` and no request the emulator held can still land;
then the accepted actions (done or queued; a click or shortcut whose shown
state moved) are replayed into the expected timeline -- a start of X at t ends
what ran at t and opens X at t, a stop at t ends what runs -- and compared with
the server's entries made during the run (ids above the highest before it),
matched by task and start time. Counted:

* **lost**: an accepted action with no effect on the server (a start with no
  entry, a stop whose entry ran on until a later action or the end, a
  comment missing), or one the app dropped for a reason other than a refusal
  the emulator was told to make;
* **duplicated**: a server entry no action explains (or a second entry for
  one start);
* **mistimed**: matched, but a start or a stop more than 3 s from the time the
  user acted;
* **misreported**: told done but the server did not have it at that moment,
  told refused/failed (or a click that showed no change) but it happened, a
  task other than the one the user was told, a line or an exit code not in
  the contract, or an app that shows another state than the server's at the
  end.

Refusals for good that the emulator was told to make (a 4xx ``fail_next``
answering one of the requests of an action) are not losses: the app drops such
an action and says so (a notification). The app's own outbox (read after it
quit) says which actions it dropped, when and why; the harness notes which
request each one-shot fault answered. A drop with such a refusal is a
refusal -- and then the server must show none of that action, or it is
misreported; a drop without one (e.g. "superseded") is a loss.

Artifacts (``--out``, default artifacts/soak/seed-N-TIME/): ``timeline.jsonl``
(every action and event in order), ``app-N.log`` (the app's --debug output of
each launch), the app's log directory and outbox, ``server.json`` (the server's
entries, the outbox rows, which request each fault answered), the snapshot of
desktop/ that was run, and ``report.txt``. ``--reanalyze DIR`` compares again
from them.
Exit code: 0 when all four counts are 0, 1 otherwise, 2 when the run could
not be made.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

PY = sys.executable
APP_CLASS = "timecrowd-tray"   # WM_CLASS class of the app's windows (its application name)
TOOLS = ("Xvfb", "xdpyinfo", "trayer", "xdotool", "dbus-daemon", "dbus-send", "gnome-keyring-daemon")
CATEGORIES = ("lost", "duplicated", "mistimed", "misreported")
FAULT_KINDS = ("fail", "drop", "malformed", "latency", "blackhole", "huge", "stall", "revoke")

MISTIMED_S = 3.0          # a start or stop further than this from the user's action is mistimed
MATCH_WINDOW_S = 120.0    # an entry this close to an expected start is that start (mistimed beyond 3 s)
CLICK_SETTLE_S = 3.0      # how long a click/shortcut may take to show its effect
READY_TIMEOUT = 60.0      # relaunch -> the control socket answers
ICON_TIMEOUT = 30.0
DOUBLE_CLICK_S = 0.5      # two clicks closer than Qt's 400 ms would be a double click
LOGIN_ATTEMPTS = 6
HOTKEY = "ctrl+alt+shift+t"
# Tasks the shell starts (ids of the demo account's live tasks, in its three teams) and queries.
SHELL_TASKS = (201, 202, 203, 208, 210, 213, 216, 219, 221, 225, 228)
SHELL_QUERIES = ("朝会", "Code review", "Dependency updates", "採用面接", "Community call", "交通費精算")
COMMENTS = ("soak: レビュー指摘対応", "soak: waiting for CI", "soak: 議事録 📝")
EMULATED_REFUSAL = "Emulated error"   # the emulator's own words in a fail_next 4xx body


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the plan and its schedule ----------------------------------------------------------------------


@dataclass
class Plan:
    actions: int = 1000
    seed: int = 1
    kills: int = 25
    fault_rate: float = 0.12        # chance of a fault before each action (each kind appears at least once)
    quiet_rate: float = 0.01
    long_latency_share: float = 0.12  # latency episodes beyond the client's 15 s read timeout
    max_hold: float = 20.0          # blackhole holds and stalls after headers: 1..max_hold s
    drain_timeout: float = 180.0
    poll_interval: int = 10
    fault_weights: dict[str, float] = field(default_factory=lambda: {
        "fail": 3, "drop": 2, "malformed": 2, "latency": 2, "blackhole": 1, "huge": 1, "stall": 1, "revoke": 0.5})
    front_weights: dict[str, float] = field(default_factory=lambda: {"click": 0.34, "hotkey": 0.30, "shell": 0.36})
    kill_modes: tuple[str, ...] = ()  # in turn; empty: drawn from now/on_request/random/outage

    @classmethod
    def short(cls, seed: int = 3, actions: int = 36) -> Plan:
        """The seeded version ``make test`` runs: every fault kind once or so, two kills, no timeouts."""
        return cls(actions=actions, seed=seed, kills=2, fault_rate=0.12, quiet_rate=0.0, long_latency_share=0.0,
                   max_hold=4.0, drain_timeout=90.0, kill_modes=("outage", "calm"))


@dataclass
class Event:
    kind: str                       # a fault kind, "latency_clear", "recover", "quiet"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Schedule:
    before: dict[int, list[Event]]  # events applied before action i
    kills: dict[int, str]           # action i -> kill mode, applied after it
    commands: list[tuple[str, tuple[str, ...]]]  # (front end, shell argv or ()) of each action


def _fault(kind: str, rng: random.Random, plan: Plan) -> Event:
    if kind == "fail":
        status = rng.choice((500, 502, 503, 503, 504, 429, 422))
        params: dict[str, Any] = {"status": status, "count": rng.randint(1, 3), "html": rng.random() < 0.3}
        if status in (429, 503) and rng.random() < 0.6:
            params["retry_after"] = rng.randint(1, 2)
        if status == 422:
            params["count"] = 1
        return Event(kind, params)
    if kind in ("drop", "malformed"):
        return Event(kind, {"count": rng.randint(1, 3 if kind == "drop" else 2)})
    if kind == "latency":
        long = rng.random() < plan.long_latency_share
        seconds = round(rng.uniform(16.0, 20.0) if long else rng.uniform(0.5, 4.0), 1)
        return Event(kind, {"seconds": seconds, "actions": rng.randint(1, 2 if long else 4)})
    if kind == "blackhole":
        return Event(kind, {"count": 1, "hold": round(rng.uniform(1.0, plan.max_hold), 1)})
    if kind == "huge":
        return Event(kind, {"count": 1, "size": rng.randint(9, 12) * 1024 * 1024, "chunked": rng.random() < 0.4})
    if kind == "stall":
        return Event(kind, {"count": 1, "seconds": round(rng.uniform(1.0, plan.max_hold), 1)})
    if kind == "revoke":
        return Event(kind, {"recover_after": rng.randint(1, 4)})
    raise ValueError(kind)


def _command(rng: random.Random, plan: Plan) -> tuple[str, tuple[str, ...]]:
    fronts = list(plan.front_weights)
    front = rng.choices(fronts, weights=[plan.front_weights[f] for f in fronts])[0]
    if front != "shell":
        return front, ()
    roll = rng.random()
    if roll < 0.40:
        return front, ("toggle",)
    if roll < 0.65:
        return front, ("start", "--task", str(rng.choice(SHELL_TASKS)))
    if roll < 0.80:
        return front, ("start", rng.choice(SHELL_QUERIES))
    if rng.random() < 0.25:
        return front, ("stop", "--comment", rng.choice(COMMENTS))
    return front, ("stop",)


def build_schedule(plan: Plan) -> Schedule:
    """Everything random about a run, drawn from the seed before it starts."""
    rng = random.Random(plan.seed)
    n = plan.actions
    commands = [_command(rng, plan) for _ in range(n)]
    before: dict[int, list[Event]] = {i: [] for i in range(n)}
    kinds = list(plan.fault_weights)
    busy_until = {"latency": -1, "revoke": -1}   # one latency episode, one revocation at a time
    placed: Counter[str] = Counter()

    def place(i: int, kind: str) -> bool:
        if kind in busy_until and i <= busy_until[kind]:
            return False
        event = _fault(kind, rng, plan)
        if kind == "latency":
            end = min(n - 1, i + event.params["actions"])
            busy_until["latency"] = end
            before[end].append(Event("latency_clear"))
        if kind == "revoke":
            end = min(n - 1, i + event.params["recover_after"])
            busy_until["revoke"] = end
            before[end].append(Event("recover"))
        before[i].append(event)
        placed[kind] += 1
        return True

    # Every kind at least once, spread over the run (after a few plain actions).
    first = max(1, min(3, n // 10))
    slots = list(range(first, max(first + 1, n - 3)))
    for kind in kinds:
        for _ in range(20):
            if place(rng.choice(slots), kind):
                break
    for i in range(first, n - 1):
        if rng.random() < plan.fault_rate:
            place(i, rng.choices(kinds, weights=[plan.fault_weights[k] for k in kinds])[0])
        if rng.random() < plan.quiet_rate:
            before[i].append(Event("quiet"))
    for events in before.values():
        events.sort(key=lambda e: e.kind not in ("latency_clear", "recover"))  # clear/recover first
    kill_slots = list(range(min(2, n - 1), max(min(2, n - 1) + 1, n - 3)))
    kills: dict[int, str] = {}
    for k, i in enumerate(sorted(rng.sample(kill_slots, min(plan.kills, len(kill_slots))))):
        mode = plan.kill_modes[k % len(plan.kill_modes)] if plan.kill_modes else \
            rng.choice(("now", "on_request", "on_request", "random", "outage"))
        if mode == "outage":
            # The server is down (every request 503) from this action on: it is queued, the app killed
            # and relaunched offline; two actions later the outage ends (all faults are cleared then).
            before[i].append(Event("outage"))
            before[min(n - 1, i + 2)].insert(0, Event("outage_end"))
        elif mode == "calm":
            # No fault near it: the app is killed right after an action, while nothing should be held.
            for j in range(max(0, i - 3), i + 1):
                before[j] = [e for e in before[j] if e.kind in ("latency_clear", "recover", "quiet")]
            mode = "now"
        kills[i] = mode
    return Schedule(before, kills, commands)


# -- what was done and told ---------------------------------------------------------------------------


@dataclass
class Action:
    index: int
    front: str                          # click | hotkey | shell
    command: str                        # "click", "hotkey", or the shell arguments
    t: float = 0.0                      # unix seconds just before the action was made
    t_end: float = 0.0                  # unix seconds once what the user was told was known
    before: dict[str, Any] | None = None   # the app's status just before
    meant: str = ""                     # "stop", "start latest (task N)", "start task N", ...
    meant_task: int | None = None
    told: str = ""                      # done | queued | refused | none (a click/shortcut that changed nothing)
    told_kind: str | None = None        # start | stop | noop (what the user was told happened)
    told_task: int | None = None
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    shown: dict[str, Any] | None = None    # click/shortcut: `status --json` right after
    after: dict[str, Any] | None = None    # the app's status right after
    comment: str | None = None
    faults: str = ""                    # the faults set when it was made
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # contract violations seen at once (misreported)

    @property
    def accepted(self) -> bool:
        return self.told in ("done", "queued")

    def label(self) -> str:
        when = datetime.fromtimestamp(self.t).strftime("%H:%M:%S.%f")[:-3] if self.t else "?"
        said = self.stdout or self.stderr or (json.dumps(self.shown, ensure_ascii=False) if self.shown else "")
        code = f" exit {self.exit_code}" if self.exit_code is not None else ""
        return f"#{self.index} {self.front} `{self.command}` at {when}{code} -> {self.told} {said[:160]!r}"


@dataclass
class Issue:
    category: str
    action: int | None
    text: str


def shown_task(doc: dict[str, Any] | None) -> int | None:
    if not doc:
        return None
    task = doc.get("task")
    return int(task["id"]) if isinstance(task, dict) and task.get("id") is not None else None


STATUS_KEYS = {"state", "task", "started_at", "elapsed_seconds", "pending", "source"}
#: The demo account's zone (the emulator's JST): the shell prints clock times in the account's zone.
ACCOUNT_ZONE = timezone(timedelta(hours=9))
QUEUED_LINE = re.compile(r"^⏸ queued: (started|stopped)(?: (.*?))?; it will be sent with the time you asked "
                         r"\((\d\d:\d\d)\): (.+)$")


def status_problems(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return [f"status --json printed no JSON object: {doc!r}"]
    problems = []
    missing = STATUS_KEYS - set(doc)
    if missing:
        problems.append(f"status --json lacks {sorted(missing)}: {doc}")
    if doc.get("state") not in ("running", "idle", "signed_out", "offline"):
        problems.append(f"status --json state {doc.get('state')!r} is not in the contract")
    task = doc.get("task")
    if task is not None and not (isinstance(task, dict) and {"id", "title", "team"} <= set(task)):
        problems.append(f"status --json task {task!r} is not {{id, title, team}}")
    if doc.get("source") != "app":
        problems.append(f"status --json answered from {doc.get('source')!r}, not the app")
    return problems


# -- the session: keyring, emulator, screen, app -------------------------------------------------------


class AppProcess:
    """One launch of ``timecrowd-tray --api-base URL --debug``; its output goes to ``log_path``."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._out = open(log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(argv, env=env, stdout=self._out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._out.close()

    def terminate(self, timeout: float = 30.0) -> int | None:
        if self.alive():
            self.proc.terminate()   # the app quits cleanly on SIGTERM
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._out.close()
        return self.proc.returncode


@dataclass
class CliResult:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    t: float
    t_end: float


def ask_app(path: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    """One request on the app's control socket (README: one JSON object per line); None: no answer."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        sock.sendall((json.dumps(request) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return json.loads(data.decode("utf-8")) if data.strip() else None
    except (OSError, ValueError):
        return None
    finally:
        sock.close()


def _launcher() -> list[str]:
    script = Path(PY).parent / "timecrowd-tray"   # the console script a user runs
    return [str(script)] if script.exists() else [PY, "-m", "timecrowd_tray"]


@contextlib.contextmanager
def session(workdir: Path, pythonpath: str | None = None) -> Iterator[Rig]:
    """Keyring, emulator, screen and tray host, and the app's private directories."""
    from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState

    from _xprobe import XProbe
    from run_all import keyring_session  # tests/secret_service.py's recipe, as the benchmarks use it
    from support.virtual_screen import VirtualScreen

    with contextlib.ExitStack() as stack:
        stack.enter_context(keyring_session(workdir))
        server = EmulatorServer(EmulatorState.seeded(), host="127.0.0.1", port=0)
        server.start()
        stack.callback(server.stop)
        screen = stack.enter_context(VirtualScreen())
        screen.start_tray()
        probe = XProbe(screen.display or "")
        stack.callback(probe.close)
        runtime = tempfile.mkdtemp(prefix="tcs-")   # short: AF_UNIX paths are limited
        os.chmod(runtime, 0o700)
        stack.callback(shutil.rmtree, runtime, True)
        env = screen.env()   # os.environ (the keyring session) + DISPLAY, QT_QPA_PLATFORM=xcb
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "TIMECROWD_TRAY_PANEL", "TIMECROWD_API_BASE",
                     "TIMECROWD_TRAY_HOTKEY_BACKEND", "PYTHON_KEYRING_BACKEND"):
            env.pop(name, None)
        home = workdir / "app"
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                         ("XDG_STATE_HOME", "state")):
            (home / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
            env[var] = str(home / sub)
        instance = f"soak{os.getpid()}"
        env.update(XDG_RUNTIME_DIR=runtime, TIMECROWD_TRAY_INSTANCE=instance, LANG="C.UTF-8", PYTHONUNBUFFERED="1")
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        # The socket the README documents: $XDG_RUNTIME_DIR/timecrowd-tray-<uid>[-<instance>].sock
        socket_path = os.path.join(runtime, f"timecrowd-tray-{os.getuid()}-{instance}.sock")
        yield Rig(server=server, state=server.state, token=DEMO_TOKEN, screen=screen, probe=probe, env=env,
                  home=home, socket=socket_path)


@dataclass
class Rig:
    server: Any
    state: Any
    token: str
    screen: Any
    probe: Any
    env: dict[str, str]
    home: Path
    socket: str

    @property
    def url(self) -> str:
        return self.server.url


# -- the run ----------------------------------------------------------------------------------------------


class Soak:
    def __init__(self, plan: Plan, rig: Rig, out: Path) -> None:
        self.plan = plan
        self.rig = rig
        self.state = rig.state
        self.faults = rig.state.faults
        self.me = rig.state.me_id
        self.out = out
        self.schedule = build_schedule(plan)
        self.rng = random.Random(plan.seed * 7919 + 1)   # kill moments
        self.timeline = open(out / "timeline.jsonl", "w", encoding="utf-8")
        self.actions: list[Action] = []
        self.app: AppProcess | None = None
        self.launches = 0
        self.kills: Counter[str] = Counter()
        self.fault_counts: Counter[str] = Counter()
        self.faults_hit: list[dict[str, Any]] = watch_faults(rig.state)
        self.quiet = 0
        self.unexpected_exits: list[str] = []
        self.signed_out_by_revoke = False
        self.tokens = 0
        self.latency = 0.0
        self.latency_land_by = 0.0      # monotonic: a request held by latency may land until then
        self.last_click = 0.0
        self.model_running: int | None = None
        self.model_latest: int | None = None
        self.baseline_id = 0
        self.drain: dict[str, Any] = {}
        self.setup_notes: list[str] = []
        self.titles = self._titles()

    # -- small pieces ---------------------------------------------------------------------------

    def _titles(self) -> dict[str, int]:
        """``"TITLE (TEAM)"`` and ``"TITLE"`` -> task id, for reading the shell's lines."""
        with self.state.lock:
            teams = {t: r["name"] for t, r in self.state.teams.items()}
            out: dict[str, int] = {}
            for task in self.state.tasks.values():
                out.setdefault(task["title"], task["id"])
                out[f"{task['title']} ({teams.get(task['team_id'], '')})"] = task["id"]
        return out

    def task_of_line(self, text: str | None) -> int | None:
        return self.titles.get((text or "").strip())

    def record(self, what: str, **data: Any) -> None:
        data = {"type": what, "t": time.time(), "requests": len(self.state.requests), **data}
        self.timeline.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        self.timeline.flush()

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 90.0) -> CliResult:
        t = time.time()
        try:
            result = subprocess.run([*_launcher(), "--api-base", self.rig.url, *args], env=self.rig.env,
                                    input=stdin, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:   # the command's own bounds failed: an answer never came
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            return CliResult(tuple(args), -1, out.strip(), f"(no answer within {timeout:g} s)", t, time.time())
        return CliResult(tuple(args), result.returncode, result.stdout.strip(), result.stderr.strip(), t,
                         time.time())

    def app_status(self, timeout: float = 10.0) -> dict[str, Any] | None:
        """The app's status over its socket (no CLI start-up; never the API fallback)."""
        answer = ask_app(self.rig.socket, {"cmd": "status"}, timeout)
        if not answer or not answer.get("ok"):
            return None
        return answer.get("status")

    def server_running(self) -> dict[str, Any] | None:
        return self.state.running_entry(self.me)

    def fault_text(self) -> str:
        d = self.faults.describe()
        kinds = Counter(f["kind"] if f["kind"] != "fail" else f"fail {f['status']}" for f in d["pending"])
        parts = [f"latency {d['latency']:g}s"] if d["latency"] else []
        parts += [f"{k} x{n}" for k, n in kinds.items()]
        return ", ".join(parts)

    # -- the app's life ---------------------------------------------------------------------------

    def launch(self, attempts: int = 3) -> None:
        for attempt in range(1, attempts + 1):
            self.launches += 1
            path = self.out / f"app-{self.launches}.log"
            self.app = AppProcess([*_launcher(), "--api-base", self.rig.url, "--debug"], self.rig.env, path)
            self.record("launch", n=self.launches, pid=self.app.pid, faults=self.fault_text())
            try:
                self.wait_ready()
                return
            except RuntimeError as exc:   # a launch that dies or never answers: said, and tried again
                message = f"launch {self.launches} before action #{len(self.actions)}: {exc}"
                log(message)
                self.unexpected_exits.append(message)
                self.record("launch_failed", n=self.launches, error=str(exc))
                if self.app.alive():
                    self.app.kill9()
                if attempt == attempts:
                    raise

    def wait_ready(self) -> dict[str, Any]:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            assert self.app is not None
            if not self.app.alive():
                raise RuntimeError(f"the app exited with {self.app.proc.returncode} while starting; its log: "
                                   f"{self.app.log_path}")
            doc = self.app_status(timeout=5.0)
            if doc is not None and doc.get("source") == "app":
                return doc
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer on its socket within {READY_TIMEOUT:g} s "
                                   f"(log: {self.app.log_path})")
            time.sleep(0.05)

    def ensure_app(self) -> None:
        if self.app is not None and self.app.alive():
            return
        code = self.app.proc.returncode if self.app else None
        message = f"the app exited on its own (code {code}) before action #{len(self.actions)}; relaunched"
        log(message)
        self.unexpected_exits.append(message)
        self.record("unexpected_exit", code=code)
        self.launch()

    def kill_and_relaunch(self, mode: str) -> None:
        assert self.app is not None
        if mode == "on_request":
            seen = len(self.state.requests)
            deadline = time.monotonic() + 8.0
            while len(self.state.requests) == seen and time.monotonic() < deadline:
                time.sleep(0.002)
        elif mode == "random":
            time.sleep(self.rng.uniform(0.0, 2.5))   # the moment is random by design
        pid = self.app.pid
        self.app.kill9()
        self.kills[mode] += 1
        log(f"kill -9 {pid} ({mode}) after action #{len(self.actions) - 1}; relaunching")
        self.record("kill", mode=mode, pid=pid, faults=self.fault_text())
        self.launch()

    def icon(self) -> Any:
        from support.virtual_screen import wait_for

        screen = self.rig.screen
        if screen._tray is not None and screen._tray.poll() is not None:   # the tray host died: a new one
            self.setup_notes.append(f"trayer exited ({screen._tray.returncode}) before action #{len(self.actions)}; "
                                    "restarted")
            screen.start_tray()
            from _xprobe import XProbe

            self.rig.probe.close()
            self.rig.probe = XProbe(screen.display or "")
        return wait_for(lambda: self.rig.probe.docked_icon(APP_CLASS), ICON_TIMEOUT, "the docked icon")

    # -- faults -------------------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        p = event.params
        f = self.faults
        if event.kind == "fail":
            f.fail_next(p["status"], p["count"], retry_after=p.get("retry_after"), html=p["html"])
        elif event.kind == "drop":
            f.drop_next(p["count"])
        elif event.kind == "malformed":
            f.malformed_next(p["count"])
        elif event.kind == "latency":
            f.latency = p["seconds"]
            self.latency = p["seconds"]
        elif event.kind == "latency_clear":
            if self.latency:
                # A request already held still runs to its end, then is applied (even if the app gave up).
                self.latency_land_by = max(self.latency_land_by, time.monotonic() + self.latency + 1.0)
            f.latency = 0.0
            self.latency = 0.0
        elif event.kind == "blackhole":
            f.blackhole_next(p["count"], hold=p["hold"])
        elif event.kind == "huge":
            f.huge_next(p["count"], size=p["size"], chunked=p["chunked"])
        elif event.kind == "stall":
            f.stall_after_headers_next(p["count"], seconds=p["seconds"])
        elif event.kind == "revoke":
            if self.signed_out_by_revoke:
                return
            self.state.revoke_token(self.rig.token)
            self.signed_out_by_revoke = True
        elif event.kind == "outage":
            f.fail_next(503, 10_000)
        elif event.kind == "outage_end":
            f.clear()
            if self.latency:
                self.latency_land_by = max(self.latency_land_by, time.monotonic() + self.latency + 1.0)
            self.latency = 0.0
        elif event.kind == "recover":
            self.recover()
            return
        elif event.kind == "quiet":
            self.quiet_period()
            return
        if event.kind in FAULT_KINDS:
            self.fault_counts[event.kind if event.kind != "fail" else f"fail {p['status']}"] += 1
        if event.kind == "outage":
            self.fault_counts["outage (every request 503)"] += 1
        self.record("fault", kind=event.kind, params=p, faults=self.fault_text())

    def recover(self) -> None:
        """The user signs in again: a new token from the server's page, ``login --with-token``."""
        if not self.signed_out_by_revoke:
            return
        self.tokens += 1
        token = f"soak-token-{self.plan.seed}-{self.tokens}-0123456789"
        self.state.add_token(token, self.me)
        results = []
        for _ in range(LOGIN_ATTEMPTS):
            r = self.cli("login", "--with-token", stdin=token + "\n")
            results.append((r.code, r.stdout or r.stderr))
            if r.code == 0:
                break
        self.record("login", attempts=results)
        if results[-1][0] != 0:
            raise RuntimeError(f"login --with-token failed {LOGIN_ATTEMPTS} times: {results}")
        self.rig.token = token
        self.signed_out_by_revoke = False
        deadline = time.monotonic() + 40.0   # the app reads the keyring again (it may have to retry)
        while time.monotonic() < deadline:
            doc = self.app_status()
            if doc is not None and doc.get("state") != "signed_out":
                return
            time.sleep(0.1)
        self.setup_notes.append(f"after login before action #{len(self.actions)} the app still said signed_out")

    def quiet_period(self, limit: float = 20.0) -> None:
        self.quiet += 1
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            doc = self.app_status()
            if doc is not None and doc.get("pending") == 0:
                break
            time.sleep(0.1)
        self.record("quiet", status=self.app_status())

    # -- one action ---------------------------------------------------------------------------------

    def act(self, index: int, front: str, args: tuple[str, ...]) -> Action:
        command = front if front != "shell" else " ".join(args)
        a = Action(index, front, command, faults=self.fault_text())
        before = self.app_status()
        a.before = before
        running_before = shown_task(before)
        if front != "shell" or args[0] == "toggle":
            if running_before is not None:
                a.meant = "stop"
            else:
                a.meant, a.meant_task = f"start latest (task {self.model_latest})", self.model_latest
        elif args[0] == "start":
            if args[1] == "--task":
                a.meant_task = int(args[2])
            else:
                a.meant_task = self.task_of_line(args[1])
            a.meant = f"start task {a.meant_task}"
        else:
            a.meant = "stop"
            a.comment = args[2] if len(args) > 2 else None
        if (before or {}).get("state") != "signed_out" and running_before != self.model_running:
            a.notes.append(f"the app showed task {running_before} running, the accepted actions say "
                           f"{self.model_running}")
        if front == "shell":
            self.shell(a, args)
        else:
            self.gui(a, front, before)
        a.after = self.app_status()
        self.follow(a)
        self.actions.append(a)
        self.record("action", **asdict(a))
        return a

    def gui(self, a: Action, front: str, before: dict[str, Any] | None) -> None:
        screen = self.rig.screen
        if front == "click":
            icon = self.icon()
            x, y = icon.centre
            gap = time.monotonic() - self.last_click
            if gap < DOUBLE_CLICK_S:
                time.sleep(DOUBLE_CLICK_S - gap)   # Qt's double-click interval: two clicks stay two clicks
            a.t = time.time()
            screen.xdotool("mousemove", str(x), str(y), "click", "1")
            self.last_click = time.monotonic()
        else:
            a.t = time.time()
            screen.xdotool("key", HOTKEY)
        was = shown_task(before)
        signed_out = (before or {}).get("state") == "signed_out"
        deadline = time.monotonic() + (1.0 if signed_out else CLICK_SETTLE_S)
        while time.monotonic() < deadline:   # until the app shows the click's effect (or plainly none)
            doc = self.app_status()
            if doc is not None and shown_task(doc) != was:
                break
            time.sleep(0.02)
        r = self.cli("status", "--json")
        a.t_end = time.time()
        try:
            shown = json.loads(r.stdout) if r.stdout else None
        except ValueError:
            shown = None
        a.shown = shown
        a.exit_code = r.code
        a.problems += status_problems(shown) if r.code == 0 else [f"status --json exited {r.code}: {r.stderr}"]
        now = shown_task(shown)
        kept = int((shown or {}).get("pending") or 0) > int((before or {}).get("pending") or 0)
        if shown is not None and shown.get("state") == "signed_out" and kept and not signed_out:
            # Signed out by a 401 right after the click, which the app says it keeps (pending
            # went up): queued, to be sent with the click's time after the next sign-in.
            if was is not None:
                a.told, a.told_kind = "queued", "stop"
            else:
                a.told, a.told_kind, a.told_task = "queued", "start", a.meant_task
            a.notes.append(f"the {front} was kept while the app was signed out by the server")
        elif shown is None or shown.get("state") == "signed_out":
            a.told = "none"
        elif was is None and now is not None:
            a.told, a.told_kind, a.told_task = ("queued" if shown.get("pending") else "done"), "start", now
        elif was is not None and now is None:
            a.told, a.told_kind = ("queued" if shown.get("pending") else "done"), "stop"
        elif was is not None and now is not None and now != was:
            a.told, a.told_kind, a.told_task = ("queued" if shown.get("pending") else "done"), "start", now
            a.notes.append(f"a {front} switched from task {was} to {now}")
        else:
            a.told = "none"
        if a.told == "none" and not signed_out:
            a.notes.append(f"the {front} showed no change (state {(shown or {}).get('state')})")

    def shell(self, a: Action, args: tuple[str, ...]) -> None:
        r = self.cli(*args)
        a.t, a.t_end = r.t, r.t_end
        a.exit_code, a.stdout, a.stderr = r.code, r.stdout, r.stderr
        line = r.stdout.splitlines()[0] if r.stdout else ""
        if r.code == 0:
            a.told = "done"
            if line.startswith("▶ started "):
                a.told_kind, a.told_task = "start", self.task_of_line(line[len("▶ started "):])
                if a.told_task is None:
                    a.problems.append(f"exit 0 but the started task is not one of the account's: {line!r}")
            elif line.startswith("▶ already running"):
                a.told_kind = "noop"
            elif line == "■ not running (nothing to stop)":
                a.told_kind = "noop"
            elif line.startswith("■ stopped"):
                a.told_kind = "stop"
                self.check_stopped(a, re.sub(r" \d+:\d\d:\d\d$", "", line[len("■ stopped"):]))
            else:
                a.told_kind = None
                a.problems.append(f"exit 0 with a line not in the contract: {r.stdout!r}")
        elif r.code == 6:
            a.told = "queued"
            m = QUEUED_LINE.match(line)
            if m is None:
                a.problems.append(f"exit 6 with a line not in the contract: {r.stdout!r}")
            else:
                a.told_kind = "start" if m.group(1) == "started" else "stop"
                if a.told_kind == "start":
                    a.told_task = self.task_of_line(m.group(2))
                    if a.told_task is None:
                        a.problems.append(f"queued a start of an unknown task: {line!r}")
                else:
                    self.check_stopped(a, m.group(2) or "")
                clocks = {datetime.fromtimestamp(x, ACCOUNT_ZONE).strftime("%H:%M") for x in (r.t, r.t_end)}
                if m.group(3) not in clocks:
                    a.problems.append(f"queued with the time {m.group(3)}, the user acted at {sorted(clocks)}")
        elif r.code in (1, 3, 4):
            a.told = "refused"
            if not r.stderr:
                a.problems.append(f"exit {r.code} with nothing on stderr (stdout {r.stdout!r})")
        else:
            a.told = "refused"
            a.problems.append(f"exit {r.code} is not an outcome of `{' '.join(args)}` in the contract: "
                              f"{r.stdout!r} {r.stderr!r}")
        if a.told == "done" and a.told_kind in ("start", "stop"):
            self.check_done(a)

    def check_stopped(self, a: Action, what: str) -> None:
        """A stop names what it stopped: what the app showed running just before."""
        was = shown_task(a.before)
        named = self.task_of_line(what)
        if what.strip() and was is not None and named != was:
            a.problems.append(f"told it stopped {what.strip()!r} (task {named}); the app showed task {was} running")

    def check_done(self, a: Action) -> None:
        """Done means the server confirmed it: look at once."""
        running = self.server_running()
        if a.told_kind == "start" and (running is None or running["task_id"] != a.told_task):
            a.problems.append(f"told done (started task {a.told_task}) but the server ran "
                              f"{running and running['task_id']} at that moment")
        if a.told_kind == "stop" and running is not None and running["started_at"] < a.t - MISTIMED_S:
            a.problems.append(f"told done (stopped) but the server still ran entry {running['id']} "
                              f"(task {running['task_id']}) at that moment")

    def follow(self, a: Action) -> None:
        """The accepted actions' picture of what runs (what the user was told happened)."""
        if not a.accepted:
            return
        if a.told_kind == "start" and a.told_task is not None:
            self.model_running = a.told_task
            self.model_latest = a.told_task
            if a.meant_task is not None and a.meant_task != a.told_task and a.meant != "stop":
                a.notes.append(f"meant task {a.meant_task}, started {a.told_task}")
        elif a.told_kind == "stop":
            self.model_running = None
        if a.meant == "stop" and a.told_kind == "start" or a.meant.startswith("start") and a.told_kind == "stop":
            a.notes.append(f"meant {a.meant}, told {a.told_kind}")

    # -- before and after ------------------------------------------------------------------------------

    def prepare(self) -> None:
        rig = self.rig
        for key, value in (("comment_on_stop", "false"), ("notifications", "false"), ("language", "en"),
                           ("poll_interval", str(self.plan.poll_interval))):
            r = self.cli("config", "set", key, value)
            if r.code != 0:
                raise RuntimeError(f"config set {key} {value} failed ({r.code}): {r.stderr}")
        r = self.cli("login", "--with-token", stdin=rig.token + "\n")
        if r.code != 0:
            raise RuntimeError(f"login failed ({r.code}): {r.stdout} {r.stderr}")
        # A running entry before the app starts (the "seeded" one a user would have): the run stops it.
        entries = self.state.entries_of(self.me)
        latest = max(entries, key=lambda e: (e["started_at"], e["id"]))
        if self.server_running() is None:
            self.state.start_task(self.me, latest["team_id"], latest["task_id"])
        self.launch()
        self.icon()
        r = self.cli("stop")
        self.record("setup_stop", code=r.code, stdout=r.stdout, stderr=r.stderr)
        deadline = time.monotonic() + 30.0
        while True:
            doc = self.app_status()
            if self.server_running() is None and doc is not None and shown_task(doc) is None \
                    and doc.get("pending") == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"could not reach idle before the run: server {self.server_running()}, "
                                   f"app {doc}, stop said {r.code} {r.stdout} {r.stderr}")
            time.sleep(0.05)
        with self.state.lock:
            self.baseline_id = max(self.state.entries)
        self.model_running = None
        self.model_latest = latest["task_id"]
        self.record("baseline", max_entry_id=self.baseline_id, latest_task=self.model_latest)

    def finish(self) -> None:
        self.faults.clear()
        if self.latency:
            self.latency_land_by = max(self.latency_land_by, time.monotonic() + self.latency + 1.0)
            self.latency = 0.0
        self.record("final_clear")
        self.ensure_app()
        self.recover()
        started = time.monotonic()
        deadline = started + self.plan.drain_timeout
        doc = None
        while True:
            doc = self.app_status()
            settled = (doc is not None and doc.get("pending") == 0 and doc.get("state") != "signed_out"
                       and self.faults.holding == 0 and time.monotonic() >= self.latency_land_by)
            if settled or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        # One poll's worth more, so the app has seen the server's last word (its state is compared too).
        poll_deadline = time.monotonic() + self.plan.poll_interval * 1.2 + 2
        while time.monotonic() < poll_deadline:
            doc = self.app_status()
            if doc is not None and shown_task(doc) == ((self.server_running() or {}).get("task_id")):
                break
            time.sleep(0.2)
        self.drain = {"seconds": round(time.monotonic() - started, 1), "status": doc,
                      "settled": bool(doc is not None and doc.get("pending") == 0)}
        self.record("drained", **self.drain)

    # -- the whole run ----------------------------------------------------------------------------------

    def run(self) -> Report:
        t0 = time.monotonic()
        self.prepare()
        log(f"seed {self.plan.seed}: {self.plan.actions} actions, {len(self.schedule.kills)} kills scheduled")
        for i, (front, args) in enumerate(self.schedule.commands):
            for event in self.schedule.before[i]:
                self.apply(event)
            self.ensure_app()
            self.act(i, front, args)
            if i in self.schedule.kills:
                self.kill_and_relaunch(self.schedule.kills[i])
            if (i + 1) % 50 == 0:
                log(f"{i + 1} actions, {time.monotonic() - t0:.0f} s")
        self.finish()
        final_app = self.drain.get("status")
        final_server = self.server_running()
        entries = [e for e in self.state.entries_of(self.me) if e["id"] > self.baseline_id]
        comments = {}
        for e in entries:
            c = self.state.comment_of(e)
            if c is not None:
                comments[e["id"]] = c["content"]
        assert self.app is not None
        code = self.app.terminate()
        if code not in (0, None):
            self.unexpected_exits.append(f"the app exited with {code} on SIGTERM at the end")
        data = self.rig.env["XDG_DATA_HOME"]
        outbox = Path(data) / "timecrowd-tray" / "outbox.sqlite3"
        intents = read_outbox(outbox)
        self.keep_files()
        (self.out / "server.json").write_text(json.dumps({
            "baseline_id": self.baseline_id, "entries": entries, "comments": comments, "final_app": final_app,
            "final_server": final_server, "drain": self.drain, "intents": intents,
            "faults_hit": list(self.faults_hit)}, ensure_ascii=False, indent=1),
            encoding="utf-8")
        elapsed = time.monotonic() - t0
        stats: dict[str, Any] = {}
        issues = compare(self.actions, entries, comments, intents, final_app, final_server, stats,
                         faults_hit=list(self.faults_hit))
        if not self.drain.get("settled"):
            issues.append(Issue("lost", None, f"the app still had pending actions after {self.plan.drain_timeout:g} s "
                                              f"with the faults cleared: {final_app}"))
        self.timeline.close()
        return Report(self.plan, self.actions, issues, entries, self.fault_counts, self.kills, self.launches,
                      self.quiet, elapsed, self.drain, self.unexpected_exits + self.setup_notes, self.out, stats)

    def keep_files(self) -> None:
        home = self.rig.home
        for sub, name in (("state/timecrowd-tray", "app-log-dir"), ("data/timecrowd-tray", "app-data")):
            src = home / sub
            if src.exists():
                shutil.copytree(src, self.out / name, dirs_exist_ok=True)


def watch_faults(state: Any) -> list[dict[str, Any]]:
    """Note which request each one-shot fault answered (the emulator applies them in the order given)."""
    hits: list[dict[str, Any]] = []
    take = state.faults.take

    def taking() -> Any:
        latency, fault = take()
        if fault is not None:   # recorded just before take(), with no await between: this request
            method, path = state.requests[-1][:2] if state.requests else ("?", "?")
            hits.append({"t": time.time(), "kind": fault.kind, "status": fault.status, "method": method,
                         "path": path})
        return latency, fault

    state.faults.take = taking
    return hits


def read_outbox(path: Path) -> list[dict[str, Any]]:
    """The app's outbox rows (read after it quit): what it sent, dropped and why."""
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(
            "SELECT id, kind, acted_at, state, attempts, last_error, entry_id, finished_at, payload FROM intents "
            "ORDER BY id")]
    finally:
        db.close()


# -- the comparison ----------------------------------------------------------------------------------------


@dataclass
class Interval:
    task: int
    start: float
    start_action: int
    end: float | None = None
    end_action: int | None = None
    comment: str | None = None
    comment_action: int | None = None


def _told(a: Action) -> str:
    """What the user of a refused (or no-change) action was told, in words."""
    if a.front == "shell":
        return f"told {a.told} (exit {a.exit_code})"
    shown = a.shown or {}
    if shown.get("state") == "signed_out":
        return f"the app showed signed_out with pending {shown.get('pending')} (nothing kept)"
    return f"the app showed no change ({shown.get('state')}, task {shown_task(shown)})"


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%H:%M:%S") if ts is not None else "-"


_GAP = 1000.0


def _pair_cost(iv: Interval, e: dict[str, Any]) -> float | None:
    """How well entry ``e`` fits interval ``iv`` (lower is better); None: it cannot be that start."""
    if e["task_id"] != iv.task:
        return None
    delta = abs(e["started_at"] - iv.start)
    if delta > MATCH_WINDOW_S:
        return None
    delta = abs(e["started_at"] + 0.5 - iv.start)   # the server keeps whole seconds (truncated)
    cost = delta + (0.0 if delta <= MISTIMED_S else 100.0)
    if (iv.end is None) != (e["stopped_at"] is None):
        cost += 30.0
    elif iv.end is not None:
        cost += min(abs(e["stopped_at"] + 0.5 - iv.end), 60.0) * 0.5
    return cost


def _align(ivs: list[Interval], ents: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """An order-preserving matching of ``ivs`` to ``ents`` of least cost (a gap costs :data:`_GAP`)."""
    n, m = len(ivs), len(ents)
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]   # 1 skip interval, 2 skip entry, 3 pair
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = dp[i][j]
            if here == inf:
                continue
            if i < n and here + _GAP < dp[i + 1][j]:
                dp[i + 1][j], step[i + 1][j] = here + _GAP, 1
            if j < m and here + _GAP < dp[i][j + 1]:
                dp[i][j + 1], step[i][j + 1] = here + _GAP, 2
            if i < n and j < m:
                cost = _pair_cost(ivs[i], ents[j])
                if cost is not None and here + cost < dp[i + 1][j + 1]:
                    dp[i + 1][j + 1], step[i + 1][j + 1] = here + cost, 3
    pairs = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 3:
            pairs.append((i - 1, ents[j - 1]))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def compare(actions: list[Action], entries: list[dict[str, Any]], comments: dict[int, str],
            intents: list[dict[str, Any]], final_app: dict[str, Any] | None,
            final_server: dict[str, Any] | None, stats: dict[str, Any] | None = None, *,
            faults_hit: list[dict[str, Any]] = ()) -> list[Issue]:
    """The four counts' issues: the accepted actions replayed into a timeline, against the server."""
    issues: list[Issue] = []
    by_index = {a.index: a for a in actions}

    def action_at(ts: float) -> Action | None:
        """The action an intent stamped ``ts`` belongs to: the last one made before it (and told after it)."""
        found = None
        for a in actions:
            if a.t <= ts:
                found = a
        return found if found is not None and ts <= found.t_end + 0.5 else None

    # 0. What was wrong at once (a "done" the server did not have, a line not in the contract).
    for a in actions:
        for problem in a.problems:
            issues.append(Issue("misreported", a.index, f"{a.label()}: {problem}"))

    # 1. What the app dropped later (and said so in a notification). A drop the emulator was told to
    #    cause (a 4xx fault answered one of its requests meanwhile) is a refusal: it leaves the timeline,
    #    and the server must then show none of it (checked below). A drop for another reason is a loss.
    #    A dependent (the stop of a start that was dropped) follows its start and is not counted again.
    refusals = [h["t"] for h in faults_hit if h["kind"] == "fail" and 400 <= h["status"] < 500
                and h["status"] != 429]
    dropped: dict[int, dict[str, str]] = {}
    rejected: list[tuple[Action, str, int | None, float, float, str]] = []  # action, kind, task, at, done, why
    for row in intents:
        if row["state"] != "rejected":
            continue   # pending ones are counted by the drain
        at = float(row["acted_at"])
        finished = float(row.get("finished_at") or at)
        message = row["last_error"] or ""
        dependent = "could not be started" in message
        refusal = next((t for t in refusals if at - 0.1 <= t <= finished + 0.5), None)
        if refusal is not None:
            refusals.remove(refusal)
        a = action_at(at)
        if a is None:
            if refusal is None and not dependent:
                issues.append(Issue("lost", None, f"the app dropped a {row['kind']} made at {_when(at)} that "
                                                  f"matches no action: {message}"))
            continue
        dropped.setdefault(a.index, {})[row["kind"]] = message
        task = None
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            task = int(json.loads(row.get("payload") or "{}").get("task", {}).get("id"))
        rejected.append((a, row["kind"], task, at, finished, message))
        if a.accepted and refusal is None and not dependent:
            issues.append(Issue("lost", a.index, f"{a.label()}: the app dropped its {row['kind']} (no refusal "
                                                 f"from the server): {message}"))

    # 1b. What the app kept and sent for an action it showed or said it did not do.
    for row in intents:
        if row["state"] != "done":
            continue
        a = action_at(float(row["acted_at"]))
        if a is not None and not a.accepted:
            issues.append(Issue("misreported", a.index, f"{a.label()}: {_told(a)}, but the app kept its "
                                                        f"{row['kind']} (outbox row {row['id']}) and sent it"))

    def rejected_near(ts: float, kind: str, task: int | None = None) -> tuple[Action, str] | None:
        """A drop the app announced although the server did it (near ``ts``)."""
        for a, k, t, at, finished, message in rejected:
            if k == kind and at - MISTIMED_S <= ts <= finished + MISTIMED_S and (task is None or t in (None, task)):
                return a, message
        return None

    # 2. The expected timeline.
    intervals: list[Interval] = []
    running: Interval | None = None
    for a in actions:
        if not a.accepted or a.told_kind not in ("start", "stop"):
            continue
        gone = dropped.get(a.index, {})
        if a.told_kind == "start" and a.told_task is not None:
            # Told "started" (not "already running"): a new entry, even of the task the accepted actions
            # say runs (then the app knew better: something ended it that the user was not told of).
            if running is not None:
                running.end, running.end_action = a.t, a.index
                running = None
            if "start" in gone:
                continue
            running = Interval(a.told_task, a.t, a.index)
            intervals.append(running)
        elif a.told_kind == "stop" and running is not None:
            if "stop" in gone:
                continue
            running.end, running.end_action = a.t, a.index
            if a.comment and "comment" not in gone:
                running.comment, running.comment_action = a.comment, a.index
            running = None

    # 3. Match intervals to entries. The outbox sends in order, so the server's entries (by id) follow
    #    the actions' order: an order-preserving alignment of least cost (close starts and stops), where
    #    an interval may match nothing (lost) and an entry may match nothing (duplicated).
    ordered = sorted(entries, key=lambda e: e["id"])
    match = {k: e for k, e in _align(intervals, ordered)}
    used = {e["id"] for e in match.values()}

    if stats is not None:
        stats.update(intervals=len(intervals), matched=len(match))
    accepted_times = sorted(a.t for a in actions if a.accepted)
    refused = [a for a in actions if not a.accepted]

    def refused_near(ts: float, kind: str, task: int | None = None) -> Action | None:
        for a in refused:
            if abs(a.t - ts) > MISTIMED_S:
                continue
            would_stop = a.meant == "stop"
            if kind == "stop" and would_stop:
                return a
            if kind == "start" and not would_stop and (task is None or a.meant_task in (None, task)
                                                       or a.front != "shell" or a.command.startswith("toggle")):
                return a
        return None

    lost_starts: dict[int, Issue] = {}
    for k, iv in enumerate(intervals):
        a = by_index[iv.start_action]
        e = match.get(k)
        if e is None:
            issue = Issue("lost", a.index, f"{a.label()}: the start of task {iv.task} at {_when(iv.start)} never "
                                           f"reached the server")
            lost_starts[k] = issue
            issues.append(issue)
            continue
        if abs(e["started_at"] - iv.start) > MISTIMED_S:
            issues.append(Issue("mistimed", a.index, f"{a.label()}: entry {e['id']} of task {iv.task} started at "
                                                     f"{_when(e['started_at'])}, the user acted at "
                                                     f"{_when(iv.start)} ({e['started_at'] - iv.start:+.0f} s)"))
        got = e["stopped_at"]
        if iv.end is None:
            if got is not None and (dropped_stop := rejected_near(got, "stop")) is not None:
                r_action, why = dropped_stop
                issues.append(Issue("misreported", r_action.index, f"{r_action.label()}: the app said its stop "
                                                                   f"was not done ({why}), but entry {e['id']} "
                                                                   f"stopped at {_when(got)}"))
            elif got is not None:
                r = refused_near(got, "stop")
                if r is not None:
                    issues.append(Issue("misreported", r.index, f"{r.label()}: {_told(r)} but entry {e['id']} "
                                                                f"stopped at {_when(got)}"))
                else:
                    issues.append(Issue("misreported", a.index, f"entry {e['id']} (task {iv.task}, started by "
                                                                f"{a.label()}) stopped at {_when(got)}; no accepted "
                                                                "action stopped it"))
        else:
            ender = by_index[iv.end_action] if iv.end_action is not None else a
            if got is None:
                issues.append(Issue("lost", ender.index, f"{ender.label()}: entry {e['id']} (task {iv.task}) "
                                                         "still runs on the server"))
            elif abs(got - iv.end) > MISTIMED_S and (dropped_stop := rejected_near(got, "stop")) is not None:
                r_action, why = dropped_stop
                issues.append(Issue("misreported", r_action.index, f"{r_action.label()}: the app said its stop "
                                                                   f"was not done ({why}), but entry {e['id']} "
                                                                   f"stopped at {_when(got)}"))
            elif abs(got - iv.end) > MISTIMED_S:
                r = refused_near(got, "stop") if got < iv.end else None
                later = any(abs(t - got) <= MISTIMED_S for t in accepted_times if t > iv.end + MISTIMED_S)
                if r is not None:
                    issues.append(Issue("misreported", r.index, f"{r.label()}: {_told(r)} but entry {e['id']} "
                                                                f"stopped at {_when(got)}"))
                elif got > iv.end and later:
                    issues.append(Issue("lost", ender.index, f"{ender.label()}: entry {e['id']} (task {iv.task}) "
                                                             f"ran on until {_when(got)} (a later action)"))
                else:
                    issues.append(Issue("mistimed", ender.index, f"{ender.label()}: entry {e['id']} stopped at "
                                                                 f"{_when(got)}, the user acted at {_when(iv.end)} "
                                                                 f"({got - iv.end:+.0f} s)"))
        if iv.comment is not None:
            have = comments.get(e["id"])
            if have != iv.comment:
                c = by_index[iv.comment_action] if iv.comment_action is not None else a
                issues.append(Issue("lost", c.index, f"{c.label()}: entry {e['id']} has the comment {have!r}, "
                                                     f"not {iv.comment!r}"))

    # 4. Entries no accepted action explains.
    for e in entries:
        if e["id"] in used:
            continue
        start = e["started_at"]
        wrong = next((k for k, iv in enumerate(intervals) if k in lost_starts
                      and abs(iv.start - start) <= MISTIMED_S), None)
        if wrong is not None:
            iv = intervals[wrong]
            issue = lost_starts.pop(wrong)
            issues.remove(issue)
            a = by_index[iv.start_action]
            issues.append(Issue("misreported", a.index, f"{a.label()}: told task {iv.task}, the server started "
                                                        f"task {e['task_id']} (entry {e['id']})"))
            continue
        dropped_start = rejected_near(start, "start", e["task_id"])
        if dropped_start is not None:
            r_action, why = dropped_start
            issues.append(Issue("misreported", r_action.index, f"{r_action.label()}: the app said the start was "
                                                               f"not done ({why}), but entry {e['id']} (task "
                                                               f"{e['task_id']}) started at {_when(start)} and ran "
                                                               f"until {_when(e['stopped_at'])}"))
            continue
        r = refused_near(start, "start", e["task_id"])
        if r is not None:
            issues.append(Issue("misreported", r.index, f"{r.label()}: {_told(r)} but entry {e['id']} (task "
                                                        f"{e['task_id']}) started at {_when(start)}"))
            continue
        twin = next((m for m in match.values() if m["task_id"] == e["task_id"]
                     and abs(m["started_at"] - start) <= MATCH_WINDOW_S), None)
        near = action_at(start)
        what = f"a second entry for the start of entry {twin['id']}" if twin else "no action explains it"
        issues.append(Issue("duplicated", near.index if near else None,
                            f"entry {e['id']} (task {e['task_id']}, {_when(start)}-{_when(e['stopped_at'])}): "
                            f"{what}" + (f"; nearest action {near.label()}" if near else "")))

    # 5. At the end the app shows what the server has.
    if final_app is not None and shown_task(final_app) != (final_server or {}).get("task_id"):
        issues.append(Issue("misreported", None, f"at the end the app shows {final_app}, the server runs "
                                                 f"{final_server}"))
    # One misreport per action is enough (the outbox and the server may both tell the same story).
    seen: set[int] = set()
    kept = []
    for issue in issues:
        if issue.category == "misreported" and issue.action is not None:
            if issue.action in seen:
                continue
            seen.add(issue.action)
        kept.append(issue)
    return kept


# -- the report ----------------------------------------------------------------------------------------------


@dataclass
class Report:
    plan: Plan
    actions: list[Action]
    issues: list[Issue]
    entries: list[dict[str, Any]]
    faults: Counter[str]
    kills: Counter[str]
    launches: int
    quiet: int
    elapsed: float
    drain: dict[str, Any]
    notes: list[str]
    out: Path
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(i.category for i in self.issues)
        return {k: c.get(k, 0) for k in CATEGORIES}

    def rows(self) -> list[tuple[str, str]]:
        acts = Counter(a.front for a in self.actions)
        shell = Counter(a.command.split()[0] for a in self.actions if a.front == "shell")
        told = Counter(a.told for a in self.actions)
        by_front = {f: Counter(a.told for a in self.actions if a.front == f) for f in ("click", "hotkey", "shell")}
        fail = {k: v for k, v in self.faults.items() if k.startswith("fail")}
        others = {k: self.faults.get(k, 0) for k in FAULT_KINDS if k != "fail"}
        others |= {k: v for k, v in self.faults.items() if k not in others and not k.startswith("fail")}
        minutes, seconds = divmod(int(self.elapsed), 60)
        rows = [
            ("actions", f"{len(self.actions)}: click {acts['click']}, shortcut {acts['hotkey']}, shell {acts['shell']} "
                        f"(toggle {shell['toggle']}, start {shell['start']}, stop {shell['stop']})"),
            ("told", f"done {told['done']}, queued {told['queued']}, refused {told['refused']}, "
                     f"no change shown {told['none']}"),
        ]
        for f, c in by_front.items():
            name = f if f != "hotkey" else "shortcut"
            rows.append((f"  {name}", ", ".join(f"{k} {v}" for k, v in sorted(c.items()))))
        rows += [
            ("faults", f"{sum(self.faults.values())}: " + ", ".join(f"{k} {v}" for k, v in others.items())
             + ", " + ", ".join(f"{k} {v}" for k, v in sorted(fail.items()))),
            ("kill -9 + relaunch", f"{sum(self.kills.values())}: " + ", ".join(f"{k} {v}" for k, v in
                                                                           sorted(self.kills.items()))
             + f" (launches {self.launches})"),
            ("quiet periods", str(self.quiet)),
            ("server entries made", f"{len(self.entries)} (expected {self.stats.get('intervals')}, matched "
                                    f"{self.stats.get('matched')})"),
            ("final drain", f"{self.drain.get('seconds')} s, pending 0: {self.drain.get('settled')}"),
        ]
        for k, v in self.counts.items():
            rows.append((f"**{k}**" if v else k, str(v)))
        rows.append(("took", f"{minutes} min {seconds:02d} s ({len(self.actions) / max(self.elapsed, 1) * 60:.0f} "
                             "actions/min)"))
        return rows

    def render(self, markdown: bool = False, examples: int = 5) -> str:
        lines = [f"Fault soak, seed {self.plan.seed}: {len(self.actions)} actions"]
        rows = self.rows()
        if markdown:
            lines += ["", "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
        else:
            width = max(len(k) for k, _ in rows)
            lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
        for category in CATEGORIES:
            found = [i for i in self.issues if i.category == category]
            if found:
                lines.append(f"\n{category}: {len(found)}; the first {min(examples, len(found))}:")
                lines += [f"  - {i.text}" for i in found[:examples]]
        notes = Counter(n.split(":")[0] if "showed no change" in n else n.split(" task")[0]
                        for a in self.actions for n in a.notes)
        if notes:
            lines.append("\nnotes (not counted): " + "; ".join(f"{k} x{v}" for k, v in notes.most_common(8)))
        for note in self.notes:
            lines.append(f"note: {note}")
        lines.append(f"\nartifacts: {self.out}")
        return "\n".join(lines)


def snapshot_tree(out: Path) -> Path:
    """A copy of desktop/ for the run: others may edit the tree meanwhile; the run tests one version."""
    target = out / "desktop-snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "desktop", target, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache",
                                                                             "*.egg-info"))
    return target


def run(plan: Plan, out: Path, workdir: Path | None = None, pythonpath: Path | None = None) -> Report:
    """One run in a fresh session (keyring, emulator, screen, app); the report.

    ``pythonpath``: where the app (and its shell commands) import timecrowd_tray from (a snapshot);
    by default the tree this file is in.
    """
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tct-soak-")))
        rig = stack.enter_context(session(workdir, str(pythonpath) if pythonpath else None))
        soak = Soak(plan, rig, out)
        try:
            report = soak.run()
        finally:
            if soak.app is not None and soak.app.alive():
                soak.app.terminate()
                soak.keep_files()
    (out / "report.txt").write_text(report.render() + "\n", encoding="utf-8")
    (out / "report.md").write_text(report.render(markdown=True) + "\n", encoding="utf-8")
    return report


def reanalyze(out: Path) -> list[Issue]:
    """The comparison again, from a run's artifacts (timeline.jsonl and server.json)."""
    names = set(Action.__dataclass_fields__)
    actions = []
    for line in (out / "timeline.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("type") == "action":
            actions.append(Action(**{k: v for k, v in record.items() if k in names}))
    server = json.loads((out / "server.json").read_text(encoding="utf-8"))
    comments = {int(k): v for k, v in server["comments"].items()}
    return compare(actions, server["entries"], comments, server["intents"], server["final_app"],
                   server["final_server"], faults_hit=server.get("faults_hit", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=None, help="how many actions (default 1000; --short 36)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kills", type=int, default=None,
                        help="kill -9 + relaunch count (default: one per 40 actions; --short 2)")
    parser.add_argument("--short", action="store_true", help="the short seeded version tests/e2e runs")
    parser.add_argument("--no-timeouts", action="store_true", help="no latency beyond the client's timeouts")
    parser.add_argument("--out", type=Path, default=None, help="artifacts directory")
    parser.add_argument("--markdown", action="store_true", help="the totals table in Markdown")
    parser.add_argument("--live", action="store_true",
                        help="run the tree as it is (default: a snapshot of desktop/ taken at the start)")
    parser.add_argument("--reanalyze", type=Path, metavar="DIR", help="compare again from a run's artifacts")
    args = parser.parse_args(argv)
    if args.reanalyze:
        issues = reanalyze(args.reanalyze)
        counts = Counter(i.category for i in issues)
        print(", ".join(f"{k} {counts.get(k, 0)}" for k in CATEGORIES))
        for issue in issues:
            print(f"  {issue.category}: {issue.text}")
        return 1 if issues else 0
    plan = Plan.short(seed=args.seed) if args.short else Plan(seed=args.seed)
    if args.actions is not None:
        plan.actions = args.actions
        if not args.short:
            plan.kills = max(2, round(args.actions / 40))   # 25 per 1,000 actions
    if args.kills is not None:
        plan.kills = args.kills
    if args.no_timeouts:
        plan.long_latency_share = 0.0
    if plan.actions < 5:
        parser.error("--actions must be at least 5")

    from support.tools import missing

    absent = missing(*TOOLS)
    if absent:
        print(f"the soak needs {', '.join(absent)} (Debian: xvfb x11-utils trayer xdotool dbus gnome-keyring; "
              "`make soak` installs them when run as root)", file=sys.stderr)
        return 2
    out = args.out or ROOT / "artifacts" / "soak" / f"seed-{plan.seed}-{time.strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    tree = None
    if not args.live:
        tree = snapshot_tree(out)
        sys.path.insert(0, str(tree))   # the emulator too, before anything of timecrowd_tray is imported
        log(f"testing a snapshot of desktop/ in {tree}")
    try:
        report = run(plan, out, pythonpath=tree)
    except RuntimeError as exc:
        print(f"the soak could not run: {exc}", file=sys.stderr)
        return 2
    print(report.render(markdown=args.markdown))
    return 1 if any(report.counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
