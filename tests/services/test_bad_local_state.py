"""Bad local state never stops the service: a read-only folder, an unwritable cache, a mistyped
outbox row, a damaged outbox. The service starts, says so (``storage_problem``, an error in the
log), and keeps working; against the emulator, in-process."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from timecrowd_tray.emulator import EmulatorState
from timecrowd_tray.services import events as ev
from timecrowd_tray.services.outbox import Outbox
from timecrowd_tray.services.paths import OUTBOX_FILE
from timecrowd_tray.services.task_cache import task_to_json

from services.timer_harness import FIXED_NOW, Harness, emulator_task, entries_of_task, run
from support.clock import FakeClock
from support.unwritable import shared_base, unwritable

BASE = "http://127.0.0.1:8"  # the harness's client


def _errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]


def test_a_read_only_data_folder_starts_says_so_and_works_from_memory(caplog):
    with shared_base() as base:
        data, cache = base / "data", base / "cache"
        data.mkdir(mode=0o755)
        cache.mkdir()
        cache.chmod(0o777)
        with unwritable(data):
            async def main():
                h = Harness(base, cache_dir=cache)  # the service's data folder: base / "data"
                try:
                    problem = h.svc.storage_problem
                    assert problem is not None and problem.outbox_unwritable is not None
                    assert problem.outbox_unwritable.path == data / OUTBOX_FILE
                    assert problem.cache_dir is None and problem.damage is None
                    assert any("kept in memory only" in m for m in _errors(caplog))
                    await h.sign_in()
                    task = emulator_task(h.state, "Code review")
                    click = h.clock()
                    h.svc.start(task)
                    assert h.svc.pending_count == 1  # queued, in memory
                    await h.synced()
                    running = h.state.running_entry(h.me)
                    assert running["task_id"] == task.id and running["started_at"] == int(click)
                finally:
                    await h.close()

            run(main)
        assert not (data / OUTBOX_FILE).exists()


def test_an_unwritable_cache_folder_is_said_once_and_the_app_goes_on(caplog):
    with shared_base() as base:
        cache = base / "cache"
        (base / "data").mkdir()
        (base / "data").chmod(0o777)
        cache.mkdir(mode=0o755)
        with unwritable(cache):
            async def main():
                h = Harness(base, cache_dir=cache)
                try:
                    problem = h.svc.storage_problem
                    assert problem is not None and problem.cache_dir == cache and problem.cache_reason
                    assert problem.outbox_unwritable is None
                    assert len([m for m in _errors(caplog) if "cache folder" in m]) == 1
                    await h.sign_in()
                    h.svc.start(emulator_task(h.state, "1on1"))
                    await h.synced()
                    assert h.state.running_entry(h.me) is not None
                finally:
                    await h.close()

            run(main)


def test_nothing_wrong_means_no_storage_problem(tmp_path):
    async def main():
        h = Harness(tmp_path)
        try:
            assert h.svc.storage_problem is None
        finally:
            await h.close()

    run(main)


def test_a_mistyped_outbox_row_does_not_stop_sign_in_and_the_others_are_sent_in_order(tmp_path, caplog):
    clock = FakeClock(FIXED_NOW)
    state = EmulatorState.seeded(clock=clock)
    account = f"{BASE}#{state.me_id}"
    task = emulator_task(state, "Code review")
    path = tmp_path / "data" / OUTBOX_FILE
    ob = Outbox(path)
    start = ob.add(account, "start", {"task": task_to_json(task)}, FIXED_NOW - 600)
    bad = ob.add(account, "stop", {"target": {"local_id": start}}, FIXED_NOW - 400)
    stop = ob.add(account, "stop", {"target": {"local_id": start}}, FIXED_NOW - 300)
    ob.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE intents SET acted_at = 'abc' WHERE id = ?", (bad,))
    db.close()

    async def main():
        h = Harness(tmp_path, clock=clock, state=state)
        try:
            await h.sign_in()  # was: TypeError (the row's acted_at made into a datetime)
            assert h.svc.storage_problem.unreadable_count == 1
            await h.synced()
            [entry] = entries_of_task(h.state, h.me, task.id)[:1]
            assert entry["started_at"] == int(FIXED_NOW - 600) and entry["stopped_at"] == int(FIXED_NOW - 300)
            assert h.svc.pending_count == 0
        finally:
            await h.close()

    run(main)
    kept = Outbox(path).unreadable_rows()
    assert [(r["id"], r["acted_at"]) for r in kept] == [(bad, "abc")]  # kept for a look, never sent
    assert any("set aside" in m for m in _errors(caplog))
    assert stop > bad


def test_a_row_spoiled_while_running_is_told_as_an_event(tmp_path):
    async def main():
        h = Harness(tmp_path)
        try:
            await h.sign_in()
            h.svc.start(emulator_task(h.state, "Code review"))
            await h.synced()
            path = tmp_path / "data" / OUTBOX_FILE
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("INSERT INTO intents(account, kind, payload, acted_at) VALUES (?, 'stop', 'oops', 1.0)",
                       (f"{BASE}#{h.me}",))
            db.close()
            assert h.svc.pending_count == 0
            [event] = [e for e in h.events if isinstance(e, ev.StorageProblem)]
            assert event.unreadable_count == 1 and event.outbox_path == path
            assert h.svc.storage_problem.unreadable_count == 1
        finally:
            await h.close()

    run(main)


def _snapshot(path: Path, into: Path) -> Path:
    """The outbox files as a killed process would leave them (the last commits only in the -wal)."""
    into.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{path}{suffix}", f"{into / OUTBOX_FILE}{suffix}")
    return into / OUTBOX_FILE


def test_a_zeroed_outbox_whose_start_reached_the_server_gives_it_back_and_nothing_is_doubled(tmp_path, caplog):
    clock = FakeClock(FIXED_NOW)
    state = EmulatorState.seeded(clock=clock)
    task = emulator_task(state, "Code review")

    async def first_run():
        h = Harness(tmp_path / "one", clock=clock, state=state)
        try:
            await h.sign_in()
            h.svc.start(task)  # recorded; not sent yet (nothing awaited)
            copy = _snapshot(tmp_path / "one" / "data" / OUTBOX_FILE, tmp_path / "two" / "data")
            await h.synced()  # ... and then it reached the server, but the copy says "queued"
            return copy
        finally:
            await h.close()

    copy = run(first_run)
    copy.write_bytes(b"\0" * copy.stat().st_size)  # zeroed; the start is still in the -wal
    clock.advance(120)

    async def second_run():
        h = Harness(tmp_path / "two", clock=clock, state=state)
        try:
            damage = h.svc.storage_problem.damage
            assert damage is not None and damage.recovered_count == 1 and damage.unreadable_count == 0
            assert damage.path.name.startswith(f"{OUTBOX_FILE}.corrupt-") and Path(f"{damage.path}-wal").exists()
            await h.sign_in()
            await h.synced()
        finally:
            await h.close()

    run(second_run)
    assert len([e for e in entries_of_task(state, state.me_id, task.id) if e["started_at"] == int(FIXED_NOW)]) == 1
    assert any("recovered" in m for m in _errors(caplog))
