"""What the benchmark scripts share: summary statistics and the results table.

    from _common import Figure, summary, print_table

A :class:`Figure` is one line of the table: samples of the app, samples of
the baseline it is compared with, and an optional budget. The table shows the
median and the min-max range of each, and the ratio of the medians.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def summary(samples: Sequence[float]) -> str:
    """``median  (min - max)`` of ``samples`` (``-`` when there are none)."""
    if not samples:
        return "-"
    return f"{statistics.median(samples):8.3f}  ({min(samples):.3f} - {max(samples):.3f})"


def median(samples: Sequence[float]) -> float | None:
    return statistics.median(samples) if samples else None


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if digits <= 0:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def fmt_range(samples: Sequence[float], digits: int = 1) -> str:
    """``median (min-max)``, or the single value when there is one sample."""
    if not samples:
        return "-"
    if len(samples) == 1:
        return fmt(samples[0], digits)
    return f"{fmt(statistics.median(samples), digits)} ({fmt(min(samples), digits)}-{fmt(max(samples), digits)})"


@dataclass
class Figure:
    """One measured quantity, for the app and for its baseline.

    ``budget`` is a limit on the app's value: ``("max", 50.0)`` means at most
    50 units, ``("ratio", 1.5)`` at most 1.5 times the baseline (both on
    medians; the worst sample is shown beside it). ``None``: reported only.
    """

    name: str
    unit: str
    app: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    budget: tuple[str, float] | None = None
    digits: int = 1
    note: str = ""

    def ratio(self) -> float | None:
        a, b = median(self.app), median(self.baseline)
        if a is None or b is None or b == 0:
            return None
        return a / b

    def budget_text(self) -> str:
        if self.budget is None:
            return "-"
        kind, limit = self.budget
        if kind == "ratio":
            return f"<= {limit:g}x baseline"
        if kind == "below":
            return f"< {limit:g} {self.unit}"
        return f"<= {limit:g} {self.unit}"

    def verdict(self) -> str:
        if self.budget is None:
            return ""
        value = median(self.app)
        if value is None:
            return "n/a"
        kind, limit = self.budget
        if kind == "ratio":
            ratio = self.ratio()
            if ratio is None:
                return "n/a"
            return "pass" if ratio <= limit else "MISS"
        if kind == "below":
            return "pass" if value < limit else "MISS"
        return "pass" if value <= limit else "MISS"


COLUMNS = ("measure", "app: median (min-max)", "baseline: median (min-max)", "ratio", "budget", "verdict")


def table_rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    rows = []
    for f in figures:
        ratio = f.ratio()
        rows.append((
            f"{f.name} ({f.unit})" if f.unit else f.name,
            fmt_range(f.app, f.digits),
            fmt_range(f.baseline, f.digits),
            f"{ratio:.2f}x" if ratio is not None else "-",
            f.budget_text(),
            f.verdict(),
        ))
    return rows


def print_table(figures: Sequence[Figure], *, markdown: bool = False,
                out: Callable[[str], None] = print) -> None:
    rows = table_rows(figures)
    if markdown:
        out("| " + " | ".join(COLUMNS) + " |")
        out("|" + "|".join("---" if i == 0 else "--:" if i in (3,) else "---" for i in range(len(COLUMNS))) + "|")
        for row in rows:
            out("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    out("  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths)))
    out("  ".join("-" * w for w in widths))
    for row in rows:
        out("  ".join(c.ljust(w) for c, w in zip(row, widths)))
