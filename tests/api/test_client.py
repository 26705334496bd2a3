"""The API client against the emulator, in-process: every call and every error class."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from timecrowd_tray.api import TimeCrowdClient, errors
from timecrowd_tray.api.client import DEFAULT_DEADLINE, MAX_RESPONSE_BYTES
from timecrowd_tray.core.models import TimeEntry
from timecrowd_tray.emulator import DEMO_TOKEN, TEAMMATE_TOKEN, EmulatorServer, EmulatorState, create_app
from timecrowd_tray.emulator.seed import DEMO_TEAM_ID, ME_ID, READONLY_TEAM_ID, TEAMMATE_ID

BASE = "http://127.0.0.1:9"  # never dialled: the ASGI transport answers in-process


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 18, 14, 0, tzinfo=UTC).timestamp())


@pytest.fixture
def emulator(clock):
    return EmulatorState.seeded(clock=clock)


def client_for(state: EmulatorState, token: str = DEMO_TOKEN, **kwargs) -> TimeCrowdClient:
    return TimeCrowdClient(BASE, token, transport=httpx.ASGITransport(app=create_app(state)), **kwargs)


def run(coro):
    return asyncio.run(coro)


def task_titled(state: EmulatorState, title: str) -> dict:
    return next(t for t in state.tasks.values() if t["title"] == title)


async def _with(state, fn, token=DEMO_TOKEN, **kwargs):
    async with client_for(state, token, **kwargs) as client:
        return await fn(client)


def test_user_info(emulator):
    user = run(_with(emulator, lambda c: c.user_info()))
    assert user.id == ME_ID and user.time_zone_name == "Asia/Tokyo"
    assert {t.id for t in user.teams} >= {DEMO_TEAM_ID}


def test_running_entry_is_none_when_idle_but_teammates_are_listed(emulator):
    async def go(c):
        return await c.working_users(), await c.running_entry(ME_ID)
    rows, mine = run(_with(emulator, go))
    assert mine is None
    assert TEAMMATE_ID in {r.user_id for r in rows}


def test_start_stop_comment_round_trip(emulator, clock):
    task = task_titled(emulator, "Code review")

    async def go(c):
        started = await c.start_task(task["team_id"], task["id"])
        running = await c.running_entry(ME_ID)
        clock.now += 1500
        stopped = await c.stop_entry(started.id)
        commented = await c.add_comment(stopped.id, "レビュー完了 ✅ 👍")
        shown = await c.time_entry(stopped.id)
        return started, running, stopped, commented, shown

    started, running, stopped, commented, shown = run(_with(emulator, go))
    assert started.is_running and started.task.id == task["id"]
    assert running is not None and running.id == started.id
    assert stopped.stopped_at is not None and stopped.duration == pytest.approx(1500, abs=1)
    assert commented.comment == "レビュー完了 ✅ 👍" == shown.comment
    assert emulator.running_entry(ME_ID) is None


def test_update_times(emulator, clock):
    task = task_titled(emulator, "Code review")

    async def go(c):
        entry = await c.start_task(task["team_id"], task["id"])
        clock.now += 600
        stopped = await c.stop_entry(entry.id)
        earlier = stopped.stopped_at - timedelta(minutes=4)
        return earlier, await c.update_entry_times(entry.id, stopped_at=earlier)

    earlier, updated = run(_with(emulator, go))
    assert updated.stopped_at == earlier
    assert updated.elapsed(updated.stopped_at) == pytest.approx(360, abs=1)


def test_lists_suggestions_team_tasks(emulator):
    async def go(c):
        return (await c.time_entries(ME_ID, per_page=5), await c.my_time_entries(),
                await c.task_suggestions("review"), await c.team_tasks(DEMO_TEAM_ID))

    listed, mine, suggestions, team_tasks = run(_with(emulator, go))
    assert 0 < len(listed) <= 5 and all(isinstance(e, TimeEntry) for e in listed)
    assert [e.started_at for e in listed] == sorted((e.started_at for e in listed), reverse=True)
    assert mine and all(e.user_id == ME_ID for e in mine)
    assert any("review" in t.title.lower() for t in suggestions.tasks)
    assert team_tasks.tasks and all(t.team_id == DEMO_TEAM_ID for t in team_tasks.tasks)


def test_create_task_entry_and_delete(emulator):
    async def go(c):
        entry = await c.create_task_entry("新しいタスク 🚀", DEMO_TEAM_ID)
        await c.stop_entry(entry.id)
        await c.delete_entry(entry.id)
        return entry

    entry = run(_with(emulator, go))
    assert entry.task.title == "新しいタスク 🚀" and entry.is_running
    assert emulator.entry(entry.id) is None or emulator.entry(entry.id).get("deleted_at")


# -- errors --------------------------------------------------------------------

def test_unauthorized(emulator):
    with pytest.raises(errors.Unauthorized) as info:
        run(_with(emulator, lambda c: c.user_info(), token="wrong-token-value"))
    assert "wrong-token-value" not in str(info.value) + repr(info.value)


def test_revoked_token_is_unauthorized(emulator):
    emulator.revoke_token(DEMO_TOKEN)
    with pytest.raises(errors.AuthError):
        run(_with(emulator, lambda c: c.user_info()))


def test_forbidden_on_someone_elses_entry(emulator):
    theirs = emulator.running_entry(TEAMMATE_ID)
    with pytest.raises(errors.Forbidden) as info:
        run(_with(emulator, lambda c: c.stop_entry(theirs["id"])))
    assert info.value.messages == ("You are not authorized to access this page.",)


def test_not_found(emulator):
    with pytest.raises(errors.NotFound):
        run(_with(emulator, lambda c: c.time_entry(987654)))


def test_validation_deleted_task_and_readonly_team(emulator):
    deleted = next(t for t in emulator.tasks.values() if t.get("deleted_at"))
    with pytest.raises(errors.ValidationFailed) as info:
        run(_with(emulator, lambda c: c.start_task(deleted["team_id"], deleted["id"])))
    assert info.value.messages[-1] == "Task is already deleted."
    with pytest.raises(errors.ValidationFailed) as info:
        run(_with(emulator, lambda c: c.create_task_entry("x", READONLY_TEAM_ID)))
    assert info.value.user_message == "選択中のチームでタスクの作成・編集・削除は許可されていません"


def test_rate_limited_carries_retry_after(emulator):
    emulator.faults.fail_next(status=429, count=1, retry_after=7)
    with pytest.raises(errors.RateLimited) as info:
        run(_with(emulator, lambda c: c.user_info()))
    assert info.value.retry_after == 7


@pytest.mark.parametrize("html", [False, True])
def test_server_error(emulator, html):
    emulator.faults.fail_next(status=503, count=1, html=html)
    with pytest.raises(errors.ServerError) as info:
        run(_with(emulator, lambda c: c.user_info()))
    assert info.value.status == 503 and isinstance(info.value, errors.TransientError)


def test_get_is_retried_once_after_a_dropped_connection(emulator):
    emulator.faults.drop_next(count=1)
    assert run(_with(emulator, lambda c: c.user_info())).id == ME_ID
    emulator.faults.drop_next(count=2)
    with pytest.raises(errors.NetworkError):
        run(_with(emulator, lambda c: c.user_info()))


def test_post_is_never_retried(emulator):
    task = task_titled(emulator, "Code review")
    emulator.faults.drop_next(count=1)
    before = len([r for r in emulator.requests if r[0] == "POST"])
    with pytest.raises(errors.NetworkError):
        run(_with(emulator, lambda c: c.start_task(task["team_id"], task["id"])))
    assert len([r for r in emulator.requests if r[0] == "POST"]) - before <= 1


def test_malformed_body_is_a_protocol_error(emulator):
    emulator.faults.malformed_next(count=1)
    with pytest.raises(errors.ProtocolError):
        run(_with(emulator, lambda c: c.user_info()))


def test_timeout_over_a_real_socket(emulator):
    emulator.faults.latency = 2.0
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        async def go():
            async with TimeCrowdClient(server.url, DEMO_TOKEN, timeout=httpx.Timeout(0.2)) as c:
                await c.user_info()
        with pytest.raises(errors.ApiTimeout):
            run(go())


def test_refresher_gets_one_chance_on_401(emulator):
    calls = []

    async def refresher(old):
        calls.append(old)
        return TEAMMATE_TOKEN

    user = run(_with(emulator, lambda c: c.user_info(), token="stale", token_refresher=refresher))
    assert [c.reveal() for c in calls] == ["stale"] and user.id == TEAMMATE_ID


def test_no_error_or_client_repr_contains_the_token(emulator):
    secret = DEMO_TOKEN
    seen = []
    for fault in (lambda: emulator.faults.fail_next(status=500), lambda: emulator.faults.drop_next(2),
                  lambda: emulator.faults.malformed_next(), lambda: emulator.faults.fail_next(status=429)):
        fault()
        try:
            run(_with(emulator, lambda c: c.user_info()))
        except errors.ApiError as exc:
            seen.append(exc)
    client = client_for(emulator)
    assert len(seen) == 4
    for text in [repr(client), str(client.__dict__)] + [f"{e!s} {e!r} {e.user_message} {e.__cause__!r}" for e in seen]:
        assert secret not in text


def test_sends_the_documented_headers(emulator):
    seen = {}

    async def app(scope, receive, send):
        seen.update({k.decode(): v.decode() for k, v in scope["headers"]})
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"id": 1}'})

    async def go():
        async with TimeCrowdClient(BASE, "tok", transport=httpx.ASGITransport(app=app)) as c:
            await c.user_info()

    run(go())
    assert seen["authorization"] == "Bearer tok"
    assert seen["accept"] == "application/json"
    assert seen["user-agent"].startswith("timecrowd-tray/")


def test_real_socket_round_trip(emulator):
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        async def go():
            async with TimeCrowdClient(server.url, DEMO_TOKEN) as c:
                return await c.user_info()
        assert run(go()).id == ME_ID


@pytest.mark.parametrize("url", ["http://timecrowd.net", "ftp://127.0.0.1", "https://user:pw@timecrowd.net",
                                 "http://10.0.0.1:8080", "not a url"])
def test_refuses_insecure_or_odd_servers(url):
    with pytest.raises(ValueError):
        TimeCrowdClient(url, "t")


# -- bounded answers: size cap and overall deadline ------------------------------

HUGE = 50 * 1024 * 1024


@pytest.fixture
def server(emulator):
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as running:
        yield running


def _status_bytes(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class MemoryProbe:
    """How far this process's resident memory rose during a block (Linux /proc, no psutil).

    The kernel's peak (VmHWM) is reset first when it may be, so a buffer that was
    allocated and freed inside the block still counts; otherwise the resident
    size after the block (/proc/self/statm) is all there is.
    """

    def __init__(self) -> None:
        if not os.path.exists("/proc/self/statm"):
            pytest.skip("needs Linux /proc to measure memory")

    @staticmethod
    def resident() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> MemoryProbe:
        try:
            with open("/proc/self/clear_refs", "w") as clear:
                clear.write("5")  # reset the peak to the current resident size
            self._peak = True
        except OSError:
            self._peak = False
        self.before = self.resident()
        return self

    def __exit__(self, *exc_info: object) -> None:
        after = self.resident()
        peak = _status_bytes("VmHWM") if self._peak else None
        self.growth = max(after, peak or 0) - self.before


def test_defaults_of_the_bounds():
    client = TimeCrowdClient(BASE, "t")
    assert client._max_response_bytes == MAX_RESPONSE_BYTES == 8 * 1024 * 1024  # noqa: SLF001
    assert client._deadline == DEFAULT_DEADLINE == 30.0  # noqa: SLF001
    for bad in ({"max_response_bytes": 0}, {"deadline": 0}, {"deadline": -1}):
        with pytest.raises(ValueError):
            TimeCrowdClient(BASE, "t", **bad)


def test_huge_answer_with_a_content_length_is_refused_unread(emulator, server):
    async def go():
        async with TimeCrowdClient(server.url, DEMO_TOKEN) as c:
            await c.user_info()  # warm up: code paths and connection pool are in place
            emulator.faults.huge_next(size=HUGE)
            with MemoryProbe() as probe:
                with pytest.raises(errors.ResponseTooLarge) as info:
                    await c.time_entries(ME_ID)
            return info.value, probe, await c.user_info()  # the connection was not reused half-read

    error, probe, after = run(go())
    assert str(error) == "time entries: the server's answer is larger than 8 MiB; it was not read"
    assert isinstance(error, errors.ProtocolError) and error.status == 200
    assert DEMO_TOKEN not in f"{error!s} {error!r} {error.user_message}"
    assert probe.growth < 8 * 1024 * 1024, probe.growth  # nothing like the 50 MiB sent
    assert after.id == ME_ID


def test_huge_chunked_answer_is_read_no_further_than_the_cap(emulator, server):
    task = task_titled(emulator, "Code review")

    async def go():
        async with TimeCrowdClient(server.url, DEMO_TOKEN, max_response_bytes=1024 * 1024) as c:
            await c.user_info()
            emulator.faults.huge_next(size=HUGE, chunked=True)  # no Content-Length to refuse it by
            with MemoryProbe() as probe:
                with pytest.raises(errors.ResponseTooLarge) as info:
                    await c.start_task(task["team_id"], task["id"])
            return info.value, probe

    error, probe = run(go())
    assert str(error) == "start: the server's answer is larger than 1 MiB; it was not read"
    assert probe.growth < 12 * 1024 * 1024, probe.growth  # a 50 MiB body: read up to the cap only
    assert emulator.running_entry(ME_ID) is not None  # the server did apply it
    assert len([r for r in emulator.requests if r[0] == "POST"]) == 1  # and it was not resent


def _app_answering(status: int, chunks: list[bytes], content_length: int | None = None):
    async def app(scope, receive, send):
        headers = [(b"content-type", b"application/json")]
        if content_length is not None:
            headers.append((b"content-length", str(content_length).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i + 1 < len(chunks)})

    return app


def _call_app(app, fn, **kwargs):
    async def go():
        async with TimeCrowdClient(BASE, DEMO_TOKEN, transport=httpx.ASGITransport(app=app), **kwargs) as c:
            return await fn(c)

    return run(go())


def test_size_cap_in_process_with_and_without_a_content_length():
    big = [b'{"id": 1, "pad": "' + b"x" * 3000, b"x" * 3000 + b'"}']
    for app in (_app_answering(200, big), _app_answering(200, big, content_length=6025)):
        with pytest.raises(errors.ResponseTooLarge, match="larger than 4 KiB"):
            _call_app(app, lambda c: c.user_info(), max_response_bytes=4096)
    # At the cap exactly is fine.
    body = b'{"id": 7, "nickname": "n", "email": "e@example.com"}'
    user = _call_app(_app_answering(200, [body]), lambda c: c.user_info(), max_response_bytes=len(body))
    assert user.id == 7


def test_an_oversized_error_answer_keeps_its_status_meaning():
    app = _app_answering(503, [b'{"messages": ["' + b"x" * 10000 + b'"]}'])
    with pytest.raises(errors.ServerError) as info:
        _call_app(app, lambda c: c.user_info(), max_response_bytes=1024)
    assert info.value.status == 503 and info.value.messages == ()


def test_stall_after_headers_hits_the_overall_deadline_over_a_socket(emulator, server):
    emulator.faults.stall_after_headers_next(seconds=30)

    async def go():
        async with TimeCrowdClient(server.url, DEMO_TOKEN, deadline=1) as c:
            await c.user_info()

    with pytest.raises(errors.ApiTimeout) as info:
        run(go())
    assert "did not answer in time" in str(info.value) and DEMO_TOKEN not in repr(info.value)


def test_stall_after_headers_hits_the_overall_deadline_in_process(emulator):
    emulator.faults.stall_after_headers_next(seconds=30)
    with pytest.raises(errors.ApiTimeout):
        run(_with(emulator, lambda c: c.user_info(), deadline=1))
    assert emulator.faults.holding == 0


@pytest.mark.parametrize("over_socket", [True, False])
def test_blackhole_is_a_timeout_and_a_post_is_not_resent(emulator, over_socket):
    task = task_titled(emulator, "Code review")
    emulator.faults.blackhole_next(hold=30)

    async def go(c):
        await c.start_task(task["team_id"], task["id"])

    with pytest.raises(errors.ApiTimeout):
        if over_socket:
            with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
                async def over(url=server.url):
                    async with TimeCrowdClient(url, DEMO_TOKEN, deadline=1) as c:
                        await go(c)
                run(over())
        else:
            run(_with(emulator, go, deadline=1))
    assert emulator.running_entry(ME_ID) is not None  # applied by the server, never answered
    assert len([r for r in emulator.requests if r[0] == "POST"]) == 1


def test_blackhole_on_a_get_is_a_timeout_too(emulator, server):
    emulator.faults.blackhole_next(hold=30)

    async def go():
        async with TimeCrowdClient(server.url, DEMO_TOKEN, deadline=1) as c:
            await c.user_info()

    with pytest.raises(errors.ApiTimeout):
        run(go())
    assert len([r for r in emulator.requests if r[1] == "/api/v1/user/info"]) == 1  # timeouts are never resent
