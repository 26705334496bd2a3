"""``timecrowd-tray toggle|start|stop|status|palette`` against a running app, and with none.

Every command runs as a real subprocess (``python -m timecrowd_tray ...``).

* "running app", in-process: the real :class:`TimerService` signed in to an
  in-process emulator, with :func:`install_controls` answering on the
  single-instance socket (the tray is a stand-in that records what it was asked
  and toggles through the service, as the real tray does);
* "running app", a real process: ``python -m timecrowd_tray --demo`` under the
  offscreen platform (its own emulator; the URL it prints is read back), when
  the app module exists;
* no app: the command goes to the emulator over HTTP with the token stored in a
  real Secret Service (gnome-keyring on a private D-Bus, ``tests/secret_service.py``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from timecrowd_tray.api.client import TimeCrowdClient
from timecrowd_tray.cli import (
    EXIT_AUTH,
    EXIT_ERROR,
    EXIT_NOT_RUNNING,
    EXIT_OK,
    EXIT_QUEUED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
)
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.platform.hotkeys import NullBackend
from timecrowd_tray.ui.qt_compat import guard_none_refcount

from secret_service import secret_service  # noqa: F401 - fixture

# PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call (see ui/qt_compat.py).
guard_none_refcount()

STATUS_KEYS = {"state", "task", "started_at", "elapsed_seconds", "pending", "source", "idle"}
_pool = ThreadPoolExecutor(max_workers=2)


# -- helpers -------------------------------------------------------------------------


def run_cli(*args: str, qtbot=None, stdin: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the command line in a subprocess; with ``qtbot`` the Qt loop keeps running meanwhile
    (an in-process app must answer on its socket)."""
    child_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    call = lambda: subprocess.run([sys.executable, "-m", "timecrowd_tray", *args], input=stdin,  # noqa: E731
                                  capture_output=True, text=True, env=child_env, timeout=timeout)
    if qtbot is None:
        return call()
    future = _pool.submit(call)
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000) + 5000)
    return future.result()


def status_json(result: subprocess.CompletedProcess) -> dict[str, Any]:
    assert result.returncode == EXIT_OK, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == STATUS_KEYS
    assert doc["state"] in ("running", "idle", "signed_out", "offline")
    assert isinstance(doc["pending"], int)
    if doc["task"] is not None:
        assert set(doc["task"]) == {"id", "title", "team"}
        assert isinstance(doc["elapsed_seconds"], int) and doc["elapsed_seconds"] >= 0
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", doc["started_at"])
    else:
        assert doc["started_at"] is None and doc["elapsed_seconds"] is None
    return doc


def running_entry(state: EmulatorState) -> dict[str, Any] | None:
    return state.snapshot()["running"][str(state.me_id)]


def task_id_by_title(state: EmulatorState, title: str) -> int:
    with state.lock:
        return next(t["id"] for t in state.tasks.values() if t["title"] == title)


def comment_on(state: EmulatorState, entry_id: int) -> str | None:
    entry = state.entry(entry_id)
    comment = state.comment_of(entry) if entry else None
    return comment["content"] if comment else None


@pytest.fixture
def emulator():
    server = EmulatorServer(EmulatorState.seeded())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tct-"))  # short: AF_UNIX paths are limited to ~107 bytes
    path.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    monkeypatch.setenv("TIMECROWD_TRAY_INSTANCE", f"cli-test-{os.getpid()}")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def _module_loop(qapp):
    """One qasync loop for the module (as tests/ui does); the previous loop is put back afterwards."""
    import qasync

    previous = asyncio._get_running_loop()
    loop = qasync.QEventLoop(qapp, already_running=True)  # becomes the running loop
    asyncio.set_event_loop(loop)
    yield loop
    asyncio._set_running_loop(previous)
    asyncio.set_event_loop(previous)


@pytest.fixture
def qloop(_module_loop):
    asyncio._set_running_loop(_module_loop)
    asyncio.set_event_loop(_module_loop)
    yield _module_loop
    for task in asyncio.all_tasks(_module_loop):
        task.cancel()


def wait_for(qtbot, coro, timeout: float = 20.0):
    future = asyncio.ensure_future(coro)
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
    return future.result()


# -- a running app (in-process) -------------------------------------------------------


class StandInTray:
    """What the tray controller offers the controls; toggles through the service as the real one does."""

    def __init__(self, service) -> None:
        self.service = service
        self.calls: list[str] = []

    def toggle(self):
        self.calls.append("toggle")
        return self.service.request_toggle()

    def start_task(self, task):  # the real tray's start: no dialog, nothing to record
        return self.service.request_start(task)

    def open_palette(self):
        self.calls.append("palette")


class Settings(dict):
    def get(self, key, default=None):  # noqa: D102 - SettingsStore's get
        return super().get(key, default)


@pytest.fixture
def app(emulator, runtime_dir, tmp_path, qapp, qtbot, qloop):
    from timecrowd_tray.services.timer_service import TimerService
    from timecrowd_tray.ui.controls import install_controls

    service = TimerService(tmp_path / "data")
    client = TimeCrowdClient(emulator.url, DEMO_TOKEN)
    wait_for(qtbot, service.sign_in(client))
    qtbot.waitUntil(lambda: bool(service.recent_tasks), timeout=10000)
    tray = StandInTray(service)
    notes: list[str] = []
    controls = install_controls(tray, service, Settings({"hotkey.toggle": "", "hotkey.palette": ""}),
                                notes.append, backend=NullBackend())
    assert controls.server is not None and controls.server.is_listening()
    yield tray
    controls.close()
    wait_for(qtbot, service.aclose())
    wait_for(qtbot, client.aclose())


def test_clock_of_prints_the_time_in_the_zone_the_answer_carries(monkeypatch):
    """The app writes every time in the account's zone; the shell prints it as it is, whatever the machine's."""
    from timecrowd_tray.cli.control import clock_of

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert clock_of("2025-10-21T09:16:00+09:00") == "09:16"
        assert clock_of("") == "" and clock_of("soon") == ""
    finally:
        monkeypatch.undo()
        time.tzset()


def test_status_json_from_the_running_app(app, qtbot):
    doc = status_json(run_cli("status", "--json", qtbot=qtbot))
    assert doc == {"state": "idle", "task": None, "started_at": None, "elapsed_seconds": None,
                   "pending": 0, "source": "app", "idle": None}
    human = run_cli("status", qtbot=qtbot)
    assert human.returncode == EXIT_OK and human.stdout.strip() == "■ not running"


def test_toggle_through_the_app_starts_the_latest_task_then_stops_it(app, emulator, qtbot):
    latest = app.service.recent_tasks[0]
    result = run_cli("toggle", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith(f"▶ started {latest.title}")
    entry = running_entry(emulator.state)
    assert entry is not None and entry["task_id"] == latest.id  # the server has it: the app waited
    doc = status_json(run_cli("status", "--json", qtbot=qtbot))
    assert doc["state"] == "running" and doc["source"] == "app"
    assert doc["task"] == {"id": latest.id, "title": latest.title, "team": latest.team_name or doc["task"]["team"]}
    assert doc["task"]["team"]

    result = run_cli("toggle", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith(f"■ stopped {latest.title}")
    assert running_entry(emulator.state) is None
    assert app.calls == ["toggle", "toggle"]  # the hotkey's path: the tray decides (and asks for a comment)


def test_start_by_query_and_by_id_through_the_app(app, emulator, qtbot):
    result = run_cli("start", "週次", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert "週次定例ミーティング" in result.stdout
    assert running_entry(emulator.state)["task_id"] == task_id_by_title(emulator.state, "週次定例ミーティング")

    other = app.service.recent_tasks[-1]
    result = run_cli("start", "--task", str(other.id), qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert running_entry(emulator.state)["task_id"] == other.id

    again = run_cli("start", "--task", str(other.id), qtbot=qtbot)
    assert again.returncode == EXIT_OK and "already running" in again.stdout

    missing = run_cli("start", "zzzzqqqq-no-such-task", qtbot=qtbot)
    assert missing.returncode == EXIT_ERROR
    assert "no task matches" in missing.stderr
    both = run_cli("start", "x", "--task", "1", qtbot=qtbot)
    assert both.returncode == EXIT_USAGE


def test_stop_with_a_comment_through_the_app(app, emulator, qtbot):
    assert run_cli("start", "週次", qtbot=qtbot).returncode == EXIT_OK
    entry_id = running_entry(emulator.state)["id"]
    result = run_cli("stop", "--comment", "議事録を共有した", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith("■ stopped 週次定例ミーティング")
    assert running_entry(emulator.state) is None
    qtbot.waitUntil(lambda: comment_on(emulator.state, entry_id) == "議事録を共有した", timeout=10000)
    assert app.calls == []  # a stop from the shell opens no dialog


def test_stop_when_nothing_runs_through_the_app(app, qtbot):
    result = run_cli("stop", qtbot=qtbot)
    assert result.returncode == EXIT_OK and "not running" in result.stdout
    with_comment = run_cli("stop", "--comment", "x", qtbot=qtbot)
    assert with_comment.returncode == EXIT_ERROR and "comment was not added" in with_comment.stderr


def test_a_start_the_disk_refused_says_so_and_exits_1(app, emulator, qtbot):
    """Before: "▶ started <the task that ran before>", exit 0, though nothing was recorded."""
    import sqlite3

    def full(*_args, **_kw):
        raise sqlite3.OperationalError("database or disk is full")

    app.service._outbox.add_many = full
    result = run_cli("start", "週次", qtbot=qtbot)
    assert result.returncode == EXIT_ERROR, result.stdout
    assert result.stdout == "" and "could not be saved" in result.stderr
    assert running_entry(emulator.state) is None


def test_a_start_while_the_server_is_down_is_queued_with_its_time(app, emulator, qtbot):
    """Before: "▶ started …", exit 0, while nothing had reached the server."""
    emulator.state.faults.fail_next(503, count=10_000)
    result = run_cli("start", "週次", qtbot=qtbot)
    assert result.returncode == EXIT_QUEUED, (result.stdout, result.stderr)
    assert result.stdout.startswith("⏸ queued: started 週次定例ミーティング")
    assert re.search(r"\(\d\d:\d\d\)", result.stdout)
    assert running_entry(emulator.state) is None
    emulator.state.faults.clear()
    app.service.notify_network_changed(True)
    qtbot.waitUntil(lambda: running_entry(emulator.state) is not None, timeout=10000)


def test_a_start_the_server_refuses_is_refused_with_its_words(app, emulator, qtbot):
    emulator.state.faults.fail_next(422)
    result = run_cli("start", "週次", qtbot=qtbot)
    assert result.returncode == EXIT_ERROR and result.stdout == ""
    assert result.stderr.strip()


def test_start_by_id_of_a_task_the_app_has_not_cached(app, emulator, qtbot):
    """Before: "task N is not among the app's recent or cached tasks", exit 1."""
    cached = {t.id for t in app.service.cached_tasks}
    with emulator.state.lock:
        other = next(t for t in emulator.state.tasks.values()
                     if t["id"] not in cached and emulator.state._task_usable(t)
                     and t["team_id"] in {team.id for team in app.service.user.teams}
                     and not emulator.state.teams[t["team_id"]].get("tasks_readonly"))
    result = run_cli("start", "--task", str(other["id"]), qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert running_entry(emulator.state)["task_id"] == other["id"]


def test_whoami_answers_from_the_running_app(app, qtbot):
    """Before: whoami ignored the running app (and needed the keyring)."""
    result = run_cli("whoami", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert app.service.user.nickname in result.stdout and "the running TimeCrowd Tray" in result.stdout


def test_global_options_are_taken_after_the_command_too(app, emulator, qtbot):
    """Before: `status --api-base URL` was "unrecognized arguments" (exit 2)."""
    from timecrowd_tray.cli import build_parser

    args = build_parser().parse_args(["login", "--with-token", "--api-base", emulator.url, "--debug"])
    assert (args.command, args.api_base, args.debug) == ("login", emulator.url, True)
    args = build_parser().parse_args(["--api-base", emulator.url, "status"])
    assert args.api_base == emulator.url  # not overwritten by the command's own (absent) option
    result = run_cli("status", "--json", "--api-base", emulator.url, qtbot=qtbot)
    assert status_json(result)["source"] == "app"


def test_palette_through_the_app(app, qtbot):
    result = run_cli("palette", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert app.calls == ["palette"]


def test_the_shell_commands_import_no_qt_widgets_on_the_way_to_the_app(app, qtbot):
    code = ("import sys; from timecrowd_tray.cli import main; rc = main(['status', '--json']); "
            "print('WIDGETS' if 'PySide6.QtWidgets' in sys.modules else 'NO-WIDGETS', file=sys.stderr); "
            "sys.exit(rc)")
    child_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    future = _pool.submit(subprocess.run, [sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env, timeout=60)
    qtbot.waitUntil(future.done, timeout=65000)
    result = future.result()
    assert result.returncode == EXIT_OK, result.stderr
    assert "NO-WIDGETS" in result.stderr


# -- no app: straight to the API -------------------------------------------------------


def test_palette_without_an_app_exits_not_running(runtime_dir):
    result = run_cli("palette")
    assert result.returncode == EXIT_NOT_RUNNING
    assert "not running" in result.stderr


@pytest.fixture
def signed_in(secret_service, emulator, tmp_path, monkeypatch):  # noqa: F811 - fixture
    monkeypatch.setenv("TIMECROWD_TRAY_INSTANCE", f"cli-api-{os.getpid()}")
    login = run_cli("--api-base", emulator.url, "login", "--with-token", stdin=DEMO_TOKEN + "\n")
    assert login.returncode == EXIT_OK, login.stderr
    return emulator


def test_every_command_without_an_app_goes_to_the_api(signed_in):
    emulator = signed_in
    api = ("--api-base", emulator.url)
    state = emulator.state

    doc = status_json(run_cli(*api, "status", "--json"))
    assert doc == {"state": "idle", "task": None, "started_at": None, "elapsed_seconds": None,
                   "pending": 0, "source": "api", "idle": None}

    toggled = run_cli(*api, "toggle")
    assert toggled.returncode == EXIT_OK, toggled.stderr
    entry = running_entry(state)
    assert entry is not None
    doc = status_json(run_cli(*api, "status", "--json"))
    assert doc["state"] == "running" and doc["source"] == "api"
    assert doc["task"]["id"] == entry["task_id"] and doc["task"]["team"]
    human = run_cli(*api, "status")
    assert human.stdout.startswith(f"▶ {doc['task']['title']} ({doc['task']['team']}) 0:")

    stopped = run_cli(*api, "stop", "--comment", "レビュー完了")
    assert stopped.returncode == EXIT_OK, stopped.stderr
    assert running_entry(state) is None
    assert comment_on(state, entry["id"]) == "レビュー完了"

    started = run_cli(*api, "start", "週次")
    assert started.returncode == EXIT_OK, started.stderr
    assert running_entry(state)["task_id"] == task_id_by_title(state, "週次定例ミーティング")

    by_id = task_id_by_title(state, "Deploy to staging")
    switched = run_cli(*api, "start", "--task", str(by_id))
    assert switched.returncode == EXIT_OK, switched.stderr
    assert running_entry(state)["task_id"] == by_id

    assert run_cli(*api, "toggle").returncode == EXIT_OK
    assert running_entry(state) is None
    idle_stop = run_cli(*api, "stop")
    assert idle_stop.returncode == EXIT_OK and "not running" in idle_stop.stdout
    missing = run_cli(*api, "start", "zzzzqqqq-no-such-task")
    assert missing.returncode == EXIT_ERROR and "no task matches" in missing.stderr
    assert run_cli(*api, "palette").returncode == EXIT_NOT_RUNNING


def test_a_stop_typed_offline_without_the_app_is_queued_then_sent_with_its_time(signed_in):
    """One engine: the shell without the app queues in the outbox, with the time typed; the next
    shell command sends it (before: "cannot reach", exit 4, and the stop was gone)."""
    emulator = signed_in
    api = ("--api-base", emulator.url)
    state = emulator.state
    started = run_cli(*api, "start", "週次")
    assert started.returncode == EXIT_OK, started.stderr
    entry = running_entry(state)
    state.faults.fail_next(503, count=10_000)  # on a train
    typed = time.time()
    stopped = run_cli(*api, "stop")
    assert stopped.returncode == EXIT_QUEUED, (stopped.stdout, stopped.stderr)
    assert stopped.stdout.startswith("⏸ queued: stopped 週次定例ミーティング")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # the time it will carry, in the account's zone (Asia/Tokyo) as `log` shows it, not the machine's
    assert datetime.fromtimestamp(typed, ZoneInfo("Asia/Tokyo")).strftime("%H:%M")[:4] in stopped.stdout
    assert running_entry(state) is not None  # nothing reached the server
    state.faults.clear()
    again = run_cli(*api, "stop")  # the next command sends what waits first
    assert again.returncode == EXIT_OK, again.stderr
    assert running_entry(state) is None
    ended = state.entry(entry["id"])
    assert abs(ended["stopped_at"] - typed) <= 3, (ended["stopped_at"], typed)
    assert len([e for e in state.entries_of(state.me_id) if e["id"] >= entry["id"]]) == 1


def test_not_signed_in_and_no_app(secret_service, emulator, monkeypatch):  # noqa: F811 - fixture
    monkeypatch.setenv("TIMECROWD_TRAY_INSTANCE", f"cli-none-{os.getpid()}")
    api = ("--api-base", emulator.url)
    doc = status_json(run_cli(*api, "status", "--json"))
    assert doc["state"] == "signed_out" and doc["source"] == "api"
    for command in (["toggle"], ["start", "週次"], ["stop"]):
        result = run_cli(*api, *command)
        assert result.returncode == EXIT_AUTH, (command, result.stderr)
        assert "login" in result.stderr


def test_server_unreachable_and_no_app(signed_in):
    emulator = signed_in
    url = emulator.url
    emulator.stop()
    doc = status_json(run_cli("--api-base", url, "status", "--json"))
    assert doc["state"] == "offline"
    result = run_cli("--api-base", url, "toggle")
    assert result.returncode == EXIT_UNREACHABLE
    assert "cannot reach" in result.stderr


# -- a real app process in demo mode ------------------------------------------------------

_HAS_APP = importlib.util.find_spec("timecrowd_tray.app") is not None
_URL = re.compile(r"https?://127\.0\.0\.1:\d+")


@pytest.fixture
def demo_app(runtime_dir, tmp_path):
    if not _HAS_APP:
        pytest.skip("SKIPPED LOUDLY: timecrowd_tray.app (the demo app) is not in this checkout yet")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIMECROWD_TRAY_HOTKEY_BACKEND": "none"}
    proc = subprocess.Popen([sys.executable, "-m", "timecrowd_tray", "--demo"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    url = None
    lines = []
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = _URL.search(line)
        url = match.group(0) if match else None
    if url is None:
        proc.kill()
        pytest.fail("the demo app printed no emulator URL:\n" + "".join(lines))
    _pool.submit(proc.stdout.read)  # keep draining its output
    # ready once it answers on its socket
    from timecrowd_tray.platform.instance.client import is_running

    deadline = time.monotonic() + 30
    while not is_running():
        assert proc.poll() is None and time.monotonic() < deadline, "the demo app never answered"
        time.sleep(0.05)
    yield proc, url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _emulator_running(url: str) -> dict[str, Any] | None:
    snap = httpx.get(url + "/_emulator/state", timeout=5).json()
    return snap["running"][str(snap["me_id"])]


def test_every_command_against_the_demo_app_process(demo_app):
    _proc, url = demo_app
    deadline = time.monotonic() + 20
    doc = status_json(run_cli("status", "--json"))
    while doc["state"] == "offline" and time.monotonic() < deadline:  # still loading
        doc = status_json(run_cli("status", "--json"))
    assert doc["source"] == "app" and doc["state"] in ("idle", "running")
    if doc["state"] == "running":
        assert run_cli("stop").returncode == EXIT_OK
    assert run_cli("toggle").returncode == EXIT_OK
    assert _emulator_running(url) is not None
    assert status_json(run_cli("status", "--json"))["state"] == "running"
    assert run_cli("stop", "--comment", "demo").returncode == EXIT_OK
    assert _emulator_running(url) is None
    assert run_cli("start", "週次").returncode == EXIT_OK
    assert _emulator_running(url) is not None
    assert run_cli("palette").returncode == EXIT_OK
    assert run_cli("toggle").returncode == EXIT_OK
    assert _emulator_running(url) is None


def test_a_second_launch_hands_over_to_the_demo_app(demo_app):
    proc, _url = demo_app
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    second = subprocess.run([sys.executable, "-m", "timecrowd_tray", "--demo"], capture_output=True, text=True,
                            env=env, timeout=30)
    assert second.returncode == EXIT_OK, second.stderr
    assert proc.poll() is None  # the first one is still there
    assert status_json(run_cli("status", "--json"))["source"] == "app"
