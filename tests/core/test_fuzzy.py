"""The palette's fuzzy matcher: ranking, Japanese, incremental narrowing, speed."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from timecrowd_tray.core.fuzzy import FuzzyIndex, normalize


def titles_of(matches):
    return [m.item for m in matches]


def index_of(titles, extras=None):
    pairs = list(zip(titles, extras or [""] * len(titles)))
    return FuzzyIndex(pairs, lambda p: p[0], lambda p: p[1])


def search(index, query, limit=50):
    return [m.item[0] for m in index.search(query, limit)]


def test_empty_query_lists_items_in_recency_order():
    index = index_of(["b", "a", "c"])
    assert search(index, "") == ["b", "a", "c"]
    assert search(index, "   ", limit=2) == ["b", "a"]


def test_case_insensitive_substring():
    index = index_of(["Weekly SYNC", "Design review"])
    assert search(index, "sync") == ["Weekly SYNC"]
    assert search(index, "DESIGN") == ["Design review"]


def test_prefix_beats_word_start_beats_inside_beats_subsequence():
    index = index_of([
        "xx rev yy",          # substring inside a word? no: at a word start
        "unrevised notes",    # substring inside a word
        "r e v spaced",       # subsequence only
        "review the plan",    # prefix
    ])
    assert search(index, "rev") == ["review the plan", "xx rev yy", "unrevised notes", "r e v spaced"]


def test_exact_title_ranks_first():
    index = index_of(["meeting notes", "meeting", "team meeting"])
    assert search(index, "meeting") == ["meeting", "meeting notes", "team meeting"]


def test_subsequence_matches_and_tighter_is_better():
    index = index_of(["d.s.g.n loose", "dsgn", "design"])
    result = search(index, "dsgn")
    assert result[0] == "dsgn"
    assert set(result) == {"dsgn", "design", "d.s.g.n loose"}
    assert result.index("design") < result.index("d.s.g.n loose")


def test_recency_breaks_ties():
    index = index_of(["alpha 1", "alpha 2", "alpha 3"])
    assert search(index, "alpha") == ["alpha 1", "alpha 2", "alpha 3"]


def test_all_terms_must_match_and_whole_phrase_ranks_first():
    index = index_of(["review design", "design review", "design notes"])
    assert search(index, "design review") == ["design review", "review design"]


def test_team_and_category_match_as_substring_below_titles():
    index = index_of(["Invoice", "Sales call"], extras=["Accounting", "Sales team"])
    assert search(index, "sales") == ["Sales call"]
    assert search(index, "accounting") == ["Invoice"]
    # a subsequence is not enough outside the title
    assert search(index, "acng") == []


def test_japanese_substring_and_subsequence():
    index = index_of(["定例会議の準備", "顧客対応", "会議室の予約"])
    assert search(index, "会議") == ["会議室の予約", "定例会議の準備"]
    assert search(index, "顧対") == ["顧客対応"]  # subsequence


def test_kana_and_width_are_folded():
    index = index_of(["カイギ資料", "ＡＢＣ社 訪問"])
    assert search(index, "かいぎ") == ["カイギ資料"]
    assert search(index, "abc") == ["ＡＢＣ社 訪問"]
    assert normalize("ｶｲｷﾞ") == normalize("カイギ") == "かいぎ"


def test_no_match():
    index = index_of(["alpha", "beta"])
    assert search(index, "zzz") == []


def test_limit_and_unlimited():
    index = index_of([f"task {i}" for i in range(100)])
    assert len(index.search("task")) == 50
    assert len(index.search("task", limit=None)) == 100


def test_incremental_typing_and_backspace_give_fresh_results():
    rng = random.Random(3)
    words = ["design", "review", "deploy", "会議", "資料", "sync", "data", "desk"]
    titles = [" ".join(rng.choice(words) for _ in range(3)) for _ in range(3000)]
    index = index_of(titles)
    for query in ["d", "de", "des", "desi", "design", "design r", "design re", "design", "de", "dep",
                  "depl", "会", "会議", "会議 資"]:
        fresh = index_of(titles)
        assert search(index, query, None) == search(fresh, query, None), query


_alphabet = st.sampled_from(list("abcde 会議"))


def reference(titles, query):
    """A naive oracle: every item through the one-by-one scorer, sorted by score then recency."""
    import timecrowd_tray.core.fuzzy as fuzzy

    terms = fuzzy._terms(query)
    if not terms:
        return [(t, 0) for t in titles[:50]]
    whole = " ".join(terms)
    ranked = []
    for i, title in enumerate(titles):
        key = fuzzy._key(title)
        scores = [fuzzy._term_score(fuzzy._Term(t), key, "") for t in terms]
        if all(scores):
            total = sum(scores)
            if len(terms) > 1 and whole in key:
                total += fuzzy._WHOLE_BONUS + (fuzzy._EXACT_BONUS if key == whole else 0)
            ranked.append((-total, i))
    return [(titles[i], -s) for s, i in sorted(ranked)[:50]]


@settings(max_examples=80, deadline=None)
@given(titles=st.lists(st.text(_alphabet, min_size=0, max_size=12), min_size=1, max_size=40),
       queries=st.lists(st.text(_alphabet, min_size=0, max_size=6), min_size=1, max_size=6))
def test_scan_and_per_item_paths_agree_with_a_naive_oracle(titles, queries):
    """Large candidate sets are scanned in C, small ones tested one by one: the same scores as the oracle."""
    import timecrowd_tray.core.fuzzy as fuzzy

    saved = fuzzy._SCAN_THRESHOLD, fuzzy._SCAN_FRACTION
    try:
        for threshold, fraction in ((0, 10**9), (10**9, 1)):  # always scan; scan only the first query
            fuzzy._SCAN_THRESHOLD, fuzzy._SCAN_FRACTION = threshold, fraction
            index = index_of(titles)
            for q in queries:
                got = [(m.item[0], m.score) for m in index.search(q)]
                assert got == reference(titles, q), (threshold, q)
    finally:
        fuzzy._SCAN_THRESHOLD, fuzzy._SCAN_FRACTION = saved

@settings(max_examples=120, deadline=None)
@given(titles=st.lists(st.text(st.sampled_from(list("abc 会")), min_size=0, max_size=6), min_size=1, max_size=60),
       queries=st.lists(st.text(st.sampled_from(list("abc会")), min_size=1, max_size=4), min_size=1, max_size=5),
       limit=st.integers(min_value=1, max_value=8))
def test_one_word_queries_stop_early_with_the_same_top_rows(titles, queries, limit):
    """One word: the search stops once the rows asked for are known (titles that are the word or
    start with it, then titles holding it); those rows are the full ranking's first ``limit``,
    typed one after the other (narrowing in between) or not."""
    index = index_of(titles)
    for query in queries:
        got = [(m.item[0], m.score) for m in index.search(query, limit)]
        assert got == reference(titles, query)[:limit], query


def test_a_one_letter_query_returns_the_best_rows_in_order():
    titles = ["xd", "d", "dx", "a d", "dd", "d", "zz"] + [f"d{i}" for i in range(100)]
    index = index_of(titles)
    assert search(index, "d", limit=4) == ["d", "d", "dx", "dd"]  # exact first, then prefixes by recency
    assert search(index, "d", limit=None)[:4] == ["d", "d", "dx", "dd"]


# Speed over 10,000 tasks is measured by benchmarks/bench_palette.py, never asserted here.
