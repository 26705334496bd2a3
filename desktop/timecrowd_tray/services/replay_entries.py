"""Sending an add, an edit or a delete of an entry, idempotently and never over a change made elsewhere.

:class:`EntryReplay` is the :class:`~.replay.Replayer`'s part for the kinds
``add``, ``edit`` and ``delete`` (its helpers are shared: the undecided hold,
``sent_at``, the resolution of a local id).

* **add**: ``POST /api/v1/time_entries`` with ``time_entry: {started_at,
  stopped_at, time_trackable_id}`` (the API takes no comment there: a comment
  follows as ``POST .../comments``). An add that may have reached the server
  before (a timeout, a crash mid-request) first looks for an entry of mine of
  the same task with the same times (not one known before its first attempt);
  found, it is adopted; not found while the request may still land, it waits
  (the undecided hold), so a replay never makes the entry twice.
* **edit**: ``GET`` the entry first. For each field being changed, the server's
  value is compared with the one the user saw: already the new value (an earlier
  attempt landed) -> nothing to send; another value -> the change was made
  elsewhere meanwhile, and the edit is refused (``conflict``, naming what changed)
  rather than overwriting it blindly. Then one ``PATCH`` with the changed times and
  task, and the comment. A 404 is ``not_found``: deleted elsewhere.
* **delete**: ``GET`` the entry; gone already -> done (what was asked is so);
  changed elsewhere since the user saw it -> ``conflict``; else ``DELETE``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..api import errors
from ..core.models import TimeEntry
from . import intent_codec as codec, messages as M
from .outbox_rows import Intent
from .replay import Done, Outcome, Rejected, checked, utc

if TYPE_CHECKING:
    from .replay import Replayer

SAME_SECONDS = 2.0  # a server time this close to the one expected is the same time (whole seconds, a fix)
FIND_WINDOW = 120.0  # seconds either side of an add's start searched for what an earlier attempt made


def _same(moment: datetime | None, seconds: float | None) -> bool:
    if moment is None or seconds is None:
        return moment is None and seconds is None
    return abs(moment.timestamp() - seconds) <= SAME_SECONDS


class EntryReplay:
    def __init__(self, replayer: Replayer) -> None:
        self.r = replayer

    async def run(self, intent: Intent) -> Outcome:
        kind = intent.kind.value
        if kind == "add":
            return await self.add(intent)
        if kind == "edit":
            return await self.edit(intent)
        return await self.delete(intent)

    # -- add -----------------------------------------------------------------------------

    async def _find_added(self, intent: Intent, task_id: int, started: float, stopped: float) -> TimeEntry | None:
        known = set(intent.progress.get("known_ids") or ())
        found = await checked(self.r.client.time_entries(
            self.r.user_id, per_page=100, started_since=utc(started - FIND_WINDOW),
            started_until=utc(started + FIND_WINDOW)))
        for entry in found:
            if entry.id not in known and entry.task.id == task_id and _same(entry.started_at, started) \
                    and _same(entry.stopped_at, stopped) and entry.user_id in (None, self.r.user_id):
                return entry
        return None

    async def add(self, intent: Intent) -> Outcome:
        task = codec.task(intent.payload)
        started, stopped = codec.entry_times(intent.payload)
        if task is None or started is None or stopped is None:
            return Rejected(M.tr(M.TARGET_LOST))
        client, progress = self.r.client, dict(intent.progress)
        entry: TimeEntry | None = None
        if isinstance(progress.get("entry_id"), int):
            entry = await checked(client.time_entry(progress["entry_id"]))
        else:
            if intent.maybe_sent:
                entry = await self._find_added(intent, task.id, started, stopped)
                if entry is None:
                    self.r._check_undecided(intent, progress)
            if entry is None:
                task_id = task.id
                entry = await self.r._send_once(intent, progress, lambda: client.create_entry_from_times(
                    task_id, utc(started), utc(stopped)))
            progress.pop("sent_at", None)
            progress["entry_id"] = entry.id
            self.r.outbox.save_progress(intent.id, progress)
        text = codec.add_comment_text(intent.payload)
        if text and entry.comment != text:
            entry = await client.add_comment(entry.id, text)
        return Done(entry)

    # -- edit and delete -------------------------------------------------------------------

    async def _current(self, entry_id: int) -> TimeEntry | Rejected:
        try:
            return await checked(self.r.client.time_entry(entry_id))
        except errors.NotFound:
            return Rejected(M.tr(M.ENTRY_GONE), 404, kind="not_found")

    @staticmethod
    def _conflict(changed: list[str]) -> Rejected:
        what = M.tr(M.LIST_SEPARATOR).join(M.tr(c) for c in changed)
        return Rejected(M.tr(M.CONFLICT, what=what), 409, kind="conflict")

    async def edit(self, intent: Intent) -> Outcome:
        target = self.r._target(intent)
        if isinstance(target, Rejected):
            return target
        entry = await self._current(target)
        if isinstance(entry, Rejected):
            return entry
        change, seen = codec.changes(intent.payload), codec.seen(intent.payload)
        progress = dict(intent.progress)
        if not progress.get("patched"):
            fields: dict[str, datetime] = {}
            task_id: int | None = None
            elsewhere: list[str] = []
            if change.started_at is not None and not _same(entry.started_at, change.started_at):
                if seen.started_at is not None and not _same(entry.started_at, seen.started_at):
                    elsewhere.append(M.CHANGED_START)
                fields["started_at"] = utc(change.started_at)
            if change.stopped_at is not None and not _same(entry.stopped_at, change.stopped_at):
                if not _same(entry.stopped_at, seen.stopped_at):
                    elsewhere.append(M.CHANGED_STOP)
                fields["stopped_at"] = utc(change.stopped_at)
            if change.task is not None and entry.task.id != change.task.id:
                if seen.task_id is not None and entry.task.id != seen.task_id:
                    elsewhere.append(M.CHANGED_TASK)
                task_id = change.task.id
            if change.comment is not None and (entry.comment or None) != (change.comment or None) \
                    and (entry.comment or None) != (seen.comment or None):
                elsewhere.append(M.CHANGED_COMMENT)
            if elsewhere:
                return self._conflict(elsewhere)
            if fields or task_id is not None:
                entry = await self.r.client.update_entry_times(target, started_at=fields.get("started_at"),
                                                              stopped_at=fields.get("stopped_at"), task_id=task_id)
            progress["patched"] = True
            self.r.outbox.save_progress(intent.id, progress)
        if change.comment and (entry.comment or "") != change.comment:
            entry = await self.r.client.add_comment(target, change.comment)
        return Done(entry)

    async def delete(self, intent: Intent) -> Outcome:
        target = self.r._target(intent)
        if isinstance(target, Rejected):
            return target
        entry = await self._current(target)
        if isinstance(entry, Rejected):
            return Done(None)  # gone already: what was asked is so
        seen = codec.seen(intent.payload)
        elsewhere: list[str] = []
        if seen.started_at is not None and not _same(entry.started_at, seen.started_at):
            elsewhere.append(M.CHANGED_START)
        if seen.started_at is not None and not _same(entry.stopped_at, seen.stopped_at):
            elsewhere.append(M.CHANGED_STOP)
        if seen.task_id is not None and entry.task.id != seen.task_id:
            elsewhere.append(M.CHANGED_TASK)
        if elsewhere:
            return self._conflict(elsewhere)
        try:
            await self.r.client.delete_entry(target)
        except errors.NotFound:
            pass  # deleted meanwhile (an earlier attempt of ours that landed late)
        return Done(None)
