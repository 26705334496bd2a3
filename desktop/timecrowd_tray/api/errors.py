"""The API client's exceptions, named for what the caller must do.

::

    ApiError
    ├── AuthError            sign in again
    │   └── Unauthorized     401
    ├── Forbidden            403: not yours; show the message, do not retry
    ├── NotFound             404: gone; do not retry
    ├── ValidationFailed     422: show ``messages`` verbatim, do not retry
    ├── TransientError       retry later (the outbox keeps the intent)
    │   ├── RateLimited      429, with ``retry_after`` seconds when the server said
    │   ├── ServerError      5xx
    │   └── NetworkError     connect, timeout, DNS, a dropped connection
    │       └── ApiTimeout
    └── ProtocolError        an HTML page, truncated or unexpected JSON
        └── ResponseTooLarge an answer over the client's size cap (not read)

No message or repr carries a request header: the token never leaves the client
through an exception.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of every error the API client raises."""

    status: int | None = None

    def __init__(self, message: str, *, messages: tuple[str, ...] = (), status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.messages = tuple(messages)
        if status is not None:
            self.status = status

    @property
    def user_message(self) -> str:
        """What to show a person: the server's own words when it sent any."""
        return "\n".join(m.strip() for m in self.messages if m.strip()) or self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(ApiError):
    """The credentials are missing, expired or revoked: sign in again."""


class Unauthorized(AuthError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class ValidationFailed(ApiError):
    status = 422


class TransientError(ApiError):
    """Worth retrying later; nothing the user did was wrong."""

    retry_after: float | None = None


class RateLimited(TransientError):
    status = 429

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(TransientError):
    status = 500


class NetworkError(TransientError):
    """The server could not be reached, or the connection broke mid-request."""


class ApiTimeout(NetworkError):
    pass


class ProtocolError(ApiError):
    """The server answered something that is not the API's JSON."""


class ResponseTooLarge(ProtocolError):
    """The answer's body is larger than the client's cap; it was not read (beyond the cap).

    A write the server answered this way may have been applied all the same.
    """
