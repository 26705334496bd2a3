"""The API client against the emulator, in-process: every call and every error class."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from timecrowd_tray.api import TimeCrowdClient, errors
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
    return Clock(datetime(2026, 11, 18, 14, 0, tzinfo=timezone.utc).timestamp())


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
