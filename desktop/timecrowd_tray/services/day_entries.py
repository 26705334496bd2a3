"""One day of my entries as the entries window and ``timecrowd-tray log`` show it: the server's, with ours on top.

:meth:`DayEntries.load` reads the day from ``GET /api/v1/time_entries`` (its
bounds in the user's zone, as unix seconds; ``user_id`` = me; 100 a page, paged
until a short page, each page bounded), keeps the entries that overlap the day,
takes the running entry from the timer's state (fresher than any list), and
overlays what still waits in the outbox: adds and starts shown, edits, stops and
comments applied, deletes marked. A page that fails leaves ``complete`` False with
the reason; what was read before (this run) is shown meanwhile, as the server last
confirmed it: the entries read are kept with the latest ones (``RecentTasks.seen``),
which hear of every add, edit and delete the server confirms (the sender), so an entry
deleted here is not shown again, an edited one only with its new values.

:meth:`DayEntries.pending_changes` lists what waits in the outbox, and why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from ..api import errors
from ..core.day import day_bounds, day_totals
from ..core.models import Task, TimeEntry
from ..core.timer import ActionKind, EntryRef, Phase
from ..core.today import user_timezone
from . import intent_codec as codec, messages as M
from .outbox_rows import Intent

if TYPE_CHECKING:
    from .timer_service import TimerService

log = logging.getLogger(__name__)

PER_PAGE = 100
MAX_PAGES = 20          # 2,000 entries in one day is more than anyone tracks
PAGE_TIMEOUT = 15.0     # seconds for one page
LOOKBEHIND = timedelta(hours=24)  # an entry that started the day before may cross midnight

PendingKind = Literal["add", "edit", "delete"]


@dataclass(frozen=True)
class DayEntry:
    ref: EntryRef                  # entry_id when on the server; local_id for an add (or start) not sent yet
    task: Task
    started_at: datetime
    stopped_at: datetime | None    # None: running
    comment: str | None
    pending: PendingKind | None = None  # a change of ours waiting in the outbox
    problem: str | None = None     # why that change waits (translated)
    server: TimeEntry | None = None     # the server's version as last read

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None

    @property
    def id(self) -> int | None:
        """The server's id (None for an add not sent yet)."""
        return self.ref.entry_id

    def duration(self, now: datetime) -> float:
        end = self.stopped_at if self.stopped_at is not None else now
        return max(0.0, (end - self.started_at).total_seconds())


@dataclass(frozen=True)
class DayLoad:
    day: date
    entries: list[DayEntry]        # oldest first
    complete: bool                 # False: a page failed (``error`` says why) or not signed in
    error: str | None = None


@dataclass(frozen=True)
class PendingChange:
    ref: int                       # the outbox row
    kind: str                      # ActionKind.value
    at: datetime                   # when the user acted
    task: Task | None
    summary: str                   # translated, e.g. "Add “Task” 09:00–10:00"
    why: str                       # translated, e.g. "waiting for the network"


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def from_server(entry: TimeEntry) -> DayEntry:
    return DayEntry(EntryRef(entry.id), entry.task, entry.started_at, entry.stopped_at, entry.comment,
                    server=entry)


class DayEntries:
    """See the module docstring; the service's ``load_day`` and ``pending_changes`` come here."""

    def __init__(self, host: TimerService) -> None:
        self._host = host

    @property
    def seen(self) -> dict[int, TimeEntry]:
        """The entries read this run (day loads, the latest entries), as the server last confirmed them."""
        return self._host._recent.seen

    # -- reading a day -----------------------------------------------------------------------

    async def _read(self, day: date) -> tuple[list[TimeEntry], str | None]:
        host = self._host
        client, user = host._client, host.user
        if client is None or user is None:
            return [], M.tr(M.NOT_SIGNED_IN)
        lo, hi = day_bounds(day, user_timezone(user))
        found: list[TimeEntry] = []
        try:
            for page in range(1, MAX_PAGES + 1):
                batch = await asyncio.wait_for(client.time_entries(
                    user.id, per_page=PER_PAGE, page=page, started_since=lo - LOOKBEHIND,
                    started_until=hi - timedelta(seconds=1)), PAGE_TIMEOUT)
                found.extend(batch)
                if len(batch) < PER_PAGE:
                    return found, None
        except errors.AuthError:
            host._on_unauthorized()
            return found, M.tr(M.SESSION_EXPIRED)
        except errors.ApiError as exc:
            return found, M.tr(M.DAY_INCOMPLETE, reason=M.api_error_text(exc))
        except TimeoutError:
            return found, M.tr(M.DAY_INCOMPLETE, reason=M.tr(M.API_TIMEOUT))
        return found, None

    async def load(self, day: date) -> DayLoad:
        found, error = await self._read(day)
        found = self._host._recent.read(found)  # a page read before a delete was confirmed: not that one
        user = self._host.user
        tz = user_timezone(user)
        lo, hi = day_bounds(day, tz)
        by_id: dict[int, TimeEntry] = {e.id: e for e in found}
        if error is not None:  # offline or a failed page: what this run read before fills in
            for entry in self.seen.values():
                by_id.setdefault(entry.id, entry)
        running = self._host.state.server_entry
        if running is not None:
            by_id[running.id] = running
        for entry_id, entry in list(by_id.items()):
            if entry.stopped_at is None and (running is None or running.id != entry_id) \
                    and self._host.state.loaded:
                del by_id[entry_id]  # listed running, but not what runs now: stopped since, refetched later
        rows = [from_server(e) for e in by_id.values()]
        rows = self.overlay(rows)
        now = datetime.fromtimestamp(self._host._clock(), tz=UTC)
        inside = [r for r in rows if r.started_at < hi and (r.stopped_at or now) > lo]
        inside.sort(key=lambda r: (r.started_at, r.ref.entry_id or 0, r.ref.local_id or 0))
        return DayLoad(day, inside, error is None, error)

    def known_spans(self) -> list[DayEntry]:
        """Every entry known here (read this run, the latest ones, the running one), ours on top."""
        return self._spans(self.seen.values())

    def _spans(self, also: Iterable[TimeEntry] = ()) -> list[DayEntry]:
        """The latest entries (and ``also``) finished or running now, ours on top, deletes left out."""
        by_id: dict[int, TimeEntry] = dict(self._host._recent.entries)
        by_id.update((e.id, e) for e in also)
        running = self._host.state.server_entry
        if running is not None:
            by_id[running.id] = running
        rows = self.overlay([from_server(e) for e in by_id.values() if e.stopped_at is not None
                             or (running is not None and e.id == running.id)])
        return [r for r in rows if r.pending != "delete"]

    def today_total(self, now: datetime) -> float:
        """Seconds tracked on ``now``'s day (the user's zone) up to ``now``, counted as the window shows them.

        The base is the latest entries (a delete confirmed leaves them; an add or edit confirmed
        enters them) and the running one; what still waits in the outbox is laid on top by
        :meth:`overlay`, the same rule as the entries window: adds and starts counted, edits and
        stops applied, deletes left out.
        """
        if self._host.state.phase is Phase.SIGNED_OUT:
            return 0.0
        local = now.astimezone(user_timezone(self._host.user))
        return day_totals(self._spans(), now=local, day=local.date()).total

    # -- our changes on top ------------------------------------------------------------------

    def _pending(self) -> list[Intent]:
        account = self._host._account
        return self._host._outbox.pending(account) if account else []

    def _resolved(self, ref: EntryRef | None) -> EntryRef | None:
        if ref is not None and ref.entry_id is None and ref.local_id is not None:
            entry_id = self._host._outbox.resolve(ref.local_id)
            if entry_id is not None:
                return EntryRef(entry_id, ref.local_id)
        return ref

    def overlay(self, rows: Iterable[DayEntry]) -> list[DayEntry]:
        out = list(rows)

        def find(ref: EntryRef | None) -> int | None:
            ref = self._resolved(ref)
            if ref is None:
                return None
            for i, row in enumerate(out):
                if ref.matches(row.ref.entry_id, row.ref.local_id) or (
                        row.ref.local_id is not None and ref.local_id == row.ref.local_id):
                    return i
            return None

        for intent in self._pending():
            why = self.why(intent)
            kind, payload = intent.kind, intent.payload
            task = codec.task_of(intent, self._host._team_name)
            if kind is ActionKind.ADD:
                started, stopped = codec.entry_times(payload)
                if task is not None and started is not None and stopped is not None:
                    out.append(DayEntry(EntryRef(self._host._outbox.resolve(intent.id), intent.id), task,
                                        _utc(started), _utc(stopped), codec.add_comment_text(payload),
                                        "add", why))
                continue
            if kind in (ActionKind.START, ActionKind.CREATE):
                at = _utc(intent.acted_at)
                for i, row in enumerate(out):
                    if row.is_running and row.started_at <= at:
                        out[i] = replace(row, stopped_at=at, pending=row.pending or "edit", problem=why)
                if task is not None:
                    out.append(DayEntry(EntryRef(self._host._outbox.resolve(intent.id), intent.id), task, at, None,
                                        None, "add", why))
                continue
            index = find(codec.target(payload))
            if index is None:
                continue
            row = out[index]
            if kind is ActionKind.STOP:
                out[index] = replace(row, stopped_at=_utc(intent.acted_at), pending=row.pending or "edit", problem=why)
            elif kind is ActionKind.COMMENT:
                out[index] = replace(row, comment=codec.comment_text(payload), pending=row.pending or "edit",
                                     problem=why)
            elif kind is ActionKind.EDIT:
                change = codec.changes(payload)
                out[index] = replace(
                    row, started_at=_utc(change.started_at) if change.started_at is not None else row.started_at,
                    stopped_at=_utc(change.stopped_at) if change.stopped_at is not None else row.stopped_at,
                    task=change.task or row.task, comment=change.comment if change.comment else row.comment,
                    pending=row.pending or "edit", problem=why)
            elif kind is ActionKind.DELETE:
                out[index] = replace(row, pending="delete", problem=why)
        return out

    # -- what waits --------------------------------------------------------------------------

    def why(self, intent: Intent) -> str:
        state = self._host.state
        if state.phase is Phase.SIGNED_OUT or self._host._client is None:
            return M.tr(M.WAITING_SIGN_IN)
        if state.offline:
            return M.tr(M.WAITING_NETWORK)
        if intent.last_error:
            return M.tr(M.WAITING_RETRY, reason=intent.last_error)
        return M.tr(M.WAITING_TURN)

    def _clock_text(self, moment: datetime) -> str:
        return moment.astimezone(user_timezone(self._host.user)).strftime("%H:%M")

    def summary(self, intent: Intent, task: Task | None) -> str:
        name = task.title if task is not None and task.title else M.tr(M.UNKNOWN_TASK)
        at = self._clock_text(_utc(intent.acted_at))
        kind = intent.kind
        if kind is ActionKind.ADD:
            started, stopped = codec.entry_times(intent.payload)
            return M.tr(M.PENDING_ADD, task=name, start=self._clock_text(_utc(started or 0)),
                        end=self._clock_text(_utc(stopped or 0)))
        texts = {ActionKind.EDIT: M.PENDING_EDIT, ActionKind.DELETE: M.PENDING_DELETE,
                 ActionKind.START: M.PENDING_START, ActionKind.STOP: M.PENDING_STOP,
                 ActionKind.COMMENT: M.PENDING_COMMENT, ActionKind.CREATE: M.PENDING_CREATE}
        return M.tr(texts[kind], task=name, time=at)

    def pending_changes(self) -> list[PendingChange]:
        out = []
        for intent in self._pending():
            task = codec.task_of(intent, self._host._team_name)
            out.append(PendingChange(intent.id, intent.kind.value, _utc(intent.acted_at), task,
                                     self.summary(intent, task), self.why(intent)))
        return out
