"""The shell tells the truth (a new user's trial): the entry an answer shows, a closed stdout, a backdated
start of the task that runs, a refusal that says what was refused, a keyring that is absent, not locked.

End to end through a real subprocess and the emulator, as test_cli_control.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import keyring.errors
from test_cli_control import (  # noqa: F401 - fixtures
    _module_loop,
    _pool,
    app,
    emulator,
    qloop,
    run_cli,
    running_entry,
    runtime_dir,
    task_id_by_title,
)

from timecrowd_tray.cli import EXIT_CLOSED_PIPE, EXIT_ERROR, EXIT_OK, EXIT_QUEUED

DAY = "2020-01-06"


def _added(qtbot, emulator, start="9:00", end="10:00"):  # noqa: F811 - the fixture, passed on
    task = task_id_by_title(emulator.state, "Deploy to staging")
    added = run_cli("add", "--task", str(task), "--from", start, "--to", end, "--date", DAY, "--json", qtbot=qtbot)
    assert added.returncode == EXIT_OK, added.stderr
    return json.loads(added.stdout)


# -- 1. the entry an answer shows ---------------------------------------------------------------

def test_a_done_answer_shows_the_confirmed_entry_not_a_pending_one(app, emulator, qtbot):  # noqa: F811
    added = _added(qtbot, emulator)
    assert added["outcome"] == "done" and added["entry"]["pending"] is None
    entry_id = added["entry"]["id"]
    edited = run_cli("edit", str(entry_id), "--comment", "本番前の確認", "--json", qtbot=qtbot)
    assert edited.returncode == EXIT_OK, edited.stderr
    doc = json.loads(edited.stdout)
    assert doc["outcome"] == "done" and doc["entry"]["pending"] is None, doc
    assert doc["entry"]["comment"] == "本番前の確認"
    deleted = json.loads(run_cli("delete", str(entry_id), "--json", qtbot=qtbot).stdout)
    assert deleted["outcome"] == "done" and deleted["entry"]["pending"] is None, deleted


def test_a_queued_answer_shows_its_change_pending(app, emulator, qtbot):  # noqa: F811
    entry_id = _added(qtbot, emulator)["entry"]["id"]
    emulator.state.faults.fail_next(503, count=10_000)
    edited = run_cli("edit", str(entry_id), "--to", "10:30", "--json", qtbot=qtbot)
    assert edited.returncode == EXIT_QUEUED, (edited.stdout, edited.stderr)
    assert json.loads(edited.stdout)["entry"]["pending"] == "edit"
    deleted = run_cli("delete", str(entry_id), "--json", qtbot=qtbot)
    assert deleted.returncode == EXIT_QUEUED, (deleted.stdout, deleted.stderr)
    assert json.loads(deleted.stdout)["entry"]["pending"] == "delete"
    emulator.state.faults.clear()


# -- 2. a closed stdout ---------------------------------------------------------------------------

def _with_closed_stdout(*args: str, qtbot) -> subprocess.CompletedProcess:
    """``timecrowd-tray ARGS | head -0``: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        future = _pool.submit(lambda: subprocess.run([sys.executable, "-m", "timecrowd_tray", *args],
                                                     stdout=write_end, stderr=subprocess.PIPE, text=True,
                                                     env=env, timeout=60))
        qtbot.waitUntil(future.done, timeout=65000)
        return future.result()
    finally:
        os.close(write_end)


def test_a_closed_stdout_ends_quietly(app, emulator, qtbot):  # noqa: F811
    for args in (("log",), ("status", "--json"), ("--help",)):
        result = _with_closed_stdout(*args, qtbot=qtbot)
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, (args, result.stderr)
        # 141 as `yes | head`; argparse's own help already ignores a closed stdout (0)
        assert result.returncode == (0 if args == ("--help",) else EXIT_CLOSED_PIPE), (args, result.returncode)


# -- 3. a backdated start of the task that runs ---------------------------------------------------

def test_a_backdated_start_of_the_running_task_moves_its_start(app, emulator, qtbot):  # noqa: F811
    state = emulator.state
    assert run_cli("start", "Review", qtbot=qtbot).returncode == EXIT_OK
    typed = time.time()
    again = run_cli("start", "Review", "--at", "-10m", "--allow-overlap", qtbot=qtbot)  # the seed's day: see below
    assert again.returncode == EXIT_OK, again.stderr
    assert "already running" in again.stdout and "its start is now" in again.stdout, again.stdout
    entry = running_entry(state)
    assert entry is not None and abs(entry["started_at"] - (typed - 600)) <= 5


def test_an_overlapping_backdated_start_says_how_to_insist(app, emulator, qtbot):  # noqa: F811
    task = task_id_by_title(emulator.state, "Deploy to staging")
    # The seed's day runs from 9:30 to a few minutes ago: whatever the time, this add may overlap it.
    added = run_cli("add", "--task", str(task), "--from", "-30m", "--to", "-5m", "--allow-overlap", qtbot=qtbot)
    assert added.returncode == EXIT_OK, added.stderr
    refused = run_cli("start", "週次", "--at", "-20m", qtbot=qtbot)
    assert refused.returncode == EXIT_ERROR, (refused.stdout, refused.stderr)
    assert "(use --allow-overlap to start anyway)" in refused.stderr
    assert "--allow-overlap" in run_cli("start", "--help").stdout


# -- 5. a refusal says what was refused -----------------------------------------------------------

def test_a_refusal_says_what_was_refused_then_the_servers_words(app, emulator, qtbot, tmp_path):  # noqa: F811
    emulator.state.faults.fail_next(422)
    refused = run_cli("start", "週次", qtbot=qtbot)
    assert refused.returncode == EXIT_ERROR
    assert refused.stderr.startswith("timecrowd-tray: TimeCrowd refused the start of “週次定例ミーティング”: "), \
        refused.stderr
    ja = {"LANGUAGE": "ja", "LC_ALL": "ja_JP.UTF-8", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    emulator.state.faults.fail_next(422)
    refused = run_cli("start", "週次", env=ja, qtbot=qtbot)
    assert refused.returncode == EXIT_ERROR
    assert "TimeCrowd が「週次定例ミーティング」の開始を拒否しました：" in refused.stderr, refused.stderr


# -- 4. no keyring is not a locked one ------------------------------------------------------------

def test_no_secret_service_is_no_keyring_not_a_locked_one(caplog):
    from timecrowd_tray.services.credentials import CredentialStore, CredentialsUnavailable

    class NoService:
        priority = 1

        def get_password(self, service, user):
            raise keyring.errors.InitError("Failed to create the collection: The name org.freedesktop.secrets "
                                           "was not provided by any .service files.")

    import asyncio

    import pytest

    with caplog.at_level("WARNING"), pytest.raises(CredentialsUnavailable) as caught:
        # in a thread of its own: this module's Qt loop runs the main thread's asyncio loop
        _pool.submit(asyncio.run, CredentialStore(backend=NoService()).load("https://timecrowd.net")).result()
    assert caught.value.kind == "no_backend"
    assert "GNOME Keyring" in caught.value.user_message
    assert not caplog.records  # the caller tells the user, in their language; no English line of its own
