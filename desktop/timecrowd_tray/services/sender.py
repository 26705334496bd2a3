"""The sender: the outbox sent in order, one intent at a time, and what each answer does.

One background task (:meth:`Sender.start`) takes the account's oldest pending
intent, has :class:`~.replay.Replayer` send it (checked and time-corrected),
and applies the answer to the outbox and to the service's state:

* **done**: the row is marked done (with the entry a start or create made), the
  state confirms the action, the recent tasks hear of it;
* **refused for good** (403/404/422, another 4xx, or the replay's own refusal):
  the row is marked rejected, the state rolls back, an
  :class:`~.events.IntentRejected` carries the server's words; the stops and
  comments that pointed at a refused start or create are refused with it;
* **not now** (network, 5xx, 429, a request that may still land): the row stays
  pending (``last_error`` noted), the state goes offline (not for a request
  that may still land), and it is retried after a backoff (``5 s * 2^(n-1)``,
  jittered, or the server's ``Retry-After``), or at once when woken
  (:meth:`Sender.wake`: a poll answered, the network came back);
* **401**: the service signs out (the intents stay on disk for that account).

When the outbox is drained it says how many held-back intents went through
(:class:`~.events.SyncedPending`) and asks for one poll, to confirm.
:meth:`Sender.outcome` and :meth:`Sender.wait_until_synced` wait for answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Literal, Protocol

from ..api import errors
from ..core import timer as T
from ..core.timer import ActionKind, Phase
from . import intent_codec as codec, messages as M
from .action_result import ActionResult, Outcome
from .events import DayChanged, IntentRejected, SyncedPending
from .outbox import Outbox
from .outbox_rows import DONE, REJECTED, Intent
from .poller import RETRY_AFTER_CAP, Poller, backoff_delay, wait_event
from .recent_tasks import RecentTasks, RecentTasksHost
from .replay import CheckRefused, Done, Rejected, Replayer, Undecided

log = logging.getLogger(__name__)

KNOWN_IDS_KEPT = 100      # entry ids remembered before a start's first attempt
#: The kinds that change an entry of a day (the entries window reads the day again when one ends).
DAY_KINDS = frozenset({ActionKind.ADD, ActionKind.EDIT, ActionKind.DELETE})


class SenderHost(RecentTasksHost, Protocol):
    """What the :class:`Sender` uses of the timer service that owns it (as :class:`RecentTasksHost`)."""

    @property
    def _poller(self) -> Poller | None: ...

    def _set_state(self, state: T.TimerState) -> None: ...

    def _set_online(self, online: bool) -> None: ...

    def _team_name(self, team_id: Any) -> str: ...


class Sender:
    """See the module docstring. Its flags are read by the service's poll: an answer that
    raced with a write (``sending``, ``write_gen``) says nothing; a poll that answers while
    the sender backs off (``backing_off``) wakes it."""

    def __init__(self, host: SenderHost, outbox: Outbox, recent: RecentTasks, *, clock: Callable[[], float],
                 rng: Callable[[], float], retry_base: float, fresh_seconds: float, undecided_hold: float) -> None:
        self._host = host
        self._outbox = outbox
        self._recent = recent
        self._clock = clock
        self._rng = rng
        self._retry_base = retry_base
        self._fresh_seconds = fresh_seconds
        self._undecided_hold = undecided_hold
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._synced = asyncio.Event()
        self._changed = asyncio.Event()  # the state moved or an intent finished (see :meth:`outcome`)
        self.backing_off = False
        self.sending = False
        self.write_gen = 0
        self._synced_count = 0
        self._backlog = False

    # -- the service's calls ---------------------------------------------------------------

    @property
    def task(self) -> asyncio.Task[None] | None:
        return self._task

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._send_forever())

    def halted(self) -> None:
        """The service cancelled :attr:`task` (and awaited it)."""
        self._task = None
        self.sending = False

    def wake(self) -> None:
        """Send now (new intents, the network is back, a resume)."""
        self._wake.set()

    def recorded(self) -> None:
        """New intents are in the outbox: not synced until they are sent."""
        self._synced.clear()

    def state_changed(self) -> None:
        self._changed.set()

    # -- the loop -------------------------------------------------------------------------

    async def _send_forever(self) -> None:
        """The sender, restarted after an unexpected error (a full disk...), with backoff."""
        failures = 0
        while self._host._active:
            try:
                await self._send_loop()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                self.sending = False
                log.exception("the sender failed; restarting it")
                self._wake.clear()
                await wait_event(self._wake, backoff_delay(failures, None, self._rng, base=self._retry_base))

    async def _send_loop(self) -> None:
        host = self._host
        failures = 0
        processed = 0
        while host._active:
            account, client, user = host._account, host._client, host._user
            if account is None or client is None or user is None:
                return
            intent = self._outbox.head(account)
            if intent is None:
                self._on_drained(processed)
                processed = 0
                self._wake.clear()
                await self._wake.wait()
                continue
            replayer = Replayer(client, self._outbox, user.id, clock=self._clock,
                                fresh_seconds=self._fresh_seconds, undecided_hold=self._undecided_hold)
            self.sending = True
            self.write_gen += 1
            outcome: Done | Rejected | None = None
            failure: errors.ApiError | None = None
            try:
                if codec.makes_entry(intent.kind) and intent.attempts == 0 and "known_ids" not in intent.progress:
                    # What existed before the first attempt is never taken for what it made.
                    known = self._known_ids() if self._recent.entries_fresh else await replayer.known_ids()
                    self._outbox.save_progress(intent.id, {**intent.progress, "known_ids": known})
                intent = self._outbox.mark_sending(intent.id)
                outcome = await replayer.run(intent)
            except errors.AuthError:
                host._on_unauthorized()
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
                self.sending = False
                self.write_gen += 1
            if failure is not None:
                failures += 1
                self._backlog = True
                self._outbox.note_error(intent.id, failure.message)
                if isinstance(failure, errors.TransientError) and not isinstance(failure, (Undecided, CheckRefused)):
                    host._set_online(False)
                retry_after = getattr(failure, "retry_after", None)
                delay = backoff_delay(failures, retry_after, self._rng, base=self._retry_base)
                log.info("intent %s (%s) not sent: %s; retry in %.1f s", intent.id, intent.kind.value, failure, delay)
                self.backing_off = True
                self._wake.clear()
                if retry_after:
                    await asyncio.sleep(min(delay, RETRY_AFTER_CAP))  # the server said when: no early wake
                else:
                    await wait_event(self._wake, delay)
                self.backing_off = False
                continue
            failures = 0
            processed += 1
            if isinstance(outcome, Done):
                self._apply_done(intent, outcome)
            elif isinstance(outcome, Rejected):
                self._apply_rejected(intent, outcome)

    def _known_ids(self) -> list[int]:
        ids = sorted(self._recent.entries, reverse=True)[:KNOWN_IDS_KEPT]
        server_entry = self._host.state.server_entry
        if server_entry is not None and server_entry.id not in ids:
            ids.append(server_entry.id)
        return ids

    # -- what an answer does ----------------------------------------------------------------

    def _apply_done(self, intent: Intent, outcome: Done) -> None:
        host = self._host
        self._changed.set()
        entry = outcome.entry
        self._outbox.mark_done(intent.id, entry.id if entry is not None and codec.makes_entry(intent.kind)
                               else None)
        if self._backlog:
            self._synced_count += 1
        host._set_online(True)
        for e in (outcome.stopped_first, entry):
            if e is not None:
                self._recent.saw(e)
        server_entry = host.state.server_entry
        if outcome.stopped_first is not None and server_entry is not None \
                and server_entry.id == outcome.stopped_first.id:
            host._set_state(T.server_snapshot(host.state, None))
        host._set_state(T.action_confirmed(host.state, intent.id, entry))
        if codec.makes_entry(intent.kind) and entry is not None:
            self._recent.touch(entry.task)
        if intent.kind is ActionKind.STOP:
            self._recent.schedule_refresh()
        if intent.kind is ActionKind.DELETE:
            gone = self._target_id(intent)
            if gone is not None:
                self._recent.gone(gone)  # not in today's total, nor in a day read offline, any more
        if intent.kind in DAY_KINDS:
            self._recent.schedule_refresh()
            host._emit(DayChanged(self._day_of(entry)))

    def _target_id(self, intent: Intent) -> int | None:
        """The server id of the entry ``intent`` changes (None: unknown, or an add never sent)."""
        ref = codec.target(intent.payload)
        if ref is None:
            return None
        if ref.entry_id is not None:
            return ref.entry_id
        return self._outbox.resolve(ref.local_id) if ref.local_id is not None else None

    def _day_of(self, entry: Any) -> Any:
        """The user's calendar day of ``entry``'s start (None when unknown)."""
        from ..core.today import user_timezone

        if entry is None:
            return None
        return entry.started_at.astimezone(user_timezone(self._host._user)).date()

    def _apply_rejected(self, intent: Intent, outcome: Rejected) -> None:
        host = self._host
        self._changed.set()
        if outcome.kind in ("conflict", "not_found"):  # what Sender.outcome reports as its code
            self._outbox.save_progress(intent.id, {**intent.progress, "refusal_code": outcome.kind})
        self._outbox.mark_rejected(intent.id, outcome.message)
        host._set_online(True)
        task = codec.task_of(intent, host._team_name)
        log.info("intent %s (%s) rejected: %s", intent.id, intent.kind.value, outcome.message)
        host._set_state(T.action_dropped(host.state, intent.id, outcome.message))
        # A conflict or a missing entry keeps its intent's kind ("edit", "delete"): the message says which.
        kind = outcome.kind if outcome.kind == "superseded" else intent.kind.value
        host._emit(IntentRejected(outcome.message, kind, task, outcome.status))
        if outcome.kind == "not_found" and intent.kind in (ActionKind.EDIT, ActionKind.DELETE):
            missing = self._target_id(intent)
            if missing is not None:
                self._recent.gone(missing)  # the server says it is gone: not listed offline any more
        if intent.kind in DAY_KINDS:
            host._emit(DayChanged(None))
        if intent.kind is ActionKind.STOP and host._account is not None:
            for dependent in self._outbox.pending(host._account):
                if codec.comes_after(dependent.payload) == intent.id:  # `stop --comment`: refused together
                    message = M.tr(M.STOP_REFUSED_WITH_COMMENT)
                    self._outbox.mark_rejected(dependent.id, message)
                    host._set_state(T.action_dropped(host.state, dependent.id, None))
        if codec.makes_entry(intent.kind) and host._account is not None:
            for dependent in self._outbox.dependents(host._account, intent.id):
                message = M.tr(M.DEPENDENT_DROPPED)
                self._outbox.mark_rejected(dependent.id, message)
                host._set_state(T.action_dropped(host.state, dependent.id, None))
                host._emit(IntentRejected(message, dependent.kind.value, codec.task(dependent.payload)))

    def _on_drained(self, processed: int) -> None:
        host = self._host
        self._synced.set()
        if self._synced_count:
            count, self._synced_count = self._synced_count, 0
            host._emit(SyncedPending(count))
        self._backlog = False
        if processed and host._poller is not None and host._active:
            host._poller.wake()  # one poll right after the actions, to confirm

    # -- waiting for answers ----------------------------------------------------------------

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
                code = intent.progress.get("refusal_code") if intent else None
                return Outcome("refused", result.acted_at, reason=intent.last_error if intent else None,
                               code=code if isinstance(code, str) else None)
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
        host = self._host
        if not host._active or host._client is None or host.state.phase is Phase.SIGNED_OUT:
            return "sign_in"
        if host.state.offline:
            return "network"
        return None

    async def wait_until_synced(self, timeout: float | None = None) -> bool:
        """Wait until the outbox of the account is empty. False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            account = self._host._account
            if account is None or (self._outbox.count(account) == 0 and not self.sending):
                return True
            self._synced.clear()
            if self._outbox.count(account) == 0 and not self.sending:
                return True
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            if not await wait_event(self._synced, remaining):
                return False
