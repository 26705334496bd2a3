"""While a timer runs, the poll rides on the icon's minute tick: one wake-up for both (issue #16)."""

from __future__ import annotations

from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services.poller import RUNNING_POLL_S
from timecrowd_tray.ui.tray import MINUTE_POLL_AGE_S


def test_the_minute_tick_polls_unless_the_server_answered_lately(qtbot, app_under_test):
    app = app_under_test
    service, tray = app.service, app.tray
    task = service.recent_tasks[0]
    service.request_start(task)
    qtbot.waitUntil(lambda: service.state.phase is Phase.RUNNING and not service.pending_count, timeout=5000)
    qtbot.waitUntil(lambda: not service._poller.in_flight, timeout=5000)
    assert service._poller.pace >= RUNNING_POLL_S  # the poller's own schedule: the tick comes first
    polls = service.poll_count
    tray.view._on_minute()  # the server answered a moment ago: the tick only repaints
    assert not service._poller.in_flight and service.poll_count == polls
    service._poller.last_success -= MINUTE_POLL_AGE_S + 1  # the last answer is older than the tick's limit
    tray.view._on_minute()
    qtbot.waitUntil(lambda: service.poll_count == polls + 1, timeout=5000)
