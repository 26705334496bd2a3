"""``timecrowd-tray``: run the tray app, or one of its shell commands.

Each group of commands lives in its own module and registers itself through
``register(subparsers)``; the tray app itself is imported only when it runs,
so ``timecrowd-tray status`` never pays for Qt Widgets.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import APP_ID, __version__

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_ERROR = 1          # the command failed (server error, invalid value, ...)
EXIT_USAGE = 2          # bad command line (argparse's own code)
EXIT_AUTH = 3           # not signed in, or the token was rejected
EXIT_UNREACHABLE = 4    # the server (or the keyring) could not be reached
EXIT_NOT_RUNNING = 5    # a command that needs the running app found none
EXIT_QUEUED = 6         # accepted and kept, not on the server yet: sent later with the time it was asked
EXIT_CLOSED_PIPE = 141  # stdout was closed early (`| head`): 128 + SIGPIPE, as a shell reports `yes | head`

_COMMAND_MODULES = ("auth", "config", "control", "entries", "idle")


def build_parser() -> argparse.ArgumentParser:
    """The command line; read in :func:`.i18n_argparse.argparse_speaks`, argparse speaks the user's language."""
    from .i18n import N_  # the help texts: translated when the help is laid out (i18n_argparse)
    from .i18n_argparse import ShellParser

    parser = ShellParser(
        prog=APP_ID,
        description=N_("A system-tray timer for TimeCrowd. Without a command, starts the tray app."),
    )
    parser.add_argument("-V", "--version", action="version", version=f"{APP_ID} {__version__}")
    parser.add_argument("--api-base", metavar="URL",
                        help=N_("TimeCrowd server (default: $TIMECROWD_API_BASE, the api_base setting, "
                                "or https://timecrowd.net)"))
    parser.add_argument("--debug", action="store_true", help=N_("log at debug level (secrets are redacted)"))
    parser.add_argument("--demo", action="store_true",
                        help=N_("run against a built-in TimeCrowd emulator on 127.0.0.1 with demo data"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    # Global options after the command too (`login --with-token --api-base URL`, as gh, docker and
    # kubectl users type them): each command also takes them, without a default of its own, so a
    # value given before the command stands unless repeated after it.
    for command in sub.choices.values():
        command.add_argument("--api-base", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


#: Options whose value may be a relative time such as ``-15m`` (argparse would take it for an option).
_TIME_OPTIONS = ("--at", "--from", "--to")


def _join_relative_times(arguments: list[str]) -> list[str]:
    """``--at -15m`` -> ``--at=-15m``, so a time counted back from now reads as the option's value."""
    out: list[str] = []
    index = 0
    while index < len(arguments):
        word = arguments[index]
        following = arguments[index + 1] if index + 1 < len(arguments) else ""
        if word in _TIME_OPTIONS and following[:1] == "-" and following[1:2].isdigit():
            out.append(f"{word}={following}")
            index += 2
            continue
        out.append(word)
        index += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _join_relative_times(list(sys.argv[1:] if argv is None else argv))
    from ..services.keyring_process import HELPER_COMMAND  # light: no keyring until a request is served

    if arguments[:1] == [HELPER_COMMAND]:  # the tray app's keyring helper, not a user command
        from ..services.keyring_process import serve

        return serve()
    try:
        return _run(arguments)
    except BrokenPipeError:
        return _closed_stdout()


def _closed_stdout() -> int:
    """The reader of stdout went away (``timecrowd-tray log | head -2``): end quietly, as CLI tools do.

    What the command did stands (an action was carried out before its line was printed). stdout is
    pointed at devnull so the interpreter's last flush at exit does not raise again.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_CLOSED_PIPE


def _run(arguments: list[str]) -> int:
    from .i18n_argparse import argparse_speaks

    parser = build_parser()
    with argparse_speaks():  # a usage error or --help in the user's language
        args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        from ..platform.display import missing_display_message

        problem = missing_display_message()
        if problem:
            print(f"{APP_ID}: {problem}", file=sys.stderr)
            return EXIT_ERROR
        from ..app import run_app

        return run_app(args)
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
