"""``timecrowd-tray log`` while TimeCrowd answers 503: what was read before, as the server last confirmed it.

The user deleted an entry (the delete confirmed by the server); a minute later, offline,
``log`` (exit 4) still listed it. Now it is gone from the list, and the shell says the list
may be incomplete or out of date.
"""

from __future__ import annotations

import json

from test_cli_control import (  # noqa: F401 - fixtures
    _module_loop,
    app,
    emulator,
    qloop,
    run_cli,
    runtime_dir,
    task_id_by_title,
)

from timecrowd_tray.cli import EXIT_OK, EXIT_UNREACHABLE

DAY = "2020-01-06"  # a day with nothing on it


def test_an_entry_deleted_before_is_not_listed_offline(app, emulator, qtbot):  # noqa: F811 - fixtures
    state = emulator.state
    task = task_id_by_title(state, "Deploy to staging")
    for start, end in (("9:00", "10:00"), ("11:00", "12:00")):
        added = run_cli("add", "--task", str(task), "--from", start, "--to", end, "--date", DAY, qtbot=qtbot)
        assert added.returncode == EXIT_OK, added.stderr
    listed = json.loads(run_cli("log", "--date", DAY, "--json", qtbot=qtbot).stdout)
    kept, doomed = (e["id"] for e in listed)
    deleted = run_cli("delete", str(doomed), "--json", qtbot=qtbot)
    assert deleted.returncode == EXIT_OK and json.loads(deleted.stdout)["outcome"] == "done", deleted.stderr

    state.faults.fail_next(503, count=10_000)
    offline = run_cli("log", "--date", DAY, "--json", qtbot=qtbot)
    assert offline.returncode == EXIT_UNREACHABLE, (offline.stdout, offline.stderr)
    assert [e["id"] for e in json.loads(offline.stdout)] == [kept]
    human = run_cli("log", "--date", DAY, qtbot=qtbot)
    assert human.returncode == EXIT_UNREACHABLE
    assert f"#{kept}" in human.stdout and f"#{doomed}" not in human.stdout
    assert "Not all of this day's entries could be read" in human.stderr
    assert "may be incomplete or out of date" in human.stderr, human.stderr
    state.faults.clear()
