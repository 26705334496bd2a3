"""``config list|get|set|reset``: the app's settings from a shell.

The same store and the same validation as the settings dialog
(:mod:`timecrowd_tray.core.settings`): a value the dialog refuses is refused
here, with a message saying which values the key takes, and exit code 2 (a bad
value, like an unknown key: the README's exit codes). A value that could not be
written (the file or its folder refuses it) is reported with exit code 1 and
never claimed: ``set`` and ``reset`` print the new value only once it was read
back from the disk. Only QtCore is imported (QSettings), never Qt Widgets.

A running app reads ``comment_on_stop`` and ``notifications`` when it needs
them; the other keys take effect at its next start (or through its settings
dialog).
"""

from __future__ import annotations

import argparse

from . import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from .output import err, out


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..core.settings import SCHEMA

    keys_help = "; ".join(f"{key}: {setting.help}" for key, setting in SCHEMA.items())
    config = subparsers.add_parser(
        "config", help="show or change settings (list, get KEY, set KEY VALUE, reset KEY)",
        description="Show or change the settings the tray's settings dialog edits. Keys: " + keys_help,
    )
    sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="every setting with its value (and where the file is)")
    listing.set_defaults(handler=_list)

    get = sub.add_parser("get", help="print one setting's value")
    get.add_argument("key", metavar="KEY")
    get.set_defaults(handler=_get)

    set_ = sub.add_parser("set", help="validate and store a value")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE", help="the new value (an empty string turns a shortcut off)")
    set_.set_defaults(handler=_set)

    reset = sub.add_parser("reset", help="go back to the default value")
    reset.add_argument("key", metavar="KEY")
    reset.set_defaults(handler=_reset)


def _store():
    from ..platform.settings_store import SettingsStore

    return SettingsStore()


def _known(key: str) -> bool:
    from ..core.settings import SCHEMA

    if key in SCHEMA:
        return True
    err(f"unknown setting {key!r}; known settings: {', '.join(SCHEMA)}")
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
    out(f"# stored in {store.location}")
    return EXIT_OK


def _note_damaged_file(store) -> None:  # noqa: ANN001
    """After a write over a damaged settings file: what Qt could not read is gone from it; say where the copy is."""
    copy = getattr(store, "unreadable_copy", None)
    if copy is not None:
        err(f"note: the settings file {store.location} could not be read fully; it was written again without "
            f"what could not be read (a copy of the old file: {copy})")


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
        err(f"invalid value {args.value!r} for {exc}")
        return EXIT_USAGE
    except OSError as exc:
        err(str(exc))
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
                err(f"autostart: {problem}; and the setting could not be put back: {exc}")
                return EXIT_ERROR
            err(f"autostart: {problem}")
            return EXIT_ERROR
    out(f"{args.key} = {_text(args.key, value)}")
    return EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    if not _known(args.key):
        return EXIT_USAGE
    store = _store()
    try:
        store.reset(args.key)
    except OSError as exc:
        err(str(exc))
        return EXIT_ERROR
    _note_damaged_file(store)
    value = store.get(args.key)
    if args.key == "autostart":
        problem = _apply_autostart(bool(value))
        if problem is not None:
            err(f"autostart: {problem}")
            return EXIT_ERROR
    out(f"{args.key} = {_text(args.key, value)}  (default)")
    return EXIT_OK
