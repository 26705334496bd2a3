"""A home of its own for an app process a test starts: XDG folders, a short runtime folder, an instance name."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

XDG_FOLDERS = (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
               ("XDG_STATE_HOME", "state"))


def instance_name(prefix: str, name: str) -> str:
    """A single-instance name from a test's name (short: it ends up in an AF_UNIX path)."""
    return prefix + re.sub(r"[^A-Za-z0-9]+", "-", name)[:24]


def give_own_home(env: dict[str, str], home: Path, instance: str) -> str:
    """Point ``env``'s XDG folders into ``home`` and give it its own runtime folder; returns that folder.

    The runtime folder (the single-instance socket's) is a short temporary path: AF_UNIX paths are
    limited to ~107 bytes, which a pytest ``tmp_path`` can exceed.
    """
    for var, sub in XDG_FOLDERS:
        path = home / sub
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[var] = str(path)
    runtime = tempfile.mkdtemp(prefix="tct-")
    env["XDG_RUNTIME_DIR"] = runtime
    env["TIMECROWD_TRAY_INSTANCE"] = instance
    env["PYTHONUNBUFFERED"] = "1"
    return runtime
