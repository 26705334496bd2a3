"""macOS idle time: the HID system's seconds since the last input event (CoreGraphics through ctypes).

``CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateHIDSystemState,
kCGAnyInputEventType)`` reads the HID system's idle counter (what
``ioreg -c IOHIDSystem`` shows as HIDIdleTime), with no permission prompt.
Unit-tested with a fake function; not run on macOS by this project's CI (said in the README).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from .base import IdleSource, IdleUnavailable

HID_SYSTEM_STATE = 1          # kCGEventSourceStateHIDSystemState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType (~0)
CORE_GRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"


def _seconds_since() -> Callable[[int, int], float]:
    if sys.platform != "darwin":
        raise IdleUnavailable("the HID idle time is macOS only")
    try:
        cg = ctypes.CDLL(CORE_GRAPHICS)
    except OSError as exc:
        raise IdleUnavailable(f"cannot load CoreGraphics ({exc})") from None
    function = cg.CGEventSourceSecondsSinceLastEventType
    function.argtypes = [ctypes.c_int32, ctypes.c_uint32]
    function.restype = ctypes.c_double
    return function


class MacOSIdleSource(IdleSource):
    name = "macos"
    local = True

    def __init__(self, seconds_since: Callable[[int, int], float] | None = None) -> None:
        self._seconds_since = seconds_since or _seconds_since()

    async def idle_seconds(self) -> float:
        value = float(self._seconds_since(HID_SYSTEM_STATE, ANY_INPUT_EVENT))
        if value < 0:
            raise IdleUnavailable("the HID system gave no idle time")
        return value
