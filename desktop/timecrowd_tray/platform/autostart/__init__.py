"""Start at login: one small interface, one module per platform.

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/timecrowd-tray.desktop``
* Windows: the ``TimeCrowd Tray`` value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``
* macOS: ``~/Library/LaunchAgents/net.timecrowd.tray.plist``

The ``autostart`` setting is the source of truth; :func:`apply_autostart` makes
the system match it and is called wherever the setting changes (the settings
dialog, ``timecrowd-tray config set autostart ...``).
"""

from __future__ import annotations

import os
import sys
from abc import ABC, abstractmethod
from pathlib import Path

from ... import APP_ID


class AutostartError(OSError):
    """The start-at-login entry could not be written or removed; the message is for the user."""


class AutostartBackend(ABC):
    name = "?"

    @abstractmethod
    def set_enabled(self, enabled: bool) -> None:
        """Create (True) or remove (False) the entry; raises :class:`AutostartError`."""

    @abstractmethod
    def is_enabled(self) -> bool:
        """Whether the system will start the app at the next login."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the entry lives, for messages and the README."""


def launcher_argv(argv0: str | None = None, executable: str | None = None) -> list[str]:
    """The command that starts this app the way it was installed.

    The ``timecrowd-tray`` launcher when this process was started through it
    (``sys.argv[0]``, resolved) or when it sits next to the interpreter (a
    virtualenv's ``bin/``); otherwise ``python -m timecrowd_tray`` with this
    interpreter. The interpreter's path is kept as is, never resolved: a
    virtualenv's ``bin/python`` is a symlink whose target has no packages.
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = executable or sys.executable
    script = Path(argv0) if argv0 else None
    names = {APP_ID, APP_ID + ".exe", APP_ID + "-script.py"}
    if script is not None and script.name in names and script.exists():
        return [str(script.resolve())]
    for name in (APP_ID, APP_ID + ".exe"):
        beside = Path(os.path.abspath(executable)).parent / name
        if beside.is_file() and os.access(beside, os.X_OK):
            return [str(beside)]
    return [os.path.abspath(executable), "-m", "timecrowd_tray"]


def autostart_backend(platform: str | None = None) -> AutostartBackend:
    platform = platform or sys.platform
    if platform == "win32":
        from .windows import WindowsRunKey

        return WindowsRunKey()
    if platform == "darwin":
        from .macos import LaunchAgent

        return LaunchAgent()
    from .xdg import XdgAutostart

    return XdgAutostart()


def apply_autostart(enabled: bool) -> None:
    """Make start-at-login match the setting; raises :class:`AutostartError` with a message for the user."""
    autostart_backend().set_enabled(bool(enabled))


def is_enabled() -> bool:
    return autostart_backend().is_enabled()


def set_enabled(enabled: bool) -> None:
    apply_autostart(enabled)


__all__ = ["AutostartBackend", "AutostartError", "apply_autostart", "autostart_backend", "is_enabled",
           "launcher_argv", "set_enabled"]
