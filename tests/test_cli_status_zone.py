"""``status --json`` carries its times in the account's zone, as ``log --json`` does (core.today.user_timezone).

A user in Tokyo on a machine set to UTC saw ``"started_at": "...T00:16:00+00:00"`` from ``status``
and ``"...T09:16:00+09:00"`` from ``log`` for the same entry. The shell runs with ``TZ=UTC``; the demo
account's zone is Asia/Tokyo.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from test_cli_control import (  # noqa: F401 - fixtures
    _module_loop,
    app,
    emulator,
    qloop,
    run_cli,
    runtime_dir,
    signed_in,
    status_json,
)

from timecrowd_tray.cli import EXIT_OK
from timecrowd_tray.core.status import status_document

from secret_service import secret_service  # noqa: F401 - fixture

UTC_MACHINE = {"TZ": "UTC"}


@pytest.fixture
def utc_machine(monkeypatch):
    """This process (the in-process app) on a machine set to UTC too."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_document_writes_started_at_in_the_zone_it_is_given():
    task = type("T", (), {"id": 1, "title": "t", "team_name": "team"})()
    start = datetime(2025, 10, 21, 0, 16, tzinfo=UTC)
    doc = status_document(state="running", task=task, started_at=start, now=start + timedelta(seconds=5),
                          source="app", zone=ZoneInfo("Asia/Tokyo"))
    assert doc["started_at"] == "2025-10-21T09:16:00+09:00"
    assert doc["elapsed_seconds"] == 5
    fixed = status_document(state="running", task=task, started_at=start, source="app",
                            zone=timezone(timedelta(hours=-5)))
    assert fixed["started_at"] == "2025-10-20T19:16:00-05:00"


def _running_in_log(result) -> dict:
    assert result.returncode in (EXIT_OK, 4), result.stderr
    [running] = [e for e in json.loads(result.stdout) if e["stopped_at"] is None]
    return running


def test_status_from_the_app_is_in_the_accounts_zone_as_log_is(app, utc_machine, qtbot):  # noqa: F811
    started = run_cli("start", "週次", qtbot=qtbot, env=UTC_MACHINE)
    assert started.returncode == EXIT_OK, started.stderr
    doc = status_json(run_cli("status", "--json", qtbot=qtbot, env=UTC_MACHINE))
    assert doc["state"] == "running"
    assert doc["started_at"].endswith("+09:00"), doc  # Asia/Tokyo, not the machine's +00:00
    logged = _running_in_log(run_cli("log", "--json", qtbot=qtbot, env=UTC_MACHINE))
    assert doc["started_at"] == logged["started_at"]
    assert run_cli("stop", qtbot=qtbot, env=UTC_MACHINE).returncode == EXIT_OK


def test_status_without_the_app_is_in_the_accounts_zone_as_log_is(signed_in):  # noqa: F811
    api = ("--api-base", signed_in.url)
    assert run_cli(*api, "start", "週次", env=UTC_MACHINE).returncode == EXIT_OK
    doc = status_json(run_cli(*api, "status", "--json", env=UTC_MACHINE))
    assert doc["state"] == "running" and doc["source"] == "api"
    assert doc["started_at"].endswith("+09:00"), doc
    logged = _running_in_log(run_cli(*api, "log", "--json", env=UTC_MACHINE))
    assert doc["started_at"] == logged["started_at"]
