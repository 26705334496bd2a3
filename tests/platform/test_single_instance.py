"""The per-user local socket: round trips, one server per user, privacy, stale sockets.

On POSIX the server is a plain AF_UNIX socket on the Qt event loop (no QtNetwork): the tests
below drive clients of their own, without blocking, from the test thread while qtbot runs the
server's loop, and wait on conditions (never on time).
"""

from __future__ import annotations

import asyncio
import errno
import json
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
from timecrowd_tray.platform.instance import client, errors, paths, protocol, server as instance_server, unix_server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX socket files")

_pool = ThreadPoolExecutor(max_workers=2)


def in_thread(qtbot, fn, *args, **kwargs):
    """Run a blocking client call off the Qt thread (the server answers on it) and wait for it."""
    future = _pool.submit(fn, *args, **kwargs)
    qtbot.waitUntil(future.done, timeout=10000)
    return future.result()


class Raw:
    """A client of the test's own: non-blocking, pumped from the test thread while qtbot runs the server."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)  # completes at once (the kernel's backlog), before the server accepts
        self.sock.setblocking(False)
        self.received = bytearray()
        self.unsent = bytearray()
        self.closed_by_server = False

    def send(self, data: bytes) -> Raw:
        self.unsent += data
        return self.pump()

    def pump(self) -> Raw:
        while self.unsent and not self.closed_by_server:
            try:
                sent = self.sock.send(self.unsent)
            except BlockingIOError:
                break
            except (BrokenPipeError, ConnectionResetError):
                self.closed_by_server = True
                break
            del self.unsent[:sent]
        while not self.closed_by_server:
            try:
                chunk = self.sock.recv(1 << 20)
            except BlockingIOError:
                break
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.closed_by_server = True
                break
            self.received += chunk
        return self

    def answer(self, qtbot) -> dict:
        qtbot.waitUntil(lambda: b"\n" in self.pump().received, timeout=10000)
        line, _, rest = bytes(self.received).partition(b"\n")
        self.received = bytearray(rest)
        return json.loads(line)

    def wait_closed_by_server(self, qtbot) -> None:
        qtbot.waitUntil(lambda: self.pump().closed_by_server, timeout=10000)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server(runtime_dir, qapp):
    servers = []

    def make(handler):
        s = instance_server.InstanceServer(handler)
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
    from timecrowd_tray.platform.instance.server import InstanceServer
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
    assert paths.socket_path() == str(tmp_path / f"timecrowd-tray-{os.getuid()}.sock")
    shared = tmp_path / "shared-run"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))  # not private: not used
    assert Path(paths.socket_path()).parent == tmp_path


def test_instance_override_for_a_second_profile(runtime_dir, monkeypatch):
    monkeypatch.setenv(paths.INSTANCE_ENV, "work/2")
    assert Path(paths.socket_path()).name == f"timecrowd-tray-{os.getuid()}-work_2.sock"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another user")
def test_a_socket_of_another_user_is_never_trusted(runtime_dir, monkeypatch, tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    path = paths.socket_path()
    planted = socket.socket(socket.AF_UNIX)
    planted.bind(path)
    planted.listen(1)
    os.chown(path, 65534, 65534)  # nobody
    try:
        with pytest.raises(errors.UntrustedSocket):
            client.send_request({"cmd": "status"})
        assert client.hand_over_to_running_instance() is False
    finally:
        planted.close()


# -- talking -------------------------------------------------------------------------


def test_round_trip_with_a_plain_handler(server, qtbot):
    requests = []

    def handler(request):
        requests.append(request)
        return {"ok": True, "echo": request.get("text")}

    server(handler)
    answer = in_thread(qtbot, client.send_request, {"cmd": "status", "text": "週次定例"})
    assert answer == {"ok": True, "echo": "週次定例"}
    assert requests == [{"cmd": "status", "text": "週次定例"}]
    assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["pid"] == os.getpid()
    assert len(requests) == 1  # ping is answered by the server itself


def test_round_trip_with_an_async_handler(server, qtbot, qloop):
    async def handler(request):
        await asyncio.sleep(0)
        if request["cmd"] == "stop":
            raise RuntimeError("the server refused")
        return {"ok": True, "cmd": request["cmd"]}

    server(handler)
    assert in_thread(qtbot, client.send_request, {"cmd": "toggle"}) == {"ok": True, "cmd": "toggle"}
    failed = in_thread(qtbot, client.send_request, {"cmd": "stop"})
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
    assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True}


def test_no_app_means_none(runtime_dir):
    assert client.send_request({"cmd": "status"}) is None
    assert client.hand_over_to_running_instance() is False
    assert client.is_running() is False


# -- one app per user ------------------------------------------------------------------


def test_a_second_server_is_refused_while_the_first_answers(other_app, qapp):
    second = instance_server.InstanceServer(lambda request: {"ok": True})
    with pytest.raises(errors.AlreadyRunning):
        second.start()
    assert not second.is_listening()


def test_a_second_launch_hands_over_to_the_first(other_app):
    assert client.hand_over_to_running_instance() is True
    assert other_app.stdout.readline().strip() == "got activate"
    assert client.hand_over_to_running_instance("palette") is True
    assert other_app.stdout.readline().strip() == "got palette"


def test_a_stale_socket_is_removed_and_taken_over(runtime_dir, qapp, qtbot):
    path = paths.socket_path()
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)  # a socket file nobody listens on: what a crashed app leaves behind
    dead.close()
    assert os.path.exists(path)
    assert client.send_request({"cmd": "status"}) is None  # the client sees "no app"
    s = instance_server.InstanceServer(lambda request: {"ok": True, "new": True})
    s.start()
    try:
        assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "new": True}
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
    assert os.path.exists(paths.socket_path())
    assert client.hand_over_to_running_instance() is False
    s = instance_server.InstanceServer(lambda request: {"ok": True})
    s.start()
    s.close()


# -- the socket file: private from the start, never someone else's, never replaced ------------


def _connection(s, raw_count=1):
    """The server's side of its only connection (white box: its buffers)."""
    clients = list(s._clients)
    assert len(clients) == raw_count
    return clients[0]


def test_the_socket_file_is_private_from_the_moment_it_has_its_name(runtime_dir, qapp, monkeypatch):
    seen = []
    real_link = os.link

    def link(src, dst, **kwargs):
        seen.append((stat.S_IMODE(os.lstat(src).st_mode), stat.S_IMODE(os.stat(os.path.dirname(src)).st_mode), dst))
        return real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", link)
    previous = os.umask(0)  # a careless umask of the process must not matter
    try:
        s = instance_server.InstanceServer(lambda request: {"ok": True})
        s.start()
    finally:
        os.umask(previous)
    try:
        # Bound in a private directory, made 0700 there, and only then given its name.
        assert seen == [(0o700, 0o700, s.full_name)]
        st = os.lstat(s.full_name)
        assert stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700
        assert os.listdir(runtime_dir) == [Path(s.full_name).name]  # the private directory is gone
    finally:
        s.close()


def test_without_hard_links_the_socket_is_bound_in_place_under_umask_077(runtime_dir, qapp, qtbot, monkeypatch):
    def no_link(src, dst, **kwargs):
        raise PermissionError(errno.EPERM, "no hard links on this file system")

    modes = {}

    class Spy(socket.socket):
        def bind(self, address):
            super().bind(address)
            modes[address] = stat.S_IMODE(os.lstat(address).st_mode)  # the mode the moment the file exists

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(socket, "socket", Spy)
    previous = os.umask(0)
    try:
        s = instance_server.InstanceServer(lambda request: {"ok": True, "fallback": True})
        s.start()
        assert os.umask(0) == 0  # the process's umask is put back
    finally:
        os.umask(previous)
    try:
        assert modes[s.full_name] == 0o700
        assert os.listdir(runtime_dir) == [Path(s.full_name).name]
        assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "fallback": True}
    finally:
        s.close()
    assert not os.path.exists(s.name)


@pytest.mark.parametrize("hard_links", [True, False], ids=["link", "umask"])
def test_binding_never_replaces_what_already_has_the_name(runtime_dir, monkeypatch, hard_links):
    if not hard_links:
        monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(PermissionError(errno.EPERM, "no")))
    taken = runtime_dir / "taken.sock"
    taken.write_text("another app's")
    inode = taken.stat().st_ino
    with pytest.raises(FileExistsError):
        unix_server._listen_at(str(taken))  # a rename (what QLocalServer does) would have replaced it
    assert taken.stat().st_ino == inode and taken.read_text() == "another app's"
    assert os.listdir(runtime_dir) == ["taken.sock"]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another user")
def test_the_server_never_takes_over_a_socket_of_another_user(runtime_dir, qapp):
    path = paths.socket_path()
    planted = socket.socket(socket.AF_UNIX)
    planted.bind(path)  # nobody listens: it would look stale, were it ours
    planted.close()
    os.chown(path, 65534, 65534)
    s = instance_server.InstanceServer(lambda request: {"ok": True})
    with pytest.raises(errors.UntrustedSocket):
        s.start()
    assert not s.is_listening()
    assert os.lstat(path).st_uid == 65534  # left alone


def test_a_hung_app_holding_the_socket_is_taken_over(runtime_dir, qapp, qtbot):
    path = paths.socket_path()
    hung = socket.socket(socket.AF_UNIX)
    hung.bind(path)
    hung.listen(1)  # connections queue, nobody ever answers
    try:
        s = instance_server.InstanceServer(lambda request: {"ok": True, "new": True})
        s.start()  # its ping times out (2 s): the name is taken over
        try:
            assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "new": True}
        finally:
            s.close()
    finally:
        hung.close()


def test_close_removes_our_socket_file_only_and_cuts_clients_off(server, qtbot):
    s = server(lambda request: {"ok": True})
    raw = Raw(s.full_name)
    qtbot.waitUntil(lambda: len(s._clients) == 1)
    path = s.full_name
    s.close()
    raw.wait_closed_by_server(qtbot)
    raw.close()
    assert not os.path.exists(path)
    assert not s.is_listening() and s.full_name == ""

    s = server(lambda request: {"ok": True})
    os.unlink(path)  # another app took the name meanwhile
    other = socket.socket(socket.AF_UNIX)
    other.bind(path)
    try:
        inode = os.lstat(path).st_ino
        s.close()
        assert os.lstat(path).st_ino == inode  # not ours: left alone
    finally:
        other.close()


# -- one connection at a time never holds up the others -----------------------------------


def test_a_request_in_pieces_is_answered_once_its_line_is_complete(server, qtbot):
    requests = []

    def handler(request):
        requests.append(request)
        return {"ok": True, "echo": request["text"]}

    s = server(handler)
    line = '{"cmd": "status", "text": "週次定例ミーティング"}\n'.encode()
    cut = line.index("次".encode()) + 1  # inside a multi-byte character
    pieces = [line[:5], line[5:cut], line[cut:-3], line[-3:-1], line[-1:]]
    raw = Raw(s.full_name)
    sent = 0
    for piece in pieces[:-1]:
        raw.send(piece)
        sent += len(piece)
        # The server has read this piece (its own readiness event) and waits for the rest.
        qtbot.waitUntil(lambda: len(s._clients) == 1 and len(_connection(s).inbuf) == sent)
        assert requests == []
    raw.send(pieces[-1])
    assert raw.answer(qtbot) == {"ok": True, "echo": "週次定例ミーティング"}
    assert requests == [{"cmd": "status", "text": "週次定例ミーティング"}]
    raw.close()
    qtbot.waitUntil(lambda: not s._clients)


@pytest.mark.parametrize("newline", [False, True], ids=["unfinished", "finished"])
def test_a_line_longer_than_max_line_drops_the_client(server, qtbot, newline):
    requests = []
    s = server(lambda request: requests.append(request) or {"ok": True})
    raw = Raw(s.full_name)
    line = b'{"cmd": "status", "pad": "' + b"x" * protocol.MAX_LINE + b'"}'
    raw.send(line + (b"\n" if newline else b""))
    qtbot.waitUntil(lambda: raw.pump().closed_by_server, timeout=10000)  # no answer: the connection ends
    raw.close()
    assert requests == []
    qtbot.waitUntil(lambda: not s._clients)
    assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True}


def test_silent_and_unfinished_clients_do_not_hold_up_others(server, qtbot):
    requests = []
    s = server(lambda request: requests.append(request["cmd"]) or {"ok": True, "cmd": request["cmd"]})
    silent = Raw(s.full_name)  # connects, says nothing
    unfinished = Raw(s.full_name).send(b'{"cmd": "sta')  # half a line, then nothing
    leaver = Raw(s.full_name).send(b'{"cmd": "toggle"}')  # a line whose newline never comes: it goes away
    qtbot.waitUntil(lambda: len(s._clients) == 3)
    leaver.close()
    qtbot.waitUntil(lambda: len(s._clients) == 2)  # forgotten, its unfinished line with it (not a request)
    assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "cmd": "status"}
    assert Raw(s.full_name).send(b'{"cmd": "start"}\n').answer(qtbot) == {"ok": True, "cmd": "start"}
    assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["ok"] is True
    assert requests == ["status", "start"]
    silent.close()
    unfinished.close()
    qtbot.waitUntil(lambda: not s._clients)
    assert requests == ["status", "start"]


def test_many_clients_at_once_each_get_their_own_answer(server, qtbot):
    s = server(lambda request: {"ok": True, "n": request["n"]})
    clients = [Raw(s.full_name) for _ in range(32)]  # all connected before the server accepts one
    lines = [json.dumps({"cmd": "status", "n": n}).encode() + b"\n" for n in range(len(clients))]
    for raw, line in zip(clients, lines):
        raw.send(line[:7])
    qtbot.waitUntil(lambda: len(s._clients) == len(clients) and all(len(c.inbuf) == 7 for c in s._clients))
    for raw, line in reversed(list(zip(clients, lines))):
        raw.send(line[7:])
    for n, raw in enumerate(clients):
        assert raw.answer(qtbot) == {"ok": True, "n": n}
        raw.close()
    qtbot.waitUntil(lambda: not s._clients)


def test_an_answer_the_client_does_not_read_yet_waits_without_blocking_the_loop(server, qtbot):
    blob = "x" * (4 << 20)  # far more than a socket buffer holds
    s = server(lambda request: {"ok": True, "blob": blob})
    raw = Raw(s.full_name).send(b'{"cmd": "status"}\n')  # and does not read for now
    qtbot.waitUntil(lambda: len(s._clients) == 1 and len(_connection(s).outbuf) > 0)
    connection = _connection(s)
    assert connection.writer.isEnabled() and not connection.reader.isEnabled()
    # The loop goes on: other clients are answered while that answer waits.
    assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["ok"] is True
    assert len(connection.outbuf) > 0
    assert raw.answer(qtbot) == {"ok": True, "blob": blob}
    assert not connection.outbuf and not connection.writer.isEnabled()
    raw.close()
    qtbot.waitUntil(lambda: not s._clients)


def test_a_client_that_shuts_its_side_after_asking_still_gets_the_answer(server, qtbot, qloop):
    async def handler(request):
        await asyncio.sleep(0)
        return {"ok": True, "cmd": request["cmd"]}

    s = server(handler)
    raw = Raw(s.full_name).send(b'{"cmd": "toggle"}\n')
    raw.sock.shutdown(socket.SHUT_WR)  # like `nc -N`
    assert raw.answer(qtbot) == {"ok": True, "cmd": "toggle"}
    raw.wait_closed_by_server(qtbot)  # then the server hangs up
    raw.close()
    qtbot.waitUntil(lambda: not s._clients)


def test_a_client_that_leaves_before_a_slow_answer_is_forgotten(server, qtbot, qloop):
    started, release = [], asyncio.Event()

    async def handler(request):
        started.append(request["cmd"])
        await release.wait()
        return {"ok": True}

    s = server(handler)
    raw = Raw(s.full_name).send(b'{"cmd": "start"}\n')
    qtbot.waitUntil(lambda: started == ["start"])
    raw.close()
    assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["ok"] is True  # meanwhile
    release.set()
    qtbot.waitUntil(lambda: not s._clients and not s._tasks)  # the late answer goes nowhere, quietly
    assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["ok"] is True


def test_a_full_backlog_is_no_answer_not_a_crash(runtime_dir, monkeypatch):
    monkeypatch.setattr(client, "CONNECT_TIMEOUT", 0.2)
    path = paths.socket_path()
    busy = socket.socket(socket.AF_UNIX)
    busy.bind(path)
    busy.listen(0)  # an app whose loop does not accept: its queue fills up
    queued = []
    try:
        while True:
            c = socket.socket(socket.AF_UNIX)
            c.setblocking(False)
            queued.append(c)
            try:
                c.connect(path)
            except BlockingIOError:
                break
            assert len(queued) < 100
        with pytest.raises(errors.NoAnswer):
            client.send_request({"cmd": "status"})
    finally:
        for c in queued:
            c.close()
        busy.close()


# -- memory: no QtNetwork on POSIX ----------------------------------------------------------

_SERVE_AND_REPORT = textwrap.dedent("""
    import json, os, sys, threading
    from PySide6.QtCore import QCoreApplication, QTimer
    from timecrowd_tray.platform.instance.client import send_request
    from timecrowd_tray.platform.instance.server import InstanceServer
    app = QCoreApplication([])
    server = InstanceServer(lambda request: {"ok": True, "cmd": request["cmd"]})
    server.start()
    answers = []
    def client():
        answers.append(send_request({"cmd": "ping"}, timeout=10))
        answers.append(send_request({"cmd": "status"}, timeout=10))
    thread = threading.Thread(target=client)
    thread.start()
    watch = QTimer(interval=10)
    watch.timeout.connect(lambda: thread.is_alive() or app.quit())
    watch.start()
    app.exec()
    thread.join()
    server.close()
    maps = open("/proc/self/maps").read() if os.path.exists("/proc/self/maps") else ""
    print(json.dumps({
        "answers": [a.get("cmd", a.get("pid")) for a in answers],
        "modules": sorted(m for m in sys.modules if "QtNetwork" in m),
        "library": "Qt6Network" in maps or "QtNetwork.framework" in maps,
    }))
""")


def test_serving_on_posix_does_not_load_qtnetwork(runtime_dir):
    # In a process of its own: this one may have imported QtNetwork for other tests.
    out = subprocess.run([sys.executable, "-c", _SERVE_AND_REPORT], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["answers"][1] == "status" and isinstance(report["answers"][0], int)
    assert report["modules"] == []
    assert report["library"] is False


# -- Windows: QLocalServer (its code path, run on this platform) -----------------------------


def test_the_qlocalserver_path_windows_uses_still_serves(runtime_dir, qapp, qtbot, qloop, monkeypatch):
    monkeypatch.setattr(instance_server, "_USE_QLOCALSERVER", True)

    async def slow(request):
        await asyncio.sleep(0)
        return {"ok": True, "cmd": request["cmd"]}

    requests = []

    def handler(request):
        requests.append(request["cmd"])
        return slow(request) if request["cmd"] == "toggle" else {"ok": True, "cmd": request["cmd"]}

    s = instance_server.InstanceServer(handler)
    assert type(s._backend).__name__ == "_QtBackend"
    s.start()
    try:
        assert s.is_listening() and s.full_name == paths.socket_path()
        assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "cmd": "status"}
        assert in_thread(qtbot, client.send_request, {"cmd": "toggle"}) == {"ok": True, "cmd": "toggle"}
        assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["pid"] == os.getpid()
        garbage = Raw(s.full_name).send(b"not json\n")
        assert garbage.answer(qtbot)["code"] == "bad_request"
        garbage.close()
        assert requests == ["status", "toggle"]
    finally:
        s.close()
    assert not os.path.exists(paths.socket_path())


# -- the status document ------------------------------------------------------------------


def test_status_document_schema():
    from timecrowd_tray.core import status

    start = datetime(2025, 10, 21, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    task = Task(id=7, title="週次定例ミーティング", team_id=14, team_name="株式会社デモ")
    doc = status.status_document(state="running", task=task, started_at=start,
                             now=start + timedelta(minutes=42, seconds=10, microseconds=900), source="app",
                             zone=start.tzinfo)  # the account's zone (the machine's may be UTC)
    assert doc == {
        "state": "running",
        "task": {"id": 7, "title": "週次定例ミーティング", "team": "株式会社デモ"},
        "started_at": "2025-10-21T09:00:00+09:00",
        "elapsed_seconds": 2530,
        "pending": 0,
        "source": "app",
        "idle": None,
    }
    assert status.format_status(doc) == "▶ 週次定例ミーティング (株式会社デモ) 0:42:10"
    idle = status.status_document(state="idle", source="api")
    assert idle == {"state": "idle", "task": None, "started_at": None, "elapsed_seconds": None,
                    "pending": 0, "source": "api", "idle": None}
    assert status.format_status(idle) == "■ not running"
    assert status.format_status(status.status_document(state="signed_out", source="api")) == "signed out"
    offline = status.status_document(state="offline", task=Task(id=1, title="x"), started_at=start, now=start,
                                 pending=2, source="app")
    assert status.format_status(offline) == "⚠ offline ▶ x 0:00:00 (2 waiting to sync)"
    with pytest.raises(ValueError):
        status.status_document(state="dancing", source="app")
