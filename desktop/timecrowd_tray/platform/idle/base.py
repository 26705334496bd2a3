"""What every idle backend shares: the interface of an idle-time source and of a presence-event source.

Two kinds of platform mechanism feed the idle watcher
(:mod:`timecrowd_tray.services.idle_watch`):

* an :class:`IdleSource` answers "how long since the last input?" when asked
  (X11's screen-saver extension, GNOME Mutter's idle monitor, the session's
  org.freedesktop.ScreenSaver, Windows' GetLastInputInfo, macOS's HID idle
  time); one of them is used, the first that works (see the package's
  registry);
* a :class:`PresenceSource` *tells* when the user goes or comes (logind's
  PrepareForSleep and session Lock/Unlock, the screen saver's ActiveChanged, a
  D-Bus idle watch); every one that works is used, so signals replace polling
  where the platform has them.

Events carry the wall-clock time (unix seconds) they happened at.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class IdleUnavailable(Exception):
    """This mechanism does not work here (no X server, no such D-Bus service...); the message says why."""


class PresenceKind(str, enum.Enum):  # noqa: UP042 - as ActionKind
    AWAY = "away"        # no input for the watch's threshold (a D-Bus idle watch fired)
    ACTIVE = "active"    # input again
    SLEEP = "sleep"      # the computer is going to sleep
    WAKE = "wake"        # it woke up
    LOCK = "lock"        # the session locked, or the screen saver came on
    UNLOCK = "unlock"


@dataclass(frozen=True, slots=True)
class PresenceEvent:
    kind: PresenceKind
    at: float                 # unix seconds
    source: str = ""


Emit = Callable[[PresenceEvent], None]


class IdleSource:
    """Seconds since the last input, on demand. Subclasses set ``name`` and implement :meth:`idle_seconds`."""

    name = "none"
    #: True when asking costs nothing but a local call (no D-Bus round trip).
    local = True

    async def idle_seconds(self) -> float:
        raise NotImplementedError

    async def arm(self, threshold_seconds: float) -> None:
        """The watcher's threshold: a signal-based source (re-)arms its idle watch at it (0: none)."""

    async def close(self) -> None:
        """Let go of what the source holds (a display, a bus connection)."""


class PresenceSource:
    """Tells of departures and returns as they happen. Subclasses set ``name``."""

    name = "none"

    async def start(self, emit: Emit) -> None:
        """Begin listening; raises :class:`IdleUnavailable` when the mechanism is not there."""
        raise NotImplementedError

    async def close(self) -> None:
        """Stop listening."""


class NullIdleSource(IdleSource):
    """No idle time on this platform: the user always looks present (``reason`` says why)."""

    name = "none"

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    async def idle_seconds(self) -> float:
        return 0.0
