"""The recent tasks the service keeps fresh, the latest entries they come from, and finding a task.

* **Recent tasks** (:attr:`RecentTasks.tasks`, most recent first, up to 200; the
  menu shows ten): read from disk (:mod:`.task_cache`) before signing in, then
  from my latest ``RECENT_FETCH`` entries (:meth:`RecentTasks.refresh`, after
  sign-in, a stop, a change made elsewhere, a resume), with the starts not sent
  yet in front; a task started here goes to the front at once
  (:meth:`RecentTasks.touch`). Each change is saved and told
  (:class:`~.events.RecentTasksChanged`).
* **Latest entries** (:attr:`RecentTasks.entries`): my entries of that read,
  plus those the server has answered since; today's total and the ids a start
  must never take for its own come from them. :attr:`RecentTasks.seen` holds every
  entry of mine read this run (a day's pages too: what a day read offline shows).
  Both hear of what the server confirms (:meth:`RecentTasks.saw`, :meth:`RecentTasks.gone`):
  an entry deleted here is never listed again, an edited one only with its new values.
* **Finding a task**: :meth:`RecentTasks.search` (the server's suggestions) and
  :meth:`RecentTasks.find` (by id: the recent tasks, then my teams' task lists).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Protocol

from ..api import errors
from ..api.client import TimeCrowdClient
from ..core.models import Task, TimeEntry, User
from ..core.timer import ActionKind, TimerState
from .events import RecentTasksChanged, ServiceEvent
from .task_cache import MENU_COUNT, CacheData, TaskCache, distinct_recent_tasks, merge_tasks

log = logging.getLogger(__name__)

RECENT_FETCH = 100        # entries read for recent tasks and today's total
SEEN_MAX = 400            # entries of this run kept for offline lists (about a month of busy days): newest kept


class RecentTasksHost(Protocol):
    """What :class:`RecentTasks` uses of the timer service that owns it.

    The service's own members (private: the parts of the engine are not its clients),
    read at each use: sign-in and sign-out change them.
    """

    @property
    def state(self) -> TimerState: ...

    @property
    def _client(self) -> TimeCrowdClient | None: ...

    @property
    def _user(self) -> User | None: ...

    @property
    def _account(self) -> str | None: ...

    @property
    def _active(self) -> bool: ...

    def _emit(self, event: ServiceEvent) -> None: ...

    def _on_unauthorized(self) -> None: ...


class RecentTasks:
    """See the module docstring. ``cache`` is the file the tasks are kept in."""

    def __init__(self, host: RecentTasksHost, cache: TaskCache) -> None:
        self._host = host
        self._cache = cache
        self.data: CacheData = cache.load()  # what the file holds (account, server, user, tasks)
        self.tasks: list[Task] = list(self.data.tasks)
        self.entries: dict[int, TimeEntry] = {}
        self.seen: dict[int, TimeEntry] = {}  # every entry of mine read this run, as last confirmed
        self.deleted: set[int] = set()  # the ids whose delete the server confirmed (ids are never reused)
        self.entries_fresh = False  # self.entries was read from the server since signing in
        self.refresh_task: asyncio.Task[None] | None = None
        self._again = False
        self._search_task: asyncio.Task[list[Task]] | None = None

    @property
    def menu(self) -> list[Task]:
        """Up to 10 distinct tasks, most recently used first."""
        return self.tasks[:MENU_COUNT]

    # -- the account -------------------------------------------------------------------

    def signed_in(self, account: str, api_base: str, user: User) -> None:
        """Signed in to ``account``: another account's tasks and entries are forgotten."""
        self.entries_fresh = False
        if self.data.account != account:
            self.tasks = []
            self.forget_entries()
        self.data = CacheData(account, api_base, user, tuple(self.tasks))

    def restoring(self, account: str) -> None:
        """Start-up shows ``account`` before signing in: another account's tasks are not shown."""
        if self.data.account != account:
            self.tasks = []

    def cached_user(self, api_base: str) -> User | None:
        """The user last signed in to ``api_base``, from the file (None: another server, or none)."""
        return self.data.user if self.data.api_base == api_base else None

    def forget_entries(self) -> None:
        self.entries = {}
        self.seen = {}
        self.deleted = set()

    def saw(self, entry: TimeEntry) -> None:
        """The server answered with ``entry`` (an add, an edit, a stop confirmed; a poll)."""
        if entry.id in self.deleted:
            return  # an answer read before the delete was confirmed
        self.entries[entry.id] = entry
        self.seen[entry.id] = entry
        self._bound_seen()

    def read(self, entries: list[TimeEntry]) -> list[TimeEntry]:
        """``entries`` were read from the server (a day's page): kept in :attr:`seen`; those still there."""
        alive = [e for e in entries if e.id not in self.deleted]
        self.seen.update((e.id, e) for e in alive)
        self._bound_seen()
        return alive

    def _bound_seen(self) -> None:
        # An app left running for months must not grow with every entry it ever read: the oldest go first.
        if len(self.seen) > SEEN_MAX:
            newest = sorted(self.seen.values(), key=lambda e: e.started_at, reverse=True)[:SEEN_MAX]
            self.seen = {e.id: e for e in newest}

    def gone(self, entry_id: int) -> None:
        """The server confirmed the delete of ``entry_id``: not in today's total, nor in any list, any more."""
        self.deleted.add(entry_id)
        self.entries.pop(entry_id, None)
        self.seen.pop(entry_id, None)

    def background(self) -> list[asyncio.Task[None] | asyncio.Task[list[Task]] | None]:
        """Its tasks in flight (for the service to cancel when it stops)."""
        return [self._search_task, self.refresh_task]

    # -- keeping them fresh -----------------------------------------------------------------

    def schedule_refresh(self) -> None:
        """Refresh in the background (once more after the one in flight, if one is)."""
        if not self._host._active:
            return
        if self.refresh_task is not None and not self.refresh_task.done():
            self._again = True
            return
        self.refresh_task = asyncio.ensure_future(self._refresh_loop())

    async def _refresh_loop(self) -> None:
        while True:
            self._again = False
            await self.refresh()
            if not self._again or not self._host._active:
                return

    async def refresh(self) -> None:
        """Read my latest entries: the recent tasks and the latest entries from them."""
        host = self._host
        client, user = host._client, host._user
        if client is None or user is None:
            return
        try:
            entries = await client.time_entries(user.id, per_page=RECENT_FETCH)
        except errors.AuthError:
            host._on_unauthorized()
            return
        except errors.ApiError as exc:
            log.info("recent tasks not refreshed: %s", exc)
            return
        if client is not host._client:
            return
        mine = self.read([e for e in entries if e.user_id in (None, user.id)])
        self.entries = {e.id: e for e in mine}
        self.entries_fresh = True
        state = host.state
        if state.server_entry is not None:
            self.entries.setdefault(state.server_entry.id, state.server_entry)
        pending_tasks = [a.task for a in reversed(state.pending)
                         if a.kind is ActionKind.START and a.task is not None]
        self.tasks = merge_tasks([*pending_tasks, *distinct_recent_tasks(mine)], self.tasks)
        self.save()
        host._emit(RecentTasksChanged())

    def touch(self, task: Task) -> None:
        """``task`` was just started: first in the list."""
        if task.id <= 0 or (self.tasks and self.tasks[0].id == task.id):
            return
        self.tasks = merge_tasks([task], self.tasks)
        self.save()
        self._host._emit(RecentTasksChanged())

    def save(self) -> None:
        host = self._host
        self.data = CacheData(host._account, host._client.base_url if host._client else self.data.api_base,
                              host._user, tuple(self.tasks))
        self._cache.save(host._account, self.tasks, user=host._user, api_base=self.data.api_base)

    # -- finding a task ---------------------------------------------------------------------

    async def search(self, query: str) -> list[Task]:
        """Server suggestions by title. A newer call cancels an older one still running
        (the older call raises ``asyncio.CancelledError``). An empty query, signed out or
        a server error give ``[]``."""
        previous = self._search_task
        if previous is not None and not previous.done():
            previous.cancel()
        text = query.strip()
        client = self._host._client
        if not text or client is None:
            self._search_task = None
            return []
        task = asyncio.ensure_future(self._search(client, text))
        self._search_task = task
        return await task

    async def _search(self, client: TimeCrowdClient, text: str) -> list[Task]:
        try:
            page = await client.task_suggestions(text)
        except errors.AuthError:
            self._host._on_unauthorized()
            return []
        except errors.ApiError as exc:
            log.info("task search failed: %s", exc)
            return []
        return list(page.tasks)

    async def find(self, task_id: int, *, max_pages: int = 20) -> Task | None:
        """The task ``task_id`` of one of my teams: from the recent tasks, else from the server
        (my teams' task lists, ``max_pages`` pages each). None when none of my teams has it.

        Raises the client's error when the server cannot say (offline...).
        """
        for task in self.tasks:
            if task.id == task_id and task.team_id is not None:
                return task
        client, user = self._host._client, self._host._user
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
