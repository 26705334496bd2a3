"""The language the shell prints in (:func:`language`): the ``language`` setting, else the system's.

Read for each message (from the settings file itself on Linux: cheap, and a
``config set language`` shows at the next line); ``system`` follows ``$LANGUAGE``,
``$LC_ALL``, ``$LC_MESSAGES`` and ``$LANG`` as Qt does for the app (Windows and
macOS: Qt's system locale).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from .. import APP_ID

SUPPORTED = ("ja", "en")
FALLBACK = "en"


def language() -> str:
    """The language to print in: "ja" or "en", from the ``language`` setting."""
    setting = _language_setting()
    return setting if setting in SUPPORTED else system_language()


def system_language(environ: dict[str, str] | None = None) -> str:
    """The language ``system`` stands for: the first of the locale's languages we have, else English.

    As Qt reads them for the app (``QLocale.system().uiLanguages()``): ``$LANGUAGE`` (a list,
    ``ja:en``) when set, else the first of ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG``.
    Windows and macOS keep the language elsewhere: Qt tells, there.
    """
    env = os.environ if environ is None else environ
    names = [n for n in env.get("LANGUAGE", "").split(":") if n]
    if not names:
        names = [next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")]
    if names == [""] and environ is None and sys.platform in ("win32", "darwin"):
        from ..ui.i18n import resolve_language  # QtCore only

        return resolve_language("system")
    for name in names:
        primary = re.split(r"[-_.@]", name, maxsplit=1)[0].lower()
        if primary in SUPPORTED:
            return primary
    return FALLBACK


def _language_setting() -> str:
    from ..core.settings import SCHEMA, InvalidSetting

    value = _stored_language()
    try:
        return str(SCHEMA["language"].parse(value)) if value is not None else "system"
    except InvalidSetting:
        return "system"


def settings_file() -> Path:
    """Where QSettings keeps the settings on Linux (and the BSDs): an INI file under $XDG_CONFIG_HOME."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return folder / APP_ID / f"{APP_ID}.conf"


def _stored_language() -> Any:
    """The stored ``language`` value (None when absent): QSettings when QtCore is loaded anyway (or
    the settings are not a file), else the INI file read here."""
    if "PySide6.QtCore" in sys.modules or sys.platform in ("win32", "darwin"):
        from PySide6.QtCore import QSettings

        return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, APP_ID, APP_ID).value("language")
    return ini_value(settings_file(), "language")


def ini_value(path: Path, key: str) -> str | None:
    """``key`` of the ``[General]`` section of a QSettings INI file (None: no file, no such key)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    section = "General"
    found = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == "General" and "=" in line and not line.startswith(";"):
            name, _, value = line.partition("=")
            if name.strip() == key:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                found = value
    return found
