"""End to end: a short seeded fault sequence loses, doubles, mistimes and misreports nothing.

The short version of ``make soak`` (benchmarks/fault_soak.py, whose docstring says
how a run is made and judged): the app as a user starts it, on a virtual screen
with trayer, signed in from a private gnome-keyring, against the emulator run in
this process; a few dozen seeded actions through the three front ends (clicks on
the docked icon, the toggle shortcut, the shell), each fault kind of the emulator
about once (kept short: no request outlives the client's timeouts), a revoked
token and a new sign-in, and two ``kill -9`` + relaunch (one while the server is
down, one at a calm moment). At the end the server's entries are compared with
what the user was told.

Needs Xvfb, xdpyinfo, trayer, xdotool (tests/support/virtual_screen.py) and
dbus-daemon + gnome-keyring (tests/secret_service.py): missing ones fail the test
under CI (``TIMECROWD_TRAY_REQUIRE_ALL=1``) and skip it loudly elsewhere. The
run's artifacts (every action, the app's --debug log of each launch, its outbox)
land in ``artifacts/soak-test/``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from support.tools import require
from support.virtual_screen import REQUIRED_TOOLS

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
ARTIFACTS = ROOT / "artifacts" / "soak-test"
SEED = 3


@pytest.mark.timeout(300)   # about 30 s here; the bound covers a slow machine, not a hang
def test_a_short_seeded_fault_sequence_loses_doubles_mistimes_and_misreports_nothing(tmp_path, monkeypatch):
    require(*REQUIRED_TOOLS, why="the fault sequence needs a virtual screen, a tray host and xdotool")
    require("dbus-daemon", "dbus-send", "gnome-keyring-daemon",
            why="the fault sequence signs in from a real Secret Service (Debian packages dbus, gnome-keyring)")
    if importlib.util.find_spec("Xlib") is None:
        require("python-xlib-missing", why="python-xlib (a test dependency) is needed to find the docked icon")
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("fault_soak", None)
    import fault_soak

    plan = fault_soak.Plan.short(seed=SEED)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    report = fault_soak.run(plan, ARTIFACTS, workdir=tmp_path)
    text = report.render()
    print(text)

    assert len(report.actions) == plan.actions
    assert {a.front for a in report.actions} == {"click", "hotkey", "shell"}
    assert sum(report.kills.values()) == 2
    assert set(fault_soak.FAULT_KINDS) <= {k.split()[0] for k in report.faults}, report.faults
    assert report.counts == {"lost": 0, "duplicated": 0, "mistimed": 0, "misreported": 0}, text
