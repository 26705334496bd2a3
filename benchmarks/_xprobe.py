"""Looking at the virtual screen, and clicking it, from the benchmark's own X connection.

Why not ``xdotool`` and ``import`` here (the end-to-end tests use them): each
call is a new process, a few milliseconds of start-up and CPU that would blur
the figures this benchmark measures (a 16 ms repaint budget) and compete with
the app for the machine's two cores while it starts. python-xlib keeps one
connection open; a poll of the docked icon costs two or three round trips to
the X server (well under a millisecond) and no process start.

* "Docked" is what a user sees: the app's icon window (found by its WM_CLASS
  class, which Qt sets to the application name) sits inside the tray host's
  panel (trayer re-parents each icon into a socket window of its panel), is
  viewable (it and every ancestor mapped) and has a nonzero size.
* "Showing green" reads the icon's pixels off the screen (``GetImage`` on the
  root window at the icon's place: what is on the screen, not what the app
  meant to draw). The app's running icon is a green disc (``#0f9d76``) and the
  baseline draws a disc of the same green; the idle, loading and signed-out
  looks have no green at all. So "the icon shows the running state" is "more
  than a tenth of the icon's pixels are that green".
* Clicks go through XTEST (what xdotool uses too), so the moment a click is
  sent is known to a fraction of a millisecond: ``click()`` returns the
  ``time.monotonic()`` taken just before the button press is flushed to the
  server. CLOCK_MONOTONIC is one clock for every process on the machine, so it
  compares with the emulator's request log and the baseline's own stamps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from Xlib import XK, X, display as xdisplay
from Xlib.error import XError
from Xlib.ext import xtest

GREEN = (0x0F, 0x9D, 0x76)
GREEN_TOLERANCE = 24      # per channel: anti-aliased edges and the ring's tint are not counted
RUNNING_FRACTION = 0.10   # the running look is ~25-40 % green at 22 px; idle/loading have none


@dataclass(frozen=True)
class Icon:
    window: int
    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


class XProbe:
    def __init__(self, display_name: str) -> None:
        self.d = xdisplay.Display(display_name)
        self.root = self.d.screen().root
        self._classes: dict[int, tuple[str, ...]] = {}
        self.panel = self._find_panel()

    def close(self) -> None:
        self.d.close()

    def _wm_class(self, window) -> tuple[str, ...] | None:  # noqa: ANN001
        """The window's WM_CLASS (instance, class): the app's instance is its argv[0], its class its name."""
        wid = window.id
        if wid not in self._classes:
            try:
                cls = window.get_wm_class()
            except XError:
                return None
            if cls is None:
                return None  # not set yet: ask again next time
            self._classes[wid] = tuple(cls)
        return self._classes[wid]

    def _find_panel(self):  # noqa: ANN202
        for child in self.root.query_tree().children:
            try:
                cls = child.get_wm_class()
            except XError:
                continue
            if cls and cls[1].lower() == "trayer" and cls[0] == "panel":
                return child
        raise RuntimeError("trayer's panel window not found (is the tray host running?)")

    def docked_icon(self, wm_class: str) -> Icon | None:
        """The docked, viewable, nonzero-size icon window of ``wm_class`` inside the tray panel."""
        try:
            for socket in self.panel.query_tree().children:
                for child in socket.query_tree().children:
                    if wm_class not in (self._wm_class(child) or ()):
                        continue
                    if child.get_attributes().map_state != X.IsViewable:
                        continue
                    geometry = child.get_geometry()
                    if geometry.width <= 0 or geometry.height <= 0:
                        continue
                    at = child.translate_coords(self.root, 0, 0)
                    return Icon(child.id, -at.x, -at.y, geometry.width, geometry.height)
        except XError:  # a window went away while we looked
            return None
        return None

    def green_fraction(self, icon: Icon) -> float:
        """The share of the icon's on-screen pixels that are the running green."""
        try:
            image = self.root.get_image(icon.x, icon.y, icon.width, icon.height, X.ZPixmap, 0xFFFFFFFF)
        except XError:
            return 0.0
        data = image.data
        if isinstance(data, str):  # python-xlib may hand back str on some versions
            data = data.encode("latin-1")
        r0, g0, b0 = GREEN
        tol = GREEN_TOLERANCE
        green = 0
        # 24-bit depth, 32 bits per pixel, little-endian: B, G, R, X
        for i in range(0, len(data) - 3, 4):
            b, g, r = data[i], data[i + 1], data[i + 2]
            if abs(r - r0) <= tol and abs(g - g0) <= tol and abs(b - b0) <= tol:
                green += 1
        return green / max(1, icon.width * icon.height)

    def shows_running(self, icon: Icon) -> bool:
        return self.green_fraction(icon) >= RUNNING_FRACTION

    def move_to(self, x: int, y: int) -> None:
        xtest.fake_input(self.d, X.MotionNotify, x=x, y=y)
        self.d.sync()

    def click(self, icon: Icon, button: int = 1) -> float:
        """Move onto ``icon`` (not timed), then press and release ``button``; the press's monotonic time."""
        self.move_to(*icon.centre)
        t = time.monotonic()
        xtest.fake_input(self.d, X.ButtonPress, button)
        self.d.flush()
        xtest.fake_input(self.d, X.ButtonRelease, button)
        self.d.sync()
        return t

    def key(self, keysym_name: str) -> None:
        code = self.d.keysym_to_keycode(XK.string_to_keysym(keysym_name))
        xtest.fake_input(self.d, X.KeyPress, code)
        xtest.fake_input(self.d, X.KeyRelease, code)
        self.d.sync()

    def toplevel_named(self, name: str) -> int | None:
        """A viewable top-level window titled ``name`` (no window manager: they are the root's children)."""
        for child in self.root.query_tree().children:
            try:
                if child.get_wm_name() == name and child.get_attributes().map_state == X.IsViewable:
                    return child.id
            except XError:
                continue
        return None

    def has_focus(self, window: int) -> bool:
        """Whether the keyboard focus is on ``window`` or inside it."""
        focus = self.d.get_input_focus().focus
        while isinstance(focus, object) and hasattr(focus, "id") and focus.id not in (0, self.root.id):
            if focus.id == window:
                return True
            try:
                focus = focus.query_tree().parent
            except XError:
                return False
        return False

    def wait(self, condition, timeout: float, what: str, interval: float = 0.002):  # noqa: ANN001, ANN201
        """Poll ``condition`` every ``interval`` s until truthy; (value, monotonic time it was seen)."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            now = time.monotonic()
            if value:
                return value, now
            if now > deadline:
                raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
            time.sleep(interval)
