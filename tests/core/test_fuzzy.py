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
    import timecrowd_tray.core.fuzzy_terms as fuzzy_terms
    import timecrowd_tray.core.fuzzy_text as fuzzy_text

    terms = fuzzy_text.query_terms(query)
    if not terms:
        return [(t, 0) for t in titles[:50]]
    whole = " ".join(terms)
    ranked = []
    for i, title in enumerate(titles):
        key = fuzzy_text.search_key(title)
        scores = [fuzzy_terms.term_score(fuzzy_terms.Term(t), key, "") for t in terms]
        if all(scores):
            total = sum(scores)
            if len(terms) > 1 and whole in key:
                total += fuzzy_terms.WHOLE_BONUS + (fuzzy_terms.EXACT_BONUS if key == whole else 0)
            ranked.append((-total, i))
    return [(titles[i], -s) for s, i in sorted(ranked)[:50]]


@settings(max_examples=80, deadline=None)
@given(titles=st.lists(st.text(_alphabet, min_size=0, max_size=12), min_size=1, max_size=40),
       queries=st.lists(st.text(_alphabet, min_size=0, max_size=6), min_size=1, max_size=6))
def test_scan_and_per_item_paths_agree_with_a_naive_oracle(titles, queries):
    """Large candidate sets are scanned in C, small ones tested one by one: the same scores as the oracle."""
    import timecrowd_tray.core.fuzzy_index as fuzzy_index

    saved = fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION
    try:
        for threshold, fraction in ((0, 10**9), (10**9, 1)):  # always scan; scan only the first query
            fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION = threshold, fraction
            index = index_of(titles)
            for q in queries:
                got = [(m.item[0], m.score) for m in index.search(q)]
                assert got == reference(titles, q), (threshold, q)
    finally:
        fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION = saved

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


# -- abbreviations: a subsequence must show it was meant --------------------------------------


def test_scattered_letters_are_not_an_abbreviation():
    """``mtg`` is not ``Docu(m)enta(t)ion: (g)etting started``: its letters are inside words."""
    index = index_of(["Documentation: getting started", "Weekly meeting", "MTG 準備", "Meeting room"])
    assert search(index, "mtg") == ["MTG 準備", "Meeting room", "Weekly meeting"]  # substring, then abbreviations
    assert search(index, "dcmnt") == ["Documentation: getting started"]  # in one word, from its start
    assert search(index, "umt") == []  # in one word, but not from its start
    assert search(index, "tgs") == []  # a later word must be entered at its start: "ge(t)ting"


def test_best_task_match_does_not_pick_a_scattered_match():
    from timecrowd_tray.core.fuzzy import best_task_match
    from timecrowd_tray.core.models import Task

    docs = Task(id=1, title="Documentation: getting started", team_id=15, team_name="Open Source Guild")
    meeting = Task(id=2, title="Weekly meeting", team_id=14, team_name="株式会社デモ")
    assert best_task_match([docs], "mtg") is None  # `timecrowd-tray start mtg` starts nothing wrong
    assert best_task_match([docs, meeting], "mtg") is meeting


def test_good_abbreviations_still_match():
    index = index_of(["Weekly meeting", "getting started", "design", "Code review", "Bug triage #214"])
    assert search(index, "mtg") == ["Weekly meeting"]          # letters in order within one word
    assert search(index, "wm") == ["Weekly meeting"]           # word starts
    assert search(index, "wmtg") == ["Weekly meeting"]         # both
    assert search(index, "gs") == ["getting started"]
    assert search(index, "dsgn") == ["design"]
    assert search(index, "crev") == ["Code review"]
    assert search(index, "bt214") == ["Bug triage #214"]       # after punctuation, a word starts


def test_japanese_titles_match_by_substring_and_by_kanji_and_kana_runs():
    titles = ["週次定例ミーティング", "ログイン画面の改修", "定例会議の準備", "顧客打ち合わせ (ACME)"]
    index = index_of(titles)
    assert search(index, "週次") == ["週次定例ミーティング"]        # substring (a prefix)
    assert search(index, "定例") == ["定例会議の準備", "週次定例ミーティング"]
    assert search(index, "週ミ") == ["週次定例ミーティング"]        # a kanji run, then a kana run
    assert search(index, "週定") == ["週次定例ミーティング"]        # within one kanji run
    assert search(index, "画面改修") == ["ログイン画面の改修"]      # runs after kana
    assert search(index, "顧合") == ["顧客打ち合わせ (ACME)"]    # 顧客打 | ち | 合 | わせ
    assert search(index, "打合") == []                          # 打 is inside the run 顧客打
    assert search(index, "会準") == []                          # 会 is inside the run 定例会議
    assert search(index, "ミーティング") == ["週次定例ミーティング"]
    assert search(index, "みーてぃんぐ") == ["週次定例ミーティング"]  # kana folded


def test_a_script_change_is_a_word_start_for_substrings_too():
    index = index_of(["API連携の設計", "社内連携"])
    # 連携 starts a kanji run after "api" (a word start), and is inside the run 社内連携
    assert [(m.item[0], m.score) for m in index.search("連携")] == [("API連携の設計", 125 - 3), ("社内連携", 100 - 2)]


def _brute_abbreviation(term, title):
    """Every choice of positions, checked against the rule of the module's docstring."""
    import itertools

    import timecrowd_tray.core.fuzzy_text as fuzzy_text

    def next_ok(prev, p, k):
        ch = term[k]
        if fuzzy_text.script_of(ch) is None or fuzzy_text.is_word_start(title, p):
            return True  # a separator anywhere; or the start of a later word
        before = fuzzy_text.script_of(term[k - 1])
        return before is not None and all(fuzzy_text.script_of(title[q]) == before for q in range(prev + 1, p + 1))

    for picks in itertools.combinations(range(len(title)), len(term)):
        if any(title[p] != ch for p, ch in zip(picks, term)):
            continue
        if fuzzy_text.script_of(term[0]) is not None and not fuzzy_text.is_word_start(title, picks[0]):
            continue
        if all(next_ok(picks[k - 1], picks[k], k) for k in range(1, len(term))):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(title=st.text(st.sampled_from(list("ab abカか会議-.")), min_size=0, max_size=10),
       term=st.text(st.sampled_from(list("abかか会議-")), min_size=2, max_size=4))
def test_the_abbreviation_pattern_agrees_with_a_brute_force_search(title, term):
    import timecrowd_tray.core.fuzzy_terms as fuzzy_terms
    import timecrowd_tray.core.fuzzy_text as fuzzy_text

    key = fuzzy_text.search_key(title)
    t = fuzzy_text.normalize(term)
    if len(t) < 2 or t.strip() != t or " " in t:
        return
    assert (fuzzy_terms.Term(t).subseq.search(key) is not None) == _brute_abbreviation(t, key), (t, key)


@settings(max_examples=80, deadline=None)
@given(titles=st.lists(st.text(st.sampled_from(list("ab カか会-")), min_size=0, max_size=10),
                       min_size=1, max_size=30),
       queries=st.lists(st.text(st.sampled_from(list("ab かカ会")), min_size=0, max_size=4),
                        min_size=1, max_size=5))
def test_word_starts_of_kana_and_punctuation_agree_on_every_path(titles, queries):
    """The same scores from the joined column's flags (both paths) and from the one-by-one scorer."""
    import timecrowd_tray.core.fuzzy_index as fuzzy_index

    saved = fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION
    try:
        for threshold, fraction in ((0, 10**9), (10**9, 1)):
            fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION = threshold, fraction
            index = index_of(titles)
            for q in queries:
                assert [(m.item[0], m.score) for m in index.search(q)] == reference(titles, q), (threshold, q)
    finally:
        fuzzy_index._SCAN_THRESHOLD, fuzzy_index._SCAN_FRACTION = saved


# Speed over 10,000 tasks is measured by benchmarks/bench_palette.py, never asserted here.
