"""Fault injection on /api (in-process; the socket variant is in test_server)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from support.latency import LatencyGate
from support.waiting import wait_until

from timecrowd_tray.emulator import DEMO_TOKEN, ConnectionDropped


def start_path(state):
    task = next(t for t in state.tasks.values() if t["title"] == "Code review")
    return f"/api/v1/teams/{task['team_id']}/tasks/{task['id']}/start"


def test_fail_next_with_retry_after_skips_the_request(api, state):
    state.faults.fail_next(status=503, count=2, retry_after=3)
    for _ in range(2):
        response = api.post(start_path(state), json={})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "3"
        assert response.json()["messages"]
    assert state.running_entry(state.me_id) is None
    assert api.post(start_path(state), json={}).status_code == 200
    assert len([r for r in state.requests if r[0] == "POST"]) == 3


def test_fail_next_other_status_and_html(api, state):
    state.faults.fail_next(status=429, retry_after=1)
    response = api.get("/api/v1/user/info")
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    state.faults.fail_next(status=502, html=True)
    response = api.get("/api/v1/user/info")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "retry-after" not in response.headers
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert api.get("/api/v1/user/info").status_code == 200


def test_drop_next_raises_a_transport_error_in_process(api, state):
    state.faults.drop_next()
    with pytest.raises(httpx.TransportError) as caught:
        api.post(start_path(state), json={})
    assert isinstance(caught.value, ConnectionDropped)
    assert isinstance(caught.value, httpx.RemoteProtocolError)
    assert state.running_entry(state.me_id) is None  # not applied
    assert api.get("/api/v1/user/info").status_code == 200


def test_malformed_next_applies_the_request_but_truncates_the_body(api, state):
    state.faults.malformed_next()
    response = api.post(start_path(state), json={})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert state.running_entry(state.me_id) is not None


def test_malformed_on_an_empty_body_still_breaks_json(api, state):
    entry = state.entries_of(state.me_id)[0]
    state.faults.malformed_next()
    response = api.delete(f"/api/v1/time_entries/{entry['id']}")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_faults_queue_in_call_order(api, state):
    state.faults.fail_next(status=500)
    state.faults.malformed_next()
    assert api.get("/api/v1/user/info").status_code == 500
    assert api.get("/api/v1/user/info").status_code == 200
    assert api.get("/api/v1/user/info").json()["id"] == state.me_id


def test_oauth_and_admin_are_never_faulted(api, state):
    state.faults.fail_next(status=503)
    assert api.get("/_emulator/state", token=None).status_code == 200
    token = api.post("/oauth/token", token=None, data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert token.status_code == 401 and token.json()["error"] == "invalid_client"
    assert state.faults.pending == 1
    assert not any(path.startswith(("/oauth", "/_emulator")) for _, path, _, _ in state.requests)


def test_latency_delays_without_blocking_the_loop(app, state, monkeypatch):
    gate = LatencyGate.install(monkeypatch)  # a delayed request is held until gate.release()
    state.faults.latency = 0.3

    async def go():
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator.test", headers=headers) as http:
            delayed = [asyncio.ensure_future(http.get("/api/v1/user/info")) for _ in range(3)]
            # All three are held at once: each waits on the loop instead of blocking it.
            await wait_until(lambda: gate.held == 3, 10, "three requests held")
            assert not any(r.done() for r in delayed)
            # Meanwhile a request sent later, without latency, is answered ahead of them.
            state.faults.latency = 0
            later = await http.get("/api/v1/user/info")
            assert later.status_code == 200
            assert not any(r.done() for r in delayed)
            gate.release()
            return await asyncio.gather(*delayed)

    responses = asyncio.run(asyncio.wait_for(go(), 20))
    assert all(r.status_code == 200 for r in responses)
    assert gate.delays == [0.3, 0.3, 0.3]
    assert len(state.requests) == 4


def test_stall_then_clear(api, state, monkeypatch):
    gate = LatencyGate.install(monkeypatch, open=True)  # records each delay, holds nothing
    state.faults.stall(0.2)
    assert state.faults.latency == 0.2
    assert api.get("/api/v1/user/info").status_code == 200
    assert gate.delays == [0.2]
    state.faults.fail_next(count=3)
    state.faults.clear()
    assert state.faults.latency == 0 and state.faults.pending == 0
    assert api.get("/api/v1/user/info").status_code == 200
    assert gate.delays == [0.2]  # cleared: no delay any more
