"""An exception in words for the user, in their language: what the app's notices say went wrong.

The strings are in the translation context "App" (that of the composition root, where they
were first written; the .ts files keep them there).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..api import errors
from ..services.credentials import CredentialsUnavailable
from ..services.messages import api_error_text
from .service_strings import keyring_text


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("App", text, disambiguation, n)


def error_text(exc: BaseException) -> str:
    """``exc`` in words for the user, in their language (the server's own words verbatim)."""
    if isinstance(exc, errors.ApiError):
        return api_error_text(exc)
    if isinstance(exc, CredentialsUnavailable):
        return keyring_text(exc)
    return tr("Something went wrong ({error}). The details are in the log.").format(
        error=type(exc).__name__)
