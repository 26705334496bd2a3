"""XDG autostart (freedesktop.org Desktop Application Autostart Specification).

The desktop starts every ``*.desktop`` file in ``$XDG_CONFIG_HOME/autostart``
at login (GNOME, KDE Plasma, XFCE, LXQt, Cinnamon, MATE; i3/sway through
``dex`` or similar).
"""

from __future__ import annotations

import os
from pathlib import Path

from ... import APP_ID, APP_NAME
from . import AutostartBackend, AutostartError, launcher_argv

FILE_NAME = f"{APP_ID}.desktop"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def autostart_dir(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "autostart"


def _quote_arg(arg: str) -> str:
    # Desktop Entry spec, "The Exec key": quote arguments with reserved characters; inside
    # double quotes, backslash-escape " ` $ \ ; a literal % is written %%.
    arg = arg.replace("%", "%%")
    if arg and not any(c in _RESERVED for c in arg):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def exec_line(argv: list[str]) -> str:
    """The ``Exec=`` value for ``argv``, escaped twice as the spec asks (quoting, then string escapes)."""
    quoted = " ".join(_quote_arg(a) for a in argv)
    return quoted.replace("\\", "\\\\")


def desktop_entry(argv: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        "Comment=TimeCrowd time tracking in the system tray",
        f"Exec={exec_line(argv)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Utility;",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def _read_keys(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    group = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif group == "Desktop Entry" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


class XdgAutostart(AutostartBackend):
    name = "xdg"

    def __init__(self, directory: Path | None = None, argv: list[str] | None = None) -> None:
        self._dir = directory
        self._argv = argv

    @property
    def path(self) -> Path:
        return (self._dir or autostart_dir()) / FILE_NAME

    @property
    def location(self) -> str:
        return str(self.path)

    def set_enabled(self, enabled: bool) -> None:
        path = self.path
        try:
            if not enabled:
                path.unlink(missing_ok=True)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(desktop_entry(self._argv or launcher_argv()), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            what = "write" if enabled else "remove"
            raise AutostartError(f"cannot {what} the autostart entry {path}: {exc.strerror or exc}") from None

    def is_enabled(self) -> bool:
        path = self.path
        if not path.is_file():
            return False
        try:
            keys = _read_keys(path)
        except OSError:
            return False
        return (keys.get("Hidden", "false").lower() != "true"
                and keys.get("X-GNOME-Autostart-enabled", "true").lower() != "false")
