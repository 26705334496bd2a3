"""UI tests: offscreen Qt, one qasync loop for the session, the real tray against the emulator.

* ``aloop``: the session's single ``qasync.QEventLoop(qapp, already_running=True)``
  made the running asyncio loop for the test, and the previous one put back
  afterwards (so tests elsewhere can still use ``asyncio.run``). The loop is
  never stopped (that would quit the QApplication); the tasks a test leaves
  behind are cancelled instead.
* ``settings_store``: a :class:`SettingsStore` on a private INI file.
* ``app_under_test``: the real :class:`TrayController` and :class:`TimerService`,
  signed in to the in-process emulator (seeded demo data) through the real API
  client, with one fake clock shared by the emulator, the service and the tray.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio  # noqa: E402
import concurrent.futures  # noqa: E402
from collections.abc import Awaitable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from timecrowd_tray.platform.settings_store import SettingsStore  # noqa: E402
from timecrowd_tray.ui.qt_compat import guard_none_refcount  # noqa: E402

from support.clock import FakeClock  # noqa: E402

# PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call; without this the
# test process aborts ("none_dealloc") after enough Qt calls. Loaded at collection: guards every test.
guard_none_refcount()

# Tuesday 2025-10-21 14:00:00 JST, as in the service and emulator tests.
FIXED_NOW = 1761022800.0


@pytest.fixture(scope="session")
def _session_loop(qapp):
    import qasync

    previous = asyncio._get_running_loop()
    loop = qasync.QEventLoop(qapp, already_running=True)  # sets itself as the running loop
    asyncio._set_running_loop(previous)
    # As the app does (app.run_app): two plain worker threads rather than qasync's ten QThreads,
    # which Qt would find still running at exit.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="worker")
    loop.set_default_executor(executor)
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture
def aloop(_session_loop, qapp):
    """The session loop, running for this test; the test's leftover tasks are cancelled after it."""
    previous_running = asyncio._get_running_loop()
    try:
        previous = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        previous = None
    asyncio._set_running_loop(_session_loop)
    asyncio.set_event_loop(_session_loop)
    before = set(asyncio.all_tasks(_session_loop))
    yield _session_loop
    leftover = [t for t in asyncio.all_tasks(_session_loop) if t not in before and not t.done()]
    for task in leftover:
        task.cancel()
    for _ in range(20):  # let the cancellations run (no sleeping: just the queued callbacks)
        if all(t.done() for t in leftover):
            break
        qapp.processEvents()
    asyncio._set_running_loop(previous_running)
    asyncio.set_event_loop(previous)


def run_async(qtbot, awaitable: Awaitable[Any], timeout: int = 10_000) -> Any:
    """Run ``awaitable`` on the qasync loop while Qt processes events; its result."""
    task = asyncio.ensure_future(awaitable)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def ime_commit(widget, text: str) -> None:
    """Type ``text`` the way an input method (Japanese IME) delivers it: one committed string.

    QTest's key clicks only know Latin-1 keys; Japanese arrives through the input method.
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def flush_deletes() -> None:
    """Delete the objects ``deleteLater`` queued, now (not at interpreter exit, where order is random)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    qs = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return SettingsStore(qs)


@dataclass
class AppUnderTest:
    emulator: Any            # EmulatorState
    service: Any             # TimerService
    tray: Any                # TrayController
    client: Any              # TimeCrowdClient
    clock: FakeClock
    settings: SettingsStore
    opened_urls: list[str] = field(default_factory=list)

    @property
    def me(self) -> int:
        return self.emulator.me_id

    def running(self) -> dict | None:
        return self.emulator.running_entry(self.me)

    def latest_entry(self) -> dict:
        return self.emulator.entries_of(self.me)[0]

    def task_record(self, task_id: int) -> dict:
        with self.emulator.lock:
            return dict(self.emulator.tasks[task_id])


@pytest.fixture
def app_under_test(qtbot, aloop, tmp_path, settings_store, monkeypatch):
    import httpx

    from timecrowd_tray.api.client import TimeCrowdClient
    from timecrowd_tray.core.timer import Phase
    from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorState, create_app
    from timecrowd_tray.services.timer_service import TimerService
    from timecrowd_tray.ui.tray import TrayController

    monkeypatch.setenv("TIMECROWD_TRAY_PANEL", "dark")
    clock = FakeClock(FIXED_NOW)
    emulator = EmulatorState.seeded(clock=clock)
    client = TimeCrowdClient("http://127.0.0.1:1", DEMO_TOKEN,
                             transport=httpx.ASGITransport(app=create_app(emulator)))
    service = TimerService(tmp_path / "data", clock=clock, poll_interval=3600.0, retry_base=0.05,
                           resume_check_interval=3600.0)
    opened: list[str] = []
    tray = TrayController(settings_store, clock=clock, open_url=opened.append, announce_no_tray=False)
    tray.show()
    tray.attach(service)
    run_async(qtbot, service.sign_in(client))
    qtbot.waitUntil(lambda: service.state.phase in (Phase.IDLE, Phase.RUNNING), timeout=10_000)
    qtbot.waitUntil(lambda: bool(service.recent_tasks), timeout=10_000)
    app = AppUnderTest(emulator, service, tray, client, clock, settings_store, opened)
    yield app
    tray.shutdown()
    run_async(qtbot, service.aclose())
    run_async(qtbot, client.aclose())
    tray.deleteLater()
    flush_deletes()
