"""One app per user, reachable from the shell through a local socket.

The running app listens on a per-user local socket (``QLocalServer`` with
``UserAccessOption``): ``$XDG_RUNTIME_DIR/timecrowd-tray-<uid>.sock`` when
that directory is private (the usual case on Linux), else
``<tmp>/timecrowd-tray-<uid>.sock``;
either way the socket file itself is mode 0700. On Windows it is the named pipe
``timecrowd-tray-<user>``, whose ACL ``UserAccessOption`` restricts to the user.

The protocol is newline-delimited JSON, one request per connection::

    -> {"cmd": "toggle"}                      # or start/stop/status/palette/activate/ping
    <- {"ok": true, "status": {...}}          # or {"ok": false, "error": "...", "code": "..."}

The client side (the CLI and the hand-over at start-up) uses a plain
``AF_UNIX`` socket on POSIX, so ``timecrowd-tray status`` imports no Qt at
all; on Windows it uses ``QLocalSocket`` from QtNetwork. Before connecting on
POSIX the client checks that the socket belongs to the user: a socket some
other account planted in ``/tmp`` is never trusted.

This module also holds the documents the protocol carries (the ``status``
schema shared by the app and the API fallback of the CLI), because both ends
must agree on them and neither may import the other.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from .. import APP_ID

log = logging.getLogger(__name__)

#: Override of the socket's name (tests, or a second profile): the name, not a path.
INSTANCE_ENV = "TIMECROWD_TRAY_INSTANCE"
MAX_LINE = 64 * 1024
MAX_SOCKET_PATH = 100
CONNECT_TIMEOUT = 1.0
#: How long a command may take in the app (a start may search the server first).
REPLY_TIMEOUT = 20.0

COMMANDS = ("toggle", "start", "stop", "status", "palette", "activate", "ping")

#: ``handler(request)`` returns the answer, or an awaitable of it.
Handler = Callable[[dict[str, Any]], Any]


class InstanceError(Exception):
    """The single-instance socket could not be used; the message is for the user."""


class AlreadyRunning(InstanceError):
    """Another instance of the app answers on the socket."""


class UntrustedSocket(InstanceError):
    """The socket path exists but belongs to another user: it is never used."""


class NoAnswer(InstanceError):
    """An app holds the socket but did not answer in time."""


# -- where ---------------------------------------------------------------------------


def _user_tag() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    name = os.environ.get("USERNAME") or os.environ.get("USER") or "user"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def server_name() -> str:
    """The per-user name: ``timecrowd-tray-<uid>`` (``-<instance>`` appended when overridden)."""
    suffix = os.environ.get(INSTANCE_ENV, "").strip()
    base = f"{APP_ID}-{_user_tag()}"
    if suffix:
        base += "-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in suffix)
    return base


def _runtime_dir() -> str | None:
    path = os.environ.get("XDG_RUNTIME_DIR")
    if not path or not os.path.isdir(path):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    # Only a private runtime directory makes the socket private by its location too.
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
        return None
    return path


def socket_path() -> str:
    """What ``QLocalServer.listen`` gets: a full path on POSIX, a pipe name on Windows."""
    if sys.platform == "win32":
        return server_name()
    name = server_name() + ".sock"
    path = os.path.join(_runtime_dir() or tempfile.gettempdir(), name)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:  # sun_path holds 108 bytes (104 on macOS)
        path = os.path.join(tempfile.gettempdir(), name)
    return path


def _check_owner(path: str) -> bool:
    """True when ``path`` exists and is ours; UntrustedSocket when it is someone else's."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UntrustedSocket(f"{path} belongs to another user (uid {st.st_uid}); not using it")
    return True


# -- client --------------------------------------------------------------------------


def _encode(request: dict[str, Any]) -> bytes:
    return (json.dumps(request, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _decode(line: bytes) -> dict[str, Any]:
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InstanceError("the running app answered something that is not JSON") from None
    if not isinstance(value, dict):
        raise InstanceError("the running app answered something that is not a JSON object")
    return value


def _send_posix(path: str, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    if not _check_owner(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        try:
            sock.connect(path)
        except (ConnectionRefusedError, FileNotFoundError):
            return None  # a stale socket: nobody listens (the app crashed)
        except socket.timeout:
            raise NoAnswer("the running app does not accept connections") from None
        sock.settimeout(timeout)
        try:
            sock.sendall(_encode(request))
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > MAX_LINE:
                    raise InstanceError("the running app's answer is too long")
        except socket.timeout:
            raise NoAnswer(f"the running app did not answer within {timeout:g} s") from None
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data.strip():
            raise NoAnswer("the running app closed the connection without answering")
        return _decode(data.strip())
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
        sock.write(_encode(request))
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
        return _decode(data.strip())
    finally:
        sock.abort()


def send_request(request: dict[str, Any], timeout: float = REPLY_TIMEOUT) -> dict[str, Any] | None:
    """Send one request to the running app: its answer, or None when no app runs.

    Raises :class:`NoAnswer` when an app holds the socket but does not answer
    (hung), :class:`UntrustedSocket` for a socket of another user, and
    :class:`InstanceError` for a garbled answer.
    """
    if sys.platform == "win32":
        return _send_qt(socket_path(), request, timeout)
    return _send_posix(socket_path(), request, timeout)


def is_running(timeout: float = 2.0) -> bool:
    try:
        answer = send_request({"cmd": "ping"}, timeout=timeout)
    except InstanceError:
        return False
    return bool(answer and answer.get("ok"))


def hand_over_to_running_instance(argv_command: str = "activate") -> bool:
    """Called first at start-up: True when another instance took the command and this one must exit 0.

    Uses no QtWidgets (and on POSIX no Qt at all). A hung or foreign socket
    counts as "no instance": this process starts and :class:`InstanceServer`
    sorts the socket out.
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


# -- server --------------------------------------------------------------------------


def _qt():
    from PySide6.QtCore import QObject
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    return QObject, QLocalServer, QLocalSocket


class InstanceServer:
    """The app's end: answers each request line with ``handler(request)`` (a dict, or an awaitable of one).

    ``ping`` is answered here. Awaitables run on the asyncio loop (qasync in
    the app). A handler's exception becomes ``{"ok": false, "error": ...}``.
    """

    def __init__(self, handler: Handler, name: str | None = None) -> None:
        _QObject, QLocalServer, _QLocalSocket = _qt()
        self._handler = handler
        self.name = name or socket_path()
        self._server = QLocalServer()
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._clients: set[Any] = set()
        self._tasks: set[asyncio.Future] = set()

    @property
    def full_name(self) -> str:
        return self._server.fullServerName()

    def is_listening(self) -> bool:
        return self._server.isListening()

    def start(self) -> None:
        """Listen; removes a stale socket; raises :class:`AlreadyRunning` when another app answers."""
        _QObject, QLocalServer, _QLocalSocket = _qt()
        if sys.platform != "win32":
            directory = os.path.dirname(self.name)
            if directory:
                os.makedirs(directory, mode=0o700, exist_ok=True)
            # Qt binds with UserAccessOption in a private temporary directory and renames the
            # socket into place, which would silently replace a live app's socket: ask first.
            if os.path.lexists(self.name):
                self._take_over_or_refuse()
        if self._server.listen(self.name):
            log.info("single instance: listening on %s", self._server.fullServerName())
            return
        if self._server.serverError() != QLocalServer.SocketError.AddressInUseError:
            raise InstanceError(f"cannot listen on {self.name}: {self._server.errorString()}")
        self._take_over_or_refuse()
        if not self._server.listen(self.name):
            raise InstanceError(f"cannot listen on {self.name}: {self._server.errorString()}")
        log.info("single instance: listening on %s", self._server.fullServerName())

    def _take_over_or_refuse(self) -> None:
        _QObject, QLocalServer, _QLocalSocket = _qt()
        try:
            answer = (_send_qt(self.name, {"cmd": "ping"}, 2.0) if sys.platform == "win32"
                      else _send_posix(self.name, {"cmd": "ping"}, 2.0))
        except NoAnswer:
            answer = None  # held by a hung process: take the name over
        except UntrustedSocket as exc:
            raise InstanceError(str(exc)) from None
        if answer is not None:
            raise AlreadyRunning(f"another TimeCrowd Tray (pid {answer.get('pid', '?')}) is running")
        log.info("single instance: removing the stale socket %s", self.name)
        QLocalServer.removeServer(self.name)

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for sock in list(self._clients):
            sock.abort()
        self._clients.clear()
        if self._server.isListening():
            self._server.close()  # also removes the socket file

    # -- connections -----------------------------------------------------------------

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                return
            self._clients.add(sock)
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            if sock.bytesAvailable():
                self._read(sock)

    def _forget(self, sock: Any) -> None:
        if sock in self._clients:
            self._clients.discard(sock)
            sock.deleteLater()

    def _read(self, sock: Any) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine()).strip()
            if not line:
                continue
            try:
                request = _decode(line)
            except InstanceError as exc:
                self._reply(sock, {"ok": False, "error": str(exc), "code": "bad_request"})
                continue
            self._dispatch(sock, request)
        if sock.bytesAvailable() > MAX_LINE:
            log.warning("single instance: dropping a client that sent %d bytes without a newline",
                        sock.bytesAvailable())
            sock.abort()

    def _dispatch(self, sock: Any, request: dict[str, Any]) -> None:
        cmd = request.get("cmd")
        if cmd == "ping":
            self._reply(sock, {"ok": True, "pid": os.getpid()})
            return
        try:
            result = self._handler(request)
        except Exception as exc:  # noqa: BLE001 - the client gets the error; the app goes on
            log.exception("single instance: %r failed", cmd)
            self._reply(sock, {"ok": False, "error": str(exc) or type(exc).__name__, "code": "failed"})
            return
        if not inspect.isawaitable(result):
            self._reply(sock, result)
            return
        task = asyncio.ensure_future(result)
        self._tasks.add(task)

        def done(fut: asyncio.Future, sock: Any = sock, cmd: Any = cmd) -> None:
            self._tasks.discard(fut)
            if fut.cancelled():
                self._reply(sock, {"ok": False, "error": "cancelled", "code": "failed"})
                return
            exc = fut.exception()
            if exc is not None:
                log.error("single instance: %r failed: %s", cmd, exc, exc_info=exc)
                self._reply(sock, {"ok": False, "error": str(exc) or type(exc).__name__, "code": "failed"})
            else:
                self._reply(sock, fut.result())

        task.add_done_callback(done)

    def _reply(self, sock: Any, answer: Any) -> None:
        if not isinstance(answer, dict):
            answer = {"ok": False, "error": "the app gave no answer", "code": "failed"}
        if sock not in self._clients:
            return  # the client went away meanwhile
        sock.write(_encode(answer))
        sock.flush()


# -- the documents the protocol carries ---------------------------------------------


STATES = ("running", "idle", "signed_out", "offline")


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def status_document(*, state: str, task: Any = None, team: str = "", started_at: datetime | None = None,
                    now: datetime | None = None, pending: int = 0, source: str) -> dict[str, Any]:
    """The ``status --json`` document (see docs/controls.md).

    ``task`` is a :class:`~timecrowd_tray.core.models.Task` (or None): id,
    title and team (its team's name, or ``team`` when the task does not carry one).
    ``elapsed_seconds`` is whole seconds since ``started_at``.
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    now = now or datetime.now(timezone.utc)
    task_doc = None
    if task is not None:
        task_doc = {"id": task.id, "title": task.title, "team": getattr(task, "team_name", "") or team or None}
    elapsed = None
    if started_at is not None and task is not None:
        elapsed = max(0, int((now - started_at).total_seconds()))
    return {
        "state": state,
        "task": task_doc,
        "started_at": _iso(started_at) if task is not None else None,
        "elapsed_seconds": elapsed,
        "pending": int(pending),
        "source": source,
    }


def format_status(doc: dict[str, Any]) -> str:
    """One line for people and status bars: ``▶ 週次定例ミーティング (株式会社デモ) 0:42:10``."""
    from ..core.durations import format_hms

    task = doc.get("task")
    state = doc.get("state")
    if task:
        label = task.get("title") or f"task {task.get('id')}"
        if task.get("team"):
            label += f" ({task['team']})"
        elapsed = doc.get("elapsed_seconds")
        clock = f" {format_hms(elapsed)}" if elapsed is not None else ""
        prefix = "▶" if state == "running" else "⚠ offline ▶"
        line = f"{prefix} {label}{clock}"
    elif state == "idle":
        line = "■ not running"
    elif state == "signed_out":
        line = "signed out"
    else:
        line = "⚠ offline"
    pending = int(doc.get("pending") or 0)
    if pending:
        line += f" ({pending} waiting to sync)"
    return line
