"""One app per user, reachable from the shell through a local socket.

The running app listens on a per-user local socket:
``$XDG_RUNTIME_DIR/timecrowd-tray-<uid>.sock`` when that directory is private
(the usual case on Linux), else ``<tmp>/timecrowd-tray-<uid>.sock``; either way
the socket file itself is mode 0700 from the moment it has that name. On
Windows it is the named pipe ``timecrowd-tray-<user>``, whose ACL
``QLocalServer``'s ``UserAccessOption`` restricts to the user.

The protocol is newline-delimited JSON, one request per connection::

    -> {"cmd": "toggle"}                      # or start/stop/status/palette/activate/ping
    <- {"ok": true, "status": {...}}          # or {"ok": false, "error": "...", "code": "..."}

The server on POSIX (Linux, macOS) is a plain non-blocking ``AF_UNIX`` socket
watched by ``QSocketNotifier`` on the Qt event loop: no thread, and no
QtNetwork. ``QLocalServer`` would load libQt6Network and its bindings (and,
through it, Kerberos/GSSAPI) -- 2.5 to 3.5 MiB of resident memory for the whole
day, for one local socket. The file is bound inside a fresh private (0700)
directory, made 0700, and hard-linked into place: ``link`` never replaces an
existing file, so two apps starting together cannot steal each other's socket,
and no other user can connect before the mode is right (where hard links are
not available it is bound in place under a umask of 077).

Which process is *the* app is decided by the instance lock
(:mod:`.instance_lock`), taken at start-up before anything else of the app
exists; the socket only carries the commands. A server whose process holds
that lock is the only one that may remove a file at the socket's name (the
lock proves no other app lives: what is there is stale, or an impostor), and
it binds its socket again when the file was deleted or replaced, told so by
``SIGUSR1`` from the next launch (:meth:`InstanceServer.recover`). A server
without the lock (tests, a tool) behaves as before the lock: a socket file
nobody answers on is what a crashed app leaves behind, so it is removed and
the name taken over; when another app answers, this one stays off the socket
(:class:`AlreadyRunning`). A socket of another user is never used.
Each connection reads and writes without blocking: a request may arrive in
pieces, a client may say nothing or go away mid-line, and an answer the
client does not read yet waits in a small buffer until the socket is writable.
Windows keeps ``QLocalServer``/``QLocalSocket`` (QtNetwork is loaded there).

The client side (the CLI and the hand-over at start-up) uses a plain
``AF_UNIX`` socket on POSIX, so ``timecrowd-tray status`` imports no Qt at
all; on Windows it uses ``QLocalSocket`` from QtNetwork. Before connecting on
POSIX the client checks that the socket belongs to the user: a socket some
other account planted in ``/tmp`` is never trusted.

The documents the protocol carries (``status --json``) are built in
:mod:`timecrowd_tray.core.status`.
"""

from __future__ import annotations

import asyncio
import errno
import inspect
import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable
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
    """Where the app listens: the socket file's full path on POSIX, the pipe's name on Windows."""
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
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                sock.connect(path)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                return None  # a stale socket: nobody listens (the app crashed)
            except socket.timeout:
                raise NoAnswer("the running app does not accept connections") from None
            except BlockingIOError:  # its backlog is full (many clients at once): a moment's patience
                if time.monotonic() >= deadline:
                    raise NoAnswer("the running app does not accept connections") from None
                time.sleep(0.01)
            except OSError as exc:  # e.g. no permission: not a socket anyone can use
                raise InstanceError(f"cannot connect to {path}: {exc.strerror or exc}") from None
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


#: How long a client waits for an app it woke (its socket file was gone) to bind its socket again.
RECOVER_WAIT = 2.0


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
    from .instance_lock import nudge_holder

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

    The app's start-up uses :func:`.instance_lock.claim_single_instance`
    instead, which also settles who is the app. Uses no QtWidgets (and on
    POSIX no Qt at all). A hung or foreign socket counts as "no instance".
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

#: QLocalServer (QtNetwork) serves the socket on Windows only; POSIX uses a plain AF_UNIX socket.
#: Tests set it to exercise the Windows code path on Linux.
_USE_QLOCALSERVER = sys.platform == "win32"
BACKLOG = 64  # connections the kernel queues while the UI thread is busy (QLocalServer: 50)
#: Bytes read from one client per readiness event: a fast sender cannot hold the UI thread.
READ_CHUNK = 65536
READS_PER_EVENT = 4
_NOSIGNAL = getattr(socket, "MSG_NOSIGNAL", 0)  # EPIPE rather than SIGPIPE where the flag exists


class InstanceServer:
    """The app's end: answers each request line with ``handler(request)`` (a dict, or an awaitable of one).

    ``ping`` is answered here, at once, on the Qt event loop. Awaitables run on
    the asyncio loop (qasync in the app). A handler's exception becomes
    ``{"ok": false, "error": ...}``. Needs a ``QCoreApplication`` (its event
    loop drives the socket).
    """

    def __init__(self, handler: Handler, name: str | None = None) -> None:
        self._handler = handler
        self.name = name or socket_path()
        self._clients: set[Any] = set()
        self._tasks: set[asyncio.Future] = set()
        self._lock: Any = None  # the process's instance lock, when this server serves the app holding it
        self._backend: _UnixBackend | _QtBackend = _QtBackend(self) if _USE_QLOCALSERVER else _UnixBackend(self)

    @property
    def full_name(self) -> str:
        """The socket's path (the pipe's full name on Windows) while listening, else ``""``."""
        return self._backend.full_name()

    def is_listening(self) -> bool:
        return self._backend.is_listening()

    def start(self) -> None:
        """Listen; removes a stale socket; raises :class:`AlreadyRunning` when another app answers.

        When this process holds the instance lock (:mod:`.instance_lock`),
        whatever has the socket's name is removed without asking (only the lock
        holder may), and ``SIGUSR1`` makes the server check its socket
        (:meth:`recover`). Raises :class:`UntrustedSocket` when the name is held
        by another user's socket and :class:`InstanceError` when the socket
        cannot be made.
        """
        try:
            self._backend.start()
        except BaseException:
            self._lock = None
            raise
        if self._lock is not None:
            self._lock.attach(self, self._woken)
            _ensure_signal_wakeup()

    @property
    def holds_lock(self) -> bool:
        """This server serves the app that holds the instance lock."""
        return self._lock is not None

    def _holder_lock(self, path: str) -> Any:
        """The instance lock of ``path`` when this process holds it, else None.

        Raises :class:`AlreadyRunning` when another server of this process serves it already.
        """
        from .instance_lock import held_lock

        lock = held_lock(path)
        if lock is None:
            return None
        if lock.server not in (None, self):
            raise AlreadyRunning(f"this app (pid {os.getpid()}) serves {path} already")
        self._lock = lock
        return lock

    def _woken(self) -> None:
        """``SIGUSR1`` (inside Python's signal handler): check the socket on the event loop, not here."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.recover)

    def recover(self) -> bool:
        """Bind the socket again when its file was deleted or replaced (and put the lock file back).

        Only a server holding the instance lock does this. True when it bound anew.
        """
        lock = self._lock
        if lock is None or not isinstance(self._backend, _UnixBackend):
            return False
        lock.restore()
        return self._backend.rebind()

    def close(self) -> None:
        """Stop answering: pending commands are cancelled, clients cut off, our socket file removed."""
        if self._lock is not None:
            self._lock.detach(self)
            self._lock = None
        for task in list(self._tasks):
            task.cancel()
        for client in list(self._clients):
            client.close()
        self._clients.clear()
        self._backend.close()

    # -- requests ----------------------------------------------------------------------

    def _request(self, client: Any, line: bytes) -> None:
        """One request line from ``client``: each gets exactly one answer (unless the client leaves)."""
        client.expect()
        try:
            request = _decode(line)
        except InstanceError as exc:
            self._reply(client, {"ok": False, "error": str(exc), "code": "bad_request"})
            return
        self._dispatch(client, request)

    def _dispatch(self, client: Any, request: dict[str, Any]) -> None:
        cmd = request.get("cmd")
        if cmd == "ping":
            answer: dict[str, Any] = {"ok": True, "pid": os.getpid()}
            if self._lock is not None and self._lock.wakeable:
                answer["wake"] = "SIGUSR1"  # a launch that got the lock anyway wakes this app (see instance_lock)
            self._reply(client, answer)
            return
        try:
            result = self._handler(request)
        except Exception as exc:  # noqa: BLE001 - the client gets the error; the app goes on
            log.exception("single instance: %r failed", cmd)
            self._reply(client, {"ok": False, "error": str(exc) or type(exc).__name__, "code": "failed"})
            return
        if not inspect.isawaitable(result):
            self._reply(client, result)
            return
        task = asyncio.ensure_future(result)
        self._tasks.add(task)

        def done(fut: asyncio.Future, client: Any = client, cmd: Any = cmd) -> None:
            self._tasks.discard(fut)
            if fut.cancelled():
                self._reply(client, {"ok": False, "error": "cancelled", "code": "failed"})
                return
            exc = fut.exception()
            if exc is not None:
                log.error("single instance: %r failed: %s", cmd, exc, exc_info=exc)
                self._reply(client, {"ok": False, "error": str(exc) or type(exc).__name__, "code": "failed"})
            else:
                self._reply(client, fut.result())

        task.add_done_callback(done)

    def _reply(self, client: Any, answer: Any) -> None:
        if not isinstance(answer, dict):
            answer = {"ok": False, "error": "the app gave no answer", "code": "failed"}
        if client not in self._clients:
            return  # the client went away meanwhile
        client.answer(_encode(answer))


# -- server on POSIX: a plain AF_UNIX socket on the Qt event loop ------------------------


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


#: Our own ``signal.set_wakeup_fd`` pair and its notifier, when nothing else had set one.
_signal_wakeup: Any = None


def _ensure_signal_wakeup() -> None:
    """Make a signal wake the Qt loop, so that Python runs its handler (``SIGUSR1``) soon.

    The app sets a wake-up descriptor of its own for SIGTERM/SIGINT
    (``app._QuitOnSignals``), which does for any signal: then nothing is done here.
    """
    global _signal_wakeup
    import signal

    if _signal_wakeup is not None:
        return
    try:
        current = signal.set_wakeup_fd(-1)
    except (ValueError, AttributeError):  # not the main thread
        return
    if current != -1:
        signal.set_wakeup_fd(current)
        return
    from PySide6.QtCore import QSocketNotifier

    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)
    try:
        signal.set_wakeup_fd(wsock.fileno())
    except (ValueError, OSError):
        rsock.close()
        wsock.close()
        return

    def drain(*_args: Any) -> None:
        try:
            while rsock.recv(64):
                pass
        except OSError:
            pass

    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(drain)
    _signal_wakeup = (rsock, wsock, notifier, drain)


def _listen_via_private_dir(path: str) -> tuple[socket.socket, tuple[int, int]]:
    """Bind in a fresh 0700 directory, chmod 0700, listen, then hard-link the socket to ``path``.

    Nobody else can reach the socket before it has its final mode, it accepts
    connections the moment it has its name, and ``link`` fails (FileExistsError)
    rather than replace whatever holds the name.
    """
    private = tempfile.mkdtemp(prefix=".tct-", dir=os.path.dirname(path) or ".")  # mode 0700
    staging = os.path.join(private, "s")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(staging)
        os.chmod(staging, 0o700)
        sock.listen(BACKLOG)
        st = os.lstat(staging)
        os.link(staging, path)
    except BaseException:
        sock.close()
        raise
    finally:
        _unlink_quietly(staging)
        try:
            os.rmdir(private)
        except OSError:
            pass
    return sock, (st.st_dev, st.st_ino)


def _listen_under_umask(path: str) -> tuple[socket.socket, tuple[int, int]]:
    """Bind at ``path`` with a umask of 077 (the file is created 0700), then listen."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        previous = os.umask(0o077)
        try:
            sock.bind(path)
        finally:
            os.umask(previous)
        st = os.lstat(path)
        try:
            sock.listen(BACKLOG)
        except BaseException:
            _unlink_quietly(path)
            raise
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise FileExistsError(errno.EEXIST, f"{path} exists") from None
        raise
    except BaseException:
        sock.close()
        raise
    return sock, (st.st_dev, st.st_ino)


def _listen_at(path: str) -> tuple[socket.socket, tuple[int, int]]:
    """A listening socket whose file is ``path``, mode 0700, and its (st_dev, st_ino).

    Raises FileExistsError when something already has that name.
    """
    try:
        return _listen_via_private_dir(path)
    except FileExistsError:
        raise
    except OSError as exc:  # no hard links here (or no room for the private directory)
        log.debug("single instance: binding %s in place under umask 077 (%s)", path, exc)
    return _listen_under_umask(path)


class _UnixClient:
    """One connection: buffers its partial request line and its unsent answers; never blocks."""

    __slots__ = ("server", "sock", "inbuf", "outbuf", "pending", "eof", "closed", "reader", "writer")

    def __init__(self, server: InstanceServer, sock: socket.socket, parent: Any) -> None:
        from PySide6.QtCore import QSocketNotifier

        self.server = server
        self.sock = sock
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.pending = 0  # requests read and not answered yet
        self.eof = False  # the client shut its side: answer what is pending, then close
        self.closed = False
        fd = sock.fileno()
        # Children of the server's QObject: deleteLater() frees them, never Python's GC inside their own signal.
        self.reader = QSocketNotifier(fd, QSocketNotifier.Type.Read, parent)
        self.writer = QSocketNotifier(fd, QSocketNotifier.Type.Write, parent)
        self.writer.setEnabled(False)
        self.reader.activated.connect(self._readable)
        self.writer.activated.connect(self._writable)

    def expect(self) -> None:
        self.pending += 1

    def answer(self, data: bytes) -> None:
        if self.closed:
            return
        self.pending = max(0, self.pending - 1)
        self.outbuf += data
        self._flush()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.server._clients.discard(self)
        for notifier in (self.reader, self.writer):
            notifier.setEnabled(False)  # before the descriptor is closed (and maybe reused)
            notifier.deleteLater()
        self.sock.close()
        self.inbuf.clear()
        self.outbuf.clear()

    # -- events ------------------------------------------------------------------------

    def _readable(self, *_args: Any) -> None:
        for _ in range(READS_PER_EVENT):
            if self.closed or self.eof or self.outbuf:
                break  # an unread answer stops reading: a client that only writes cannot fill our memory
            try:
                chunk = self.sock.recv(READ_CHUNK)
            except BlockingIOError:
                break
            except OSError:  # reset by the client
                self.close()
                return
            if not chunk:
                self.eof = True  # a partial last line is not a request
                self.inbuf.clear()
                break
            self.inbuf += chunk
            self._lines()
        # More to read is announced again by the (level-triggered) notifier.
        self._settle()

    def _lines(self) -> None:
        while not self.closed:
            end = self.inbuf.find(b"\n")
            if end < 0:
                break
            if end > MAX_LINE:
                self._drop(end)
                return
            line = bytes(self.inbuf[:end]).strip()
            del self.inbuf[:end + 1]
            if line:
                self.server._request(self, line)
        if not self.closed and len(self.inbuf) > MAX_LINE:
            self._drop(len(self.inbuf))

    def _drop(self, size: int) -> None:
        log.warning("single instance: dropping a client that sent a line of more than %d bytes (%d so far)",
                    MAX_LINE, size)
        self.close()

    def _writable(self, *_args: Any) -> None:
        self._flush()

    def _flush(self) -> None:
        while self.outbuf and not self.closed:
            try:
                sent = self.sock.send(self.outbuf, _NOSIGNAL)
            except BlockingIOError:
                break  # the write notifier says when there is room again
            except OSError:  # EPIPE, ECONNRESET: the client went away
                self.close()
                return
            del self.outbuf[:sent]
        self._settle()

    def _settle(self) -> None:
        """Watch for what is next: an answer to finish, a request to read, or nothing (close)."""
        if self.closed:
            return
        if self.eof and not self.pending and not self.outbuf:
            self.close()
            return
        self.writer.setEnabled(bool(self.outbuf))
        self.reader.setEnabled(not self.eof and not self.outbuf)


class _UnixBackend:
    """The listening ``AF_UNIX`` socket of an :class:`InstanceServer` on POSIX (no QtNetwork)."""

    def __init__(self, server: InstanceServer) -> None:
        self.server = server
        self._sock: socket.socket | None = None
        self._ident: tuple[int, int] | None = None  # (st_dev, st_ino) of our socket file
        self._notifier: Any = None
        self._owner: Any = None

    def full_name(self) -> str:
        return self.server.name if self._sock is not None else ""

    def is_listening(self) -> bool:
        return self._sock is not None

    def start(self) -> None:
        from PySide6.QtCore import QObject, QSocketNotifier

        if self._sock is not None:
            return
        path = self.server.name
        if not os.path.isabs(path):  # a bare name, as QLocalServer takes it: in the temporary directory
            path = self.server.name = os.path.join(tempfile.gettempdir(), path)
        directory = os.path.dirname(path)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise InstanceError(f"cannot listen on {path}: {exc}") from None
        holder = self.server._holder_lock(path) is not None
        for _attempt in range(3):
            try:
                sock, ident = _listen_at(path)
            except FileExistsError:
                if holder:
                    self._remove_as_holder(path)
                else:
                    self._take_over_or_refuse(path)  # raises, or removed a stale socket: try again
                continue
            except OSError as exc:
                raise InstanceError(f"cannot listen on {path}: {exc.strerror or exc}") from None
            break
        else:
            raise InstanceError(f"cannot listen on {path}: something else keeps taking the name")
        sock.setblocking(False)
        self._sock, self._ident = sock, ident
        if self._owner is None:
            self._owner = QObject()
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self._owner)
        self._notifier.activated.connect(self._accept)
        log.info("single instance: listening on %s", path)

    def _remove_as_holder(self, path: str) -> None:
        """``path`` exists and this process holds the instance lock: no other app lives, so it goes."""
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise UntrustedSocket(f"{path} belongs to another user (uid {st.st_uid}); not using it")
        log.info("single instance: removing %s (this app holds the instance lock)", path)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"cannot remove {path}: {exc.strerror or exc}") from None

    def rebind(self) -> bool:
        """Listen anew when the socket file is not ours any more (deleted, or replaced): True when it was not."""
        if self._sock is None:
            return False
        path = self.server.name
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            log.warning("single instance: cannot check %s: %s", path, exc)
            return False
        if st is not None and (st.st_dev, st.st_ino) == self._ident:
            return False
        log.warning("single instance: the socket file %s was %s: binding it again", path,
                    "deleted" if st is None else "replaced")
        self._accept()  # who connected before the name went still gets an answer
        self._stop_listening()
        try:
            self.start()
        except InstanceError as exc:
            log.error("single instance: cannot listen on %s again: %s", path, exc)
            return False
        return True

    def _take_over_or_refuse(self, path: str) -> None:
        """``path`` exists: AlreadyRunning when an app answers on it, else remove it (it is stale)."""
        try:
            before = os.lstat(path)
        except FileNotFoundError:
            return
        if hasattr(os, "getuid") and before.st_uid != os.getuid():
            raise UntrustedSocket(f"{path} belongs to another user (uid {before.st_uid}); not using it")
        try:
            answer = _send_posix(path, {"cmd": "ping"}, 2.0)
        except NoAnswer:
            answer = None  # held by a hung process: take the name over
        if answer is not None:
            raise AlreadyRunning(f"another TimeCrowd Tray (pid {answer.get('pid', '?')}) is running")
        try:
            now = os.lstat(path)
        except FileNotFoundError:
            return
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            return  # replaced while we asked: ask the new one
        log.info("single instance: removing the stale socket %s", path)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"cannot remove the stale socket {path}: {exc.strerror or exc}") from None

    def _stop_listening(self) -> None:
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        self._notifier = None
        self._sock.close()
        self._sock = None

    def close(self) -> None:
        if self._sock is None:
            return
        self._stop_listening()
        try:
            st = os.lstat(self.server.name)
        except OSError:
            return
        if (st.st_dev, st.st_ino) == self._ident:  # still ours: another app may have taken the name since
            _unlink_quietly(self.server.name)

    def _accept(self, *_args: Any) -> None:
        for _ in range(BACKLOG):  # the rest next time round: the notifier is level-triggered
            if self._sock is None:
                return
            try:
                conn, _address = self._sock.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:  # out of descriptors: stop listening for a moment rather than spin
                from PySide6.QtCore import QTimer

                log.warning("single instance: cannot accept a connection: %s", exc)
                self._notifier.setEnabled(False)
                QTimer.singleShot(1000, self._resume)
                return
            conn.setblocking(False)
            self.server._clients.add(_UnixClient(self.server, conn, self._owner))

    def _resume(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(True)


# -- server on Windows: QLocalServer on a named pipe ---------------------------------------


class _QtClient:
    """A ``QLocalSocket`` connection (Windows)."""

    __slots__ = ("sock",)

    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def expect(self) -> None:
        pass

    def answer(self, data: bytes) -> None:
        self.sock.write(data)
        self.sock.flush()

    def close(self) -> None:
        self.sock.abort()


class _QtBackend:
    """``QLocalServer`` with ``UserAccessOption``: the named pipe on Windows (it loads QtNetwork)."""

    def __init__(self, server: InstanceServer) -> None:
        from PySide6.QtNetwork import QLocalServer

        self.server = server
        self._server = QLocalServer()
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def full_name(self) -> str:
        return self._server.fullServerName()

    def is_listening(self) -> bool:
        return self._server.isListening()

    def start(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        name = self.server.name
        if sys.platform != "win32":
            directory = os.path.dirname(name)
            if directory:
                os.makedirs(directory, mode=0o700, exist_ok=True)
            # Qt binds with UserAccessOption in a private temporary directory and renames the
            # socket into place, which would silently replace a live app's socket: ask first.
            if os.path.lexists(name):
                self._take_over_or_refuse()
        if self._server.listen(name):
            log.info("single instance: listening on %s", self._server.fullServerName())
            return
        if self._server.serverError() != QLocalServer.SocketError.AddressInUseError:
            raise InstanceError(f"cannot listen on {name}: {self._server.errorString()}")
        self._take_over_or_refuse()
        if not self._server.listen(name):
            raise InstanceError(f"cannot listen on {name}: {self._server.errorString()}")
        log.info("single instance: listening on %s", self._server.fullServerName())

    def _take_over_or_refuse(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        name = self.server.name
        try:
            answer = (_send_qt(name, {"cmd": "ping"}, 2.0) if sys.platform == "win32"
                      else _send_posix(name, {"cmd": "ping"}, 2.0))
        except NoAnswer:
            answer = None  # held by a hung process: take the name over
        except UntrustedSocket as exc:
            raise InstanceError(str(exc)) from None
        if answer is not None:
            raise AlreadyRunning(f"another TimeCrowd Tray (pid {answer.get('pid', '?')}) is running")
        log.info("single instance: removing the stale socket %s", name)
        QLocalServer.removeServer(name)

    def close(self) -> None:
        if self._server.isListening():
            self._server.close()  # also removes the socket file

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                return
            client = _QtClient(sock)
            self.server._clients.add(client)
            sock.readyRead.connect(lambda c=client: self._read(c))
            sock.disconnected.connect(lambda c=client: self._forget(c))
            if sock.bytesAvailable():
                self._read(client)

    def _forget(self, client: _QtClient) -> None:
        if client in self.server._clients:
            self.server._clients.discard(client)
            client.sock.deleteLater()

    def _read(self, client: _QtClient) -> None:
        sock = client.sock
        while sock.canReadLine():
            line = bytes(sock.readLine()).strip()
            if line:
                self.server._request(client, line)
        if sock.bytesAvailable() > MAX_LINE:
            log.warning("single instance: dropping a client that sent %d bytes without a newline",
                        sock.bytesAvailable())
            sock.abort()
