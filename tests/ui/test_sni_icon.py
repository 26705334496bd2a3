"""Our StatusNotifierItem (ui/sni_icon.py) and its dbusmenu, on a private session bus, read as a panel reads them.

A real ``status-notifier-watcher`` (Debian haskell-status-notifier-item-utils) where the test is
about registering; the panel's side is a jeepney connection on a worker thread (the item answers on
the qasync loop the test runs). Every wait is bounded and waits on a condition.
"""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

import pytest
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from ui.conftest import run_async

from timecrowd_tray.ui.qmenu_tree import dbusmenu_label
from timecrowd_tray.ui.sni_icon import SniTrayIcon, tooltip_parts

from support.sni_host import ITEM_INTERFACE, ITEM_PATH, MENU_INTERFACE, PrivateSessionBus, call, get_property
from support.tools import require
from support.virtual_screen import _stop

WATCHER = "org.kde.StatusNotifierWatcher"


@pytest.fixture
def bus():
    require("dbus-daemon", why="the StatusNotifierItem tests need a private D-Bus session bus")
    with PrivateSessionBus() as private:
        yield private


@pytest.fixture
def panel(bus):
    """The panel's connection, used from a worker thread (never the loop's)."""
    conn = bus.connect()
    yield conn
    conn.close()


def off_loop(qtbot, fn, *args: Any) -> Any:
    """``fn(*args)`` on a worker thread while the loop (and so the item) keeps answering."""
    return run_async(qtbot, asyncio.get_event_loop().run_in_executor(None, fn, *args))


def start_watcher(bus: PrivateSessionBus) -> subprocess.Popen:
    require("status-notifier-watcher", why="the registration tests need a real StatusNotifierWatcher")
    return subprocess.Popen(["status-notifier-watcher"], env=bus.env({"PATH": "/usr/bin:/bin"}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def registered_items(conn) -> list[str]:
    try:
        return [str(i) for i in get_property(conn, WATCHER, "/StatusNotifierWatcher", WATCHER,
                                             "RegisteredStatusNotifierItems")]
    except Exception:  # noqa: BLE001 - no watcher
        return []


def green_icon() -> QIcon:
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor(0x11, 0x22, 0x33, 0xFF))
    return QIcon(pixmap)


@pytest.fixture
def item(qtbot, aloop, bus):
    sni = SniTrayIcon(bus=bus.address)
    decided: list[tuple[Any, str]] = []
    sni.registration_changed.connect(lambda ok, why: decided.append((ok, why)))
    sni.decided = decided
    sni.setIcon(green_icon())
    sni.setToolTip("Release 2.4\n株式会社デモ · 開発\n0:42:13 (since 09:05)")
    sni.show()
    yield sni
    run_async(qtbot, sni.server.close())


def test_the_tooltip_has_a_title_and_a_description_and_the_icon_its_pixels(qtbot, item, panel):
    run_async(qtbot, item.start())
    qtbot.waitUntil(lambda: bool(item.decided), timeout=5000)
    assert item.decided[0][0] is None  # no watcher on this bus: said, not raised
    name = item.item.bus_name

    icon_name, pixmaps, title, description = off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE,
                                                      "ToolTip")
    assert title == "Release 2.4"
    assert description == "株式会社デモ · 開発\n0:42:13 (since 09:05)"
    assert off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "Title") == "TimeCrowd Tray"
    assert off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "Id") == "timecrowd-tray"
    icon = off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "IconPixmap")
    assert {(22, 22), (48, 48)} <= {(w, h) for w, h, _data in icon}
    assert [(w, h) for w, h, _data in pixmaps] == [(32, 32)]  # the tooltip's picture: one small size
    # ARGB32 in network byte order: alpha first, then red, green, blue.
    w, h, data = next(p for p in icon if p[0] == 16)
    assert data[:4] == bytes([0xFF, 0x11, 0x22, 0x33]) and len(data) == w * h * 4

    item.setToolTip("TimeCrowd Tray\nNot tracking: click to start “朝会”")
    _, _, title, description = off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "ToolTip")
    assert (title, description) == ("TimeCrowd Tray", "Not tracking: click to start “朝会”")


def test_clicks_reach_the_app_as_qt_activation_reasons(qtbot, item, panel):
    run_async(qtbot, item.start())
    reasons: list[Any] = []
    item.activated.connect(reasons.append)
    name = item.item.bus_name
    off_loop(qtbot, call, panel, name, ITEM_PATH, ITEM_INTERFACE, "Activate", "ii", (100, 5))
    off_loop(qtbot, call, panel, name, ITEM_PATH, ITEM_INTERFACE, "SecondaryActivate", "ii", (0, 0))
    qtbot.waitUntil(lambda: len(reasons) == 2, timeout=5000)
    assert reasons == [QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.MiddleClick]
    assert item.geometry().center().x() in (99, 100, 101)  # where the panel said it was clicked
    with pytest.raises(Exception, match="UnknownMethod|no method"):
        off_loop(qtbot, call, panel, name, ITEM_PATH, ITEM_INTERFACE, "Explode", "", ())


def test_registers_with_a_watcher_that_comes_late_and_again_after_it_restarts(qtbot, item, bus, panel):
    run_async(qtbot, item.start())
    assert item.registered is None
    for round_ in range(2):
        watcher = start_watcher(bus)
        try:
            qtbot.waitUntil(lambda: item.registered is True, timeout=10_000)
            items = off_loop(qtbot, registered_items, panel)
            # Registered by its object path: listed under the connection's unique name (no well-known
            # name needed, as in a Flatpak), once.
            assert items == [f"{item.server.unique_name}/StatusNotifierItem"] or \
                [i.split("/", 1)[0] for i in items] == [item.server.unique_name], f"round {round_}: {items}"
        finally:
            _stop(watcher)
        qtbot.waitUntil(lambda: item.registered is None, timeout=10_000)
    assert [ok for ok, _why in item.decided] == [None, True, None, True, None]


def test_hide_is_status_passive_and_show_active_each_said_with_new_status(qtbot, item, bus, panel):
    from support.sni_host import SignalCounter

    run_async(qtbot, item.start())
    name = item.item.bus_name
    said = SignalCounter(bus, item.server.unique_name, ITEM_INTERFACE, "NewStatus")
    try:
        item.hide()
        assert off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "Status") == "Passive"
        item.show()
        assert off_loop(qtbot, get_property, panel, name, ITEM_PATH, ITEM_INTERFACE, "Status") == "Active"
        qtbot.waitUntil(lambda: len(said.bodies) == 2, timeout=5000)
        assert said.bodies == [("Passive",), ("Active",)]
    finally:
        said.close()


def test_the_activation_token_a_panel_gives_is_kept_for_the_next_window(qtbot, item, panel, monkeypatch):
    """Plasma and GNOME send one before Activate: Qt's Wayland windows take the focus with it."""
    monkeypatch.delenv("XDG_ACTIVATION_TOKEN", raising=False)
    run_async(qtbot, item.start())
    off_loop(qtbot, call, panel, item.item.bus_name, ITEM_PATH, ITEM_INTERFACE, "ProvideXdgActivationToken", "s",
             ("token-42",))
    import os

    assert os.environ["XDG_ACTIVATION_TOKEN"] == "token-42"


@pytest.mark.parametrize("address", ["unix:path=/nonexistent/bus", "tcp:host=127.0.0.1,port=1"])
def test_a_bus_that_cannot_be_used_is_said_and_a_stand_in_is_asked_for(qtbot, aloop, address):
    sni = SniTrayIcon(bus=address)
    said: list[tuple[Any, str]] = []
    sni.registration_changed.connect(lambda ok, why: said.append((ok, why)))
    sni.show()
    run_async(qtbot, sni.start())
    assert [ok for ok, _why in said] == [None] and sni.failed


def test_a_bus_that_goes_away_is_said(qtbot, aloop):
    require("dbus-daemon", why="needs a private D-Bus session bus")
    private = PrivateSessionBus().start()
    try:
        sni = SniTrayIcon(bus=private.address)
        said: list[tuple[Any, str]] = []
        sni.registration_changed.connect(lambda ok, why: said.append((ok, why)))
        sni.show()
        watcher = start_watcher(private)
        try:
            run_async(qtbot, sni.start())
            qtbot.waitUntil(lambda: sni.registered is True, timeout=10_000)
            private.stop()
            # The daemon may first say the watcher left (then the bus's end changes nothing more):
            # either way the item is unregistered, and the connection knows the bus is gone.
            qtbot.waitUntil(lambda: sni.registered is None and sni.server.lost, timeout=10_000)
        finally:
            _stop(watcher)
        assert said[-1][0] is None and said[-1][1] in ("the session bus went away",) + tuple(
            why for _ok, why in said if why.startswith("the StatusNotifierWatcher left"))
    finally:
        private.stop()


# -- the menu over dbusmenu --------------------------------------------------------------------------


def layout(panel, name: str) -> dict[str, tuple[int, dict[str, Any]]]:
    _revision, root = call(panel, name, "/MenuBar", MENU_INTERFACE, "GetLayout", "iias", (0, -1, []))
    out: dict[str, tuple[int, dict[str, Any]]] = {}

    def walk(node):
        item_id, props, children = node
        plain = {k: v[1] for k, v in props.items()}
        out[plain.get("label", plain.get("type", str(item_id)))] = (item_id, plain)
        for child in children:
            walk(child[1])

    walk(root)
    return out


class SignalLog:
    """Signals from one sender, received on their own connection (as a panel receives them)."""

    def __init__(self, bus: PrivateSessionBus, sender: str, member: str) -> None:
        from support.sni_host import SignalCounter

        self.counter = SignalCounter(bus, sender, MENU_INTERFACE, member)

    def count(self) -> int:
        return len(self.counter.times)

    def close(self) -> None:
        self.counter.close()


def test_the_menu_is_exported_once_with_stable_ids_and_only_changes_are_sent(qtbot, item, bus, panel):
    run_async(qtbot, item.start())
    menu = QMenu()
    header = menu.addAction("0:00:01")
    menu.addSeparator()
    stop = menu.addAction("&Stop")
    checked = menu.addAction("Notify_me")
    checked.setCheckable(True)
    recent = menu.addMenu("Recent tasks")
    recent.addAction("朝会 — 株式会社デモ")
    hidden = menu.addAction("Pending changes (0)")
    hidden.setVisible(False)
    item.setContextMenu(menu)
    name = item.item.bus_name

    first = off_loop(qtbot, layout, panel, name)
    assert first["_Stop"][1] == {"label": "_Stop"}  # defaults are left out
    assert first["Notify__me"][1]["toggle-type"] == "checkmark" and first["Notify__me"][1]["toggle-state"] == 0
    assert first["Recent tasks"][1]["children-display"] == "submenu"
    assert "朝会 — 株式会社デモ" in first and first["Pending changes (0)"][1]["visible"] is False
    assert first["separator"][1] == {"type": "separator"}

    updates = SignalLog(bus, item.server.unique_name, "ItemsPropertiesUpdated")
    layouts = SignalLog(bus, item.server.unique_name, "LayoutUpdated")
    try:
        header.setText("0:00:02")
        header.setText("0:00:03")  # both in one turn of the loop: one signal, the last text
        qtbot.waitUntil(lambda: updates.count() == 1, timeout=5000)
        header_id = first["0:00:01"][0]
        assert updates.counter.bodies[0] == ([(header_id, {"label": ("s", "0:00:03")})], [])
        stop.setStatusTip("Stops the timer")  # QAction.changed, but nothing dbusmenu shows: nothing sent
        hidden.setVisible(True)
        qtbot.waitUntil(lambda: updates.count() == 2, timeout=5000)
        # Back to the defaults (Qt disables a hidden action): the properties are removed, not sent as True.
        assert updates.counter.bodies[1] == ([], [(first["Pending changes (0)"][0], ["enabled", "visible"])])
        # A panel that reads only some names (GNOME's extension: type, children-display) still hears of
        # the others' changes.
        off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "GetLayout", "iias",
                 (0, -1, ["type", "children-display"]))
        stop.setText("&Stop now")
        qtbot.waitUntil(lambda: updates.count() == 3, timeout=5000)
        assert updates.counter.bodies[2] == ([(first["_Stop"][0], {"label": ("s", "_Stop now")})], [])
        stop.setText("&Stop")
        qtbot.waitUntil(lambda: updates.count() == 4, timeout=5000)
        again = off_loop(qtbot, layout, panel, name)
        assert again["0:00:03"][0] == first["0:00:01"][0] and again["_Stop"][0] == first["_Stop"][0]
        assert layouts.count() == 0  # nothing added or removed yet
        recent.addAction("資料作成 — 株式会社デモ")
        qtbot.waitUntil(lambda: layouts.count() == 1, timeout=5000)
        assert "資料作成 — 株式会社デモ" in off_loop(qtbot, layout, panel, name)
        assert updates.count() == 4
        everything = off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "GetGroupProperties", "aias",
                              ([], ["label"]))[0]
        assert {i for i, _props in everything} >= {first["_Stop"][0], header_id}  # no ids: every item
    finally:
        updates.close()
        layouts.close()


def test_panel_events_are_the_menus_own_signals(qtbot, item, panel):
    run_async(qtbot, item.start())
    menu = QMenu()
    stop = menu.addAction("Stop")
    disabled = menu.addAction("Open in TimeCrowd")
    disabled.setEnabled(False)
    seen: list[str] = []
    stop.triggered.connect(lambda: seen.append("stop"))
    disabled.triggered.connect(lambda: seen.append("disabled"))
    menu.aboutToShow.connect(lambda: seen.append("shown"))
    menu.aboutToHide.connect(lambda: seen.append("hidden"))
    menu.hovered.connect(lambda action: seen.append(f"hovered {action.text()}"))
    item.setContextMenu(menu)
    name = item.item.bus_name
    ids = {label: i for label, (i, _p) in off_loop(qtbot, layout, panel, name).items()}

    assert off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "AboutToShow", "i", (0,)) == (False,)
    off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "EventGroup", "a(isvu)",
             ([(ids["Stop"], "hovered", ("i", 0), 0), (ids["Open in TimeCrowd"], "clicked", ("i", 0), 0),
               (ids["Stop"], "clicked", ("i", 0), 0), (0, "closed", ("i", 0), 0)],))
    qtbot.waitUntil(lambda: "stop" in seen, timeout=5000)
    assert seen == ["shown", "hovered Stop", "hidden", "stop"]  # a click runs once the panel has its answer
    # KDE and GNOME say AboutToShow and then "opened" for one opening: one aboutToShow. "opened" alone
    # (and AboutToShow again, hosts that never say "closed") is an opening each time.
    seen.clear()
    off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "AboutToShow", "i", (0,))
    off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "Event", "isvu", (0, "opened", ("i", 0), 0))
    off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "Event", "isvu", (0, "opened", ("i", 0), 0))
    off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "AboutToShow", "i", (0,))
    assert seen == ["shown", "shown", "shown"]
    with pytest.raises(Exception, match="no menu item"):
        off_loop(qtbot, call, panel, name, "/MenuBar", MENU_INTERFACE, "Event", "isvu", (999, "clicked", ("i", 0), 0))


def test_labels_and_tooltip_parts():
    assert dbusmenu_label("&Stop") == "_Stop"
    assert dbusmenu_label("R&&D_team") == "R&D__team"
    assert dbusmenu_label("Quit\tCtrl+Q") == "Quit"
    assert tooltip_parts("TimeCrowd Tray") == ("TimeCrowd Tray", "")
    assert tooltip_parts("A\nB\nC") == ("A", "B\nC")
