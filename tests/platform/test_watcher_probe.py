"""The start-up probe for a StatusNotifierWatcher (platform/tray/watcher_probe.py), on a private bus."""

from __future__ import annotations

import subprocess

from timecrowd_tray.platform.tray.watcher_probe import WatcherProbe

from support.sni_host import PrivateSessionBus
from support.tools import require
from support.virtual_screen import _stop, wait_for


def done(probe: WatcherProbe) -> bool:
    return probe._done.is_set()


def test_says_whether_a_watcher_is_there_without_the_caller_waiting():
    require("dbus-daemon", "status-notifier-watcher", why="the probe test needs a private bus and a real watcher")
    with PrivateSessionBus() as bus:
        probe = WatcherProbe(bus.address)
        wait_for(lambda: done(probe), 10, "the probe's answer")
        assert probe.answer() is False
        watcher = subprocess.Popen(["status-notifier-watcher"], env=bus.env({"PATH": "/usr/bin:/bin"}),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def asked() -> bool | None:  # a new probe each time: the watcher takes a moment to own its name
                probe = WatcherProbe(bus.address)
                probe._done.wait(5)
                return probe.answer()

            wait_for(asked, 10, "a probe that finds the watcher")
        finally:
            _stop(watcher)


def test_no_bus_is_no_answer_and_nothing_raised():
    probe = WatcherProbe("unix:path=/nonexistent/bus")
    wait_for(lambda: done(probe), 10, "the probe to give up")
    assert probe.answer() is None
