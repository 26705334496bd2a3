"""What the sign-in window says, in the user's language.

The texts are looked up under the "SignInWindow" context (the window's own), so
their translations are the window's whatever module builds them. Names are
never guessed: a user without a nickname is named by their id.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from ..api import errors
from ..core.token_format import MAX_TOKEN_LENGTH
from ..services.credentials import CredentialsUnavailable
from ..services.messages import api_error_text
from ..services.oauth_loopback import OAuthError
from .service_strings import keyring_text


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInWindow", text)


def _name(user: Any) -> str:
    return str(user.nickname or user.id)


def signed_in_text(user: Any) -> str:
    """Said once a sign-in succeeded (never before)."""
    if user.email:
        return tr("Signed in as %1 (%2)").replace("%1", _name(user)).replace("%2", user.email)
    return tr("Signed in as %1").replace("%1", _name(user))


def token_owner_text(user: Any) -> str:
    """Whose a checked token is, and what to do next (not "signed in": nothing is yet)."""
    if user.email:
        text = tr("This access token belongs to %1 (%2). Press \u201cSign in\u201d to use it.")
        return text.replace("%1", _name(user)).replace("%2", user.email)
    return tr("This access token belongs to %1. Press \u201cSign in\u201d to use it.").replace("%1", _name(user))


def sign_in_error_text(exc: errors.ApiError) -> str:
    """Why the server did not take a token (or could not be asked)."""
    if isinstance(exc, errors.AuthError):
        return tr("The server rejected this token. Check that you copied all of it.")
    if isinstance(exc, errors.TransientError):
        return tr("Cannot reach the server right now. Check your connection and try again.")
    return api_error_text(exc)


def token_format_text(problem: str) -> str:
    """What :func:`~timecrowd_tray.core.token_format.token_problem` found."""
    if problem == "too_long":
        return tr("This is too long to be an access token (more than %1 characters). "
                  "Copy only the token itself.").replace("%1", str(MAX_TOKEN_LENGTH))
    if problem == "control":
        return tr("The access token contains a control character (for example NUL). "
                  "Copy the token again from the TimeCrowd page.")
    if problem == "whitespace":
        return tr("The access token contains a space or a line break. A token is one word: "
                  "copy it again without them.")
    if problem == "non_ascii":
        return tr("The access token contains a character that is not plain ASCII (for example a "
                  "full-width letter or a typographic quote). Copy the token again from the "
                  "TimeCrowd page.")
    return tr("The access token is empty.")


def keyring_problem_text(exc: CredentialsUnavailable) -> str:
    """Why the keyring could not keep the sign-in, what to do, and the way out (this session only)."""
    return "\n\n".join((keyring_text(exc), tr("You can also use the sign-in for this session only.")))


def link_problem_text(url: str) -> str:
    return tr("Could not open %1 in a browser. Copy the address into your browser.").replace("%1", url)


def oauth_error_text(exc: OAuthError) -> str:
    """Why a browser sign-in did not finish."""
    texts = {
        "timeout": tr("The browser did not come back in time. Try again."),
        "state_mismatch": tr("The browser came back with a sign-in this window did not start. "
                             "Nothing was saved. Try again."),
        "denied": tr("The sign-in was refused in the browser."),
        "rejected": tr("The server refused the sign-in. Check the client ID and secret of "
                       "your OAuth application."),
    }
    return texts.get(exc.kind, tr("The browser sign-in failed: %1").replace("%1", exc.user_message))
