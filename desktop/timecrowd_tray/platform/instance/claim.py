"""Claiming the app's place at start-up: the instance lock, or the command handed over to the app holding it.

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
another process, a hang) sends the holder ``SIGUSR1`` once (:mod:`.holder`);
the holder re-binds its socket and puts its lock file back (:mod:`.lock`).
The launch meanwhile keeps retrying and hands over to the re-bound socket. A
launch that *gets* the lock but finds an app answering (one whose lock file
was deleted, or a version from before the lock) hands over to it and lets the
lock go; if that app says it can be woken (``"wake"`` in its ping answer), it
is signalled too, so that it takes its lock file back. Without any launch, a
deleted socket file stays deleted until the next launch: the shell commands
then fall back to the API, as without the app. If *both* the lock file and the
socket file are deleted, nothing tells the next launch an app runs: that one
case is not covered.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from .client import send
from .errors import InstanceError, NoAnswer, NotAnswering, UntrustedSocket
from .holder import LockHolder, nudge, read_holder
from .lock import WAKE_NAME, InstanceLock, held_lock, lock_path, try_lock
from .paths import socket_path

log = logging.getLogger(__name__)

#: How long a launch that finds the lock held waits for the holder's socket to answer.
HAND_OVER_WAIT = 5.0
#: One ``ping`` of the holder's socket at most (a hung app must not eat the whole wait).
PING_TIMEOUT = 1.0
#: The command handed over (it opens the palette: quick).
COMMAND_TIMEOUT = 5.0
FIRST_RETRY = 0.01
MAX_RETRY = 0.2


class HandedOver(Exception):
    """The running app took the command: this process exits 0. ``answer`` is its reply."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__("handed over to the running app")
        self.answer = answer


def _ping(name: str, timeout: float) -> tuple[dict[str, Any] | None, str]:
    """The app's ping answer on socket ``name``, or None and why not (in words, for the message)."""
    try:
        answer = send(name, {"cmd": "ping"}, timeout)
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
    answer = send(name, {"cmd": command}, COMMAND_TIMEOUT)
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
            nudged = nudge(holder.pid)  # once: the holder binds its socket again if it is not there
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
        nudge(answer["pid"])  # it takes its lock file back
    raise HandedOver(result)
