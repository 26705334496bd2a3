"""The auto-approving OAuth2 provider: code flow, refresh, and its refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

REDIRECT = "http://127.0.0.1:53682/callback"


def authorize(api, **overrides):
    params = {"client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "state": "xyz-42"}
    params.update(overrides)
    return api.get("/oauth/authorize", params={k: v for k, v in params.items() if v is not None}, token=None)


def get_code(api) -> str:
    response = authorize(api)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz-42"]
    return query["code"][0]


def token(api, **form):
    return api.post("/oauth/token", data=form, token=None)


def exchange(api, code, secret=DEMO_CLIENT_SECRET, redirect_uri=REDIRECT):
    return token(api, grant_type="authorization_code", code=code, redirect_uri=redirect_uri,
                 client_id=DEMO_CLIENT_ID, client_secret=secret)


def test_code_flow_issues_working_tokens(api, state, clock):
    response = exchange(api, get_code(api))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7200
    assert body["created_at"] == int(clock.now)
    assert body["access_token"] and body["refresh_token"] and "scope" in body
    me = api.get("/api/v1/user/info", token=body["access_token"])
    assert me.status_code == 200 and me.json()["id"] == state.me_id

    clock.advance(7201)
    assert api.get("/api/v1/user/info", token=body["access_token"]).status_code == 401


def test_expiry_follows_state_setting(api, state, clock):
    state.token_expires_in = 60
    body = exchange(api, get_code(api)).json()
    assert body["expires_in"] == 60
    clock.advance(59)
    assert api.get("/api/v1/user/info", token=body["access_token"]).status_code == 200
    clock.advance(2)
    assert api.get("/api/v1/user/info", token=body["access_token"]).status_code == 401


def test_codes_are_one_shot(api):
    code = get_code(api)
    assert exchange(api, code).status_code == 200
    again = exchange(api, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_bad_code_and_mismatched_redirect_are_invalid_grant(api):
    assert exchange(api, "made-up").json()["error"] == "invalid_grant"
    response = exchange(api, get_code(api), redirect_uri="http://127.0.0.1:1/other")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_wrong_secret_is_invalid_client(api):
    code = get_code(api)
    response = exchange(api, code, secret="wrong")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    # A failed client authentication does not burn the code.
    assert exchange(api, code).status_code == 200


def test_basic_auth_client_credentials(api):
    code = get_code(api)
    response = api.post("/oauth/token", token=None, auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
                        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert response.status_code == 200


def test_refresh_rotates_tokens(api, state, clock):
    first = exchange(api, get_code(api)).json()
    clock.advance(7300)
    response = token(api, grant_type="refresh_token", refresh_token=first["refresh_token"],
                     client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET)
    assert response.status_code == 200
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert api.get("/api/v1/user/info", token=second["access_token"]).status_code == 200
    reused = token(api, grant_type="refresh_token", refresh_token=first["refresh_token"],
                   client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    wrong = token(api, grant_type="refresh_token", refresh_token=second["refresh_token"],
                  client_id=DEMO_CLIENT_ID, client_secret="nope")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_unsupported_grant_type(api):
    response = token(api, grant_type="password", client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET)
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("overrides", [
    {"client_id": "unknown-client"},
    {"client_id": None},
    {"redirect_uri": "https://evil.example/callback"},
    {"redirect_uri": "http://192.168.1.5:8080/cb"},
    {"redirect_uri": None},
])
def test_authorize_refuses_without_redirecting(api, overrides):
    response = authorize(api, **overrides)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")


def test_authorize_accepts_localhost_and_reports_bad_response_type(api):
    assert authorize(api, redirect_uri="http://localhost:8123/cb").status_code == 302
    response = authorize(api, response_type="token")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["unsupported_response_type"]
