"""Where a new task can go: the palette's "New tasks go to" choices.

Each team the user may create tasks in (not ``tasks_readonly``), first bare,
then with each category of it seen on a known task (by title). The team of the
latest task comes first; the others keep the account's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Category, Task, Team


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a created task goes: a team, and a category of it or none."""

    team: Team
    category: Category | None = None

    def label(self) -> str:
        return f"{self.team.name} / {self.category.title}" if self.category else self.team.name


def destinations(teams: Sequence[Team], known_tasks: Iterable[Task], latest: Task | None) -> list[Destination]:
    """The destinations in ``teams``, with the categories of ``known_tasks``; ``latest``'s team first."""
    categories: dict[int, dict[int, Category]] = {}
    for task in known_tasks:
        if task.category is not None and task.team_id is not None:
            categories.setdefault(task.team_id, {}).setdefault(task.category.id, task.category)
    ordered = sorted(teams, key=lambda t: (latest is None or t.id != latest.team_id))
    out = []
    for team in ordered:
        if team.tasks_readonly:
            continue
        out.append(Destination(team))
        for category in sorted(categories.get(team.id, {}).values(), key=lambda c: c.title):
            out.append(Destination(team, category))
    return out
