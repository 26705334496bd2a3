"""End to end: the user goes idle with a timer running, comes back, discards; the entry ends when they left.

The app (``timecrowd-tray --demo``) runs on a virtual screen with a tray host and
reads the X server's idle time (MIT-SCREEN-SAVER) for real; the test gives no
input for the threshold (3 s, through ``TIMECROWD_TRAY_IDLE_SECONDS``), moves
the mouse, sees the prompt (and ``status --json``'s ``idle``), presses Discard
from the keyboard, and reads the server's entry. The prompt's screenshots go
to ``artifacts/screenshots/<language>/idle-prompt.png``, and over the README's
``docs/screenshots/idle-prompt-<language>.png`` only with
``TIMECROWD_TRAY_UPDATE_SCREENSHOTS=1``.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime

import pytest

from timecrowd_tray.platform.idle.x11_xss import X11IdleSource

from .test_tray_e2e import _launcher, demo, screen, shoot  # noqa: F401 - the fixtures
from support.screenshots import update_readme_picture
from support.virtual_screen import wait_for

pytestmark = pytest.mark.e2e
THRESHOLD = 3.0
TITLES = {"en": "Time away — TimeCrowd Tray", "ja": "離席時間 — TimeCrowd Tray"}


def status_json(app) -> dict:
    done = subprocess.run([*_launcher(), "status", "--json"], env=app.env, capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_idle_then_back_then_discard_ends_the_entry_when_they_left(screen, demo, language):  # noqa: F811
    app = demo(language, notifications="false", comment_on_stop="false")
    app.env["TIMECROWD_TRAY_IDLE_SECONDS"] = str(THRESHOLD)
    app.start()
    icon = app.icon()
    screen.click_window(icon)
    entry = wait_for(app.running, 15, "a running entry on the server")
    idle = X11IdleSource(screen.env()["DISPLAY"])
    try:
        wait_for(lambda: time.time() >= entry["started_at"] + 2, 10, "two seconds of work")
        screen.xdotool("mousemove", "300", "300")          # the last input: the user leaves now
        # away: no input for the threshold and a check of the app after it
        wait_for(lambda: idle.idle_ms() >= (THRESHOLD + 2) * 1000, 20, "the user away")
        screen.xdotool("mousemove", "320", "320")          # back
        prompt = app.wait_focus(TITLES[language], timeout=20)
        away = wait_for(lambda: status_json(app).get("idle"), 15, "status --json to show the away time")
        assert away["seconds"] >= THRESHOLD
        left = datetime.fromisoformat(away["since"]).timestamp()
        assert status_json(app)["elapsed_seconds"] <= int(left - entry["started_at"]) + 1
        path = shoot(screen, language, "idle-prompt", crop=screen.geometry(prompt))
        update_readme_picture(path, f"idle-prompt-{language}.png")
        screen.key("Tab")       # the focus is on Keep; Discard is next
        screen.key("space")
        wait_for(lambda: app.running() is None, 15, "the entry to end on the server")

        def ended_when_they_left() -> bool:
            # The stop lands first; its time correction (PATCH stopped_at) may follow a moment later.
            stopped = next(e for e in app.state()["entries"] if e["id"] == entry["id"])
            return abs(stopped["stopped_at"] - left) <= 1

        wait_for(ended_when_they_left, 15, "the server's entry to end when the user left")
        assert status_json(app)["idle"] is None
    finally:
        import asyncio

        asyncio.run(idle.close())
