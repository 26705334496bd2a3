"""X11 idle time: the MIT-SCREEN-SAVER extension's ``XScreenSaverQueryInfo`` through libXss (ctypes).

libX11 is already in the process wherever X11 is used (Qt's xcb plugin links
it); libXss is small and loaded only when this source is made. The source opens
a display connection of its own (never Qt's, as the X11 shortcut backend does)
and asks only when the watcher asks: no thread, no timer of its own. Xvfb has
the extension, so the tests run it for real on a virtual screen.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, Structure, byref, c_char_p, c_int, c_ulong, c_void_p

from .base import IdleSource, IdleUnavailable


class XScreenSaverInfo(Structure):
    _fields_ = [
        ("window", c_ulong),
        ("state", c_int),
        ("kind", c_int),
        ("til_or_since", c_ulong),
        ("idle", c_ulong),        # milliseconds since the last input
        ("eventMask", c_ulong),
    ]


def _load(names: tuple[str, ...], what: str) -> ctypes.CDLL:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    from ctypes.util import find_library  # only here: it imports subprocess and more

    found = find_library(what)
    if not found:
        raise IdleUnavailable(f"lib{what} is not installed")
    try:
        return ctypes.CDLL(found)
    except OSError as exc:
        raise IdleUnavailable(f"cannot load lib{what} ({exc})") from None


class X11IdleSource(IdleSource):
    name = "x11"
    local = True

    def __init__(self, display_name: str | None = None) -> None:
        name = display_name or os.environ.get("DISPLAY")
        if not name:
            raise IdleUnavailable("no X display (DISPLAY is not set)")
        x11 = _load(("libX11.so.6",), "X11")
        xss = _load(("libXss.so.1",), "Xss")
        x11.XOpenDisplay.restype, x11.XOpenDisplay.argtypes = c_void_p, [c_char_p]
        x11.XCloseDisplay.restype, x11.XCloseDisplay.argtypes = c_int, [c_void_p]
        x11.XDefaultRootWindow.restype, x11.XDefaultRootWindow.argtypes = c_ulong, [c_void_p]
        x11.XFree.restype, x11.XFree.argtypes = c_int, [c_void_p]
        xss.XScreenSaverQueryExtension.restype = c_int
        xss.XScreenSaverQueryExtension.argtypes = [c_void_p, POINTER(c_int), POINTER(c_int)]
        xss.XScreenSaverAllocInfo.restype, xss.XScreenSaverAllocInfo.argtypes = POINTER(XScreenSaverInfo), []
        xss.XScreenSaverQueryInfo.restype = c_int
        xss.XScreenSaverQueryInfo.argtypes = [c_void_p, c_ulong, POINTER(XScreenSaverInfo)]
        display = x11.XOpenDisplay(os.fsencode(name))
        if not display:
            raise IdleUnavailable(f"cannot open the X display {name}")
        event_base, error_base = c_int(), c_int()
        if not xss.XScreenSaverQueryExtension(display, byref(event_base), byref(error_base)):
            x11.XCloseDisplay(display)
            raise IdleUnavailable(f"the X server {name} has no MIT-SCREEN-SAVER extension")
        self._x11, self._xss = x11, xss
        self._display: int | None = display
        self._root = x11.XDefaultRootWindow(display)
        self._info = xss.XScreenSaverAllocInfo()

    def idle_ms(self) -> int:
        if self._display is None:
            raise IdleUnavailable("the X display is closed")
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            raise IdleUnavailable("XScreenSaverQueryInfo failed")
        return int(self._info.contents.idle)

    async def idle_seconds(self) -> float:
        return self.idle_ms() / 1000.0

    async def close(self) -> None:
        if self._display is not None:
            self._x11.XFree(self._info)
            self._x11.XCloseDisplay(self._display)
            self._display = None
