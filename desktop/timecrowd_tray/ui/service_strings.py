"""The services' messages, in the user's language.

* :func:`texts`: :mod:`timecrowd_tray.services.messages` has no Qt (the
  service layer must not import it), so ``lupdate`` cannot see its texts there.
  Its constants are the one place a service message is written; the
  ``translate()`` calls of the ``TimerService`` context in :func:`texts` are
  *generated* from them, for lupdate to read: after adding or changing a
  constant, run ``python -m timecrowd_tray.ui.service_strings`` (then
  ``scripts/translations.sh``). A test fails while they are out of date. At
  run time the service passes each text through ``QCoreApplication.translate``
  with that context (installed by :mod:`.i18n`), and code that must tell one
  message from another uses the service's codes (``ActionResult.code``, the
  events' kinds), never the text. API errors go through
  :func:`timecrowd_tray.services.messages.api_error_text`.
* :func:`keyring_text`: what to say when the system keyring cannot be used
  (:class:`CredentialsUnavailable`), the one translated version used by the
  app's start-up notice and the sign-in window, chosen by the problem's
  ``kind``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ..services.credentials import CredentialsUnavailable

GENERATED_BEGIN = "        # BEGIN generated from services/messages.py by: python -m timecrowd_tray.ui.service_strings"
GENERATED_END = "        # END generated"
LINE_LENGTH = 120


def texts() -> list[str]:
    """Never called by the app: each line is here for lupdate (and the test)."""
    translate = QCoreApplication.translate
    return [
        # BEGIN generated from services/messages.py by: python -m timecrowd_tray.ui.service_strings
        translate("TimerService", "Your TimeCrowd session has ended (the token expired or was revoked). Sign in again."),  # SESSION_EXPIRED  # noqa: E501
        translate("TimerService", "Sign in to TimeCrowd first."),  # NOT_SIGNED_IN
        translate("TimerService", "Still loading your timer from TimeCrowd. Try again in a moment."),  # STILL_LOADING
        translate("TimerService", "There is no recent task to start yet. Pick a task first."),  # NO_RECENT_TASK
        translate("TimerService", "This task has no team, so it cannot be started."),  # TASK_HAS_NO_TEAM
        translate("TimerService", "A task needs a title."),  # EMPTY_TITLE
        translate("TimerService", "The comment is empty: nothing was added."),  # EMPTY_COMMENT
        translate("TimerService", "A comment can be at most {limit} characters long (this one has {length})."),  # COMMENT_TOO_LONG  # noqa: E501
        translate("TimerService", "This was not sent because the timer it belongs to could not be started."),  # DEPENDENT_DROPPED  # noqa: E501
        translate("TimerService", "This comment was not added because the stop it came with was refused."),  # STOP_REFUSED_WITH_COMMENT  # noqa: E501
        translate("TimerService", "This was not sent because the time entry it belongs to is no longer known."),  # TARGET_LOST  # noqa: E501
        translate("TimerService", "The start you made offline was not sent: a timer was started elsewhere after it. Check your entries on TimeCrowd."),  # SUPERSEDED  # noqa: E501
        translate("TimerService", "Your action could not be saved on this computer (the disk refused the write), so it was not done. Check the free space and try again."),  # STORAGE_FAILED  # noqa: E501
        translate("TimerService", "TimeCrowd refused this request (HTTP {status})."),  # REJECTED_NO_MESSAGE
        translate("TimerService", "TimeCrowd refused this: your account is not allowed to do it."),  # API_FORBIDDEN
        translate("TimerService", "TimeCrowd no longer has what this was about (it may have been deleted)."),  # API_NOT_FOUND  # noqa: E501
        translate("TimerService", "TimeCrowd did not accept this change."),  # API_INVALID
        translate("TimerService", "TimeCrowd is receiving too many requests. Try again in a moment."),  # API_RATE_LIMITED  # noqa: E501
        translate("TimerService", "TimeCrowd has a problem right now (HTTP {status}). Try again later."),  # API_SERVER_ERROR  # noqa: E501
        translate("TimerService", "TimeCrowd cannot be reached. Check your connection."),  # API_UNREACHABLE
        translate("TimerService", "TimeCrowd did not answer in time. Check your connection."),  # API_TIMEOUT
        translate("TimerService", "TimeCrowd's answer was not understood. Check the server address in Settings."),  # API_NOT_UNDERSTOOD  # noqa: E501
        translate("TimerService", "Something went wrong while talking to TimeCrowd."),  # API_FAILED
        translate("TimerService", "The end is before the start."),  # PROBLEM_STOP_BEFORE_START
        translate("TimerService", "The entry has no length: its end is its start."),  # PROBLEM_EMPTY
        translate("TimerService", "The end is in the future."),  # PROBLEM_IN_FUTURE
        translate("TimerService", "The start is in the future."),  # PROBLEM_START_IN_FUTURE
        translate("TimerService", "An entry can't be longer than 24 hours."),  # PROBLEM_TOO_LONG
        translate("TimerService", "This overlaps “{task}” ({start}–{end})."),  # PROBLEM_OVERLAP
        translate("TimerService", "This overlaps “{task}” (since {start}, still running)."),  # PROBLEM_OVERLAP_RUNNING
        translate("TimerService", "The running entry “{task}” started at {start}, after this time: edit its start or stop it first."),  # START_BEFORE_RUNNING  # noqa: E501
        translate("TimerService", "Nothing to change."),  # NOTHING_TO_CHANGE
        translate("TimerService", "This entry is not known here yet: reload the day and try again."),  # ENTRY_NOT_KNOWN
        translate("TimerService", "This entry no longer exists on TimeCrowd (it was deleted elsewhere). Nothing was changed."),  # ENTRY_GONE  # noqa: E501
        translate("TimerService", "Not changed: this entry was changed elsewhere meanwhile ({what}). Check it and try again if you still want your change."),  # CONFLICT  # noqa: E501
        translate("TimerService", "its start"),  # CHANGED_START
        translate("TimerService", "its end"),  # CHANGED_STOP
        translate("TimerService", "its task"),  # CHANGED_TASK
        translate("TimerService", "its comment"),  # CHANGED_COMMENT
        translate("TimerService", ", "),  # LIST_SEPARATOR
        translate("TimerService", "Not all of this day's entries could be read: {reason}"),  # DAY_INCOMPLETE
        translate("TimerService", "Add “{task}” {start}–{end}"),  # PENDING_ADD
        translate("TimerService", "Change “{task}”"),  # PENDING_EDIT
        translate("TimerService", "Delete “{task}”"),  # PENDING_DELETE
        translate("TimerService", "Start “{task}” at {time}"),  # PENDING_START
        translate("TimerService", "Stop “{task}” at {time}"),  # PENDING_STOP
        translate("TimerService", "Comment on “{task}”"),  # PENDING_COMMENT
        translate("TimerService", "Create and start “{task}” at {time}"),  # PENDING_CREATE
        translate("TimerService", "(an unknown task)"),  # UNKNOWN_TASK
        translate("TimerService", "waiting for the network"),  # WAITING_NETWORK
        translate("TimerService", "waiting for sign-in"),  # WAITING_SIGN_IN
        translate("TimerService", "will be tried again: {reason}"),  # WAITING_RETRY
        translate("TimerService", "waiting to be sent"),  # WAITING_TURN
        # END generated
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


# -- the generated lines ----------------------------------------------------------------------------

def service_messages() -> dict[str, str]:
    """The service's message constants, by name, in the order of their module."""
    from ..services import messages

    return {name: value for name, value in vars(messages).items()
            if name.isupper() and isinstance(value, str) and name != "CONTEXT"}


def generated_lines() -> list[str]:
    """The lines between the markers of :func:`texts`, as the constants are now."""
    from ..services import messages

    lines = []
    for name, value in service_messages().items():
        call = f"        translate({json.dumps(messages.CONTEXT)}, {json.dumps(value, ensure_ascii=False)}),"
        comment = f"  # {name}"
        if len(call + comment) > LINE_LENGTH:
            comment += "  # noqa: E501"
        lines.append(call + comment)
    return lines


def current_lines(source: str) -> list[str]:
    """The lines between the markers in ``source`` (this file's text)."""
    from .generated_block import block

    return block(source, GENERATED_BEGIN, GENERATED_END)


def main(argv: list[str]) -> int:
    """Write the generated lines into this file (``--check``: only say whether they are current)."""
    from .generated_block import refresh

    return refresh(Path(__file__), GENERATED_BEGIN, GENERATED_END, generated_lines(), check="--check" in argv,
                   command="python -m timecrowd_tray.ui.service_strings", what="service message(s)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
