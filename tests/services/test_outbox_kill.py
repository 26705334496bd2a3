"""Nothing is lost to kill -9: a real process is SIGKILLed mid-queue, restarted, and the
server ends right (no entry duplicated, every time at its click, comments once).

The emulator runs in this process (uvicorn on loopback); the app is
``outbox_driver.py`` in a subprocess with its own XDG_DATA_HOME/XDG_CACHE_HOME.

What survived the kill is read from the dead process's outbox file itself, not
from the restarted driver's ``READY <pending>``: sign-in starts the sender before
its first poll returns, so on a fast server the restarted process may already
have replayed the head of the queue by the time it says READY.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timecrowd_tray import APP_ID
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.services.outbox_rows import DONE, PENDING_STATES
from timecrowd_tray.services.paths import OUTBOX_FILE
from timecrowd_tray.services.task_cache import task_to_json

from services.timer_harness import comments_on, emulator_task, requests_to

DRIVER = Path(__file__).with_name("outbox_driver.py")


class Driver:
    def __init__(self, tmp: Path, url: str, *, replay: bool = False) -> None:
        env = dict(os.environ, XDG_DATA_HOME=str(tmp / "data"), XDG_CACHE_HOME=str(tmp / "cache"),
                   PYTHONUNBUFFERED="1")
        self.log = open(tmp / ("replay.log" if replay else "record.log"), "w")
        args = [sys.executable, str(DRIVER), url, DEMO_TOKEN] + (["--replay"] if replay else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     env=env, text=True)

    def expect(self, word: str, timeout: float = 20.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"driver never said {word}; log: {self.read_log()}")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    raise AssertionError(f"driver exited before {word}: {self.read_log()}")
                parts = line.split()
                if parts and parts[0] == word:
                    return parts[1:]

    def send(self, actions: list[dict]) -> None:
        self.proc.stdin.write(json.dumps(actions, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(10) == -signal.SIGKILL

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()

    def read_log(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]


def outbox_rows(tmp: Path) -> list[tuple[str, str]]:
    """(kind, state) of every intent in the driver's outbox file, in order, read-only."""
    db = sqlite3.connect(f"{(tmp / 'data' / APP_ID / OUTBOX_FILE).as_uri()}?mode=ro", uri=True)
    try:
        return [(kind, st) for kind, st in db.execute("SELECT kind, state FROM intents ORDER BY id")]
    finally:
        db.close()


def wait_until(predicate, timeout: float = 10.0) -> None:
    """Bounded wait for something the server thread or the driver does."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


@pytest.mark.parametrize("kill_during", ["stop-in-flight", "start-in-flight", "server-down"])
def test_kill_9_mid_queue_then_restart_ends_right(tmp_path, kill_during):
    state = EmulatorState.seeded()
    me = state.me_id
    a, b, c = (emulator_task(state, t) for t in ("Code review", "1on1", "資料作成"))
    now = int(time.time())
    entry_a = state.add_entry(me, a.id, now - 3600, None)  # running for an hour
    # the user's clicks, in the past (made while the app could not send them)
    t1, t2, t3 = now - 1800, now - 900, now - 600
    script = [
        {"op": "start", "task": task_to_json(b), "at": t1},       # stops A at t1, starts B
        {"op": "comment", "on": "stopped", "text": "A 完了 ✅", "at": t1},
        {"op": "comment", "on": "current", "text": "B 開始 🚀", "at": t1},
        {"op": "stop", "at": t2},
        {"op": "start", "task": task_to_json(c), "at": t3},
    ]
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        first = Driver(tmp_path, server.url)
        try:
            first.expect("READY")
            before = len(state.requests)
            if kill_during == "server-down":
                state.faults.fail_next(503, count=10_000)
            else:
                state.faults.latency = 0.3
            first.send(script)
            assert first.expect("RECORDED") == ["6"]  # stop A, start B, 2 comments, stop B, start C
            if kill_during == "stop-in-flight":
                wait_until(lambda: requests_to(state, "PATCH", f"/time_entries/{entry_a['id']}/stop"))
            elif kill_during == "start-in-flight":
                wait_until(lambda: requests_to(state, "POST", f"/tasks/{b.id}/start"))
            else:
                wait_until(lambda: len(state.requests) > before + 3)  # retrying against a dead server
            first.kill9()
        finally:
            first.close()
        state.faults.clear()
        if kill_during == "stop-in-flight":
            # the request the dead process sent still lands (crash after send, before recording success)
            wait_until(lambda: state.entry(entry_a["id"])["stopped_at"] is not None)
        elif kill_during == "start-in-flight":
            wait_until(lambda: any(e["task_id"] == b.id and e["id"] > entry_a["id"] for e in state.entries_of(me)))

        # What the kill left on disk: all six intents, in order, none dropped; only a head of the queue done.
        rows = outbox_rows(tmp_path)
        assert [kind for kind, _ in rows] == ["stop", "start", "comment", "comment", "stop", "start"], rows
        assert all(st == DONE or st in PENDING_STATES for _, st in rows), rows
        done = [st == DONE for _, st in rows]
        assert done == sorted(done, reverse=True), rows
        pending = done.count(False)
        if kill_during == "server-down":
            # the server only ever answered 503: nothing may be done yet, and nothing changed on it
            assert pending == 6, rows
            assert state.entry(entry_a["id"])["stopped_at"] is None

        second = Driver(tmp_path, server.url, replay=True)
        try:
            # the sender runs during sign-in: by READY it may have sent some of them already (never more)
            assert 0 <= int(second.expect("READY")[0]) <= pending
            second.expect("SYNCED")
            assert second.proc.wait(10) == 0
        finally:
            second.close()
        assert [st for _, st in outbox_rows(tmp_path)] == [DONE] * 6

    new = [e for e in state.entries_of(me) if e["id"] > entry_a["id"]]
    by_task = {task.id: [e for e in new if e["task_id"] == task.id] for task in (b, c)}
    assert len(new) == 2 and len(by_task[b.id]) == 1 and len(by_task[c.id]) == 1, new
    e_a, e_b, e_c = state.entry(entry_a["id"]), by_task[b.id][0], by_task[c.id][0]
    assert abs(e_a["stopped_at"] - t1) <= 1
    assert abs(e_b["started_at"] - t1) <= 1 and abs(e_b["stopped_at"] - t2) <= 1
    assert abs(e_c["started_at"] - t3) <= 1 and e_c["stopped_at"] is None
    assert [x["content"] for x in comments_on(state, e_a["id"])] == ["A 完了 ✅"]
    assert [x["content"] for x in comments_on(state, e_b["id"])] == ["B 開始 🚀"]
