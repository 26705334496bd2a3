"""Windows idle time: ``GetLastInputInfo`` against ``GetTickCount`` (user32/kernel32 through ctypes).

Both counters are milliseconds since boot and wrap every 49.7 days, so the
difference is taken modulo 2**32. Unit-tested with fake functions; not run on
Windows by this project's CI (said in the README).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from ctypes import Structure, byref, c_uint

from .base import IdleSource, IdleUnavailable


class LASTINPUTINFO(Structure):
    _fields_ = [("cbSize", c_uint), ("dwTime", c_uint)]


def _win32() -> tuple[Callable[..., int], Callable[[], int]]:
    if sys.platform != "win32":
        raise IdleUnavailable("GetLastInputInfo is Windows only")
    windll = ctypes.windll
    get_last = windll.user32.GetLastInputInfo
    get_last.argtypes = [ctypes.POINTER(LASTINPUTINFO)]
    get_last.restype = ctypes.c_int
    ticks = windll.kernel32.GetTickCount
    ticks.restype = c_uint
    return get_last, ticks


class WindowsIdleSource(IdleSource):
    name = "windows"
    local = True

    def __init__(self, functions: tuple[Callable[..., int], Callable[[], int]] | None = None) -> None:
        self._get_last_input, self._tick_count = functions or _win32()

    def idle_ms(self) -> int:
        info = LASTINPUTINFO(ctypes.sizeof(LASTINPUTINFO), 0)
        if not self._get_last_input(byref(info)):
            raise IdleUnavailable("GetLastInputInfo failed")
        return (int(self._tick_count()) - int(info.dwTime)) % (1 << 32)

    async def idle_seconds(self) -> float:
        return self.idle_ms() / 1000.0
