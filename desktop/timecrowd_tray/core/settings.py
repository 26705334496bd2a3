"""The user's settings: keys, defaults and validation, with no storage and no Qt.

The settings dialog, ``timecrowd-tray config`` and the app all go through
:data:`SCHEMA`, so a value the shell refuses is one the dialog refuses too.
Storage lives in :mod:`timecrowd_tray.platform.settings_store`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .endpoint import DEFAULT_API_BASE, InvalidApiBase, normalize_api_base


class InvalidSetting(ValueError):
    """A value a setting cannot take; the message says which values it can."""


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise InvalidSetting("expected true or false")


def _parse_api_base(value: Any) -> str:
    try:
        return normalize_api_base(str(value))
    except InvalidApiBase as exc:
        raise InvalidSetting(str(exc)) from None


POLL_INTERVAL_MIN = 10
POLL_INTERVAL_MAX = 3600


def _parse_poll_interval(value: Any) -> int:
    try:
        seconds = int(str(value).strip())
    except ValueError:
        raise InvalidSetting("expected a whole number of seconds") from None
    if not POLL_INTERVAL_MIN <= seconds <= POLL_INTERVAL_MAX:
        raise InvalidSetting(f"expected between {POLL_INTERVAL_MIN} and {POLL_INTERVAL_MAX} seconds")
    return seconds


def _whole_in(low: int, high: int, *, hours: bool = False) -> Callable[[Any], int]:
    """A parser of a whole number of minutes (``hours``: of hours) from ``low`` to ``high``; 0 turns it off."""

    def parse(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            if hours:
                raise InvalidSetting("expected a whole number of hours (0: off)") from None
            raise InvalidSetting("expected a whole number of minutes (0: off)") from None
        if not low <= number <= high:
            if hours:
                raise InvalidSetting(f"expected between {low} and {high} hours (0: off)")
            raise InvalidSetting(f"expected between {low} and {high} minutes (0: off)")
        return number

    return parse


def _parse_remind_hours(value: Any) -> str:
    from .reminders import parse_hours

    try:
        start, end = parse_hours(str(value))
    except ValueError as exc:
        raise InvalidSetting(str(exc)) from None
    return f"{start:%H:%M}-{'24:00' if end.second else f'{end:%H:%M}'}"


def _parse_remind_days(value: Any) -> str:
    from .reminders import days_text, parse_days

    try:
        return days_text(parse_days(str(value)))
    except ValueError as exc:
        raise InvalidSetting(str(exc)) from None


LANGUAGES = ("system", "ja", "en")


def _parse_language(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in LANGUAGES:
        raise InvalidSetting("expected one of: " + ", ".join(LANGUAGES))
    return text


_MODIFIERS = {"ctrl", "alt", "shift", "meta", "super"}


def _parse_hotkey(value: Any) -> str:
    """A portable key sequence such as ``Ctrl+Alt+T`` (Qt's PortableText), or empty for none."""
    text = str(value).strip()
    if not text:
        return ""
    parts = [p.strip() for p in text.split("+")]
    if any(not p for p in parts):
        raise InvalidSetting("expected a shortcut such as Ctrl+Alt+T (or an empty value for none)")
    *mods, key = parts
    bad = [m for m in mods if m.lower() not in _MODIFIERS]
    if bad:
        raise InvalidSetting(f"unknown modifier {bad[0]!r}: use Ctrl, Alt, Shift or Meta")
    if not mods:
        raise InvalidSetting("a global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta)")
    if key.lower() in _MODIFIERS:
        raise InvalidSetting("the shortcut needs a key after its modifiers, such as Ctrl+Alt+T")
    canonical = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta", "super": "Meta"}
    order = ["Ctrl", "Alt", "Shift", "Meta"]
    names = sorted({canonical[m.lower()] for m in mods}, key=order.index)
    return "+".join(names + [key.upper() if len(key) == 1 else key[:1].upper() + key[1:]])


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    def to_text(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)


SCHEMA: dict[str, Setting] = {s.key: s for s in (
    Setting("api_base", DEFAULT_API_BASE, _parse_api_base, "TimeCrowd server URL (https, or http on loopback)"),
    # Ctrl+Alt+T opens a terminal on Ubuntu/GNOME; Ctrl+Shift+letters are taken by editors and
    # browsers. Ctrl+Alt+Shift with a letter is, in practice, free on the common desktops.
    Setting("hotkey.toggle", "Ctrl+Alt+Shift+T", _parse_hotkey, "global shortcut: start/stop the timer"),
    Setting("hotkey.palette", "Ctrl+Alt+Shift+Space", _parse_hotkey, "global shortcut: open the task palette"),
    Setting("poll_interval", 30, _parse_poll_interval, "seconds between checks of the running entry"),
    Setting("comment_on_stop", True, _parse_bool, "ask for a comment when the timer stops"),
    Setting("notifications", False, _parse_bool,
            "also notify on your own starts/stops (errors and changes made elsewhere are always shown)"),
    Setting("language", "system", _parse_language, "user interface language: system, ja or en"),
    Setting("autostart", False, _parse_bool, "start TimeCrowd Tray at login"),
    # Away time and reminders (core/idle.py, core/reminders.py).
    Setting("idle_minutes", 10, _whole_in(0, 480),
            "ask what to do with the time away after this many minutes without input (0: off)"),
    Setting("remind_minutes", 15, _whole_in(0, 480),
            "remind to start the timer after this many active minutes not tracking (0: off)"),
    Setting("remind_hours", "09:00-18:00", _parse_remind_hours, "working hours for reminders, such as 09:00-18:00"),
    Setting("remind_days", "mon,tue,wed,thu,fri", _parse_remind_days, "working days for reminders, such as mon-fri"),
    Setting("remind_max_hours", 10, _whole_in(0, 48, hours=True),
            "offer to end a timer running longer than this many hours (0: only across the night)"),
)}


def parse_setting(key: str, value: Any) -> Any:
    """Validate ``value`` for ``key`` and return it in its canonical type."""
    setting = SCHEMA.get(key)
    if setting is None:
        raise InvalidSetting(f"unknown setting {key!r}; known: {', '.join(SCHEMA)}")
    try:
        return setting.parse(value)
    except InvalidSetting as exc:
        raise InvalidSetting(f"{key}: {exc}") from None
