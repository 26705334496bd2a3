"""The control socket on POSIX: a plain non-blocking ``AF_UNIX`` socket watched on the Qt event loop.

``QSocketNotifier`` drives it: no thread, and no QtNetwork. ``QLocalServer``
would load libQt6Network and its bindings (and, through it, Kerberos/GSSAPI)
-- 2.5 to 3.5 MiB of resident memory for the whole day, for one local socket.
The file is bound inside a fresh private (0700) directory, made 0700, and
hard-linked into place: ``link`` never replaces an existing file, so two apps
starting together cannot steal each other's socket, and no other user can
connect before the mode is right (where hard links are not available it is
bound in place under a umask of 077).

A name already taken is removed without asking when this process holds the
instance lock, and otherwise taken over only from a stale or hung app
(:mod:`.takeover`). Each connection reads and writes without blocking: a
request may arrive in pieces, a client may say nothing or go away mid-line,
and an answer the client does not read yet waits in a small buffer until the
socket is writable.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import tempfile
from typing import TYPE_CHECKING, Any

from .errors import InstanceError
from .paths import owned_stat
from .protocol import MAX_LINE
from .takeover import take_over_or_refuse

if TYPE_CHECKING:
    from .server import InstanceServer

log = logging.getLogger(__name__)

BACKLOG = 64  # connections the kernel queues while the UI thread is busy (QLocalServer: 50)
#: Bytes read from one client per readiness event: a fast sender cannot hold the UI thread.
READ_CHUNK = 65536
READS_PER_EVENT = 4
_NOSIGNAL = getattr(socket, "MSG_NOSIGNAL", 0)  # EPIPE rather than SIGPIPE where the flag exists


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- binding the socket file -------------------------------------------------------------


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


# -- one connection ------------------------------------------------------------------------


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


# -- the listening socket --------------------------------------------------------------------


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
                else:  # raises, or removed a stale socket: try again
                    take_over_or_refuse(path, lambda: self._remove_stale(path))
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
        if owned_stat(path) is None:
            return
        log.info("single instance: removing %s (this app holds the instance lock)", path)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"cannot remove {path}: {exc.strerror or exc}") from None

    @staticmethod
    def _remove_stale(path: str) -> None:
        """Remove the socket file nothing alive answers on (:func:`.takeover.take_over_or_refuse` decided)."""
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"cannot remove the stale socket {path}: {exc.strerror or exc}") from None

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
