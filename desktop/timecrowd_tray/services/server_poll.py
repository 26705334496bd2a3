"""One poll of the server, and what its answer does: the state corrected, changes made elsewhere told.

:class:`~.poller.Poller` decides when to poll; :meth:`ServerPoll.run` is one
poll: after a sign-in made offline from the cache it first confirms the user
(another user: the service switches accounts), then asks what runs for me.

* No answer: a network error, a 5xx or a 429 puts the state offline (the
  poller backs off, honouring ``Retry-After``); a 401 signs out.
* An answer: the state is online again, and a sender backing off is woken.
  The answer becomes the server's running entry in the state, unless a write
  of the sender raced with the poll (its answer may predate the write; the
  sender's own answer and the next poll tell).
* A change nobody here made (started, stopped or switched on the web or a
  phone) is told (:class:`~.events.StartedElsewhere`,
  :class:`~.events.StoppedElsewhere`, :class:`~.events.SwitchedElsewhere`) and
  refreshes the recent tasks. The first answer after signing in, and any
  answer while a start, stop or create of ours waits, are quiet: they confirm
  or correct what is shown, nobody else changed it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from ..api import errors
from ..api.client import TimeCrowdClient
from ..core import timer as T
from ..core.models import TimeEntry, User
from .events import DayChanged, StartedElsewhere, StoppedElsewhere, SwitchedElsewhere
from .poller import RUNNING_POLL_S, PollResult
from .recent_tasks import RecentTasks, RecentTasksHost
from .sender import Sender

log = logging.getLogger(__name__)


class ServerPollHost(RecentTasksHost, Protocol):
    """What :class:`ServerPoll` uses of the timer service that owns it (as :class:`RecentTasksHost`)."""

    def _set_state(self, state: T.TimerState) -> None: ...

    def _set_online(self, online: bool) -> None: ...

    def _adopt_user(self, client: TimeCrowdClient, user: User) -> None: ...

    def _server_answered(self, entry: TimeEntry | None) -> None: ...


class ServerPoll:
    """See the module docstring. ``verify_user``: the next poll confirms the user first."""

    def __init__(self, host: ServerPollHost, sender: Sender, recent: RecentTasks) -> None:
        self._host = host
        self._sender = sender
        self._recent = recent
        self.verify_user = False

    async def run(self) -> PollResult:
        host, sender = self._host, self._sender
        client, user = host._client, host._user
        if client is None or user is None:
            return PollResult(False)
        gen, busy = sender.write_gen, sender.sending
        try:
            if self.verify_user:
                fresh = await client.user_info()
                self.verify_user = False
                if fresh.id != user.id:
                    log.warning("signed in as another user than the cached one: switching accounts")
                    host._adopt_user(client, fresh)
                    return PollResult(True)
            entry = await client.running_entry(user.id)
        except errors.AuthError:
            host._on_unauthorized()
            return PollResult(False)
        except errors.TransientError as exc:
            host._set_online(False)
            return PollResult(False, exc.retry_after)
        except errors.ApiError as exc:
            log.warning("poll: %s", exc)
            return PollResult(False)
        if client is not host._client:
            return PollResult(True)
        host._set_online(True)
        if sender.backing_off:
            sender.wake()  # the server answers again: replay now
        if busy or sender.sending or gen != sender.write_gen:
            return self._answered()  # a write raced with this poll: its answer may predate it
        self._apply_snapshot(entry)
        return self._answered()

    def _answered(self) -> PollResult:
        """A poll answered; while a timer runs, the poller's own next one at RUNNING_POLL_S (the poller's docs)."""
        return PollResult(True, min_interval=RUNNING_POLL_S if self._host.state.is_running else None)

    def _apply_snapshot(self, entry: TimeEntry | None) -> None:
        host = self._host
        before = host.state
        # The first answer (confirming or correcting the cached entry shown until now) is quiet.
        quiet = not before.loaded or T.has_unconfirmed_timer_action(before)
        host._server_answered(entry)
        host._set_state(T.server_snapshot(before, entry))
        if entry is not None:
            self._recent.saw(entry)
        if quiet:
            return
        change = T.remote_change(before.server_entry, entry)
        if change is None:
            return
        if change.kind == "started" and change.after is not None:
            host._emit(StartedElsewhere(change.after))
        elif change.kind == "stopped" and change.before is not None:
            host._emit(StoppedElsewhere(change.before.task, change.before))
        elif change.kind == "switched" and change.after is not None:
            host._emit(SwitchedElsewhere(change.after, change.before.task if change.before else None))
        host._emit(DayChanged(None))  # an entry started or stopped elsewhere: a shown day reads again
        if change.after is not None:
            self._recent.touch(change.after.task)
        self._recent.schedule_refresh()
