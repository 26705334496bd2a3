"""macOS: a LaunchAgent, ``~/Library/LaunchAgents/net.timecrowd.tray.plist``.

launchd reads the agents of that folder at login (``RunAtLoad``). Writing the
file does not start anything now, and removing it does not stop the running
app. :func:`launch_agent` is pure (tested everywhere).
"""

from __future__ import annotations

import os
import plistlib
from pathlib import Path
from typing import Any

from . import AutostartBackend, AutostartError, launcher_argv

LABEL = "net.timecrowd.tray"


def launch_agent(home: Path, argv: list[str]) -> tuple[Path, dict[str, Any]]:
    """(plist path, plist contents) of the agent that runs ``argv`` at login."""
    path = Path(home) / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    return path, {
        "Label": LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


class LaunchAgent(AutostartBackend):
    name = "macos"

    def __init__(self, home: Path | None = None, argv: list[str] | None = None) -> None:
        self._home = home
        self._argv = argv

    @property
    def path(self) -> Path:
        return launch_agent(self._home or Path.home(), [])[0]

    @property
    def location(self) -> str:
        return str(self.path)

    def set_enabled(self, enabled: bool) -> None:
        path, contents = launch_agent(self._home or Path.home(), self._argv or launcher_argv())
        try:
            if not enabled:
                path.unlink(missing_ok=True)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                plistlib.dump(contents, fh)
            os.replace(tmp, path)
        except OSError as exc:
            what = "write" if enabled else "remove"
            raise AutostartError(f"cannot {what} {path}: {exc.strerror or exc}") from None

    def is_enabled(self) -> bool:
        try:
            with open(self.path, "rb") as fh:
                data = plistlib.load(fh)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return bool(data.get("RunAtLoad")) and not data.get("Disabled", False)
