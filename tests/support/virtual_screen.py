"""A virtual X screen with a real system tray host, for end-to-end tests and benchmarks.

    with VirtualScreen() as screen:         # Xvfb on a free display, -nolisten tcp
        screen.start_tray()                  # trayer, waits for the _NET_SYSTEM_TRAY_S0 owner
        env = screen.env()                   # DISPLAY=..., QT_QPA_PLATFORM=xcb
        ...
        screen.screenshot(path)

Every wait is bounded and waits on a condition (a display that answers, a
selection that has an owner, a window that exists), polling it every few
milliseconds; nothing sleeps a fixed time. Everything started is stopped on
exit, in reverse order.

``REQUIRED_TOOLS`` lists the commands needed; use
``support.tools.require(*REQUIRED_TOOLS, why=...)`` before starting one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

REQUIRED_TOOLS = ("Xvfb", "xdpyinfo", "trayer", "xdotool", "import")
TRAYER_ARGS = ("--edge", "top", "--align", "right", "--width", "10", "--height", "32",
               "--SetDockType", "true", "--transparent", "false", "--tint", "0x333333")
# Qt's default double-click interval is 400 ms; a little more, so two clicks stay two clicks.
DOUBLE_CLICK_S = 0.5
T = TypeVar("T")


class WaitTimeout(AssertionError):
    pass


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.02) -> T:
    """Poll ``condition`` until it returns something truthy (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class VirtualScreen:
    def __init__(self, width: int = 1024, height: int = 768, depth: int = 24) -> None:
        self.size = (width, height, depth)
        self.display: str | None = None
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._tray: subprocess.Popen[bytes] | None = None
        self._xlib: Any = None
        self._last_click = -DOUBLE_CLICK_S

    # -- life cycle ---------------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> VirtualScreen:
        """Start Xvfb on a display number it picks itself (``-displayfd``) and wait until it answers."""
        width, height, depth = self.size
        read_fd, write_fd = os.pipe()
        try:
            self._xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x{depth}",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            os.close(write_fd)
        try:
            number = self._read_display_number(read_fd, timeout)
        finally:
            os.close(read_fd)
        self.display = f":{number}"
        wait_for(self._answers, timeout, f"Xvfb on {self.display} to answer xdpyinfo")
        return self

    def _read_display_number(self, fd: int, timeout: float) -> int:
        import select

        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self._xvfb is not None and self._xvfb.poll() is not None):
                raise WaitTimeout("Xvfb did not report its display number")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 64)
                if not chunk:
                    break
                data += chunk
        return int(data.strip())

    def _answers(self) -> bool:
        result = subprocess.run(["xdpyinfo", "-display", self.display or ""], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=10)
        return result.returncode == 0

    def start_tray(self, timeout: float = 15.0) -> None:
        """Start trayer (the tray host) and wait until it owns the ``_NET_SYSTEM_TRAY_S0`` selection."""
        self._tray = subprocess.Popen(["trayer", *TRAYER_ARGS], env=self.env(), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        wait_for(self.tray_owned, timeout, "trayer to own the system tray selection")

    def stop_tray(self) -> None:
        _stop(self._tray)
        self._tray = None

    def tray_owned(self) -> bool:
        display = self._x()
        atom = display.intern_atom("_NET_SYSTEM_TRAY_S0")
        owner = display.get_selection_owner(atom)
        return bool(owner) and getattr(owner, "id", owner) != 0

    def stop(self) -> None:
        if self._xlib is not None:
            try:
                self._xlib.close()
            except Exception:
                pass
            self._xlib = None
        self.stop_tray()
        _stop(self._xvfb)
        self._xvfb = None

    def __enter__(self) -> VirtualScreen:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _x(self) -> Any:
        if self._xlib is None:
            from Xlib import display as xdisplay

            self._xlib = xdisplay.Display(self.display)
        return self._xlib

    # -- helpers ---------------------------------------------------------------------------

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["DISPLAY"] = self.display or ""
        env["QT_QPA_PLATFORM"] = "xcb"
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def run(self, *argv: str, timeout: float = 15.0, check: bool = True) -> str:
        result = subprocess.run(list(argv), env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def xdotool(self, *args: str, check: bool = True, timeout: float = 15.0) -> str:
        return self.run("xdotool", *args, check=check, timeout=timeout)

    def search(self, *args: str) -> list[int]:
        """``xdotool search ARGS``: the window ids found (none is not an error)."""
        out = self.xdotool("search", *args, check=False)
        return [int(line) for line in out.split() if line.strip().isdigit()]

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        """(x, y, width, height) of ``window`` on the screen."""
        values: dict[str, str] = {}
        for line in self.xdotool("getwindowgeometry", "--shell", str(window)).splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                values[key] = value
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def window_name(self, window: int) -> str:
        return self.xdotool("getwindowname", str(window), check=False).strip()

    def focused_window(self) -> int | None:
        out = self.xdotool("getwindowfocus", "-f", check=False).strip()
        return int(out) if out.isdigit() else None

    def click(self, x: int, y: int, button: int = 1) -> None:
        """One click. Two clicks closer than the double-click interval are a double click to the
        application, as for a person: a second click waits until that interval has passed."""
        since = time.monotonic() - self._last_click
        if since < DOUBLE_CLICK_S:
            time.sleep(DOUBLE_CLICK_S - since)
        # No --sync: it waits for the pointer to move, forever when it is already there.
        self.xdotool("mousemove", str(x), str(y), "click", str(button))
        self._last_click = time.monotonic()

    def click_window(self, window: int, button: int = 1) -> None:
        x, y, w, h = self.geometry(window)
        self.click(x + w // 2, y + h // 2, button)

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--clearmodifiers", *keys)

    def type(self, text: str, delay_ms: int = 12) -> None:
        self.xdotool("type", "--delay", str(delay_ms), "--", text, timeout=60)

    def screenshot(self, path: Path | str, crop: Sequence[int] | None = None) -> Path:
        """The whole screen (``import -window root``), optionally cropped to (x, y, width, height)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        argv = ["import", "-display", self.display or "", "-window", "root"]
        if crop is not None:
            x, y, w, h = crop
            argv += ["-crop", f"{w}x{h}+{x}+{y}", "+repage"]
        self.run(*argv, str(path), timeout=30)
        return path


def _stop(proc: subprocess.Popen[Any] | None, timeout: float = 5.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def missing_tools() -> list[str]:
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
