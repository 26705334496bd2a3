"""The single-instance lock: one app per user, atomically, whatever happens to the socket file.

Other processes are real processes (``python -c``), started together through a barrier (a
pipe whose write end the test closes: every child's read returns at once) and read through
their stdout, never timed with sleeps.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from timecrowd_tray.platform.instance import (
    claim,
    client,
    errors,
    holder as lock_holder,
    lock as il,
    paths,
    server as instance_server,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX lock and socket files")

_pool = ThreadPoolExecutor(max_workers=2)


def env() -> dict[str, str]:
    """The children's environment: this test's runtime directory (set by the fixture), no display."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def in_thread(qtbot, fn, *args, **kwargs):
    """Run a blocking call off the Qt thread (a server of this process answers on it) and wait for it."""
    future = _pool.submit(fn, *args, **kwargs)
    qtbot.waitUntil(future.done, timeout=10000)
    return future.result()


@pytest.fixture(autouse=True)
def _release_locks(monkeypatch):  # (monkeypatch: its stand-ins are undone after the locks are released)
    yield
    for lock in list(il._held.values()):
        lock.release()


# A launch: waits at the barrier (fd argv[1]), claims, and says what became of it. The one
# that gets the lock serves the socket (as the app does) until its stdin closes.
_LAUNCH = textwrap.dedent("""
    import os, sys
    from timecrowd_tray.platform.instance import claim, errors
    barrier = int(sys.argv[1])
    print("ready", flush=True)
    os.read(barrier, 1)
    try:
        lock = claim.claim_single_instance(sys.argv[2], wait=float(sys.argv[3]))
    except claim.HandedOver:
        print("handed over", flush=True)
        sys.exit(0)
    except errors.NotAnswering as exc:
        print("refused", exc, flush=True)
        sys.exit(1)
    from PySide6.QtCore import QCoreApplication, QSocketNotifier
    from timecrowd_tray.platform.instance.server import InstanceServer
    app = QCoreApplication([])
    def handler(request):
        print("got", request["cmd"], flush=True)
        return {"ok": True}
    server = None
    if sys.argv[4] == "serve":
        server = InstanceServer(handler)
        server.start()
    print("app", flush=True)
    stdin = QSocketNotifier(0, QSocketNotifier.Type.Read)
    stdin.activated.connect(lambda *_: os.read(0, 1) or app.quit())
    app.exec()
    if server is not None:
        server.close()
    lock.release()
""")


class Launch:
    def __init__(self, barrier: int, command: str = "activate", wait: float = 5.0, serve: bool = True) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(barrier), command, str(wait),
                                      "serve" if serve else "idle"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env(),
                                     pass_fds=(barrier,))

    def line(self) -> str:
        return self.proc.stdout.readline().strip()

    def quit(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def launch_together(count: int, **kwargs) -> list[Launch]:
    read_end, write_end = os.pipe()
    try:
        launches = [Launch(read_end, **kwargs) for _ in range(count)]
    finally:
        os.close(read_end)
    for launch in launches:
        assert launch.line() == "ready"
    os.close(write_end)  # the barrier opens for all at once
    return launches


def start_app(**kwargs) -> Launch:
    (launch,) = launch_together(1, **kwargs)
    assert launch.line() == "app"
    return launch


# -- racing -----------------------------------------------------------------------------------

_TRY = textwrap.dedent("""
    import os, sys
    from timecrowd_tray.platform.instance import lock as il
    print("ready", flush=True)
    os.read(int(sys.argv[1]), 1)
    lock = il.try_lock()
    print("won" if lock else "lost", flush=True)
    sys.stdin.read()  # the winner holds it until every claim has reported
""")


def test_of_eight_claims_at_the_same_moment_exactly_one_wins(runtime_dir):
    read_end, write_end = os.pipe()
    procs = [subprocess.Popen([sys.executable, "-c", _TRY, str(read_end)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, pass_fds=(read_end,)) for _ in range(8)]
    os.close(read_end)
    try:
        assert [p.stdout.readline().strip() for p in procs] == ["ready"] * 8
        os.close(write_end)
        outcomes = [p.stdout.readline().strip() for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=10)
            p.stdout.close()
    assert sorted(outcomes) == ["lost"] * 7 + ["won"]


def test_launches_at_the_same_moment_make_one_app_and_hand_over_to_it(runtime_dir):
    launches = launch_together(5)
    try:
        firsts = [launch.line() for launch in launches]
        assert sorted(firsts) == ["app"] + ["handed over"] * 4  # before: five apps
        app = launches[firsts.index("app")]
        assert [app.line() for _ in range(4)] == ["got activate"] * 4
        for launch in launches:
            if launch is not app:
                assert launch.proc.wait(timeout=10) == 0
    finally:
        for launch in launches:
            launch.quit()


# -- the lock file ------------------------------------------------------------------------


def test_the_lock_file_is_private_next_to_the_socket_and_names_its_holder(runtime_dir):
    previous = os.umask(0)
    try:
        lock = il.try_lock()
    finally:
        os.umask(previous)
    assert lock is not None and lock.held
    path = Path(il.lock_path())
    assert path == runtime_dir / f"timecrowd-tray-{os.getuid()}.lock"
    assert path.parent == Path(paths.socket_path()).parent
    st = os.lstat(path)
    assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.getuid()
    assert path.read_text().splitlines() == [str(os.getpid()), "SIGUSR1"]
    assert il.try_lock() is None  # one holder, this process included
    assert il.held_lock() is lock
    assert claim.claim_single_instance() is lock  # claiming again in the app's process: the same lock
    lock.release()
    assert not path.exists() and il.held_lock() is None
    again = il.try_lock()
    assert again is not None
    again.release()


def test_an_existing_lock_file_is_reused_and_made_private(runtime_dir):
    path = Path(il.lock_path())
    path.write_text("99999999\nSIGUSR1\nleft over by a crashed app\n")
    path.chmod(0o644)
    lock = il.try_lock()
    assert lock is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == f"{os.getpid()}\nSIGUSR1\n"


def test_the_instance_override_names_the_lock_too(runtime_dir, monkeypatch):
    monkeypatch.setenv(paths.INSTANCE_ENV, "work/2")
    assert Path(il.lock_path()).name == f"timecrowd-tray-{os.getuid()}-work_2.lock"
    assert il.lock_path("/run/x/taken.sock") == "/run/x/taken.lock"


def test_a_symbolic_link_as_lock_file_is_refused(runtime_dir, tmp_path):
    target = tmp_path / "elsewhere"
    Path(il.lock_path()).symlink_to(target)
    with pytest.raises(errors.UntrustedLock, match="symbolic link"):
        il.try_lock()
    assert not target.exists()  # never created through the link
    target.write_text("precious")
    with pytest.raises(errors.UntrustedLock):
        claim.claim_single_instance(wait=0)
    assert target.read_text() == "precious"


def test_a_lock_file_of_another_user_is_refused(runtime_dir, monkeypatch):
    Path(il.lock_path()).write_text("")
    monkeypatch.setattr(il, "_my_uid", lambda: os.getuid() + 1)  # the file now looks like someone else's
    with pytest.raises(errors.UntrustedLock, match="another user"):
        il.try_lock()
    assert lock_holder.read_holder() is None  # and nobody is ever signalled through it


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another user")
def test_a_lock_file_chowned_to_another_user_is_refused(runtime_dir):
    path = Path(il.lock_path())
    path.write_text("1\nSIGUSR1\n")
    os.chown(path, 65534, 65534)
    with pytest.raises(errors.UntrustedLock, match="uid 65534"):
        il.try_lock()
    assert path.read_text() == "1\nSIGUSR1\n"


def test_something_other_than_a_file_as_lock_is_refused(runtime_dir):
    os.mkfifo(il.lock_path())
    with pytest.raises(errors.UntrustedLock, match="not a regular file"):
        il.try_lock()


# -- the holder ---------------------------------------------------------------------------


def test_the_lock_goes_with_a_killed_holder(runtime_dir):
    holder = start_app(serve=False)
    try:
        assert il.try_lock() is None
        who = lock_holder.read_holder()
        assert who is not None and who.pid == holder.proc.pid and who.wakeable
        holder.proc.send_signal(signal.SIGKILL)  # no clean-up at all
        holder.proc.wait(timeout=10)
        assert os.path.exists(il.lock_path())  # the file stays, the lock does not
        assert lock_holder.read_holder() is None
        lock = il.try_lock()
        assert lock is not None
    finally:
        holder.quit()


def test_a_holder_that_never_answers_refuses_the_launch_and_survives_its_signal(runtime_dir):
    holder = start_app(serve=False)  # it holds the lock but has no socket (hung, or its file was deleted)
    try:
        started = time.monotonic()
        with pytest.raises(errors.NotAnswering) as refused:
            claim.claim_single_instance(wait=0.3)
        assert time.monotonic() - started < 3
        message = str(refused.value)
        assert f"TimeCrowd Tray is already running (pid {holder.proc.pid}) but does not answer" in message
        assert "quit it or kill it" in message and paths.socket_path() in message
        assert il.try_lock() is None  # never a second app
        assert holder.proc.poll() is None  # the SIGUSR1 it got did not end it
    finally:
        holder.quit()
    assert holder.proc.returncode == 0


def test_a_launch_waits_for_a_holder_that_quits_and_becomes_the_app(runtime_dir):
    holder = start_app(serve=False)
    future = _pool.submit(claim.claim_single_instance, wait=10)
    try:
        holder.quit()
        lock = future.result(timeout=10)
        assert lock.held and lock_holder.read_holder().pid == os.getpid()  # this process holds it
    finally:
        holder.quit()


# -- the socket file: deleted or replaced, the holder keeps it ----------------------------------


def _ping_pid() -> int:
    return client.send_request({"cmd": "ping"}, timeout=5)["pid"]


def test_a_deleted_socket_file_refuses_a_second_app_and_the_holder_binds_it_again(runtime_dir):
    app = start_app()
    try:
        path = paths.socket_path()
        os.unlink(path)  # before: the next launch found nothing and started beside the app
        with pytest.raises(claim.HandedOver):
            claim.claim_single_instance("palette")
        assert app.line() == "got palette"
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        assert _ping_pid() == app.proc.pid
        assert il.try_lock() is None
    finally:
        app.quit()


def test_a_shell_command_wakes_a_holder_whose_socket_file_was_deleted(runtime_dir):
    app = start_app()
    try:
        os.unlink(paths.socket_path())
        assert client.send_request({"cmd": "status"}, timeout=5) == {"ok": True}
        assert app.line() == "got status"
    finally:
        app.quit()


def test_a_socket_replaced_by_one_that_never_answers_the_holder_still_wins(runtime_dir, monkeypatch):
    monkeypatch.setattr(claim, "PING_TIMEOUT", 0.2)
    app = start_app()
    path = paths.socket_path()
    os.unlink(path)
    impostor = socket.socket(socket.AF_UNIX)
    impostor.bind(path)
    impostor.listen(8)  # connections queue, nobody answers
    try:
        with pytest.raises(claim.HandedOver):
            claim.claim_single_instance("palette")
        assert app.line() == "got palette"
        assert _ping_pid() == app.proc.pid
    finally:
        impostor.close()
        app.quit()


def test_a_socket_replaced_by_another_server_the_holder_still_wins(runtime_dir, qapp, qtbot):
    app = start_app()
    path = paths.socket_path()
    os.unlink(path)
    rogue = instance_server.InstanceServer(lambda request: {"ok": True, "rogue": True})  # this process holds no lock
    rogue.start()
    try:
        assert not rogue.holds_lock
        assert in_thread(qtbot, client.send_request, {"cmd": "ping"})["pid"] == os.getpid()
        with pytest.raises(claim.HandedOver) as handed:
            in_thread(qtbot, claim.claim_single_instance, "palette")
        assert handed.value.answer == {"ok": True}  # the app's answer, not the rogue's
        assert app.line() == "got palette"
        assert in_thread(qtbot, _ping_pid) == app.proc.pid
    finally:
        rogue.close()
        app.quit()


def test_a_deleted_lock_file_is_put_back_by_its_holder(runtime_dir):
    app = start_app()
    try:
        lock_file = Path(il.lock_path())
        lock_file.unlink()
        # This launch gets a fresh lock, finds the app answering, hands over and lets go.
        with pytest.raises(claim.HandedOver):
            claim.claim_single_instance("palette")
        assert app.line() == "got palette"
        deadline = time.monotonic() + 5
        while lock_holder.read_holder() is None and time.monotonic() < deadline:  # the condition, polled
            time.sleep(0.01)
        assert lock_holder.read_holder().pid == app.proc.pid
        assert lock_file.read_text().splitlines()[0] == str(app.proc.pid)
        assert il.try_lock() is None
    finally:
        app.quit()


def test_the_lock_holder_takes_over_whatever_has_the_socket_name(runtime_dir, qapp, qtbot):
    path = paths.socket_path()
    other = socket.socket(socket.AF_UNIX)
    other.bind(path)
    other.listen(1)  # would be pinged for 2 s without the lock
    lock = il.try_lock()
    server = instance_server.InstanceServer(lambda request: {"ok": True, "mine": True})
    try:
        started = time.monotonic()
        server.start()
        assert time.monotonic() - started < 1
        assert server.holds_lock and lock.server is server
        assert in_thread(qtbot, client.send_request, {"cmd": "ping"}).get("wake") == "SIGUSR1"
        second = instance_server.InstanceServer(lambda request: {"ok": True})
        with pytest.raises(errors.AlreadyRunning):  # another server of this process: not the holder
            second.start()
        os.unlink(path)
        assert server.recover() is True
        assert in_thread(qtbot, client.send_request, {"cmd": "status"}) == {"ok": True, "mine": True}
        assert server.recover() is False  # its own file: nothing to do
    finally:
        server.close()
        other.close()
    assert lock.server is None


# -- the app's start-up -----------------------------------------------------------------------

_RUN_APP = textwrap.dedent("""
    import sys
    from types import SimpleNamespace
    from timecrowd_tray.platform.instance import claim
    claim.HAND_OVER_WAIT = float(sys.argv[1])
    from timecrowd_tray.app import run_app
    sys.exit(run_app(SimpleNamespace(demo=False, api_base="http://127.0.0.1:9", debug=False)))
""")


def _run_app(tmp_path: Path, wait: float) -> subprocess.CompletedProcess:
    environment = {**env(), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-c", _RUN_APP, str(wait)], capture_output=True, text=True,
                          timeout=60, env=environment)


def test_run_app_hands_over_to_the_lock_holder_and_exits_0(runtime_dir, tmp_path):
    app = start_app()
    try:
        done = _run_app(tmp_path, 5.0)
        assert done.returncode == 0, done.stderr
        assert "already running" in done.stdout
        assert app.line() == "got activate"
    finally:
        app.quit()


def test_run_app_refuses_to_start_beside_a_holder_that_does_not_answer(runtime_dir, tmp_path):
    holder = start_app(serve=False)
    try:
        done = _run_app(tmp_path, 0.3)
        assert done.returncode == 1
        assert f"already running (pid {holder.proc.pid}) but does not answer" in done.stderr
        assert holder.proc.poll() is None
    finally:
        holder.quit()


# -- Windows: the named mutex (its logic, against a stand-in for kernel32; not run on Windows) ------


class FakeKernel32:
    def __init__(self) -> None:
        self.open: dict[str, int] = {}  # name -> handles open
        self.handles: dict[int, str] = {}
        self.last_error = 0

    def CreateMutexW(self, _attributes, _owner, name):  # noqa: N802 - the Win32 name
        self.last_error = il.ERROR_ALREADY_EXISTS if self.open.get(name) else 0
        handle = len(self.handles) + 100
        self.handles[handle] = name
        self.open[name] = self.open.get(name, 0) + 1
        return handle

    def OpenMutexW(self, _access, _inherit, name):  # noqa: N802
        return self.CreateMutexW(None, False, name) if self.open.get(name) else 0

    def CloseHandle(self, handle):  # noqa: N802
        self.open[self.handles.pop(handle)] -= 1
        return 1


def test_the_named_mutex_on_windows_one_holder_until_it_closes(monkeypatch):
    fake = FakeKernel32()
    monkeypatch.setattr(il, "_USE_MUTEX", True)
    monkeypatch.setattr(il, "_kernel32", lambda: fake)
    monkeypatch.setattr(il, "_last_error", lambda: fake.last_error)
    name = il.lock_path("timecrowd-tray-someone")
    assert name == "Local\\timecrowd-tray-someone.lock"
    lock = il.try_lock(name)
    assert lock is not None and lock.held
    assert il.try_lock(name) is None  # another process: its handle is closed at once
    assert fake.open[name] == 1
    assert lock_holder.read_holder(name) == lock_holder.LockHolder(None, False)
    lock.release()
    assert fake.open[name] == 0 and lock_holder.read_holder(name) is None
    again = il.try_lock(name)
    assert again is not None
    again.release()


def test_the_holder_pid_is_signalled_only_when_the_kernel_confirms_it(runtime_dir, monkeypatch):
    holder = start_app(serve=False)
    try:
        assert lock_holder.read_holder().wakeable
        monkeypatch.setattr(lock_holder, "_kernel_flock_pids", lambda st: {12345678})  # another pid holds it
        who = lock_holder.read_holder()
        assert who == lock_holder.LockHolder(holder.proc.pid, False)
        monkeypatch.setattr(lock_holder, "_kernel_flock_pids", lambda st: None)  # no /proc/locks: the file's word
        assert lock_holder.read_holder().wakeable
    finally:
        holder.quit()


def test_unused_names_are_not_left_behind(runtime_dir):
    lock = il.try_lock()
    lock.release()
    assert os.listdir(runtime_dir) == []
