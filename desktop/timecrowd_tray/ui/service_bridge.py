"""Qt signals for the service's plain callbacks.

The service knows nothing of Qt: it calls ``listener(state)`` and
``event_listener(event)`` on the asyncio loop's thread, which under qasync is
the UI thread. Emitting from a bridge living in the UI thread delivers at
once there, and would be queued safely if a callback ever came from another
thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class _Observable(Protocol):
    def add_listener(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...

    def add_event_listener(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class ServiceBridge(QObject):
    state_changed = Signal(object)  # TimerState
    event = Signal(object)          # services.events.ServiceEvent

    def __init__(self, service: _Observable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = [
            service.add_listener(self.state_changed.emit),
            service.add_event_listener(self.event.emit),
        ]

    def detach(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
