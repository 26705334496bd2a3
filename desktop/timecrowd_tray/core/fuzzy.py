"""Fuzzy search of tasks by typed words: what matches, how it ranks (pure Python, no Qt, no I/O).

The pieces: ``fuzzy_text.py`` (the compared form of text, word starts),
``fuzzy_terms.py`` (one term against one title), ``fuzzy_index.py`` (the index
the palette filters on every keystroke, fast). This module is the entry point:
:class:`FuzzyIndex`, :class:`Match` and :func:`normalize` are importable from
here.

A query is split on white space into terms, and every term must match (AND),
as in most launchers. A term matches an item when it is a substring of the
title, an abbreviation of the title, or a substring of the item's other text
(team, category, key). An abbreviation (``dsgn`` for ``design``, ``画面改修`` for
``ログイン画面の改修``) is defined in ``fuzzy_terms.py``.

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

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .fuzzy_index import FuzzyIndex, Match
from .fuzzy_text import normalize

if TYPE_CHECKING:
    from .models import Task

__all__ = ["FuzzyIndex", "Match", "best_task_match", "normalize", "task_index", "task_search_text"]


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
