"""services/commands.py: a command's answer always comes within the shell's wait."""

from __future__ import annotations

import asyncio

from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services.commands import Commands


class _State:
    phase = Phase.IDLE
    offline = False
    task = None
    started_at = None
    pending_count = 0
    user = None


class _StalledService:
    """A service whose server never answers a task look-up."""

    state = _State()
    cached_tasks: list = []
    recent_tasks: list = []

    async def find_task(self, task_id):
        await asyncio.Event().wait()  # the server sits on it

    def add_listener(self, callback):
        return lambda: None


class _Front:
    def __init__(self):
        self.started = []

    def toggle(self):
        raise AssertionError("not asked")

    def start_task(self, task):
        self.started.append(task)


def test_a_task_look_up_the_server_sits_on_is_refused_in_time_and_nothing_starts():
    """Before: the look-up could outlast the shell's 20 s wait, and a start recorded after the shell
    had said "no answer" would have been one it reported as failed."""
    front = _Front()
    commands = Commands(_StalledService(), front, resolve_timeout=0.05)
    answer = asyncio.run(asyncio.wait_for(commands.handle({"cmd": "start", "task_id": 7}), 5))
    assert answer["outcome"] == "refused" and answer["code"] == "unreachable"
    assert "nothing was started" in answer["error"]
    assert front.started == []
