"""argparse's own words in the user's language: "usage:", its errors, the help's headings.

argparse looks each of its texts up through its module's gettext functions (``argparse._``
and ``argparse.ngettext``). :func:`argparse_speaks` points them, while a command line is
read, at the ``Shell`` context of the catalog, the same texts :func:`.i18n.tr` reads; the
texts are :data:`ARGPARSE_TEXTS`, marked with :func:`N_` for the catalog as the shell's own
are. The language is read only when argparse has something to say (an error, ``--help``):
a command line that parses costs nothing, and touches no settings before its command does.
The texts argparse fixes when a parser is built (the headings, the ``-h`` help) are
translated when the help is laid out, by :class:`ShellHelpFormatter`, which also keeps the
usage's continuation lines under its first word when "usage:" takes more columns than
characters on the screen (Japanese), and gives a heading the colon of its language.

In English nothing is translated: what argparse prints is byte for byte what it printed.
"""

from __future__ import annotations

import argparse
import contextlib
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from .i18n_catalog import CONTEXT, catalog
from .i18n_from_below import N_
from .i18n_language import FALLBACK, language

#: The texts of argparse (3.11 to 3.14) a user of the shell can see, as argparse spells them. A text
#: ending with a newline is listed without it (:func:`_lookup` puts it back). ``ngettext`` texts are
#: listed by their singular: the translation stands for every number.
ARGPARSE_TEXTS: tuple[str, ...] = (
    # the help
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(heading)s:"),  # 3.14: a section's heading (before, a colon argparse adds itself)
    # the errors: "%(prog)s: error: %(message)s", the message often "argument %(argument_name)s: ..."
    N_("%(prog)s: error: %(message)s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)

_Gettext = Callable[[str], str]
_Ngettext = Callable[[str, str, int], str]


#: The help texts argparse gives its own actions (-h, --version), translated when the help is laid out.
_OWN_HELP = frozenset({"show this help message and exit", "show program's version number and exit"})


@contextlib.contextmanager
def argparse_speaks(lang: str | None = None) -> Iterator[None]:
    """argparse in ``lang`` inside the block (default: the user's language, read at argparse's first word).

    An error or ``--help`` inside the block prints in that language (argparse exits with its own
    code, 2 or 0, as always). English: argparse as it is.
    """
    if lang == FALLBACK:
        yield
        return
    texts: dict[tuple[str, str], str] | None = None if lang is None else catalog(lang)
    # The module's gettext functions, by their names (typeshed does not declare them).
    saved_gettext: _Gettext = getattr(argparse, "_")  # noqa: B009
    saved_ngettext: _Ngettext = getattr(argparse, "ngettext")  # noqa: B009

    def translations() -> dict[tuple[str, str], str]:
        nonlocal texts
        if texts is None:
            user = language()
            texts = catalog(user) if user != FALLBACK else {}
        return texts

    def gettext(message: str) -> str:
        if not isinstance(message, str):  # argparse asks for _(None) too (a group with no description)
            return saved_gettext(message)
        return _lookup(translations(), message) or saved_gettext(message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return _lookup(translations(), singular) or saved_ngettext(singular, plural, count)

    setattr(argparse, "_", gettext)  # noqa: B010
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved_gettext)  # noqa: B010
        setattr(argparse, "ngettext", saved_ngettext)  # noqa: B010


def _lookup(texts: dict[tuple[str, str], str], message: str) -> str | None:
    body = message[:-1] if message.endswith("\n") else message
    found = texts.get((CONTEXT, body))
    if found is None:
        return None
    return found + message[len(body):]


def _argparse_text(message: str) -> str:
    """``message`` as argparse would print it now (through whatever its gettext is)."""
    gettext: _Gettext = getattr(argparse, "_")  # noqa: B009
    return gettext(message)


def columns(text: str) -> int:
    """How many columns ``text`` takes on a terminal: two for each wide (East Asian) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class ShellHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its own texts in the language it speaks now, laid out for the columns they take."""

    def start_section(self, heading: str | None) -> None:
        # "positional arguments", "options": fixed (in English) when the parser was built
        super().start_section(_argparse_text(heading) if isinstance(heading, str) else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        return _argparse_text(text) if text in _OWN_HELP else text

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self) -> str:
            text: str = super().format_help()
            heading = self.heading
            if not isinstance(heading, str) or heading is argparse.SUPPRESS:
                return text
            # Before 3.14 argparse adds an ASCII colon itself; the heading's own language may want another.
            translated = _argparse_text("%(heading)s:") % {"heading": heading}
            if translated == f"{heading}:":
                return text
            return text.replace(f"{heading}:\n", f"{translated}\n", 1)

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        prefix = _argparse_text("usage: ") if prefix is None else prefix
        width = columns(prefix)
        if width == len(prefix):
            return super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the continuation lines by len(prefix): lay out with a stand-in as wide as
        # the prefix is on the screen, then put the prefix in its place.
        stand_in = "\0" * width
        return super()._format_usage(usage, actions, groups, stand_in).replace(stand_in, prefix, 1)


class ShellParser(argparse.ArgumentParser):
    """The shell's parser: argparse's, with :class:`ShellHelpFormatter` (its subcommands' too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ShellHelpFormatter)
        super().__init__(*args, **kwargs)
