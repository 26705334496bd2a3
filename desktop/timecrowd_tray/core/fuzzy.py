"""Fuzzy ranking of tasks for the quick-start palette (pure Python, no Qt, no I/O).

The palette filters every cached task on each keystroke, so this module is
built for that loop:

* every item's search keys are normalised once, when the index is built
  (NFKC, casefolded, katakana folded to hiragana so ``かいぎ`` finds ``カイギ``
  and full-width ``ＡＢＣ`` finds ``abc``);
* a query that extends the previous one only looks at the previous matches
  (a match of ``desi`` is a match of ``des``), and a stack of earlier results
  makes backspace free;
* a subsequence test is one compiled regular expression per term, run in C;
* a one-word query stops as soon as the rows asked for are known
  (:meth:`FuzzyIndex._bounded_top`): titles that are the word or start with it
  outrank every other kind of match, and titles holding it outrank
  subsequences and the other text, so when there are ``limit`` of the former
  (read off an index of the titles' first one or two characters: a one-letter
  query usually has hundreds) or of the latter, nothing else needs scoring.
  What is returned is exactly the top ``limit`` of the full ranking; only the
  search stops earlier (and such a query does not feed the narrowing stack,
  except when it ends with a space: then the next word narrows its matches).

A query is split on white space into terms, and every term must match (AND),
as in most launchers. A term matches an item when it is a substring of the
title, an abbreviation of the title, or a substring of the item's other text
(team, category, key).

An abbreviation is a subsequence that shows it was meant: it starts at the
start of a word, and each next letter is either further on in the same word or
at the start of a later word. So ``dsgn`` finds ``design``, ``mtg`` finds
``Weekly meeting`` and ``gs`` finds ``getting started``, but ``mtg`` does not
find ``Documentation: getting started`` (its ``m`` is inside a word). A word
starts at the start of the title, after a separator (space, punctuation), and
where the script changes: Japanese titles have no spaces, so a run of kanji, a
run of kana and a run of Latin letters or digits are each a word
(``ろぐいん|画面|の|改修``; katakana is folded to hiragana first, so katakana
next to hiragana is one run). ``画面改修`` finds ``ログイン画面の改修``, and
``週ミ`` finds ``週次定例ミーティング``.

Ranking, best first:

1. the whole query as a substring of the title (``design review``), and
   exact or prefix titles;
2. substrings over subsequences; matches at the start of a word
   (after a space or punctuation, or at the start of the title) over matches
   inside a word; earlier and tighter matches over later and looser ones;
3. ties: the item's recency (its position in the list the index was built
   from, which the caller orders most recent first).

For tasks, :func:`task_search_text` is the one definition of a task's "other
text" and :func:`best_task_match` the one way to pick a task for a typed
query (the palette, the shell commands and the running app's commands all use
them, so the same words find the same task everywhere).
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .models import Task

T = TypeVar("T")

# Katakana U+30A1..U+30F6 fold onto hiragana U+3041..U+3096.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_WORD_SEPARATORS = frozenset(" \t-_/.,:;()[]{}<>#@!?&+*=|\\\"'`~「」『』（）【】・、。　")


_SEPARATOR_CLASS = re.escape("".join(sorted(_WORD_SEPARATORS)))
_SEPARATOR_RE = re.compile("[" + _SEPARATOR_CLASS + "\n]")
# Scripts whose changes start a word (see the module's docstring): kanji (and 々〆〇), kana (hiragana,
# katakana left unfolded, ー), and the rest ("other": Latin letters, digits, ...). Separators and
# newlines are in none of them.
_KANJI_RANGES = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA_RANGES = "\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff"
_SCRIPT_CLASSES = {
    "kanji": f"[{_KANJI_RANGES}]",
    "kana": f"[{_KANA_RANGES}]",
    "other": f"[^{_SEPARATOR_CLASS}\\n{_KANJI_RANGES}{_KANA_RANGES}]",
}
_SCRIPT_RES = {name: re.compile(cls) for name, cls in _SCRIPT_CLASSES.items()}
_RUN_RE = re.compile("|".join(cls + "+" for cls in _SCRIPT_CLASSES.values()))


def _script(ch: str) -> str | None:
    """The script of ``ch`` (a key of _SCRIPT_CLASSES), None for a separator or a newline."""
    if ch in _WORD_SEPARATORS or ch == "\n":
        return None
    for name, pattern in _SCRIPT_RES.items():
        if pattern.match(ch):
            return name
    raise AssertionError(ch)  # "other" takes every character the two others do not


def _is_word_start(text: str, pos: int) -> bool:
    """Whether a word starts at ``text[pos]``: at 0, after a separator, or where the script changes."""
    if pos == 0:
        return True
    before = text[pos - 1]
    if before in _WORD_SEPARATORS:
        return True
    here = _script(text[pos])
    return here is not None and here != _script(before)


def normalize(text: str) -> str:
    """The form both keys and queries are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_KATA_TO_HIRA)


def _terms(query: str) -> tuple[str, ...]:
    return tuple(normalize(query).split())


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    item: T
    score: int
    rank: int  # position in the list the index was built from (0 = most recent)


def _at_word_start(ch: str) -> str:
    """A pattern for ``ch`` where a word starts (a separator in a term may be anywhere)."""
    script = _script(ch)
    if script is None:
        return re.escape(ch)
    # Not preceded by a character of its own script: the start of the text or of a line, after a
    # separator, or where the script changes (the flags of _Column.word_start, as a look-behind).
    # The character first and the look-behind after it: a pattern that starts with a literal is
    # searched for by its first character, in C.
    return f"{re.escape(ch)}(?<!{_SCRIPT_CLASSES[script]}.)"


def _abbreviation_pattern(text: str) -> re.Pattern[str]:
    """The leftmost abbreviation of a title that ``text`` is (see the module's docstring).

    Its first character at a word start; each next one either further on in the word of the one
    before it (the nearest such, atomic: from a nearer one every later choice is still open) or,
    failing that, at the start of a later word (each such start tried in turn). Never across a
    newline: the joined column is scanned with it.
    """
    parts = [_at_word_start(text[0])]
    for before, ch in zip(text, text[1:]):
        script = _script(before)
        later_word = f"[^\\n]*?{_at_word_start(ch)}"
        if script is not None and script == _script(ch):
            parts.append(f"(?:(?>{_SCRIPT_CLASSES[script]}*?{re.escape(ch)})|{later_word})")
        else:
            parts.append(later_word)
    return re.compile("".join(parts))


class _Term:
    """One query term, with its precompiled abbreviation pattern."""

    __slots__ = ("text", "subseq")

    def __init__(self, text: str) -> None:
        self.text = text
        # One character: an abbreviation of it is a substring.
        self.subseq: re.Pattern[str] | None = _abbreviation_pattern(text) if len(text) > 1 else None


_PREFIX_SCORE = 220  # the title starts with the term
_EXACT_BONUS = 200   # ... and is nothing else
_WHOLE_BONUS = 120   # several terms, found together as typed


def _term_score(term: _Term, title: str, extra: str) -> int:
    """0 when the term does not match; otherwise higher is better."""
    t = term.text
    pos = title.find(t)
    if pos >= 0:
        score = 100
        if pos == 0:
            return _PREFIX_SCORE + (_EXACT_BONUS if len(title) == len(t) else 0)
        if _is_word_start(title, pos):
            score += 25
        return score - min(pos, 30)
    if term.subseq is not None:
        m = term.subseq.search(title)
        if m is not None:
            start = m.start()
            gaps = (m.end() - start) - len(t)
            score = 60 - min(gaps, 40) - min(start, 10) // 2
            if _is_word_start(title, start):
                score += 10
            return max(score, 5)
    if t in extra:
        return 15
    return 0


class _Column:
    """One searchable text per item, also joined into one string for scans in C."""

    __slots__ = ("texts", "big", "starts", "line_of", "word_start")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.big = "\n".join(texts)
        starts = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        starts.append(offset)  # sentinel: the start of the line after the last
        self.starts = starts
        # line_of[offset] = the item whose text holds that offset (the "\n" after it included).
        line_of = array("i", bytes(4 * max(offset, 1)))
        for i, text in enumerate(texts):
            line_of[starts[i]:starts[i + 1]] = array("i", [i]) * (len(text) + 1)
        self.line_of = line_of
        # word_start[offset]: a word starts there (_is_word_start: the start of the text, after a
        # separator, or where the script changes).
        flags = bytearray(len(self.big) + 1)
        flags[0] = 1
        for m in _SEPARATOR_RE.finditer(self.big):
            flags[m.end()] = 1
        for m in _RUN_RE.finditer(self.big):
            flags[m.start()] = 1
        self.word_start = bytes(flags)


# Above this many candidates (or this fraction of all items), one scan of the joined titles (in C)
# beats testing them one by one.
_SCAN_THRESHOLD = 1500
_SCAN_FRACTION = 3
# Titles are indexed by their first characters up to this many (FuzzyIndex._bounded_top).
_HEAD_CHARS = 2
# Scores by kind of match (see _term_score): a substring of the title scores at least
# _SUBSTRING_MIN; a subsequence at most _SUBSEQ_MAX; other text _EXTRA_SCORE.
_SUBSTRING_MIN = 100 - 30
_SUBSEQ_MAX = 60 - 1 + 10
_EXTRA_SCORE = 15
assert _SUBSEQ_MAX < _SUBSTRING_MIN and _EXTRA_SCORE < _SUBSTRING_MIN


class FuzzyIndex(Generic[T]):
    """Items with precomputed search keys, ranked against queries.

    ``items`` must be ordered most recent first (that order breaks ties).
    ``title_of`` gives the main text, ``extra_of`` other searchable text
    (team, category, key), which matches only as a substring and ranks low.
    """

    def __init__(self, items: Iterable[T], title_of: Callable[[T], str],
                 extra_of: Callable[[T], str] | None = None) -> None:
        self._items: list[T] = list(items)
        self._titles = _Column([_key(title_of(item)) for item in self._items])
        self._extras = _Column([_key(extra_of(item)) if extra_of else "" for item in self._items])
        # The first one and two characters of each title -> its items, most recent first.
        heads: dict[str, list[int]] = {}
        for i, title in enumerate(self._titles.texts):
            if title:
                heads.setdefault(title[:1], []).append(i)
                if len(title) > 1:
                    heads.setdefault(title[:2], []).append(i)
        self._heads = heads
        # Stack of (terms, indices of the items that matched them), for incremental narrowing.
        self._history: list[tuple[tuple[str, ...], list[int]]] = []
        self._substring_memo: tuple[str, dict[int, int]] | None = None  # within one search

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> Sequence[T]:
        return self._items

    def _candidates(self, terms: tuple[str, ...]) -> list[int] | None:
        """Indices to test for ``terms``: the matches of an earlier query they extend, or None (all)."""
        while self._history:
            prev_terms, prev_matches = self._history[-1]
            if prev_terms == terms or _extends(terms, prev_terms):
                return prev_matches
            self._history.pop()  # backspace or a new query: this entry no longer narrows anything
        return None

    def search(self, query: str, limit: int | None = 50) -> list[Match[T]]:
        """The items matching ``query``, best first, at most ``limit`` (None: all).

        An empty query returns the items in their recency order.
        """
        terms = _terms(query)
        if not terms:
            self._history.clear()
            count = len(self._items) if limit is None else min(limit, len(self._items))
            return [Match(self._items[i], 0, i) for i in range(count)]

        candidates = self._candidates(terms)
        self._substring_memo = None
        # (Not when the query ends with a space: another word follows, and it narrows the full
        # matches of this one, which the early stop would not have kept.)
        if limit is not None and len(terms) == 1 and not query[-1:].isspace() and (
                candidates is None or len(candidates) > max(_SCAN_THRESHOLD, len(self._items) // _SCAN_FRACTION)):
            top = self._bounded_top(terms[0], limit)
            if top is not None:
                return top
        scores = self._score(terms, candidates)
        if not self._history or self._history[-1][0] != terms:
            self._history.append((terms, list(scores)))
        # One int per match, score first and then recency, so the heap compares ints only.
        span = len(self._items) + 1
        keyed = [s * span - i for i, s in scores.items()]
        best = sorted(keyed, reverse=True) if limit is None else heapq.nlargest(limit, keyed)
        items = self._items
        out = []
        for k in best:
            i = -k % span
            out.append(Match(items[i], (k + i) // span, i))
        return out

    def _bounded_top(self, t: str, limit: int) -> list[Match[T]] | None:
        """The best ``limit`` matches of the one term ``t``, found without scoring every match.

        Titles equal to ``t`` (best), then titles starting with it, in recency order: when
        there are ``limit`` of them (a one-letter query usually has hundreds), they are the
        answer, read off the index of titles by their first characters. Otherwise the
        substrings of titles (which outrank subsequences and other text) when there are
        ``limit`` of them. None when neither is enough: the caller scores everything.
        """
        items, titles = self._items, self._titles.texts
        heads = self._heads.get(t, ()) if len(t) <= _HEAD_CHARS else ()
        n = len(t)
        exact = [i for i in heads if len(titles[i]) == n]
        if len(heads) >= limit:  # enough titles that are t or start with it
            top = [Match(items[i], _PREFIX_SCORE + _EXACT_BONUS, i) for i in exact[:limit]]
            for i in heads:
                if len(top) >= limit:
                    break
                if len(titles[i]) != n:
                    top.append(Match(items[i], _PREFIX_SCORE, i))
            return top
        found = self._substrings(t)
        if len(found) < limit:
            self._substring_memo = (t, found)  # the full scan that follows starts from these
            return None
        span = len(self._items) + 1
        best = heapq.nlargest(limit, (s * span - i for i, s in found.items()))
        return [Match(self._items[-k % span], (k + (-k % span)) // span, -k % span) for k in best]

    def _substrings(self, t: str) -> dict[int, int]:
        """{item: score} of the titles holding ``t`` (the first part of :meth:`_scan`)."""
        memo = self._substring_memo
        if memo is not None and memo[0] == t:
            return dict(memo[1])
        n = len(t)
        col = self._titles
        big, starts, line_of, word_start = col.big, col.starts, col.line_of, col.word_start
        find = big.find
        found: dict[int, int] = {}
        pos = find(t)
        while pos >= 0:
            i = line_of[pos]
            p = pos - starts[i]
            if p == 0:
                found[i] = _PREFIX_SCORE + (_EXACT_BONUS if starts[i + 1] - starts[i] - 1 == n else 0)
            elif word_start[pos]:
                found[i] = 125 - (p if p < 30 else 30)
            else:
                found[i] = 100 - (p if p < 30 else 30)
            pos = find(t, starts[i + 1])
        return found

    def _score(self, terms: tuple[str, ...], candidates: list[int] | None) -> dict[int, int]:
        """{item index: score} of the items matching every term."""
        compiled = sorted((_Term(t) for t in terms), key=lambda term: -len(term.text))  # rarest first
        scores: dict[int, int] | None = None
        pool: Sequence[int] | None = candidates
        for term in compiled:
            if pool is not None and len(pool) <= max(_SCAN_THRESHOLD, len(self._items) // _SCAN_FRACTION):
                found = self._score_each(term, pool)
            else:
                found = self._scan(term)
                if pool is not None:
                    found = {i: found[i] for i in pool if i in found}
            if scores is None:
                scores = found
            else:
                scores = {i: s + found[i] for i, s in scores.items() if i in found}
            pool = list(scores)
            if not scores:
                break
        assert scores is not None
        if len(terms) > 1:
            whole = " ".join(terms)
            titles = self._titles.texts
            for i in scores:
                title = titles[i]
                if whole in title:
                    scores[i] += _WHOLE_BONUS + (_EXACT_BONUS if title == whole else 0)
        return scores

    def _score_each(self, term: _Term, pool: Iterable[int]) -> dict[int, int]:
        """:func:`_term_score` of each item of ``pool`` (inlined: this loop is the hot one)."""
        titles, extras = self._titles.texts, self._extras.texts
        starts, word_start = self._titles.starts, self._titles.word_start
        t, subseq = term.text, term.subseq
        n = len(t)
        search = subseq.search if subseq is not None else None
        found = {}
        for i in pool:
            title = titles[i]
            pos = title.find(t)
            if pos >= 0:
                if pos == 0:
                    found[i] = _PREFIX_SCORE + (_EXACT_BONUS if len(title) == n else 0)
                else:
                    found[i] = (125 if word_start[starts[i] + pos] else 100) - (pos if pos < 30 else 30)
                continue
            if search is not None:
                m = search(title)
                if m is not None:
                    start = m.start()
                    gaps = m.end() - start - n
                    score = 60 - (gaps if gaps < 40 else 40) - (start if start < 10 else 10) // 2
                    if word_start[starts[i] + start]:
                        score += 10
                    found[i] = score if score > 5 else 5
                    continue
            if t in extras[i]:
                found[i] = _EXTRA_SCORE
        return found

    def _scan(self, term: _Term) -> dict[int, int]:
        """The same scores as :meth:`_score_each` over every item, from scans of the joined texts."""
        t = term.text
        n = len(t)
        col = self._titles
        big, starts, line_of, word_start = col.big, col.starts, col.line_of, col.word_start
        found = self._substrings(t)
        if term.subseq is not None:
            for m in term.subseq.finditer(big):
                start, end = m.span()
                i = line_of[start]
                if i in found:
                    continue
                p = start - starts[i]
                gaps = end - start - n
                s = 60 - (gaps if gaps < 40 else 40) - (p if p < 10 else 10) // 2
                if word_start[start]:
                    s += 10
                found[i] = s if s > 5 else 5
        col = self._extras
        big, starts, line_of = col.big, col.starts, col.line_of
        find = big.find
        pos = find(t)
        while pos >= 0:
            i = line_of[pos]
            if i not in found:
                found[i] = 15
            pos = find(t, starts[i + 1])
        return found


def _key(text: str) -> str:
    # One line per item in the joined column: a newline inside a title would split it.
    return normalize(text).replace("\n", " ")


def _extends(terms: tuple[str, ...], prev: tuple[str, ...]) -> bool:
    """True when every match of ``terms`` is a match of ``prev`` (each prev term is a prefix of one here)."""
    if len(terms) < len(prev):
        return False
    for i, p in enumerate(prev):
        t = terms[i]
        if i == len(prev) - 1:
            if not t.startswith(p):
                return False
        elif t != p:
            return False
    return True


# -- tasks -------------------------------------------------------------------------


def task_search_text(task: Task) -> str:
    """A task's searchable text besides its title: team, category and key."""
    category = task.category.title if task.category is not None else ""
    return " ".join(part for part in (task.team_name, category, task.key or "") if part)


def task_index(tasks: Iterable[Task]) -> FuzzyIndex[Task]:
    """An index over ``tasks`` (most recent first): titles, then :func:`task_search_text`."""
    return FuzzyIndex(tasks, title_of=lambda t: t.title, extra_of=task_search_text)


def best_task_match(tasks: Iterable[Task], query: str) -> Task | None:
    """The task that best matches ``query`` among ``tasks`` (ordered most recent first).

    None when nothing matches (or there are no tasks); an empty query gives the most recent task.
    """
    items = list(tasks)
    if not items:
        return None
    found = task_index(items).search(query, limit=1)
    return found[0].item if found else None
