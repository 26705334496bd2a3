"""Fixtures for the emulator tests: a settable clock and a tiny sync client."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorState, create_app

from support.clock import FakeClock

# Tuesday 2025-10-21 14:00:00.5 JST: a weekday afternoon, with a fraction to
# prove that stored timestamps are whole seconds.
FIXED_NOW = 1761022800.5


class Api:
    """Synchronous calls into the ASGI app (httpx has no sync ASGI transport)."""

    def __init__(self, app: Any, token: str | None = DEMO_TOKEN, client: tuple[str, int] = ("127.0.0.1", 50000)):
        self.app = app
        self.token = token
        self.client = client

    def request(self, method: str, path: str, *, token: str | None | type[...] = ..., **kwargs: Any) -> httpx.Response:
        use = self.token if token is ... else token
        headers = dict(kwargs.pop("headers", {}) or {})
        headers.setdefault("Accept", "application/json")
        if use is not None:
            headers.setdefault("Authorization", f"Bearer {use}")

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=self.client)
            async with httpx.AsyncClient(transport=transport, base_url="http://emulator.test") as http:
                return await http.request(method, path, headers=headers, **kwargs)

        return asyncio.run(go())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


@pytest.fixture
def state(clock: FakeClock) -> EmulatorState:
    return EmulatorState.seeded(clock=clock)


@pytest.fixture
def app(state: EmulatorState) -> Any:
    return create_app(state)


@pytest.fixture
def api(app: Any) -> Api:
    return Api(app)


@pytest.fixture
def make_api(app: Any) -> Any:
    """Api with another token or client address: make_api(token=..., client=(...))."""

    def make(**kwargs: Any) -> Api:
        return Api(app, **kwargs)

    return make


@pytest.fixture
def find_task(state: EmulatorState) -> Any:
    """Task id by title (tests stay readable and independent of seed ids)."""

    def find(title: str) -> int:
        return next(t["id"] for t in state.tasks.values() if t["title"] == title)

    return find


@pytest.fixture
def find_team(state: EmulatorState) -> Any:
    def find(name: str) -> int:
        return next(t["id"] for t in state.teams.values() if t["name"] == name)

    return find
