"""The app's end of the control socket: :class:`InstanceServer` answers each request with the app's handler.

The socket itself is one of two backends: on POSIX (Linux, macOS) a plain
``AF_UNIX`` socket on the Qt event loop (:mod:`.unix_server`), with no thread
and no QtNetwork; on Windows ``QLocalServer`` on a named pipe
(:mod:`.qt_server`). Both hand each request line to the server here, and a
name that is already taken to the one take-over routine (:mod:`.takeover`).

Which process is *the* app is decided by the instance lock (:mod:`.lock`),
taken at start-up before anything else of the app exists; the socket only
carries the commands. A server whose process holds that lock is the only one
that may remove a file at the socket's name (the lock proves no other app
lives: what is there is stale, or an impostor), and it binds its socket again
when the file was deleted or replaced, told so by ``SIGUSR1`` from the next
launch (:meth:`InstanceServer.recover`). A server without the lock (tests, a
tool) takes a stale socket over (:mod:`.takeover`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from .errors import AlreadyRunning, InstanceError
from .lock import held_lock
from .paths import socket_path
from .protocol import decode, encode
from .qt_server import _QtBackend
from .unix_server import _UnixBackend

log = logging.getLogger(__name__)

#: ``handler(request)`` returns the answer, or an awaitable of it.
Handler = Callable[[dict[str, Any]], Any]

#: QLocalServer (QtNetwork) serves the socket on Windows only; POSIX uses a plain AF_UNIX socket.
#: Tests set it to exercise the Windows code path on Linux.
_USE_QLOCALSERVER = sys.platform == "win32"


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

        When this process holds the instance lock (:mod:`.lock`), whatever has
        the socket's name is removed without asking (only the lock holder
        may), and ``SIGUSR1`` makes the server check its socket
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
            request = decode(line)
        except InstanceError as exc:
            self._reply(client, {"ok": False, "error": str(exc), "code": "bad_request"})
            return
        self._dispatch(client, request)

    def _dispatch(self, client: Any, request: dict[str, Any]) -> None:
        cmd = request.get("cmd")
        if cmd == "ping":
            answer: dict[str, Any] = {"ok": True, "pid": os.getpid()}
            if self._lock is not None and self._lock.wakeable:
                answer["wake"] = "SIGUSR1"  # a launch that got the lock anyway wakes this app (see .claim)
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
        client.answer(encode(answer))


# -- SIGUSR1 reaches the Qt loop ---------------------------------------------------------

#: Our own ``signal.set_wakeup_fd`` pair and its notifier, when nothing else had set one.
_signal_wakeup: Any = None


def _ensure_signal_wakeup() -> None:
    """Make a signal wake the Qt loop, so that Python runs its handler (``SIGUSR1``) soon.

    The app sets a wake-up descriptor of its own for SIGTERM/SIGINT
    (``platform.quit_signals.QuitOnSignals``), which does for any signal: then nothing is done here.
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
