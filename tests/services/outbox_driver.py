"""A tiny program around TimerService, for the kill -9 test (test_outbox_kill.py).

    python outbox_driver.py BASE_URL TOKEN            # record mode
    python outbox_driver.py BASE_URL TOKEN --replay   # restart mode

Both sign in (files under $XDG_DATA_HOME / $XDG_CACHE_HOME, like the app) and
print ``READY <pending>`` (the sender starts during sign-in, so on restart this
may already be fewer than the outbox held). Record mode then reads one JSON line
on stdin, a list of actions each with the click time ``at`` (unix seconds)::

    {"op": "stop", "at": ...}
    {"op": "start", "task": {...task JSON...}, "at": ...}
    {"op": "comment", "on": "current" | "stopped", "text": "...", "at": ...}

records them all at once (the service's clock reads ``at`` for each), prints
``RECORDED <pending>`` and keeps sending until it is killed. Restart mode
waits until the outbox is empty and prints ``SYNCED``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from timecrowd_tray.api.client import TimeCrowdClient
from timecrowd_tray.services.task_cache import task_from_json
from timecrowd_tray.services.timer_service import TimerService


class ScriptClock:
    """The click times of the script while recording, the real time otherwise."""

    def __init__(self) -> None:
        self.fixed: float | None = None

    def __call__(self) -> float:
        return self.fixed if self.fixed is not None else time.time()


def say(*words: object) -> None:
    print(*words, flush=True)


async def main(base_url: str, token: str, replay: bool) -> int:
    clock = ScriptClock()
    svc = TimerService(clock=clock, retry_base=0.05)
    client = TimeCrowdClient(base_url, token)
    await svc.sign_in(client)
    say("READY", svc.pending_count)
    if replay:
        ok = await svc.wait_until_synced(20)
        say("SYNCED" if ok else "NOT-SYNCED", svc.pending_count)
        await svc.aclose()
        await client.aclose()
        return 0 if ok else 1
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    stopped = None
    for action in json.loads(line):
        clock.fixed = float(action["at"])
        if action["op"] == "stop":
            stopped = svc.stop() or stopped
        elif action["op"] == "start":
            stopped = svc.start(task_from_json(action["task"])) or stopped
        elif action["op"] == "comment":
            ref = svc.state.ref if action.get("on") == "current" else stopped.ref
            svc.comment(ref, action["text"])
    clock.fixed = None
    say("RECORDED", svc.pending_count)
    await asyncio.Event().wait()  # keep sending until killed
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(asyncio.run(main(args[0], args[1], "--replay" in args)))
