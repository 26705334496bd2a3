"""The seed: deterministic, realistic, and covering every rule's fixture."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

from timecrowd_tray.emulator import EmulatorState, seed
from timecrowd_tray.emulator.timefmt import JST


def test_seed_is_deterministic_for_a_fixed_now(clock):
    a = EmulatorState.seeded(clock=clock).snapshot()
    b = EmulatorState.seeded(clock=clock).snapshot()
    assert a == b


def test_demo_user_is_idle_with_weeks_of_history(state, clock):
    me = state.me_id
    assert state.users[me]["nickname"] == "山田 花子 (demo)"
    assert state.running_entry(me) is None
    entries = state.entries_of(me)
    assert len(entries) >= 40
    assert entries == sorted(entries, key=lambda e: e["started_at"], reverse=True)
    oldest = clock.now - entries[-1]["started_at"]
    assert oldest > 14 * 86400
    weekdays = {datetime.fromtimestamp(e["started_at"], JST).weekday() for e in entries}
    assert weekdays <= {0, 1, 2, 3, 4}
    for entry in entries:
        assert entry["stopped_at"] is not None and entry["stopped_at"] <= clock.now
        assert 15 * 60 <= entry["stopped_at"] - entry["started_at"] <= 2 * 3600
    assert any(e["comment_id"] for e in entries)


def test_catalogue_has_the_needed_oddities(state):
    titles = {t["title"] for t in state.tasks.values()}
    assert {"週次定例ミーティング", "Code review", "請求書の作成", "Bug triage #214"} <= titles
    assert 28 <= len(state.tasks) <= 40
    assert any(t["deleted_at"] for t in state.tasks.values())
    assert any(c["deleted_at"] for c in state.categories.values())
    my_teams = [state.teams[t] for t in state.users[state.me_id]["team_ids"]]
    assert {"株式会社デモ", "Open Source Guild"} <= {t["name"] for t in my_teams}
    assert any(t["tasks_readonly"] for t in my_teams)
    assert sum(not t["tasks_readonly"] for t in my_teams) >= 2


def test_someone_else_is_working_right_now(state):
    rows = state.working_users(state.me_id)
    assert rows and all(user["id"] != state.me_id for user, _ in rows)


def test_the_seed_imports_nothing_of_the_store():
    # The store calls the seed (EmulatorState.seeded); the seed knows the store only as a SeedTarget.
    tree = ast.parse(Path(seed.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                 for alias in node.names}
    assert not any(name and name.split(".")[-1] == "store" for name in imported), imported
