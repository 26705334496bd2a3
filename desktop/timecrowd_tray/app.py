"""The composition root: ``run_app(args)`` builds the app and runs it until Quit.

Start-up is ordered for speed: Qt Widgets, the settings and the tray icon come
first (the icon shows "loading"), and only then the heavy parts are imported
(qasync, httpx, keyring, the emulator) and the account restored. Nothing on
the UI thread waits on the network or the keyring: the sign-in and every call
of the service run as asyncio tasks on the qasync loop.

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


def run_app(args: Any) -> int:
    """Run the tray app; returns the process exit code."""
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from .core.settings import InvalidSetting
    from .platform.settings_store import SettingsStore, resolve_api_base
    from .ui.qt_compat import guard_none_refcount

    guard_none_refcount()
    demo = bool(getattr(args, "demo", False))
    store = SettingsStore()
    api_base = None
    if not demo:
        try:
            api_base = resolve_api_base(getattr(args, "api_base", None), store)
        except InvalidSetting as exc:
            print(f"{APP_ID}: {exc}", file=sys.stderr)
            return EXIT_USAGE

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)

    # 1. The icon, as early as possible: "loading" until the account is known.
    from .ui.i18n import Translations
    from .ui.icon_painter import IconPainter, IconSpec, Look, panel_is_dark

    translations = Translations(app)
    translations.apply(store.get("language"))
    painter = IconPainter()
    icon = QSystemTrayIcon(painter.icon(IconSpec(Look.LOADING, dark_panel=panel_is_dark())))
    icon.setToolTip(APP_NAME)
    icon.show()
    app.processEvents()

    # 2. Everything else. Another instance running? It gets the command and this one leaves.
    from .logs import setup_logging

    setup_logging(bool(getattr(args, "debug", False)))
    log.info("tray icon shown")
    try:
        from .platform.single_instance import hand_over_to_running_instance
    except ImportError:  # pragma: no cover - the module is optional for the tray itself
        hand_over_to_running_instance = None
    if hand_over_to_running_instance is not None and hand_over_to_running_instance("activate"):
        icon.hide()
        print(f"{APP_NAME} is already running: its task palette was opened.", flush=True)
        return EXIT_OK

    from PySide6.QtGui import QIcon

    from .ui.resources import icon_path
    from .ui.tray import TrayController

    app.setWindowIcon(QIcon(str(icon_path("app"))))
    tray = TrayController(store, painter=painter, tray_icon=icon)
    tray.show()

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    runner = AppRunner(app, tray, store, translations, demo=demo, api_base=api_base)
    with loop:
        try:
            loop.run_until_complete(runner.main())
        except KeyboardInterrupt:
            pass
    return runner.exit_code


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
                 api_base: str | None) -> None:
        import asyncio

        self.app = app
        self.tray = tray
        self.store = store
        self.translations = translations
        self.demo = demo
        self.api_base = api_base
        self.exit_code = EXIT_OK
        self.quit_event = asyncio.Event()
        self.service: Any = None
        self.session: Any = None
        self.controls: Any = None
        self.emulator: Any = None
        self.signin_window: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retry: asyncio.TimerHandle | None = None

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
        from .services.timer_service import TimerService

        tray = self.tray
        tray.quit_requested.connect(self.quit_event.set)
        tray.sign_in_requested.connect(lambda: self.show_sign_in())
        tray.sign_out_requested.connect(lambda: self.spawn(self.sign_out()))
        tray.settings_changed.connect(self.apply_settings)
        self._signals = _QuitOnSignals(self.quit_event.set)

        self.service = TimerService(poll_interval=float(self.store.get("poll_interval")))
        tray.attach(self.service)
        self.service.add_event_listener(self._on_event)
        self._install_controls()
        try:
            if self.demo:
                await self._start_demo()
            else:
                await self._restore()
        except Exception as exc:  # never die silently at start-up
            log.exception("start-up failed")
            tray.notifier.error(str(exc))
        await self.quit_event.wait()
        await self.shutdown()

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

    async def shutdown(self) -> None:
        log.info("quitting")
        if self._retry is not None:
            self._retry.cancel()
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

    # -- signing in -------------------------------------------------------------------------

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
        if await self.sign_in_service(client):
            print(f"Signed in to the demo account as {user.nickname or user.id}: ready "
                  "(left click the tray icon to start or stop, right click for the menu).", flush=True)

    async def _restore(self) -> None:
        from .services.credentials import CredentialStore, CredentialsUnavailable
        from .services.session import SessionManager

        self.session = SessionManager(self.api_base, CredentialStore())
        try:
            client = await self.session.restore()
        except CredentialsUnavailable as exc:
            log.warning("keyring unavailable at start-up: %r", exc)
            self.tray.notifier.error(exc.user_message)
            client = None
        if client is None:
            from .core import timer as T

            self.tray.show_state(T.initial())
            self.show_sign_in()
            return
        await self.sign_in_service(client)

    async def sign_in_service(self, client: Any) -> bool:
        from .api import errors

        try:
            user = await self.service.sign_in(client)
        except errors.AuthError:
            self.show_sign_in(expired=True)
            return False
        except errors.ApiError as exc:
            # No cached account to start offline with: say so and try again a little later.
            self.tray.notifier.error(exc.user_message)
            self._schedule_retry(client)
            return False
        log.info("signed in as user %s", user.id)
        if self.signin_window is not None:
            self.signin_window.close()
        return True

    def _schedule_retry(self, client: Any) -> None:
        import asyncio

        if self._retry is not None:
            self._retry.cancel()
        self._retry = asyncio.get_running_loop().call_later(
            SIGN_IN_RETRY_S, lambda: self.spawn(self.sign_in_service(client)))

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
        window.signed_in.connect(lambda _user, client: self.spawn(self.sign_in_service(client)))
        window.finished.connect(lambda *_: setattr(self, "signin_window", None))
        self.signin_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    async def sign_out(self) -> None:
        if self.service is not None:
            await self.service.sign_out()
        if self.session is not None:
            try:
                await self.session.sign_out()
            except Exception as exc:  # the keyring refused to delete: say so, we are signed out anyway
                message = getattr(exc, "user_message", str(exc))
                self.tray.notifier.error(message)

    def _on_event(self, event: Any) -> None:
        from .services.events import SignedOut

        if isinstance(event, SignedOut):
            self.show_sign_in(expired=True)

    # -- settings ---------------------------------------------------------------------------

    def apply_settings(self, changed: dict) -> None:
        if "language" in changed:
            self.translations.apply(changed["language"])
            self.tray.retranslate()
        if ("hotkey.toggle" in changed or "hotkey.palette" in changed) and self.controls is not None:
            try:
                self.controls.apply_settings()
            except Exception:
                log.exception("re-registering the global shortcuts")
        if "autostart" in changed:
            try:
                from .platform.autostart import apply_autostart

                apply_autostart(bool(changed["autostart"]))
            except ImportError:  # pragma: no cover
                pass
            except OSError as exc:
                self.tray.notifier.error(str(exc))
