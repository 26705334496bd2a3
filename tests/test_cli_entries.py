"""``timecrowd-tray log|add|edit|delete|start --at|today`` end to end: a real subprocess, the emulator over HTTP.

With a running app (the real TimerService in-process answering on the socket, as in
test_cli_control.py), and without one (the shell's own engine, the sign-in from a real
Secret Service).
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from test_cli_control import (  # noqa: F401 - fixtures
    _module_loop,
    app,
    emulator,
    qloop,
    run_cli,
    running_entry,
    runtime_dir,
    signed_in,
    task_id_by_title,
)

from timecrowd_tray.cli import EXIT_ERROR, EXIT_NOT_RUNNING, EXIT_OK, EXIT_QUEUED, EXIT_USAGE

from secret_service import secret_service  # noqa: F401 - fixture

JST = timezone(timedelta(hours=9))
DAY = "2020-01-06"  # a day with nothing on it: no overlap with the seed's entries
ENTRY_KEYS = {"id", "ref", "task", "started_at", "stopped_at", "duration_seconds", "comment", "pending"}


def ts(hour, minute=0):
    return int(datetime(2020, 1, 6, hour, minute, tzinfo=JST).timestamp())


def made(state, task_id):
    return [e for e in state.entries_of(state.me_id) if e["task_id"] == task_id and e["started_at"] < ts(23)
            and e["started_at"] >= ts(0)]


def test_add_log_edit_delete_through_the_app(app, emulator, qtbot):  # noqa: F811 - fixtures
    state = emulator.state
    task = task_id_by_title(state, "Deploy to staging")
    added = run_cli("add", "--task", str(task), "--from", "9:00", "--to", "1030", "--date", DAY,
                    "--comment", "手順書を更新", qtbot=qtbot)
    assert added.returncode == EXIT_OK, added.stderr
    assert added.stdout.startswith("+ added Deploy to staging (株式会社デモ) 09:00–10:30")
    [entry] = made(state, task)
    assert (entry["started_at"], entry["stopped_at"], entry["input_type"]) == (ts(9), ts(10, 30), "manual")

    log = run_cli("log", "--date", DAY, "--json", qtbot=qtbot)
    assert log.returncode == EXIT_OK, log.stderr
    [doc] = json.loads(log.stdout)
    assert set(doc) == ENTRY_KEYS and doc["id"] == entry["id"]
    assert doc["task"] == {"id": task, "title": "Deploy to staging", "team": "株式会社デモ"}
    assert (doc["started_at"], doc["stopped_at"]) == ("2020-01-06T09:00:00+09:00", "2020-01-06T10:30:00+09:00")
    assert doc["duration_seconds"] == 5400 and doc["comment"] == "手順書を更新"
    human = run_cli("log", "--date", DAY, qtbot=qtbot)
    assert f"#{entry['id']}  09:00–10:30  1:30:00  Deploy to staging (株式会社デモ)" in human.stdout
    assert human.stdout.rstrip().endswith("total 1:30:00")

    edited = run_cli("edit", str(entry["id"]), "--to", "10:45", "--comment", "レビュー込み", qtbot=qtbot)
    assert edited.returncode == EXIT_OK, edited.stderr
    assert edited.stdout.startswith("✎ changed Deploy to staging (株式会社デモ) 09:00–10:45")
    assert state.entry(entry["id"])["stopped_at"] == ts(10, 45)

    backwards = run_cli("edit", str(entry["id"]), "--to", "8:00", qtbot=qtbot)
    assert backwards.returncode == EXIT_ERROR and "The end is before the start." in backwards.stderr
    empty = run_cli("edit", str(entry["id"]), "--to", "9:00", qtbot=qtbot)
    assert empty.returncode == EXIT_ERROR and "The entry has no length: its end is its start." in empty.stderr
    unreadable = run_cli("edit", str(entry["id"]), "--from", "9:77", qtbot=qtbot)
    assert unreadable.returncode == EXIT_USAGE and "9:77" in unreadable.stderr
    assert state.entry(entry["id"])["started_at"] == ts(9)

    deleted = run_cli("delete", str(entry["id"]), "--json", qtbot=qtbot)
    assert deleted.returncode == EXIT_OK, deleted.stderr
    assert json.loads(deleted.stdout)["outcome"] == "done" and state.entry(entry["id"]) is None
    missing = run_cli("delete", str(entry["id"]), qtbot=qtbot)
    assert missing.returncode == EXIT_ERROR and f"no entry {entry['id']}" in missing.stderr


def test_an_overlap_is_refused_naming_the_other_unless_insisted(app, emulator, qtbot):  # noqa: F811 - fixtures
    state = emulator.state
    task = task_id_by_title(state, "Deploy to staging")
    assert run_cli("add", "--task", str(task), "--from", "9:00", "--to", "10:00", "--date", DAY,
                   qtbot=qtbot).returncode == EXIT_OK
    again = run_cli("add", "Deploy", "--from", "9:30", "--to", "10:30", "--date", DAY, qtbot=qtbot)
    assert again.returncode == EXIT_ERROR and "overlaps “Deploy to staging” (09:00–10:00)" in again.stderr
    assert len(made(state, task)) == 1
    insisted = run_cli("add", "Deploy", "--from", "9:30", "--to", "10:30", "--date", DAY, "--allow-overlap",
                       qtbot=qtbot)
    assert insisted.returncode == EXIT_OK, insisted.stderr
    assert len(made(state, task)) == 2
    empty = run_cli("add", "Deploy", "--from", "11:00", "--to", "11:00", "--date", DAY, qtbot=qtbot)
    assert empty.returncode == EXIT_ERROR and "The entry has no length: its end is its start." in empty.stderr
    assert len(made(state, task)) == 2
    future = run_cli("add", "Deploy", "--from", "9:30", "--to", "10:30", "--date", "2999-01-01", qtbot=qtbot)
    assert future.returncode == EXIT_ERROR and "in the future" in future.stderr


def test_an_add_while_the_server_is_down_is_queued_then_sent_as_typed(app, emulator, qtbot):  # noqa: F811 - fixtures
    state = emulator.state
    task = task_id_by_title(state, "Deploy to staging")
    state.faults.fail_next(503, count=10_000)
    queued = run_cli("add", "--task", str(task), "--from", "13:00", "--to", "14:00", "--date", DAY, qtbot=qtbot)
    assert queued.returncode == EXIT_QUEUED, (queued.stdout, queued.stderr)
    assert queued.stdout.startswith("⏸ queued: add Deploy to staging (株式会社デモ) 13:00–14:00")
    pending = json.loads(run_cli("log", "--date", DAY, "--json", qtbot=qtbot).stdout)
    assert [(e["id"], e["pending"], e["started_at"]) for e in pending] == \
        [(None, "add", "2020-01-06T13:00:00+09:00")]
    ref = pending[0]["ref"]
    assert ref.startswith("local-")  # an add not sent yet: no server id, a reference edit/delete take
    human = run_cli("log", "--date", DAY, qtbot=qtbot).stdout
    assert f"{ref}  13:00–14:00" in human and "not sent yet" in human
    moved = run_cli("edit", ref, "--to", "14:30", "--json", qtbot=qtbot)
    assert moved.returncode == EXIT_QUEUED, (moved.stdout, moved.stderr)
    assert json.loads(moved.stdout)["entry"]["stopped_at"] == "2020-01-06T14:30:00+09:00"
    assert run_cli("edit", "local-99999", "--to", "14:30", qtbot=qtbot).returncode == EXIT_ERROR
    assert made(state, task) == []
    state.faults.clear()
    app.service.notify_network_changed(True)
    qtbot.waitUntil(lambda: len(made(state, task)) == 1, timeout=10000)
    qtbot.waitUntil(lambda: app.service.pending_count == 0, timeout=10000)
    assert (made(state, task)[0]["started_at"], made(state, task)[0]["stopped_at"]) == (ts(13), ts(14, 30))


def test_a_backdated_start(app, emulator, qtbot):  # noqa: F811 - fixtures
    state = emulator.state
    typed = time.time()
    # The seed's day runs up to a few minutes ago: a start 15 min back may overlap it, whatever the time.
    result = run_cli("start", "Deploy", "--at", "-15m", "--allow-overlap", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith("▶ started Deploy to staging")
    entry = running_entry(state)
    assert entry is not None and abs(entry["started_at"] - (typed - 900)) <= 3
    bad = run_cli("start", "週次", "--at", "soon", qtbot=qtbot)
    assert bad.returncode == EXIT_USAGE and "soon" in bad.stderr


def test_toggle_after_a_backdated_start_starts_the_task_worked_on_last(app, emulator, qtbot):  # noqa: F811
    """The latest task is the entry that ended last, not the one that started last."""
    state = emulator.state
    for args in (("start", "Code review"), ("stop",), ("start", "Deploy", "--at", "-60m", "--allow-overlap")):
        done = run_cli(*args, qtbot=qtbot)
        assert done.returncode == EXIT_OK, (args, done.stdout, done.stderr)
    review = task_id_by_title(state, "Code review")
    code_review = max((e for e in state.entries_of(state.me_id) if e["task_id"] == review), key=lambda e: e["id"])
    qtbot.waitUntil(lambda: time.time() >= code_review["stopped_at"] + 1, timeout=3000)  # times are in seconds
    stopped = run_cli("stop", qtbot=qtbot)
    assert stopped.returncode == EXIT_OK, stopped.stderr
    # Code review started last (seconds ago); Deploy to staging, started an hour ago, ended last.
    refresh = app.service._recent_task  # noqa: SLF001 - the stop's read of the entries, in flight
    qtbot.waitUntil(lambda: refresh is None or refresh.done(), timeout=10000)
    toggled = run_cli("toggle", qtbot=qtbot)
    assert toggled.returncode == EXIT_OK, toggled.stderr
    assert toggled.stdout.startswith("▶ started Deploy to staging"), toggled.stdout
    assert running_entry(state)["task_id"] == task_id_by_title(state, "Deploy to staging")


def test_a_queued_backdated_start_shows_its_time_in_the_accounts_zone_as_log_does(app, emulator, qtbot):  # noqa: F811
    """A user in Tokyo on a machine set to UTC saw 00:16 on the queued line and 09:16 in `log`: one zone now."""
    from zoneinfo import ZoneInfo

    emulator.state.faults.fail_next(503, count=10_000)
    typed = time.time()
    result = run_cli("start", "Deploy", "--at", "-15m", "--allow-overlap", qtbot=qtbot, env={"TZ": "UTC"})
    assert result.returncode == EXIT_QUEUED, (result.stdout, result.stderr)
    shown = re.search(r"\((\d\d:\d\d)\)", result.stdout)
    assert shown is not None, result.stdout
    expected = {datetime.fromtimestamp(typed - 900 + d, ZoneInfo("Asia/Tokyo")).strftime("%H:%M") for d in (0, 5)}
    assert shown.group(1) in expected  # the account's zone (Asia/Tokyo), not the machine's (UTC)
    log = run_cli("log", qtbot=qtbot, env={"TZ": "UTC"})
    assert f"{shown.group(1)}–…" in log.stdout, log.stdout
    emulator.state.faults.clear()


def test_today_needs_the_app(runtime_dir):  # noqa: F811 - fixtures
    result = run_cli("today")
    assert result.returncode == EXIT_NOT_RUNNING and "not running" in result.stderr


def test_today_opens_the_apps_window(app, qtbot):  # noqa: F811 - fixtures
    opened = []
    app.open_today = lambda: opened.append(True)
    result = run_cli("today", qtbot=qtbot)
    assert result.returncode == EXIT_OK, result.stderr
    assert opened == [True]


def test_usage_errors(runtime_dir):  # noqa: F811 - fixtures
    assert run_cli("add", "--from", "9:00", "--to", "10:00").returncode == EXIT_USAGE  # no task
    assert run_cli("add", "x", "--task", "3", "--from", "9:00", "--to", "10:00").returncode == EXIT_USAGE
    assert run_cli("edit", "12").returncode == EXIT_USAGE  # nothing to change
    assert run_cli("edit", "twelve", "--to", "9:00").returncode == EXIT_USAGE


def test_without_the_app_the_shell_runs_the_same_engine(signed_in):  # noqa: F811 - fixtures
    server = signed_in
    api = ("--api-base", server.url)
    state = server.state
    task = task_id_by_title(state, "Deploy to staging")
    added = run_cli(*api, "add", "--task", str(task), "--from", "9:00", "--to", "10:00", "--date", DAY)
    assert added.returncode == EXIT_OK, added.stderr
    [entry] = made(state, task)
    log = json.loads(run_cli(*api, "log", "--date", DAY, "--json").stdout)
    assert [e["id"] for e in log] == [entry["id"]]
    state.faults.fail_next(503, count=10_000)
    queued = run_cli(*api, "edit", str(entry["id"]), "--to", "10:30")
    assert queued.returncode in (EXIT_QUEUED, 4), (queued.stdout, queued.stderr)
    state.faults.clear()
    if queued.returncode == EXIT_QUEUED:
        assert re.match(r"⏸ queued: change ", queued.stdout)
        sent = run_cli(*api, "log", "--date", DAY)  # the next command sends what waits first
        assert sent.returncode == EXIT_OK, sent.stderr
        assert state.entry(entry["id"])["stopped_at"] == ts(10, 30)
    deleted = run_cli(*api, "delete", str(entry["id"]))
    assert deleted.returncode == EXIT_OK, deleted.stderr
    assert state.entry(entry["id"]) is None


@pytest.mark.parametrize("code", ["invalid_times", "overlap", "conflict"])
def test_refusals_exit_1(code):
    from timecrowd_tray.cli.control import APP_CODES

    assert APP_CODES[code] == EXIT_ERROR


def test_the_shell_speaks_japanese(app, emulator, qtbot, tmp_path):  # noqa: F811 - fixtures
    ja = {"LANGUAGE": "ja", "LC_ALL": "ja_JP.UTF-8", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    task = task_id_by_title(emulator.state, "Deploy to staging")
    backwards = run_cli("add", "--task", str(task), "--from", "10:00", "--to", "9:00", "--date", DAY, env=ja,
                        qtbot=qtbot)
    assert backwards.returncode == EXIT_ERROR and "終了が開始より前です。" in backwards.stderr
    added = run_cli("add", "--task", str(task), "--from", "9:00", "--to", "10:00", "--date", DAY, env=ja,
                    qtbot=qtbot)
    assert added.returncode == EXIT_OK
    assert added.stdout.startswith("+ 「Deploy to staging（株式会社デモ）」09:00〜10:00 を追加しました")
    log = run_cli("log", "--date", DAY, env=ja, qtbot=qtbot)
    assert "合計 1:00:00" in log.stdout
