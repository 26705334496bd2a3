"""Taking over a socket name that is taken: refused when an app answers on it, freed when nothing alive does.

Both servers (:mod:`.unix_server` on POSIX, :mod:`.qt_server` on Windows) come
here when they find their socket's name taken and their process does not hold
the instance lock: a socket file nobody answers on is what a crashed app
leaves behind, and one whose app hangs is no better; either is removed and the
name taken over. When another app answers, this one stays off the socket
(:class:`AlreadyRunning`). A socket of another user is never used.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from .client import send
from .errors import AlreadyRunning, NoAnswer
from .paths import owned_stat

log = logging.getLogger(__name__)

#: How long the app that may hold the name has to answer its ``ping``.
PING_TIMEOUT = 2.0


def take_over_or_refuse(name: str, remove: Callable[[], object]) -> None:
    """``name`` is taken: AlreadyRunning when an app answers on it, else ``remove()`` frees it (it is stale).

    On POSIX the file at ``name`` must be the user's (:class:`UntrustedSocket`
    otherwise); when it is gone, or replaced while its app was asked, nothing
    is removed: the caller tries again (and asks the new one). On Windows the
    name is a pipe, not a file: only the answer counts.
    """
    before = None
    if sys.platform != "win32":
        before = owned_stat(name)
        if before is None:
            return
    try:
        answer = send(name, {"cmd": "ping"}, PING_TIMEOUT)
    except NoAnswer:
        answer = None  # held by a hung process: take the name over
    if answer is not None:
        raise AlreadyRunning(f"another TimeCrowd Tray (pid {answer.get('pid', '?')}) is running")
    if before is not None:
        try:
            now = os.lstat(name)
        except FileNotFoundError:
            return
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            return  # replaced while we asked: ask the new one
    log.info("single instance: removing the stale socket %s", name)
    remove()
