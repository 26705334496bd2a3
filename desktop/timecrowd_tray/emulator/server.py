"""Serve an EmulatorState over real HTTP with uvicorn in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..core.endpoint import is_loopback_host
from .app import create_app
from .connections import register_transport, unregister_transport
from .store import EmulatorState


class _TrackedH11Protocol(H11Protocol):
    """Registers each connection's transport so faults.drop_next can abort it."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # Without it every small response waits ~40 ms for Nagle + delayed ACK on loopback.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        register_transport(self.server, self.client, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        unregister_transport(self.server, self.client)
        super().connection_lost(exc)



class EmulatorServer:
    """``with EmulatorServer(state) as server: httpx.get(server.url + ...)``.

    Binds the socket up front (so ``port=0`` picks a free port and ``url`` is
    known at once) and returns from ``start()`` only once uvicorn accepts
    connections. Only loopback hosts are allowed: this is test and demo
    infrastructure with a fixed token, never to be exposed.
    """

    def __init__(self, state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback_host(host):
            raise ValueError(f"the emulator only listens on loopback addresses, not {host!r}")
        self.state = state
        self.host = "127.0.0.1" if host == "localhost" else host.strip("[]")
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.state),
            http=_TrackedH11Protocol,
            loop="asyncio",
            lifespan="off",
            log_level="warning",
            access_log=False,
            # Leave the host application's logging configuration alone.
            log_config=None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="timecrowd-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the emulator server thread exited during startup")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the emulator server did not start in time")
            time.sleep(0.01)

    def stop(self, timeout: float = 5.0) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)
        self._server = None
        self._thread = None

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
