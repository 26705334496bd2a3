"""``config list|get|set|reset``: the app's settings from a shell.

The same store and the same validation as the settings dialog
(:mod:`timecrowd_tray.core.settings`): a value the dialog refuses is refused
here, with a message saying which values the key takes, and exit code 2 (a bad
value, like an unknown key: the README's exit codes). A value that could not be
written (the file or its folder refuses it) is reported with exit code 1 and
never claimed: ``set`` and ``reset`` print the new value only once it was read
back from the disk. Only QtCore is imported (QSettings), never Qt Widgets.

A running app picks a change up at once: after a write that reached the disk,
``set`` and ``reset`` tell it over the single-instance socket
(``{"cmd": "settings_changed", "keys": [KEY]}``); it reads the file again and
applies the keys as when its settings dialog saves them (shortcuts registered
again, language, server, start at login, poll interval). No app running: nothing
to tell, nothing printed. An app that does not answer, or cannot apply them, is
reported on stderr; the value is stored all the same (exit 0), and the app
applies it at its next start.
"""

from __future__ import annotations

import argparse

from . import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from .i18n import N_, relay, tr
from .output import err, out

#: How long ``set`` and ``reset`` wait for the running app to take the change (it only reads a file).
APP_TIMEOUT_S = 3.0


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..core.settings import SCHEMA
    from .i18n_argparse import HelpList, HelpText

    keys_help = HelpList(N_("; "), (HelpText(N_("{key}: {help}"), key=key, help=HelpText(setting.help))
                                    for key, setting in SCHEMA.items()))
    config = subparsers.add_parser(
        "config", help=N_("show or change settings (list, get KEY, set KEY VALUE, reset KEY)"),
        description=HelpText(N_("Show or change the settings the tray's settings dialog edits. Keys: {keys}"),
                             keys=keys_help),
    )
    sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=N_("every setting with its value (and where the file is)"))
    listing.set_defaults(handler=_list)

    get = sub.add_parser("get", help=N_("print one setting's value"))
    get.add_argument("key", metavar="KEY")
    get.set_defaults(handler=_get)

    set_ = sub.add_parser("set", help=N_("validate and store a value"))
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE", help=N_("the new value (an empty string turns a shortcut off)"))
    set_.set_defaults(handler=_set)

    reset = sub.add_parser("reset", help=N_("go back to the default value"))
    reset.add_argument("key", metavar="KEY")
    reset.set_defaults(handler=_reset)


def _store():
    from ..platform.settings_store import SettingsStore

    return SettingsStore()


def _known(key: str) -> bool:
    from ..core.settings import SCHEMA

    if key in SCHEMA:
        return True
    err(tr("unknown setting {key}; known settings: {keys}", key=repr(key), keys=", ".join(SCHEMA)))
    return False


def _text(key: str, value) -> str:  # noqa: ANN001
    from ..core.settings import SCHEMA

    return SCHEMA[key].to_text(value)


def _list(args: argparse.Namespace) -> int:
    store = _store()
    values = store.all()
    width = max(len(key) for key in values)
    for key, value in values.items():
        marker = "" if store.is_set(key) else "  (default)"
        out(f"{key.ljust(width)} = {_text(key, value)}{marker}")
    out(tr("# stored in {path}", path=store.location))
    return EXIT_OK


def _note_damaged_file(store) -> None:  # noqa: ANN001
    """After a write over a damaged settings file: what Qt could not read is gone from it; say where the copy is."""
    copy = getattr(store, "unreadable_copy", None)
    if copy is not None:
        err(tr("note: the settings file {path} could not be read fully; it was written again without what could "
               "not be read (a copy of the old file: {copy})", path=store.location, copy=copy))


def _get(args: argparse.Namespace) -> int:
    if not _known(args.key):
        return EXIT_USAGE
    out(_text(args.key, _store().get(args.key)))
    return EXIT_OK


def _apply_autostart(enabled: bool) -> str | None:
    """Make start-at-login match the setting; an error message, or None."""
    try:
        from ..platform.autostart import apply_autostart
    except ImportError:  # pragma: no cover - the platform module is optional
        return None
    try:
        apply_autostart(enabled)
    except OSError as exc:
        return str(exc)
    return None


def tell_running_app(keys: list[str], *, timeout: float = APP_TIMEOUT_S) -> dict | None:
    """The running app, if any, reads ``keys`` again and applies them; its answer (None: no app).

    Prints nothing when no app runs or when it applied them; a note on stderr otherwise.
    Never fails the command: the value is stored.
    """
    from ..platform.instance.client import send_request
    from ..platform.instance.errors import InstanceError

    try:
        answer = send_request({"cmd": "settings_changed", "keys": list(keys)}, timeout=timeout)
    except (InstanceError, OSError) as exc:
        err(tr("note: the running app was not told ({reason}); it applies this at its next start",
               reason=relay(str(exc)) or type(exc).__name__))
        return None
    if answer is not None and not answer.get("ok"):
        error = answer.get("error")
        reason = relay(str(error)) if error else tr("it refused the request")
        err(tr("note: the running app did not apply this ({reason}); it applies it at its next start", reason=reason))
    return answer


def _set(args: argparse.Namespace) -> int:
    from ..core.settings import InvalidSetting

    if not _known(args.key):
        return EXIT_USAGE
    store = _store()
    previous = store.get(args.key)
    was_set = store.is_set(args.key)
    try:
        value = store.set(args.key, args.value)
    except InvalidSetting as exc:
        reason = str(exc)
        reason = reason[len(args.key) + 2:] if reason.startswith(f"{args.key}: ") else reason  # parse_setting's prefix
        err(tr("invalid value {value} for {key}: {reason}", value=repr(args.value), key=args.key,
               reason=relay(reason)))
        return EXIT_USAGE
    except OSError as exc:
        err(relay(str(exc), sentence=True))
        return EXIT_ERROR
    _note_damaged_file(store)
    if args.key == "autostart":
        problem = _apply_autostart(bool(value))
        if problem is not None:
            # Keep the setting and the system in agreement: put the old value back.
            try:
                if was_set:
                    store.set(args.key, previous)
                else:
                    store.reset(args.key)
            except OSError as exc:
                err(tr("autostart: {reason}; and the setting could not be put back: {problem}",
                       reason=relay(problem), problem=relay(str(exc))))
                return EXIT_ERROR
            err(tr("autostart: {reason}", reason=relay(problem)))
            return EXIT_ERROR
    out(f"{args.key} = {_text(args.key, value)}")
    tell_running_app([args.key])
    return EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    if not _known(args.key):
        return EXIT_USAGE
    store = _store()
    try:
        store.reset(args.key)
    except OSError as exc:
        err(relay(str(exc), sentence=True))
        return EXIT_ERROR
    _note_damaged_file(store)
    value = store.get(args.key)
    if args.key == "autostart":
        problem = _apply_autostart(bool(value))
        if problem is not None:
            err(tr("autostart: {reason}", reason=relay(problem)))
            return EXIT_ERROR
    out(f"{args.key} = {_text(args.key, value)}  (default)")
    tell_running_app([args.key])
    return EXIT_OK
