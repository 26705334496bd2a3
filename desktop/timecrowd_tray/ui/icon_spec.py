"""What the tray icon shows (:class:`IconSpec`), decided from the timer's state.

A spec holds whole minutes only, so the icon changes at most once a minute; it
is hashable, so the painter (:mod:`.icon_painter`) caches icons by spec.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # imported when first needed: the start-up icon is drawn before the timer is loaded
    from ..core.timer import TimerState

class Look(enum.Enum):
    SIGNED_OUT = "signed_out"
    LOADING = "loading"
    IDLE = "idle"
    RUNNING = "running"


class Badge(enum.Enum):
    NONE = "none"
    PENDING = "pending"
    OFFLINE = "offline"
    ERROR = "error"


class IconSpec(NamedTuple):
    """What the icon shows (hashable: the painter caches icons by spec)."""

    look: Look
    badge: Badge = Badge.NONE
    minutes: int = 0          # running: whole minutes on the clock
    dark_panel: bool = True
    template: bool = False    # macOS: monochrome looks as template images

    @property
    def key(self) -> str:
        """A short name for file names and logs: ``running-83m-pending-dark``."""
        parts = [self.look.value]
        if self.look is Look.RUNNING:
            parts.append(f"{self.minutes}m")
        if self.badge is not Badge.NONE:
            parts.append(self.badge.value)
        parts.append("dark" if self.dark_panel else "light")
        return "-".join(parts)


def spec_for(state: TimerState, now: datetime, *, dark_panel: bool = True, template: bool = False) -> IconSpec:
    """What the icon shows for ``state`` at ``now``."""
    from ..core.timer import Phase

    if state.phase is Phase.SIGNED_OUT:
        look = Look.SIGNED_OUT
    elif state.phase is Phase.LOADING:
        look = Look.LOADING
    elif state.is_running:  # RUNNING, and STARTING shown optimistically
        look = Look.RUNNING
    else:  # IDLE, and STOPPING shown as stopped
        look = Look.IDLE
    if state.last_error:
        badge = Badge.ERROR
    elif state.offline:
        badge = Badge.OFFLINE
    elif state.pending_count:
        badge = Badge.PENDING
    else:
        badge = Badge.NONE
    minutes = int(state.elapsed(now) // 60) if look is Look.RUNNING else 0
    return IconSpec(look, badge, minutes, dark_panel, template)

