"""Who holds the instance lock, and waking that app (``SIGUSR1``) so that it binds its socket again.

Whether the lock is held is asked of the kernel; the pid is what the holder
wrote into the lock file (:mod:`.lock`). The pid signalled is that one, and
on Linux only when ``/proc/locks`` confirms that this pid holds the lock (a
pid from another pid namespace, say, is never signalled).
"""

from __future__ import annotations

import errno
import logging
import os
import signal
from dataclasses import dataclass

from . import lock
from .errors import UntrustedLock

log = logging.getLogger(__name__)


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
    path = path or lock.lock_path()
    if lock._USE_MUTEX:
        return None if lock.mutex_free(path) else LockHolder(None, False)
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        try:
            lock.check_lock_file(path, st)
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
        pid, wake = lock.parse_holder(os.pread(fd, 256, 0))
    finally:
        os.close(fd)
    kernel = _kernel_flock_pids(st)
    if kernel is None:  # no /proc/locks (macOS, the BSDs): the holder's word
        return LockHolder(pid, wake and pid is not None)
    if pid is not None and pid in kernel:
        return LockHolder(pid, wake)
    return LockHolder(pid, False)  # not confirmed: named in messages, never signalled


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


def nudge(pid: int | None) -> bool:
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
    holder = read_holder(lock.lock_path(name))
    return bool(holder and holder.wakeable and nudge(holder.pid))
