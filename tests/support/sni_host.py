"""A private D-Bus session bus with a real StatusNotifierItem panel on a virtual screen.

    with PrivateSessionBus() as bus, VirtualScreen() as screen:
        panel = SniPanel(bus, screen)
        panel.start_watcher()      # status-notifier-watcher (Debian haskell-status-notifier-item-utils)
        panel.start_host()         # gtk-sni-tray-standalone (haskell-gtk-sni-tray-utils): a GTK bar
        panel.items_of(pid)        # the items this process registered with the watcher
        client = SniClient(bus.address, bus_name)   # drives an item and its dbusmenu over jeepney

The bus is ``dbus-daemon --session --nofork --print-address``; nothing of the machine's own
session is touched. Every wait is bounded and waits on a condition.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from typing import Any

from .virtual_screen import VirtualScreen, _stop, wait_for

SNI_TOOLS = ("dbus-daemon", "status-notifier-watcher", "gtk-sni-tray-standalone")
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
MENU_INTERFACE = "com.canonical.dbusmenu"


class PrivateSessionBus:
    def __init__(self, config_file: str | None = None) -> None:
        self.address = ""
        #: None: the standard session bus configuration (it can start the machine's installed services).
        self.config_file = config_file
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> PrivateSessionBus:
        config = [f"--config-file={self.config_file}"] if self.config_file else ["--session"]
        self._proc = subprocess.Popen(["dbus-daemon", *config, "--nofork", "--print-address=1"],
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self._proc.stdout is not None
        self.address = self._proc.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("dbus-daemon printed no address")
        return self

    def stop(self) -> None:
        _stop(self._proc)
        self._proc = None

    def __enter__(self) -> PrivateSessionBus:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        return env

    def connect(self) -> Any:
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(self.address)


def call(conn: Any, bus_name: str, path: str, interface: str, member: str, signature: str | None = None,
         body: tuple[Any, ...] = (), timeout: float = 10.0) -> tuple[Any, ...]:
    from jeepney import DBusAddress, new_method_call
    from jeepney.wrappers import unwrap_msg

    address = DBusAddress(path, bus_name=bus_name, interface=interface)
    reply = conn.send_and_get_reply(new_method_call(address, member, signature, body), timeout=timeout)
    return tuple(unwrap_msg(reply))


def get_property(conn: Any, bus_name: str, path: str, interface: str, name: str) -> Any:
    (value,) = call(conn, bus_name, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, name))
    return value[1]


class SniPanel:
    """The watcher and the GTK host, started and stopped at will (a panel that comes late, restarts)."""

    def __init__(self, bus: PrivateSessionBus, screen: VirtualScreen) -> None:
        self.bus = bus
        self.screen = screen
        self._watcher: subprocess.Popen[bytes] | None = None
        self._host: subprocess.Popen[bytes] | None = None
        self._conn = bus.connect()

    def env(self) -> dict[str, str]:
        return self.bus.env(self.screen.env())

    def start_watcher(self) -> None:
        self._watcher = subprocess.Popen(["status-notifier-watcher"], env=self.env(), stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        # The Haskell watcher owns its name a moment before it exports its object: until then a call
        # on it is answered UnknownObject. Ready means it answers.
        wait_for(lambda: self.watcher_property("ProtocolVersion") is not None, 15,
                 "status-notifier-watcher to answer on its bus name")

    def stop_watcher(self) -> None:
        _stop(self._watcher)
        self._watcher = None
        wait_for(lambda: not self.owner(WATCHER), 15, "the watcher's bus name to be released")

    def start_host(self) -> None:
        self._host = subprocess.Popen(["gtk-sni-tray-standalone", "--top", "--end", "-s", "32"], env=self.env(),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.watcher_property("IsStatusNotifierHostRegistered"), 20,
                 "the GTK host to register with the watcher")

    def stop(self) -> None:
        _stop(self._host)
        _stop(self._watcher)
        self._host = self._watcher = None
        self._conn.close()

    def watcher_property(self, name: str) -> Any:
        """The watcher's property ``name``; None while there is no watcher, or none that answers yet."""
        from jeepney.wrappers import DBusErrorResponse

        try:
            return get_property(self._conn, WATCHER, WATCHER_PATH, WATCHER, name)
        except DBusErrorResponse:
            return None

    def owner(self, name: str) -> str:
        try:
            (owner,) = call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "GetNameOwner", "s", (name,))
        except Exception:  # noqa: BLE001 - not owned
            return ""
        return str(owner)

    def pid_of(self, bus_name: str) -> int | None:
        try:
            (pid,) = call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "GetConnectionUnixProcessID", "s", (bus_name,))
        except Exception:  # noqa: BLE001 - gone
            return None
        return int(pid)

    def items_of(self, pid: int) -> list[str]:
        """The bus names of the items registered by process ``pid`` (empty without a watcher)."""
        try:
            items = get_property(self._conn, WATCHER, WATCHER_PATH, WATCHER, "RegisteredStatusNotifierItems")
        except Exception:  # noqa: BLE001 - no watcher
            return []
        names = [str(item).split("/", 1)[0] for item in items]
        return [name for name in names if self.pid_of(name) == pid]

    def wait_registered(self, pid: int, timeout: float = 20.0, what: str = "the app's item") -> str:
        return wait_for(lambda: (self.items_of(pid) or [None])[0], timeout, what + " to be registered")


class SniClient:
    """Drives one item (``Activate``, properties) and its menu (dbusmenu) as a panel does."""

    def __init__(self, bus: PrivateSessionBus, bus_name: str) -> None:
        self.bus_name = bus_name
        self.conn = bus.connect()
        self.menu_path = str(self.item_property("Menu"))

    def close(self) -> None:
        self.conn.close()

    def item_property(self, name: str) -> Any:
        return get_property(self.conn, self.bus_name, ITEM_PATH, ITEM_INTERFACE, name)

    def item_call(self, member: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        return call(self.conn, self.bus_name, ITEM_PATH, ITEM_INTERFACE, member, signature, body)

    def menu_call(self, member: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        return call(self.conn, self.bus_name, self.menu_path, MENU_INTERFACE, member, signature, body)

    def layout(self) -> list[tuple[int, dict[str, Any]]]:
        """(id, {property: value}) of every item under the root, in order (GetLayout(0, -1, []))."""
        _revision, root = self.menu_call("GetLayout", "iias", (0, -1, []))
        out: list[tuple[int, dict[str, Any]]] = []

        def walk(node: Any) -> None:
            item_id, props, children = node
            out.append((int(item_id), {k: v[1] for k, v in props.items()}))
            for child in children:
                walk(child[1])

        for child in root[2]:
            walk(child[1])
        return out

    def labels(self) -> dict[str, int]:
        """{label: id} of the items that show."""
        return {str(p.get("label", "")): i for i, p in self.layout() if p.get("visible", True) and p.get("label")}


class SignalCounter:
    """Counts a signal from one bus name on its own connection and thread (like dbus-monitor)."""

    def __init__(self, bus: PrivateSessionBus, sender: str, interface: str, member: str) -> None:
        from jeepney import MatchRule, message_bus

        self.times: list[float] = []
        self.bodies: list[tuple[Any, ...]] = []  # each signal's body, in the order received
        self._conn = bus.connect()
        if not sender.startswith(":"):  # messages carry the sender's unique name: match on that here
            (sender,) = call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                             "GetNameOwner", "s", (sender,))
        self._rule = MatchRule(type="signal", sender=sender, interface=interface, member=member)
        call_ = self._conn.send_and_get_reply(message_bus.AddMatch(self._rule), timeout=10)
        assert call_ is not None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - closed
                return
            if self._rule.matches(message):
                self.bodies.append(tuple(message.body))
                self.times.append(time.monotonic())

    def count_since(self, since: float) -> int:
        return sum(1 for t in list(self.times) if t >= since)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()


def sni_env(bus: PrivateSessionBus, base: dict[str, str]) -> dict[str, str]:
    env = bus.env(base)
    env.pop("XDG_CURRENT_DESKTOP", None)
    env.setdefault("XDG_SESSION_TYPE", "x11")
    env["NO_AT_BRIDGE"] = "1"
    return {k: v for k, v in env.items() if k != "DBUS_SYSTEM_BUS_ADDRESS" or os.path.exists(v)}
