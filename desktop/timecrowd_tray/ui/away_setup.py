"""The away-time feature composed around the tray (issue #15): watcher, reminders, prompt, quit question.

The app builds one :class:`AwayFeature` after the service; it owns the idle
watcher (:mod:`..services.idle_watch`, with the platform's backends), the
reminders (:mod:`..services.reminders`), the away prompt
(:mod:`.idle_prompt`), the reminder notices (:mod:`.reminder_notices`) and
the question before Quit and Sign out while a timer runs (:mod:`.quit_prompt`),
and sets the tray's hooks: ``shown_time``, ``confirm_leave`` and ``idle_watch``
(the shell's ``idle`` command and ``status``'s ``idle`` field read it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

QUIT_SETTLE = 3.0  # a stop asked for at Quit: how long the server may take to confirm it (s)
#: The end-to-end tests (and a demo) shorten the wait: the away threshold in seconds, over
#: ``idle_minutes``; the watcher then checks every third of it instead of every minute.
IDLE_SECONDS_ENV = "TIMECROWD_TRAY_IDLE_SECONDS"


def _short_threshold() -> float | None:
    import os

    try:
        seconds = float(os.environ.get(IDLE_SECONDS_ENV, ""))
    except ValueError:
        return None
    return seconds if seconds > 0 else None


class AwayFeature:
    def __init__(self, tray: Any, service: Any, store: Any,
                 spawn: Callable[[Awaitable[Any]], asyncio.Task[Any]], *,
                 idle_source: Callable[[], Awaitable[Any]] | None = None,
                 presence: Callable[..., Awaitable[list[Any]]] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        """``clock``: the tests' fake wall clock (also their monotonic one: a fake clock never sleeps)."""
        import time

        from ..platform.idle import create_idle_source, create_presence_sources
        from ..services.idle_watch import IdleWatch
        from ..services.reminders import Reminders
        from .reminder_notices import ReminderNotices

        self.tray = tray
        self.service = service
        self.store = store
        self._spawn = spawn
        short = _short_threshold()
        self.watch = IdleWatch(service, (lambda: short / 60) if short else (lambda: store.get("idle_minutes")),
                               idle_source=idle_source or create_idle_source,
                               presence=presence or (lambda emit, idle: create_presence_sources(emit, idle)),
                               clock=clock or time.time, mono=clock or time.monotonic,
                               **({"interval": max(1.0, short / 3)} if short else {}))
        self.notices = ReminderNotices(None, tray.notifier, tray, open_palette=tray.open_palette)
        self.reminders = Reminders(service, self.watch, store.get, on_remind=self.notices.remind,
                                   on_forgotten=self.notices.forgotten, clock=clock or time.time)
        self.notices.reminders = self.reminders
        self.host: Any = None
        self.quit_prompt: Any = None

    async def start(self) -> None:
        from .idle_prompt import IdlePromptHost

        await self.watch.start()
        tray = self.tray
        self.host = IdlePromptHost(self.watch, lambda: tray.state.task.title if tray.state.task else "",
                                   lambda title, text: tray.notifier.error(text, title),
                                   anchor=lambda: tray.tray.geometry(), parent=tray)
        self.host.display_changed.connect(tray.view.render)
        tray.view.activated.connect(lambda *_: self.watch.note_activity())  # a click is input: back
        tray.shown_time = self.host.shown_time
        tray.confirm_leave = self.confirm_leave
        tray.idle_watch = self.watch
        self.reminders.start()

    def settings_changed(self, changed: dict[str, Any]) -> None:
        if "idle_minutes" in changed:
            self._spawn(self.watch.source.arm(self.watch.threshold))
        if any(key.startswith("remind_") for key in changed):
            self.reminders.reschedule()

    # -- Quit and Sign out while a timer runs ----------------------------------------------------

    def confirm_leave(self, leaving: str, go_on: Callable[[], None]) -> None:
        from .comment_dialog import take_focus
        from .quit_prompt import QuitPrompt

        if self.quit_prompt is not None:
            take_focus(self.quit_prompt, self.quit_prompt.cancel_button)
            return
        task = self.tray.state.task
        prompt = self.quit_prompt = QuitPrompt(leaving, task.title if task else "")

        def decided(choice: str) -> None:
            self.quit_prompt = None
            prompt.deleteLater()
            if choice == "keep":
                go_on()
            elif choice == "stop":
                self._spawn(self._stop_then(go_on))

        prompt.decided.connect(decided)
        prompt.open()
        take_focus(prompt, prompt.cancel_button)

    async def _stop_then(self, go_on: Callable[[], None]) -> None:
        result = self.service.request_stop()
        if result.recorded:
            outcome = await self.service.outcome(result, QUIT_SETTLE)
            if outcome.kind == "queued":
                from PySide6.QtCore import QCoreApplication

                message = QCoreApplication.translate(
                    "AwayFeature", "The stop is kept here and sent with its time when TimeCrowd Tray runs again.")
                self.tray.notifier.error(message)
            elif outcome.kind == "refused":
                self.tray.notifier.error(outcome.reason or "")
                return  # not stopped: nothing more is done
        elif result.refused:
            return
        go_on()

    async def aclose(self) -> None:
        if self.host is not None:
            self.host.close()
        self.reminders.close()
        await self.watch.aclose()
