"""Settings stored with QSettings in the platform's usual place.

Linux: ``$XDG_CONFIG_HOME/timecrowd-tray/timecrowd-tray.conf`` (INI);
Windows: the registry; macOS: a plist. Only QtCore is used, so the shell
commands can read and write settings without a GUI.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSettings

from .. import APP_ID
from ..core.settings import SCHEMA, InvalidSetting, parse_setting

log = logging.getLogger(__name__)


class SettingsStore:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qs = qsettings or QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, APP_ID, APP_ID)
        if self._qs.status() != QSettings.Status.NoError:
            # A corrupt file: QSettings reads what it can; every bad value falls back below.
            log.warning("settings file %s could not be read fully (%s); using defaults where needed",
                        self._qs.fileName(), self._qs.status().name)

    @property
    def location(self) -> str:
        return self._qs.fileName()

    def get(self, key: str) -> Any:
        setting = SCHEMA[key]
        raw = self._qs.value(key)
        if raw is None:
            return setting.default
        try:
            return parse_setting(key, raw)
        except InvalidSetting as exc:
            log.warning("ignoring invalid setting %s (%s); using the default %r", key, exc, setting.default)
            return setting.default

    def is_set(self, key: str) -> bool:
        return self._qs.contains(key)

    def set(self, key: str, value: Any) -> Any:
        """Validate and store; raises InvalidSetting with a message for the user."""
        parsed = parse_setting(key, value)
        self._qs.setValue(key, SCHEMA[key].to_text(parsed))
        self._qs.sync()
        if self._qs.status() != QSettings.Status.NoError:
            raise OSError(f"cannot write the settings file {self._qs.fileName()}")
        return parsed

    def reset(self, key: str) -> None:
        SCHEMA[key]  # unknown keys raise KeyError like get/set
        self._qs.remove(key)
        self._qs.sync()

    def all(self) -> dict[str, Any]:
        return {key: self.get(key) for key in SCHEMA}


API_BASE_ENV = "TIMECROWD_API_BASE"


def resolve_api_base(explicit: str | None, store: SettingsStore | None = None) -> str:
    """The server to use: ``--api-base``, then ``$TIMECROWD_API_BASE``, then the setting.

    Raises :class:`InvalidSetting` for an unusable URL, naming where it came from.
    """
    import os

    for source, value in (("--api-base", explicit), (API_BASE_ENV, os.environ.get(API_BASE_ENV))):
        if value:
            try:
                return parse_setting("api_base", value)
            except InvalidSetting as exc:
                raise InvalidSetting(f"{source}: {exc}") from None
    return (store or SettingsStore()).get("api_base")
