"""The timer service's calls that decide when to ask the server: polls, network changes, resumes.

A mixin of :class:`~.timer_service.TimerService`, so the facade stays one class
without growing: the polling itself is the :class:`~.poller.Poller`'s, what one
poll does is :mod:`.server_poll`'s.
"""

from __future__ import annotations

from collections.abc import Callable

from ..api.client import TimeCrowdClient
from .poller import Poller
from .recent_tasks import RecentTasks
from .sender import Sender


class PollFacade:
    _poller: Poller | None
    _client: TimeCrowdClient | None
    _active: bool
    _poll_interval: float
    _mono: Callable[[], float]
    _sender: Sender
    _recent: RecentTasks
    _set_online: Callable[[bool], None]

    async def refresh(self) -> bool:
        """One poll now (joins the one in flight). True when the server answered."""
        if self._poller is None or self._client is None:
            return False
        return (await self._poller.poll_now()).ok

    def request_refresh(self, max_age: float = 5.0) -> None:
        """The menu opened: poll in the background if the last answer is older than ``max_age``."""
        if self._poller is None or not self._active or self._poller.in_flight or self._poller.held:
            return
        last = self._poller.last_success
        if last is None or self._mono() - last > max_age:
            self._poller.wake()

    def set_poll_interval(self, seconds: float) -> None:
        self._poll_interval = float(seconds)
        if self._poller is not None:
            self._poller.set_interval(seconds)

    def notify_network_changed(self, online: bool) -> None:
        """From the platform (QNetworkInformation): online -> poll and replay now."""
        if not online:
            self._set_online(False)
            return
        self._wake_all()

    def notify_resumed(self) -> None:
        """The computer woke up (if the platform knows; the poller also detects it)."""
        self._wake_all()

    def _wake_all(self) -> None:
        if self._poller is not None and self._active:
            self._poller.reset_backoff()
            self._poller.wake()
        self._sender.wake()

    def _on_resume(self) -> None:
        self._sender.wake()
        self._recent.schedule_refresh()
