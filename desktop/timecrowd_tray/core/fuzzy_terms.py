"""How one query term matches one title: as a substring, an abbreviation, or in the other text.

An abbreviation is a subsequence that shows it was meant: it starts at the
start of a word (``fuzzy_text.py``), and each next letter is either further on
in the same word or at the start of a later word. So ``dsgn`` finds
``design``, ``mtg`` finds ``Weekly meeting`` and ``gs`` finds ``getting
started``, but ``mtg`` does not find ``Documentation: getting started`` (its
``m`` is inside a word). ``画面改修`` finds ``ログイン画面の改修``, and ``週ミ``
finds ``週次定例ミーティング``.

:func:`term_score` is the reference scoring; ``fuzzy_index.py`` inlines it in
its hot loops and must give the same scores.
"""

from __future__ import annotations

import re

from .fuzzy_text import SCRIPT_CLASSES, is_word_start, script_of


def _at_word_start(ch: str) -> str:
    """A pattern for ``ch`` where a word starts (a separator in a term may be anywhere)."""
    script = script_of(ch)
    if script is None:
        return re.escape(ch)
    # Not preceded by a character of its own script: the start of the text or of a line, after a
    # separator, or where the script changes (the flags of fuzzy_index._Column.word_start, as a look-behind).
    # The character first and the look-behind after it: a pattern that starts with a literal is
    # searched for by its first character, in C.
    return f"{re.escape(ch)}(?<!{SCRIPT_CLASSES[script]}.)"


def _abbreviation_pattern(text: str) -> re.Pattern[str]:
    """The leftmost abbreviation of a title that ``text`` is (see the module's docstring).

    Its first character at a word start; each next one either further on in the word of the one
    before it (the nearest such, atomic: from a nearer one every later choice is still open) or,
    failing that, at the start of a later word (each such start tried in turn). Never across a
    newline: the joined column is scanned with it.
    """
    parts = [_at_word_start(text[0])]
    for before, ch in zip(text, text[1:]):
        script = script_of(before)
        later_word = f"[^\\n]*?{_at_word_start(ch)}"
        if script is not None and script == script_of(ch):
            parts.append(f"(?:(?>{SCRIPT_CLASSES[script]}*?{re.escape(ch)})|{later_word})")
        else:
            parts.append(later_word)
    return re.compile("".join(parts))


class Term:
    """One query term, with its precompiled abbreviation pattern."""

    __slots__ = ("text", "subseq")

    def __init__(self, text: str) -> None:
        self.text = text
        # One character: an abbreviation of it is a substring.
        self.subseq: re.Pattern[str] | None = _abbreviation_pattern(text) if len(text) > 1 else None


PREFIX_SCORE = 220  # the title starts with the term
EXACT_BONUS = 200   # ... and is nothing else
WHOLE_BONUS = 120   # several terms, found together as typed


def term_score(term: Term, title: str, extra: str) -> int:
    """0 when the term does not match; otherwise higher is better."""
    t = term.text
    pos = title.find(t)
    if pos >= 0:
        score = 100
        if pos == 0:
            return PREFIX_SCORE + (EXACT_BONUS if len(title) == len(t) else 0)
        if is_word_start(title, pos):
            score += 25
        return score - min(pos, 30)
    if term.subseq is not None:
        m = term.subseq.search(title)
        if m is not None:
            start = m.start()
            gaps = (m.end() - start) - len(t)
            score = 60 - min(gaps, 40) - min(start, 10) // 2
            if is_word_start(title, start):
                score += 10
            return max(score, 5)
    if t in extra:
        return 15
    return 0


# Scores by kind of match (see term_score): a substring of the title scores at least
# _SUBSTRING_MIN; a subsequence at most _SUBSEQ_MAX; other text EXTRA_SCORE.
_SUBSTRING_MIN = 100 - 30
_SUBSEQ_MAX = 60 - 1 + 10
EXTRA_SCORE = 15
assert _SUBSEQ_MAX < _SUBSTRING_MIN and EXTRA_SCORE < _SUBSTRING_MIN
