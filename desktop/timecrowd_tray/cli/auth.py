"""``login``, ``logout`` and ``whoami``: the sign-in, from a shell.

``login --with-token`` reads the token from standard input, as
``gh auth login --with-token`` does (``timecrowd-tray login --with-token < token.txt``);
its format is checked first (:mod:`timecrowd_tray.core.token_format`: exit 2,
nothing sent), then it is checked with the server before anything is stored.
``--with-browser`` runs the OAuth sign-in with your own OAuth application (the
client secret is read from standard input). Nothing secret is ever printed.

Once ``login`` has stored a sign-in (or ``logout`` deleted one), the running
tray app, if any, is told to read the keyring again (``reload_sign_in`` on its
single-instance socket), so a sign-in the server had revoked is replaced there
too; one line says how that went.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import webbrowser
from typing import Any

from . import EXIT_AUTH, EXIT_OK, EXIT_USAGE
from .i18n import N_, api_detail, relay, tr
from .output import err, out
from .session import COMMAND_DEADLINE_S, run_with_session

#: The most standard input that is read for one secret (a token is far shorter).
MAX_SECRET_INPUT = 64 * 1024
#: How long the running app may take to read the keyring again and sign in with it.
RELOAD_TIMEOUT_S = 15.0

# What the running app did with the new (or deleted) sign-in: printed after login / logout.
APP_SIGNED_IN = N_("The running TimeCrowd Tray is signed in again.")
APP_SIGNED_OUT = N_("The running TimeCrowd Tray is signed out too.")
APP_RETRYING = N_("The running TimeCrowd Tray has the new sign-in; it signs in as soon as {api_base} "
                  "answers.")
APP_OTHER_SERVER = N_("The running TimeCrowd Tray uses {app_base}, not {api_base}: its sign-in is unchanged.")
APP_NOT_PICKED_UP = N_("the running TimeCrowd Tray did not pick the new sign-in up ({reason}); "
                       "choose Sign in in its menu, or quit and start it again")
APP_NOT_SIGNED_OUT = N_("the running TimeCrowd Tray did not sign out ({reason}); choose Sign out in its menu")


def register(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser(
        "login", help=N_("sign in and keep the sign-in in the OS keyring"),
        description=N_("Sign in to the TimeCrowd server and keep the sign-in in the OS keyring "
                       "(one entry per server)."))
    how = login.add_mutually_exclusive_group(required=True)
    how.add_argument("--with-token", action="store_true",
                     help=N_("read an access token from standard input"))
    how.add_argument("--with-browser", action="store_true",
                     help=N_("sign in in the browser with your own OAuth application "
                             "(needs --client-id; the client secret is read from standard input)"))
    login.add_argument("--client-id", metavar="ID", help=N_("your OAuth application's client id"))
    login.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help=N_("how long to wait for the browser (default: 300)"))
    login.add_argument("--no-browser", action="store_true",
                       help=N_("with --with-browser: print the address to open instead of opening it"))
    login.set_defaults(handler=_login)

    logout = subparsers.add_parser("logout", help=N_("delete the stored sign-in for the server"),
                                   description=N_("Delete the sign-in stored in the OS keyring for the server."))
    logout.set_defaults(handler=_logout)

    whoami = subparsers.add_parser("whoami", help=N_("show the signed-in account"),
                                   description=N_("Show the account the stored sign-in belongs to."))
    whoami.set_defaults(handler=_whoami)


# -- input ---------------------------------------------------------------------

def _read_secret(prompt: str) -> str:
    """One value from standard input: hidden prompt on a terminal, the whole input otherwise."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.read(MAX_SECRET_INPUT)


def _account(nickname: str | None, user_id: Any, email: str | None) -> dict[str, str]:
    """The values of the account texts: ``name`` (the nickname, or "user 7") and ``email``."""
    return {"name": nickname or tr("user {id}", id=user_id), "email": email or ""}


# -- commands ------------------------------------------------------------------

def _login(args: argparse.Namespace) -> int:
    from ..core.token_format import MESSAGES as TOKEN_MESSAGES, token_problem

    if args.with_browser:
        return _login_browser(args)
    raw = _read_secret(tr("Paste your TimeCrowd access token: "))
    problem = token_problem(raw)
    if problem == "empty":
        err(tr("no access token on standard input (try: timecrowd-tray login --with-token < file)"))
        return EXIT_USAGE
    if problem is not None:
        err(tr("{problem} Nothing was sent or stored.", problem=relay(TOKEN_MESSAGES[problem])))
        return EXIT_USAGE
    stored_for: list[str] = []

    async def body(session) -> int:
        from ..api import errors

        try:
            user, _client = await session.sign_in_with_token(raw, remember=True)
        except errors.AuthError as exc:
            err(tr("{api_base} rejected this access token ({reason}); nothing was stored",
                   api_base=session.api_base, reason=api_detail(exc)))
            return EXIT_AUTH
        stored_for.append(session.api_base)
        _signed_in(session.api_base, user)
        return EXIT_OK

    code = run_with_session(args, body)
    if stored_for:
        tell_running_app(stored_for[0], signed_in=True)
    return code


def _login_browser(args: argparse.Namespace) -> int:
    client_id = (args.client_id or "").strip()
    if not client_id:
        err(tr("--with-browser needs --client-id (your OAuth application's client id)"))
        return EXIT_USAGE
    client_secret = _read_secret(tr("Client secret of your OAuth application: ")).strip()
    if not client_secret:
        err(tr("no client secret on standard input"))
        return EXIT_USAGE

    stored_for: list[str] = []

    def open_url(url: str) -> None:
        out(tr("Open this address in your browser to sign in:"))
        out(f"  {url}")
        if not args.no_browser:
            webbrowser.open(url)

    async def body(session) -> int:
        out(tr("Waiting up to {seconds} s for the browser to come back (the OAuth application must allow the "
               "redirect URI http://127.0.0.1/callback) ...", seconds=int(args.timeout)))
        user, _client = await session.sign_in_with_browser(client_id, client_secret, open_url=open_url,
                                                           timeout=args.timeout, remember=True)
        stored_for.append(session.api_base)
        _signed_in(session.api_base, user)
        return EXIT_OK

    code = run_with_session(args, body, deadline=max(0.0, args.timeout) + COMMAND_DEADLINE_S)
    if stored_for:
        tell_running_app(stored_for[0], signed_in=True)
    return code


def _signed_in(api_base: str, user) -> None:  # noqa: ANN001
    account = _account(user.nickname, user.id, user.email)
    if account["email"]:
        out(tr("Signed in to {api_base} as {name} ({email}).", api_base=api_base, **account))
    else:
        out(tr("Signed in to {api_base} as {name}.", api_base=api_base, **account))


def _logout(args: argparse.Namespace) -> int:
    deleted_for: list[str] = []

    async def body(session) -> int:
        if await session.sign_out():
            deleted_for.append(session.api_base)
            out(tr("Signed out of {api_base}: the stored sign-in was deleted.", api_base=session.api_base))
        else:
            out(tr("Not signed in to {api_base}: nothing was stored.", api_base=session.api_base))
        return EXIT_OK

    code = run_with_session(args, body)
    if deleted_for:
        tell_running_app(deleted_for[0], signed_in=False)
    return code


# -- the running app -------------------------------------------------------------

def tell_running_app(api_base: str, *, signed_in: bool, timeout: float = RELOAD_TIMEOUT_S) -> dict[str, Any] | None:
    """Ask the running tray app, if one runs, to read the sign-in for ``api_base`` from the keyring again.

    ``signed_in`` says what this command just did (stored a sign-in, or deleted it). Prints one
    line when an app answered (or a warning when it did not, or could not use it); nothing when
    no app runs. Returns the app's answer (None: no app, or no answer). Never fails the command.
    """
    from ..platform.instance.client import send_request
    from ..platform.instance.errors import InstanceError

    not_done = APP_NOT_PICKED_UP if signed_in else APP_NOT_SIGNED_OUT
    try:
        answer = send_request({"cmd": "reload_sign_in", "api_base": api_base}, timeout=timeout)
    except InstanceError as exc:
        err(tr(not_done, reason=relay(str(exc)) or type(exc).__name__))
        return None
    except OSError as exc:  # the socket misbehaved in a way single_instance does not wrap
        err(tr(not_done, reason=type(exc).__name__))
        return None
    if answer is None:
        return None  # no app runs: nothing to tell
    app_base = answer.get("api_base")
    if answer.get("ok") and isinstance(app_base, str) and app_base and app_base != api_base:
        out(tr(APP_OTHER_SERVER, app_base=app_base, api_base=api_base))
    elif not answer.get("ok"):
        error = answer.get("error")
        err(tr(not_done, reason=relay(str(error)) if error else tr("it refused the request")))
    elif bool(answer.get("signed_in")) == signed_in:
        out(tr(APP_SIGNED_IN if signed_in else APP_SIGNED_OUT))
    elif signed_in and answer.get("retrying"):
        out(tr(APP_RETRYING, api_base=api_base))
    else:
        reason = tr("it is still signed in") if not signed_in else tr("it is still signed out")
        err(tr(not_done, reason=reason))
    return answer


def _whoami_from_app(args: argparse.Namespace) -> int | None:
    """The running app's account, printed (its exit code); None when no app answers for this server."""
    from ..platform.instance.client import send_request
    from ..platform.instance.errors import InstanceError

    try:
        answer = send_request({"cmd": "whoami"}, timeout=5.0)
    except InstanceError:
        return None
    if not answer or answer.get("outcome") is None:
        return None  # no app, or one too old to answer whoami
    wanted = getattr(args, "api_base", None)
    if wanted and answer.get("api_base") and wanted.rstrip("/") != str(answer["api_base"]).rstrip("/"):
        return None  # the app is on another server: ask the keyring for this one
    if not answer.get("ok"):
        err(tr("the running TimeCrowd Tray is not signed in (sign in from its menu, or: timecrowd-tray login "
               "--with-token)"))
        return EXIT_AUTH
    user = answer.get("user") or {}
    account = _account(user.get("nickname"), user.get("id"), user.get("email"))
    if account["email"]:
        out(tr("{name} ({email}) on {api_base} (the running TimeCrowd Tray)", api_base=answer.get("api_base"),
               **account))
    else:
        out(tr("{name} on {api_base} (the running TimeCrowd Tray)", api_base=answer.get("api_base"), **account))
    return EXIT_OK


def _whoami(args: argparse.Namespace) -> int:
    from_app = _whoami_from_app(args)
    if from_app is not None:
        return from_app

    async def body(session) -> int:
        client = await session.restore()
        if client is None:
            err(tr("not signed in to {api_base} (run: timecrowd-tray login --with-token)", api_base=session.api_base))
            return EXIT_AUTH
        from ..api import errors

        try:
            user = await client.user_info()
        except errors.AuthError:
            err(tr("the sign-in stored for {api_base} is no longer accepted; sign in again "
                   "(timecrowd-tray login --with-token)", api_base=session.api_base))
            return EXIT_AUTH
        account = _account(user.nickname, user.id, user.email)
        if account["email"]:
            out(tr("{name} ({email}) on {api_base}", api_base=session.api_base, **account))
        else:
            out(tr("{name} on {api_base}", api_base=session.api_base, **account))
        return EXIT_OK

    return run_with_session(args, body)
