"""Is a pasted access token plausible? The one check made before any network call.

Shared by the shell's ``login --with-token`` and the sign-in window (which shows
the same problems in the user's language), and applied again by
:meth:`SessionManager.validate_token`. A TimeCrowd access token is one word of
printable ASCII; what is pasted around it (spaces, line breaks, a byte order
mark from a text file) is dropped first.

The messages are fixed texts: they never quote the token, nor any part of it,
nor its length. No Qt, no I/O.
"""

from __future__ import annotations

from typing import Literal

#: Longer than any real token by far; a whole file or web page pasted by mistake is refused.
MAX_TOKEN_LENGTH = 4096

TokenProblem = Literal["empty", "too_long", "control", "whitespace", "non_ascii"]

#: What to tell the user about each problem (the sign-in window has the same texts, translated).
MESSAGES: dict[str, str] = {
    "empty": "The access token is empty.",
    "too_long": (f"This is too long to be an access token (more than {MAX_TOKEN_LENGTH} characters). "
                 "Copy only the token itself."),
    "control": ("The access token contains a control character (for example NUL). "
                "Copy the token again from the TimeCrowd page."),
    "whitespace": ("The access token contains a space or a line break. A token is one word: "
                   "copy it again without them."),
    "non_ascii": ("The access token contains a character that is not plain ASCII (for example a "
                  "full-width letter or a typographic quote). Copy the token again from the TimeCrowd page."),
}


class TokenFormatError(ValueError):
    """The pasted value cannot be an access token; ``problem`` says why. Never carries the value."""

    def __init__(self, problem: TokenProblem) -> None:
        self.problem: TokenProblem = problem
        super().__init__(MESSAGES[problem])

    def __repr__(self) -> str:
        return f"TokenFormatError({self.problem!r})"


def strip_token(raw: str | None) -> str:
    """``raw`` without the spaces, line breaks and byte order mark around it."""
    return (raw or "").strip().lstrip("\ufeff").strip()


def token_problem(raw: str | None) -> TokenProblem | None:
    """What is wrong with ``raw`` as an access token (after :func:`strip_token`), or None."""
    token = strip_token(raw)
    if not token:
        return "empty"
    if len(token) > MAX_TOKEN_LENGTH:
        return "too_long"
    if token.isascii() and token.isprintable() and " " not in token:
        return None  # the usual case, decided in C
    if any((ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and not c.isspace() for c in token):
        return "control"
    if any(c.isspace() for c in token):
        return "whitespace"
    if not token.isascii():
        return "non_ascii"
    return "control"  # printable ASCII without spaces is all that is left; unreachable in practice


def check_token(raw: str | None) -> str:
    """The token in ``raw``, stripped; :class:`TokenFormatError` when it cannot be one."""
    problem = token_problem(raw)
    if problem is not None:
        raise TokenFormatError(problem)
    return strip_token(raw)
