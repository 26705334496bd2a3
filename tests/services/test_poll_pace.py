"""The poll's pace while a timer runs: the tray polls on the minute tick, the poller itself every 90 s (issue #16)."""

from __future__ import annotations

import pytest

from timecrowd_tray.services.poller import RUNNING_POLL_S, Poller, PollResult

from services.timer_harness import emulator_task, run, service_harness
from support.clock import FakeClock


class Answers:
    def __init__(self, *results: PollResult) -> None:
        self.results = list(results)

    async def __call__(self) -> PollResult:
        return self.results.pop(0)


def test_an_answer_asking_for_a_slower_pace_spaces_the_next_poll():
    async def main():
        mono = FakeClock(100.0)
        poller = Poller(Answers(PollResult(True, min_interval=60), PollResult(True)), rng=lambda: 0.5,
                        mono=mono, interval=30)
        await poller.poll_now()
        assert poller.pace == 60 and poller.next_due == 160
        await poller.poll_now()  # an answer that asks nothing: the interval again
        assert poller.pace == 30 and poller.next_due == 130

    run(main)


def test_the_interval_set_while_running_keeps_the_slower_pace():
    async def main():
        mono = FakeClock(100.0)
        poller = Poller(Answers(PollResult(True, min_interval=60)), rng=lambda: 0.5, mono=mono, interval=30)
        await poller.poll_now()
        poller.set_interval(20)
        assert poller.next_due == 160
        poller.set_interval(120)  # slower than the running pace: the setting wins
        assert poller.pace == 120 and poller.next_due == 220

    run(main)


@pytest.mark.parametrize("running", [True, False])
def test_the_service_polls_once_a_minute_while_a_timer_runs(tmp_path, running):
    async def main():
        async with service_harness(tmp_path, poll_interval=30.0) as h:
            if running:
                task = emulator_task(h.state, "Code review")
                h.state.start_task(h.me, task.team_id, task.id)  # on the web
            await h.svc.refresh()
            assert h.svc.state.is_running is running
            assert h.svc._poller.pace == (RUNNING_POLL_S if running else 30.0)

    run(main)
