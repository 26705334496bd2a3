"""Settings stored with QSettings in the platform's usual place.

Linux: ``$XDG_CONFIG_HOME/timecrowd-tray/timecrowd-tray.conf`` (INI);
Windows: the registry; macOS: a plist. Only QtCore is used, so the shell
commands can read and write settings without a GUI.

A write says what really happened: :meth:`SettingsStore.set` and
:meth:`~SettingsStore.reset` sync, then read the value back from the disk (a
scratch copy of the file, so Qt's in-process cache of it cannot answer), and
raise :class:`SettingsWriteError` unless it is there. ``QSettings.status()``
alone cannot tell: it keeps the *first* error it met, so after reading a
damaged file (``FormatError``) a write that failed (``AccessError``) goes
unreported, and one that worked still shows ``FormatError``.

Another process's changes (``timecrowd-tray config set``) are read at
:meth:`SettingsStore.reload`; until then Qt answers from what it read before.

A damaged file is read as far as Qt can, every bad value falls back to its
default, and before it is first written again (which drops what Qt could not
read) a copy of it is kept next to it (``*.corrupt-<unix time>``,
:attr:`SettingsStore.unreadable_copy`).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from .. import APP_ID
from ..core.settings import SCHEMA, InvalidSetting, parse_setting

log = logging.getLogger(__name__)

_ABSENT = object()


class SettingsWriteError(OSError):
    """A setting could not be stored (or removed): the settings are as they were. The message says why."""


class SettingsStore:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qs = qsettings or QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, APP_ID, APP_ID)
        self._damaged = self._qs.status() == QSettings.Status.FormatError
        self.unreadable_copy: Path | None = None  # where the damaged file was copied before being rewritten
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

    def reload(self) -> None:
        """Read the file again: another process (``timecrowd-tray config set``) may have changed it.

        Qt keeps the file in memory for the whole process and reads it again only at a sync
        (which also writes what this process changed and has not written yet).
        """
        self._qs.sync()

    def is_set(self, key: str) -> bool:
        return self._qs.contains(key)

    def set(self, key: str, value: Any) -> Any:
        """Validate and store; raises InvalidSetting with a message for the user, and
        :class:`SettingsWriteError` when the value did not reach the disk (the setting is then
        as it was, in this store too)."""
        parsed = parse_setting(key, value)
        previous = self._qs.value(key)
        self._keep_damaged_copy()
        self._qs.setValue(key, SCHEMA[key].to_text(parsed))
        self._qs.sync()
        stored = self._stored(key)
        if stored is _ABSENT or not _same(key, stored, parsed):
            self._undo(key, previous)
            raise SettingsWriteError(f"cannot write the settings file {self._qs.fileName()} ({self._why()}); "
                                     f"{key} was not changed")
        return parsed

    def reset(self, key: str) -> None:
        """Back to the default (the key leaves the file); raises :class:`SettingsWriteError` when
        the file still has it."""
        SCHEMA[key]  # unknown keys raise KeyError like get/set
        previous = self._qs.value(key)
        self._keep_damaged_copy()
        self._qs.remove(key)
        self._qs.sync()
        if self._stored(key) is not _ABSENT:
            self._undo(key, previous)
            raise SettingsWriteError(f"cannot write the settings file {self._qs.fileName()} ({self._why()}); "
                                     f"{key} was not reset")

    def all(self) -> dict[str, Any]:
        return {key: self.get(key) for key in SCHEMA}

    # -- checking what reached the disk ---------------------------------------------------

    def _file_backed(self) -> bool:
        """An INI file (Linux's native format, or IniFormat anywhere), not the registry or CFPreferences."""
        native = self._qs.format() == QSettings.Format.NativeFormat
        return not (native and sys.platform in ("win32", "darwin"))

    def _stored(self, key: str) -> Any:
        """``key``'s raw value as stored now (``_ABSENT`` when not there), read anew from the disk."""
        if not self._file_backed():
            raw = QSettings(self._qs.fileName(), self._qs.format()).value(key)
            return _ABSENT if raw is None else raw
        name = Path(self._qs.fileName())
        try:
            with tempfile.TemporaryDirectory(prefix="timecrowd-tray-settings-") as scratch:
                copy = Path(scratch) / name.name
                shutil.copyfile(name, copy)
                reader = QSettings(str(copy), self._qs.format())
                raw = reader.value(key)
                del reader
        except FileNotFoundError:
            return _ABSENT
        except OSError as exc:
            log.warning("settings file %s could not be read back: %s", name, exc)
            return _ABSENT
        return _ABSENT if raw is None else raw

    def _undo(self, key: str, previous: Any) -> None:
        """After a failed write: this store shows what the disk has, not what it could not take."""
        if previous is None:
            self._qs.remove(key)
        else:
            self._qs.setValue(key, previous)

    def _why(self) -> str:
        """The system's reason a file cannot be written there, when it gives one."""
        if self._file_backed():
            folder = Path(self._qs.fileName()).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
                os.close(fd)
                os.unlink(probe)
                with open(self._qs.fileName(), "ab"):
                    pass
            except OSError as exc:
                return exc.strerror or str(exc)
        status = self._qs.status()
        return f"Qt reports {status.name}" if status != QSettings.Status.NoError else "it did not keep the value"

    def _keep_damaged_copy(self) -> None:
        """Before a damaged file is written again (Qt then drops what it could not read): a copy of it."""
        if not self._damaged or self.unreadable_copy is not None or not self._file_backed():
            return
        name = Path(self._qs.fileName())
        copy = name.with_name(f"{name.name}.corrupt-{int(time.time())}")
        try:
            shutil.copy2(name, copy)
        except OSError as exc:
            log.warning("settings file %s could not be copied before being rewritten: %s", name, exc)
            return
        self.unreadable_copy = copy
        log.warning("settings file %s could not be read fully: a copy of it is kept at %s", name, copy)


def _same(key: str, raw: Any, expected: Any) -> bool:
    try:
        return parse_setting(key, raw) == expected
    except InvalidSetting:
        return False


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
