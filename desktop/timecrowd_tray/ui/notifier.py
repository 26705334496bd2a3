"""Desktop notifications: errors, changes made elsewhere, sign-in needed.

* Errors are always shown, with the server's words verbatim (the service
  hands them over untouched, or its own message already translated).
* A timer started, stopped or switched elsewhere (the web app, a phone) is
  always shown: the user did not do it here.
* Routine news (our own start and stop, changes sent after being offline,
  offline/online) only with the ``notifications`` setting on.
* A page no browser could open ("Open in TimeCrowd") is an error: always shown.
* A change of an entry refused when it was sent (its own title: add, change or delete;
  a conflict with a change made elsewhere says what changed there) is an error: it may be
  sent long after it was made, with no window open to say it.

Through the icon's ``showMessage`` when it shows (a QSystemTrayIcon's, or our
StatusNotifierItem's freedesktop notification, :mod:`.sni_icon`); without a
tray the message goes to standard error and the log, so it is never lost.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from .. import APP_NAME
from ..core.durations import format_hms
from ..core.labels import task_label
from ..services import events as ev

log = logging.getLogger(__name__)

ERROR_MS = 10_000
INFO_MS = 5_000


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str      # "error", "elsewhere", "routine", "signin"
    title: str
    message: str


class Notifier(QObject):
    """``tray_available`` says whether a system tray shows the icon (the tray view knows:
    asking Qt is an X round trip); without it, Qt is asked each time."""

    def __init__(self, tray: QSystemTrayIcon | Callable[[], Any], routine_enabled: Callable[[], bool],
                 parent: QObject | None = None, *, tray_available: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        # The icon, or how to get the one up now (the tray view creates it again when a panel restarts).
        self._current_tray = tray if callable(tray) and not isinstance(tray, QSystemTrayIcon) else (lambda: tray)
        self._routine_enabled = routine_enabled
        self._tray_available = tray_available or QSystemTrayIcon.isSystemTrayAvailable
        self._supports_messages: bool | None = None
        self.history: list[Notice] = []  # every notice shown (or printed), newest last

    # -- kinds ---------------------------------------------------------------------------

    def error(self, message: str, title: str | None = None) -> None:
        self._show(Notice("error", title or APP_NAME, message), QSystemTrayIcon.MessageIcon.Warning,
                   ERROR_MS)

    def elsewhere(self, title: str, message: str) -> None:
        self._show(Notice("elsewhere", title, message), QSystemTrayIcon.MessageIcon.Information, INFO_MS)

    def routine(self, title: str, message: str) -> None:
        if self._routine_enabled():
            self._show(Notice("routine", title, message), QSystemTrayIcon.MessageIcon.Information, INFO_MS)

    def page_not_opened(self, url: str) -> None:
        """No browser could open ``url`` (``QDesktopServices.openUrl`` said False): say so, with the address."""
        self.error(self.tr("Could not open %1 in a browser. Copy the address into your browser.").replace("%1", url),
                   self.tr("Could not open the page"))

    def sign_in_needed(self, reason: str) -> None:
        self._show(Notice("signin", self.tr("Sign in needed"), reason), QSystemTrayIcon.MessageIcon.Warning,
                   ERROR_MS)

    # -- the service's events ------------------------------------------------------------------

    def handle(self, event: object) -> None:
        if isinstance(event, ev.ActionFailed):
            self.error(event.message)
        elif isinstance(event, ev.IntentRejected):
            titles = {
                "start": self.tr("TimeCrowd did not start the timer"),
                "stop": self.tr("TimeCrowd did not stop the timer"),
                "comment": self.tr("TimeCrowd did not save the comment"),
                "create": self.tr("TimeCrowd did not create the task"),
                "add": self.tr("TimeCrowd did not add the entry"),
                "edit": self.tr("TimeCrowd did not change the entry"),
                "delete": self.tr("TimeCrowd did not delete the entry"),
            }
            title = titles.get(event.kind, self.tr("TimeCrowd refused a change"))
            if event.task is not None and event.task.title:
                title = f"{title}: {event.task.title}"
            self.error(event.message, title)
        elif isinstance(event, ev.SignedOut):
            self.sign_in_needed(event.reason)
        elif isinstance(event, ev.StartedElsewhere):
            task = event.entry.task
            self.elsewhere(self.tr("Timer started elsewhere"), task_label(task.title, task.team_name))
        elif isinstance(event, ev.SwitchedElsewhere):
            task = event.entry.task
            self.elsewhere(self.tr("Task switched elsewhere"), task_label(task.title, task.team_name))
        elif isinstance(event, ev.StoppedElsewhere):
            task = event.task
            self.elsewhere(self.tr("Timer stopped elsewhere"), task_label(task.title, task.team_name))
        elif isinstance(event, ev.SyncedPending):
            self.routine(self.tr("Changes sent"),
                         self.tr("%n change(s) made offline reached TimeCrowd.", "", event.count))
        elif isinstance(event, ev.WentOffline):
            self.routine(self.tr("Offline"),
                         self.tr("TimeCrowd cannot be reached. Your changes are kept and sent when it can."))
        elif isinstance(event, ev.BackOnline):
            self.routine(self.tr("Back online"), self.tr("TimeCrowd can be reached again."))

    def started(self, task_title: str) -> None:
        self.routine(self.tr("Timer started"), task_title)

    def stopped(self, task_title: str, duration: float) -> None:
        self.routine(self.tr("Timer stopped"), f"{task_title} ({format_hms(duration)})")

    # -- output ----------------------------------------------------------------------------

    def _show(self, notice: Notice, icon: QSystemTrayIcon.MessageIcon, ms: int) -> None:
        self.history.append(notice)
        del self.history[:-50]
        log.info("notification (%s): %s: %s", notice.kind, notice.title, notice.message)
        tray = self._current_tray()
        if tray.isVisible() and self._tray_available() and self._messages_supported(tray):
            tray.showMessage(notice.title, notice.message, icon, ms)
        elif notice.kind in ("error", "signin", "elsewhere"):
            print(f"{notice.title}: {notice.message}", file=sys.stderr, flush=True)


    def _messages_supported(self, tray: object) -> bool:
        if not isinstance(tray, QSystemTrayIcon):
            return bool(getattr(tray, "supportsMessages", lambda: False)())  # our StatusNotifierItem: always
        if self._supports_messages is None:
            self._supports_messages = bool(QSystemTrayIcon.supportsMessages())
        return self._supports_messages
