"""Over real sockets: EmulatorServer in a thread, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def test_server_serves_and_drops_connections_for_real(clock):
    state = EmulatorState.seeded(clock=clock)
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":0")
        with httpx.Client(base_url=server.url, headers=headers, timeout=5) as http:
            assert http.get("/api/v1/user/info").json()["id"] == state.me_id
            state.faults.drop_next()
            with pytest.raises(httpx.RemoteProtocolError):
                http.get("/api/v1/user/info")
            state.faults.fail_next(status=503, retry_after=2)
            failed = http.get("/api/v1/user/info")
            assert failed.status_code == 503 and failed.headers["retry-after"] == "2"
            task = next(t for t in state.tasks.values() if t["title"] == "Code review")
            started = http.post(f"/api/v1/teams/{task['team_id']}/tasks/{task['id']}/start", json={})
            assert started.status_code == 200
            # The test thread reads what the server thread wrote.
            assert state.running_entry(state.me_id)["id"] == started.json()["id"]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/api/v1/user/info", timeout=2)


def test_server_refuses_non_loopback_hosts(state):
    with pytest.raises(ValueError):
        EmulatorServer(state, host="0.0.0.0")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(DESKTOP), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def test_cli_prints_url_serves_and_terminates():
    with subprocess.Popen(
        [sys.executable, "-m", "timecrowd_tray.emulator", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    ) as process:
        try:
            first = process.stdout.readline().strip()
            second = process.stdout.readline().strip()
            prefix = "TimeCrowd emulator listening on "
            assert first.startswith(prefix), first
            url = first[len(prefix):]
            assert second == f"Demo token: {DEMO_TOKEN}"
            headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
            response = httpx.get(f"{url}/api/v1/user/info", headers=headers, timeout=5)
            assert response.status_code == 200
            assert response.json()["nickname"] == "山田 花子 (demo)"
            state = httpx.get(f"{url}/_emulator/state", timeout=5).json()
            assert state["requests"][-1]["path"] == "/api/v1/user/info"
        finally:
            process.terminate()
            try:
                code = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert code == 0


def test_cli_rejects_non_loopback_host():
    result = subprocess.run(
        [sys.executable, "-m", "timecrowd_tray.emulator", "--host", "0.0.0.0"],
        capture_output=True, text=True, env=_env(), timeout=30,
    )
    assert result.returncode == 2
    assert "loopback" in result.stderr
