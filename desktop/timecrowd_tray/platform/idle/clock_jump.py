"""Sleep told by the clocks: the wall clock ran on while the monotonic one stood still.

Used when nothing else says the computer slept (no logind: Windows, macOS, a
container, a desktop without it). Read at each of the watcher's checks, so it
costs no wake-up of its own; :func:`timecrowd_tray.core.idle.clock_jump` judges.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ...core.idle import clock_jump


class ClockJumpDetector:
    name = "clock"

    def __init__(self, *, wall: Callable[[], float] = time.time, mono: Callable[[], float] = time.monotonic) -> None:
        self._wall = wall
        self._mono = mono
        self._last = (wall(), mono())

    def check(self) -> tuple[float, float] | None:
        """``(slept_from, woke_at)`` when the clocks say the computer slept since the last check, else None."""
        wall, mono = self._wall(), self._mono()
        prev_wall, prev_mono = self._last
        self._last = (wall, mono)
        slept = clock_jump(prev_wall, prev_mono, wall, mono)
        if slept is None:
            return None
        # the sleep began at some point after the last check: its awake time ran first
        return prev_wall + (mono - prev_mono), wall

    def reset(self) -> None:
        self._last = (self._wall(), self._mono())
