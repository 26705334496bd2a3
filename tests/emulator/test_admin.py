"""The /_emulator admin surface for tests that drive a separate process."""

from __future__ import annotations

from timecrowd_tray.emulator import DEMO_TOKEN


def test_state_snapshot(api, state):
    task = next(t for t in state.tasks.values() if t["title"] == "朝会")
    started = api.post(f"/api/v1/teams/{task['team_id']}/tasks/{task['id']}/start", json={}).json()
    snap = api.get("/_emulator/state", token=None).json()
    assert snap["me_id"] == state.me_id
    assert snap["running"][str(state.me_id)]["id"] == started["id"]
    assert any(e["id"] == started["id"] for e in snap["entries"])
    assert snap["comments"] and {"content", "entry_id"} <= snap["comments"][0].keys()
    assert snap["requests"][-1]["method"] == "POST"


def test_faults_endpoint(api, state):
    response = api.post("/_emulator/faults", token=None,
                        json={"latency": 0.01, "fail_next": {"status": 503, "count": 2, "retry_after": 3},
                              "drop_next": 1, "malformed_next": 1})
    assert response.status_code == 200
    described = response.json()
    assert described["latency"] == 0.01
    assert [f["kind"] for f in described["pending"]] == ["fail", "fail", "drop", "malformed"]
    assert api.get("/api/v1/user/info").headers["retry-after"] == "3"

    api.post("/_emulator/faults", token=None, json={"clear": True, "revoke_token": DEMO_TOKEN})
    assert state.faults.pending == 0 and state.faults.latency == 0
    assert api.get("/api/v1/user/info").status_code == 401


def test_faults_endpoint_rejects_garbage(api):
    assert api.post("/_emulator/faults", token=None, content=b"[1, 2]",
                    headers={"Content-Type": "application/json"}).status_code == 400
    assert api.post("/_emulator/faults", token=None, json={"fail_next": {"status": "x"}}).status_code == 400


def test_a_fault_it_does_not_know_is_refused_and_nothing_is_applied(api, state):
    response = api.post("/_emulator/faults", token=None, json={"outage": True, "fail_next": {"count": 2}})
    assert response.status_code == 400
    assert "'outage'" in response.json()["messages"][0]
    assert state.faults.pending == 0  # the known key beside it was not applied either


def test_admin_answers_loopback_only(make_api):
    remote = make_api(token=None, client=("10.1.2.3", 40000))
    assert remote.get("/_emulator/state").status_code == 403
    assert remote.post("/_emulator/faults", json={"clear": True}).status_code == 403
