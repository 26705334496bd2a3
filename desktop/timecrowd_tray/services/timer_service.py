"""The timer service: the engine's one front door, over all its parts.

No Qt here: the UI drives it from a qasync loop, the tests from ``asyncio.run``.
Everything runs on the loop's thread; nothing blocks it but small SQLite writes.

What is done here: the state and its listeners (every change goes through one
method), who is signed in (:meth:`TimerService.sign_in`, online or offline from
the cache; :meth:`~TimerService.sign_out`; a 401), and every public call of the
tray, the shell and the tests, some of them through mixins of this one class:
:mod:`.action_facade` (the actions), :mod:`.poll_facade` (when to poll: a
:class:`~.poller.Poller`), :mod:`.entries_facade` (a day's entries). Each
behaviour behind those calls has a module of its own::

    actions         an action refused at once, or recorded in the outbox and shown
    intent_codec    what an outbox row holds for each kind of action
    sender          the outbox sent in order, and what each answer does
    replay          how one intent is sent, checked and time-corrected
    server_poll     one poll, and what its answer does (changes made elsewhere)
    recent_tasks    the recent tasks, the latest entries, finding a task
    running_cache   the last running entry on disk, shown at the next start
    outbox          the durable queue (with outbox_rows, outbox_open, outbox_salvage)

Flow of an action (``start``, ``stop``, ``comment``, ``create_task``): the call is
synchronous and returns at once. It writes the intent to the outbox (stamped
with the click time), updates the state optimistically and wakes the sender.

Start-up: :meth:`TimerService.begin_restore` shows at once what the server last
said runs (kept on disk by :mod:`.running_cache` after each answer that changed
it), as RUNNING not yet confirmed (``loaded`` False), before the keyring and the
server have answered; :meth:`sign_in` keeps it, and the first poll confirms or
corrects it quietly (nothing "changed elsewhere" is announced for it).

Sign-in stays here, next to the fields it sets, which every part reads.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..api import errors
from ..api.client import TimeCrowdClient
from ..core import timer as T
from ..core.models import Task, TimeEntry, User
from ..core.timer import PendingAction, TimerState
from . import intent_codec as codec, messages as M, paths
from .action_facade import ActionFacade
from .actions import Actions
from .day_entries import DayEntries
from .entries_facade import DayFacade
from .entry_actions import EntryActions
from .events import (
    BackOnline,
    ServiceEvent,
    SignedOut,
    StorageProblem,
    WentOffline,
)
from .outbox import Outbox
from .outbox_rows import Intent
from .poll_facade import PollFacade
from .poller import Poller
from .recent_tasks import RecentTasks
from .replay import UNDECIDED_HOLD
from .running_cache import RUNNING_FILE, RunningCache, RunningData, RunningWriter, unconfirmed
from .sender import Sender
from .server_poll import ServerPoll
from .task_cache import TaskCache

log = logging.getLogger(__name__)


class TimerService(ActionFacade, PollFacade, DayFacade):
    """The heart of the app. See the module docstring for the flow.

    Comments are trimmed (leading/trailing whitespace, including the ideographic
    space) and capped at :attr:`COMMENT_MAX_CHARS` = 1000 characters, counted as
    Python ``str`` characters (code points: an emoji or a kanji is one). Longer
    raises :class:`CommentTooLong` with a readable message; nothing is cut
    silently. The text is otherwise sent as typed (no normalisation).

    ``data_dir`` holds the outbox (default: the user data dir, which honours
    ``XDG_DATA_HOME``); ``cache_dir`` the recent-task cache and the last running
    entry (default: ``data_dir/cache`` when ``data_dir`` is given, else the user
    cache dir, which honours ``XDG_CACHE_HOME``). The API client passed to
    :meth:`sign_in` stays the caller's: the service never closes it.

    ``resume_check_interval``: how often (seconds) the poller compares the wall
    clock with the monotonic one to notice a resume from sleep between polls
    (30 s: two wake-ups a minute while idle, with the poll; a poll that finds
    the clock jumped notices it too).
    """

    def __init__(self, data_dir: Path | None = None, *, clock: Callable[[], float] = time.time,
                 poll_interval: float = 30.0, rng: Callable[[], float] = random.random,
                 cache_dir: Path | None = None, monotonic: Callable[[], float] = time.monotonic,
                 resume_check_interval: float = 30.0, fresh_seconds: float = 10.0,
                 retry_base: float = 5.0, undecided_hold: float = UNDECIDED_HOLD) -> None:
        if data_dir is not None:
            data_dir = Path(data_dir)
            cache_dir = Path(cache_dir) if cache_dir is not None else data_dir / "cache"
        else:
            data_dir = paths.user_data_dir()
            cache_dir = Path(cache_dir) if cache_dir is not None else paths.user_cache_dir()
        self._clock = clock
        self._mono = monotonic
        self._rng = rng
        self._poll_interval = float(poll_interval)
        self._resume_check = resume_check_interval
        self._retry_base = retry_base

        def set_aside(count: int) -> None:  # rows found unreadable after start-up: the UI hears it
            if hasattr(self, "_event_listeners"):  # (and during start-up, storage_problem has them)
                self._emit(StorageProblem(outbox_path=self._outbox.path, unreadable_count=count))

        # Never a reason not to start: an unwritable folder puts the outbox in memory, a damaged
        # file or unreadable rows are set aside; all of it is in storage_problem.
        self._outbox = Outbox(data_dir / paths.OUTBOX_FILE, clock=clock, on_unreadable=set_aside)
        try:
            self._outbox.prune()
        except sqlite3.Error as exc:
            log.warning("outbox not pruned: %s", exc)
        self._cache_problem = paths.unwritable_reason(cache_dir)  # the caches are advisory: said once, then ignored
        if self._cache_problem is not None:
            log.error("the cache folder %s cannot be written (%s): recent tasks and the running timer are not "
                      "remembered for the next start", cache_dir, self._cache_problem)
        self._cache_dir = cache_dir
        self._recent = RecentTasks(self, TaskCache(cache_dir / paths.TASK_CACHE_FILE))
        self._running = RunningWriter(RunningCache(cache_dir / RUNNING_FILE))
        self._preview: TimeEntry | None = None  # the cached running entry shown until the first poll
        self._state: TimerState = T.initial()
        self._listeners: list[Callable[[TimerState], None]] = []
        self._event_listeners: list[Callable[[ServiceEvent], None]] = []
        self._client: TimeCrowdClient | None = None
        self._user: User | None = None
        self._account: str | None = None
        self._active = False           # polling and sending allowed
        self._poller: Poller | None = None
        self._sender = Sender(self, self._outbox, self._recent, clock=clock, rng=rng, retry_base=retry_base,
                              fresh_seconds=fresh_seconds, undecided_hold=undecided_hold)
        self._server_poll = ServerPoll(self, self._sender, self._recent)
        self._actions = Actions(self, self._outbox, self._sender, self._recent, clock=clock)
        self._day_entries = DayEntries(self)  # a day's entries: entries_facade.py
        self._entry_actions = EntryActions(self, self._actions, self._day_entries, clock=clock)
        self._signed_out_once = False
        self._background: set[asyncio.Task[Any]] = set()
        self._closed = False

    # -- observing ----------------------------------------------------------------

    @property
    def state(self) -> TimerState:
        return self._state

    @property
    def user(self) -> User | None:
        return self._user

    @property
    def api_base(self) -> str | None:
        """The server signed in to (None when signed out)."""
        return self._client.base_url if self._client is not None else None

    @property
    def pending_count(self) -> int:
        return self._outbox.count(self._account) if self._account else 0

    @property
    def storage_problem(self) -> StorageProblem | None:
        """What is wrong with this computer's files (see :class:`.events.StorageProblem`), found so far;
        None when nothing is. For the UI to tell once at start-up; later finds also come as events."""
        ob = self._outbox
        if ob.unwritable is None and ob.damage is None and not ob.unreadable_count and self._cache_problem is None:
            return None
        return StorageProblem(outbox_path=ob.path, outbox_unwritable=ob.unwritable, damage=ob.damage,
                              unreadable_count=ob.unreadable_count,
                              cache_dir=self._cache_dir if self._cache_problem is not None else None,
                              cache_reason=self._cache_problem)

    @property
    def recent_tasks(self) -> list[Task]:
        """Up to 10 distinct tasks, most recently used first (for the menu)."""
        return self._recent.menu

    @property
    def cached_tasks(self) -> list[Task]:
        """More recent tasks (up to 200), for the palette; from disk before sign-in."""
        return list(self._recent.tasks)

    @property
    def poll_count(self) -> int:
        """Polls done since sign-in (diagnostics, tests, the benchmark)."""
        return self._poller.polls if self._poller else 0

    @property
    def last_refresh(self) -> float | None:
        """Monotonic time of the last successful poll."""
        return self._poller.last_success if self._poller else None

    @property
    def _recent_task(self) -> asyncio.Task[None] | None:  # the benchmark waits for it (benchmarks/bench_service.py)
        return self._recent.refresh_task

    def add_listener(self, callback: Callable[[TimerState], None]) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def add_event_listener(self, callback: Callable[[ServiceEvent], None]) -> Callable[[], None]:
        self._event_listeners.append(callback)
        return lambda: self._event_listeners.remove(callback) if callback in self._event_listeners else None

    def _set_state(self, state: TimerState) -> None:
        self._sender.state_changed()
        if state == self._state:
            return
        self._state = state
        if state.loaded and self._account is not None and self._user is not None:
            api_base = self._client.base_url if self._client is not None else self._recent.data.api_base
            self._running.remember(RunningData(self._account, api_base, self._user, state.server_entry))
        for callback in list(self._listeners):
            try:
                callback(state)
            except Exception:
                log.exception("state listener failed")

    def _emit(self, event: ServiceEvent) -> None:
        for callback in list(self._event_listeners):
            try:
                callback(event)
            except Exception:
                log.exception("event listener failed")

    def _set_online(self, online: bool) -> None:
        was_offline = self._state.offline
        self._set_state(T.set_offline(self._state, not online))
        if online and was_offline:
            self._emit(BackOnline())
        elif not online and not was_offline:
            self._emit(WentOffline())

    # -- signing in and out ---------------------------------------------------------

    async def sign_in(self, client: TimeCrowdClient) -> User:
        """User info, then a refresh and the recent tasks; then polling and replay start.

        Raises the client's error when the user cannot be had: an auth error
        (state SIGNED_OUT with the reason) or, with no cached user for this server,
        a transient one. Offline with a cached user for this server, it signs in
        from the cache and confirms the user once the server answers.
        """
        # a halt spawned by an earlier 401 must not land on this new session's tasks
        await asyncio.gather(*list(self._background), return_exceptions=True)
        await self._halt()
        self._client = client
        if self._preview is not None and self._account is not None \
                and self._account.startswith(client.base_url + "#"):
            pass  # the cached running entry of this server stays shown while the server is asked
        else:
            self._drop_preview()
            self._set_state(T.signing_in(self._state))
        try:
            user = await client.user_info()
            self._server_poll.verify_user = False
        except errors.AuthError as exc:
            self._client = None
            self._drop_preview()
            self._set_state(T.signed_out(self._state, M.api_error_text(exc)))
            raise
        except (errors.TransientError, errors.ProtocolError) as exc:
            cached_user = self._recent.cached_user(client.base_url)
            if cached_user is None and self._preview is not None:
                cached_user = self._user  # the user of the cached running entry, of this server
            if cached_user is None:
                self._client = None
                self._drop_preview()
                self._set_state(T.signed_out(self._state))
                raise
            log.info("signing in offline from the cache (%s)", exc)
            user = cached_user
            self._server_poll.verify_user = True  # signed in offline from the cache: confirm the user
            self._set_online(False)
        self._adopt_user(client, user)
        self._active = True
        self._poller = Poller(self._server_poll.run, interval=self._poll_interval, rng=self._rng, wall=self._clock,
                              mono=self._mono, resume_check=self._resume_check, on_resume=self._on_resume,
                              retry_base=self._retry_base)
        # the sender first: queued intents must not wait for a slow first poll
        self._sender.start()
        first_poll = asyncio.ensure_future(self.refresh())
        self._poller.start()  # its first round joins the poll above (never two at once)
        await asyncio.gather(first_poll, self._recent.refresh())
        return user

    def _adopt_user(self, client: TimeCrowdClient, user: User) -> None:
        account = f"{client.base_url}#{user.id}"
        preview = self._preview if self._account == account else None
        self._preview = preview
        self._user = user
        self._account = account
        self._signed_out_once = False
        self._recent.signed_in(account, client.base_url, user)
        state = T.signed_in(self._state, user, self._pending_actions(account))
        self._set_state(unconfirmed(state, preview) if preview is not None else state)

    def begin_restore(self, api_base: str) -> bool:
        """Start-up, before signing in to ``api_base``: show what ran there at the last answer.

        The entry the server last said runs (with its account's user and the account's
        intents still in the outbox) is shown as RUNNING, not yet confirmed (``loaded``
        False), its elapsed time counted from its own start; :meth:`sign_in` then keeps
        it and the first poll confirms or corrects it. True when there was one; otherwise
        the state is "loading". Only before a sign-in; reads one small file and the outbox.
        """
        if self._client is not None or self._account is not None:
            return False
        try:
            data = self._running.cache.load()
        except Exception:  # advisory: never a reason not to start
            log.exception("reading the running entry cache")
            data = RunningData()
        if not data.matches(api_base):
            self._set_state(T.signing_in(self._state))
            return False
        assert data.user is not None and data.entry is not None and data.account is not None
        self._preview = data.entry
        self._running.holds(data)
        self._user = data.user
        self._account = data.account
        self._recent.restoring(data.account)
        pending = self._pending_actions(data.account)
        log.info("showing the running entry %s from the cache until the server confirms it", data.entry.id)
        self._set_state(unconfirmed(T.signed_in(self._state, data.user, pending), data.entry))
        return True

    def _drop_preview(self) -> None:
        """Forget the cached entry shown before signing in (and the account it came with)."""
        if self._preview is None:
            return
        self._preview = None
        if self._client is None or not self._active:
            self._user = None
            self._account = None

    async def sign_out(self, reason: str | None = None) -> None:
        """Stop polling and sending; the outbox stays on disk for this account."""
        await self._halt()
        self._client = None
        self._user = None
        self._account = None
        self._preview = None
        self._recent.forget_entries()
        self._running.forget()
        self._set_state(T.signed_out(self._state, reason))

    async def _halt(self) -> None:
        """Stop the background work (not the task calling this)."""
        self._active = False
        current = asyncio.current_task()
        if self._poller is not None:
            await self._poller.stop()
        tasks = [t for t in (self._sender.task, *self._recent.background(), *self._background)
                 if t is not None and not t.done() and t is not current]
        for t in tasks:
            t.cancel()
        for t in tasks:
            try:
                await t
            except (asyncio.CancelledError, Exception):
                pass
        self._sender.halted()

    def _on_unauthorized(self) -> None:
        """A 401: signed out once, with a reason; no retry storm (everything stops)."""
        if self._signed_out_once:
            return
        self._signed_out_once = True
        self._active = False
        reason = M.tr(M.SESSION_EXPIRED)
        self._spawn(self._halt())
        self._client = None
        self._preview = None
        self._running.forget()
        self._set_state(T.signed_out(self._state, reason))
        self._emit(SignedOut(reason))

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._halt()
        await self._running.flush()  # the last running entry reaches the disk before we go
        self._outbox.close()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _server_answered(self, entry: TimeEntry | None) -> None:
        """A poll answered: the cached running entry shown until now is confirmed or corrected."""
        if self._preview is not None:
            log.info("the cached running entry is %s", "confirmed" if entry is not None and
                     entry.id == self._preview.id else "out of date: corrected")
            self._preview = None

    # -- tasks and today ----------------------------------------------------------------

    async def search_tasks(self, query: str) -> list[Task]:
        """Server suggestions by title (see :meth:`.recent_tasks.RecentTasks.search`)."""
        return await self._recent.search(query)

    async def find_task(self, task_id: int, *, max_pages: int = 20) -> Task | None:
        """The task ``task_id`` of one of my teams (see :meth:`.recent_tasks.RecentTasks.find`)."""
        return await self._recent.find(task_id, max_pages=max_pages)

    def today_total(self, now: datetime | None = None) -> float:
        """Seconds tracked today in the user's time zone, the running entry included."""
        moment = now if now is not None else datetime.fromtimestamp(self._clock(), tz=UTC)
        return self._day_entries.today_total(moment)  # as the entries window counts: day_entries.py

    # -- the outbox's intents, as the state shows them ------------------------------------

    def _team_name(self, team_id: Any) -> str:
        if self._user is not None:
            for team in self._user.teams:
                if team.id == team_id:
                    return team.name
        return ""

    def _pending_action(self, intent: Intent) -> PendingAction:
        return codec.pending_action(intent, resolve=self._outbox.resolve, team_name=self._team_name)

    def _pending_actions(self, account: str) -> list[PendingAction]:
        return [self._pending_action(i) for i in self._outbox.pending(account)]
