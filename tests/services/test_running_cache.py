"""The last running entry kept on disk: shown at once at the next start, confirmed or corrected by the first poll."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from timecrowd_tray.core.models import Task, TimeEntry, User
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services import events as ev
from timecrowd_tray.services.running_cache import (
    RUNNING_FILE,
    RunningCache,
    RunningData,
    peek_started_at,
    preview_state,
)

from services.timer_harness import FIXED_NOW, Harness, emulator_task, run

BASE = "http://127.0.0.1:8"  # the harness client's server
ELSEWHERE = (ev.StartedElsewhere, ev.StoppedElsewhere, ev.SwitchedElsewhere)


def cache_file(h: Harness):
    return h.tmp_path / "data" / "cache" / RUNNING_FILE


async def running_then_quit(h: Harness, title: str = "1on1") -> TimeEntry:
    """Sign in, start ``title``, let the server confirm it and a poll see it, quit: the entry."""
    await h.sign_in()
    h.svc.start(emulator_task(h.state, title))
    await h.synced()
    await h.svc.refresh()
    entry = h.svc.state.server_entry
    assert entry is not None and h.svc.state.loaded
    await h.close()
    return entry


def test_a_restart_shows_the_cached_running_entry_before_any_request(tmp_path):
    async def main():
        h = Harness(tmp_path)
        entry = await running_then_quit(h)
        h.clock.advance(25 * 60 + 7)
        svc = h.new_service()
        h.watch(svc)
        asked = len(h.state.requests)
        try:
            assert svc.begin_restore(BASE + "/") is True
            state = svc.state
            assert state.phase is Phase.RUNNING and not state.loaded  # shown, not yet confirmed
            assert state.entry_id == entry.id and state.task == entry.task
            assert state.started_at == entry.started_at  # the elapsed time counts from the real start
            now = datetime.fromtimestamp(h.clock(), UTC)
            assert state.elapsed(now) == (now - entry.started_at).total_seconds() >= 25 * 60 + 7
            assert len(h.state.requests) == asked  # nothing was asked of the server
            n = len(h.states)
            await h.sign_in(svc)
            # it stays running through the sign-in (no "loading" in between), then is confirmed
            assert h.states[n:] and all(s.phase is Phase.RUNNING for s in h.states[n:])
            assert svc.state.loaded and svc.state.entry_id == entry.id
            assert not [e for e in h.events if isinstance(e, ELSEWHERE)]
        finally:
            await svc.aclose()

    run(main)


def test_the_first_poll_corrects_a_stale_cache_quietly(tmp_path):
    async def main():
        h = Harness(tmp_path)
        entry = await running_then_quit(h)
        h.clock.advance(600)
        h.state.stop_entry(h.me, entry.id)  # stopped from the web app while this app was not running
        svc = h.new_service()
        h.watch(svc)
        try:
            assert svc.begin_restore(BASE) is True and svc.state.phase is Phase.RUNNING
            n = len(h.events)
            await h.sign_in(svc)
            assert svc.state.phase is Phase.IDLE and svc.state.loaded
            assert not [e for e in h.events[n:] if isinstance(e, ELSEWHERE)]  # nothing alarming
        finally:
            await svc.aclose()
        # the cache follows: nothing runs, so the next start shows "loading"
        assert json.loads(cache_file(h).read_text())["entry"] is None
        svc = h.new_service()
        try:
            assert svc.begin_restore(BASE) is False and svc.state.phase is Phase.LOADING
        finally:
            await svc.aclose()

    run(main)


def test_a_stop_on_the_cached_entry_before_sign_in_is_sent_at_the_click_time(tmp_path):
    async def main():
        h = Harness(tmp_path)
        entry = await running_then_quit(h)
        h.clock.advance(300)
        svc = h.new_service()
        h.watch(svc)
        try:
            svc.begin_restore(BASE)
            click = h.clock()
            stopped = svc.stop()
            assert stopped is not None and stopped.ref.entry_id == entry.id
            assert svc.state.phase is Phase.STOPPING and svc.pending_count == 1
            h.clock.advance(5)
            await h.sign_in(svc)
            await h.synced(svc)
            assert h.state.entry(entry.id)["stopped_at"] == int(click)
            await svc.refresh()
            assert svc.state.phase is Phase.IDLE
        finally:
            await svc.aclose()

    run(main)


def test_nothing_is_shown_for_another_server_or_after_signing_out(tmp_path):
    async def main():
        h = Harness(tmp_path)
        await running_then_quit(h)
        svc = h.new_service()
        try:
            assert svc.begin_restore("https://timecrowd.example") is False
            assert svc.state.phase is Phase.LOADING and svc.state.user is None
        finally:
            await svc.aclose()
        svc = h.new_service()
        h.svc = svc
        try:
            assert svc.begin_restore(BASE) is True
            await h.sign_in(svc)
            await svc.sign_out()
        finally:
            await svc.aclose()
        svc = h.new_service()
        try:
            assert svc.begin_restore(BASE) is False
        finally:
            await svc.aclose()

    run(main)


def test_a_rejected_token_drops_the_cached_entry(tmp_path):
    from timecrowd_tray.api.errors import Unauthorized

    async def main():
        h = Harness(tmp_path)
        await running_then_quit(h)
        svc = h.new_service()
        try:
            assert svc.begin_restore(BASE) is True
            try:
                await h.sign_in(svc, token="revoked")
            except Unauthorized:
                pass
            assert svc.state.phase is Phase.SIGNED_OUT and svc.pending_count == 0
        finally:
            await svc.aclose()

    run(main)


# -- the file itself ----------------------------------------------------------------------------


def sample() -> RunningData:
    user = User(id=28, nickname="demo")
    task = Task(id=5, title="会議資料", team_id=14, team_name="株式会社デモ")
    entry = TimeEntry(id=77, task=task, started_at=datetime.fromtimestamp(FIXED_NOW - 3600, UTC),
                      user_id=28, team_id=14, comment="途中")
    return RunningData(f"{BASE}#28", BASE, user, entry)


def test_the_file_round_trips_and_peeks_cheaply(tmp_path):
    path = tmp_path / RUNNING_FILE
    data = sample()
    RunningCache(path).save(data)
    assert RunningCache(path).load() == data
    assert data.matches(BASE + "/") and not data.matches("https://timecrowd.example")
    assert peek_started_at(BASE, path) == FIXED_NOW - 3600
    assert peek_started_at("https://timecrowd.example", path) is None
    state = preview_state(data)
    assert state.phase is Phase.RUNNING and not state.loaded and state.entry_id == 77
    RunningCache(path).save(RunningData(data.account, BASE, data.user, None))
    assert peek_started_at(BASE, path) is None


def test_a_missing_or_damaged_file_means_nothing_known(tmp_path):
    path = tmp_path / RUNNING_FILE
    assert RunningCache(path).load() == RunningData() and peek_started_at(BASE, path) is None
    path.write_text("{not json", encoding="utf-8")
    assert RunningCache(path).load() == RunningData() and peek_started_at(BASE, path) is None
    path.write_text(json.dumps({"version": 1, "api_base": BASE, "entry": {"id": "x"}}), encoding="utf-8")
    assert RunningCache(path).load() == RunningData()


def test_the_cache_dir_is_the_services_without_platformdirs(monkeypatch, tmp_path):
    """The app finds the file before its first icon without importing platformdirs: the same place."""
    import sys

    import pytest

    from timecrowd_tray.services import paths
    from timecrowd_tray.services.running_cache import running_path

    if not sys.platform.startswith("linux"):
        pytest.skip("the shortcut is Linux only")
    for xdg in (str(tmp_path / "xdg"), "", "relative/cache"):
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        assert running_path() == paths.user_cache_dir() / RUNNING_FILE, xdg
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert running_path() == paths.user_cache_dir() / RUNNING_FILE
