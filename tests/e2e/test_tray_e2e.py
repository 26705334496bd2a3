"""End to end: the app as a user starts it, on a virtual screen with a real tray host.

``timecrowd-tray --demo`` runs its own emulator on 127.0.0.1 and prints its URL;
the test reads the account from the emulator's admin route
(``GET {url}/_emulator/state``) while it clicks the docked icon with xdotool,
types into the comment dialog (Japanese included) and takes screenshots of
each state, the menu, the comment dialog and the palette, in Japanese and in
English, under ``artifacts/screenshots/<language>/``.

Needs Xvfb, xdpyinfo, trayer, xdotool and ImageMagick's import: missing ones
fail the test under CI (``TIMECROWD_TRAY_REQUIRE_ALL=1``) and skip it loudly
elsewhere.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from support.app_home import give_own_home, instance_name
from support.processes import ProcessOutput
from support.tools import require
from support.virtual_screen import REQUIRED_TOOLS, VirtualScreen, wait_for

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
# xdotool types characters that are not on the keyboard map by remapping a spare key for each:
# typed quickly, the application can read a key after it was remapped again. 100 ms per key is safe.
UNICODE_TYPING_DELAY_MS = 100
TITLES = {
    "ja": {"comment": "コメント - TimeCrowd Tray", "palette": "タスクを開始 - TimeCrowd Tray"},
    "en": {"comment": "Comment - TimeCrowd Tray", "palette": "Start a task - TimeCrowd Tray"},
}


def _launcher() -> list[str]:
    script = Path(sys.executable).parent / "timecrowd-tray"
    return [str(script)] if script.exists() else [sys.executable, "-m", "timecrowd_tray"]


class DemoApp(ProcessOutput):
    """``timecrowd-tray --demo`` in its own home, on ``screen``."""

    def __init__(self, screen: VirtualScreen, home: Path, language: str, name: str) -> None:
        super().__init__()
        self.screen = screen
        self.language = language
        self.env = screen.env()
        self.runtime = give_own_home(self.env, home, instance_name("e2e-", name))
        self.env.pop("TIMECROWD_TRAY_PANEL", None)
        self.env.pop("LANGUAGE", None)
        self.env["LANG"] = "C.UTF-8"
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def config(self, key: str, value: str) -> None:
        """``timecrowd-tray config set KEY VALUE``, as a user would before starting the app."""
        subprocess.run([*_launcher(), "config", "set", key, value], env=self.env, check=True,
                       capture_output=True, text=True, timeout=60)

    def start(self, wait_ready: bool = True) -> DemoApp:
        self.proc = subprocess.Popen([*_launcher(), "--demo"], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.attach(self.proc)
        line = self.wait_line(lambda l: l.startswith("Emulator: "), 60, "the emulator's URL on stdout")
        self.url = line.split()[1]
        if wait_ready:
            self.wait_line(lambda l: ": ready" in l, 60, "the demo sign-in")
        return self

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: the app closes the service and quits
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.drain()
        shutil.rmtree(self.runtime, ignore_errors=True)
        return self.proc.returncode

    # -- the emulator, through its admin route ----------------------------------------

    def state(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "/_emulator/state", timeout=10) as response:
            return json.load(response)

    def faults(self, body: dict[str, Any]) -> None:
        request = urllib.request.Request(self.url + "/_emulator/faults", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def running(self) -> dict[str, Any] | None:
        state = self.state()
        return state["running"].get(str(state["me_id"]))

    def latest_task_id(self) -> int:
        state = self.state()
        mine = [e for e in state["entries"] if e["user_id"] == state["me_id"]]
        return max(mine, key=lambda e: (e["started_at"], e["id"]))["task_id"]

    def comments_on(self, entry_id: int) -> list[str]:
        return [c["content"] for c in self.state()["comments"] if c["entry_id"] == entry_id]

    # -- the screen ---------------------------------------------------------------------------

    def icon(self, timeout: float = 20) -> int:
        """The docked icon's window: a small visible window of the app's class."""
        def find() -> int | None:
            for window in self.screen.search("--onlyvisible", "--classname", "timecrowd-tray"):
                try:
                    _, _, w, h = self.screen.geometry(window)
                except (RuntimeError, KeyError):
                    continue
                if w <= 64 and h <= 64:
                    return window
            return None
        return wait_for(find, timeout, "the docked tray icon")

    def focused_title(self) -> str:
        window = self.screen.focused_window()
        return self.screen.window_name(window) if window else ""

    def wait_focus(self, title: str, timeout: float = 15) -> int:
        def focused() -> int | None:
            window = self.screen.focused_window()
            return window if window and self.screen.window_name(window) == title else None
        try:
            return wait_for(focused, timeout, f"the window {title!r} to have the keyboard focus")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; focused now: {self.focused_title()!r}") from None

    def popup_menu(self, timeout: float = 10) -> tuple[int, int, int, int]:
        """The geometry of the open context menu (a visible window of ours taller than the icon)."""
        def find():
            for window in self.screen.search("--onlyvisible", "--classname", "timecrowd-tray"):
                try:
                    geometry = self.screen.geometry(window)
                except (RuntimeError, KeyError):
                    continue
                # The menu has no title of its own: Qt names it " — TimeCrowd Tray" (the display name alone).
                title = self.screen.window_name(window).removesuffix("TimeCrowd Tray").strip(" —-")
                if geometry[3] > 100 and not title:
                    return geometry
            return None
        return wait_for(find, timeout, "the tray menu to open")


def shoot(screen: VirtualScreen, language: str, name: str, crop=None, scale: int = 1) -> Path:
    path = screen.screenshot(SHOTS / language / f"{name}.png", crop=crop)
    if scale > 1 and shutil.which("convert"):
        subprocess.run(["convert", str(path), "-filter", "point", "-resize", f"{scale * 100}%", str(path)],
                       check=True, timeout=30)
    return path


def red_pixels(screen: VirtualScreen, crop) -> int:
    """How many pixels of ``crop`` are the error badge's red."""
    from PySide6.QtGui import QImage

    with tempfile.TemporaryDirectory() as tmp:
        image = QImage(str(screen.screenshot(Path(tmp) / "probe.png", crop=crop)))
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.red() > 180 and c.green() < 90 and c.blue() < 90:
                count += 1
    return count


def icon_crop(screen: VirtualScreen, icon: int) -> tuple[int, int, int, int]:
    x, y, w, h = screen.geometry(icon)
    left = max(0, x - 60)
    return left, 0, min(screen.size[0], x + w + 6) - left, y + h + 2


@pytest.fixture(scope="module")
def screen():
    require(*REQUIRED_TOOLS, why="the end-to-end tray test needs a virtual screen and a tray host")
    if importlib.util.find_spec("Xlib") is None:
        require("python-xlib-missing", why="python-xlib (a test dependency) is needed to see the tray selection")
    with VirtualScreen() as s:
        s.start_tray()
        yield s


@pytest.fixture
def demo(screen, tmp_path, request):
    apps: list[DemoApp] = []

    def make(language: str = "en", **settings: str) -> DemoApp:
        app = DemoApp(screen, tmp_path / f"home-{len(apps)}", language, request.node.name[:40])
        app.config("language", language)
        for key, value in settings.items():
            app.config(key.replace("_hotkey_", "hotkey."), value)
        apps.append(app)
        return app

    yield make
    for app in apps:
        code = app.stop()
        assert code == 0, f"the app did not quit cleanly ({code}):\n" + "\n".join(app.transcript[-40:])


def test_click_starts_the_latest_task_then_stops_and_the_comment_is_saved(screen, demo):
    app = demo("ja", notifications="false").start()
    icon = app.icon()
    latest = app.latest_task_id()
    assert app.running() is None

    screen.click_window(icon)
    entry = wait_for(app.running, 15, "a running entry on the server")
    assert entry["task_id"] == latest

    screen.click_window(icon)
    wait_for(lambda: app.running() is None, 15, "the entry to be stopped on the server")
    stopped = next(e for e in app.state()["entries"] if e["id"] == entry["id"])
    assert stopped["stopped_at"] is not None

    app.wait_focus(TITLES["ja"]["comment"])
    text = "Reviewed the fix ログイン画面の修正を確認"
    screen.type(text, delay_ms=UNICODE_TYPING_DELAY_MS)
    shoot(screen, "ja", "comment-dialog-typed")
    screen.key("Return")
    wait_for(lambda: app.comments_on(entry["id"]), 15, "the comment on the server")
    assert app.comments_on(entry["id"]) == [text]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_screenshots_of_each_state(screen, demo, language):
    titles = TITLES[language]
    app = demo(language, notifications="false").start()
    icon = app.icon()
    crop = icon_crop(screen, icon)
    shoot(screen, language, "icon-idle", crop, scale=4)

    screen.click_window(icon)  # running
    wait_for(app.running, 15, "a running entry")
    shoot(screen, language, "icon-running", crop, scale=4)

    screen.click_window(icon, button=3)  # the menu
    x, y, w, h = app.popup_menu()
    shoot(screen, language, "menu", (max(0, x - 10), 0, min(screen.size[0] - max(0, x - 10), w + 20), y + h + 10))
    screen.key("Escape")

    screen.click_window(icon, button=2)  # the palette
    app.wait_focus(titles["palette"])
    screen.type("画面" if language == "ja" else "review", delay_ms=UNICODE_TYPING_DELAY_MS)
    shoot(screen, language, "palette")
    screen.key("Escape")
    wait_for(lambda: app.focused_title() != titles["palette"], 10, "the palette to close")

    # The server goes away: the stop is kept (pending) and the icon says offline.
    app.faults({"clear": True, "fail_next": {"status": 503, "count": 1000}})
    screen.click_window(icon)
    app.wait_focus(titles["comment"])
    shoot(screen, language, "comment-dialog")
    screen.key("Escape")
    wait_for(lambda: app.state()["faults"]["pending"] and len(app.state()["faults"]["pending"]) < 1000, 15,
             "the app to try the server")
    shoot(screen, language, "icon-offline-pending", crop, scale=4)
    assert app.running() is not None  # nothing reached the server yet

    # Back online: opening the menu polls, the poll succeeds, the outbox is sent.
    app.faults({"clear": True})
    screen.click_window(icon, button=3)
    app.popup_menu()
    wait_for(lambda: app.running() is None, 30, "the pending stop to reach the server")
    screen.key("Escape")

    # The server refuses a start (422): its words are shown, the icon shows an error.
    seen = len(app.state()["requests"])
    app.faults({"clear": True, "fail_next": {"status": 422, "count": 1000}})
    screen.click_window(icon)
    wait_for(lambda: any(r["method"] == "POST" and r["path"].endswith("/start")
                         for r in app.state()["requests"][seen:]), 15, "the start to reach the server")
    wait_for(lambda: red_pixels(screen, crop) > 4, 15, "the error badge on the icon")
    app.faults({"clear": True})
    shoot(screen, language, "icon-error", crop, scale=4)
    shoot(screen, language, "error-notification")

    # Sign out from the menu (keyboard: Up from the top wraps to the end: Quit, then Sign out).
    screen.click_window(icon, button=3)
    app.popup_menu()
    screen.key("Up")
    screen.key("Up")
    screen.key("Return")
    wait_for(lambda: _signed_out(app), 15, "the app to sign out")
    shoot(screen, language, "icon-signed-out", crop, scale=4)
    shoot(screen, language, "screen")


def _signed_out(app: DemoApp) -> bool:
    result = subprocess.run([*_launcher(), "status", "--json"], env=app.env, capture_output=True, text=True,
                            timeout=30)
    try:
        return json.loads(result.stdout).get("state") == "signed_out"
    except ValueError:
        return False


def test_without_a_tray_it_says_so_and_docks_when_a_tray_appears(tmp_path):
    require(*REQUIRED_TOOLS, why="the end-to-end tray test needs a virtual screen and a tray host")
    with VirtualScreen() as bare:
        app = DemoApp(bare, tmp_path / "home", "en", "notray")
        app.config("notifications", "false")
        try:
            app.start()
            app.wait_line(lambda l: "No system tray was found" in l, 30, "the no-tray message on stderr", seen=True)
            assert bare.search("--onlyvisible", "--name", "No system tray - TimeCrowd Tray")
            bare.start_tray()
            icon = app.icon(timeout=30)
            bare.click_window(icon)
            wait_for(app.running, 15, "a running entry after clicking the late-docked icon")
            wait_for(lambda: not bare.search("--onlyvisible", "--name", "No system tray - TimeCrowd Tray"), 15,
                     "the no-tray notice to close once the icon is docked")
        finally:
            code = app.stop()
        assert code == 0, "\n".join(app.transcript[-40:])
