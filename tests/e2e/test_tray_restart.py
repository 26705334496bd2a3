"""End to end: the XEmbed tray (trayer) goes away and comes back while the app runs.

The app is ``python -m timecrowd_tray --demo --debug`` on a virtual screen. Each round kills
trayer, waits for the app's log to say the tray went away (and for the no-tray notice),
starts trayer again, and waits for the icon to dock by itself, for the log to say so, and for
a click on it to start (then stop) the timer.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from e2e.test_tray_e2e import DemoApp

from support.tools import require
from support.virtual_screen import REQUIRED_TOOLS, VirtualScreen, wait_for

pytestmark = pytest.mark.e2e

NO_TRAY_NOTICE = "No system tray - TimeCrowd Tray"
GONE_LINE = "tray: the XEmbed tray went away"
BACK_LINE = "tray: an XEmbed tray appeared: the icon is docked"


class DebugDemoApp(DemoApp):
    """``python -m timecrowd_tray --demo --debug``: its log on stderr."""

    def start(self, wait_ready: bool = True) -> DebugDemoApp:
        self.proc = subprocess.Popen([sys.executable, "-m", "timecrowd_tray", "--demo", "--debug"], env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.attach(self.proc)
        self.url = self.wait_line(lambda l: l.startswith("Emulator: "), 60, "the emulator's URL").split()[1]
        if wait_ready:
            self.wait_line(lambda l: ": ready" in l, 60, "the demo sign-in")
        return self


def test_the_icon_docks_again_each_time_the_tray_restarts(tmp_path: Path) -> None:
    require(*REQUIRED_TOOLS, why="the tray restart test needs a virtual screen and a tray host")
    if importlib.util.find_spec("Xlib") is None:
        require("python-xlib-missing", why="python-xlib (a test dependency) is needed to see the tray selection")
    with VirtualScreen() as screen:
        screen.start_tray()
        app = DebugDemoApp(screen, tmp_path / "home", "en", "tray-restart")
        app.config("notifications", "false")
        app.config("comment_on_stop", "false")
        try:
            app.start()
            app.icon(timeout=30)
            for round_ in range(1, 3):
                screen.stop_tray()
                assert not screen.tray_owned()
                app.wait_line(lambda l: GONE_LINE in l, 30, f"the log saying the tray went away (round {round_})")
                wait_for(lambda: screen.search("--onlyvisible", "--name", NO_TRAY_NOTICE), 15,
                         "the no-tray notice once the tray is gone")

                screen.start_tray()
                icon = app.icon(timeout=30)
                app.wait_line(lambda l: BACK_LINE in l, 30, f"the log saying the icon docked again (round {round_})")
                wait_for(lambda: not screen.search("--onlyvisible", "--name", NO_TRAY_NOTICE), 15,
                         "the no-tray notice to close once the icon docked again")

                screen.click_window(icon)
                wait_for(app.running, 15, f"a running entry after clicking the re-docked icon (round {round_})")
                screen.click_window(icon)
                wait_for(lambda: app.running() is None, 15, f"the entry to stop (round {round_})")
        finally:
            code = app.stop()
        assert code == 0, "\n".join(app.transcript[-60:])
