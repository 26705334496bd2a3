"""The sign-in flow: from a stored (or typed) sign-in to a signed-in timer service.

:class:`SignInFlow` owns the session (``services.session.SessionManager``) of the server
in use and everything around it: restoring the sign-in from the keyring at start-up (or
the demo token), signing the service in, retrying every :data:`SIGN_IN_RETRY_S` when the
server could not be reached, the sign-in window (one at a time; it closes once signed
in), signing out, switching servers when the setting changes, and re-reading the keyring
when the shell's ``login`` / ``logout`` changed it (:meth:`SignInFlow.reload_sign_in`).

At the very first start nothing is stored: no keyring entry, or no keyring at all (kind
``no_backend``: nothing can have been saved where there is none). Then the sign-in window
opens with no warning; a keyring that is there but locked, refusing or silent (it may hold
the sign-in) is told as "Your saved sign-in could not be read".

In demo mode the sign-in is the demo token, which the user never sees: asking to sign in
(the menu, a click on the signed-out icon) signs in to the demo emulator again at once,
never the sign-in window.

A newer sign-in replaces an older one still under way; a sign-out or a server switch
cancels both it and the retry. The strings are in the translation context "App" (that
of the composition root, where they were first written; the .ts files keep them there).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication

from .error_text import error_text

if TYPE_CHECKING:
    from ..api.client import TimeCrowdClient
    from ..services.session import SessionManager
    from ..services.timer_service import TimerService
    from .notifier import Notifier
    from .signin_window import SignInWindow

log = logging.getLogger(__name__)

SIGN_IN_RETRY_S = 30.0

T = TypeVar("T")


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("App", text, disambiguation, n)


class Spawn(Protocol):
    """Runs ``work`` as a background task of the app (cancelled at shutdown)."""

    def __call__(self, work: Awaitable[T], /) -> asyncio.Task[T]: ...


class SignInFlow:
    """The session of the server in use, and the service signed in with it (see the module doc)."""

    def __init__(self, service: TimerService, notifier: Notifier, spawn: Spawn, *, api_base: str | None,
                 demo: bool) -> None:
        self.service = service
        self.notifier = notifier
        self.spawn = spawn
        self.api_base = api_base  # the server to sign in to (the setting, or --api-base)
        self.demo = demo
        self.demo_url: str | None = None  # the demo emulator, once started
        self.session: SessionManager | None = None
        self.signin_window: SignInWindow | None = None
        self._retry: asyncio.TimerHandle | None = None
        self._sign_in_task: asyncio.Task[bool] | None = None
        self._demo_task: asyncio.Task[None] | None = None
        self._switching = asyncio.Lock()  # one server switch at a time

    @property
    def server(self) -> str | None:
        """The server in use: the session's, else the one to sign in to."""
        return self.session.api_base if self.session is not None else self.api_base

    # -- start-up -------------------------------------------------------------------------

    def make_session(self, api_base: str) -> SessionManager:
        """The sign-in state of ``api_base``, remembered in the system keyring (through a child
        process: the keyring's crypto stays out of the long-running app's memory)."""
        from ..services.keyring_process import OutOfProcessCredentialStore
        from ..services.session import SessionManager

        return SessionManager(api_base, OutOfProcessCredentialStore())

    async def sign_in_demo(self, url: str) -> None:
        """Sign in to the demo emulator at ``url`` with the demo token, in memory only (never the keyring).

        Again after a sign-out: the same session (its server is the emulator's).
        """
        from ..core.endpoint import normalize_api_base
        from ..emulator import DEMO_TOKEN
        from ..services.session import SessionManager

        self.demo_url = url
        if self.session is None or self.session.api_base != normalize_api_base(url):
            self.session = SessionManager(url, None)
        user, client = await self.session.sign_in_with_token(DEMO_TOKEN, remember=False)
        if await self._sign_in_and_wait(client):
            print(f"Signed in to the demo account as {user.nickname or user.id}: ready "
                  "(left click the tray icon to start or stop, right click for the menu).", flush=True)

    def _sign_in_demo_again(self) -> None:
        """The user asked to sign in, in demo mode: back to the demo emulator at once (one at a time)."""
        if self.demo_url is None:
            log.info("demo mode: the emulator is still starting; it signs in when it is up")
            return
        busy = [t for t in (self._demo_task, self._sign_in_task) if t is not None and not t.done()]
        if busy or self.service.api_base is not None:
            return  # signing in, or signed in to the demo already
        self._demo_task = self.spawn(self._demo_sign_in(self.demo_url))

    async def _demo_sign_in(self, url: str) -> None:
        from ..api import errors

        try:
            await self.sign_in_demo(url)
        except errors.ApiError as exc:
            log.warning("demo mode: the emulator refused the demo sign-in: %s", type(exc).__name__)
            self.notifier.error(error_text(exc), tr("Not signed in to the demo"))

    async def restore(self) -> None:
        """Sign in with the sign-in stored for :attr:`api_base`, or ask for one (the sign-in window)."""
        from ..services.credentials import CredentialsUnavailable

        assert self.api_base is not None  # not in demo mode
        session = self.session = self.make_session(self.api_base)
        client: TimeCrowdClient | None
        try:
            client = await session.restore()
        except CredentialsUnavailable as exc:
            log.warning("keyring unavailable at start-up: %r", exc)
            if exc.kind != "no_backend":  # a keyring that may hold the sign-in, but did not give it
                self.notifier.error(error_text(exc), tr("Your saved sign-in could not be read"))
            client = None
        if session is not self.session:
            return  # the server changed meanwhile: that switch signs in
        if client is None:
            await self.service.sign_out()  # nothing to sign in with: not the cached entry either
            self.show_sign_in()
            return
        await self._sign_in_and_wait(client)

    # -- signing the service in -------------------------------------------------------------

    async def sign_in_service(self, client: TimeCrowdClient) -> bool:
        from ..api import errors

        try:
            user = await self.service.sign_in(client)
        except errors.AuthError as exc:
            if self.demo:  # no window can help: the demo token is the app's own
                self.notifier.error(error_text(exc), tr("Not signed in to the demo"))
            self.show_sign_in(expired=True)
            return False
        except errors.ApiError as exc:
            # No cached account to start offline with: say so and try again a little later.
            retry = tr("TimeCrowd Tray tries again in {seconds} seconds.").format(seconds=int(SIGN_IN_RETRY_S))
            self.notifier.error(f"{error_text(exc)}\n{retry}", tr("Not signed in to TimeCrowd"))
            self._schedule_retry()
            return False
        log.info("signed in as user %s", user.id)
        self.cancel_retry()
        if self.signin_window is not None:
            self.signin_window.close()
        return True

    def _spawn_sign_in(self, client: TimeCrowdClient) -> asyncio.Task[bool]:
        """Sign the service in with ``client`` in the background (a newer sign-in replaces an older one)."""
        if self._sign_in_task is not None and not self._sign_in_task.done():
            self._sign_in_task.cancel()
        task = self._sign_in_task = self.spawn(self.sign_in_service(client))
        return task

    async def _sign_in_and_wait(self, client: TimeCrowdClient) -> bool:
        """:meth:`_spawn_sign_in`, then its outcome (False when a newer sign-in or a sign-out cancelled it)."""
        task = self._spawn_sign_in(client)
        await asyncio.wait({task})
        if task.cancelled():
            return False
        return bool(task.result())

    async def _cancel_sign_in(self) -> None:
        task, self._sign_in_task = self._sign_in_task, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    # -- the retry ------------------------------------------------------------------------

    def _schedule_retry(self) -> None:
        self.cancel_retry()
        self._retry = asyncio.get_running_loop().call_later(SIGN_IN_RETRY_S, self._retry_sign_in)

    def cancel_retry(self) -> None:
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

    # -- the sign-in window -----------------------------------------------------------------

    def _signed_in_from_window(self, client: TimeCrowdClient) -> None:
        self.cancel_retry()
        self._spawn_sign_in(client)

    def show_sign_in(self, expired: bool = False) -> None:
        """The sign-in window (one at a time). In demo mode: the demo sign-in again, when the user asks."""
        if self.demo:
            if expired:  # the emulator refused the demo token: said already; the user asks again
                log.info("demo mode: signed out by the emulator; \"Sign in\" signs in to the demo again")
            else:
                self._sign_in_demo_again()
            return
        if self.session is None:
            return
        if self.signin_window is not None:
            self.signin_window.show()
            self.signin_window.raise_()
            self.signin_window.activateWindow()
            return
        from .signin_window import SignInWindow

        window = SignInWindow(self.session, expired=expired)
        window.signed_in.connect(lambda _user, client: self._signed_in_from_window(client))
        window.finished.connect(lambda *_: self._window_closed(window))
        self.signin_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    def _window_closed(self, window: SignInWindow) -> None:
        if self.signin_window is window:
            self.signin_window = None

    # -- signing out, the shell's login and logout, another server ------------------------------

    async def sign_out(self) -> None:
        self.cancel_retry()
        if self._demo_task is not None and not self._demo_task.done():
            self._demo_task.cancel()
        await self._cancel_sign_in()
        await self.service.sign_out()
        if self.session is not None:
            try:
                await self.session.sign_out()
            except Exception as exc:  # the keyring refused to delete: say so, we are signed out anyway
                self.notifier.error(error_text(exc))

    async def reload_sign_in(self, api_base: str | None = None) -> dict[str, object]:
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
        from ..core.endpoint import normalize_api_base
        from ..services.credentials import CredentialsUnavailable

        if self.demo:
            return {"ok": False, "error": "the running app is in demo mode, which never uses the keyring",
                    "code": "failed"}
        async with self._switching:  # not in the middle of a server switch
            session = self.session
            if session is None:
                return {"ok": False, "error": "the running app is still starting; try again in a moment",
                        "code": "failed"}
            answer: dict[str, object] = {"api_base": session.api_base}
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
                self.cancel_retry()
                await self._cancel_sign_in()
                await self.service.sign_out()
                return {**answer, "ok": True, "signed_in": False}
            if client is before and self.service.user is not None:
                return {**answer, "ok": True, "signed_in": True}  # the one in use, and it works
            log.info("reloading the sign-in: signing in with the stored sign-in")
            self.cancel_retry()
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
        from ..core.endpoint import normalize_api_base

        api_base = normalize_api_base(api_base)
        if self.session is not None and self.session.api_base == api_base:
            return
        log.info("server changed: %s -> %s", self.session.api_base if self.session else None, api_base)
        self.cancel_retry()
        await self._cancel_sign_in()
        if self.signin_window is not None:  # it signs in to the old server
            window, self.signin_window = self.signin_window, None
            window.close()
        old, self.session = self.session, None
        self.api_base = api_base
        await self.service.sign_out()
        if old is not None:
            await old.aclose()
        try:
            await self.restore()
        except Exception as exc:
            log.exception("signing in to the new server failed")
            self.notifier.error(error_text(exc))

    # -- shutdown ---------------------------------------------------------------------------

    def stop(self) -> None:
        """No more retries, and the sign-in window closed (the app is quitting)."""
        self.cancel_retry()
        if self.signin_window is not None:
            self.signin_window.close()

    async def aclose(self) -> None:
        """Close the session and its client (at shutdown, once the service is closed)."""
        if self.session is not None and hasattr(self.session, "aclose"):
            await self.session.aclose()
