"""Fault injection on /api, in-process (and over a loopback socket for the blackhole, huge and stall faults)."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest

from timecrowd_tray.emulator import DEMO_TOKEN, ConnectionDropped, EmulatorServer
from timecrowd_tray.emulator.fault_answers import padding_frame

from support.latency import LatencyGate
from support.waiting import wait_until


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


# -- blackhole, huge and stalled answers -----------------------------------------
# Each fault in-process and over a real loopback socket. Holds are short, or long
# but ended by the test (disconnect, cancel, server stop) and waited on by
# condition: no test here waits more than a few seconds.

HEADERS = {"Authorization": f"Bearer {DEMO_TOKEN}", "Accept": "application/json"}


def wait_for(predicate, timeout=5.0, what="condition"):
    """The synchronous sibling of support.waiting.wait_until (the server runs in its own thread)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met in time")
        time.sleep(0.002)


@pytest.fixture
def server(state):
    with EmulatorServer(state, host="127.0.0.1", port=0) as running:
        yield running


def raw_post(server, path):
    """A POST over a plain socket, so the test sees exactly which bytes (if any) come back."""
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {DEMO_TOKEN}\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".encode()
    )
    return sock


def nothing_received_yet(sock) -> bool:
    sock.setblocking(False)
    try:
        sock.recv(1)
    except BlockingIOError:
        return True
    finally:
        sock.setblocking(True)
        sock.settimeout(5)
    return False


def closed_by_peer(sock) -> bool:
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True


def in_process(app, fn):
    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator.test", headers=HEADERS) as http:
            return await fn(http)

    return asyncio.run(asyncio.wait_for(go(), 20))


def test_blackhole_applies_the_request_then_drops_it_in_process(api, state):
    state.faults.blackhole_next(hold=0.05)
    with pytest.raises(ConnectionDropped):
        api.post(start_path(state), json={})
    assert state.running_entry(state.me_id) is not None  # applied, never answered
    assert state.faults.holding == 0 and state.faults.pending == 0
    assert api.get("/api/v1/user/info").status_code == 200


def test_blackhole_in_process_ends_when_the_caller_gives_up(app, state):
    state.faults.blackhole_next(hold=60)

    async def go(http):
        call = asyncio.ensure_future(http.post(start_path(state), json={}))
        await wait_until(lambda: state.faults.holding == 1, 5, "request held")
        assert not call.done()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        return state.faults.holding

    assert in_process(app, go) == 0
    assert state.running_entry(state.me_id) is not None


def test_blackhole_over_a_socket_sends_nothing_and_ends_on_disconnect(server, state):
    state.faults.blackhole_next(hold=60)
    sock = raw_post(server, start_path(state))
    try:
        wait_for(lambda: state.faults.holding == 1, what="request held")
        assert state.running_entry(state.me_id) is not None  # applied before the hold
        assert nothing_received_yet(sock)
    finally:
        sock.close()
    wait_for(lambda: state.faults.holding == 0, what="hold ended by the disconnect")  # well before 60 s
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        assert http.get("/api/v1/user/info").status_code == 200


def test_blackhole_over_a_socket_aborts_after_the_hold(server, state):
    state.faults.blackhole_next(hold=0.1)
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(start_path(state), json={})
        assert state.running_entry(state.me_id) is not None
        assert http.get("/api/v1/user/info").status_code == 200


def test_blackhole_does_not_hold_up_the_server_stopping(state):
    server = EmulatorServer(state, host="127.0.0.1", port=0)
    server.start()
    uvicorn_server = server._server  # noqa: SLF001 - to see whether stop() had to force it
    state.faults.blackhole_next(hold=60)
    sock = raw_post(server, start_path(state))
    try:
        wait_for(lambda: state.faults.holding == 1, what="request held")
        server.stop(timeout=5)
        assert not uvicorn_server.force_exit  # a graceful stop: the hold let go at once
        assert state.faults.holding == 0
        assert closed_by_peer(sock)
    finally:
        sock.close()
        server.stop()


def test_huge_answer_is_valid_json_and_the_request_applied_in_process(api, state):
    state.faults.huge_next(size=2_000_000)
    response = api.post(start_path(state), json={})
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content) == 2_000_000
    body = response.json()
    running = state.running_entry(state.me_id)
    assert running is not None and body["id"] == running["id"]  # the real answer, padded
    assert len(body["_emulator_padding"]) > 1_900_000


def test_huge_answer_on_a_list_and_on_an_empty_body(api, state):
    state.faults.huge_next(count=2, size=100_000)
    rows = api.get("/api/v1/user/working_users")
    assert len(rows.content) == 100_000
    assert rows.json()[0]["_emulator_padding"] and "time_entry" in rows.json()[0]
    entry = state.entries_of(state.me_id)[0]
    deleted = api.delete(f"/api/v1/time_entries/{entry['id']}")
    assert deleted.status_code == 200 and len(deleted.content) == 100_000
    assert set(deleted.json()) == {"_emulator_padding"}


@pytest.mark.parametrize("body, expected", [
    (b'{"a":1}', {"a": 1}), (b"{}", {}), (b'[{"a":1},{"b":2}]', [{"a": 1}, {"b": 2}]), (b"[]", []),
    (b"", {}), (b'"s"', "s"), (b"[1, 2]", [1, 2]), (b' { "a" : [] } ', {"a": []}),
])
def test_padding_keeps_any_answer_valid_json(body, expected):
    prefix, pad, suffix = padding_frame(body)
    for n in (0, 7):
        parsed = json.loads(prefix + pad * n + suffix)
        if isinstance(parsed, dict) and "_emulator_padding" in parsed:
            assert parsed.pop("_emulator_padding") == "x" * n
        elif isinstance(parsed, list) and parsed and isinstance(parsed[0], dict):
            assert parsed[0].pop("_emulator_padding") == "x" * n
        assert parsed == expected


@pytest.mark.parametrize("chunked", [False, True])
def test_huge_answer_over_a_socket_is_streamed(server, state, chunked):
    size = 20_000_000
    state.faults.huge_next(size=size, chunked=chunked)
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        with http.stream("POST", start_path(state), json={}) as response:
            assert response.status_code == 200
            if chunked:
                assert "content-length" not in response.headers
                assert response.headers["transfer-encoding"] == "chunked"
            else:
                assert int(response.headers["content-length"]) == size
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
        assert len(body) == size
        assert json.loads(body)["id"] == state.running_entry(state.me_id)["id"]
        assert http.get("/api/v1/user/info").status_code == 200


def test_huge_answer_stops_when_the_client_goes_away(server, state):
    state.faults.huge_next(size=500_000_000)  # never sent in full: the client leaves after 1 MB
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        with http.stream("GET", "/api/v1/user/info") as response:
            seen = 0
            for chunk in response.iter_raw():
                seen += len(chunk)
                if seen > 1_000_000:
                    break
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        assert http.get("/api/v1/user/info").json()["id"] == state.me_id


def test_stall_after_headers_in_process_answers_late_but_in_full(api, state):
    state.faults.stall_after_headers_next(seconds=0.05)
    response = api.post(start_path(state), json={})
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.json()["id"] == state.running_entry(state.me_id)["id"]


def test_stall_after_headers_in_process_ends_when_the_caller_gives_up(app, state):
    state.faults.stall_after_headers_next(seconds=60)

    async def go(http):
        call = asyncio.ensure_future(http.post(start_path(state), json={}))
        await wait_until(lambda: state.faults.holding == 1, 5, "body held")
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        return state.faults.holding

    assert in_process(app, go) == 0
    assert state.running_entry(state.me_id) is not None


def test_stall_after_headers_over_a_socket_sends_headers_then_the_body(server, state):
    state.faults.stall_after_headers_next(seconds=0.2)
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        with http.stream("POST", start_path(state), json={}) as response:
            assert response.status_code == 200
            length = int(response.headers["content-length"])
            assert state.running_entry(state.me_id) is not None  # applied before the headers went out
            body = response.read()
        assert len(body) == length
        assert json.loads(body)["id"] == state.running_entry(state.me_id)["id"]


def test_stall_after_headers_over_a_socket_holds_the_body_until_the_client_leaves(server, state):
    state.faults.stall_after_headers_next(seconds=60)
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
        with http.stream("POST", start_path(state), json={}) as response:
            assert response.status_code == 200 and int(response.headers["content-length"]) > 0
            wait_for(lambda: state.faults.holding == 1, what="body held")
            assert state.running_entry(state.me_id) is not None
        # Leaving the block unread closes the connection.
    wait_for(lambda: state.faults.holding == 0, what="hold ended by the disconnect")  # well before 60 s


def test_admin_sets_the_new_faults(api, state):
    response = api.post("/_emulator/faults", token=None, json={
        "blackhole_next": {"count": 1, "hold": 30}, "huge_next": {"count": 2, "size": 50_000_000},
        "stall_after_headers_next": 1,
    })
    assert response.status_code == 200
    pending = response.json()["pending"]
    assert [f["kind"] for f in pending] == ["blackhole", "huge", "huge", "stall_after_headers"]
    assert pending[0]["hold"] == 30 and pending[1]["size"] == 50_000_000 and pending[1]["chunked"] is False
    assert pending[3]["seconds"] == 60
    assert response.json()["holding"] == 0
    api.post("/_emulator/faults", token=None, json={"clear": True, "huge_next": {"chunked": True},
                                                    "stall_after_headers_next": {"seconds": 20},
                                                    "blackhole_next": 2})
    pending = state.faults.describe()["pending"]
    assert [(f["kind"], f.get("chunked"), f.get("seconds"), f.get("hold")) for f in pending] \
        == [("blackhole", None, None, 60), ("blackhole", None, None, 60), ("huge", True, None, None),
            ("stall_after_headers", None, 20, None)]
    for bad in ({"blackhole_next": {"hold": -1}}, {"huge_next": {"size": "big"}},
                {"stall_after_headers_next": [1]}, {"blackhole_next": {"count": -2}}):
        assert api.post("/_emulator/faults", token=None, json=bad).status_code == 400
