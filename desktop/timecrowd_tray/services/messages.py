"""Every user-visible message the service itself produces, in one place.

Plain constants (English source text), so the UI can pass them through Qt's
translator (``QCoreApplication.translate("TimerService", text)``). The server's
own messages never come through here: they are shown verbatim.

Messages with ``{placeholders}`` are formatted by the service *after*
translation: install a translator with :func:`set_translator` and the service
calls it on the template before formatting.
"""

from __future__ import annotations

from typing import Callable

CONTEXT = "TimerService"

SESSION_EXPIRED = "Your TimeCrowd session has ended (the token expired or was revoked). Sign in again."
NOT_SIGNED_IN = "Sign in to TimeCrowd first."
STILL_LOADING = "Still loading your timer from TimeCrowd. Try again in a moment."
NO_RECENT_TASK = "There is no recent task to start yet. Pick a task first."
TASK_HAS_NO_TEAM = "This task has no team, so it cannot be started."
EMPTY_TITLE = "A task needs a title."
COMMENT_TOO_LONG = "A comment can be at most {limit} characters long (this one has {length})."
DEPENDENT_DROPPED = "This was not sent because the timer it belongs to could not be started."
TARGET_LOST = "This was not sent because the time entry it belongs to is no longer known."
SUPERSEDED = ("The start you made offline was not sent: a timer was started elsewhere after it. "
              "Check your entries on TimeCrowd.")
STORAGE_FAILED = ("Your action could not be saved on this computer (the disk refused the write), "
                  "so it was not done. Check the free space and try again.")
REJECTED_NO_MESSAGE = "TimeCrowd refused this request (HTTP {status})."

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
