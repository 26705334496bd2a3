"""Registry of the connections ``EmulatorServer`` serves, so a fault can abort one.

ASGI has no "abort the connection" message, so EmulatorServer's protocol
registers each transport here and the fault middleware aborts it by (server,
client). In-process (``httpx.ASGITransport``) nothing is registered.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import Scope

_transports: dict[tuple[Any, Any], asyncio.BaseTransport] = {}
_transports_lock = threading.Lock()


def _key(server: Any, client: Any) -> tuple[Any, Any]:
    return (tuple(server) if server else None, tuple(client) if client else None)


def register_transport(server: Any, client: Any, transport: asyncio.BaseTransport) -> None:
    with _transports_lock:
        _transports[_key(server, client)] = transport


def unregister_transport(server: Any, client: Any) -> None:
    with _transports_lock:
        _transports.pop(_key(server, client), None)


def transport_of(scope: Scope) -> asyncio.BaseTransport | None:
    with _transports_lock:
        return _transports.get(_key(scope.get("server"), scope.get("client")))


def connection_over(scope: Scope, transport: asyncio.BaseTransport) -> bool:
    """Whether a served connection is gone, closing, or its server is shutting down."""
    if transport_of(scope) is not transport or transport.is_closing():
        return True
    # uvicorn's graceful shutdown turns keep-alive off on every busy connection
    # (H11Protocol.shutdown); nothing else turns it off while a request is held.
    cycle = getattr(transport.get_protocol(), "cycle", None)
    return cycle is not None and getattr(cycle, "keep_alive", True) is False


def abort_connection(scope: Scope) -> bool:
    transport = transport_of(scope)
    if transport is None:
        return False
    transport.abort()  # type: ignore[attr-defined]
    return True


async def let_uvicorn_notice() -> None:
    """Yield so uvicorn sees an aborted connection as lost and sends nothing itself."""
    for _ in range(3):
        await asyncio.sleep(0)
