"""The shell's entry commands (``log``, ``add``, ``edit``, ``delete``, ``start --at``, ``today``), in one place.

:class:`~.commands.Commands` hands these ops here; the answers have its format
(done / queued with ``acted_at`` / refused with ``error`` and ``code``), plus::

    log     {"ok": true, "outcome": "done", "day": "2025-10-21", "entries": [<entry>...],
             "complete": true, "error": null, "total_seconds": 5400}
    add, edit, delete: "entry": <entry> (what the user asked for)

``<entry>`` is ``{"id", "ref", "task": {"id", "title", "team"}, "started_at", "stopped_at"
(null while running), "duration_seconds", "comment", "pending"}``, times in ISO 8601
with the offset of the user's zone. Times are typed as the user types them
(``9:05``, ``905``, ``-15m``: :mod:`..core.clock_input`), read in the account's zone.
``ref`` is what ``edit``/``delete`` take: the server's id, or ``local-N`` for an add not
sent yet (``id`` null): a script can fix or drop it before it is sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..api import errors
from ..core.clock_input import ClockInputError, parse_clock
from ..core.day import day_totals
from ..core.models import Task
from ..core.timer import EntryRef
from ..core.today import user_timezone
from .day_entries import DayEntry

LOCAL_PREFIX = "local-"  # an entry not on the server yet: its outbox row (what `log` shows, `edit`/`delete` take)


def entry_ref_text(ref: EntryRef) -> str:
    """The server's id, or ``local-N`` for an add (or start) still waiting in the outbox."""
    return str(ref.entry_id) if ref.entry_id is not None else f"{LOCAL_PREFIX}{ref.local_id}"


if TYPE_CHECKING:
    from .commands import Commands


def as_answered(entry: DayEntry, answer: dict[str, Any]) -> DayEntry:
    """``entry`` as the answer leaves it: confirmed by the server (nothing pending) when done, its change
    still waiting when queued (the answer is read after the outbox row is cleared, not before)."""
    return replace(entry, pending=None if answer.get("outcome") == "done" else entry.pending)

ENTRY_OPS = frozenset({"log", "add", "edit", "delete", "today"})
#: How long a command may read the server (a day, an entry) before it answers "unreachable".
READ_TIMEOUT = 20.0


class NoWindow(Exception):
    """The front has no windows (the shell's own engine): the op "today" needs the app."""


class EntryCommands:
    def __init__(self, commands: Commands) -> None:
        self.c = commands
        self.service = commands.service

    async def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        cmd = request.get("cmd")
        if cmd == "today":
            return self._today()
        refusal = self.c._not_signed_in()
        if refusal:
            return refusal
        try:
            if cmd == "log":
                return await self._log(request)
            if cmd == "add":
                return await self._add(request)
            if cmd == "start":
                return await self._start_at(request)
            return await self._change(request, delete=cmd == "delete")
        except ClockInputError as exc:
            return self.c.refused(f"not a time: {exc.text!r} (use 9:05, 905 or -15m)", "bad_request")

    # -- helpers ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.service._clock(), tz=UTC).astimezone(user_timezone(self.service.user))

    def _day(self, text: Any) -> date | None:
        today = self._now().date()
        if text in (None, "", "today"):
            return today
        if text == "yesterday":
            return today - timedelta(days=1)
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            return None

    def entry_doc(self, entry: DayEntry) -> dict[str, Any]:
        tz = user_timezone(self.service.user)
        now = self._now()
        return {"id": entry.ref.entry_id, "ref": entry_ref_text(entry.ref), "task": self.c._task_doc(entry.task),
                "started_at": entry.started_at.astimezone(tz).isoformat(),
                "stopped_at": entry.stopped_at.astimezone(tz).isoformat() if entry.stopped_at else None,
                "duration_seconds": int(entry.duration(now)), "comment": entry.comment, "pending": entry.pending}

    async def _task(self, request: dict[str, Any]) -> Task | dict[str, Any]:
        query = (request.get("query") or "").strip() or None
        task_id = request.get("task_id")
        try:
            task = await asyncio.wait_for(self.c.resolve(query, int(task_id) if task_id is not None else None),
                                          self.c.resolve_timeout)
        except (TypeError, ValueError):
            return self.c.refused(f"not a task id: {task_id!r}", "bad_request")
        except TimeoutError:
            return self.c.refused(f"TimeCrowd did not answer within {self.c.resolve_timeout:g} s to look the task "
                                  "up; nothing was done", "unreachable")
        except errors.ApiError as exc:
            return self.c.refused(f"cannot look the task up on TimeCrowd now ({exc.user_message}); nothing "
                                  "was done", "unreachable")
        if task is None:
            if task_id is not None:
                return self.c.refused(f"task {task_id} is not one of your teams' tasks", "not_found")
            if query:
                return self.c.refused(f"no task matches {query!r}", "not_found")
            return self.c.refused("give a QUERY or --task ID", "bad_request")
        return task

    async def _answer(self, result: Any, action: str, entry: DayEntry | None) -> dict[str, Any]:
        answer = await self.c.answer(result, action, started=None)
        if entry is not None and answer.get("ok"):
            answer["entry"] = self.entry_doc(as_answered(entry, answer))
        return answer

    # -- commands --------------------------------------------------------------------------

    def _today(self) -> dict[str, Any]:
        opener = getattr(self.c.front, "open_today", None)
        try:
            if opener is None:
                raise NoWindow()
            opener()
        except NoWindow:
            return self.c.refused("the entries window needs the running app", "no_app")
        return {"ok": True, "outcome": "done", "action": "opened", "status": self.c.status()}

    async def _log(self, request: dict[str, Any]) -> dict[str, Any]:
        day = self._day(request.get("date"))
        if day is None:
            return self.c.refused(f"not a date: {request.get('date')!r} (use YYYY-MM-DD, today or yesterday)",
                                  "bad_request")
        try:
            load = await asyncio.wait_for(self.service.load_day(day), READ_TIMEOUT)
        except TimeoutError:
            return self.c.refused(f"TimeCrowd did not answer within {READ_TIMEOUT:g} s", "unreachable")
        totals = day_totals(load.entries, now=self._now(), day=day)
        return {"ok": True, "outcome": "done", "action": "log", "day": day.isoformat(),
                "entries": [self.entry_doc(e) for e in load.entries], "complete": load.complete,
                "error": load.error, "total_seconds": int(totals.total), "status": self.c.status()}

    async def _add(self, request: dict[str, Any]) -> dict[str, Any]:
        day = self._day(request.get("date"))
        if day is None:
            return self.c.refused(f"not a date: {request.get('date')!r} (use YYYY-MM-DD, today or yesterday)",
                                  "bad_request")
        if not request.get("from") or not request.get("to"):
            return self.c.refused("an entry needs --from and --to", "bad_request")
        now = self._now()
        started = parse_clock(str(request["from"]), day=day, now=now)
        stopped = parse_clock(str(request["to"]), day=day, now=now)
        task = await self._task(request)
        if isinstance(task, dict):
            return task
        try:  # the day read first, so an overlap is told before anything is sent
            await asyncio.wait_for(self.service.load_day(day), READ_TIMEOUT)
        except TimeoutError:
            pass
        comment = request.get("comment")
        result = self.service.request_add(task, started, stopped, comment if isinstance(comment, str) else None,
                                          allow_overlap=bool(request.get("allow_overlap")))
        answer = await self.c.answer(result, "added")
        if answer.get("ok") and result.recorded:
            made = self.service._outbox.resolve(result.intents[0])
            entry = DayEntry(EntryRef(made, result.intents[0]), task, started, stopped,
                             (comment or "").strip() or None if isinstance(comment, str) else None, "add")
            answer["entry"] = self.entry_doc(as_answered(entry, answer))
        return answer

    async def _find(self, entry_id: int) -> DayEntry | dict[str, Any]:
        client = self.service._client
        day: date | None = None
        if client is not None:
            try:
                found = await asyncio.wait_for(client.time_entry(entry_id), READ_TIMEOUT)
                day = found.started_at.astimezone(user_timezone(self.service.user)).date()
            except errors.NotFound:
                return self.c.refused(f"there is no entry {entry_id} on TimeCrowd", "not_found")
            except (errors.ApiError, TimeoutError):
                day = None
        if day is not None:
            try:
                load = await asyncio.wait_for(self.service.load_day(day), READ_TIMEOUT)
                for row in load.entries:
                    if row.ref.entry_id == entry_id:
                        return row
            except TimeoutError:
                pass
        for row in self.service._day_entries.known_spans():
            if row.ref.entry_id == entry_id:
                return row
        return self.c.refused(f"entry {entry_id} cannot be read from TimeCrowd now; nothing was done",
                              "unreachable")

    def _find_local(self, local_id: int) -> DayEntry | dict[str, Any]:
        for row in self.service._day_entries.known_spans():
            if row.ref.local_id == local_id:
                return row
        return self.c.refused(f"local-{local_id} is not waiting here; if it was sent since, "
                              "`timecrowd-tray log` lists it by its id", "not_found")

    async def _change(self, request: dict[str, Any], *, delete: bool) -> dict[str, Any]:
        text = str(request.get("entry_id", "")).strip()
        try:
            if text.startswith(LOCAL_PREFIX):
                entry = self._find_local(int(text[len(LOCAL_PREFIX):]))
            else:
                entry = await self._find(int(text))
        except ValueError:
            return self.c.refused(f"not an entry id: {request.get('entry_id')!r}", "bad_request")
        if isinstance(entry, dict):
            return entry
        if delete:
            return await self._answer(self.service.request_delete(entry), "deleted", replace(entry, pending="delete"))
        now = self._now()
        day = entry.started_at.astimezone(now.tzinfo).date()
        started = parse_clock(str(request["from"]), day=day, now=now) if request.get("from") else None
        stopped = parse_clock(str(request["to"]), day=day, now=now) if request.get("to") else None
        task: Task | None = None
        if request.get("task_id") is not None:
            found = await self._task({"task_id": request.get("task_id")})
            if isinstance(found, dict):
                return found
            task = found
        comment = request.get("comment")
        result = self.service.request_edit(entry, started_at=started, stopped_at=stopped, task=task,
                                           comment=comment if isinstance(comment, str) else None,
                                           allow_overlap=bool(request.get("allow_overlap")))
        if not result.recorded and not result.refused:
            return {"ok": True, "outcome": "done", "action": "unchanged", "entry": self.entry_doc(entry),
                    "status": self.c.status()}
        after = DayEntry(entry.ref, task or entry.task, started or entry.started_at,
                         stopped or entry.stopped_at, (comment or "").strip() or entry.comment, "edit")
        return await self._answer(result, "edited", after)

    async def _start_at(self, request: dict[str, Any]) -> dict[str, Any]:
        now = self._now()
        at = parse_clock(str(request["at"]), day=now.date(), now=now)
        task = await self._task(request) if (request.get("query") or request.get("task_id") is not None) \
            else (self.service.cached_tasks[0] if self.service.cached_tasks else None)
        if task is None:
            return self.c.refused("no recent task to start: give a QUERY or --task ID", "not_found")
        if isinstance(task, dict):
            return task
        state = self.service.state
        if state.is_running and state.task is not None and state.task.id == task.id:
            return await self._move_running_start(at)
        before = self.c.status() if state.is_running else None
        result = self.service.request_start(task, at=at, allow_overlap=bool(request.get("allow_overlap")))
        return await self.c.answer(result, "switched" if before else "started", stopped=before, started=task)


    async def _move_running_start(self, at: datetime) -> dict[str, Any]:
        """``start TASK --at T`` while TASK runs: "I started at T", so the running entry's start moves there
        (the edit path: its rules, its outbox, its answer), never a silent "already running"."""
        ref = self.service.state.ref
        running = next((row for row in self.service._day_entries.known_spans()
                        if row.is_running and ref is not None
                        and row.ref.matches(ref.entry_id, ref.local_id)), None)
        if running is None:
            return self.c.refused("the running entry is not known here yet; move its start with "
                                  "`timecrowd-tray edit ID --from HH:MM` (`timecrowd-tray log` shows its ID)",
                                  "not_found")
        result = self.service.request_edit(running, started_at=at)
        if not result.recorded and not result.refused:
            return {"ok": True, "outcome": "done", "action": "already_running", "status": self.c.status()}
        answer = await self._answer(result, "moved_start", replace(running, started_at=at, pending="edit"))
        if answer.get("ok"):
            answer["task"] = self.c._task_doc(running.task)
        return answer
