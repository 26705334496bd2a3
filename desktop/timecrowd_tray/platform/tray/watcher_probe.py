"""Is a StatusNotifierWatcher on the session bus? Asked on a thread of its own, early at start-up.

The app shows its first icon before its event loop runs. Where no StatusNotifierItem panel
is there (an XEmbed tray: Xfce, MATE, trayer), that icon is Qt's and can go up at once; where
one is, it is our own item, which connects once the loop runs. :class:`WatcherProbe` asks the
bus while Qt starts up, and the UI thread only looks at the answer when it has one
(:meth:`WatcherProbe.answer`): it never waits for it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

from .sni_item import WATCHER

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 1.0


def own_item_wanted(platform_name: str) -> bool:
    """Whether the icon is our own StatusNotifierItem: Linux, a real display, a session bus
    (``TIMECROWD_TRAY_SNI=0`` leaves it to Qt's QSystemTrayIcon: README, troubleshooting)."""
    if not sys.platform.startswith("linux") or platform_name in ("offscreen", "minimal") or \
            os.environ.get("TIMECROWD_TRAY_SNI", "1") == "0":
        return False
    from ..dbus_connection import session_bus_configured

    return session_bus_configured()


class WatcherProbe:
    """``answer()``: True (a watcher), False (none), None (not known yet, or the bus did not answer)."""

    def __init__(self, bus: str | None = None) -> None:
        if bus is None:
            from ..dbus_connection import session_bus_address

            bus = session_bus_address() or "SESSION"
        self._answer: bool | None = None
        self._done = threading.Event()
        self._started = time.monotonic()
        self.took_s: float | None = None  # how long the answer took (for the log)
        self._thread = threading.Thread(target=self._ask, args=(bus,), name="sni-probe", daemon=True)
        self._thread.start()

    def answer(self) -> bool | None:
        return self._answer if self._done.is_set() else None

    def _ask(self, bus: str) -> None:
        try:
            from jeepney import DBusAddress, new_method_call
            from jeepney.io.blocking import open_dbus_connection
            from jeepney.low_level import MessageType

            conn = open_dbus_connection(bus, auth_timeout=PROBE_TIMEOUT_S)
            try:
                address = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                                      interface="org.freedesktop.DBus")
                reply = conn.send_and_get_reply(new_method_call(address, "NameHasOwner", "s", (WATCHER,)),
                                                timeout=PROBE_TIMEOUT_S)
                if reply.header.message_type is MessageType.method_return:
                    self._answer = bool(reply.body[0])
            finally:
                conn.close()
        except Exception as exc:  # noqa: BLE001 - no bus, or a slow one: the loop finds out later
            log.debug("tray: the StatusNotifierWatcher probe had no answer (%r)", exc)
        finally:
            self.took_s = time.monotonic() - self._started
            self._done.set()
