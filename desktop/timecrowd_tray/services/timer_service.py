"""The timer service: state, actions, polling and the outbox, on one asyncio loop.

No Qt here: the UI drives it from a qasync loop, the tests from ``asyncio.run``.
Everything runs on the loop's thread; nothing blocks it but small SQLite writes.

Flow of an action (``start``, ``stop``, ``comment``, ``create_task``): the call is
synchronous and returns at once. It writes the intent to the outbox (stamped
with the click time), updates the state optimistically and wakes the sender, a
background task that sends the outbox in order, one intent at a time (see
:mod:`.replay` for how each is sent, checked and time-corrected). A network
error, a 5xx or a 429 leaves the intent queued (``offline`` in the state, the
intent counted in ``pending_count``), retried with backoff and at once when the
server answers a poll again; 401 signs out (intents stay on disk for that
account); 403/404/422 drop the intent with :class:`IntentRejected` carrying the
server's words, and the state rolls back.

Start-up: :meth:`TimerService.begin_restore` shows at once what the server last
said runs (kept on disk by :mod:`.running_cache` after each answer that changed
it), as RUNNING not yet confirmed (``loaded`` False), before the keyring and the
server have answered; :meth:`sign_in` keeps it, and the first poll confirms or
corrects it quietly (nothing "changed elsewhere" is announced for it).
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Literal

from ..api import errors
from ..api.client import TimeCrowdClient
from ..core import timer as T
from ..core import today as today_mod
from ..core.models import Task, TimeEntry, User
from ..core.timer import ActionKind, EntryRef, PendingAction, Phase, TimerState
from . import messages as M
from . import paths
from .action_result import ActionResult, Outcome, RefusalCode, StoppedEntry
from .events import (
    ActionFailed,
    BackOnline,
    IntentRejected,
    RecentTasksChanged,
    ServiceEvent,
    SignedOut,
    StartedElsewhere,
    StoppedElsewhere,
    SwitchedElsewhere,
    SyncedPending,
    WentOffline,
)
from .outbox import DONE, REJECTED, Intent, Outbox
from .poller import RETRY_AFTER_CAP, Poller, PollResult, backoff_delay, wait_event
from .replay import UNDECIDED_HOLD, Done, Rejected, Replayer, Undecided, placeholder_task
from .running_cache import RUNNING_FILE, RunningCache, RunningData, unconfirmed
from .task_cache import (
    MENU_COUNT,
    TaskCache,
    distinct_recent_tasks,
    merge_tasks,
    task_from_json,
    task_to_json,
)

log = logging.getLogger(__name__)

RECENT_FETCH = 100        # entries read for recent tasks and today's total
KNOWN_IDS_KEPT = 100      # entry ids remembered before a start's first attempt


class CommentTooLong(ValueError):
    """The comment is over :attr:`TimerService.COMMENT_MAX_CHARS`; ``str()`` is a message for the user."""

    def __init__(self, message: str, *, limit: int, length: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.length = length


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


async def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a thread of its own, which ends with it.

    Not ``asyncio.to_thread``: that borrows the loop's default executor, whose threads stay
    (qasync's own default starts ten QThreads, which Qt aborts on at exit when the loop
    that made them was never closed). A small file written now and then needs no pool.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def run() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(settle, False, exc)
        else:
            loop.call_soon_threadsafe(settle, True, result)

    threading.Thread(target=run, name="cache-writer", daemon=True).start()
    return await future


def _ref_json(ref: EntryRef) -> dict[str, int]:
    out: dict[str, int] = {}
    if ref.entry_id is not None:
        out["entry_id"] = ref.entry_id
    if ref.local_id is not None:
        out["local_id"] = ref.local_id
    return out


class TimerService:
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

    COMMENT_MAX_CHARS = 1000

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
        self._fresh_seconds = fresh_seconds
        self._retry_base = retry_base
        self._undecided_hold = undecided_hold
        self._entries_fresh = False  # self._entries was read from the server since signing in
        from .events import StorageProblem

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
        self._cache = TaskCache(cache_dir / paths.TASK_CACHE_FILE)
        cached = self._cache.load()
        self._cache_data = cached
        self._cached: list[Task] = list(cached.tasks)
        self._running_cache = RunningCache(cache_dir / RUNNING_FILE)
        self._preview: TimeEntry | None = None  # the cached running entry shown until the first poll
        self._running_key: tuple[Any, ...] | None = None  # what the running cache holds (or will)
        self._running_next: RunningData | None = None     # waiting to be written
        self._running_writer: asyncio.Task[None] | None = None
        self._state: TimerState = T.initial()
        self._listeners: list[Callable[[TimerState], None]] = []
        self._event_listeners: list[Callable[[ServiceEvent], None]] = []
        self._client: TimeCrowdClient | None = None
        self._user: User | None = None
        self._account: str | None = None
        self._entries: dict[int, TimeEntry] = {}
        self._active = False           # polling and sending allowed
        self._verify_user = False      # signed in offline from the cache: confirm the user when online
        self._poller: Poller | None = None
        self._sender: asyncio.Task[None] | None = None
        self._sender_wake = asyncio.Event()
        self._sender_backoff = False
        self._synced = asyncio.Event()
        self._changed = asyncio.Event()  # the state moved or an intent finished (see :meth:`outcome`)
        self._sending = False
        self._write_gen = 0
        self._synced_count = 0
        self._backlog = False
        self._signed_out_once = False
        self._search_task: asyncio.Task[list[Task]] | None = None
        self._recent_task: asyncio.Task[None] | None = None
        self._recent_again = False
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
    def storage_problem(self) -> StorageProblem | None:  # noqa: F821 - imported in the body
        """What is wrong with this computer's files (see :class:`.events.StorageProblem`), found so far;
        None when nothing is. For the UI to tell once at start-up; later finds also come as events."""
        from .events import StorageProblem

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
        return self._cached[:MENU_COUNT]

    @property
    def cached_tasks(self) -> list[Task]:
        """More recent tasks (up to 200), for the palette; from disk before sign-in."""
        return list(self._cached)

    @property
    def poll_count(self) -> int:
        """Polls done since sign-in (diagnostics, tests, the benchmark)."""
        return self._poller.polls if self._poller else 0

    @property
    def last_refresh(self) -> float | None:
        """Monotonic time of the last successful poll."""
        return self._poller.last_success if self._poller else None

    def add_listener(self, callback: Callable[[TimerState], None]) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def add_event_listener(self, callback: Callable[[ServiceEvent], None]) -> Callable[[], None]:
        self._event_listeners.append(callback)
        return lambda: self._event_listeners.remove(callback) if callback in self._event_listeners else None

    def _set_state(self, state: TimerState) -> None:
        self._changed.set()
        if state == self._state:
            return
        self._state = state
        if state.loaded and self._account is not None and self._user is not None:
            self._remember_running(state.server_entry)
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
            self._verify_user = False
        except errors.AuthError as exc:
            self._client = None
            self._drop_preview()
            self._set_state(T.signed_out(self._state, M.api_error_text(exc)))
            raise
        except (errors.TransientError, errors.ProtocolError) as exc:
            cached = self._cache_data
            cached_user = cached.user if cached.api_base == client.base_url else None
            if cached_user is None and self._preview is not None:
                cached_user = self._user  # the user of the cached running entry, of this server
            if cached_user is None:
                self._client = None
                self._drop_preview()
                self._set_state(T.signed_out(self._state))
                raise
            log.info("signing in offline from the cache (%s)", exc)
            user = cached_user
            self._verify_user = True
            self._set_online(False)
        self._adopt_user(client, user)
        self._active = True
        self._poller = Poller(self._poll, interval=self._poll_interval, rng=self._rng, wall=self._clock,
                              mono=self._mono, resume_check=self._resume_check, on_resume=self._on_resume,
                              retry_base=self._retry_base)
        # the sender first: queued intents must not wait for a slow first poll
        self._start_sender()
        first_poll = asyncio.ensure_future(self.refresh())
        self._poller.start()  # its first round joins the poll above (never two at once)
        await asyncio.gather(first_poll, self._refresh_recent())
        return user

    def _adopt_user(self, client: TimeCrowdClient, user: User) -> None:
        account = f"{client.base_url}#{user.id}"
        preview = self._preview if self._account == account else None
        self._preview = preview
        self._user = user
        self._account = account
        self._signed_out_once = False
        self._entries_fresh = False
        if self._cache_data.account != self._account:
            self._cached = []
            self._entries = {}
        self._cache_data = type(self._cache_data)(self._account, client.base_url, user, tuple(self._cached))
        pending = [self._pending_action(i) for i in self._outbox.pending(self._account)]
        state = T.signed_in(self._state, user, pending)
        self._set_state(unconfirmed(state, preview) if preview is not None else state)

    # -- the last known running entry -------------------------------------------------

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
            data = self._running_cache.load()
        except Exception:  # advisory: never a reason not to start
            log.exception("reading the running entry cache")
            data = RunningData()
        if not data.matches(api_base):
            self._set_state(T.signing_in(self._state))
            return False
        assert data.user is not None and data.entry is not None and data.account is not None
        self._preview = data.entry
        self._running_key = self._running_key_of(data.account, data.api_base, data.entry)
        self._user = data.user
        self._account = data.account
        if self._cache_data.account != data.account:
            self._cached = []
        pending = [self._pending_action(i) for i in self._outbox.pending(data.account)]
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

    @staticmethod
    def _running_key_of(account: str | None, api_base: str | None, entry: TimeEntry | None) -> tuple[Any, ...]:
        if entry is None:
            return (account, api_base, None)
        return (account, api_base, entry.id, entry.started_at, entry.task, entry.comment, entry.html_url)

    def _remember_running(self, entry: TimeEntry | None) -> None:
        """Keep what the server says runs (``entry``) on disk, when it changed (in a worker thread)."""
        api_base = self._client.base_url if self._client is not None else self._cache_data.api_base
        key = self._running_key_of(self._account, api_base, entry)
        if key == self._running_key:
            return
        self._running_key = key
        self._write_running(RunningData(self._account, api_base, self._user, entry))

    def _forget_running(self) -> None:
        """Signed out: nothing to show at the next start."""
        if self._running_key == (None, None, None):
            return
        self._running_key = (None, None, None)
        self._write_running(RunningData())

    def _write_running(self, data: RunningData) -> None:
        self._running_next = data
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a synchronous caller): write now
            self._running_next = None
            self._running_cache.save(data)
            return
        if self._running_writer is None or self._running_writer.done():
            self._running_writer = loop.create_task(self._running_writes())

    async def _running_writes(self) -> None:
        """One writer, the newest data last (writes never overtake each other)."""
        while self._running_next is not None:
            data, self._running_next = self._running_next, None
            try:
                await _in_thread(self._running_cache.save, data)
            except Exception:
                log.exception("writing the running entry cache")

    async def sign_out(self, reason: str | None = None) -> None:
        """Stop polling and sending; the outbox stays on disk for this account."""
        await self._halt()
        self._client = None
        self._user = None
        self._account = None
        self._preview = None
        self._entries = {}
        self._forget_running()
        self._set_state(T.signed_out(self._state, reason))

    async def _halt(self) -> None:
        """Stop the background work (not the task calling this)."""
        self._active = False
        current = asyncio.current_task()
        if self._poller is not None:
            await self._poller.stop()
        tasks = [t for t in (self._sender, self._search_task, self._recent_task, *self._background)
                 if t is not None and not t.done() and t is not current]
        for t in tasks:
            t.cancel()
        for t in tasks:
            try:
                await t
            except (asyncio.CancelledError, Exception):
                pass
        self._sender = None
        self._sending = False

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
        self._forget_running()
        self._set_state(T.signed_out(self._state, reason))
        self._emit(SignedOut(reason))

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._halt()
        writer = self._running_writer
        if writer is not None and not writer.done():
            try:
                await writer  # the last running entry reaches the disk before we go
            except Exception:
                pass
        self._outbox.close()

    def _spawn(self, coro) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    # -- polling --------------------------------------------------------------------

    async def refresh(self) -> bool:
        """One poll now (joins the one in flight). True when the server answered."""
        if self._poller is None or self._client is None:
            return False
        return (await self._poller.poll_now()).ok

    def request_refresh(self, max_age: float = 5.0) -> None:
        """The menu opened: poll in the background if the last answer is older than ``max_age``."""
        if self._poller is None or not self._active or self._poller.in_flight or self._poller.held:
            return
        last = self._poller.last_success
        if last is None or self._mono() - last > max_age:
            self._poller.wake()

    def set_poll_interval(self, seconds: float) -> None:
        self._poll_interval = float(seconds)
        if self._poller is not None:
            self._poller.set_interval(seconds)

    def notify_network_changed(self, online: bool) -> None:
        """From the platform (QNetworkInformation): online -> poll and replay now."""
        if not online:
            self._set_online(False)
            return
        self._wake_all()

    def notify_resumed(self) -> None:
        """The computer woke up (if the platform knows; the poller also detects it)."""
        self._wake_all()

    def _wake_all(self) -> None:
        if self._poller is not None and self._active:
            self._poller.reset_backoff()
            self._poller.wake()
        self._sender_wake.set()

    def _on_resume(self) -> None:
        self._sender_wake.set()
        self._schedule_recent_refresh()

    async def _poll(self) -> PollResult:
        client, user = self._client, self._user
        if client is None or user is None:
            return PollResult(False)
        gen, busy = self._write_gen, self._sending
        try:
            if self._verify_user:
                fresh = await client.user_info()
                self._verify_user = False
                if fresh.id != user.id:
                    log.warning("signed in as another user than the cached one: switching accounts")
                    self._adopt_user(client, fresh)
                    return PollResult(True)
            entry = await client.running_entry(user.id)
        except errors.AuthError:
            self._on_unauthorized()
            return PollResult(False)
        except errors.TransientError as exc:
            self._set_online(False)
            return PollResult(False, exc.retry_after)
        except errors.ApiError as exc:
            log.warning("poll: %s", exc)
            return PollResult(False)
        if client is not self._client:
            return PollResult(True)
        self._set_online(True)
        if self._sender_backoff:
            self._sender_wake.set()  # the server answers again: replay now
        if busy or self._sending or gen != self._write_gen:
            return PollResult(True)  # a write raced with this poll: its answer may predate it
        self._apply_snapshot(entry)
        return PollResult(True)

    def _apply_snapshot(self, entry: TimeEntry | None) -> None:
        before = self._state
        # The first answer (confirming or correcting the cached entry shown until now) is quiet.
        quiet = not before.loaded or T.has_unconfirmed_timer_action(before)
        if self._preview is not None:
            log.info("the cached running entry is %s", "confirmed" if entry is not None and
                     entry.id == self._preview.id else "out of date: corrected")
            self._preview = None
        self._set_state(T.server_snapshot(before, entry))
        if entry is not None:
            self._entries[entry.id] = entry
        if quiet:
            return
        change = T.remote_change(before.server_entry, entry)
        if change is None:
            return
        if change.kind == "started" and change.after is not None:
            self._emit(StartedElsewhere(change.after))
        elif change.kind == "stopped" and change.before is not None:
            self._emit(StoppedElsewhere(change.before.task, change.before))
        elif change.kind == "switched" and change.after is not None:
            self._emit(SwitchedElsewhere(change.after, change.before.task if change.before else None))
        if change.after is not None:
            self._touch_recent(change.after.task)
        self._schedule_recent_refresh()

    # -- recent tasks -----------------------------------------------------------------

    def _schedule_recent_refresh(self) -> None:
        if not self._active:
            return
        if self._recent_task is not None and not self._recent_task.done():
            self._recent_again = True
            return
        self._recent_task = asyncio.ensure_future(self._recent_loop())

    async def _recent_loop(self) -> None:
        while True:
            self._recent_again = False
            await self._refresh_recent()
            if not self._recent_again or not self._active:
                return

    async def _refresh_recent(self) -> None:
        client, user = self._client, self._user
        if client is None or user is None:
            return
        try:
            entries = await client.time_entries(user.id, per_page=RECENT_FETCH)
        except errors.AuthError:
            self._on_unauthorized()
            return
        except errors.ApiError as exc:
            log.info("recent tasks not refreshed: %s", exc)
            return
        if client is not self._client:
            return
        mine = [e for e in entries if e.user_id in (None, user.id)]
        self._entries = {e.id: e for e in mine}
        self._entries_fresh = True
        if self._state.server_entry is not None:
            self._entries.setdefault(self._state.server_entry.id, self._state.server_entry)
        pending_tasks = [a.task for a in reversed(self._state.pending)
                         if a.kind is ActionKind.START and a.task is not None]
        self._cached = merge_tasks([*pending_tasks, *distinct_recent_tasks(mine)], self._cached)
        self._save_cache()
        self._emit(RecentTasksChanged())

    def _touch_recent(self, task: Task) -> None:
        if task.id <= 0 or (self._cached and self._cached[0].id == task.id):
            return
        self._cached = merge_tasks([task], self._cached)
        self._save_cache()
        self._emit(RecentTasksChanged())

    def _save_cache(self) -> None:
        self._cache_data = type(self._cache_data)(self._account, self._client.base_url if self._client else
                                                  self._cache_data.api_base, self._user, tuple(self._cached))
        self._cache.save(self._account, self._cached, user=self._user, api_base=self._cache_data.api_base)

    async def search_tasks(self, query: str) -> list[Task]:
        """Server suggestions by title. A newer call cancels an older one still running
        (the older call raises ``asyncio.CancelledError``). An empty query, signed out or
        a server error give ``[]``."""
        previous = self._search_task
        if previous is not None and not previous.done():
            previous.cancel()
        text = query.strip()
        if not text or self._client is None:
            self._search_task = None
            return []
        task = asyncio.ensure_future(self._search(self._client, text))
        self._search_task = task
        return await task

    async def _search(self, client: TimeCrowdClient, text: str) -> list[Task]:
        try:
            page = await client.task_suggestions(text)
        except errors.AuthError:
            self._on_unauthorized()
            return []
        except errors.ApiError as exc:
            log.info("task search failed: %s", exc)
            return []
        return list(page.tasks)

    async def find_task(self, task_id: int, *, max_pages: int = 20) -> Task | None:
        """The task ``task_id`` of one of my teams: from the cache, else from the server
        (my teams' task lists, ``max_pages`` pages each). None when none of my teams has it.

        Raises the client's error when the server cannot say (offline...).
        """
        for task in self._cached:
            if task.id == task_id and task.team_id is not None:
                return task
        client, user = self._client, self._user
        if client is None or user is None:
            raise errors.NetworkError("not signed in to a server")
        for team in user.teams:
            for page in range(1, max_pages + 1):
                result = await client.team_tasks(team.id, page=page)
                for task in result.tasks:
                    if task.id == task_id:
                        return replace(task, team_id=task.team_id or team.id,
                                       team_name=task.team_name or team.name)
                if result.is_last_page or not result.tasks:
                    break
        return None

    # -- today ----------------------------------------------------------------------

    def today_total(self, now: datetime | None = None) -> float:
        """Seconds tracked today in the user's time zone, the running entry included."""
        moment = now if now is not None else _utc(self._clock())
        return today_mod.today_total(self._entries.values(), self._state, moment)

    # -- actions (synchronous: they never wait for the network) -------------------------

    def _refuse(self, message: str, code: RefusalCode) -> ActionResult:
        """Nothing recorded: the UI hears why (an event), the caller gets it back."""
        self._emit(ActionFailed(message))
        return ActionResult.refuse(message, code)

    def _refusal(self) -> ActionResult | None:
        if self._account is None or self._state.phase is Phase.SIGNED_OUT:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        return None

    def _record(self, intents: list[tuple[str, dict[str, Any], float]]) -> list[int] | None:
        """Write the intents (one transaction), show them, wake the sender. None if the disk refused."""
        assert self._account is not None
        try:
            ids = self._outbox.add_many(self._account, intents)
        except sqlite3.Error as exc:
            log.error("could not record %s: %s", [i[0] for i in intents], exc)
            return None
        self._synced.clear()
        for intent_id in ids:
            intent = self._outbox.get(intent_id)
            if intent is not None:
                self._set_state(T.action_requested(self._state, self._pending_action(intent)))
        self._sender_wake.set()
        return ids

    def _recorded(self, intents: list[tuple[str, dict[str, Any], float]], *,
                  stopped: StoppedEntry | None = None, started: Task | None = None) -> ActionResult:
        ids = self._record(intents)
        if ids is None:
            return self._refuse(M.tr(M.STORAGE_FAILED), "storage")
        return ActionResult(tuple(ids), intents[-1][2], stopped=stopped, started=started)

    def _stop_intent(self, now: float) -> tuple[tuple[str, dict[str, Any], float], StoppedEntry] | None:
        st = self._state
        ref = st.ref
        if not st.is_running or ref is None or st.task is None:
            return None
        payload = {"target": _ref_json(ref), "task": task_to_json(st.task),
                   "started_at": st.started_at.timestamp() if st.started_at else None}
        stopped_at = _utc(now)
        duration = max(0.0, (stopped_at - st.started_at).total_seconds()) if st.started_at else 0.0
        return (ActionKind.STOP.value, payload, now), StoppedEntry(ref, st.task, st.started_at, stopped_at, duration)

    def request_start(self, task: Task) -> ActionResult:
        """Start ``task`` (stopping what runs first). A no-op when it runs already."""
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        if task.team_id is None:
            return self._refuse(M.tr(M.TASK_HAS_NO_TEAM), "no_team")
        if self._state.is_running and self._state.task is not None and self._state.task.id == task.id:
            return ActionResult()  # already running: a double press must not split the entry
        now = self._clock()
        intents: list[tuple[str, dict[str, Any], float]] = []
        stop = self._stop_intent(now)
        if stop is not None:
            intents.append(stop[0])
        intents.append((ActionKind.START.value, {"task": task_to_json(task)}, now))
        result = self._recorded(intents, stopped=stop[1] if stop else None, started=task)
        if result.recorded:
            self._touch_recent(task)
        return result

    def request_stop(self) -> ActionResult:
        """Stop what runs (or starts). A no-op when nothing runs."""
        if self._state.phase is Phase.SIGNED_OUT:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        stop = self._stop_intent(self._clock())
        if stop is None:
            return ActionResult()
        return self._recorded([stop[0]], stopped=stop[1])

    def request_toggle(self) -> ActionResult:
        """Running: stop. Otherwise start the most recent task.

        Also while loading (signed in, the server not heard yet: offline at start-up):
        nothing is shown running then (a running entry of the last answer would be), so
        the toggle starts, stamped with the time of the click, like any offline action;
        when it is sent, whatever the server had running since before the click is ended
        at the click (see :mod:`.replay`).
        """
        phase = self._state.phase
        if phase in (Phase.RUNNING, Phase.STARTING):
            return self.request_stop()
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        recent = self.recent_tasks
        if not recent:
            return self._refuse(M.tr(M.NO_RECENT_TASK), "no_task")
        return self.request_start(recent[0])

    def request_comment(self, ref: EntryRef | int, text: str) -> ActionResult:
        """Comment an entry (``ref`` from :class:`StoppedEntry` or ``state.ref``; an int is an entry id)."""
        if isinstance(ref, int):
            ref = EntryRef(ref)
        content = (text or "").strip()
        if not content:
            return ActionResult.refuse(M.tr(M.EMPTY_COMMENT), "empty")
        if len(content) > self.COMMENT_MAX_CHARS:
            return ActionResult.refuse(M.tr(M.COMMENT_TOO_LONG, limit=self.COMMENT_MAX_CHARS, length=len(content)),
                                       "too_long")
        if self._account is None:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        return self._recorded([(ActionKind.COMMENT.value, {"target": _ref_json(ref), "text": content},
                                self._clock())])

    def request_create_task(self, title: str, team_id: int, category_id: int | None = None) -> ActionResult:
        """Create a task titled ``title`` and start it (stopping what runs first)."""
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        clean = (title or "").strip()
        if not clean:
            return self._refuse(M.tr(M.EMPTY_TITLE), "empty")
        now = self._clock()
        intents: list[tuple[str, dict[str, Any], float]] = []
        stop = self._stop_intent(now)
        if stop is not None:
            intents.append(stop[0])
        intents.append((ActionKind.CREATE.value, {"title": clean, "team_id": int(team_id),
                                                  "category_id": int(category_id) if category_id is not None
                                                  else None}, now))
        return self._recorded(intents, stopped=stop[1] if stop else None)

    # The UI's short forms: what was stopped (None: nothing was, or it was refused: an event says why).

    def start(self, task: Task) -> StoppedEntry | None:
        """Start ``task`` (stopping what runs first). Returns what it stopped, if anything."""
        return self.request_start(task).stopped

    def stop(self) -> StoppedEntry | None:
        """Stop what runs (or starts). None when nothing runs."""
        return self.request_stop().stopped

    def toggle(self) -> StoppedEntry | None:
        """Running: stop. Otherwise start the most recent task (see :meth:`request_toggle`)."""
        return self.request_toggle().stopped

    def create_task(self, title: str, team_id: int, category_id: int | None = None) -> StoppedEntry | None:
        """Create a task titled ``title`` and start it; returns what it stopped, if anything."""
        return self.request_create_task(title, team_id, category_id).stopped

    def comment(self, ref: EntryRef | int, text: str) -> bool:
        """Comment an entry; False when the text is empty or it was not recorded.

        Raises :class:`CommentTooLong` over :attr:`COMMENT_MAX_CHARS`.
        """
        result = self.request_comment(ref, text)
        if result.code == "too_long":
            content = (text or "").strip()
            raise CommentTooLong(result.refusal or "", limit=self.COMMENT_MAX_CHARS, length=len(content))
        return result.recorded

    # -- what became of an action ------------------------------------------------------

    async def outcome(self, result: ActionResult, timeout: float) -> Outcome:
        """Wait (at most ``timeout`` seconds) for the server's word on ``result``'s intents.

        ``done`` when all were done, ``refused`` as soon as one was refused (with the
        server's words), else ``queued`` at the deadline, or at once when the service
        cannot send now (offline, signed out): the intents stay in the outbox and are
        sent later with the time of the action.
        """
        if result.refused:
            return Outcome("refused", reason=result.refusal)
        if not result.recorded:
            return Outcome("done", result.acted_at)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while True:
            states = [self._outbox.state_of(i) for i in result.intents]
            rejected = [i for i, st in zip(result.intents, states) if st == REJECTED]
            if rejected:
                intent = self._outbox.get(rejected[0])
                return Outcome("refused", result.acted_at, reason=intent.last_error if intent else None)
            if all(st == DONE for st in states):
                return Outcome("done", result.acted_at, done_ids=result.intents)
            waiting = self._waiting_for()
            remaining = deadline - loop.time()
            if waiting in ("network", "sign_in") or remaining <= 0:
                return Outcome("queued", result.acted_at, waiting_for=waiting or "server",
                               done_ids=tuple(i for i, st in zip(result.intents, states) if st == DONE))
            self._changed.clear()
            await wait_event(self._changed, remaining)

    def _waiting_for(self) -> Literal["network", "sign_in"] | None:
        """Why the sender cannot send now, if it cannot."""
        if not self._active or self._client is None or self._state.phase is Phase.SIGNED_OUT:
            return "sign_in"
        if self._state.offline:
            return "network"
        return None

    def _team_name(self, team_id: Any) -> str:
        if self._user is not None:
            for team in self._user.teams:
                if team.id == team_id:
                    return team.name
        return ""

    def _pending_action(self, intent: Intent) -> PendingAction:
        at = _utc(intent.acted_at)
        payload = intent.payload
        if intent.kind == "start":
            return PendingAction(intent.id, ActionKind.START, at, task=task_from_json(payload.get("task")))
        if intent.kind == "create":
            return PendingAction(intent.id, ActionKind.CREATE, at,
                                 task=placeholder_task(intent, self._team_name(payload.get("team_id"))))
        target = payload.get("target") if isinstance(payload.get("target"), dict) else {}
        entry_id, local_id = target.get("entry_id"), target.get("local_id")
        if entry_id is None and isinstance(local_id, int):
            entry_id = self._outbox.resolve(local_id)
        ref = EntryRef(entry_id, local_id) if (entry_id is not None or local_id is not None) else None
        kind = ActionKind.STOP if intent.kind == "stop" else ActionKind.COMMENT
        return PendingAction(intent.id, kind, at, task=task_from_json(payload.get("task")), target=ref)

    # -- the sender -------------------------------------------------------------------

    def _start_sender(self) -> None:
        if self._sender is None or self._sender.done():
            self._sender = asyncio.ensure_future(self._send_forever())

    async def _send_forever(self) -> None:
        """The sender, restarted after an unexpected error (a full disk...), with backoff."""
        failures = 0
        while self._active:
            try:
                await self._send_loop()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                self._sending = False
                log.exception("the sender failed; restarting it")
                self._sender_wake.clear()
                await wait_event(self._sender_wake, backoff_delay(failures, None, self._rng, base=self._retry_base))

    async def wait_until_synced(self, timeout: float | None = None) -> bool:
        """Wait until the outbox of this account is empty. False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            if self._account is None or (self._outbox.count(self._account) == 0 and not self._sending):
                return True
            self._synced.clear()
            if self._outbox.count(self._account) == 0 and not self._sending:
                return True
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            if not await wait_event(self._synced, remaining):
                return False

    async def _send_loop(self) -> None:
        failures = 0
        processed = 0
        while self._active:
            account, client, user = self._account, self._client, self._user
            if account is None or client is None or user is None:
                return
            intent = self._outbox.head(account)
            if intent is None:
                self._on_drained(processed)
                processed = 0
                self._sender_wake.clear()
                await self._sender_wake.wait()
                continue
            replayer = Replayer(client, self._outbox, user.id, clock=self._clock,
                                fresh_seconds=self._fresh_seconds, undecided_hold=self._undecided_hold)
            self._sending = True
            self._write_gen += 1
            outcome: Done | Rejected | None = None
            failure: errors.ApiError | None = None
            try:
                if intent.kind in (ActionKind.START, ActionKind.CREATE) and intent.attempts == 0 \
                        and "known_ids" not in intent.progress:
                    # What existed before the first attempt is never taken for what it made.
                    known = self._known_ids() if self._entries_fresh else await replayer.known_ids()
                    self._outbox.save_progress(intent.id, {**intent.progress, "known_ids": known})
                intent = self._outbox.mark_sending(intent.id)
                outcome = await replayer.run(intent)
            except errors.AuthError:
                self._on_unauthorized()
                return
            except (errors.Forbidden, errors.NotFound, errors.ValidationFailed) as exc:
                outcome = Rejected(M.api_error_text(exc), exc.status)
            except errors.ProtocolError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    outcome = Rejected(M.api_error_text(exc), exc.status)
                else:
                    failure = exc
            except errors.ApiError as exc:
                failure = exc
            except Exception as exc:  # a bug must not stop the queue for good
                log.exception("sending intent %s failed", intent.id)
                failure = errors.ProtocolError(f"internal error: {exc!r}")
            finally:
                self._sending = False
                self._write_gen += 1
            if failure is not None:
                failures += 1
                self._backlog = True
                self._outbox.note_error(intent.id, failure.message)
                if isinstance(failure, errors.TransientError) and not isinstance(failure, Undecided):
                    self._set_online(False)
                retry_after = getattr(failure, "retry_after", None)
                delay = backoff_delay(failures, retry_after, self._rng, base=self._retry_base)
                log.info("intent %s (%s) not sent: %s; retry in %.1f s", intent.id, intent.kind, failure, delay)
                self._sender_backoff = True
                self._sender_wake.clear()
                if retry_after:
                    await asyncio.sleep(min(delay, RETRY_AFTER_CAP))  # the server said when: no early wake
                else:
                    await wait_event(self._sender_wake, delay)
                self._sender_backoff = False
                continue
            failures = 0
            processed += 1
            if isinstance(outcome, Done):
                self._apply_done(intent, outcome)
            elif isinstance(outcome, Rejected):
                self._apply_rejected(intent, outcome)

    def _known_ids(self) -> list[int]:
        ids = sorted(self._entries, reverse=True)[:KNOWN_IDS_KEPT]
        if self._state.server_entry is not None and self._state.server_entry.id not in ids:
            ids.append(self._state.server_entry.id)
        return ids

    def _apply_done(self, intent: Intent, outcome: Done) -> None:
        self._changed.set()
        entry = outcome.entry
        self._outbox.mark_done(intent.id, entry.id if entry is not None and intent.kind in ("start", "create")
                               else None)
        if self._backlog:
            self._synced_count += 1
        self._set_online(True)
        for e in (outcome.stopped_first, entry):
            if e is not None:
                self._entries[e.id] = e
        if outcome.stopped_first is not None and self._state.server_entry is not None \
                and self._state.server_entry.id == outcome.stopped_first.id:
            self._set_state(T.server_snapshot(self._state, None))
        self._set_state(T.action_confirmed(self._state, intent.id, entry))
        if intent.kind in ("start", "create") and entry is not None:
            self._touch_recent(entry.task)
        if intent.kind == "stop":
            self._schedule_recent_refresh()

    def _apply_rejected(self, intent: Intent, outcome: Rejected) -> None:
        self._changed.set()
        self._outbox.mark_rejected(intent.id, outcome.message)
        self._set_online(True)
        task = task_from_json(intent.payload.get("task")) if intent.kind != "create" else \
            placeholder_task(intent, self._team_name(intent.payload.get("team_id")))
        log.info("intent %s (%s) rejected: %s", intent.id, intent.kind, outcome.message)
        self._set_state(T.action_dropped(self._state, intent.id, outcome.message))
        self._emit(IntentRejected(outcome.message, outcome.kind or intent.kind, task, outcome.status))
        if intent.kind in ("start", "create") and self._account is not None:
            for dependent in self._outbox.dependents(self._account, intent.id):
                message = M.tr(M.DEPENDENT_DROPPED)
                self._outbox.mark_rejected(dependent.id, message)
                self._set_state(T.action_dropped(self._state, dependent.id, None))
                self._emit(IntentRejected(message, dependent.kind, task_from_json(dependent.payload.get("task"))))

    def _on_drained(self, processed: int) -> None:
        self._synced.set()
        if self._synced_count:
            count, self._synced_count = self._synced_count, 0
            self._emit(SyncedPending(count))
        self._backlog = False
        if processed and self._poller is not None and self._active:
            self._poller.wake()  # one poll right after the actions, to confirm
