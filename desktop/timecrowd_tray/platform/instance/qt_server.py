"""The control socket on Windows: ``QLocalServer`` on a named pipe restricted to the user (it loads QtNetwork).

``UserAccessOption`` gives the pipe an ACL that only the user passes. Tests run
this backend on Linux too (``server._USE_QLOCALSERVER``), where Qt binds a
socket file in a private temporary directory and renames it into place. A
name already taken goes to the take-over routine (:mod:`.takeover`).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from .errors import InstanceError
from .protocol import MAX_LINE
from .takeover import take_over_or_refuse

if TYPE_CHECKING:
    from .server import InstanceServer

log = logging.getLogger(__name__)


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
        take_over_or_refuse(name, lambda: QLocalServer.removeServer(name))

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
