"""The shell's timer commands (``toggle``, ``start``, ``stop``, ``status``), answered in one place.

Two front ends use it: the running app answers them on its socket (through
``ui.controls``, with the tray as :class:`Front`: a toggle from the shell then
behaves as the shortcut, comment dialog included), and the shell runs them
itself when no app runs (``cli.local_engine``, with the service as its own
front). Either way the answer says what really happened::

    {"ok": true,  "outcome": "done",   "action": "started", "task": {...}, "acted_at": "...", "status": {...}}
    {"ok": true,  "outcome": "queued", "action": "stopped", "stopped": {...}, "acted_at": "...",
     "waiting_for": "network"|"sign_in"|"server", "status": {...}}
    {"ok": false, "outcome": "refused", "error": "...", "code": "signed_out"|"not_found"|..., "status": {...}}

``queued`` means kept in the outbox and sent later with ``acted_at``, the time
of the command; ``done`` that the server confirmed it; ``refused`` that nothing
was done, and why (the server's own words when it refused).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from ..api import errors
from ..core.fuzzy import best_task_match
from ..core.models import Task
from ..core.status import status_document
from ..core.timer import TimerState
from ..core.today import user_timezone
from . import idle_commands
from .action_result import ActionResult
from .entry_commands import ENTRY_OPS, EntryCommands, NoWindow
from .timer_service import TimerService

log = logging.getLogger(__name__)

#: How long a command waits for the server to confirm an action before answering "queued".
SETTLE_TIMEOUT = 5.0
#: How long a command may look its task up (the server's search, a task by id) before it refuses.
RESOLVE_TIMEOUT = 8.0

#: Refusal codes of the service -> the answer's codes (the shell maps those to exit codes).
_REFUSAL_CODES = {"signed_out": "signed_out", "no_task": "not_found", "too_long": "bad_request",
                  "empty": "bad_request", "not_running": "not_running",
                  # the entries' (issue #14): a rule broken, a change made elsewhere, an entry gone
                  "invalid_times": "invalid_times", "overlap": "overlap", "conflict": "conflict",
                  "not_found": "not_found"}


class Front(Protocol):
    """Who carries out a toggle or a start: the tray (its dialogs), or the service itself."""

    def toggle(self) -> ActionResult | None: ...

    def start_task(self, task: Task) -> ActionResult | None: ...

    def open_today(self) -> None:
        """Show the entries window (op "today"); a front without windows raises :class:`NoWindow`."""


class ServiceFront:
    """The service as its own front end (no dialogs): the shell without the app."""

    def __init__(self, service: TimerService) -> None:
        self.service = service

    def toggle(self) -> ActionResult:
        return self.service.request_toggle()

    def start_task(self, task: Task) -> ActionResult:
        return self.service.request_start(task)

    def open_today(self) -> None:
        raise NoWindow()


def team_name(state: TimerState, task: Task | None) -> str:
    """The name of ``task``'s team from the signed-in user's teams, when the task does not carry it."""
    if task is None or task.team_name:
        return ""
    for team in getattr(state.user, "teams", ()) or ():
        if team.id == task.team_id:
            name: str = team.name
            return name
    return ""


class Commands:
    def __init__(self, service: TimerService, front: Front, *, source: str = "app",
                 settle_timeout: float = SETTLE_TIMEOUT, resolve_timeout: float = RESOLVE_TIMEOUT) -> None:
        self.service = service
        self.front = front
        self.source = source
        self.settle_timeout = settle_timeout
        self.resolve_timeout = resolve_timeout

    async def handle(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The answer to ``request``, or None when its ``cmd`` is not one of these commands."""
        cmd = request.get("cmd")
        if cmd == "status":
            return await self._status()
        if cmd == "toggle":
            return await self._toggle()
        if cmd == "start" and not request.get("at"):
            return await self._start(request)
        if cmd == "stop":
            return await self._stop(request)
        if cmd == "idle":  # the answer to the away prompt (issue #15)
            return await idle_commands.handle(self, request)
        if cmd in ENTRY_OPS or (cmd == "start" and request.get("at")):
            return await EntryCommands(self).handle(request)
        return None

    # -- state ---------------------------------------------------------------------------

    def _phase(self) -> str:
        return self.service.state.phase.value

    def status(self) -> dict[str, Any]:
        state = self.service.state
        phase = self._phase()
        running = phase in ("running", "starting")
        if phase == "signed_out":
            kind = "signed_out"
        elif state.offline or phase == "loading":
            kind = "offline"
        else:
            kind = "running" if running else "idle"
        task = state.task if running else None
        shown_at, away = idle_commands.status_fields(self)  # while a prompt waits: counted to when they left
        return status_document(state=kind, task=task, team=team_name(state, task),
                               started_at=state.started_at if task is not None else None,
                               now=shown_at, pending=state.pending_count, source=self.source, idle=away,
                               zone=user_timezone(state.user))  # the account's zone, as `log` writes

    async def _status(self) -> dict[str, Any]:
        if self._phase() == "loading":
            await self._first_answer()
        return {"ok": True, "outcome": "done", "status": self.status()}

    async def _first_answer(self) -> None:
        """Wait (bounded) until the service heard from the server, or knows it cannot."""
        done = asyncio.Event()

        def check(state: Any) -> None:
            if state.phase.value != "loading" or state.offline:
                done.set()

        remove = self.service.add_listener(check)
        try:
            check(self.service.state)
            await asyncio.wait_for(done.wait(), self.settle_timeout)
        except TimeoutError:
            log.debug("status: the server has not answered within %s s", self.settle_timeout)
        finally:
            remove()

    # -- answers -------------------------------------------------------------------------

    def refused(self, error: str, code: str = "failed") -> dict[str, Any]:
        return {"ok": False, "outcome": "refused", "error": error, "code": code, "status": self.status()}

    def _not_signed_in(self) -> dict[str, Any] | None:
        if self._phase() == "signed_out":
            return self.refused("not signed in: sign in from the tray menu or with `timecrowd-tray login`",
                                "signed_out")
        return None

    def _task_doc(self, task: Task) -> dict[str, Any]:
        return {"id": task.id, "title": task.title,
                "team": task.team_name or team_name(self.service.state, task) or None}

    async def answer(self, result: ActionResult | None, action: str, *, stopped: dict[str, Any] | None = None,
                     started: Task | None = None) -> dict[str, Any]:
        """What ``result`` became: done, queued (with its time) or refused (and why)."""
        if result is None:  # the front did something else (the sign-in window, the palette)
            if self._phase() == "signed_out":
                return self.refused("nothing was done: sign in first", "signed_out")
            return self.refused("nothing was done", "failed")
        if result.refused:
            return self.refused(str(result.refusal), _REFUSAL_CODES.get(str(result.code), "failed"))
        outcome = await self.service.outcome(result, self.settle_timeout)
        answer: dict[str, Any] = {"ok": outcome.kind != "refused", "outcome": outcome.kind, "action": action}
        if result.acted_at is not None:
            zone = user_timezone(self.service.user)  # the zone the shell prints and reads times in
            answer["acted_at"] = datetime.fromtimestamp(result.acted_at, UTC).astimezone(zone).isoformat()
        task = started or result.started
        if task is not None:
            answer["task"] = self._task_doc(task)
        if stopped is not None:
            answer["stopped"] = stopped
        if outcome.kind == "refused":
            answer["error"] = outcome.reason or "TimeCrowd refused it"
            answer["code"] = outcome.code or "refused"
        elif outcome.kind == "queued":
            answer["waiting_for"] = outcome.waiting_for
        answer["status"] = self.status()
        return answer

    # -- commands ------------------------------------------------------------------------

    async def _toggle(self) -> dict[str, Any]:
        refusal = self._not_signed_in()
        if refusal:
            return refusal
        was_running = self._phase() in ("running", "starting")
        if not was_running and not self.service.recent_tasks:
            return self.refused("no recent task to start: use `timecrowd-tray start QUERY`", "not_found")
        before = self.status()
        result = self.front.toggle()
        if was_running:
            return await self.answer(result, "stopped", stopped=before)
        return await self.answer(result, "started")

    async def resolve(self, query: str | None, task_id: int | None) -> Task | None:
        """The task a command names: by id (the cache, then the server), by words, or the latest."""
        if task_id is not None:
            return await self.service.find_task(task_id)
        candidates = self.service.cached_tasks
        if not query:
            return candidates[0] if candidates else None
        found = best_task_match(candidates, query)
        if found is not None:
            return found
        results = list(await self.service.search_tasks(query))
        return best_task_match(results, query) or (results[0] if results else None)

    async def _start(self, request: dict[str, Any]) -> dict[str, Any]:
        refusal = self._not_signed_in()
        if refusal:
            return refusal
        query = (request.get("query") or "").strip() or None
        task_id = request.get("task_id")
        if task_id is not None:
            try:
                task_id = int(task_id)
            except (TypeError, ValueError):
                return self.refused(f"not a task id: {task_id!r}", "bad_request")
        try:
            # Bounded, so the whole answer comes well within the shell's wait (REPLY_TIMEOUT):
            # an action recorded after the shell gave up would be one it reported as failed.
            task = await asyncio.wait_for(self.resolve(query, task_id), self.resolve_timeout)
        except TimeoutError:
            return self.refused(f"TimeCrowd did not answer within {self.resolve_timeout:g} s to look the task "
                                "up; nothing was started", "unreachable")
        except errors.ApiError as exc:
            return self.refused(f"cannot look the task up on TimeCrowd now ({exc.user_message}); nothing "
                                "was started", "unreachable")
        if task is None:
            if task_id is not None:
                what = f"task {task_id} is not one of your teams' tasks"
            elif query:
                what = f"no task matches {query!r}"
            else:
                what = "no recent task to start: give a QUERY or --task ID"
            return self.refused(what, "not_found")
        state = self.service.state
        running = self._phase() in ("running", "starting")
        if running and state.task is not None and state.task.id == task.id:
            return {"ok": True, "outcome": "done", "action": "already_running", "status": self.status()}
        before = self.status() if running else None
        result = self.front.start_task(task)
        return await self.answer(result, "switched" if before else "started", stopped=before, started=task)

    async def _stop(self, request: dict[str, Any]) -> dict[str, Any]:
        refusal = self._not_signed_in()
        if refusal:
            return refusal
        comment = request.get("comment")
        comment = comment.strip() if isinstance(comment, str) else None
        if self._phase() == "loading":  # offline since start-up, and no running entry was cached
            return self.refused("TimeCrowd cannot be reached and what runs there is not known here; nothing "
                                "was stopped", "unreachable")
        if self._phase() not in ("running", "starting"):
            if comment:
                return self.refused("the timer is not running: the comment was not added", "not_running")
            return {"ok": True, "outcome": "done", "action": "not_running", "status": self.status()}
        limit = self.service.COMMENT_MAX_CHARS
        if comment and len(comment) > limit:
            return self.refused(f"the comment is {len(comment)} characters long; the limit is {limit} "
                                "(the timer was not stopped)", "bad_request")
        before = self.status()
        ref = self.service.state.ref
        result = self.service.request_stop()
        if comment and result.recorded:
            target = result.stopped.ref if result.stopped is not None else ref
            assert target is not None
            noted = self.service.request_comment(target, comment, after=result.intents[-1])
            if noted.refused:
                answer = await self.answer(result, "stopped", stopped=before)
                return {**answer, "comment_error": noted.refusal}
            result = replace(result, intents=result.intents + noted.intents)
        return await self.answer(result, "stopped", stopped=before)
