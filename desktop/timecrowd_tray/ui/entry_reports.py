"""What became of a change asked from the entries window, said in its notice bar as it is.

:meth:`EntryReports.send` asks the service (``request(allow_overlap)`` returns an
:class:`~timecrowd_tray.services.action_result.ActionResult`) and says

* refused before anything was written: the refusal's words; an ``overlap`` refusal (the
  service saw an overlap the window did not) offers "Save anyway", which asks again;
* recorded: "Sending…", then what the service's :meth:`outcome` says: done (the window's
  text for it), kept to be sent later (why it waits), or refused by the server (its words
  verbatim, Japanese included); the day is then loaded again, so the window shows the entry
  as the server has it.

:meth:`EntryReports.delete_later` is the delete with undo: the notice "Deleted … [Undo]"
for a few seconds; only when it runs out (or is dismissed, or replaced by another notice, or
the window closes: :meth:`flush`) is the delete asked of the service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from .notice_bar import NoticeBar

log = logging.getLogger(__name__)

OUTCOME_TIMEOUT = 10.0  # seconds the window waits for the server's word before saying "not sent yet"
DONE_SHOWN_MS = 5000

Request = Callable[[bool], Any]  # allow_overlap -> ActionResult


class EntryReports(QObject):
    def __init__(self, model: Any, notice: NoticeBar, *, reload: Callable[[], None],
                 show_change: Callable[[Any, Any], None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.notice = notice
        self.reload = reload
        #: show_change(entry, shown): the row shows ``shown`` until the day is loaded again.
        self.show_change = show_change
        self._following: set[asyncio.Task[None]] = set()
        self.outcomes: list[Any] = []  # what each followed change became (the tests read it)

    def send(self, request: Request, done_text: str, *, entry: Any = None, shown: Any = None,
             allow_overlap: bool = False) -> str | None:
        """Ask ``request``; None when recorded, else the refusal said (see the module docstring)."""
        result = request(allow_overlap)
        if result.refused:
            if result.code == "overlap" and not allow_overlap:
                self.notice.show_notice(result.refusal, "warning", action=self.tr("Save anyway"),
                                        on_action=lambda: self.send(request, done_text, entry=entry, shown=shown,
                                                                    allow_overlap=True))
            else:
                self.notice.show_notice(result.refusal, "error")
            return str(result.refusal)
        if not result.recorded:  # a no-op: nothing to say
            return None
        if entry is not None and shown is not None and self.show_change is not None:
            self.show_change(entry, shown)
        self.notice.show_notice(self.tr("Sending…"), "info")
        task = asyncio.ensure_future(self._follow(result, done_text))
        self._following.add(task)
        task.add_done_callback(self._following.discard)
        return None

    async def _follow(self, result: Any, done_text: str) -> None:
        try:
            outcome = await self.model.outcome(result, OUTCOME_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the outbox keeps it; say we do not know
            log.warning("the outcome of an entry change: %s", exc)
            return
        self.outcomes.append(outcome)
        if outcome.kind == "done":
            self.notice.show_notice(done_text, "info", timeout_ms=DONE_SHOWN_MS)
        elif outcome.kind == "queued":
            self.notice.show_notice(self.queued_text(outcome.waiting_for), "info")
        else:
            self.refused(outcome.reason)
        self.reload()

    def refused(self, reason: str | None) -> None:
        """Say the server's refusal of a change (its words verbatim)."""
        self.notice.show_notice(self.tr("TimeCrowd refused this change: %1")
                                .replace("%1", reason or self.tr("no reason given")), "error")

    def queued_text(self, waiting_for: str | None) -> str:
        if waiting_for == "network":
            why = self.tr("TimeCrowd can't be reached")
        elif waiting_for == "sign_in":
            why = self.tr("waiting for you to sign in")
        else:
            why = self.tr("TimeCrowd has not confirmed it yet")
        return self.tr("Not sent yet (%1): kept here and sent as you made it, once it can be.").replace("%1", why)

    def delete_later(self, entry: Any, *, on_undo: Callable[[], None], timeout_ms: int) -> None:
        """Say "Deleted … [Undo]"; the delete is asked only when the notice goes without an undo."""
        def commit() -> None:
            self.send(lambda _allow: self.model.request_delete(entry), self.tr("Entry deleted."))

        self.notice.show_notice(self.tr("Deleted “%1”.").replace("%1", entry.task.title), "info",
                                action=self.tr("Undo"), on_action=on_undo, timeout_ms=timeout_ms,
                                on_timeout=commit)

    def flush(self) -> None:
        """A delete waiting for its undo is asked now."""
        self.notice.flush()

    def cancel(self) -> None:
        for task in list(self._following):
            task.cancel()
