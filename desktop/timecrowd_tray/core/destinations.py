"""Where a new task can go: the palette's "New tasks go to" choices.

Each team the user may create tasks in (:func:`accepts_new_tasks`), first bare,
then with each category of it seen on a known task (by title). The team of the
latest task comes first; the others keep the account's order.

A team's ``tasks_readonly`` (TimeCrowd's "new task creation restriction",
新規タスク作成制限) forbids creating tasks in it: the server answers 422
「選択中のチームでタスクの作成・編集・削除は許可されていません」. Its existing tasks
can still be timed (``POST /teams/:id/tasks/:id/start`` is not restricted), so
they stay on offer everywhere; only the team is never a destination. The team
object does not say whether the restriction spares the user (it spares team
owners when ``tasks_readonly_role`` is ``"member"``), so a restricted team is
left out for everyone.
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


def accepts_new_tasks(team: Team) -> bool:
    """Whether tasks may be created in ``team`` (it is not ``tasks_readonly``)."""
    return not team.tasks_readonly


def destinations(teams: Sequence[Team], known_tasks: Iterable[Task], latest: Task | None) -> list[Destination]:
    """The destinations in ``teams``, with the categories of ``known_tasks``; ``latest``'s team first."""
    categories: dict[int, dict[int, Category]] = {}
    for task in known_tasks:
        if task.category is not None and task.team_id is not None:
            categories.setdefault(task.team_id, {}).setdefault(task.category.id, task.category)
    ordered = sorted(teams, key=lambda t: (latest is None or t.id != latest.team_id))
    out = []
    for team in ordered:
        if not accepts_new_tasks(team):
            continue
        out.append(Destination(team))
        for category in sorted(categories.get(team.id, {}).values(), key=lambda c: c.title):
            out.append(Destination(team, category))
    return out
