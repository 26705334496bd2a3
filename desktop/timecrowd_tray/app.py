"""The composition root: ``run_app(args)`` builds the app and runs it until Quit.

Wiring and shutdown only: the timer service (``services.timer_service``), the sign-in
flow (``ui.sign_in_flow``), the network watcher (``platform.network``), the shortcuts and
the shell commands (``ui.controls``) each live in their own module; :class:`AppRunner`
builds them, connects them and closes them in order.

Start-up is ordered for speed: Qt Widgets, the settings and the tray icon come
first, and only then the heavy parts are imported (qasync, httpx, the
emulator) and the account restored. The first icon already shows the last
known state: the entry the server last said runs (``services.running_cache``),
as RUNNING not yet confirmed, else "loading"; the first poll confirms or
corrects it. The keyring is read first (by a child process,
``services.keyring_process``); the global shortcuts and the shell commands'
socket are set up once the sign-in has answered (or after
:data:`CONTROLS_AFTER_S` at the latest); the network watcher only once the
service has gone offline. Nothing on the UI thread waits on the network or the
keyring: the sign-in and every call of the service run as asyncio tasks on the
qasync loop, whose default executor is two worker threads (the keyring helper,
the running-entry cache).

Memory is a budget too (a tray app runs all day): what a feature needs is
loaded when the feature is first used (the comment dialog at the first stop,
the palette at its first opening, QtNetwork when the network is first lost).

``--demo`` starts the TimeCrowd emulator with demo data on 127.0.0.1 (a
random free port) in a background thread inside the app and signs in with the
demo token in memory only (never the keyring). The emulator's URL is printed,
so a script can read the demo account's state from ``GET {url}/_emulator/state``.
The tray knows it too (``TrayController.demo_server``): its menu says it is the demo,
"Open in TimeCrowd" is off (the emulator has no web pages), the settings dialog can say
where the app is connected; "Sign in" after a sign-out signs in to the demo again.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, TypeVar

from . import APP_ID, APP_NAME, DESKTOP_FILE_ID

if TYPE_CHECKING:  # the modules themselves are imported where used, after the first icon
    import argparse
    import asyncio
    from collections.abc import Awaitable

    from PySide6.QtCore import QCoreApplication

    from .core.timer import TimerState
    from .emulator import EmulatorServer
    from .platform.network import NetworkWatcher
    from .platform.quit_signals import QuitOnSignals
    from .platform.settings_store import SettingsStore
    from .services.events import ServiceEvent
    from .services.timer_service import TimerService
    from .ui.away_setup import AwayFeature
    from .ui.controls import Controls
    from .ui.i18n import Translations
    from .ui.sign_in_flow import SignInFlow
    from .ui.tray import TrayController

log = logging.getLogger(__name__)

T = TypeVar("T")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
CONTROLS_AFTER_S = 2.0   # at the latest, the shortcuts and the shell commands after start-up
EXECUTOR_THREADS = 2
RESUME_CHECK_S = 3600.0  # no poll is further apart (POLL_INTERVAL_MAX): a sleep is seen at the next poll


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("App", text, disambiguation, n)


def skip_httpx_command_line() -> None:
    """Keep httpx's command-line client out of this process.

    ``import httpx`` imports ``httpx._main`` (click, pygments: ~2 MiB for the day) whenever
    those packages happen to be installed; the app never runs that client. A ``None`` in
    ``sys.modules`` makes that import fail, and httpx then defines a stub ``main`` instead.
    """
    sys.modules.setdefault("httpx._main", None)


def run_app(args: argparse.Namespace) -> int:
    """Run the tray app; returns the process exit code."""
    from .ui.qt_compat import guard_none_refcount, stop_module_source_caching

    skip_httpx_command_line()
    stop_module_source_caching()
    import os

    # Whether a StatusNotifierItem panel is there, asked on a thread while Qt loads (step 1 reads it).
    from .platform.tray.watcher_probe import WatcherProbe, own_item_wanted

    probe = WatcherProbe() if own_item_wanted(os.environ.get("QT_QPA_PLATFORM", "")) else None

    from PySide6.QtWidgets import QApplication

    from .core.settings import InvalidSetting
    from .platform.settings_store import API_BASE_ENV, SettingsStore, resolve_api_base

    guard_none_refcount()
    demo = bool(getattr(args, "demo", False))
    store = SettingsStore()
    api_base: str | None = None
    # Where the server comes from when not from the setting (which then cannot change it).
    fixed_by = "--api-base" if getattr(args, "api_base", None) else (
        f"${API_BASE_ENV}" if os.environ.get(API_BASE_ENV) else None)
    if not demo:
        try:
            api_base = resolve_api_base(getattr(args, "api_base", None), store)
        except InvalidSetting as exc:
            print(f"{APP_ID}: {exc}", file=sys.stderr)
            return EXIT_USAGE

    # argv[0] names the X11 windows (WM_CLASS instance): "timecrowd-tray", also under `python -m`
    # (whose argv[0] is .../__main__.py).
    app = QApplication.instance() or QApplication([APP_ID])
    # The panels' name for the item: Qt's StatusNotifierItem Title (and Id) is the application name,
    # and the X11 WM_CLASS class; the instance stays argv[0], "timecrowd-tray" (StartupWMClass).
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_ID)
    app.setQuitOnLastWindowClosed(False)
    if os.environ.get("TIMECROWD_TRAY_WAKE_TRACE"):  # benchmarks: what wakes the UI thread (ui/wake_trace.py)
        from .ui.wake_trace import install_from_env

        install_from_env(app)

    # 1. The icon, as early as possible: what ran at the server's last answer, else "loading".
    from .ui.icon_painter import IconPainter
    from .ui.icon_spec import IconSpec, Look
    from .ui.panel_shade import panel_is_dark

    painter = IconPainter()
    started_at = None if demo else _peek_running(api_base)
    if started_at is not None:
        import time

        minutes = max(0, int((time.time() - started_at) // 60))
        first = IconSpec(Look.RUNNING, minutes=minutes, dark_panel=panel_is_dark())
    else:
        first = IconSpec(Look.LOADING, dark_panel=panel_is_dark())
    from .ui.first_icon import FirstIcon

    first_icon = FirstIcon(painter.icon(first), probe, QApplication.platformName())
    app.processEvents()
    from .ui.i18n import Translations  # nothing translated is shown before this

    translations = Translations(app)
    translations.apply(store.get("language"))

    # 2. Everything else. Another instance running? It gets the command and this one leaves.
    from .logs import setup_logging

    setup_logging(bool(getattr(args, "debug", False)))
    first_icon.log()
    from .platform.instance.claim import HandedOver, claim_single_instance
    from .platform.instance.errors import InstanceError

    try:
        # The single-instance lock, held until this process ends (the kernel lets go of it however
        # it ends); it is taken before the service, the poller and the outbox exist.
        instance_lock = claim_single_instance("activate")
    except HandedOver:
        first_icon.hide()
        print(f"{APP_NAME} is already running: its task palette was opened.", flush=True)
        return EXIT_OK
    except InstanceError as exc:  # another app holds the lock but does not answer, or an untrusted lock file
        first_icon.hide()
        print(f"{APP_ID}: {exc}", file=sys.stderr, flush=True)
        return EXIT_ERROR
    log.info("single instance: this is the app (%s)", instance_lock.path)
    # The tray docks the icon a little after show(): its first paint waits for Qt to see that
    # (the expose), so let Qt look between the chunks of start-up until the loop runs.
    app.processEvents()

    import asyncio

    from PySide6.QtGui import QIcon

    from .ui.event_loop import QuietEventLoop
    from .ui.resources import icon_path
    from .ui.tray import TrayController

    loop = QuietEventLoop(app)  # qasync's, whose cancelled timeouts do not wake the app
    asyncio.set_event_loop(loop)
    # qasync's own default executor starts ten threads; the keyring and a small file need two.
    import concurrent.futures

    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=EXECUTOR_THREADS,
                                                                    thread_name_prefix="worker"))

    app.setWindowIcon(QIcon(str(icon_path("app"))))
    first_icon.catch_up()
    tray = TrayController(store, painter=painter, tray_icon=first_icon.qt, sni=first_icon.sni)
    if started_at is not None:
        preview = _preview_state(api_base)
        if preview is not None:
            tray.show_state(preview)  # the service shows the same once it is there
    tray.show()
    app.processEvents()

    runner = AppRunner(app, tray, store, translations, demo=demo, api_base=api_base,
                       api_base_fixed_by=fixed_by)
    with loop:
        try:
            loop.run_until_complete(runner.main())
        except KeyboardInterrupt:
            pass
    return runner.exit_code


def _peek_running(api_base: str | None) -> float | None:
    """When the entry the server last said runs on ``api_base`` started (cheap), or None."""
    try:
        from .services.running_cache import peek_started_at

        return peek_started_at(api_base)
    except Exception:  # advisory: never a reason not to start
        log.exception("reading the running entry cache")
        return None


def _preview_state(api_base: str | None) -> TimerState | None:
    """The state to show before the service is there: the cached running entry, not yet confirmed."""
    try:
        from .services.running_cache import RunningCache, preview_state, running_path

        data = RunningCache(running_path()).load()
        return preview_state(data) if data.matches(api_base) else None
    except Exception:
        log.exception("reading the running entry cache")
        return None


class AppRunner:
    """Everything after the icon: the service, the sign-in flow, the network watcher, the controls.

    Wiring only: each part's behaviour is in its own module (``services.timer_service``,
    ``ui.sign_in_flow``, ``platform.network``, ``ui.controls``, ``ui.storage_notice``).
    """

    def __init__(self, app: QCoreApplication, tray: TrayController, store: SettingsStore,
                 translations: Translations, *, demo: bool, api_base: str | None,
                 api_base_fixed_by: str | None = None) -> None:
        import asyncio

        self.app = app
        self.tray = tray
        self.store = store
        self.translations = translations
        self.demo = demo
        self.api_base = api_base  # the server at start-up; the sign-in flow follows the setting from then on
        self.api_base_fixed_by = api_base_fixed_by  # "--api-base" or "$TIMECROWD_API_BASE": wins over the setting
        self.exit_code = EXIT_OK
        self.quit_event = asyncio.Event()
        self.service: TimerService | None = None
        self.sign_in_flow: SignInFlow | None = None
        self.network: NetworkWatcher | None = None
        self.controls: Controls | None = None
        self.emulator: EmulatorServer | None = None
        self._signals: QuitOnSignals | None = None
        self.away: AwayFeature | None = None  # away time, reminders, the question before Quit (issue #15)
        self._tasks: set[asyncio.Task[object]] = set()

    def spawn(self, work: Awaitable[T]) -> asyncio.Task[T]:
        import asyncio

        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[object]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    # -- main ------------------------------------------------------------------------------

    async def main(self) -> None:
        import asyncio

        from .platform.quit_signals import QuitOnSignals
        from .services.timer_service import TimerService
        from .ui.storage_notice import show_storage_problem

        tray = self.tray
        tray.view.presence.connect_sni()  # our StatusNotifierItem onto the bus, now that the loop runs
        tray.quit_requested.connect(self.quit_event.set)
        tray.settings_changed.connect(self.apply_settings)
        self._signals = QuitOnSignals(self.quit_event.set)

        # The clocks are compared for a sleep at each poll, with no wake-up of their own (issue #16).
        service = TimerService(poll_interval=float(self.store.get("poll_interval")),
                               resume_check_interval=RESUME_CHECK_S)
        flow = self.wire(service)
        tray.sign_in_requested.connect(lambda: flow.show_sign_in())
        tray.sign_out_requested.connect(lambda: self.spawn(flow.sign_out()))
        if not self.demo and self.api_base is not None:
            # The entry that ran at the server's last answer (not yet confirmed), else "loading".
            service.begin_restore(self.api_base)
        tray.attach(service)
        service.add_event_listener(self._on_event)
        show_storage_problem(tray.notifier, service.storage_problem)  # a read-only folder, a damaged outbox...
        # The keyring first: the sign-in starts now, and what can wait waits for it (or for
        # CONTROLS_AFTER_S): the shortcuts and the shell commands' socket.
        start = self.spawn(self._start(flow))
        quitting = asyncio.ensure_future(self.quit_event.wait())
        await asyncio.wait({start, quitting}, timeout=CONTROLS_AFTER_S, return_when=asyncio.FIRST_COMPLETED)
        if not self.quit_event.is_set():
            self._install_controls()
            self._install_away()
        await quitting
        await self.shutdown()

    def wire(self, service: TimerService) -> SignInFlow:
        """The parts around ``service``: the sign-in flow and the network watcher (which waits for
        :meth:`_on_event` to start it). Builds nothing heavy: each loads what it needs when used."""
        from .platform.network import NetworkWatcher
        from .ui.sign_in_flow import SignInFlow

        self.service = service
        flow = self.sign_in_flow = SignInFlow(service, self.tray.notifier, self.spawn, api_base=self.api_base,
                                              demo=self.demo)
        self.network = NetworkWatcher(service, lambda: flow.server)
        return flow

    async def _start(self, flow: SignInFlow) -> None:
        try:
            if self.demo:
                await self._start_demo(flow)
            else:
                await flow.restore()
        except Exception as exc:  # never die silently at start-up
            from .ui.error_text import error_text

            log.exception("start-up failed")
            self.tray.notifier.error(error_text(exc))

    async def _start_demo(self, flow: SignInFlow) -> None:
        import asyncio

        from .emulator import EmulatorServer, EmulatorState

        emulator = self.emulator = EmulatorServer(EmulatorState.seeded(), host="127.0.0.1", port=0)
        await asyncio.get_running_loop().run_in_executor(None, emulator.start)
        url = emulator.url
        self.tray.demo_server = url  # the menu and the settings dialog say where the demo is connected
        print("Demo mode: a built-in TimeCrowd emulator with demo data, not the real TimeCrowd.", flush=True)
        print(f"Emulator: {url} (its state: {url}/_emulator/state)", flush=True)
        await flow.sign_in_demo(url)

    def _on_event(self, event: ServiceEvent) -> None:
        from .services.events import SignedOut, StorageProblem, WentOffline

        if isinstance(event, SignedOut):
            if self.sign_in_flow is not None:
                self.sign_in_flow.show_sign_in(expired=True)
        elif isinstance(event, WentOffline):
            if self.network is not None:
                self.network.start()
        elif isinstance(event, StorageProblem):
            from .ui.storage_notice import show_storage_problem

            show_storage_problem(self.tray.notifier, event)

    def _install_controls(self) -> None:
        try:
            from .ui.controls import install_controls
        except ImportError as exc:  # pragma: no cover - shortcuts are optional
            log.warning("global shortcuts and shell commands unavailable: %s", exc)
            return
        try:
            self.controls = install_controls(self.tray, self.service, self.store,
                                             lambda message: self.tray.notifier.error(message))
        except Exception:
            log.exception("global shortcuts and shell commands could not be set up")
            return
        controls = self.controls
        self.tray.shortcut_problems = lambda: dict(controls.problems)  # shown in the settings dialog
        # `timecrowd-tray login` / `logout` changed the keyring: the socket's "reload_sign_in".
        if self.sign_in_flow is not None:
            controls.reload_sign_in = self.sign_in_flow.reload_sign_in
        # `timecrowd-tray config set|reset`: applied as when the Settings dialog saves them.
        controls.settings_changed = self.tray.settings_saved

    # -- settings ---------------------------------------------------------------------------

    def _install_away(self) -> None:
        """Away time, reminders and the question before Quit (``ui.away_setup``); never a reason not to run."""
        try:
            from .ui.away_setup import AwayFeature

            self.away = AwayFeature(self.tray, self.service, self.store, self.spawn)
        except Exception:
            log.exception("away time and reminders could not be set up")
            return
        self.spawn(self.away.start())

    def apply_settings(self, changed: dict[str, object]) -> None:
        if self.away is not None:
            self.away.settings_changed(changed)
        if "language" in changed:
            self.translations.apply(str(changed["language"]))
            self.tray.retranslate()
        if self.controls is not None:
            try:
                self.controls.on_settings_changed(changed)  # the shortcuts, start at login
            except Exception:
                log.exception("applying the settings to the shortcuts and start at login")
        elif "autostart" in changed:  # the controls could not be set up: start at login still follows
            try:
                from .ui.controls import apply_autostart_setting
            except ImportError:  # pragma: no cover - as in _install_controls
                log.exception("start at login unavailable")
            else:
                apply_autostart_setting(self.store, bool(changed["autostart"]), self.tray.notifier.error)
        if "api_base" in changed:
            if self.demo:
                log.info("demo mode: the server setting applies outside the demo")
                self.tray.notifier.error(tr("Demo mode stays connected to the built-in emulator: the new server "
                                            "setting applies once TimeCrowd Tray is started without --demo."),
                                         tr("Demo mode"))
            elif self.api_base_fixed_by:
                log.info("the server setting is overridden by %s", self.api_base_fixed_by)
                self.tray.notifier.error(tr("TimeCrowd Tray was started with {source}, which chooses the server: "
                                            "the new server setting applies once it is started without it.")
                                         .format(source=self.api_base_fixed_by))
            elif self.sign_in_flow is not None:
                self.spawn(self.sign_in_flow.switch_server(str(changed["api_base"])))

    # -- shutdown ---------------------------------------------------------------------------

    async def shutdown(self) -> None:
        log.info("quitting")
        if self.network is not None:
            self.network.close()
        if self.sign_in_flow is not None:
            self.sign_in_flow.stop()  # no retry; the sign-in window closed
        self.tray.shutdown()
        if self.controls is not None:
            try:
                self.controls.close()
            except Exception:
                log.exception("closing the controls")
        for task in list(self._tasks):
            task.cancel()
        if self.away is not None:
            try:
                await self.away.aclose()
            except Exception:
                log.exception("closing the away-time watcher")
        if self.service is not None:
            await self.service.aclose()
        if self.sign_in_flow is not None:
            await self.sign_in_flow.aclose()
        if self.emulator is not None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, self.emulator.stop)
