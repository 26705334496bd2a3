"""The index the quick-start palette filters on every keystroke (pure Python, no Qt, no I/O).

Built for that loop:

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

What matches and how it ranks: ``fuzzy.py``.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .fuzzy_terms import EXACT_BONUS, EXTRA_SCORE, PREFIX_SCORE, WHOLE_BONUS, Term
from .fuzzy_text import SCRIPT_RUN_RE, SEPARATOR_RE, query_terms, search_key

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    item: T
    score: int
    rank: int  # position in the list the index was built from (0 = most recent)



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
        # word_start[offset]: a word starts there (is_word_start: the start of the text, after a
        # separator, or where the script changes).
        flags = bytearray(len(self.big) + 1)
        flags[0] = 1
        for m in SEPARATOR_RE.finditer(self.big):
            flags[m.end()] = 1
        for m in SCRIPT_RUN_RE.finditer(self.big):
            flags[m.start()] = 1
        self.word_start = bytes(flags)


# Above this many candidates (or this fraction of all items), one scan of the joined titles (in C)
# beats testing them one by one.
_SCAN_THRESHOLD = 1500
_SCAN_FRACTION = 3
# Titles are indexed by their first characters up to this many (FuzzyIndex._bounded_top).
_HEAD_CHARS = 2


class FuzzyIndex(Generic[T]):
    """Items with precomputed search keys, ranked against queries.

    ``items`` must be ordered most recent first (that order breaks ties).
    ``title_of`` gives the main text, ``extra_of`` other searchable text
    (team, category, key), which matches only as a substring and ranks low.
    """

    def __init__(self, items: Iterable[T], title_of: Callable[[T], str],
                 extra_of: Callable[[T], str] | None = None) -> None:
        self._items: list[T] = list(items)
        self._titles = _Column([search_key(title_of(item)) for item in self._items])
        self._extras = _Column([search_key(extra_of(item)) if extra_of else "" for item in self._items])
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
        terms = query_terms(query)
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
            top = [Match(items[i], PREFIX_SCORE + EXACT_BONUS, i) for i in exact[:limit]]
            for i in heads:
                if len(top) >= limit:
                    break
                if len(titles[i]) != n:
                    top.append(Match(items[i], PREFIX_SCORE, i))
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
                found[i] = PREFIX_SCORE + (EXACT_BONUS if starts[i + 1] - starts[i] - 1 == n else 0)
            elif word_start[pos]:
                found[i] = 125 - (p if p < 30 else 30)
            else:
                found[i] = 100 - (p if p < 30 else 30)
            pos = find(t, starts[i + 1])
        return found

    def _score(self, terms: tuple[str, ...], candidates: list[int] | None) -> dict[int, int]:
        """{item index: score} of the items matching every term."""
        compiled = sorted((Term(t) for t in terms), key=lambda term: -len(term.text))  # rarest first
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
                    scores[i] += WHOLE_BONUS + (EXACT_BONUS if title == whole else 0)
        return scores

    def _score_each(self, term: Term, pool: Iterable[int]) -> dict[int, int]:
        """:func:`term_score` of each item of ``pool`` (inlined: this loop is the hot one)."""
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
                    found[i] = PREFIX_SCORE + (EXACT_BONUS if len(title) == n else 0)
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
                found[i] = EXTRA_SCORE
        return found

    def _scan(self, term: Term) -> dict[int, int]:
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
