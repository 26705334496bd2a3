"""Refusals of the emulated account's rules, each with the messages the API shows.

``app.py`` turns a :class:`StoreError` into its status code (404, 403, 422, 401)
and ``oauth.py`` an :class:`OAuthError` into an RFC 6749 error answer.
"""

from __future__ import annotations

NOT_AUTHORIZED = "You are not authorized to access this page."
TIME_ENTRY_PREFIX = "1 error prohibited this Time entry from being saved. "
TASK_PREFIX = "1 error prohibited this Task from being saved. "
COMMENT_PREFIX = "1 error prohibited this Comment from being saved. "
TASKS_READONLY = "選択中のチームでタスクの作成・編集・削除は許可されていません"


class StoreError(Exception):
    """A rule refused the operation; ``messages`` is what the API shows."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class NotFound(StoreError):
    pass


class Forbidden(StoreError):
    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (NOT_AUTHORIZED,)))


class Invalid(StoreError):
    pass


class Unauthenticated(StoreError):
    pass


class OAuthError(Exception):
    """RFC 6749 error code; ``status`` is 401 for client errors, else 400."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
