"""End to end: the global shortcut on a virtual X screen with a tray host, pressed with xdotool.

``timecrowd-tray --demo`` runs on the screen (the X11 backend grabs through its
own X connection through libX11). ``xdotool key ctrl+alt+shift+t`` must start the most
recent task on the emulator (read back from ``GET {url}/_emulator/state``);
pressing it again stops the entry and the comment dialog takes the keyboard
focus, where a typed comment and Enter reach the server. A combination another
X client grabbed first is reported: the app says so in its log (stderr), and
that shortcut is not the app's (the other client keeps it).

The test learns that the app holds a combination from the app's log (``--debug``), and only then
checks with the X server that another client is refused it. It never polls with grabs of its own:
a probe that holds the combination for a round trip, at the moment the app grabs, makes the app's
grab the one refused (a conflict the app then rightly reports, and a failure of this test that
only shows on a loaded machine).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from support.app_home import give_own_home
from support.processes import ProcessOutput
from support.tools import require
from support.virtual_screen import REQUIRED_TOOLS, VirtualScreen, wait_for

pytestmark = pytest.mark.e2e

COMMENT_TITLES = ("Comment - TimeCrowd Tray", "コメント - TimeCrowd Tray")


class App(ProcessOutput):
    """``python -m timecrowd_tray --demo`` in its own home on ``screen``; its output is collected."""

    def __init__(self, screen: VirtualScreen, home: Path) -> None:
        super().__init__()
        self.env = screen.env()
        self.runtime = give_own_home(self.env, home, f"hotkey-{os.getpid()}")
        self.env["LANG"] = "C.UTF-8"
        self.env.pop("TIMECROWD_TRAY_HOTKEY_BACKEND", None)
        self.env.pop("LANGUAGE", None)
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "timecrowd_tray", *args], env=self.env, capture_output=True,
                              text=True, timeout=60)

    def start(self) -> App:
        self.proc = subprocess.Popen([sys.executable, "-m", "timecrowd_tray", "--demo", "--debug"], env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.attach(self.proc)
        line = self.wait_line(lambda l: l.startswith("Emulator: "), 60, "the emulator's URL")
        self.url = re.search(r"https?://\S+", line).group(0)
        self.wait_line(lambda l: ": ready" in l, 60, "the demo sign-in")
        return self

    def wait_shortcut(self, sequence: str, name: str) -> None:
        """Until the log says the app registered ``sequence`` for ``name`` (or fail with the transcript)."""
        self.wait_line(lambda l: f"global shortcut {sequence} -> {name} " in l, 30,
                       f"the app to register {sequence} for {name}", seen=True)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def state(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "/_emulator/state", timeout=10) as response:
            return json.load(response)

    def running(self) -> dict[str, Any] | None:
        state = self.state()
        return state["running"].get(str(state["me_id"]))

    def comments_on(self, entry_id: int) -> list[str]:
        return [c["content"] for c in self.state()["comments"] if c["entry_id"] == entry_id]


def grabbed_elsewhere(display: Any, key: str, mask: int) -> bool:
    """True when some other client holds this grab: ours is refused with BadAccess (and so leaves nothing)."""
    from Xlib import XK, X, error

    catcher = error.CatchError(error.BadAccess)
    keycode = display.keysym_to_keycode(XK.string_to_keysym(key))
    display.screen().root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
    display.sync()
    if catcher.get_error() is None:
        display.screen().root.ungrab_key(keycode, mask)
        display.sync()
        return False
    return True


@pytest.fixture
def screen():
    require(*REQUIRED_TOOLS, why="the hotkey end-to-end test needs a virtual screen, a tray host and xdotool")
    with VirtualScreen() as s:
        s.start_tray()
        yield s


@pytest.fixture
def xclient(screen):
    from Xlib.display import Display

    d = Display(screen.display)
    yield d
    d.close()


def test_the_toggle_shortcut_starts_then_stops_with_the_comment_dialog(screen, xclient, tmp_path):
    from Xlib import X

    app = App(screen, tmp_path / "home")
    try:
        app.start()
        # The app holds Ctrl+Alt+Shift+T once its controls are installed.
        app.wait_shortcut("Ctrl+Alt+Shift+T", "toggle")
        assert grabbed_elsewhere(xclient, "t", X.ControlMask | X.Mod1Mask | X.ShiftMask)
        assert app.running() is None

        screen.xdotool("key", "ctrl+alt+shift+t")
        entry = wait_for(app.running, 20, "the shortcut to start an entry on the emulator")
        state = app.state()
        mine = [e for e in state["entries"] if e["user_id"] == state["me_id"] and e["id"] != entry["id"]]
        latest = max(mine, key=lambda e: (e["started_at"], e["id"]))
        assert entry["task_id"] == latest["task_id"]  # the most recent task

        screen.xdotool("key", "ctrl+alt+shift+t")
        wait_for(lambda: app.running() is None, 20, "the shortcut to stop the entry")

        def comment_dialog_focused() -> int | None:
            window = screen.focused_window()
            return window if window and screen.window_name(window) in COMMENT_TITLES else None

        wait_for(comment_dialog_focused, 20, "the comment dialog to take the keyboard focus")
        screen.type("standup notes")
        screen.key("Return")
        wait_for(lambda: app.comments_on(entry["id"]) == ["standup notes"], 20, "the comment on the emulator")

        status = json.loads(app.cli("status", "--json").stdout)
        assert status["source"] == "app" and status["state"] == "idle"
    finally:
        app.stop()


def test_a_combination_another_client_holds_is_reported(screen, xclient, tmp_path):
    from Xlib import XK, X

    # Another application took the palette's default combination before the app started.
    keycode = xclient.keysym_to_keycode(XK.string_to_keysym("space"))
    palette_mask = X.ControlMask | X.Mod1Mask | X.ShiftMask
    for extra in (0, X.Mod2Mask, X.LockMask, X.Mod2Mask | X.LockMask):
        xclient.screen().root.grab_key(keycode, palette_mask | extra, True, X.GrabModeAsync, X.GrabModeAsync)
    xclient.sync()

    app = App(screen, tmp_path / "home")
    try:
        app.start()
        line = app.wait_line(lambda l: "Ctrl+Alt+Shift+Space" in l and "already used" in l, 30,
                             "the app to report the taken palette shortcut", seen=True)
        assert line.startswith("stderr: ") and "palette" in line
        # The other one still works: the toggle shortcut was registered regardless.
        app.wait_shortcut("Ctrl+Alt+Shift+T", "toggle")
        assert grabbed_elsewhere(xclient, "t", palette_mask)
        screen.xdotool("key", "ctrl+alt+shift+t")
        wait_for(app.running, 20, "the toggle shortcut to start an entry")
    finally:
        app.stop()
