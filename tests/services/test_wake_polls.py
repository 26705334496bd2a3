"""A wake from sleep told by the platform (logind) polls at once: the poller has no resume tick of its own."""

from __future__ import annotations

import asyncio

from timecrowd_tray.platform.idle.base import PresenceEvent, PresenceKind

from services.idle_harness import watching
from services.timer_harness import run, service_harness


def test_a_wake_from_logind_polls_the_server_now(tmp_path):
    async def main():
        async with service_harness(tmp_path, poll_interval=3600.0, resume_check_interval=3600.0) as h:
            await h.svc.refresh()
            watch, _ = await watching(h, interval=3600)
            polls = h.svc.poll_count
            watch._on_presence(PresenceEvent(PresenceKind.SLEEP, h.clock()))
            h.clock.advance(8 * 3600)
            watch._on_presence(PresenceEvent(PresenceKind.WAKE, h.clock()))
            async with asyncio.timeout(5):
                while h.svc.poll_count == polls:
                    await asyncio.sleep(0.01)  # a condition polled, bounded by the timeout
            await watch.aclose()

    run(main)
