"""``login``, ``logout`` and ``whoami``: the sign-in, from a shell.

``login --with-token`` reads the token from standard input, as
``gh auth login --with-token`` does (``timecrowd-tray login --with-token < token.txt``);
it is checked with the server before anything is stored. ``--with-browser``
runs the OAuth sign-in with your own OAuth application (the client secret is
read from standard input). Nothing secret is ever printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import webbrowser

from . import EXIT_AUTH, EXIT_OK, EXIT_USAGE
from .output import err, out
from .session import run_with_session


def register(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser(
        "login", help="sign in and keep the sign-in in the OS keyring",
        description="Sign in to the TimeCrowd server and keep the sign-in in the OS keyring "
                    "(one entry per server).")
    how = login.add_mutually_exclusive_group(required=True)
    how.add_argument("--with-token", action="store_true",
                     help="read an access token from standard input")
    how.add_argument("--with-browser", action="store_true",
                     help="sign in in the browser with your own OAuth application "
                          "(needs --client-id; the client secret is read from standard input)")
    login.add_argument("--client-id", metavar="ID", help="your OAuth application's client id")
    login.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help="how long to wait for the browser (default: 300)")
    login.add_argument("--no-browser", action="store_true",
                       help="with --with-browser: print the address to open instead of opening it")
    login.set_defaults(handler=_login)

    logout = subparsers.add_parser("logout", help="delete the stored sign-in for the server",
                                   description="Delete the sign-in stored in the OS keyring for the server.")
    logout.set_defaults(handler=_logout)

    whoami = subparsers.add_parser("whoami", help="show the signed-in account",
                                   description="Show the account the stored sign-in belongs to.")
    whoami.set_defaults(handler=_whoami)


# -- input ---------------------------------------------------------------------

def _read_secret(prompt: str) -> str:
    """One value from standard input: hidden prompt on a terminal, the whole input otherwise."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.read()


def _describe(user) -> str:
    name = user.nickname or f"user {user.id}"
    return f"{name} ({user.email})" if user.email else name


# -- commands ------------------------------------------------------------------

def _login(args: argparse.Namespace) -> int:
    if args.with_browser:
        return _login_browser(args)
    value = _read_secret("Paste your TimeCrowd access token: ").strip()
    if not value:
        err("no access token on standard input (try: timecrowd-tray login --with-token < file)")
        return EXIT_USAGE
    if any(c.isspace() for c in value):
        err("the access token must be one word without spaces or line breaks")
        return EXIT_USAGE

    async def body(session) -> int:
        from ..api import errors

        try:
            user, _client = await session.sign_in_with_token(value, remember=True)
        except errors.AuthError as exc:
            err(f"{session.api_base} rejected this access token ({exc.user_message}); nothing was stored")
            return EXIT_AUTH
        out(f"Signed in to {session.api_base} as {_describe(user)}.")
        return EXIT_OK

    return run_with_session(args, body)


def _login_browser(args: argparse.Namespace) -> int:
    client_id = (args.client_id or "").strip()
    if not client_id:
        err("--with-browser needs --client-id (your OAuth application's client id)")
        return EXIT_USAGE
    client_secret = _read_secret("Client secret of your OAuth application: ").strip()
    if not client_secret:
        err("no client secret on standard input")
        return EXIT_USAGE

    def open_url(url: str) -> None:
        out("Open this address in your browser to sign in:")
        out(f"  {url}")
        if not args.no_browser:
            webbrowser.open(url)

    async def body(session) -> int:
        out(f"Waiting up to {int(args.timeout)} s for the browser to come back "
            "(the OAuth application must allow the redirect URI http://127.0.0.1/callback) ...")
        user, _client = await session.sign_in_with_browser(client_id, client_secret, open_url=open_url,
                                                           timeout=args.timeout, remember=True)
        out(f"Signed in to {session.api_base} as {_describe(user)}.")
        return EXIT_OK

    return run_with_session(args, body)


def _logout(args: argparse.Namespace) -> int:
    async def body(session) -> int:
        if await session.sign_out():
            out(f"Signed out of {session.api_base}: the stored sign-in was deleted.")
        else:
            out(f"Not signed in to {session.api_base}: nothing was stored.")
        return EXIT_OK

    return run_with_session(args, body)


def _whoami(args: argparse.Namespace) -> int:
    async def body(session) -> int:
        client = await session.restore()
        if client is None:
            err(f"not signed in to {session.api_base} (run: timecrowd-tray login --with-token)")
            return EXIT_AUTH
        from ..api import errors

        try:
            user = await client.user_info()
        except errors.AuthError:
            err(f"the sign-in stored for {session.api_base} is no longer accepted; sign in again "
                "(timecrowd-tray login --with-token)")
            return EXIT_AUTH
        out(f"{_describe(user)} on {session.api_base}")
        return EXIT_OK

    return run_with_session(args, body)
