"""The sign-in for the shell commands: one :class:`SessionManager` for the chosen
server, and the mapping of what can go wrong to the documented exit codes.

Imports what it needs only when a command runs (no Qt Widgets, ever).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from . import EXIT_AUTH, EXIT_ERROR, EXIT_UNREACHABLE, EXIT_USAGE
from .output import err

#: ``run_with_session``'s default message when the server refuses the sign-in ({api_base}, {reason}).
REJECTED = "the server rejected the sign-in for {api_base}: {reason}"


def open_session(args: argparse.Namespace) -> Any:
    """A SessionManager for the chosen server, or an exit code (printed) when the server URL is unusable."""
    from ..core.settings import InvalidSetting
    from ..logs import setup_logging
    from ..platform.settings_store import resolve_api_base
    from ..services.credentials import CredentialStore
    from ..services.session import SessionManager

    if getattr(args, "debug", False):
        setup_logging(True, to_file=False)
    try:
        api_base = resolve_api_base(getattr(args, "api_base", None))
    except InvalidSetting as exc:
        err(f"invalid server URL: {exc}")
        return EXIT_USAGE
    return SessionManager(api_base, CredentialStore())


def run_with_session(args: argparse.Namespace, body: Callable[[Any], Awaitable[int]], *,
                     rejected: str = REJECTED, interrupted: str = "interrupted; nothing was stored") -> int:
    """``body(session)`` on a fresh event loop; its exit code, or the one for what went wrong (printed).

    ``rejected`` is the message for a refused sign-in (``{api_base}`` and ``{reason}`` are filled in),
    ``interrupted`` the one for Ctrl+C.
    """
    from ..api import errors
    from ..services.credentials import CredentialsUnavailable
    from ..services.oauth_loopback import OAuthError

    session = open_session(args)
    if isinstance(session, int):
        return session

    async def main() -> int:
        try:
            return await body(session)
        finally:
            await session.aclose()

    try:
        return asyncio.run(main())
    except CredentialsUnavailable as exc:
        err(exc.user_message)
        return EXIT_UNREACHABLE
    except errors.AuthError as exc:
        err(rejected.format(api_base=session.api_base, reason=exc.user_message))
        return EXIT_AUTH
    except errors.TransientError as exc:
        err(f"cannot reach {session.api_base}: {exc.user_message}")
        return EXIT_UNREACHABLE
    except errors.ApiError as exc:
        err(f"{session.api_base}: {exc.user_message}")
        return EXIT_ERROR
    except OAuthError as exc:
        err(exc.user_message)
        return EXIT_AUTH
    except KeyboardInterrupt:
        err(interrupted)
        return EXIT_ERROR
