"""End to end under a real StatusNotifierItem panel: Debian's status-notifier-watcher and the GTK
bar gtk-sni-tray-standalone (libdbusmenu-gtk3) on a virtual screen, on a private session bus.

The app is ``timecrowd-tray --demo``; the test plays the panel's part over D-Bus (``Activate``,
``SecondaryActivate``, dbusmenu ``GetLayout`` / ``AboutToShow`` / ``Event``), counts the menu's
``ItemsPropertiesUpdated`` signals like dbus-monitor, and clicks the host's icon with xdotool.
Needs the Debian packages haskell-status-notifier-item-utils and haskell-gtk-sni-tray-utils (with
the X tools of the other end-to-end tests): missing ones fail under CI and skip loudly elsewhere.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from support.app_home import give_own_home, instance_name
from support.dbus_mock import MOCK, require_dbusmock, spawn_mock
from support.processes import ProcessOutput
from support.sni_host import (
    MENU_INTERFACE,
    SNI_TOOLS,
    PrivateSessionBus,
    SignalCounter,
    SniClient,
    SniPanel,
    call,
    sni_env,
)
from support.tools import require
from support.virtual_screen import REQUIRED_TOOLS, VirtualScreen, wait_for

pytestmark = pytest.mark.e2e


def _launcher() -> list[str]:
    return [sys.executable, "-m", "timecrowd_tray"]  # as `python -m`: the X class must not be __main__.py


class SniApp(ProcessOutput):
    def __init__(self, env: dict[str, str], home: Path, name: str) -> None:
        super().__init__()
        self.env = dict(env)
        self.runtime = give_own_home(self.env, home, instance_name("sni-", name))
        self.env["TIMECROWD_TRAY_HOTKEY_BACKEND"] = "none"
        self.env["LANG"] = "C.UTF-8"
        self.env.pop("LANGUAGE", None)
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self, **settings: str) -> SniApp:
        for key, value in {"comment_on_stop": "false", **settings}.items():
            subprocess.run([*_launcher(), "config", "set", key, value], env=self.env, check=True,
                           capture_output=True, timeout=60)
        self.proc = subprocess.Popen([*_launcher(), "--demo", "--debug"], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.attach(self.proc)
        self.url = self.wait_line(lambda line: line.startswith("Emulator: "), 60, "the emulator's URL").split()[1]
        self.wait_line(lambda line: ": ready" in line, 60, "the demo sign-in")
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.drain()
        shutil.rmtree(self.runtime, ignore_errors=True)
        return self.proc.returncode

    def running(self) -> dict[str, Any] | None:
        with urllib.request.urlopen(self.url + "/_emulator/state", timeout=10) as response:
            state = json.load(response)
        return state["running"].get(str(state["me_id"]))


@pytest.fixture
def sni(tmp_path):
    require(*REQUIRED_TOOLS, *SNI_TOOLS, why="the StatusNotifierItem tests need a virtual screen and a real SNI host")
    with PrivateSessionBus() as bus, VirtualScreen() as screen:
        panel = SniPanel(bus, screen)
        app = SniApp(sni_env(bus, screen.env()), tmp_path / "home", tmp_path.name)
        try:
            yield bus, screen, panel, app
        finally:
            code = app.stop()
            panel.stop()
        # None: the test failed before it started the app, and says why itself.
        assert code in (None, 0), "\n".join(app.transcript[-60:])


def test_a_panel_that_starts_after_the_app_and_restarts_gets_the_icon(sni):
    bus, screen, panel, app = sni
    app.start()  # no watcher yet: autostart racing the desktop
    panel.start_watcher()
    panel.start_host()
    name = panel.wait_registered(app.pid, what="the app's item, after the panel came late")
    client = SniClient(bus, name)
    try:
        assert client.item_property("Title") == "TimeCrowd Tray"
    finally:
        client.close()
    app.wait_line(lambda line: "icon registered with the StatusNotifierWatcher" in line, 30,
                  "the log saying what the app did", seen=True)

    for attempt in range(3):  # the panel restarts: the icon comes back each time
        panel.stop_watcher()
        panel.start_watcher()
        panel.wait_registered(app.pid, what=f"the app's item after watcher restart {attempt + 1}")
    assert len(panel.items_of(app.pid)) == 1  # one item, never a duplicate


def test_clicks_and_the_menu_over_dbusmenu_and_the_hosts_icon(sni):
    bus, screen, panel, app = sni
    panel.start_watcher()
    panel.start_host()
    app.start()
    client = SniClient(bus, panel.wait_registered(app.pid))
    try:
        # Built once: the whole menu before any AboutToShow, and the same ids at every opening.
        before = client.labels()
        assert "Quit" in before and "Settings…" in before and any(label.startswith("Today: ") for label in before)
        client.menu_call("AboutToShow", "i", (0,))
        assert client.labels()["Quit"] == before["Quit"]

        client.item_call("Activate", "ii", (0, 0))  # a left click: starts the latest task
        wait_for(app.running, 15, "a running entry after Activate")
        wait_for(lambda: "Stop" in client.labels(), 10, "the menu to show Stop, in place")
        ids_running = client.labels()
        assert ids_running["Quit"] == before["Quit"]

        # The header's elapsed time ticks while the panel shows the menu, then stops by itself,
        # although this host never sends "closed" (as libdbusmenu-gtk3 does not).
        counter = SignalCounter(bus, client.bus_name, MENU_INTERFACE, "ItemsPropertiesUpdated")
        try:
            opened = time.monotonic()
            client.menu_call("AboutToShow", "i", (0,))
            wait_for(lambda: counter.count_since(opened) >= 1, 5, "the elapsed time to tick in the open menu")
            quiet_from = opened + 3.5  # 2 s without news from the panel, plus a tick and some slack
            wait_for(lambda: time.monotonic() > quiet_from + 3, 10, "a window after the menu was left")
            assert counter.count_since(quiet_from) == 0, "the menu still ticks after the panel left it"
        finally:
            counter.close()

        stop_id = client.labels()["Stop"]
        client.menu_call("Event", "isvu", (stop_id, "clicked", ("i", 0), 0))
        wait_for(lambda: app.running() is None, 15, "the menu's Stop to stop the entry")
        assert client.labels()["Quit"] == before["Quit"]

        # The host's own icon, clicked on the screen: gtk-sni-tray calls Activate.
        icon = wait_for(lambda: _host_icon(screen), 20, "the GTK host's tray bar")
        screen.click(*icon)
        wait_for(app.running, 15, "a running entry after clicking the host's icon")

        client.item_call("SecondaryActivate", "ii", (0, 0))  # a middle click: the palette, an X window of ours
        wait_for(lambda: screen.search("--pid", str(app.pid)), 15, "the palette's X window")
    finally:
        client.close()
    _assert_x_class_of_every_window(screen, app.pid)


def test_the_tooltip_has_a_title_and_a_description_and_notifications_name_the_app(sni):
    """Qt's own item put the whole tooltip in its title; ours gives the panel a title and a description.
    Notifications go to the session's notification server (python-dbusmock's) as "TimeCrowd Tray"."""
    require_dbusmock()
    bus, screen, panel, app = sni
    daemon = spawn_mock(bus, "--template", "notification_daemon")
    conn = bus.connect()
    try:
        wait_for(lambda: panel.owner("org.freedesktop.Notifications"), 15, "the notification server")
        panel.start_watcher()
        panel.start_host()
        app.start(notifications="true")
        client = SniClient(bus, panel.wait_registered(app.pid))
        try:
            idle = r"Not tracking: click to start “[^”]+”"  # the task a click starts, named
            wait_for(lambda: re.fullmatch(idle, client.item_property("ToolTip")[3]), 15, "the idle tooltip")
            _icon, pixmaps, title, description = client.item_property("ToolTip")
            assert title == "TimeCrowd Tray"
            assert pixmaps, "the tooltip shows the icon too"

            client.item_call("Activate", "ii", (0, 0))
            wait_for(app.running, 15, "a running entry after Activate")
            header = wait_for(lambda: next((label for label in client.labels() if label.startswith("● ")), None), 15,
                              "the menu's header naming the running task")
            wait_for(lambda: client.item_property("ToolTip")[2] != "TimeCrowd Tray", 15, "the running tooltip")
            _icon, _pixmaps, title, description = client.item_property("ToolTip")
            assert title == header.removeprefix("● ")  # the running task, as the menu names it
            assert re.search(r"\d:\d\d:\d\d \(since \d\d:\d\d\)", description), description

            def notifications() -> list[tuple[Any, ...]]:
                (calls,) = call(conn, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", MOCK,
                                "GetMethodCalls", "s", ("Notify",))
                return [tuple(v[1] for v in args) for _stamp, args in calls]

            started = wait_for(lambda: [n for n in notifications() if n[3] == "Timer started"], 15,
                               "the routine notification of the start")
            app_name, _replaces, _icon_name, _summary, body = started[0][:5]
            assert app_name == "TimeCrowd Tray"
            assert body == title
        finally:
            client.close()
    finally:
        conn.close()
        from support.virtual_screen import _stop

        _stop(daemon)


def test_an_xembed_tray_and_a_statusnotifier_panel_take_turns_one_icon_at_a_time(sni):
    """XFCE-like: an XEmbed tray (trayer) is there from the start, a StatusNotifierItem panel comes and goes.
    The icon docks in the XEmbed tray, moves to the panel's item when the watcher comes (the docked icon
    goes), and docks again when the watcher leaves."""
    bus, screen, panel, app = sni
    screen.start_tray()
    app.start()

    def docked() -> list[int]:
        return screen.search("--onlyvisible", "--classname", "timecrowd-tray")

    icon = wait_for(docked, 30, "the icon docked in the XEmbed tray")[0]
    assert panel.items_of(app.pid) == []
    for round_ in range(1, 3):
        panel.start_watcher()
        panel.wait_registered(app.pid, what=f"the item once a watcher came (round {round_})")
        wait_for(lambda: not docked(), 15, f"the XEmbed icon to go when the item shows (round {round_})")
        app.wait_line(lambda line: "shows as our StatusNotifierItem again" in line, 15, "the log saying so")
        panel.stop_watcher()
        icon = wait_for(docked, 30, f"the icon docked in the XEmbed tray again (round {round_})")[0]
        app.wait_line(lambda line: "a QSystemTrayIcon stands in" in line, 15, "the log saying so")
    screen.click_window(icon)
    wait_for(app.running, 15, "a running entry after clicking the docked icon")


def test_started_under_a_statusnotifier_panel_it_docks_in_the_xembed_tray_when_the_panel_goes(sni):
    """KDE-like start (a watcher from the first moment, an XEmbed tray too): our item only, no docked icon;
    the watcher goes: Qt's icon docks (Qt chooses XEmbed then, with no watcher); it comes back: one icon."""
    bus, screen, panel, app = sni
    screen.start_tray()
    panel.start_watcher()
    app.start()
    panel.wait_registered(app.pid, what="the item, a watcher being there at start-up")

    def docked() -> list[int]:
        return screen.search("--onlyvisible", "--classname", "timecrowd-tray")

    assert not docked(), "a docked icon beside the item: two icons"
    panel.stop_watcher()
    wait_for(docked, 30, "Qt's icon docked in the XEmbed tray once the watcher left")
    assert panel.items_of(app.pid) == []
    panel.start_watcher()
    panel.wait_registered(app.pid, what="the item again")
    wait_for(lambda: not docked(), 15, "the docked icon to go when the item shows again")


# What the X11 windows of the app are called (WM_CLASS, instance then class), under `python -m` too.
X_CLASS = ("timecrowd-tray", "TimeCrowd Tray")


def _assert_x_class_of_every_window(screen: VirtualScreen, pid: int) -> None:
    """Every X window of the process ``pid`` (by _NET_WM_PID), as xprop reads it, has the app's WM_CLASS."""
    windows = screen.search("--pid", str(pid))
    assert windows, f"no X window with _NET_WM_PID {pid}"
    for window in windows:
        out = screen.run("xprop", "-display", screen.display or "", "-id", str(window), "WM_CLASS")
        assert tuple(re.findall(r'"([^"]*)"', out)) == X_CLASS, f"window {window:#x}: {out.strip()}"


def _host_icon(screen: VirtualScreen) -> tuple[int, int] | None:
    """The centre of the item's icon in the GTK bar: its bar is 32 px high at the top; --end puts
    the only item at the right end."""
    bars = [w for w in screen.search("--onlyvisible", "--classname", "gtk-sni-tray-standalone")]
    for bar in bars:
        x, y, width, height = screen.geometry(bar)
        if height <= 64 and width > 32:
            return x + width - height // 2 - 2, y + height // 2
    return None
