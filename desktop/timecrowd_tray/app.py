"""The composition root: ``run_app(args)`` builds the app and runs it until Quit.

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
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from . import APP_ID, APP_NAME

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
SIGN_IN_RETRY_S = 30.0
CONTROLS_AFTER_S = 2.0   # at the latest, the shortcuts and the shell commands after start-up
EXECUTOR_THREADS = 2
# The id of the packaged .desktop file (packaging/net.timecrowd.TimeCrowdTray.desktop).
DESKTOP_FILE_ID = "net.timecrowd.TimeCrowdTray"


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


def run_app(args: Any) -> int:
    """Run the tray app; returns the process exit code."""
    from .ui.qt_compat import guard_none_refcount, stop_module_source_caching

    skip_httpx_command_line()
    stop_module_source_caching()
    import os

    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from .core.settings import InvalidSetting
    from .platform.settings_store import API_BASE_ENV, SettingsStore, resolve_api_base

    guard_none_refcount()
    demo = bool(getattr(args, "demo", False))
    store = SettingsStore()
    api_base = None
    # Where the server comes from when not from the setting (which then cannot change it).
    fixed_by = "--api-base" if getattr(args, "api_base", None) else (
        f"${API_BASE_ENV}" if os.environ.get(API_BASE_ENV) else None)
    if not demo:
        try:
            api_base = resolve_api_base(getattr(args, "api_base", None), store)
        except InvalidSetting as exc:
            print(f"{APP_ID}: {exc}", file=sys.stderr)
            return EXIT_USAGE

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setDesktopFileName(DESKTOP_FILE_ID)
    app.setQuitOnLastWindowClosed(False)

    # 1. The icon, as early as possible: what ran at the server's last answer, else "loading".
    from .ui.icon_painter import IconPainter, IconSpec, Look, panel_is_dark

    painter = IconPainter()
    started_at = None if demo else _peek_running(api_base)
    if started_at is not None:
        import time

        minutes = max(0, int((time.time() - started_at) // 60))
        first = IconSpec(Look.RUNNING, minutes=minutes, dark_panel=panel_is_dark())
    else:
        first = IconSpec(Look.LOADING, dark_panel=panel_is_dark())
    icon = QSystemTrayIcon(painter.icon(first))
    icon.setToolTip(APP_NAME)
    icon.show()
    app.processEvents()
    from .ui.i18n import Translations  # nothing translated is shown before this

    translations = Translations(app)
    translations.apply(store.get("language"))

    # 2. Everything else. Another instance running? It gets the command and this one leaves.
    from .logs import setup_logging

    setup_logging(bool(getattr(args, "debug", False)))
    log.info("tray icon shown")
    from .platform.instance.claim import HandedOver, claim_single_instance
    from .platform.instance.errors import InstanceError

    try:
        # The single-instance lock, held until this process ends (the kernel lets go of it however
        # it ends); it is taken before the service, the poller and the outbox exist.
        instance_lock = claim_single_instance("activate")
    except HandedOver:
        icon.hide()
        print(f"{APP_NAME} is already running: its task palette was opened.", flush=True)
        return EXIT_OK
    except InstanceError as exc:  # another app holds the lock but does not answer, or an untrusted lock file
        icon.hide()
        print(f"{APP_ID}: {exc}", file=sys.stderr, flush=True)
        return EXIT_ERROR
    log.info("single instance: this is the app (%s)", instance_lock.path)
    # The tray docks the icon a little after show(): its first paint waits for Qt to see that
    # (the expose), so let Qt look between the chunks of start-up until the loop runs.
    app.processEvents()

    from PySide6.QtGui import QIcon

    from .ui.resources import icon_path
    from .ui.tray import TrayController

    app.setWindowIcon(QIcon(str(icon_path("app"))))
    tray = TrayController(store, painter=painter, tray_icon=icon)
    if started_at is not None:
        preview = _preview_state(api_base)
        if preview is not None:
            tray.show_state(preview)  # the service shows the same once it is there
    tray.show()
    app.processEvents()

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # qasync's own default executor starts ten threads; the keyring and a small file need two.
    import concurrent.futures

    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=EXECUTOR_THREADS,
                                                                    thread_name_prefix="worker"))
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


def _preview_state(api_base: str | None) -> Any:
    """The state to show before the service is there: the cached running entry, not yet confirmed."""
    try:
        from .services.running_cache import RunningCache, preview_state, running_path

        data = RunningCache(running_path()).load()
        return preview_state(data) if data.matches(api_base) else None
    except Exception:
        log.exception("reading the running entry cache")
        return None


class _QuitOnSignals:
    """SIGTERM/SIGINT -> ``quit`` (a clean shutdown), with no timer polling for them.

    Python runs signal handlers only between bytecodes, and Qt's loop may sleep
    in C++ for a long time: ``signal.set_wakeup_fd`` writes a byte to a socket
    that a QSocketNotifier watches, which wakes the loop and lets the handler run.
    """

    def __init__(self, quit: Any) -> None:
        import signal
        import socket

        from PySide6.QtCore import QSocketNotifier

        self._quit = quit
        self.notifier = None
        try:
            self._rsock, self._wsock = socket.socketpair()
            self._rsock.setblocking(False)
            self._wsock.setblocking(False)
            signal.set_wakeup_fd(self._wsock.fileno())
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self._quit())
        except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal here
            return
        self.notifier = QSocketNotifier(self._rsock.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._drain)

    def _drain(self, *_: Any) -> None:
        try:
            while self._rsock.recv(64):
                pass
        except OSError:
            pass


class AppRunner:
    """Everything after the icon: the service, the session, the sign-in window, the controls."""

    def __init__(self, app: Any, tray: Any, store: Any, translations: Any, *, demo: bool,
                 api_base: str | None, api_base_fixed_by: str | None = None) -> None:
        import asyncio

        self.app = app
        self.tray = tray
        self.store = store
        self.translations = translations
        self.demo = demo
        self.api_base = api_base
        self.api_base_fixed_by = api_base_fixed_by  # "--api-base" or "$TIMECROWD_API_BASE": wins over the setting
        self.exit_code = EXIT_OK
        self.quit_event = asyncio.Event()
        self.service: Any = None
        self.session: Any = None
        self.controls: Any = None
        self.emulator: Any = None
        self.signin_window: Any = None
        self.network: Any = None  # QNetworkInformation, when this platform has a backend
        self._network_tried = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retry: asyncio.TimerHandle | None = None
        self._sign_in_task: asyncio.Task[Any] | None = None
        self._switching = asyncio.Lock()  # one server switch at a time

    def spawn(self, coro: Any) -> Any:
        import asyncio

        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: Any) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    # -- main ------------------------------------------------------------------------------

    async def main(self) -> None:
        import asyncio

        from .services.timer_service import TimerService

        tray = self.tray
        tray.quit_requested.connect(self.quit_event.set)
        tray.sign_in_requested.connect(lambda: self.show_sign_in())
        tray.sign_out_requested.connect(lambda: self.spawn(self.sign_out()))
        tray.settings_changed.connect(self.apply_settings)
        self._signals = _QuitOnSignals(self.quit_event.set)

        self.service = TimerService(poll_interval=float(self.store.get("poll_interval")))
        if not self.demo:
            # The entry that ran at the server's last answer (not yet confirmed), else "loading".
            self.service.begin_restore(self.api_base)
        tray.attach(self.service)
        self.service.add_event_listener(self._on_event)
        self.show_storage_problem(self.service.storage_problem)  # a read-only folder, a damaged outbox...
        # The keyring first: the sign-in starts now, and what can wait waits for it (or for
        # CONTROLS_AFTER_S): the shortcuts and the shell commands' socket.
        start = self.spawn(self._start())
        quitting = asyncio.ensure_future(self.quit_event.wait())
        await asyncio.wait({start, quitting}, timeout=CONTROLS_AFTER_S, return_when=asyncio.FIRST_COMPLETED)
        if not self.quit_event.is_set():
            self._install_controls()
        await quitting
        await self.shutdown()

    async def _start(self) -> None:
        try:
            if self.demo:
                await self._start_demo()
            else:
                await self._restore()
        except Exception as exc:  # never die silently at start-up
            log.exception("start-up failed")
            self.tray.notifier.error(self.error_text(exc))

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
        controls.reload_sign_in = self.reload_sign_in

    async def shutdown(self) -> None:
        log.info("quitting")
        self._cancel_retry()
        if self.network is not None:
            try:
                self.network.reachabilityChanged.disconnect(self._on_reachability)
            except (RuntimeError, TypeError):
                pass
            self.network = None
        if self.signin_window is not None:
            self.signin_window.close()
        self.tray.shutdown()
        if self.controls is not None:
            try:
                self.controls.close()
            except Exception:
                log.exception("closing the controls")
        for task in list(self._tasks):
            task.cancel()
        if self.service is not None:
            await self.service.aclose()
        if self.session is not None and hasattr(self.session, "aclose"):
            await self.session.aclose()
        if self.emulator is not None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, self.emulator.stop)

    def error_text(self, exc: BaseException) -> str:
        """``exc`` in words for the user, in their language (the server's own words verbatim)."""
        from .api import errors
        from .services.credentials import CredentialsUnavailable
        from .services.messages import api_error_text
        from .ui.service_strings import keyring_text

        if isinstance(exc, errors.ApiError):
            return api_error_text(exc)
        if isinstance(exc, CredentialsUnavailable):
            return keyring_text(exc)
        return tr("Something went wrong ({error}). The details are in the log.").format(
            error=type(exc).__name__)

    # -- signing in -------------------------------------------------------------------------

    def make_session(self, api_base: str) -> Any:
        """The sign-in state of ``api_base``, remembered in the system keyring (through a child
        process: the keyring's crypto stays out of the long-running app's memory)."""
        from .services.keyring_process import OutOfProcessCredentialStore
        from .services.session import SessionManager

        return SessionManager(api_base, OutOfProcessCredentialStore())

    async def _start_demo(self) -> None:
        import asyncio

        from .emulator import DEMO_TOKEN, EmulatorServer, EmulatorState
        from .services.session import SessionManager

        self.emulator = EmulatorServer(EmulatorState.seeded(), host="127.0.0.1", port=0)
        await asyncio.get_running_loop().run_in_executor(None, self.emulator.start)
        url = self.emulator.url
        print("Demo mode: a built-in TimeCrowd emulator with demo data, not the real TimeCrowd.", flush=True)
        print(f"Emulator: {url} (its state: {url}/_emulator/state)", flush=True)
        self.session = SessionManager(url, None)
        user, client = await self.session.sign_in_with_token(DEMO_TOKEN, remember=False)
        if await self._sign_in_and_wait(client):
            print(f"Signed in to the demo account as {user.nickname or user.id}: ready "
                  "(left click the tray icon to start or stop, right click for the menu).", flush=True)

    async def _restore(self) -> None:
        from .services.credentials import CredentialsUnavailable

        session = self.session = self.make_session(self.api_base)
        try:
            client = await session.restore()
        except CredentialsUnavailable as exc:
            log.warning("keyring unavailable at start-up: %r", exc)
            self.tray.notifier.error(self.error_text(exc), tr("Your saved sign-in could not be read"))
            client = None
        if session is not self.session:
            return  # the server changed meanwhile: that switch signs in
        if client is None:
            await self.service.sign_out()  # nothing to sign in with: not the cached entry either
            self.show_sign_in()
            return
        await self._sign_in_and_wait(client)

    async def sign_in_service(self, client: Any) -> bool:
        from .api import errors

        try:
            user = await self.service.sign_in(client)
        except errors.AuthError:
            self.show_sign_in(expired=True)
            return False
        except errors.ApiError as exc:
            # No cached account to start offline with: say so and try again a little later.
            retry = tr("TimeCrowd Tray tries again in {seconds} seconds.").format(seconds=int(SIGN_IN_RETRY_S))
            self.tray.notifier.error(f"{self.error_text(exc)}\n{retry}", tr("Not signed in to TimeCrowd"))
            self._schedule_retry()
            return False
        log.info("signed in as user %s", user.id)
        self._cancel_retry()
        if self.signin_window is not None:
            self.signin_window.close()
        return True

    def _spawn_sign_in(self, client: Any) -> Any:
        """Sign the service in with ``client`` in the background (a newer sign-in replaces an older one)."""
        if self._sign_in_task is not None and not self._sign_in_task.done():
            self._sign_in_task.cancel()
        task = self._sign_in_task = self.spawn(self.sign_in_service(client))
        return task

    async def _sign_in_and_wait(self, client: Any) -> bool:
        """:meth:`_spawn_sign_in`, then its outcome (False when a newer sign-in or a sign-out cancelled it)."""
        import asyncio

        task = self._spawn_sign_in(client)
        await asyncio.wait({task})
        if task.cancelled():
            return False
        return bool(task.result())

    async def _cancel_sign_in(self) -> None:
        import asyncio

        task, self._sign_in_task = self._sign_in_task, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    def _schedule_retry(self) -> None:
        import asyncio

        self._cancel_retry()
        self._retry = asyncio.get_running_loop().call_later(SIGN_IN_RETRY_S, self._retry_sign_in)

    def _cancel_retry(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None

    def _retry_sign_in(self) -> None:
        """The retry after a failed sign-in: with the session's client *now* (a new sign-in replaced
        the old one and closed it), or not at all when there is none (signed out meanwhile)."""
        self._retry = None
        client = self.session.current_client if self.session is not None else None
        if client is None:
            log.info("sign-in retry skipped: no sign-in to retry")
            return
        self._spawn_sign_in(client)

    def _signed_in_from_window(self, client: Any) -> None:
        self._cancel_retry()
        self._spawn_sign_in(client)

    def show_sign_in(self, expired: bool = False) -> None:
        if self.session is None:
            return
        if self.signin_window is not None:
            self.signin_window.show()
            self.signin_window.raise_()
            self.signin_window.activateWindow()
            return
        from .ui.signin_window import SignInWindow

        window = SignInWindow(self.session, expired=expired)
        window.signed_in.connect(lambda _user, client: self._signed_in_from_window(client))
        window.finished.connect(lambda *_: self._window_closed(window))
        self.signin_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    def _window_closed(self, window: Any) -> None:
        if self.signin_window is window:
            self.signin_window = None

    async def sign_out(self) -> None:
        self._cancel_retry()
        await self._cancel_sign_in()
        if self.service is not None:
            await self.service.sign_out()
        if self.session is not None:
            try:
                await self.session.sign_out()
            except Exception as exc:  # the keyring refused to delete: say so, we are signed out anyway
                self.tray.notifier.error(self.error_text(exc))

    async def reload_sign_in(self, api_base: str | None = None) -> dict:
        """The shell's ``login`` or ``logout`` changed the stored sign-in: read it again and use it.

        For the server in use (``api_base``, when given, names the server the shell command
        was for: another server's sign-in changes nothing here). A stored sign-in other than
        the one in use signs the service in with it (the sign-in window closes when it works;
        a sign-in the server had revoked is replaced this way); the same one, working, changes
        nothing; none left signs the service out. The answer, for the shell command:

        * ``{"ok": True, "signed_in": bool, "api_base": ...}``, plus ``"retrying": True`` when
          the server could not be reached (the sign-in is retried every ``SIGN_IN_RETRY_S``);
        * ``{"ok": False, "error": ..., "code": "signed_out"}`` when the server refused the
          stored sign-in (the sign-in window asks for a new one);
        * ``{"ok": False, "error": ..., "code": "failed"}`` when the keyring could not be read,
          in demo mode, or before the app has a session.
        """
        import asyncio

        from .core.endpoint import normalize_api_base
        from .services.credentials import CredentialsUnavailable

        if self.demo:
            return {"ok": False, "error": "the running app is in demo mode, which never uses the keyring",
                    "code": "failed"}
        async with self._switching:  # not in the middle of a server switch
            session = self.session
            if session is None or self.service is None:
                return {"ok": False, "error": "the running app is still starting; try again in a moment",
                        "code": "failed"}
            answer: dict = {"api_base": session.api_base}
            if api_base is not None:
                try:
                    other = normalize_api_base(str(api_base)) != session.api_base
                except ValueError:
                    other = True
                if other:
                    return {**answer, "ok": True, "signed_in": self.service.user is not None}
            before = session.current_client
            try:
                client = await session.reload()
            except CredentialsUnavailable as exc:
                log.warning("reloading the sign-in: keyring unavailable: %r", exc)
                return {**answer, "ok": False, "error": exc.user_message, "code": "failed"}
            if session is not self.session:
                return {**answer, "ok": False, "error": "the server changed meanwhile", "code": "failed"}
            if client is None:
                log.info("reloading the sign-in: none is stored any more; signing out")
                self._cancel_retry()
                await self._cancel_sign_in()
                await self.service.sign_out()
                return {**answer, "ok": True, "signed_in": False}
            if client is before and self.service.user is not None:
                return {**answer, "ok": True, "signed_in": True}  # the one in use, and it works
            log.info("reloading the sign-in: signing in with the stored sign-in")
            self._cancel_retry()
            task = self._spawn_sign_in(client)
        await asyncio.wait({task})  # outside the lock: a server switch may cancel it meanwhile
        if task.cancelled():
            return {**answer, "ok": False, "error": "a newer sign-in, a sign-out or a server switch came first",
                    "code": "failed"}
        if task.exception() is not None:
            return {**answer, "ok": False, "error": f"the sign-in failed ({type(task.exception()).__name__})",
                    "code": "failed"}
        if task.result():
            return {**answer, "ok": True, "signed_in": True}
        if self._retry is not None:  # the server could not be reached: sign_in_service retries later
            return {**answer, "ok": True, "signed_in": False, "retrying": True}
        # The server refused it: sign_in_service opened the sign-in window.
        return {**answer, "ok": False, "error": f"{session.api_base} did not accept the stored sign-in",
                "code": "signed_out"}

    async def switch_server(self, api_base: str) -> None:
        """The server setting changed: leave the current server, then sign in to ``api_base``.

        The timer service signs out of the old account (its outbox stays on disk, sent
        when that account signs in again) and the old session is closed, its stored
        sign-in kept; the new server's stored sign-in is restored, or the sign-in window
        asks for one.
        """
        async with self._switching:
            await self._switch_server(api_base)

    async def _switch_server(self, api_base: str) -> None:
        from .core.endpoint import normalize_api_base

        api_base = normalize_api_base(api_base)
        if self.session is not None and self.session.api_base == api_base:
            return
        log.info("server changed: %s -> %s", self.session.api_base if self.session else None, api_base)
        self._cancel_retry()
        await self._cancel_sign_in()
        if self.signin_window is not None:  # it signs in to the old server
            window, self.signin_window = self.signin_window, None
            window.close()
        old, self.session = self.session, None
        self.api_base = api_base
        if self.service is not None:
            await self.service.sign_out()
        if old is not None:
            await old.aclose()
        try:
            await self._restore()
        except Exception as exc:
            log.exception("signing in to the new server failed")
            self.tray.notifier.error(self.error_text(exc))

    def _on_event(self, event: Any) -> None:
        from .services.events import SignedOut, StorageProblem, WentOffline

        if isinstance(event, SignedOut):
            self.show_sign_in(expired=True)
        elif isinstance(event, WentOffline):
            self.watch_network()
        elif isinstance(event, StorageProblem):
            self.show_storage_problem(event)

    def show_storage_problem(self, problem: Any) -> None:
        """Tell the user what is wrong with this computer's files (a ``services.events.StorageProblem``;
        None: nothing), in one notice: what was lost, what is kept where, what to do."""
        if problem is None:
            return
        title: str | None = None
        parts: list[str] = []
        unwritable = problem.outbox_unwritable
        if unwritable is not None:
            title = tr("Your actions are not saved on this computer")
            parts.append(tr("TimeCrowd Tray cannot write to {path} ({reason}). It keeps working, but the actions "
                            "you make now are kept in memory only: those not yet sent to TimeCrowd are lost if "
                            "you quit the app. Make the folder writable, then restart TimeCrowd Tray.").format(
                path=unwritable.path.parent, reason=unwritable.reason))
            if unwritable.waiting_count is None:
                parts.append(tr("The actions already waiting there could not be counted. They stay there and are "
                                "sent once the folder can be written."))
            elif unwritable.waiting_count:
                parts.append(tr("%n action(s) already waiting there stay there and are sent once the folder "
                                "can be written.", "", unwritable.waiting_count))
        damage = problem.damage
        if damage is not None:
            title = title or tr("The list of your unsent actions was damaged")
            parts.append(tr("The file keeping your actions until they reach TimeCrowd was damaged. A new one "
                            "was started; the damaged one is kept at {path}.").format(path=damage.path))
            if damage.recovered_count:
                parts.append(tr("%n action(s) were recovered from it and will be sent.", "", damage.recovered_count))
            if damage.unreadable_count is None:
                parts.append(tr("An unknown number of actions could not be read from it: they will not be sent."))
            elif damage.unreadable_count:
                parts.append(tr("%n action(s) could not be read from it: they will not be sent.", "",
                                damage.unreadable_count))
            elif not damage.recovered_count:
                parts.append(tr("No action waiting to be sent was lost."))
        if problem.unreadable_count:
            title = title or tr("Some of your unsent actions could not be read")
            parts.append(tr("%n action(s) waiting to be sent could not be read: they will not be sent. They are "
                            "kept for inspection in {path}.", "", problem.unreadable_count).format(
                path=problem.outbox_path))
        if problem.cache_dir is not None:
            title = title or tr("TimeCrowd Tray cannot write its cache")
            parts.append(tr("TimeCrowd Tray cannot write to {path} ({reason}): your recent tasks and the running "
                            "timer are not remembered for the next start. Everything else works.").format(
                path=problem.cache_dir, reason=problem.cache_reason))
        if parts:
            self.tray.notifier.error("\n".join(parts), title)

    # -- the network ----------------------------------------------------------------------

    def watch_network(self) -> None:
        """Follow the system's reachability (QNetworkInformation), where the platform reports it.

        Started the first time the service goes offline, not at start-up: the watcher costs
        ~4 MiB for the whole day (QtNetwork, and GIO's network monitor on Linux), and while
        the server answers the polls already say all there is to know. From then on, back
        online: the service polls and sends what waits at once, without waiting for its
        back-off; disconnected again: it shows "offline" at once.
        """
        if self._network_tried:
            return
        self._network_tried = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                log.info("no network information on this platform: relying on the polls")
                return
            info = QNetworkInformation.instance()
            if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
                log.info("the network information backend does not report reachability")
                return
            info.reachabilityChanged.connect(self._on_reachability)
            self.network = info
            log.info("network reachability from the %s backend: %s", info.backendName(),
                     info.reachability().name)
        except Exception:  # ImportError included: this is a nicety, never a reason to fail
            log.exception("network information unavailable")

    def _on_reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        Reachability = QNetworkInformation.Reachability  # noqa: N806
        log.info("network reachability: %s", getattr(reachability, "name", reachability))
        if self.service is None or reachability == Reachability.Unknown:
            return
        if reachability == Reachability.Disconnected:
            if self._server_is_local():
                return  # a server on this computer does not need the network
            self.service.notify_network_changed(False)
        else:
            # Online, or a local network only: let a poll find out whether the server answers.
            self.service.notify_network_changed(True)

    def _server_is_local(self) -> bool:
        from urllib.parse import urlsplit

        from .core.endpoint import is_loopback_host

        base = self.session.api_base if self.session is not None else self.api_base
        return bool(base) and is_loopback_host(urlsplit(base).hostname or "")

    # -- settings ---------------------------------------------------------------------------

    def apply_settings(self, changed: dict) -> None:
        if "language" in changed:
            self.translations.apply(changed["language"])
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
            elif self.api_base_fixed_by:
                log.info("the server setting is overridden by %s", self.api_base_fixed_by)
                self.tray.notifier.error(tr("TimeCrowd Tray was started with {source}, which chooses the server: "
                                            "the new server setting applies once it is started without it.")
                                         .format(source=self.api_base_fixed_by))
            else:
                self.spawn(self.switch_server(str(changed["api_base"])))
