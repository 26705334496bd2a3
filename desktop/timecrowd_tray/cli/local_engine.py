"""The shell without the app: the app's own timer service, run once in this process.

As maestral's proxy falls back to running its daemon in-process, a timer command
(``toggle``, ``start``, ``stop``) that finds no running app:

1. takes the single-instance lock, so no app starts on the same outbox meanwhile
   and no two engines send the same intent (an app that holds the lock but does
   not answer is reported, never raced);
2. restores the sign-in from the keyring (each keyring call bounded) and signs
   the timer service in, offline from the cache when the server cannot be reached;
3. carries the command out through :mod:`timecrowd_tray.services.commands`, the
   same code the app answers its socket with: the outbox, the time the command
   was typed, the idempotent replay, the same words for the answer;
4. waits a bounded time for the server's word and closes. What was not sent yet
   stays in the outbox, stamped with the time it was typed: the next app start
   (or shell command) sends it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..api import errors
from .i18n import api_detail, install_service_translator, tr

log = logging.getLogger(__name__)

#: How long the sign-in may take before the command goes on with what the service knows.
SIGN_IN_BOUND = 10.0
#: How long the command waits for the outbox to empty (what earlier commands queued) before closing.
SYNC_BOUND = 5.0
#: How long the sender may finish what it has in flight when the command closes.
CLOSE_BOUND = 3.0


async def run_command(session: Any, request: dict[str, Any], *, data_dir: Any = None,
                      sign_in_bound: float = SIGN_IN_BOUND) -> dict[str, Any]:
    """The answer to ``request`` (the socket's answer format), carried out in this process."""
    from ..platform.instance.lock import try_lock
    from ..services.commands import Commands, ServiceFront
    from ..services.timer_service import TimerService

    install_service_translator()  # the service's own refusals, in the user's language
    lock = try_lock()
    if lock is None:
        return {"ok": False, "outcome": "refused", "code": "failed",
                "error": tr("TimeCrowd Tray is running but does not answer on its control socket; nothing was "
                            "done (quit it or kill it, then try again)")}
    service = TimerService(data_dir, poll_interval=3600.0)
    try:
        problem = service.storage_problem
        if problem is not None and problem.outbox_unwritable is not None:
            # The app would keep such actions in memory while it runs; a command ends at once.
            return {"ok": False, "outcome": "refused", "code": "failed",
                    "error": tr("TimeCrowd Tray is not running and {path} cannot be written ({reason}), so this "
                                "command could not be kept until TimeCrowd has it; nothing was done",
                                path=problem.outbox_unwritable.path, reason=problem.outbox_unwritable.reason)}
        service.begin_restore(session.api_base)
        client = await session.restore()
        if client is None:
            return {"ok": False, "outcome": "refused", "code": "signed_out",
                    "error": tr("TimeCrowd Tray is not running and you are not signed in to {api_base} "
                                "(run: timecrowd-tray login --with-token)", api_base=session.api_base)}
        refusal = await _sign_in(service, client, session.api_base, sign_in_bound)
        if refusal is not None:
            return refusal
        answer = await Commands(service, ServiceFront(service), source="api").handle(request) or {
            "ok": False, "outcome": "refused", "code": "bad_request",
            "error": tr("unknown command {command}", command=repr(request))}
        if not service.state.offline:
            # What earlier commands left queued goes now too (bounded: the rest waits on disk).
            await service.wait_until_synced(SYNC_BOUND)
        return answer
    finally:
        try:
            await asyncio.wait_for(service.aclose(), CLOSE_BOUND)
        except (TimeoutError, Exception):  # noqa: BLE001 - what is unsent stays on disk anyway
            log.warning("the timer service did not close in time", exc_info=True)
        lock.release()


async def _sign_in(service: Any, client: Any, api_base: str, bound: float) -> dict[str, Any] | None:
    """Sign the service in; a refusal answer when that is impossible, None when it can act."""
    task = asyncio.ensure_future(service.sign_in(client))
    try:
        await asyncio.wait_for(asyncio.shield(task), bound)
    except TimeoutError:
        # The server is slow: what the service knows (the cache, the outbox) is enough to act on,
        # once it knows the account; the first poll goes on meanwhile.
        if service.user is None:
            task.cancel()
            return {"ok": False, "outcome": "refused", "code": "unreachable",
                    "error": tr("{api_base} did not answer within {seconds} s and this computer has not been "
                                "signed in to it before; nothing was done", api_base=api_base, seconds=f"{bound:g}")}
    except errors.AuthError as exc:
        return {"ok": False, "outcome": "refused", "code": "signed_out",
                "error": tr("the server rejected the sign-in stored for {api_base} ({reason}); sign in again "
                            "(timecrowd-tray login --with-token)", api_base=api_base, reason=api_detail(exc))}
    except errors.ApiError as exc:
        return {"ok": False, "outcome": "refused", "code": "unreachable",
                "error": tr("cannot reach {api_base} ({reason}) and this computer has not been signed in to it "
                            "before; nothing was done", api_base=api_base, reason=api_detail(exc))}
    return None
