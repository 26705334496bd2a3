"""The timer service's actions: start, stop, toggle, comment, create a task; what became of them.

A mixin of :class:`~.timer_service.TimerService`, so the facade stays one class
without growing. The calls are synchronous: they never wait for the network.
Each hands over to :mod:`.actions` (or :mod:`.entry_actions` for a backdated
start); the server's word on them comes through :mod:`.sender`.
"""

from __future__ import annotations

from datetime import datetime

from ..core.models import Task
from ..core.timer import EntryRef
from .action_result import ActionResult, Outcome, StoppedEntry
from .actions import COMMENT_MAX_CHARS, Actions, CommentTooLong
from .entry_actions import EntryActions
from .sender import Sender


class ActionFacade:
    _actions: Actions
    _entry_actions: EntryActions
    _sender: Sender

    COMMENT_MAX_CHARS = COMMENT_MAX_CHARS

    def request_start(self, task: Task, *, at: datetime | None = None, allow_overlap: bool = False) -> ActionResult:
        """Start ``task`` (stopping what runs first). A no-op when it runs already. ``at``: backdated."""
        if at is not None:
            return self._entry_actions.start_at(task, at, allow_overlap=allow_overlap)
        return self._actions.start(task)

    def request_stop(self) -> ActionResult:
        """Stop what runs (or starts). A no-op when nothing runs."""
        return self._actions.stop()

    def request_stop_at(self, at: float) -> ActionResult:
        """Stop what runs as of ``at`` (unix seconds, before now): the time away left out (:mod:`.idle_watch`)."""
        return self._actions.stop(at=at)

    def request_toggle(self) -> ActionResult:
        """Running: stop. Otherwise start the most recent task (also while loading: see
        :meth:`.actions.Actions.toggle`)."""
        return self._actions.toggle()

    def request_comment(self, ref: EntryRef | int, text: str, *, after: int | None = None) -> ActionResult:
        """Comment an entry (``ref`` from :class:`StoppedEntry` or ``state.ref``; an int is an entry id);
        ``after``: the stop it comes with (refused with it)."""
        return self._actions.comment(ref, text, after=after)

    def request_create_task(self, title: str, team_id: int, category_id: int | None = None) -> ActionResult:
        """Create a task titled ``title`` and start it (stopping what runs first)."""
        return self._actions.create_task(title, team_id, category_id)

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
        """Wait (at most ``timeout`` seconds) for the server's word on ``result``'s intents
        (see :meth:`.sender.Sender.outcome`)."""
        return await self._sender.outcome(result, timeout)

    async def wait_until_synced(self, timeout: float | None = None) -> bool:
        """Wait until the outbox of this account is empty. False on timeout."""
        return await self._sender.wait_until_synced(timeout)
