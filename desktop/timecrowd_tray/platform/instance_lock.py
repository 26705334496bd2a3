"""The single-instance claim: a lock the running app holds for its whole life.

The control socket (:mod:`.single_instance`) alone cannot say "one app":
two launches at the same moment both find no socket and both start, and a
deleted or replaced socket file lets the next launch start beside the app.
So the claim is a lock, taken at start-up before the timer service, the
poller and the outbox exist (:func:`claim_single_instance`, from ``run_app``):

* **POSIX**: ``flock(LOCK_EX | LOCK_NB)`` on ``timecrowd-tray-<uid>.lock``
  (``-<instance>`` with ``TIMECROWD_TRAY_INSTANCE``) in the socket's
  directory (see :func:`.single_instance.socket_path`). The file is opened
  with ``O_NOFOLLOW`` (a symbolic link is refused), must be a regular file of
  the user (another user's is refused: :class:`UntrustedLock`) and is made
  0600. The kernel decides atomically which of any number of racing launches
  gets it, and lets go of it however the holder ends (``kill -9`` included):
  a lock is never stale. The holder writes its pid into the file (for
  messages, and to be woken, below); on release it removes the file while
  still holding it, and a claimant checks after locking that the file it
  locked still has the name (else it tries again), so removing never lets two
  claimants in.
* **Windows**: a named mutex, ``Local\\timecrowd-tray-<user>.lock``
  (``CreateMutexW``; ``ERROR_ALREADY_EXISTS`` means another process holds a
  handle to it), freed by the system when the holder ends. *This path was
  not run on Windows*: only its logic is tested, on Linux, against a stand-in
  for kernel32. The holder's pid is not known there.

A launch that finds the lock held hands its command over to the holder: it
retries for up to :data:`HAND_OVER_WAIT` seconds, with a small back-off, until
the socket answers a ``ping`` with the holder's pid (the holder may not have
bound its socket yet: it does so once the sign-in has answered, within about
two seconds) or until the lock comes free (the holder quit meanwhile: then
this launch is the app). When the holder never answers, it raises
:class:`NotAnswering` (the message names the pid): ``run_app`` prints it and
exits 1. It never starts a second app.

**Getting the socket back.** Only the lock holder may remove a socket file at
the socket's name (the lock proves no other app lives, so whatever is there is
stale or an impostor), and it binds its socket again when the file was
deleted or replaced. It notices without any timer: a launch that cannot take
the lock and finds no answer on the socket (no file, a stale file, a socket of
another process, a hang) sends the holder ``SIGUSR1`` once; the holder's
handler (installed when it took the lock, *before* its pid is in the file, so
the signal never meets the default action, which would end the process)
posts to the Qt loop, where the server re-binds its socket if the file is not
its own any more, and puts its lock file back too if that was deleted
(:meth:`InstanceLock.restore`). The launch meanwhile keeps retrying and hands
over to the re-bound socket. The pid signalled is the one the holder wrote,
and on Linux only when ``/proc/locks`` confirms that this pid holds the lock
(a pid from another pid namespace, say, is never signalled). A launch that
*gets* the lock but finds an app answering (one whose lock file was deleted,
or a version from before the lock) hands over to it and lets the lock go; if
that app says it can be woken (``"wake"`` in its ping answer), it is
signalled too, so that it takes its lock file back. Without any launch, a
deleted socket file stays deleted until the next launch: the shell commands
then fall back to the API, as without the app. If *both* the lock file and the
socket file are deleted, nothing tells the next launch an app runs: that one
case is not covered.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import APP_NAME
from .single_instance import (
    InstanceError,
    NoAnswer,
    UntrustedSocket,
    _send_posix,
    _send_qt,
    socket_path,
)

log = logging.getLogger(__name__)

#: How long a launch that finds the lock held waits for the holder's socket to answer.
HAND_OVER_WAIT = 5.0
#: One ``ping`` of the holder's socket at most (a hung app must not eat the whole wait).
PING_TIMEOUT = 1.0
#: The command handed over (it opens the palette: quick).
COMMAND_TIMEOUT = 5.0
FIRST_RETRY = 0.01
MAX_RETRY = 0.2
#: What the holder's ping answer and lock file say when ``SIGUSR1`` makes it check its socket.
WAKE_NAME = "SIGUSR1"

#: The named mutex on Windows (tests set it to run that logic on Linux against a stand-in).
_USE_MUTEX = sys.platform == "win32"
ERROR_ALREADY_EXISTS = 183


class UntrustedLock(InstanceError):
    """The lock file is a symbolic link, not a regular file, or another user's: never used."""


class NotAnswering(InstanceError):
    """Another process holds the lock but its socket does not answer: the message is for the user."""

    def __init__(self, pid: int | None, name: str, reason: str) -> None:
        self.pid = pid
        self.name = name
        self.reason = reason
        who = f"pid {pid}" if pid else "pid unknown"
        kill = f" (kill {pid})" if pid else ""
        super().__init__(f"{APP_NAME} is already running ({who}) but does not answer on its control socket "
                         f"{name} ({reason}); quit it or kill it{kill}, then start it again.")


class HandedOver(Exception):
    """The running app took the command: this process exits 0. ``answer`` is its reply."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__("handed over to the running app")
        self.answer = answer


# -- where -----------------------------------------------------------------------------


def lock_path(name: str | None = None) -> str:
    """The lock of the socket ``name`` (default :func:`socket_path`): ``<socket minus .sock>.lock`` next to it.

    On Windows, the named mutex's name.
    """
    name = name or socket_path()
    if _USE_MUTEX:
        return "Local\\" + os.path.basename(name) + ".lock"
    if not os.path.isabs(name):  # a bare name, as InstanceServer takes it: in the temporary directory
        name = os.path.join(tempfile.gettempdir(), name)
    root, ext = os.path.splitext(name)
    return (root if ext == ".sock" else name) + ".lock"


def _my_uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


# -- the lock ----------------------------------------------------------------------------

#: The locks this process holds, by lock path (one app per process; :func:`held_lock`).
_held: dict[str, InstanceLock] = {}
_held_guard = threading.Lock()
_signal_installed = False


class InstanceLock:
    """This process is the app: held until :meth:`release` or until the process ends, however it ends."""

    def __init__(self, path: str, *, fd: int | None = None, handle: Any = None, wakeable: bool = False) -> None:
        self.path = path
        self.pid = os.getpid()
        #: Whether ``SIGUSR1`` reaches :meth:`_woken` (the handler was installed before the pid was written).
        self.wakeable = wakeable
        self._fd = fd
        self._handle = handle
        self._server: Any = None
        self._on_wake: Callable[[], None] | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._handle is not None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<InstanceLock {self.path} pid={self.pid} {'held' if self.held else 'released'}>"

    def release(self) -> None:
        """Let go: the lock file is removed first, while still held (so no claimant is let in twice)."""
        with _held_guard:
            if _held.get(self.path) is self:
                del _held[self.path]
        self._server = self._on_wake = None
        if self._handle is not None:
            handle, self._handle = self._handle, None
            _kernel32().CloseHandle(handle)
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if _same_file(os.fstat(fd), self.path):
                os.unlink(self.path)
        except OSError:
            pass
        os.close(fd)

    def restore(self) -> bool:
        """Give the lock file its name back when it was deleted: True when it had to be (and could be).

        A fresh file is locked under a temporary name and hard-linked into place
        (``link`` never replaces what has the name: a launch that claimed a new
        lock meanwhile keeps it, and this is logged).
        """
        if self._fd is None:
            return False
        try:
            if _same_file(os.fstat(self._fd), self.path):
                return False
            if os.path.lexists(self.path):
                log.error("single instance: the lock file %s was replaced: another app may have started", self.path)
                return False
            fd, temporary = tempfile.mkstemp(prefix=".tct-lock-", dir=os.path.dirname(self.path) or ".")
        except OSError as exc:
            log.warning("single instance: cannot check the lock file %s: %s", self.path, exc)
            return False
        try:
            import fcntl

            os.fchmod(fd, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else has it
            _write_holder(fd, self.pid, self.wakeable)
            os.link(temporary, self.path)
        except OSError as exc:
            os.close(fd)
            log.error("single instance: cannot put the lock file %s back: %s", self.path, exc)
            return False
        finally:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        old, self._fd = self._fd, fd
        os.close(old)
        log.warning("single instance: the lock file %s was deleted: put back", self.path)
        return True

    # -- the server that serves this app's socket ---------------------------------------

    def attach(self, server: Any, on_wake: Callable[[], None]) -> bool:
        """``server`` serves this app's socket; ``on_wake()`` runs on ``SIGUSR1``. False when another does."""
        if self._server is not None and self._server is not server:
            return False
        self._server, self._on_wake = server, on_wake
        return True

    def detach(self, server: Any) -> None:
        if self._server is server:
            self._server = self._on_wake = None

    @property
    def server(self) -> Any:
        return self._server

    def _woken(self) -> None:
        """``SIGUSR1`` (in Python's handler, on the main thread): the socket or the lock file may be gone."""
        if not self.held:
            return
        if self._on_wake is not None:
            self._on_wake()  # the server posts its check to the event loop (restore included)
        else:
            self.restore()


def held_lock(name: str | None = None) -> InstanceLock | None:
    """The lock this process holds for the socket ``name`` (default :func:`socket_path`), or None."""
    lock = _held.get(lock_path(name))
    return lock if lock is not None and lock.held else None


def _same_file(st: os.stat_result, path: str) -> bool:
    try:
        now = os.lstat(path)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)


def _write_holder(fd: int, pid: int, wakeable: bool) -> None:
    """``<pid>\\n<SIGUSR1 or ->\\n``: written over what was there, then cut to length (a reader sees whole lines)."""
    data = f"{pid}\n{WAKE_NAME if wakeable else '-'}\n".encode()
    os.pwrite(fd, data, 0)
    os.ftruncate(fd, len(data))


def _install_wake_signal() -> bool:
    """``SIGUSR1`` -> :meth:`InstanceLock._woken` of the locks held, for the process's life (main thread only)."""
    global _signal_installed
    if _signal_installed:
        return True
    if not hasattr(signal, "SIGUSR1") or threading.current_thread() is not threading.main_thread():
        return False
    try:
        signal.signal(signal.SIGUSR1, _on_wake_signal)
    except (ValueError, OSError):
        return False
    _signal_installed = True
    return True


def _on_wake_signal(_signum: int, _frame: Any) -> None:
    for lock in list(_held.values()):
        try:
            lock._woken()
        except Exception:  # noqa: BLE001 - never out of a signal handler
            log.exception("single instance: handling SIGUSR1")


def try_lock(path: str | None = None) -> InstanceLock | None:
    """Take the instance lock now, never waiting: the lock, or None when another holder has it.

    ``path`` is the lock file (default :func:`lock_path`). None also when this
    very process holds it already (see :func:`held_lock`). Raises
    :class:`UntrustedLock` for a symbolic link, something other than a regular
    file, or a file of another user, and :class:`InstanceError` when the file
    cannot be made.
    """
    path = path or lock_path()
    if _USE_MUTEX:
        return _try_mutex(path)
    import fcntl

    directory = os.path.dirname(path)
    if directory:
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise InstanceError(f"cannot make the lock file {path}: {exc.strerror or exc}") from None
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK
    for _attempt in range(5):
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            _refuse_if_untrusted(path)
            raise InstanceError(f"cannot open the lock file {path}: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            _check_lock_file(path, st)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    return None
                raise InstanceError(f"cannot lock {path}: {exc.strerror or exc}") from None
            if not _same_file(st, path):
                os.close(fd)  # its holder removed it as we locked it: the name may have a new file
                continue
            if stat.S_IMODE(st.st_mode) != 0o600:
                os.fchmod(fd, 0o600)
            # The handler first: a claimant signals only a pid it read here, and SIGUSR1's
            # default action would end this process.
            wakeable = _install_wake_signal()
            lock = InstanceLock(path, fd=fd, wakeable=wakeable)
            _write_holder(fd, lock.pid, wakeable)
        except BaseException:
            os.close(fd)
            raise
        with _held_guard:
            _held[path] = lock
        log.info("single instance: holding %s", path)
        return lock
    raise InstanceError(f"cannot lock {path}: the file keeps changing")


def _refuse_if_untrusted(path: str) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UntrustedLock(f"the lock file {path} is a symbolic link: not using it (remove it)")
    _check_lock_file(path, st)


def _check_lock_file(path: str, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise UntrustedLock(f"the lock file {path} is not a regular file: not using it (remove it)")
    uid = _my_uid()
    if uid is not None and st.st_uid != uid:
        raise UntrustedLock(f"the lock file {path} belongs to another user (uid {st.st_uid}): not using it "
                            "(remove it, or set XDG_RUNTIME_DIR to a private directory)")


# -- who holds it --------------------------------------------------------------------------


@dataclass(frozen=True)
class LockHolder:
    """The process holding the lock: its pid (None when unknown) and whether it may be sent ``SIGUSR1``."""

    pid: int | None
    wakeable: bool


def read_holder(path: str | None = None) -> LockHolder | None:
    """Who holds the lock at ``path`` now, or None when nobody does (or the file is not to be trusted).

    Whether it is held is asked of the kernel (a shared ``flock`` for an
    instant, let go at once). The pid is what the holder wrote, confirmed on
    Linux by ``/proc/locks`` before it may be signalled.
    """
    path = path or lock_path()
    if _USE_MUTEX:
        return None if _mutex_free(path) else LockHolder(None, False)
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        try:
            _check_lock_file(path, st)
        except UntrustedLock:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return None
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None  # nobody holds it
        pid, wake = _parse_holder(os.pread(fd, 256, 0))
    finally:
        os.close(fd)
    kernel = _kernel_flock_pids(st)
    if kernel is None:  # no /proc/locks (macOS, the BSDs): the holder's word
        return LockHolder(pid, wake and pid is not None)
    if pid is not None and pid in kernel:
        return LockHolder(pid, wake)
    return LockHolder(pid, False)  # not confirmed: named in messages, never signalled


def _parse_holder(data: bytes) -> tuple[int | None, bool]:
    lines = data.decode("ascii", "replace").split("\n")
    try:
        pid = int(lines[0])
    except ValueError:
        pid = None
    if pid is not None and pid <= 0:
        pid = None
    return pid, len(lines) > 1 and lines[1].strip() == WAKE_NAME


def _kernel_flock_pids(st: os.stat_result) -> set[int] | None:
    """The pids the kernel lists as holding an ``flock`` on this file (Linux), or None when it cannot say."""
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            lines = table.readlines()
    except OSError:
        return None
    pids = set()
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:2146660 0 EOF" (a waiter has "->" after the number)
        if len(fields) < 6 or fields[1] != "FLOCK":
            continue
        try:
            ino = int(fields[5].rsplit(":", 1)[1])
            pid = int(fields[4])
        except (IndexError, ValueError):
            continue
        if ino == st.st_ino and pid > 0:
            pids.add(pid)
    return pids


def _nudge(pid: int | None) -> bool:
    """``SIGUSR1`` to the holder: check your socket (and lock file). True when sent."""
    if not pid or pid == os.getpid() or not hasattr(signal, "SIGUSR1"):
        return False
    try:
        os.kill(pid, signal.SIGUSR1)
    except OSError as exc:
        log.info("single instance: cannot wake pid %s: %s", pid, exc)
        return False
    log.info("single instance: asked pid %s to check its socket", pid)
    return True


def nudge_holder(name: str | None = None) -> bool:
    """Another process holds the lock of socket ``name`` and may be woken: wake it (it re-binds its socket)."""
    holder = read_holder(lock_path(name))
    return bool(holder and holder.wakeable and _nudge(holder.pid))


# -- claiming at start-up -------------------------------------------------------------------


def _send(name: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    if sys.platform == "win32":
        return _send_qt(name, request, timeout)
    return _send_posix(name, request, timeout)


def _ping(name: str, timeout: float) -> tuple[dict[str, Any] | None, str]:
    """The app's ping answer on socket ``name``, or None and why not (in words, for the message)."""
    try:
        answer = _send(name, {"cmd": "ping"}, timeout)
    except UntrustedSocket as exc:
        return None, str(exc)
    except NoAnswer as exc:
        return None, str(exc)
    except InstanceError as exc:
        return None, str(exc)
    if answer is None:
        if sys.platform != "win32" and not os.path.lexists(name):
            return None, "its socket file is missing"
        return None, "nothing listens on the socket"
    if not answer.get("ok") or not isinstance(answer.get("pid"), int):
        return None, "something else answers on the socket"
    return answer, ""


def _hand_over(name: str, command: str) -> dict[str, Any] | None:
    """Send ``command``: the answer; None when the socket went away meanwhile. Raises InstanceError."""
    answer = _send(name, {"cmd": command}, COMMAND_TIMEOUT)
    if answer is not None and not answer.get("ok"):
        log.warning("single instance: the running app refused %r: %s", command, answer.get("error"))
    return answer


def claim_single_instance(command: str = "activate", *, wait: float | None = None,
                          name: str | None = None) -> InstanceLock:
    """Called at start-up, before anything else of the app exists: the lock, to keep until the process ends.

    Raises :class:`HandedOver` when the running app took ``command`` (exit 0),
    :class:`NotAnswering` when another process holds the lock but its socket
    ``name`` (default :func:`socket_path`) did not answer within ``wait``
    seconds (default :data:`HAND_OVER_WAIT`), and :class:`UntrustedLock` / :class:`InstanceError` when the lock
    cannot be used (exit 1: never a second app). A process that holds the lock
    already gets it back.
    """
    name = name or socket_path()
    path = lock_path(name)
    mine = held_lock(name)
    if mine is not None:
        return mine
    deadline = time.monotonic() + (HAND_OVER_WAIT if wait is None else wait)
    delay = FIRST_RETRY
    nudged = False
    holder: LockHolder | None = None
    reason = "its socket file is missing"
    while True:
        lock = try_lock(path)
        if lock is not None:
            _hand_over_to_an_app_without_the_lock(lock, name, command)
            return lock
        holder = read_holder(path) or holder
        answer, reason = _ping(name, max(0.05, min(PING_TIMEOUT, deadline - time.monotonic())))
        if answer is not None:
            if holder is None or holder.pid is None or answer["pid"] == holder.pid:
                try:
                    result = _hand_over(name, command)
                except InstanceError as exc:
                    raise NotAnswering(holder.pid if holder else None, name, str(exc)) from None
                if result is not None:
                    raise HandedOver(result)
            else:
                reason = f"pid {answer['pid']}, not the app holding the lock, answers on it"
        if not nudged and holder is not None and holder.wakeable:
            nudged = _nudge(holder.pid)  # once: the holder binds its socket again if it is not there
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise NotAnswering(holder.pid if holder else None, name, reason)
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, MAX_RETRY)


def _hand_over_to_an_app_without_the_lock(lock: InstanceLock, name: str, command: str) -> None:
    """This process got the lock, yet an app may answer: one whose lock file was deleted, or one from
    before the lock. It gets the command and the lock is let go (HandedOver); otherwise nothing."""
    answer, _reason = _ping(name, PING_TIMEOUT)
    if answer is None:
        return  # no app (a stale or a hung socket is the server's to take over)
    try:
        result = _hand_over(name, command)
    except InstanceError as exc:
        log.warning("single instance: the app on %s stopped answering (%s): this one starts", name, exc)
        return
    if result is None:
        return
    lock.release()
    if answer.get("wake") == WAKE_NAME:
        _nudge(answer["pid"])  # it takes its lock file back
    raise HandedOver(result)


# -- Windows: a named mutex ------------------------------------------------------------------


def _kernel32() -> Any:  # pragma: no cover - Windows only (tests put a stand-in here)
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateMutexW.argtypes = (wintypes.LPVOID, wintypes.BOOL, wintypes.LPCWSTR)
    kernel32.CreateMutexW.restype = wintypes.HANDLE
    kernel32.OpenMutexW.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.LPCWSTR)
    kernel32.OpenMutexW.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.restype = wintypes.BOOL
    return kernel32


def _last_error() -> int:  # pragma: no cover - Windows only
    import ctypes

    return ctypes.get_last_error()


def _try_mutex(name: str) -> InstanceLock | None:
    """``CreateMutexW(name)``: ours when it did not exist; None when another process has a handle to it.

    Not run on Windows (see the module doc): tested on Linux against a stand-in.
    """
    kernel32 = _kernel32()
    handle = kernel32.CreateMutexW(None, False, name)
    error = _last_error()
    if not handle:
        raise InstanceError(f"cannot create the mutex {name} (error {error})")
    if error == ERROR_ALREADY_EXISTS:
        kernel32.CloseHandle(handle)
        return None
    lock = InstanceLock(name, handle=handle)
    with _held_guard:
        _held[name] = lock
    return lock


def _mutex_free(name: str) -> bool:
    """Nobody has the mutex ``name`` open (``OpenMutexW`` finds none)."""
    synchronize = 0x00100000
    kernel32 = _kernel32()
    handle = kernel32.OpenMutexW(synchronize, False, name)
    if not handle:
        return True
    kernel32.CloseHandle(handle)
    return False
