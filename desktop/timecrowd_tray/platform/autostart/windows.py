"""Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

:func:`run_value` is pure (tested everywhere); :class:`WindowsRunKey` uses
``winreg`` and runs on Windows only.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ... import APP_NAME
from . import AutostartBackend, AutostartError, launcher_argv

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = APP_NAME


def windowless(argv: list[str]) -> list[str]:
    """Prefer ``pythonw.exe`` to ``python.exe``, so no console window opens at login."""
    if argv and Path(argv[0]).name.lower() == "python.exe":
        candidate = Path(argv[0]).with_name("pythonw.exe")
        if candidate.exists():
            return [str(candidate), *argv[1:]]
    return list(argv)


def run_value(argv: list[str]) -> tuple[str, str, str]:
    """(key path under HKCU, value name, REG_SZ data) for the command ``argv``."""
    return RUN_KEY, VALUE_NAME, subprocess.list2cmdline(argv)


class WindowsRunKey(AutostartBackend):  # pragma: no cover - needs winreg
    name = "windows"

    def __init__(self, argv: list[str] | None = None) -> None:
        self._argv = argv

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{VALUE_NAME}"

    def set_enabled(self, enabled: bool) -> None:
        import winreg

        key_path, name, data = run_value(windowless(self._argv or launcher_argv()))
        try:
            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_SET_VALUE) as key:
                if enabled:
                    winreg.SetValueEx(key, name, 0, winreg.REG_SZ, data)
                else:
                    try:
                        winreg.DeleteValue(key, name)
                    except FileNotFoundError:
                        pass
        except OSError as exc:
            raise AutostartError(f"cannot change {self.location}: {exc}") from None

    def is_enabled(self) -> bool:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_READ) as key:
                value, _kind = winreg.QueryValueEx(key, VALUE_NAME)
        except OSError:
            return False
        return bool(value)


__all__ = ["RUN_KEY", "VALUE_NAME", "WindowsRunKey", "run_value", "windowless"]
