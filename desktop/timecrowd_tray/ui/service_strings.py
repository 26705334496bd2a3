"""The services' messages, in the user's language.

* :func:`texts`: :mod:`timecrowd_tray.services.messages` has no Qt (the
  service layer must not import it), so ``lupdate`` cannot see its texts there.
  They are repeated here in ``translate()`` calls of the ``TimerService``
  context; at run time the service passes each text through
  ``QCoreApplication.translate`` with that context (installed by :mod:`.i18n`).
  A test checks that this list and the service's constants agree. API errors
  go through :func:`timecrowd_tray.services.messages.api_error_text`.
* :func:`keyring_text`: what to say when the system keyring cannot be used
  (:class:`CredentialsUnavailable`), the one translated version used by the
  app's start-up notice and the sign-in window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ..services.credentials import CredentialsUnavailable


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
        translate("TimerService", "TimeCrowd refused this: your account is not allowed to do it."),
        translate("TimerService", "TimeCrowd no longer has what this was about (it may have been deleted)."),
        translate("TimerService", "TimeCrowd did not accept this change."),
        translate("TimerService", "TimeCrowd is receiving too many requests. Try again in a moment."),
        translate("TimerService", "TimeCrowd has a problem right now (HTTP {status}). Try again later."),
        translate("TimerService", "TimeCrowd cannot be reached. Check your connection."),
        translate("TimerService", "TimeCrowd did not answer in time. Check your connection."),
        translate("TimerService", "TimeCrowd's answer was not understood. Check the server address in Settings."),
        translate("TimerService", "Something went wrong while talking to TimeCrowd."),
    ]


def keyring_text(exc: CredentialsUnavailable) -> str:
    """The keyring problem ``exc`` in the user's language, ending with what to do."""
    translate = QCoreApplication.translate
    if exc.kind == "locked":
        return translate("Keyring", "Your system keyring is locked. Unlock it (for example by logging in to your "
                                    "desktop or opening your keyring manager), then try again.")
    if exc.kind == "denied":
        return translate("Keyring", "Access to the system keyring was refused. Allow TimeCrowd Tray to use it "
                                    "when your system asks, then try again.")
    if exc.kind == "other":
        return translate("Keyring", "The system keyring could not be used (%1). Try again.").replace(
            "%1", exc.detail or "?")
    from ..services.credentials import CredentialsUnavailable as _Unavailable

    if exc.user_message == _Unavailable("no_backend").user_message:
        return translate("Keyring", "No system keyring is available to keep your sign-in. Install and start "
                                    "GNOME Keyring or KWallet, then try again.")
    # A keyring configuration the app refuses (a plain-text file backend, the null backend, a broken
    # PYTHON_KEYRING_BACKEND...): the service's text names the backend and the setting to change.
    return exc.user_message
