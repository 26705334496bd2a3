"""The user's actions: each one refused at once with a reason, or recorded in the outbox and shown.

An action (a click, a shortcut, a shell command) never waits for the network.
It is refused before anything is written (not signed in, no task, an empty or
too long text, a disk that refuses the write: :class:`~.events.ActionFailed`
tells the UI, the :class:`~.action_result.ActionResult` the caller), or is a
no-op (stopping when nothing runs, starting what runs already), or is recorded:
its intents written in one transaction, stamped with the time of the action
(:mod:`.intent_codec` builds them), shown at once in the state, and the sender
woken.

A start or a create while something runs records a stop of it first, at the
same time. Comments are trimmed and at most :data:`COMMENT_MAX_CHARS` long.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from ..core import timer as T
from ..core.models import Task
from ..core.timer import EntryRef, PendingAction, Phase, TimerState
from . import intent_codec as codec, messages as M
from .action_result import ActionResult, RefusalCode, StoppedEntry
from .events import ActionFailed, ServiceEvent
from .intent_codec import NewIntent
from .outbox import Outbox
from .outbox_rows import Intent
from .recent_tasks import RecentTasks
from .sender import Sender

log = logging.getLogger(__name__)

#: The longest comment, in Python ``str`` characters (code points: an emoji or a kanji is one).
COMMENT_MAX_CHARS = 1000


class CommentTooLong(ValueError):
    """The comment is over :data:`COMMENT_MAX_CHARS`; ``str()`` is a message for the user."""

    def __init__(self, message: str, *, limit: int, length: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.length = length


class ActionsHost(Protocol):
    """What :class:`Actions` uses of the timer service that owns it (its own members, read at each use)."""

    @property
    def state(self) -> TimerState: ...

    @property
    def _account(self) -> str | None: ...

    def _set_state(self, state: TimerState) -> None: ...

    def _emit(self, event: ServiceEvent) -> None: ...

    def _pending_action(self, intent: Intent) -> PendingAction: ...


class Actions:
    """See the module docstring; :class:`~.timer_service.TimerService` hands its ``request_*`` calls here."""

    def __init__(self, host: ActionsHost, outbox: Outbox, sender: Sender, recent: RecentTasks, *,
                 clock: Callable[[], float]) -> None:
        self._host = host
        self._outbox = outbox
        self._sender = sender
        self._recent = recent
        self._clock = clock

    # -- the actions ------------------------------------------------------------------------

    def start(self, task: Task, *, at: float | None = None) -> ActionResult:
        """Start ``task`` (stopping what runs first). A no-op when it runs already.

        ``at``: a backdated start (checked by :mod:`.entry_actions`): the intents carry that
        time, so what runs is stopped then and the replay moves the server's start to it."""
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        if task.team_id is None:
            return self._refuse(M.tr(M.TASK_HAS_NO_TEAM), "no_team")
        state = self._host.state
        if state.is_running and state.task is not None and state.task.id == task.id:
            return ActionResult()  # already running: a double press must not split the entry
        intents, stopped = self._switch(lambda now: codec.start(task, now), at)
        result = self._recorded(intents, stopped=stopped, started=task)
        if result.recorded:
            self._recent.touch(task)
        return result

    def stop(self, at: float | None = None) -> ActionResult:
        """Stop what runs (or starts). A no-op when nothing runs.

        ``at``: the time it ends (unix seconds, not after now), when not now: the time the user
        left (:mod:`.idle_watch`); the stop is stamped with it and replay moves the server's
        ``stopped_at`` to it, as for any stop made offline."""
        if self._host.state.phase is Phase.SIGNED_OUT:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        now = self._clock()
        stop = self._stop_intent(now if at is None else min(at, now))
        if stop is None:
            return ActionResult()
        return self._recorded([stop[0]], stopped=stop[1])

    def toggle(self) -> ActionResult:
        """Running: stop. Otherwise start the most recent task.

        Also while loading (signed in, the server not heard yet: offline at start-up):
        nothing is shown running then (a running entry of the last answer would be), so
        the toggle starts, stamped with the time of the click, like any offline action;
        when it is sent, whatever the server had running since before the click is ended
        at the click (see :mod:`.replay`).
        """
        phase = self._host.state.phase
        if phase in (Phase.RUNNING, Phase.STARTING):
            return self.stop()
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        recent = self._recent.menu
        if not recent:
            return self._refuse(M.tr(M.NO_RECENT_TASK), "no_task")
        return self.start(recent[0])

    def comment(self, ref: EntryRef | int, text: str, *, after: int | None = None) -> ActionResult:
        """Comment an entry (``ref`` from :class:`StoppedEntry` or ``state.ref``; an int is an entry id).

        ``after``: the outbox row of the stop it comes with: refused with that stop."""
        if isinstance(ref, int):
            ref = EntryRef(ref)
        content = (text or "").strip()
        if not content:
            return ActionResult.refuse(M.tr(M.EMPTY_COMMENT), "empty")
        if len(content) > COMMENT_MAX_CHARS:
            return ActionResult.refuse(M.tr(M.COMMENT_TOO_LONG, limit=COMMENT_MAX_CHARS, length=len(content)),
                                       "too_long")
        if self._host._account is None:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        return self._recorded([codec.comment(ref, content, self._clock(), after=after)])

    def create_task(self, title: str, team_id: int, category_id: int | None = None) -> ActionResult:
        """Create a task titled ``title`` and start it (stopping what runs first)."""
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        clean = (title or "").strip()
        if not clean:
            return self._refuse(M.tr(M.EMPTY_TITLE), "empty")
        intents, stopped = self._switch(lambda now: codec.create(clean, team_id, category_id, now))
        return self._recorded(intents, stopped=stopped)

    # -- refusing and recording ---------------------------------------------------------------

    def _refuse(self, message: str, code: RefusalCode) -> ActionResult:
        """Nothing recorded: the UI hears why (an event), the caller gets it back."""
        self._host._emit(ActionFailed(message))
        return ActionResult.refuse(message, code)

    def _refusal(self) -> ActionResult | None:
        if self._host._account is None or self._host.state.phase is Phase.SIGNED_OUT:
            return self._refuse(M.tr(M.NOT_SIGNED_IN), "signed_out")
        return None

    def _record(self, intents: list[NewIntent]) -> list[int] | None:
        """Write the intents (one transaction), show them, wake the sender. None if the disk refused."""
        host = self._host
        assert host._account is not None
        try:
            ids = self._outbox.add_many(host._account, intents)
        except sqlite3.Error as exc:
            log.error("could not record %s: %s", [kind.value for kind, _, _ in intents], exc)
            return None
        self._sender.recorded()
        for intent_id in ids:
            intent = self._outbox.get(intent_id)
            if intent is not None:
                host._set_state(T.action_requested(host.state, host._pending_action(intent)))
        self._sender.wake()
        return ids

    def _recorded(self, intents: list[NewIntent], *, stopped: StoppedEntry | None = None,
                  started: Task | None = None) -> ActionResult:
        ids = self._record(intents)
        if ids is None:
            return self._refuse(M.tr(M.STORAGE_FAILED), "storage")
        return ActionResult(tuple(ids), intents[-1][2], stopped=stopped, started=started)

    def _stop_intent(self, now: float) -> tuple[NewIntent, StoppedEntry] | None:
        """The stop of what is shown running (or starting), made at ``now``; None when nothing is."""
        st = self._host.state
        ref = st.ref
        if not st.is_running or ref is None or st.task is None:
            return None
        stopped_at = datetime.fromtimestamp(now, tz=UTC)
        duration = max(0.0, (stopped_at - st.started_at).total_seconds()) if st.started_at else 0.0
        return (codec.stop(ref, st.task, st.started_at, now),
                StoppedEntry(ref, st.task, st.started_at, stopped_at, duration))

    def _switch(self, start: Callable[[float], NewIntent],
                at: float | None = None) -> tuple[list[NewIntent], StoppedEntry | None]:
        """The intents of a start (or a create) made now (or ``at``): a stop of what runs first, if anything does."""
        now = self._clock() if at is None else at
        stop = self._stop_intent(now)
        if stop is None:
            return [start(now)], None
        return [stop[0], start(now)], stop[1]
