"""SIGTERM and SIGINT end the app cleanly (its shutdown runs), with no timer polling for them."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QSocketNotifier


class QuitOnSignals:
    """SIGTERM/SIGINT -> ``quit`` (a clean shutdown), with no timer polling for them.

    Python runs signal handlers only between bytecodes, and Qt's loop may sleep
    in C++ for a long time: ``signal.set_wakeup_fd`` writes a byte to a socket
    that a QSocketNotifier watches, which wakes the loop and lets the handler run.
    That descriptor wakes the loop for any signal: ``platform.instance.server`` relies on it for
    SIGUSR1 when it is set.
    """

    def __init__(self, quit: Callable[[], None]) -> None:
        self._quit = quit
        self.notifier: QSocketNotifier | None = None
        try:
            self._rsock, self._wsock = socket.socketpair()
            self._rsock.setblocking(False)
            self._wsock.setblocking(False)
            signal.set_wakeup_fd(self._wsock.fileno())
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self._quit())
        except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal here
            return
        self.notifier = QSocketNotifier(self._rsock.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._drain)

    def _drain(self, *_: object) -> None:
        try:
            while self._rsock.recv(64):
                pass
        except OSError:
            pass
