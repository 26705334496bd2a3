"""The shell's ``idle`` command and the ``idle`` field of ``status``, answered for :mod:`.commands`.

The watcher is the front's ``idle_watch`` (the tray's, set by the app), read at
each use: the shell without the app (``cli.local_engine``) has none, and says so.

    {"cmd": "idle", "answer": "keep"|"discard"|"continue"}
    -> {"ok": true, "outcome": "done"|"queued", "action": "kept"|"discarded"|"continued", "at": "...", ...}

Times (``at``, ``status``'s ``idle.since``) are ISO 8601 in the account's zone
(``core.today.user_timezone``), with its offset, like every time the shell is told.
    -> {"ok": false, "outcome": "refused", "code": "no_idle"|"changed"|..., "error": "..."}
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.idle import Choice

if TYPE_CHECKING:
    from .commands import Commands
    from .idle_watch import IdleWatch

ANSWERS = {"keep": Choice.KEEP, "discard": Choice.DISCARD, "continue": Choice.CONTINUE}
# "trimmed": the entry stopped here meanwhile ends when they left, as a discard would have ended it
_ACTIONS = {"kept": "kept", "stopped": "discarded", "continued": "continued", "trimmed": "discarded"}
_REFUSALS = {
    "changed": "the running entry changed since you left (on the web or another computer): nothing was done",
    "stopped_elsewhere": "the timer was stopped since you left (on the web or another computer): nothing was done",
    "stopped_here": "you stopped the timer after you left: nothing runs to continue; answer keep or discard",
    "none": "no away time is waiting for an answer",
    "refused": "the timer could not be stopped",
}


def watcher(commands: Commands) -> IdleWatch | None:
    return getattr(commands.front, "idle_watch", None)


def status_fields(commands: Commands) -> tuple[datetime, dict[str, Any] | None]:
    """The moment ``status`` shows the timer at (when the user left, while a prompt waits) and its ``idle`` field."""
    now = datetime.now(UTC)
    watch = watcher(commands)
    if watch is None or watch.pending is None:
        return now, None
    return datetime.fromtimestamp(watch.shown_time(now.timestamp()), UTC), watch.status()


async def handle(commands: Commands, request: dict[str, Any]) -> dict[str, Any]:
    watch = watcher(commands)
    answer = str(request.get("answer") or "")
    if answer not in ANSWERS:
        return commands.refused(f"expected keep, discard or continue, not {answer!r}", "bad_request")
    if watch is None or watch.pending is None:
        return commands.refused(_REFUSALS["none"], "no_idle")
    result = watch.answer(ANSWERS[answer])
    if result.refused:
        return commands.refused(_REFUSALS.get(result.code, result.code), result.code)
    action = _ACTIONS[result.code]
    if result.result is None:
        return {"ok": True, "outcome": "done", "action": action, "status": commands.status()}
    combined = result.result
    if result.start is not None and result.start.recorded:
        from dataclasses import replace

        combined = replace(combined, intents=combined.intents + result.start.intents)
    doc = await commands.answer(combined, action)
    if result.at is not None:
        doc["at"] = watch.iso(result.at)  # in the account's zone, as every time the shell is told
    return doc
