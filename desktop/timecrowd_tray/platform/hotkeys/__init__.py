"""Global shortcuts behind one small interface, the backend picked at run time.

Priority (the first that initialises wins, as Vorta picks its keyring):

* Linux, Wayland session (``WAYLAND_DISPLAY``, or ``XDG_SESSION_TYPE=wayland``):
  the desktop portal; never X11: a grab through XWayland only sees keys typed
  into X11 windows, which is worse than useless for a global shortcut.
* Linux, X11 session (``DISPLAY``): XGrabKey, then the portal.
* Windows: RegisterHotKey. macOS: Carbon RegisterEventHotKey.
* Everywhere else, or when every candidate fails: :class:`NullBackend`,
  whose message tells the user to bind a desktop shortcut to
  ``timecrowd-tray toggle``.

The portal backend is chosen without asking the bus anything (the caller is the
UI thread, which never waits on D-Bus): its first bind, on the asyncio loop,
finds out whether the desktop offers ``GlobalShortcuts``, and a desktop without
it is reported through ``on_problem`` (name ``"*"``, a :class:`HotkeyUnsupported`),
which the controls tell as they tell a :class:`NullBackend`'s refusals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from ..backend_choice import ChoiceLog, candidates_by_priority
from .base import (
    FALLBACK_HINT,
    HotkeyBackend,
    HotkeyConflict,
    HotkeyError,
    HotkeyUnsupported,
    InvalidKeySequence,
    KeySequence,
    NullBackend,
    parse_sequence,
)

log = logging.getLogger(__name__)

__all__ = [
    "FALLBACK_HINT", "HotkeyBackend", "HotkeyConflict", "HotkeyError", "HotkeyUnsupported",
    "InvalidKeySequence", "KeySequence", "NullBackend", "backend_candidates", "create_hotkey_backend",
    "parse_sequence",
]

#: Set to a backend name (x11, portal, windows, macos, none) to override the choice.
BACKEND_ENV = "TIMECROWD_TRAY_HOTKEY_BACKEND"


def backend_candidates(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """Backend names to try, best first, for a platform and environment (pure)."""
    return candidates_by_priority(BACKEND_ENV, wayland=["portal"], x11=["x11", "portal"],
                                  platform=platform, env=env)


def _make(name: str) -> HotkeyBackend:
    if name == "x11":
        from .x11 import X11Backend

        return X11Backend()
    if name == "portal":
        from .portal import PortalBackend

        return PortalBackend()  # sends nothing yet: see the module docstring
    if name == "windows":
        from .windows import WindowsBackend

        return WindowsBackend()
    if name == "macos":
        from .macos import MacOSBackend

        return MacOSBackend()
    if name == "none":
        return NullBackend("turned off by " + BACKEND_ENV)
    raise HotkeyUnsupported(f"unknown shortcut backend {name!r}")


def create_hotkey_backend(candidates: list[str] | None = None,
                          factory: Callable[[str], HotkeyBackend] = _make) -> HotkeyBackend:
    """The first backend that initialises, or a :class:`NullBackend` saying why there is none."""
    choice = ChoiceLog(log, "global shortcuts")
    for name in candidates if candidates is not None else backend_candidates():
        try:
            backend = factory(name)
        except HotkeyError as exc:
            choice.unavailable(name, exc)
            continue
        except Exception as exc:  # noqa: BLE001 - a broken backend must not stop the app
            choice.failed(name, exc)
            continue
        choice.chose(backend.name)
        return backend
    return NullBackend(choice.none_chosen("no backend for this platform"))
