"""End to end: ``timecrowd-tray today`` opens the entries window of the running app, on a virtual screen.

The app runs as a user starts it (``timecrowd-tray --demo``, with trayer as the tray host);
the shell command reaches it through the single-instance socket, the window shows today's
entries from the demo's emulator and takes the keyboard focus; Alt+Left pages to the day
before. Screenshots of the window (English and Japanese) land in
``artifacts/screenshots/<language>/entries.png`` (the README's are copies of them).
"""

from __future__ import annotations

import subprocess

import pytest

from .test_tray_e2e import SHOTS, _launcher, demo, screen  # noqa: F401 (fixtures)
from support.virtual_screen import wait_for

pytestmark = pytest.mark.e2e

TITLES = {"en": "Entries - TimeCrowd Tray", "ja": "作業記録 - TimeCrowd Tray"}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_shell_opens_todays_entries_in_the_running_app(screen, demo, language):  # noqa: F811
    app = demo(language, notifications="false").start()
    app.icon()
    done = subprocess.run([*_launcher(), "today"], env=app.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    window = app.wait_focus(TITLES[language], timeout=20)
    x, y, w, h = screen.geometry(window)
    assert w > 400 and h > 300
    wait_for(lambda: app.wait_focus(TITLES[language], timeout=1), 5, "the window to keep the focus")
    screen.screenshot(SHOTS / language / "entries.png", crop=(x, y, w, h))
    screen.key("alt+Left")  # the day before: the window stays, and answers
    wait_for(lambda: screen.window_name(window) == TITLES[language], 5, "the window after paging")
