"""How a task is named to a person: the same words in the tray, the palette and the shell.

* :func:`task_label`: ``Title (Team)``, or the title alone when there is no
  team: the notifications of changes made elsewhere, and the shell's
  ``toggle``/``start``/``stop`` lines.
* :func:`team_and_category`: ``Team · Category`` (either one alone when the
  other is missing): the menu's header, the tooltip's second line and the
  palette's second line of each row.

Plain text, not translated (they are the user's own names), not escaped or
shortened (the menu does that to its own labels).
"""

from __future__ import annotations

from .models import Task


def task_label(title: str, team: str | None = None) -> str:
    """``title (team)``, or ``title`` alone when ``team`` is empty or missing."""
    return f"{title} ({team})" if team else title


def team_and_category(task: Task) -> str:
    """``Team · Category`` of ``task``; one of them alone, or "" when it has neither."""
    return " · ".join(p for p in (task.team_name, task.category.title if task.category else "") if p)
