"""Test-only admin routes: inspect state and set faults from another process.

No token is needed, but only loopback clients are answered: the emulator may
be reachable from elsewhere if someone binds it carelessly.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .store import EmulatorState

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _local(request: Request) -> bool:
    return request.client is not None and request.client.host in _LOOPBACK


def admin_routes(state: EmulatorState) -> list[Route]:
    async def get_state(request: Request) -> Response:
        if not _local(request):
            return JSONResponse({"messages": ["Admin routes answer loopback clients only."]}, status_code=403)
        return JSONResponse(state.snapshot())

    async def set_faults(request: Request) -> Response:
        if not _local(request):
            return JSONResponse({"messages": ["Admin routes answer loopback clients only."]}, status_code=403)
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"messages": ["Expected a JSON object."]}, status_code=400)
        try:
            state.faults.apply_admin(body)
        except (TypeError, ValueError) as exc:
            return JSONResponse({"messages": [f"Bad fault settings: {exc}"]}, status_code=400)
        if body.get("revoke_token"):
            state.revoke_token(str(body["revoke_token"]))
        return JSONResponse(state.faults.describe())

    return [
        Route("/_emulator/state", get_state, methods=["GET"]),
        Route("/_emulator/faults", set_faults, methods=["POST"]),
    ]
