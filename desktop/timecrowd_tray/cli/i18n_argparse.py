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

The commands' own help texts (``help=`` and ``description=`` in cli/*.py) are marked with
:func:`N_` where they are given and translated the same way, when the help is laid out; a
text put together from parts (``config``'s list of keys) is a :class:`HelpText`, translated
part by part. A help text that takes more columns than characters (Japanese) is wrapped by
the columns it takes, between any two Japanese characters, never before a closing mark
(「、」「。」「）」…) nor after an opening one (「（」「「」…).

In English nothing is translated: what argparse prints is byte for byte what it printed.
"""

from __future__ import annotations

import argparse
import contextlib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
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
    return sum(2 if _wide(c) else 1 for c in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


class HelpText(str):
    """A help text put together from marked texts: ``template`` with its ``{name}`` values filled in.

    As a ``str`` it is the English text (what argparse lays out without :class:`ShellHelpFormatter`);
    :meth:`translated` is the text in a language: the template translated, and each value that is a
    :class:`HelpText` itself (a plain ``str`` value, a name such as a setting's key, stays as it is).
    """

    _template: str
    _values: dict[str, str]

    def __new__(cls, template: str, /, **values: str) -> HelpText:
        text = super().__new__(cls, template.format(**values) if values else template)
        text._template, text._values = template, values
        return text

    def translated(self, gettext: _Gettext) -> str:
        template = gettext(self._template)
        if not self._values:
            return template
        values = {name: value.translated(gettext) if isinstance(value, HelpText) else value
                  for name, value in self._values.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English template
            return self._template.format(**values)


class HelpList(HelpText):
    """Help texts one after the other, ``separator`` (a marked text) between them."""

    _separator: str
    _items: tuple[str, ...]

    def __new__(cls, separator: str, items: Iterable[str]) -> HelpList:
        listed = tuple(items)
        text = str.__new__(cls, separator.join(listed))
        text._template, text._values = separator, {}
        text._separator, text._items = separator, listed
        return text

    def translated(self, gettext: _Gettext) -> str:
        return gettext(self._separator).join(
            item.translated(gettext) if isinstance(item, HelpText) else item for item in self._items)


def _translated(text: str, gettext: _Gettext) -> str:
    """A help text of the shell (or of argparse) in the language of ``gettext``."""
    return text.translated(gettext) if isinstance(text, HelpText) else gettext(text)


# Where a line of Japanese may not be broken: before a closing mark, after an opening one.
_NO_BREAK_BEFORE = frozenset("、。，．・：；？！）」』】〕〉》”’ー〜…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々")
_NO_BREAK_AFTER = frozenset("（「『【〔〈《“‘［")


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` (its spaces single) in lines of at most ``width`` columns where it can be broken.

    A line breaks at a space (which goes), or between two characters one of which is wide (Japanese),
    except before a closing mark or after an opening one; a run of ASCII without a space is never cut
    (an option, a path: alone on its line when longer than ``width``).
    """
    pieces: list[tuple[str, bool]] = []  # (what is never cut, whether a space comes before it)
    space = False
    for char in text:
        if char == " ":
            space = True
            continue
        if pieces and not space:
            last = pieces[-1][0][-1]
            if (not _wide(last) and not _wide(char)) or char in _NO_BREAK_BEFORE or last in _NO_BREAK_AFTER:
                pieces[-1] = (pieces[-1][0] + char, pieces[-1][1])
                continue
        pieces.append((char, space))
        space = False
    lines: list[str] = []
    line, used = "", 0
    for piece, spaced in pieces:
        gap = " " if spaced and line else ""
        wanted = columns(piece)
        if line and used + len(gap) + wanted > width:
            lines.append(line)
            line, used = piece, wanted
        else:
            line, used = line + gap + piece, used + len(gap) + wanted
    if line:
        lines.append(line)
    return lines


class ShellHelpFormatter(argparse.HelpFormatter):
    """argparse's help, its own texts and the commands' in the language it speaks now, laid out by their columns."""

    def start_section(self, heading: str | None) -> None:
        # "positional arguments", "options": fixed (in English) when the parser was built
        super().start_section(_argparse_text(heading) if isinstance(heading, str) else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        # an option's or a command's help: argparse's own (-h, --version) or the shell's, marked with N_
        text = super()._get_help_string(action)
        return _translated(text, _argparse_text) if isinstance(text, str) else text

    def add_text(self, text: str | None) -> None:
        # a parser's description (and epilog), given when it was built
        if isinstance(text, str) and text is not argparse.SUPPRESS:
            text = _translated(text, _argparse_text)
        super().add_text(text)

    def _split_lines(self, text: str, width: int) -> list[str]:
        if columns(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_columns(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if columns(text) == len(text):
            return super()._fill_text(text, width, indent)
        lines = wrap_columns(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)

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
