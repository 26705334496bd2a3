"""The system's view of the network (QNetworkInformation), told to the timer service.

:class:`NetworkWatcher` is built with the app but starts watching only when asked
(:meth:`NetworkWatcher.start`, the first time the service goes offline), not at start-up:
the watcher costs ~4 MiB for the whole day (QtNetwork, and GIO's network monitor on
Linux), and while the server answers, the polls already say all there is to know. So
QtNetwork is imported by :meth:`~NetworkWatcher.start`, never by this module.

From then on, back online: the service polls and sends what waits at once, without
waiting for its back-off; disconnected again: it shows "offline" at once. A server on
this computer does not need the network: losing it says nothing about that server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)


class NetworkListener(Protocol):
    """What hears of the network (the timer service)."""

    def notify_network_changed(self, online: bool) -> None: ...


class NetworkWatcher:
    """Reachability changes -> ``listener.notify_network_changed``, where the platform reports them.

    ``server()`` gives the server in use (its URL, or None), asked at each change.
    """

    def __init__(self, listener: NetworkListener, server: Callable[[], str | None]) -> None:
        self._listener = listener
        self._server = server
        self.info: QNetworkInformation | None = None  # when this platform has a backend, once started
        self._tried = False

    def start(self) -> None:
        """Follow the system's reachability from now on; tried once (a platform without a backend
        is not asked again). Never raises: this is a nicety, the polls find out anyway."""
        if self._tried:
            return
        self._tried = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                log.info("no network information on this platform: relying on the polls")
                return
            info = QNetworkInformation.instance()
            if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
                log.info("the network information backend does not report reachability")
                return
            info.reachabilityChanged.connect(self._on_reachability)
            self.info = info
            log.info("network reachability from the %s backend: %s", info.backendName(),
                     info.reachability().name)
        except Exception:  # ImportError included: this is a nicety, never a reason to fail
            log.exception("network information unavailable")

    def close(self) -> None:
        """Stop following the reachability (at shutdown)."""
        if self.info is not None:
            try:
                self.info.reachabilityChanged.disconnect(self._on_reachability)
            except (RuntimeError, TypeError):
                pass
            self.info = None

    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        Reachability = QNetworkInformation.Reachability  # noqa: N806
        log.info("network reachability: %s", getattr(reachability, "name", reachability))
        if reachability == Reachability.Unknown:
            return
        if reachability == Reachability.Disconnected:
            if self._server_is_local():
                return  # a server on this computer does not need the network
            self._listener.notify_network_changed(False)
        else:
            # Online, or a local network only: let a poll find out whether the server answers.
            self._listener.notify_network_changed(True)

    def _server_is_local(self) -> bool:
        from urllib.parse import urlsplit

        from ..core.endpoint import is_loopback_host

        base = self._server()
        if not base:
            return False
        return is_loopback_host(urlsplit(base).hostname or "")
