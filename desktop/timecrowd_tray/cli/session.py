"""The sign-in for the shell commands: one :class:`SessionManager` for the chosen
server, and the mapping of what can go wrong to the documented exit codes.

Every command ends in bounded time, whatever the keyring, D-Bus or the server
do: each keyring call is bounded by the credential store (``KEYRING_TIMEOUT_S``,
a :class:`CredentialsUnavailable` of kind ``"timeout"`` -> exit 4), each
request by the API client's timeouts, and the whole command by
:data:`COMMAND_DEADLINE_S` (-> exit 4). Work that is given up may leave a
thread blocked (a keyring call, a name lookup): those are daemon threads,
which the interpreter does not wait for at exit.

Imports what it needs only when a command runs (no Qt Widgets, ever).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from . import EXIT_AUTH, EXIT_ERROR, EXIT_UNREACHABLE, EXIT_USAGE
from .i18n import N_, api_detail, api_message, relay, tr
from .output import err

#: ``run_with_session``'s default message when the server refuses the sign-in ({api_base}, {reason}).
REJECTED = N_("the server rejected the sign-in for {api_base}: {reason}")
#: The most a command's work with the server and the keyring may take, in seconds.
COMMAND_DEADLINE_S = 60.0
#: What is left for closing the connections once the work is done (or given up).
CLOSE_TIMEOUT_S = 2.0
#: Printed when :data:`COMMAND_DEADLINE_S` has passed ({api_base}, {seconds}).
DEADLINE_PASSED = N_("gave up after {seconds} s: {api_base} (or the keyring) did not answer in time; "
                     "try again later")


class _DeadlinePassed(Exception):
    """The command's overall deadline passed."""


class _DaemonThreadExecutor(concurrent.futures.ThreadPoolExecutor):
    """The event loop's default executor for a shell command: each call in a new daemon thread.

    The loop runs a few blocking calls there (name lookups, for one). A standard executor is
    joined when the loop closes and again at interpreter exit, so one call that never returns
    would keep the command running after its deadline; these threads are left behind instead.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="command-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass  # nothing to join: a call still blocked is given up with the command


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
        err(tr("invalid server URL: {reason}", reason=relay(str(exc))))
        return EXIT_USAGE
    return SessionManager(api_base, CredentialStore())


def run_with_session(args: argparse.Namespace, body: Callable[[Any], Awaitable[int]], *,
                     rejected: str = REJECTED, interrupted: str = N_("interrupted; nothing was stored"),
                     deadline: float | None = None) -> int:
    """``body(session)`` on a fresh event loop; its exit code, or the one for what went wrong (printed).

    ``rejected`` is the message for a refused sign-in (``{api_base}`` and ``{reason}`` are filled in),
    ``interrupted`` the one for Ctrl+C: English texts of the shell's catalog (marked with ``N_``),
    translated here. ``body`` is given up after ``deadline`` seconds
    (:data:`COMMAND_DEADLINE_S` by default; a command that waits for the user, such as the browser
    sign-in, adds that wait): exit 4, the server or the keyring did not answer.
    """
    from ..api import errors
    from ..services.credentials import CredentialsUnavailable
    from ..services.oauth_loopback import OAuthError

    session = open_session(args)
    if isinstance(session, int):
        return session
    seconds = COMMAND_DEADLINE_S if deadline is None else deadline

    async def main() -> int:
        try:
            try:
                async with asyncio.timeout(seconds) as scope:
                    return await body(session)
            except TimeoutError:
                if scope.expired():
                    raise _DeadlinePassed() from None
                raise
        finally:
            try:
                async with asyncio.timeout(CLOSE_TIMEOUT_S):
                    await session.aclose()
            except TimeoutError:
                pass

    try:
        with asyncio.Runner() as runner:
            runner.get_loop().set_default_executor(_DaemonThreadExecutor())
            return runner.run(main())
    except _DeadlinePassed:
        err(tr(DEADLINE_PASSED, seconds=f"{seconds:g}", api_base=session.api_base))
        return EXIT_UNREACHABLE
    except CredentialsUnavailable as exc:
        err(relay(exc.user_message, sentence=True))
        return EXIT_UNREACHABLE
    except errors.AuthError as exc:
        err(tr(rejected, api_base=session.api_base, reason=api_detail(exc)))
        return EXIT_AUTH
    except errors.TransientError as exc:
        err(tr("cannot reach {api_base}: {reason}", api_base=session.api_base, reason=api_message(exc)))
        return EXIT_UNREACHABLE
    except errors.ApiError as exc:
        err(tr("{api_base}: {reason}", api_base=session.api_base, reason=api_message(exc)))
        return EXIT_ERROR
    except OAuthError as exc:
        err(relay(exc.user_message, sentence=True))
        return EXIT_AUTH
    except KeyboardInterrupt:
        err(tr(interrupted))
        return EXIT_ERROR
