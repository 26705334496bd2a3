"""The single-instance lock: the running app holds it for its whole life, so one app runs per user.

The control socket alone cannot say "one app": two launches at the same
moment both find no socket and both start, and a deleted or replaced socket
file lets the next launch start beside the app. So the claim is a lock, taken
at start-up before the timer service, the poller and the outbox exist
(:func:`.claim.claim_single_instance`, from ``run_app``):

* **POSIX**: ``flock(LOCK_EX | LOCK_NB)`` on ``timecrowd-tray-<uid>.lock``
  (``-<instance>`` with ``TIMECROWD_TRAY_INSTANCE``) in the socket's
  directory (see :func:`.paths.socket_path`). The file is opened
  with ``O_NOFOLLOW`` (a symbolic link is refused), must be a regular file of
  the user (another user's is refused: :class:`UntrustedLock`) and is made
  0600. The kernel decides atomically which of any number of racing launches
  gets it, and lets go of it however the holder ends (``kill -9`` included):
  a lock is never stale. The holder writes its pid into the file (for
  messages, and to be woken: :mod:`.holder`); on release it removes the file
  while still holding it, and a claimant checks after locking that the file it
  locked still has the name (else it tries again), so removing never lets two
  claimants in.
* **Windows**: a named mutex, ``Local\\timecrowd-tray-<user>.lock``
  (``CreateMutexW``; ``ERROR_ALREADY_EXISTS`` means another process holds a
  handle to it), freed by the system when the holder ends. *This path was
  not run on Windows*: only its logic is tested, on Linux, against a stand-in
  for kernel32. The holder's pid is not known there.

The holder's ``SIGUSR1`` handler is installed when it takes the lock, *before*
its pid is in the file, so the signal never meets the default action (which
would end the process). It posts to the Qt loop, where the server re-binds its
socket if the file is not its own any more (:meth:`.server.InstanceServer.recover`),
and puts the lock file back too if that was deleted (:meth:`InstanceLock.restore`).
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
from collections.abc import Callable
from typing import Any

from .errors import InstanceError, UntrustedLock
from .paths import socket_path

log = logging.getLogger(__name__)

#: What the holder's ping answer and lock file say when ``SIGUSR1`` makes it check its socket.
WAKE_NAME = "SIGUSR1"

#: The named mutex on Windows (tests set it to run that logic on Linux against a stand-in).
_USE_MUTEX = sys.platform == "win32"
ERROR_ALREADY_EXISTS = 183


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


def parse_holder(data: bytes) -> tuple[int | None, bool]:
    """The pid (None when unreadable) and whether it may be woken, from what :func:`_write_holder` wrote."""
    lines = data.decode("ascii", "replace").split("\n")
    try:
        pid = int(lines[0])
    except ValueError:
        pid = None
    if pid is not None and pid <= 0:
        pid = None
    return pid, len(lines) > 1 and lines[1].strip() == WAKE_NAME


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
            check_lock_file(path, st)
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
    check_lock_file(path, st)


def check_lock_file(path: str, st: os.stat_result) -> None:
    """UntrustedLock unless ``st`` (of ``path``) is a regular file of the user."""
    if not stat.S_ISREG(st.st_mode):
        raise UntrustedLock(f"the lock file {path} is not a regular file: not using it (remove it)")
    uid = _my_uid()
    if uid is not None and st.st_uid != uid:
        raise UntrustedLock(f"the lock file {path} belongs to another user (uid {st.st_uid}): not using it "
                            "(remove it, or set XDG_RUNTIME_DIR to a private directory)")


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


def mutex_free(name: str) -> bool:
    """Nobody has the mutex ``name`` open (``OpenMutexW`` finds none)."""
    synchronize = 0x00100000
    kernel32 = _kernel32()
    handle = kernel32.OpenMutexW(synchronize, False, name)
    if not handle:
        return True
    kernel32.CloseHandle(handle)
    return False
