"""The ``status --json`` document: what the timer is doing, for the shell and status bars.

Built by the app (from its state) and by the shell's fallback (from the server),
read by ``timecrowd-tray status``; the schema is in the README::

    {"state": "running"|"idle"|"signed_out"|"offline",
     "task": {"id": 1, "title": "...", "team": "..."} | null,
     "started_at": "2025-10-21T09:00:00+09:00" | null,
     "elapsed_seconds": 2530 | null, "pending": 0, "source": "app"|"api"}

Its times are in the zone every time is shown in (``core.today.user_timezone``: the
account's, else the machine's), as ``log --json`` writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from .durations import format_hms
from .today import user_timezone

STATES = ("running", "idle", "signed_out", "offline")


def _iso(moment: datetime | None, zone: tzinfo) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).isoformat()


def status_document(*, state: str, task: Any = None, team: str = "", started_at: datetime | None = None,
                    now: datetime | None = None, pending: int = 0, source: str,
                    idle: dict[str, Any] | None = None, zone: tzinfo | None = None) -> dict[str, Any]:
    """The ``status --json`` document (see docs/controls.md).

    ``task`` is a :class:`~timecrowd_tray.core.models.Task` (or None): id,
    title and team (its team's name, or ``team`` when the task does not carry one).
    ``elapsed_seconds`` is whole seconds since ``started_at``. ``zone`` is the one the
    times are written in: ``user_timezone(user)`` (None: no account known, the machine's).
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    now = now or datetime.now(UTC)
    task_doc = None
    if task is not None:
        task_doc = {"id": task.id, "title": task.title, "team": getattr(task, "team_name", "") or team or None}
    elapsed = None
    if started_at is not None and task is not None:
        elapsed = max(0, int((now - started_at).total_seconds()))
    return {
        "state": state,
        "task": task_doc,
        "started_at": _iso(started_at, zone or user_timezone(None)) if task is not None else None,
        "elapsed_seconds": elapsed,
        "pending": int(pending),
        "source": source,
        # {"since": ISO time the user left, "seconds": away} while the away prompt waits (issue #15)
        "idle": idle,
    }


def _english(text: str, **values: Any) -> str:
    return text.format(**values) if values else text


def format_status(doc: dict[str, Any], tr: Callable[..., str] = _english) -> str:
    """One line for people and status bars: ``▶ 週次定例ミーティング (株式会社デモ) 0:42:10``.

    ``tr(text, **values)`` puts each English text in the user's language (the shell's
    ``cli.i18n.tr``), then fills its ``{placeholders}``; English by default.
    """
    task = doc.get("task")
    state = doc.get("state")
    if task:
        title = task.get("title") or tr("task {id}", id=task.get("id"))
        team = task.get("team")
        label = tr("{title} ({team})", title=title, team=team) if team else title  # as labels.task_label
        elapsed = doc.get("elapsed_seconds")
        clock = f" {format_hms(elapsed)}" if elapsed is not None else ""
        line = (f"▶ {label}" if state == "running" else tr("⚠ offline ▶ {task}", task=label)) + clock
    elif state == "idle":
        line = tr("■ not running")
    elif state == "signed_out":
        line = tr("signed out")
    else:
        line = tr("⚠ offline")
    pending = int(doc.get("pending") or 0)
    if pending:
        line += tr(" ({pending} waiting to sync)", pending=pending)
    return line
