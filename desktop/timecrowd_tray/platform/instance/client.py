"""Asking the running app: one request over its control socket, and its answer.

On POSIX this is a plain ``AF_UNIX`` socket, so ``timecrowd-tray status``
imports no Qt at all; on Windows it is ``QLocalSocket`` from QtNetwork. Before
connecting on POSIX the client checks that the socket belongs to the user: a
socket some other account planted in ``/tmp`` is never trusted.
"""

from __future__ import annotations

import logging
import socket
import sys
import time
from typing import Any

from .errors import InstanceError, NoAnswer
from .paths import check_owner, socket_path
from .protocol import MAX_LINE, decode, encode

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 1.0
#: How long a command may take in the app (a start may search the server first).
REPLY_TIMEOUT = 20.0
#: How long a client waits for an app it woke (its socket file was gone) to bind its socket again.
RECOVER_WAIT = 2.0


def _send_posix(path: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    if not check_owner(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                sock.connect(path)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                return None  # a stale socket: nobody listens (the app crashed)
            except TimeoutError:
                raise NoAnswer("the running app does not accept connections") from None
            except BlockingIOError:  # its backlog is full (many clients at once): a moment's patience
                if time.monotonic() >= deadline:
                    raise NoAnswer("the running app does not accept connections") from None
                time.sleep(0.01)
            except OSError as exc:  # e.g. no permission: not a socket anyone can use
                raise InstanceError(f"cannot connect to {path}: {exc.strerror or exc}") from None
        sock.settimeout(timeout)
        try:
            sock.sendall(encode(request))
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > MAX_LINE:
                    raise InstanceError("the running app's answer is too long")
        except TimeoutError:
            raise NoAnswer(f"the running app did not answer within {timeout:g} s") from None
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data.strip():
            raise NoAnswer("the running app closed the connection without answering")
        return decode(data.strip())
    finally:
        sock.close()


def _send_qt(name: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(int(CONNECT_TIMEOUT * 1000)):
        if sock.error() == QLocalSocket.LocalSocketError.SocketTimeoutError:
            raise NoAnswer("the running app does not accept connections")
        return None
    try:
        sock.write(encode(request))
        sock.waitForBytesWritten(int(CONNECT_TIMEOUT * 1000))
        data = b""
        while not data.endswith(b"\n"):
            if not sock.waitForReadyRead(int(timeout * 1000)):
                if sock.state() != QLocalSocket.LocalSocketState.ConnectedState and not sock.bytesAvailable():
                    break
                raise NoAnswer(f"the running app did not answer within {timeout:g} s")
            data += bytes(sock.readAll())
            if len(data) > MAX_LINE:
                raise InstanceError("the running app's answer is too long")
        if not data.strip():
            raise NoAnswer("the running app closed the connection without answering")
        return decode(data.strip())
    finally:
        sock.abort()


def send(name: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    """One request to the socket ``name``, as it is (no app woken): the answer, or None when nobody listens."""
    if sys.platform == "win32":
        return _send_qt(name, request, timeout)
    return _send_posix(name, request, timeout)


def send_request(request: dict[str, Any], timeout: float = REPLY_TIMEOUT) -> dict[str, Any] | None:
    """Send one request to the running app: its answer, or None when no app runs.

    Raises :class:`NoAnswer` when an app holds the socket but does not answer
    (hung), :class:`UntrustedSocket` for a socket of another user, and
    :class:`InstanceError` for a garbled answer. On POSIX, when nothing
    answers on the socket but an app holds the instance lock (its socket file
    was deleted), that app is woken to bind it again and asked once more.
    """
    if sys.platform == "win32":
        return _send_qt(socket_path(), request, timeout)
    path = socket_path()
    answer = _send_posix(path, request, timeout)
    if answer is not None:
        return answer
    from .holder import nudge_holder

    if not nudge_holder(path):
        return None
    deadline = time.monotonic() + RECOVER_WAIT
    delay = 0.01
    while time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
        answer = _send_posix(path, request, timeout)
        if answer is not None:
            return answer
    return None


def is_running(timeout: float = 2.0) -> bool:
    try:
        answer = send_request({"cmd": "ping"}, timeout=timeout)
    except InstanceError:
        return False
    return bool(answer and answer.get("ok"))


def hand_over_to_running_instance(argv_command: str = "activate") -> bool:
    """True when another instance took the command (over the socket alone, no lock asked).

    The app's start-up uses :func:`.claim.claim_single_instance` instead,
    which also settles who is the app. Uses no QtWidgets (and on POSIX no Qt
    at all). A hung or foreign socket counts as "no instance".
    """
    try:
        answer = send_request({"cmd": argv_command}, timeout=5.0)
    except InstanceError as exc:
        log.warning("single instance: %s; starting anyway", exc)
        return False
    if answer is None:
        return False
    if not answer.get("ok"):
        log.warning("single instance: the running app refused %r: %s", argv_command, answer.get("error"))
    return True
