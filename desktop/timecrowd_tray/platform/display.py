"""Is there a screen to put a tray icon on?"""

from __future__ import annotations

import os
import sys


def missing_display_message(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """A message when a Linux/BSD process has no X11 or Wayland display, else None.

    Without one, Qt prints a plugin error and aborts the process; this says what to do instead.
    """
    env = os.environ if environ is None else environ
    if platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set. Start TimeCrowd Tray from "
            "your desktop session (or set QT_QPA_PLATFORM=offscreen to run it without a screen). "
            "The shell commands (status, toggle, start, stop, login, config) work without one.")
