"""The service's own messages, listed for ``lupdate``.

:mod:`timecrowd_tray.services.messages` has no Qt (the service layer must not
import it), so ``lupdate`` cannot see its texts there. They are repeated here
in ``translate()`` calls of the ``TimerService`` context; at run time the
service passes each text through ``QCoreApplication.translate`` with that
context (installed by :mod:`.i18n`). A test checks that this list and the
service's constants agree.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> list[str]:
    """Never called by the app: each line is here for lupdate (and the test)."""
    translate = QCoreApplication.translate
    return [
        translate("TimerService", "Your TimeCrowd session has ended (the token expired or was revoked). Sign in again."),  # noqa: E501
        translate("TimerService", "Sign in to TimeCrowd first."),
        translate("TimerService", "Still loading your timer from TimeCrowd. Try again in a moment."),
        translate("TimerService", "There is no recent task to start yet. Pick a task first."),
        translate("TimerService", "This task has no team, so it cannot be started."),
        translate("TimerService", "A task needs a title."),
        translate("TimerService", "A comment can be at most {limit} characters long (this one has {length})."),
        translate("TimerService", "This was not sent because the timer it belongs to could not be started."),
        translate("TimerService", "This was not sent because the time entry it belongs to is no longer known."),
        translate("TimerService", "The start you made offline was not sent: a timer was started elsewhere after it. Check your entries on TimeCrowd."),  # noqa: E501
        translate("TimerService", "TimeCrowd refused this request (HTTP {status})."),
        translate("TimerService", "Your action could not be saved on this computer (the disk refused the write), so it was not done. Check the free space and try again."),  # noqa: E501
    ]
