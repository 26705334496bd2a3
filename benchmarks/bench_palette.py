"""Palette filtering: per-keystroke time over 10,000 cached tasks.

Prints, for each keystroke of a few typing sessions, the time the palette's
fuzzy ranking takes (`core.fuzzy.FuzzyIndex.search`, top 50) next to a
baseline measured in the same run: a plain case-sensitive substring filter
``[t for t in titles if q in t]``, which ranks nothing and finds no
subsequences. The budget is 10 ms per keystroke; the exit code is 1 when the
median (over the repeats) of any keystroke is over it.

    .venv/bin/python benchmarks/bench_palette.py [--tasks 10000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from timecrowd_tray.core.fuzzy import FuzzyIndex  # noqa: E402
from timecrowd_tray.core.models import Category, Task  # noqa: E402

BUDGET_MS = 10.0

_EN = ("design review weekly sync meeting customer support invoice billing release notes "
       "backend frontend refactor migration database deploy hotfix onboarding interview "
       "research prototype roadmap planning retro standup analytics dashboard report "
       "marketing campaign budget contract legal security audit translation localization").split()
_JA = ("会議 設計 レビュー 定例 顧客 対応 請求 リリース 開発 改修 移行 調査 資料 作成 "
       "打ち合わせ 見積 営業 採用 面接 企画 分析 報告 翻訳 テスト 保守 運用 問い合わせ").split()
_TEAMS = ("Engineering", "Sales", "Support", "開発チーム", "営業部", "Design")
_CATS = ("Project A", "Project B", "Internal", "クライアントX", "社内", "Maintenance")


def make_tasks(n: int = 10_000, seed: int = 7) -> list[Task]:
    """``n`` deterministic tasks, English and Japanese titles mixed, most recent first."""
    rng = random.Random(seed)
    tasks = []
    for i in range(n):
        words = _JA if rng.random() < 0.4 else _EN
        sep = "" if words is _JA else " "
        title = sep.join(rng.choice(words) for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.3:
            title = title.title()
        team_index = rng.randrange(len(_TEAMS))
        category = Category(id=100 + team_index * 10 + rng.randrange(len(_CATS)),
                            title=rng.choice(_CATS), team_id=team_index + 1)
        tasks.append(Task(id=i + 1, title=f"{title} #{i}", team_id=team_index + 1,
                          team_name=_TEAMS[team_index], category=category,
                          key=f"T-{i}" if rng.random() < 0.2 else None))
    return tasks


def extra_of(task: Task) -> str:
    parts = [task.team_name, task.category.title if task.category else "", task.key or ""]
    return " ".join(p for p in parts if p)


SESSIONS = {
    "type 'design review'": [("design review"[:k]) for k in range(1, len("design review") + 1)],
    "type '会議資料'": ["会", "会議", "会議資", "会議資料"],
    "type 'dsgn rvw' (subsequence)": ["dsgn rvw"[:k] for k in range(1, len("dsgn rvw") + 1)],
    "backspace 'deploy' -> 'de'": ["deploy", "deplo", "depl", "dep", "de"],
    "paste (no narrowing)": ["migration database", "顧客対応", "qqqq zzzz"],
}


def _time_ms(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000.0


def run(n_tasks: int, repeats: int) -> int:
    tasks = make_tasks(n_tasks)
    t0 = time.perf_counter()
    index = FuzzyIndex(tasks, lambda t: t.title, extra_of)
    build_ms = (time.perf_counter() - t0) * 1000.0
    titles = [t.title for t in tasks]
    print(f"{n_tasks} tasks; index built in {build_ms:.1f} ms (once per cache load); "
          f"median of {repeats} runs per keystroke; budget {BUDGET_MS:.0f} ms")
    worst = 0.0
    for name, queries in SESSIONS.items():
        fuzzy_runs: list[list[float]] = [[] for _ in queries]
        base_runs: list[list[float]] = [[] for _ in queries]
        for _ in range(repeats):
            index.search("")  # the palette opens empty: no narrowing carried over
            for k, q in enumerate(queries):
                fuzzy_runs[k].append(_time_ms(index.search, q))
                base_runs[k].append(_time_ms(lambda q=q: [t for t in titles if q in t]))
        print(f"\n{name}")
        print(f"  {'query':<22} {'fuzzy ms':>9} {'matches':>8} {'baseline ms':>12}")
        for k, q in enumerate(queries):
            f_ms = statistics.median(fuzzy_runs[k])
            b_ms = statistics.median(base_runs[k])
            worst = max(worst, f_ms)
            found = len(index.search(q, limit=None))
            print(f"  {q!r:<22} {f_ms:>9.2f} {found:>8} {b_ms:>12.2f}")
    verdict = "OK" if worst <= BUDGET_MS else "OVER BUDGET"
    print(f"\nslowest keystroke (median): {worst:.2f} ms -> {verdict}")
    return 0 if worst <= BUDGET_MS else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    return run(args.tasks, args.repeats)


if __name__ == "__main__":
    sys.exit(main())
