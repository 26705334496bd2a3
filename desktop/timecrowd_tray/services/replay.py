"""Sending one outbox intent to the server, idempotently, at the time the user acted.

:meth:`Replayer.run` takes a row already marked ``sending`` and returns
:class:`Done` or :class:`Rejected`; any other failure comes out as the API
client's exception (the sender decides: retry later, sign out...).

Rules:

* **Fast path.** An intent picked up for the first time, a few seconds after the
  click (``fresh_seconds``), is sent as is: ``PATCH .../stop`` goes on the wire
  with no request before it.
* **Check first.** An intent that may already have reached the server (picked up
  before: an error, a timeout, a crash) or that waited in the outbox (offline)
  first looks at the server's state:

  - stop: ``GET`` the entry; stopped already -> nothing to send;
  - start/create: look for the entry a previous attempt made (my running entry,
    then my latest entries: same task (or same title and team for a create),
    started since the click minus ``SKEW`` seconds, and not one of the entries
    known before the first attempt) -> adopt it instead of starting again;
    otherwise, a running entry started *before* the click is stopped at the click
    time, and one started *after* it means the user started something elsewhere
    later: the offline start is dropped with a message (``superseded``) rather
    than stopping newer work;
  - comment: ``GET`` the entry; it already shows this text -> nothing to send.

* **Known before.** The entries that existed before a start's first attempt
  (``known_ids`` in its progress) are never taken for what that attempt made:
  the sender takes them from the latest entries (:mod:`.recent_tasks`) when they
  were read from the server since signing in, else :meth:`Replayer.known_ids`
  reads them from the server first
  (after a restart the service knows none, and an older entry of the same task
  started a minute before the click is not ours).
* **Undecided.** A request that timed out (or was in flight when the app was
  killed) may still be executed later: a server can hold a request past the
  client's timeout and act on it afterwards. Before such a start, create or
  comment is sent again, the server is checked; when it shows nothing yet, the
  intent waits (:class:`Undecided`, a transient error) until ``undecided_hold``
  seconds after that attempt, so the held request can land and be adopted
  rather than doubled. A refused or reset connection waits not (the server is
  done with it: the check sees what it did).
* **Times.** The server stamps starts and stops with its own clock. When it
  recorded a stop (or a start) more than a second after the click, a
  ``PATCH /api/v1/time_entries/:id`` moves ``stopped_at`` (``started_at``) to the
  click time. Each confirmed step is saved in the row's ``progress``, so a
  replay after a crash resumes where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..api import errors
from ..api.client import TimeCrowdClient
from ..core.models import TimeEntry
from ..core.timer import ActionKind
from . import intent_codec as codec, messages as M
from .outbox import Outbox
from .outbox_rows import REJECTED, Intent

log = logging.getLogger(__name__)
R = TypeVar("R")

SKEW = 60.0          # tolerated clock difference between us and the server (s)
UNDECIDED_HOLD = 120.0  # how long a server may sit on a request it then executes (s)
FIX_TRIES = 3           # refusals of a time correction before the server's own time is kept
TIME_SLACK = 1.0     # a server time this close to the click is left alone (s)
LOOKBACK = 50        # entries read to find what a previous attempt made


@dataclass(frozen=True, slots=True)
class Done:
    entry: TimeEntry | None = None
    stopped_first: TimeEntry | None = None  # an entry a late start had to stop at the click time


@dataclass(frozen=True, slots=True)
class Rejected:
    message: str
    status: int | None = None
    kind: str | None = None  # overrides the intent's kind in the event ("superseded")


Outcome = Done | Rejected


class Undecided(errors.TransientError):
    """A request that may have reached the server is not visible there yet: wait, do not resend."""


def may_land_later(exc: errors.ApiError) -> bool:
    """Could the request that failed with ``exc`` still be executed by the server later?

    A timeout: the server may still be working on it. Not a refused or reset
    connection: a server that closed it is done with it (what it did, the check
    before the next attempt sees).
    """
    return isinstance(exc, errors.ApiTimeout)


class CheckRefused(errors.TransientError):
    """A request that only *looks* (what runs, an entry) was refused: it says nothing of the action.

    The action itself is still to be decided, so the intent is retried, never dropped for it
    (a refusal of the action's own request is the server's word on the action)."""


async def checked(lookup: Awaitable[R]) -> R:
    """``await lookup``, a GET of the checks before an action; its 403/422 (or an unexpected 4xx)
    becomes :class:`CheckRefused`. A 404 stays: what the action was about is gone."""
    try:
        return await lookup
    except (errors.Forbidden, errors.ValidationFailed) as exc:
        raise CheckRefused(f"a check before sending was refused ({exc.message})") from None
    except errors.ProtocolError as exc:
        if exc.status is not None and 400 <= exc.status < 500:
            raise CheckRefused(f"a check before sending was refused ({exc.message})") from None
        raise


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class Replayer:
    def __init__(self, client: TimeCrowdClient, outbox: Outbox, user_id: int, *, clock: Callable[[], float],
                 fresh_seconds: float = 10.0, undecided_hold: float = UNDECIDED_HOLD) -> None:
        self.client = client
        self.outbox = outbox
        self.user_id = user_id
        self.clock = clock
        self.fresh_seconds = fresh_seconds
        self.undecided_hold = undecided_hold
        self._intent: Intent | None = None  # the one :meth:`run` sends

    async def known_ids(self) -> list[int]:
        """The ids of my entries the server has now (my running one, my latest ones)."""
        ids = [e.id for e in await checked(self.client.time_entries(self.user_id, per_page=LOOKBACK))]
        running = await checked(self.client.running_entry(self.user_id))
        if running is not None and running.id not in ids:
            ids.append(running.id)
        return ids

    async def _send_once(self, intent: Intent, progress: dict[str, Any], send: Callable[[], Awaitable[R]]) -> R:
        """``send()`` for a request that must not be doubled: its time is noted first (a crash
        mid-request leaves it), and cleared again when the failure proves nothing arrived."""
        progress["sent_at"] = self.clock()
        self.outbox.save_progress(intent.id, progress)
        try:
            return await send()
        except errors.ApiError as exc:
            if not may_land_later(exc):
                progress.pop("sent_at", None)
                self.outbox.save_progress(intent.id, progress)
            raise

    def _check_undecided(self, intent: Intent, progress: dict[str, Any]) -> None:
        """Raise :class:`Undecided` while an earlier attempt may still land on the server."""
        sent_at = progress.get("sent_at")
        if not isinstance(sent_at, (int, float)):
            return
        wait = sent_at + self.undecided_hold - self.clock()
        if wait > 0:
            log.info("intent %s: an earlier attempt may still reach the server; waiting up to %.0f s "
                     "before sending again", intent.id, wait)
            raise Undecided(f"{intent.kind.value}: an earlier attempt is not visible on the server yet")

    def is_stale(self, intent: Intent) -> bool:
        return self.clock() - intent.acted_at > self.fresh_seconds

    async def run(self, intent: Intent) -> Outcome:
        self._intent = intent
        if intent.kind is ActionKind.STOP:
            return await self._stop(intent)
        if intent.kind is ActionKind.START:
            return await self._start(intent)
        if intent.kind is ActionKind.CREATE:
            return await self._create(intent)
        if intent.kind is ActionKind.COMMENT:
            return await self._comment(intent)
        if intent.kind in (ActionKind.ADD, ActionKind.EDIT, ActionKind.DELETE):
            from .replay_entries import EntryReplay  # the entries' kinds (a module of their own)

            return await EntryReplay(self).run(intent)
        return Rejected(f"unknown intent kind {intent.kind!r}")

    # -- helpers ---------------------------------------------------------------

    def _target(self, intent: Intent) -> int | Rejected:
        target = codec.target(intent.payload)
        if target is not None and target.entry_id is not None:
            return target.entry_id
        if target is not None and target.local_id is not None:
            resolved = self.outbox.resolve(target.local_id)
            if resolved is not None:
                return resolved
            if self.outbox.state_of(target.local_id) == REJECTED:
                return Rejected(M.tr(M.DEPENDENT_DROPPED))
        return Rejected(M.tr(M.TARGET_LOST))

    async def _stop_request(self, entry_id: int) -> TimeEntry:
        try:
            return await self.client.stop_entry(entry_id)
        except (errors.Forbidden, errors.ValidationFailed):
            # Refused: fine if it is stopped already (elsewhere); otherwise the refusal stands.
            entry = await checked(self.client.time_entry(entry_id))
            if entry.stopped_at is not None:
                return entry
            raise

    async def _fix_stopped_at(self, entry: TimeEntry, acted_at: float) -> TimeEntry:
        if entry.stopped_at is None:
            return entry
        if entry.stopped_at.timestamp() > acted_at + TIME_SLACK and entry.started_at.timestamp() <= acted_at:
            return await self._fix(entry, stopped_at=utc(acted_at))
        return entry

    async def _fix_started_at(self, entry: TimeEntry, acted_at: float) -> TimeEntry:
        if entry.started_at.timestamp() > acted_at + TIME_SLACK:
            if entry.stopped_at is not None and entry.stopped_at.timestamp() < acted_at:
                return entry
            return await self._fix(entry, started_at=utc(acted_at))
        return entry

    async def _fix(self, entry: TimeEntry, **times: datetime) -> TimeEntry:
        """Move the server's stamp to the user's time. The action itself is done by now: a refusal
        of this correction never undoes it (it is retried as a check, then the server's time stays)."""
        try:
            return await checked(self.client.update_entry_times(
                entry.id, started_at=times.get("started_at"), stopped_at=times.get("stopped_at")))
        except CheckRefused:
            intent = self._intent
            stored = self.outbox.get(intent.id) if intent is not None else None
            if stored is None:
                raise
            progress = dict(stored.progress)
            refusals = int(progress.get("fix_refusals") or 0) + 1
            progress["fix_refusals"] = refusals
            self.outbox.save_progress(stored.id, progress)
            if refusals < FIX_TRIES:
                raise
            log.warning("entry %s: the server refused to move its time to the click %d times; "
                        "its own time stays", entry.id, refusals)
            return entry

    async def _stop_at(self, entry: TimeEntry, acted_at: float) -> TimeEntry:
        stopped = await self._stop_request(entry.id)
        return await self._fix_stopped_at(stopped, acted_at)

    async def _find_made(self, intent: Intent, matches: Callable[[TimeEntry], bool]) -> TimeEntry | None:
        """The entry a previous attempt of this start/create made, if the server has one."""
        known = set(intent.progress.get("known_ids") or ())
        since = min(intent.acted_at, intent.first_sent_at or intent.acted_at) - SKEW

        def ours(entry: TimeEntry) -> bool:
            return (entry.id not in known and matches(entry) and entry.started_at.timestamp() >= since
                    and entry.user_id in (None, self.user_id))

        running = await checked(self.client.running_entry(self.user_id))
        if running is not None and ours(running):
            return running
        for entry in await checked(self.client.time_entries(self.user_id, per_page=LOOKBACK)):
            if ours(entry):
                return entry
        return None

    async def _clear_the_way(self, intent: Intent, matches: Callable[[TimeEntry], bool]) \
            -> TimeEntry | Rejected | tuple[()] | tuple[TimeEntry]:
        """Before a late start: what runs on the server now?

        Returns the running entry to adopt (same task, started since the click),
        a Rejected (something else started after the click), ``(stopped,)`` (an
        older entry stopped at the click time) or ``()`` (nothing runs).
        """
        running = await checked(self.client.running_entry(self.user_id))
        if running is None:
            return ()
        started = running.started_at.timestamp()
        if matches(running) and started >= intent.acted_at - TIME_SLACK:
            return running
        if started > intent.acted_at + TIME_SLACK:
            return Rejected(M.tr(M.SUPERSEDED), kind="superseded")
        return (await self._stop_at(running, intent.acted_at),)

    async def _begin(self, intent: Intent, matches: Callable[[TimeEntry], bool],
                     send: Callable[[], Awaitable[TimeEntry]]) -> Outcome:
        """The shared body of start and create."""
        progress = dict(intent.progress)
        stopped_first: TimeEntry | None = None
        entry: TimeEntry | None = None
        if isinstance(progress.get("entry_id"), int):
            entry = await checked(self.client.time_entry(progress["entry_id"]))
        else:
            if intent.maybe_sent:
                entry = await self._find_made(intent, matches)
                if entry is None:
                    self._check_undecided(intent, progress)
            if entry is None and (intent.maybe_sent or self.is_stale(intent)):
                way = await self._clear_the_way(intent, matches)
                if isinstance(way, Rejected):
                    return way
                if isinstance(way, TimeEntry):
                    entry = way
                elif way:
                    stopped_first = way[0]
            if entry is None:
                entry = await self._send_once(intent, progress, send)
            progress.pop("sent_at", None)
            progress["entry_id"] = entry.id
            self.outbox.save_progress(intent.id, progress)
        entry = await self._fix_started_at(entry, intent.acted_at)
        return Done(entry, stopped_first)

    # -- kinds -----------------------------------------------------------------

    async def _stop(self, intent: Intent) -> Outcome:
        target = self._target(intent)
        if isinstance(target, Rejected):
            return target
        progress = dict(intent.progress)
        if progress.get("stopped") or intent.maybe_sent or self.is_stale(intent):
            entry = await checked(self.client.time_entry(target))
            if entry.stopped_at is None:
                entry = await self._stop_request(target)
        else:
            entry = await self._stop_request(target)
        if not progress.get("stopped"):
            progress["stopped"] = True
            self.outbox.save_progress(intent.id, progress)
        entry = await self._fix_stopped_at(entry, intent.acted_at)
        return Done(entry)

    async def _start(self, intent: Intent) -> Outcome:
        task = codec.task(intent.payload)
        if task is None or task.team_id is None:
            return Rejected(M.tr(M.TASK_HAS_NO_TEAM))
        team_id, task_id = task.team_id, task.id
        return await self._begin(intent, lambda e: e.task.id == task_id,
                                 lambda: self.client.start_task(team_id, task_id))

    async def _create(self, intent: Intent) -> Outcome:
        made = codec.creation(intent.payload)
        title, team_id, category_id = made.title.strip(), made.team_id, made.category_id
        if not title or team_id is None:
            return Rejected(M.tr(M.EMPTY_TITLE))

        def matches(entry: TimeEntry) -> bool:
            return entry.task.title.strip() == title and entry.task.team_id == team_id

        return await self._begin(intent, matches, lambda: self.client.create_task_entry(
            title, team_id, parent_id=category_id))

    async def _comment(self, intent: Intent) -> Outcome:
        target = self._target(intent)
        if isinstance(target, Rejected):
            return target
        text = codec.comment_text(intent.payload)
        progress = dict(intent.progress)
        if intent.maybe_sent:
            entry = await checked(self.client.time_entry(target))
            if entry.comment == text:
                return Done(entry)
            self._check_undecided(intent, progress)
        return Done(await self._send_once(intent, progress, lambda: self.client.add_comment(target, text)))
