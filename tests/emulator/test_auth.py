"""Every /api route needs a valid, live Bearer token."""

from __future__ import annotations

import pytest

from timecrowd_tray.emulator import DEMO_TOKEN

PATHS = [
    ("GET", "/api/v1/user/info"),
    ("GET", "/api/v1/user/working_users"),
    ("GET", "/api/v1/time_entries"),
    ("GET", "/api/v1/user/time_entries"),
    ("POST", "/api/v1/teams/14/tasks/201/start"),
    ("PATCH", "/api/v1/time_entries/1001/stop"),
    ("GET", "/api/v1/tasks/suggestions?title=a"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_missing_token_is_401_with_messages(api, state, method, path):
    response = api.request(method, path, token=None)
    assert response.status_code == 401
    assert isinstance(response.json()["messages"], list) and response.json()["messages"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert state.running_entry(state.me_id) is None


def test_invalid_token_is_401(api):
    assert api.get("/api/v1/user/info", token="nope").status_code == 401
    assert api.get("/api/v1/user/info", headers={"Authorization": f"Token {DEMO_TOKEN}"}).status_code == 401


def test_revoked_token_is_401(api, state):
    assert api.get("/api/v1/user/info").status_code == 200
    state.revoke_token(DEMO_TOKEN)
    response = api.get("/api/v1/user/info")
    assert response.status_code == 401
    assert "revoked" in response.json()["messages"][0]


def test_added_token_works_and_expires_with_the_clock(api, state, clock):
    state.add_token("short-lived", state.me_id, expires_at=clock.now + 60)
    assert api.get("/api/v1/user/info", token="short-lived").json()["id"] == state.me_id
    clock.advance(61)
    assert api.get("/api/v1/user/info", token="short-lived").status_code == 401


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert "messages" in response.json()
