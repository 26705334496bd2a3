"""Adding, editing and deleting entries (and a backdated start): refused at once with the rule broken, or recorded.

The times are checked before anything is written (:mod:`..core.entry_rules`):
an end before the start or at it (no length), in the future, over 24 hours are refused
(``invalid_times``); an overlap with another entry known here is refused
(``overlap``, naming it) unless the user insists (``allow_overlap``). Then the
intent goes to the outbox like a start or a stop (:mod:`.actions` records it),
carrying the user's values and, for an edit or a delete, the entry as the user
saw it (so the replay detects a change made elsewhere meanwhile: :mod:`.replay_entries`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.entry_rules import EntryProblem, check_times
from ..core.models import Task
from ..core.today import user_timezone
from . import intent_codec as codec, messages as M
from .action_result import ActionResult
from .actions import COMMENT_MAX_CHARS, Actions
from .day_entries import DayEntries, DayEntry

if TYPE_CHECKING:
    from .timer_service import TimerService


def seen_of(entry: DayEntry) -> codec.Seen:
    """The entry as the user saw it (ours on top of the server's: what the server will have by then)."""
    return codec.Seen(entry.started_at.timestamp(),
                      entry.stopped_at.timestamp() if entry.stopped_at is not None else None,
                      entry.task.id, entry.comment)


class EntryActions:
    def __init__(self, host: TimerService, actions: Actions, day: DayEntries, *, clock: Callable[[], float]) -> None:
        self._host = host
        self._actions = actions
        self._day = day
        self._clock = clock

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    # -- the rules, in words -------------------------------------------------------------------

    def check(self, started_at: datetime, stopped_at: datetime | None, *, others: Sequence[Any],
              ignore: DayEntry | None = None) -> list[EntryProblem]:
        ignore_id = ignore.ref.entry_id if ignore is not None else None
        rows = [o for o in others if ignore is None or not _same_ref(o, ignore)]
        return check_times(started_at, stopped_at, now=self._now(), others=rows, ignore_id=ignore_id)

    def problem_text(self, problem: EntryProblem, *, running: bool = False) -> str:
        if problem.code == "stop_before_start":
            return M.tr(M.PROBLEM_STOP_BEFORE_START)
        if problem.code == "empty":
            return M.tr(M.PROBLEM_EMPTY)
        if problem.code == "in_future":
            return M.tr(M.PROBLEM_START_IN_FUTURE if running else M.PROBLEM_IN_FUTURE)
        if problem.code == "too_long":
            return M.tr(M.PROBLEM_TOO_LONG)
        other = problem.other
        tz = user_timezone(self._host.user)
        title = other.task.title if other is not None else ""
        start = other.started_at.astimezone(tz).strftime("%H:%M") if other is not None else ""
        if other is None or other.stopped_at is None:
            return M.tr(M.PROBLEM_OVERLAP_RUNNING, task=title, start=start)
        return M.tr(M.PROBLEM_OVERLAP, task=title, start=start, end=other.stopped_at.astimezone(tz).strftime("%H:%M"))

    def _times_refusal(self, started_at: datetime, stopped_at: datetime | None, *, ignore: DayEntry | None,
                       allow_overlap: bool) -> ActionResult | None:
        problems = self.check(started_at, stopped_at, others=self._day.known_spans(), ignore=ignore)
        for problem in problems:
            if problem.blocking:
                return self._actions._refuse(self.problem_text(problem, running=stopped_at is None), "invalid_times")
        if problems and not allow_overlap:
            return self._actions._refuse(self.problem_text(problems[0]), "overlap")
        return None

    def _comment_refusal(self, comment: str) -> ActionResult | None:
        if len(comment) > COMMENT_MAX_CHARS:
            return ActionResult.refuse(M.tr(M.COMMENT_TOO_LONG, limit=COMMENT_MAX_CHARS, length=len(comment)),
                                       "too_long")
        return None

    # -- the actions ---------------------------------------------------------------------------

    def add(self, task: Task, started_at: datetime, stopped_at: datetime, comment: str | None = None, *,
            allow_overlap: bool = False) -> ActionResult:
        refusal = self._actions._refusal()
        if refusal is not None:
            return refusal
        if task.team_id is None:
            return self._actions._refuse(M.tr(M.TASK_HAS_NO_TEAM), "no_team")
        text = (comment or "").strip() or None
        refusal = self._comment_refusal(text or "") or self._times_refusal(
            started_at, stopped_at, ignore=None, allow_overlap=allow_overlap)
        if refusal is not None:
            return refusal
        result = self._actions._recorded([codec.add(task, started_at.timestamp(), stopped_at.timestamp(), text,
                                                    self._clock())], started=task)
        if result.recorded:
            self._host._recent.touch(task)
        return result

    def edit(self, entry: DayEntry, *, started_at: datetime | None = None, stopped_at: datetime | None = None,
             task: Task | None = None, comment: str | None = None, allow_overlap: bool = False) -> ActionResult:
        refusal = self._actions._refusal()
        if refusal is not None:
            return refusal
        if entry.pending == "delete":
            return self._actions._refuse(M.tr(M.ENTRY_GONE), "not_found")
        if started_at is not None and abs((started_at - entry.started_at).total_seconds()) < 1:
            started_at = None
        if stopped_at is not None and entry.stopped_at is not None \
                and abs((stopped_at - entry.stopped_at).total_seconds()) < 1:
            stopped_at = None
        if task is not None and task.id == entry.task.id:
            task = None
        if task is not None and task.team_id is None:
            return self._actions._refuse(M.tr(M.TASK_HAS_NO_TEAM), "no_team")
        text = comment.strip() if comment is not None else None
        if text is not None and text == (entry.comment or ""):
            text = None
        elif text == "":
            return self._actions._refuse(M.tr(M.EMPTY_COMMENT), "empty")
        changes = codec.EntryChanges(started_at.timestamp() if started_at else None,
                                     stopped_at.timestamp() if stopped_at else None, task, text)
        if changes.empty:
            return ActionResult()  # nothing to change: a no-op, as a second press is
        refusal = self._comment_refusal(text or "")
        if refusal is None and (started_at is not None or stopped_at is not None):
            new_stop = stopped_at if stopped_at is not None else entry.stopped_at
            refusal = self._times_refusal(started_at or entry.started_at, new_stop, ignore=entry,
                                          allow_overlap=allow_overlap)
        if refusal is not None:
            return refusal
        return self._actions._recorded([codec.edit(entry.ref, entry.task, changes, seen_of(entry), self._clock())])

    def delete(self, entry: DayEntry) -> ActionResult:
        refusal = self._actions._refusal()
        if refusal is not None:
            return refusal
        if entry.pending == "delete":
            return ActionResult()  # deleted already (waiting to be sent)
        return self._actions._recorded([codec.delete(entry.ref, entry.task, seen_of(entry), self._clock())])

    def start_at(self, task: Task, at: datetime, *, allow_overlap: bool = False) -> ActionResult:
        """Start ``task`` as if it had been started at ``at`` (stopping what runs at ``at``)."""
        refusal = self._actions._refusal()
        if refusal is not None:
            return refusal
        state = self._host.state
        if state.is_running and state.task is not None and state.task.id == task.id:
            return ActionResult()  # already running
        if state.is_running and state.started_at is not None and at <= state.started_at and state.task is not None:
            tz = user_timezone(self._host.user)
            return self._actions._refuse(M.tr(M.START_BEFORE_RUNNING, task=state.task.title,
                                              start=state.started_at.astimezone(tz).strftime("%H:%M")),
                                         "invalid_times")
        running_id = state.entry_id
        others = [o for o in self._day.known_spans() if o.stopped_at is not None or o.ref.entry_id != running_id]
        others = [o for o in others if not (o.is_running and state.is_running)]
        problems = self.check(at, None, others=others)
        for problem in problems:
            if problem.blocking:
                return self._actions._refuse(self.problem_text(problem, running=True), "invalid_times")
        if problems and not allow_overlap:
            return self._actions._refuse(self.problem_text(problems[0]), "overlap")
        return self._actions.start(task, at=at.timestamp())


def _same_ref(row: Any, entry: DayEntry) -> bool:
    ref = getattr(row, "ref", None)
    if ref is None:
        return bool(entry.ref.entry_id is not None and getattr(row, "id", None) == entry.ref.entry_id)
    return bool(ref == entry.ref or (entry.ref.entry_id is not None and ref.entry_id == entry.ref.entry_id)
                or (entry.ref.local_id is not None and ref.local_id == entry.ref.local_id))
