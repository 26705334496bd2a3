"""Idle time, sleep and lock behind one small interface, the backends picked at run time.

Idle time (:class:`.base.IdleSource`): the first that works, by priority, as
the global shortcuts pick theirs (:mod:`timecrowd_tray.platform.hotkeys`):

* Linux, Wayland session: GNOME Mutter's idle monitor, then the session's
  org.freedesktop.ScreenSaver (KDE); an X11 query through XWayland would only
  see input into X11 windows.
* Linux, X11 session: Mutter's monitor (signals, no polling), then the
  MIT-SCREEN-SAVER extension (libXss), then org.freedesktop.ScreenSaver.
* Windows: GetLastInputInfo. macOS: the HID idle time.
* Otherwise, or when every candidate fails: :class:`.base.NullIdleSource`
  (the user always looks present; sleep still counts).

Presence events (:class:`.base.PresenceSource`): every one that starts is used:
logind (sleep, lock), the screen saver's ActiveChanged, and Mutter's watches
when Mutter is the idle source. The clocks (:mod:`.clock_jump`) tell a sleep
when nothing else does.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable, Mapping

from ..backend_choice import ChoiceLog, candidates_by_priority
from .base import IdleSource, IdleUnavailable, NullIdleSource, PresenceEvent, PresenceKind, PresenceSource

log = logging.getLogger(__name__)

__all__ = [
    "IdleSource", "IdleUnavailable", "NullIdleSource", "PresenceEvent", "PresenceKind", "PresenceSource",
    "create_idle_source", "create_presence_sources", "idle_candidates",
]

#: Set to a backend name (mutter, x11, screensaver, windows, macos, none) to override the choice.
BACKEND_ENV = "TIMECROWD_TRAY_IDLE_BACKEND"


def idle_candidates(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """Idle-time backend names to try, best first (pure)."""
    return candidates_by_priority(BACKEND_ENV, wayland=["mutter", "screensaver"],
                                  x11=["mutter", "x11", "screensaver"], platform=platform, env=env)


async def _make(name: str) -> IdleSource:
    if name == "x11":
        from .x11_xss import X11IdleSource

        return X11IdleSource()
    if name == "mutter":
        from .mutter_idle import MutterIdle

        return await MutterIdle.create()
    if name == "screensaver":
        from .dbus_screensaver import ScreenSaverIdle

        return await ScreenSaverIdle.create()
    if name == "windows":
        from .windows import WindowsIdleSource

        return WindowsIdleSource()
    if name == "macos":
        from .macos import MacOSIdleSource

        return MacOSIdleSource()
    if name == "none":
        return NullIdleSource("turned off by " + BACKEND_ENV)
    raise IdleUnavailable(f"unknown idle backend {name!r}")


async def create_idle_source(candidates: list[str] | None = None,
                             factory: Callable[[str], Awaitable[IdleSource]] = _make) -> IdleSource:
    """The first idle source that works, or a :class:`NullIdleSource` saying why there is none."""
    choice = ChoiceLog(log, "idle time")
    for name in candidates if candidates is not None else idle_candidates():
        try:
            source = await factory(name)
        except IdleUnavailable as exc:
            choice.unavailable(name, exc)
            continue
        except Exception as exc:  # noqa: BLE001 - a broken backend must not stop the app
            choice.failed(name, exc)
            continue
        choice.chose(source.name)
        return source
    return NullIdleSource(choice.none_chosen("no idle-time backend for this platform"))


def presence_candidates(platform: str | None = None) -> list[str]:
    platform = platform or sys.platform
    if platform.startswith("linux") or "bsd" in platform:
        return ["logind", "screensaver"]
    return []


def _make_presence(name: str) -> PresenceSource:
    if name == "logind":
        from .logind import LogindSource

        return LogindSource()
    if name == "screensaver":
        from .dbus_screensaver import ScreenSaverPresence

        return ScreenSaverPresence()
    raise IdleUnavailable(f"unknown presence source {name!r}")


async def create_presence_sources(emit: Callable[[PresenceEvent], None], idle: IdleSource | None = None,
                                  candidates: list[str] | None = None,
                                  factory: Callable[[str], PresenceSource] = _make_presence) -> list[PresenceSource]:
    """Every presence source that starts (the idle source too, when it is one), listening to ``emit``."""
    started: list[PresenceSource] = []
    sources: list[PresenceSource] = [idle] if isinstance(idle, PresenceSource) else []
    for name in candidates if candidates is not None else presence_candidates():
        try:
            sources.append(factory(name))
        except IdleUnavailable as exc:
            log.info("presence: %s unavailable: %s", name, exc)
    for source in sources:
        try:
            await source.start(emit)
        except IdleUnavailable as exc:
            log.info("presence: %s unavailable: %s", source.name, exc)
            continue
        except Exception as exc:  # noqa: BLE001
            log.warning("presence: %s failed to start: %s", source.name, exc, exc_info=True)
            continue
        log.info("presence: listening to %s", source.name)
        started.append(source)
    return started
