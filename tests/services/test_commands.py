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


def test_a_refused_stop_with_a_comment_adds_no_comment(tmp_path):
    """Found by the fault soak: `stop --comment` answered "refused" (nothing done) when the server
    refused the stop, yet the comment then landed on the entry, which kept running."""
    from timecrowd_tray.services.commands import ServiceFront

    from services.timer_harness import comments_on, emulator_task, run, service_harness

    async def main():
        async with service_harness(tmp_path) as h:
            h.svc.request_start(emulator_task(h.state, "1on1"))
            await h.synced()
            entry_id = h.state.running_entry(h.me)["id"]
            h.state.faults.fail_next(422)  # the stop itself is refused
            answer = await Commands(h.svc, ServiceFront(h.svc)).handle({"cmd": "stop", "comment": "議事録"})
            await h.synced()
            assert answer["outcome"] == "refused"
            assert h.state.running_entry(h.me)["id"] == entry_id  # still running: nothing was done
            assert comments_on(h.state, entry_id) == []

    run(main)
