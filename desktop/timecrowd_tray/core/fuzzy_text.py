"""The form fuzzy search compares text in: normalised keys, words split by script.

Keys and queries are normalised the same way (NFKC, casefolded, katakana
folded to hiragana so ``かいぎ`` finds ``カイギ`` and full-width ``ＡＢＣ``
finds ``abc``).

A word starts at the start of the title, after a separator (space,
punctuation), and where the script changes: Japanese titles have no spaces, so
a run of kanji, a run of kana and a run of Latin letters or digits are each a
word (``ろぐいん|画面|の|改修``; katakana is folded to hiragana first, so
katakana next to hiragana is one run).
"""

from __future__ import annotations

import re
import unicodedata

# Katakana U+30A1..U+30F6 fold onto hiragana U+3041..U+3096.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_WORD_SEPARATORS = frozenset(" \t-_/.,:;()[]{}<>#@!?&+*=|\\\"'`~「」『』（）【】・、。　")


_SEPARATOR_CLASS = re.escape("".join(sorted(_WORD_SEPARATORS)))
SEPARATOR_RE = re.compile("[" + _SEPARATOR_CLASS + "\n]")
# Scripts whose changes start a word (see the module's docstring): kanji (and 々〆〇), kana (hiragana,
# katakana left unfolded, ー), and the rest ("other": Latin letters, digits, ...). Separators and
# newlines are in none of them.
_KANJI_RANGES = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA_RANGES = "\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff"
SCRIPT_CLASSES = {
    "kanji": f"[{_KANJI_RANGES}]",
    "kana": f"[{_KANA_RANGES}]",
    "other": f"[^{_SEPARATOR_CLASS}\\n{_KANJI_RANGES}{_KANA_RANGES}]",
}
_SCRIPT_RES = {name: re.compile(cls) for name, cls in SCRIPT_CLASSES.items()}
SCRIPT_RUN_RE = re.compile("|".join(cls + "+" for cls in SCRIPT_CLASSES.values()))


def script_of(ch: str) -> str | None:
    """The script of ``ch`` (a key of SCRIPT_CLASSES), None for a separator or a newline."""
    if ch in _WORD_SEPARATORS or ch == "\n":
        return None
    for name, pattern in _SCRIPT_RES.items():
        if pattern.match(ch):
            return name
    raise AssertionError(ch)  # "other" takes every character the two others do not


def is_word_start(text: str, pos: int) -> bool:
    """Whether a word starts at ``text[pos]``: at 0, after a separator, or where the script changes."""
    if pos == 0:
        return True
    before = text[pos - 1]
    if before in _WORD_SEPARATORS:
        return True
    here = script_of(text[pos])
    return here is not None and here != script_of(before)


def normalize(text: str) -> str:
    """The form both keys and queries are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_KATA_TO_HIRA)


def query_terms(query: str) -> tuple[str, ...]:
    return tuple(normalize(query).split())


def search_key(text: str) -> str:
    # One line per item in the joined column: a newline inside a title would split it.
    return normalize(text).replace("\n", " ")
