"""The per-user local socket: round trips, one server per user, privacy, stale sockets."""

from __future__ import annotations

import asyncio
import os
import socket
import stat
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from timecrowd_tray.core.models import Task
from timecrowd_tray.platform import single_instance as si

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX socket files")

_pool = ThreadPoolExecutor(max_workers=2)


def in_thread(qtbot, fn, *args, **kwargs):
    """Run a blocking client call off the Qt thread (the server answers on it) and wait for it."""
    future = _pool.submit(fn, *args, **kwargs)
    qtbot.waitUntil(future.done, timeout=10000)
    return future.result()


@pytest.fixture
def server(runtime_dir, qapp):
    servers = []

    def make(handler):
        s = si.InstanceServer(handler)
        s.start()
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


# A stand-in for another running app: a separate process holding the socket.
_OTHER_APP = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication
    from timecrowd_tray.platform.single_instance import InstanceServer
    app = QCoreApplication([])
    seen = []
    def handler(request):
        seen.append(request["cmd"])
        print("got", request["cmd"], flush=True)
        return {"ok": True, "seen": list(seen)}
    server = InstanceServer(handler)
    server.start()
    print("ready", flush=True)
    app.exec()
""")


@pytest.fixture
def other_app(runtime_dir):
    proc = subprocess.Popen([sys.executable, "-c", _OTHER_APP], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()


# -- where and who -------------------------------------------------------------------


def test_the_socket_is_per_user_and_private(server, runtime_dir):
    s = server(lambda request: {"ok": True})
    path = Path(s.full_name)
    assert path.parent == runtime_dir
    assert path.name == f"timecrowd-tray-{os.getuid()}.sock"
    st = path.stat()
    assert stat.S_ISSOCK(st.st_mode)
    assert st.st_uid == os.getuid()
    assert st.st_mode & 0o077 == 0, oct(st.st_mode)  # no access for group or others


def test_without_a_private_runtime_dir_the_socket_goes_to_tmp_named_for_the_user(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert si.socket_path() == str(tmp_path / f"timecrowd-tray-{os.getuid()}.sock")
    shared = tmp_path / "shared-run"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))  # not private: not used
    assert Path(si.socket_path()).parent == tmp_path


def test_instance_override_for_a_second_profile(runtime_dir, monkeypatch):
    monkeypatch.setenv(si.INSTANCE_ENV, "work/2")
    assert Path(si.socket_path()).name == f"timecrowd-tray-{os.getuid()}-work_2.sock"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another user")
def test_a_socket_of_another_user_is_never_trusted(runtime_dir, monkeypatch, tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    path = si.socket_path()
    planted = socket.socket(socket.AF_UNIX)
    planted.bind(path)
    planted.listen(1)
    os.chown(path, 65534, 65534)  # nobody
    try:
        with pytest.raises(si.UntrustedSocket):
            si.send_request({"cmd": "status"})
        assert si.hand_over_to_running_instance() is False
    finally:
        planted.close()


# -- talking -------------------------------------------------------------------------


def test_round_trip_with_a_plain_handler(server, qtbot):
    requests = []

    def handler(request):
        requests.append(request)
        return {"ok": True, "echo": request.get("text")}

    server(handler)
    answer = in_thread(qtbot, si.send_request, {"cmd": "status", "text": "週次定例"})
    assert answer == {"ok": True, "echo": "週次定例"}
    assert requests == [{"cmd": "status", "text": "週次定例"}]
    assert in_thread(qtbot, si.send_request, {"cmd": "ping"})["pid"] == os.getpid()


def test_round_trip_with_an_async_handler(server, qtbot, qloop):
    async def handler(request):
        await asyncio.sleep(0)
        if request["cmd"] == "stop":
            raise RuntimeError("the server refused")
        return {"ok": True, "cmd": request["cmd"]}

    server(handler)
    assert in_thread(qtbot, si.send_request, {"cmd": "toggle"}) == {"ok": True, "cmd": "toggle"}
    failed = in_thread(qtbot, si.send_request, {"cmd": "stop"})
    assert failed["ok"] is False and "the server refused" in failed["error"]


def test_garbage_gets_an_error_and_the_server_goes_on(server, qtbot, runtime_dir):
    s = server(lambda request: {"ok": True})

    def garbage():
        with socket.socket(socket.AF_UNIX) as c:
            c.settimeout(5)
            c.connect(s.full_name)
            c.sendall(b"not json\n")
            return c.makefile("rb").readline()

    assert b'"bad_request"' in in_thread(qtbot, garbage)
    assert in_thread(qtbot, si.send_request, {"cmd": "status"}) == {"ok": True}


def test_no_app_means_none(runtime_dir):
    assert si.send_request({"cmd": "status"}) is None
    assert si.hand_over_to_running_instance() is False
    assert si.is_running() is False


# -- one app per user ------------------------------------------------------------------


def test_a_second_server_is_refused_while_the_first_answers(other_app, qapp):
    second = si.InstanceServer(lambda request: {"ok": True})
    with pytest.raises(si.AlreadyRunning):
        second.start()
    assert not second.is_listening()


def test_a_second_launch_hands_over_to_the_first(other_app):
    assert si.hand_over_to_running_instance() is True
    assert other_app.stdout.readline().strip() == "got activate"
    assert si.hand_over_to_running_instance("palette") is True
    assert other_app.stdout.readline().strip() == "got palette"


def test_a_stale_socket_is_removed_and_taken_over(runtime_dir, qapp, qtbot):
    path = si.socket_path()
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)  # a socket file nobody listens on: what a crashed app leaves behind
    dead.close()
    assert os.path.exists(path)
    assert si.send_request({"cmd": "status"}) is None  # the client sees "no app"
    s = si.InstanceServer(lambda request: {"ok": True, "new": True})
    s.start()
    try:
        assert in_thread(qtbot, si.send_request, {"cmd": "status"}) == {"ok": True, "new": True}
    finally:
        s.close()
    assert not os.path.exists(path)  # closing removes the socket file


def test_a_crashed_app_leaves_a_socket_the_next_one_takes_over(runtime_dir, qapp, qtbot):
    proc = subprocess.Popen([sys.executable, "-c", _OTHER_APP], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()  # no clean-up: the socket file stays
    proc.wait(timeout=10)
    proc.stdout.close()
    assert os.path.exists(si.socket_path())
    assert si.hand_over_to_running_instance() is False
    s = si.InstanceServer(lambda request: {"ok": True})
    s.start()
    s.close()


# -- the status document ------------------------------------------------------------------


def test_status_document_schema():
    start = datetime(2025, 10, 21, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    task = Task(id=7, title="週次定例ミーティング", team_id=14, team_name="株式会社デモ")
    doc = si.status_document(state="running", task=task, started_at=start,
                             now=start + timedelta(minutes=42, seconds=10, microseconds=900), source="app")
    assert doc == {
        "state": "running",
        "task": {"id": 7, "title": "週次定例ミーティング", "team": "株式会社デモ"},
        "started_at": "2025-10-21T09:00:00+09:00",
        "elapsed_seconds": 2530,
        "pending": 0,
        "source": "app",
    }
    assert si.format_status(doc) == "▶ 週次定例ミーティング (株式会社デモ) 0:42:10"
    idle = si.status_document(state="idle", source="api")
    assert idle == {"state": "idle", "task": None, "started_at": None, "elapsed_seconds": None,
                    "pending": 0, "source": "api"}
    assert si.format_status(idle) == "■ not running"
    assert si.format_status(si.status_document(state="signed_out", source="api")) == "signed out"
    offline = si.status_document(state="offline", task=Task(id=1, title="x"), started_at=start, now=start,
                                 pending=2, source="app")
    assert si.format_status(offline) == "⚠ offline ▶ x 0:00:00 (2 waiting to sync)"
    with pytest.raises(ValueError):
        si.status_document(state="dancing", source="app")
