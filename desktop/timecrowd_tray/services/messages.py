"""Every user-visible message the service itself produces, in one place.

Plain constants (English source text), so the UI can pass them through Qt's
translator (``QCoreApplication.translate("TimerService", text)``). The server's
own messages never come through here: they are shown verbatim.

Messages with ``{placeholders}`` are formatted by the service *after*
translation: install a translator with :func:`set_translator` and the service
calls it on the template before formatting.

:func:`api_error_text` is the one place that turns an API error into words for
a person: the server's own message verbatim when it sent one, otherwise a
translated text chosen by the kind of error (never the client's technical
summary such as "stop time entry: HTTP 404"). The service and the UI both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when needed: the app loads this module before its icon shows (no httpx then)
    from ..api import errors

CONTEXT = "TimerService"

SESSION_EXPIRED = "Your TimeCrowd session has ended (the token expired or was revoked). Sign in again."
NOT_SIGNED_IN = "Sign in to TimeCrowd first."
STILL_LOADING = "Still loading your timer from TimeCrowd. Try again in a moment."
NO_RECENT_TASK = "There is no recent task to start yet. Pick a task first."
TASK_HAS_NO_TEAM = "This task has no team, so it cannot be started."
EMPTY_TITLE = "A task needs a title."
EMPTY_COMMENT = "The comment is empty: nothing was added."
COMMENT_TOO_LONG = "A comment can be at most {limit} characters long (this one has {length})."
DEPENDENT_DROPPED = "This was not sent because the timer it belongs to could not be started."
STOP_REFUSED_WITH_COMMENT = "This comment was not added because the stop it came with was refused."
TARGET_LOST = "This was not sent because the time entry it belongs to is no longer known."
SUPERSEDED = ("The start you made offline was not sent: a timer was started elsewhere after it. "
              "Check your entries on TimeCrowd.")
STORAGE_FAILED = ("Your action could not be saved on this computer (the disk refused the write), "
                  "so it was not done. Check the free space and try again.")
REJECTED_NO_MESSAGE = "TimeCrowd refused this request (HTTP {status})."
# API errors without a message of the server (see api_error_text).
API_FORBIDDEN = "TimeCrowd refused this: your account is not allowed to do it."
API_NOT_FOUND = "TimeCrowd no longer has what this was about (it may have been deleted)."
API_INVALID = "TimeCrowd did not accept this change."
API_RATE_LIMITED = "TimeCrowd is receiving too many requests. Try again in a moment."
API_SERVER_ERROR = "TimeCrowd has a problem right now (HTTP {status}). Try again later."
API_UNREACHABLE = "TimeCrowd cannot be reached. Check your connection."
API_TIMEOUT = "TimeCrowd did not answer in time. Check your connection."
API_NOT_UNDERSTOOD = "TimeCrowd's answer was not understood. Check the server address in Settings."
API_FAILED = "Something went wrong while talking to TimeCrowd."
# Entries: the rules checked before anything is sent (core/entry_rules.py), and what the replay says.
PROBLEM_STOP_BEFORE_START = "The end is before the start."
PROBLEM_EMPTY = "The entry has no length: its end is its start."
PROBLEM_IN_FUTURE = "The end is in the future."
PROBLEM_START_IN_FUTURE = "The start is in the future."
PROBLEM_TOO_LONG = "An entry can't be longer than 24 hours."
PROBLEM_OVERLAP = "This overlaps “{task}” ({start}–{end})."
PROBLEM_OVERLAP_RUNNING = "This overlaps “{task}” (since {start}, still running)."
START_BEFORE_RUNNING = ("The running entry “{task}” started at {start}, after this time: edit its start "
                        "or stop it first.")
NOTHING_TO_CHANGE = "Nothing to change."
ENTRY_NOT_KNOWN = "This entry is not known here yet: reload the day and try again."
ENTRY_GONE = "This entry no longer exists on TimeCrowd (it was deleted elsewhere). Nothing was changed."
CONFLICT = ("Not changed: this entry was changed elsewhere meanwhile ({what}). Check it and try again "
            "if you still want your change.")
CHANGED_START = "its start"
CHANGED_STOP = "its end"
CHANGED_TASK = "its task"
CHANGED_COMMENT = "its comment"
LIST_SEPARATOR = ", "
DAY_INCOMPLETE = "Not all of this day's entries could be read: {reason}"
# What waits in the outbox ("Pending changes"), and why.
PENDING_ADD = "Add “{task}” {start}–{end}"
PENDING_EDIT = "Change “{task}”"
PENDING_DELETE = "Delete “{task}”"
PENDING_START = "Start “{task}” at {time}"
PENDING_STOP = "Stop “{task}” at {time}"
PENDING_COMMENT = "Comment on “{task}”"
PENDING_CREATE = "Create and start “{task}” at {time}"
UNKNOWN_TASK = "(an unknown task)"
WAITING_NETWORK = "waiting for the network"
WAITING_SIGN_IN = "waiting for sign-in"
WAITING_RETRY = "will be tried again: {reason}"
WAITING_TURN = "waiting to be sent"

_translator: Callable[[str], str] = lambda text: text  # noqa: E731


def set_translator(translate: Callable[[str], str] | None) -> None:
    """Install the UI's translator (``None`` restores the English source texts)."""
    global _translator
    _translator = translate or (lambda text: text)


def tr(text: str, **kwargs: object) -> str:
    """Translate ``text`` then format it with ``kwargs``."""
    translated = _translator(text)
    try:
        return translated.format(**kwargs) if kwargs else translated
    except (KeyError, IndexError, ValueError):
        return text.format(**kwargs) if kwargs else text


def server_message(exc: errors.ApiError) -> str:
    """The server's own words in ``exc`` ("" when it sent none)."""
    return "\n".join(m.strip() for m in getattr(exc, "messages", ()) if m and m.strip())


def api_error_text(exc: errors.ApiError) -> str:
    """What to tell a person about ``exc``: the server's words verbatim, else a translated text by kind."""
    from ..api import errors

    said = server_message(exc)
    if said:
        return said
    status = exc.status
    if isinstance(exc, errors.AuthError):
        return tr(SESSION_EXPIRED)
    if isinstance(exc, errors.Forbidden):
        return tr(API_FORBIDDEN)
    if isinstance(exc, errors.NotFound):
        return tr(API_NOT_FOUND)
    if isinstance(exc, errors.ValidationFailed):
        return tr(API_INVALID)
    if isinstance(exc, errors.RateLimited):
        return tr(API_RATE_LIMITED)
    if isinstance(exc, errors.ServerError):
        return tr(API_SERVER_ERROR, status=status if status is not None else 500)
    if isinstance(exc, errors.ApiTimeout):
        return tr(API_TIMEOUT)
    if isinstance(exc, errors.NetworkError):
        return tr(API_UNREACHABLE)
    if status is not None and 400 <= status < 500:
        return tr(REJECTED_NO_MESSAGE, status=status)
    if isinstance(exc, errors.ProtocolError):
        return tr(API_NOT_UNDERSTOOD)
    return tr(API_FAILED)
