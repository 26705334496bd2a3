"""Global shortcuts and shell commands: two thin clients of the timer service.

``install_controls(tray, service, settings, notify)`` is called by the app once
the tray is up. It

* registers the ``hotkey.toggle`` and ``hotkey.palette`` shortcuts with the
  backend that works on this desktop (toggle -> ``tray.toggle()``, palette ->
  ``tray.open_palette()``) and re-registers them on
  :meth:`Controls.apply_settings`; a combination another app holds, or a desktop
  without global shortcuts, is told to the user through ``notify`` (and logged);
* keeps what went wrong with each shortcut in :attr:`Controls.problems`
  (translated), which the settings dialog shows next to the shortcut's field;
* answers the shell commands (``timecrowd-tray toggle|start|stop|status|palette``)
  and a second launch (``activate``) on the single-instance socket.

No widget is created here: whatever the user sees goes through the tray
controller and ``notify``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QCoreApplication

from ..core.fuzzy import best_task_match
from ..core.models import Task
from ..platform.hotkeys import (
    HotkeyBackend,
    HotkeyConflict,
    HotkeyError,
    HotkeyUnsupported,
    InvalidKeySequence,
    create_hotkey_backend,
)
from ..platform.single_instance import AlreadyRunning, InstanceError, InstanceServer, status_document

log = logging.getLogger(__name__)

#: The shortcuts, their setting keys, and what they call on the tray controller.
SHORTCUTS = (("toggle", "hotkey.toggle", "toggle"), ("palette", "hotkey.palette", "open_palette"))
#: How long a command waits for the server to confirm an action before answering.
SETTLE_TIMEOUT = 5.0


def tr(text: str) -> str:
    return QCoreApplication.translate("Controls", text)


def fallback_hint() -> str:
    """What the user is told (once) where no backend works."""
    return tr("Global shortcuts are not available on this desktop. Bind a desktop shortcut to "
              "the command “timecrowd-tray toggle” (and “timecrowd-tray palette”) instead: "
              "see the README, “Global shortcuts”.")


# The shell command that does what each shortcut does (for a desktop shortcut bound by hand).
COMMANDS = {"toggle": "timecrowd-tray toggle", "palette": "timecrowd-tray palette"}


def problem_text(name: str, exc: HotkeyError) -> str:
    """The problem of the shortcut ``name`` in a few words, for the settings dialog (next to its field)."""
    if isinstance(exc, HotkeyConflict):
        return tr("This combination is already used by another application: choose another one.")
    if isinstance(exc, InvalidKeySequence):
        return tr("This combination cannot be used: {reason}").format(reason=exc)
    if isinstance(exc, HotkeyUnsupported):
        return tr("No global shortcut on this desktop: bind a desktop shortcut to “{command}”.").format(
            command=COMMANDS.get(name, "timecrowd-tray toggle"))
    return tr("Not registered: {reason}").format(reason=exc)


def apply_autostart_setting(settings: Any, enabled: bool, notify: Callable[[str], None]) -> bool:
    """Make start-at-login match the ``autostart`` setting just saved as ``enabled``.

    When the login item cannot be written, the user is told why (in their
    language) and the setting is put back, so that the setting and the system
    agree (as ``timecrowd-tray config set autostart`` does). False then.
    """
    from ..platform.autostart import apply_autostart

    try:
        apply_autostart(enabled)
    except OSError as exc:  # AutostartError, or the file system's own
        log.warning("start at login: %s", exc)
        setter = getattr(settings, "set", None)
        if callable(setter):
            try:
                setter("autostart", not enabled)
            except Exception:  # noqa: BLE001 - the notice below is what matters
                log.exception("could not put the autostart setting back")
        notify(tr("Could not change “start at login”: {reason}").format(reason=exc))
        return False
    log.info("start at login %s", "on" if enabled else "off")
    return True


class Controls:
    def __init__(self, tray: Any, service: Any, settings: Any, notify: Callable[[str], None], *,
                 backend: HotkeyBackend | None = None, server: InstanceServer | None = None) -> None:
        self.tray = tray
        self.service = service
        self.settings = settings
        self.notify = notify
        self.backend = backend if backend is not None else create_hotkey_backend()
        self.backend.on_problem = self._late_problem
        self.server = server
        #: {"toggle": "Ctrl+Alt+Shift+T", ...}: what is registered now.
        self.registered: dict[str, str] = {}
        #: {"palette": "This combination is already used by another application: …"}: for the settings dialog.
        self.problems: dict[str, str] = {}
        self._told_unsupported = False
        self._closed = False

    # -- hotkeys ------------------------------------------------------------------

    @property
    def shortcuts_available(self) -> bool:
        return self.backend.name != "none"

    def apply_settings(self) -> dict[str, str]:
        """(Re-)register both shortcuts from the settings; returns :attr:`problems`."""
        self.backend.unregister_all()
        self.registered.clear()
        self.problems.clear()
        for name, key, method in SHORTCUTS:
            sequence = str(self.settings.get(key) or "").strip()
            if not sequence:
                continue  # the user turned this shortcut off
            try:
                self.backend.register(name, sequence, self._action(method))
            except HotkeyConflict as exc:
                self._problem(name, sequence, exc)
            except InvalidKeySequence as exc:
                self._problem(name, sequence, exc)
            except HotkeyUnsupported as exc:
                self._unsupported(name, exc)
            except HotkeyError as exc:  # pragma: no cover - a backend's own failure
                self._problem(name, sequence, exc)
            else:
                self.registered[name] = sequence
                log.info("global shortcut %s -> %s (%s)", sequence, name, self.backend.name)
        return dict(self.problems)

    def on_settings_changed(self, changed: dict[str, Any]) -> None:
        """The settings dialog saved ``changed``: re-register shortcuts, switch start-at-login."""
        if any(str(key).startswith("hotkey.") for key in changed):
            self.apply_settings()
        if "autostart" in changed:
            self.apply_autostart(bool(changed["autostart"]))

    def apply_autostart(self, enabled: bool) -> bool:
        """Create or remove the login item; see :func:`apply_autostart_setting`."""
        return apply_autostart_setting(self.settings, enabled, self.notify)

    def _action(self, method: str) -> Callable[[], None]:
        def run() -> None:
            log.debug("global shortcut: %s", method)
            getattr(self.tray, method)()
        return run

    def _problem(self, name: str, sequence: str, exc: HotkeyError) -> None:
        self.problems[name] = problem_text(name, exc)
        log.warning("global shortcut %s (%s) not registered: %s", sequence, name, exc)
        if isinstance(exc, HotkeyConflict):
            message = tr("The shortcut {shortcut} is already used by another application, so it does "
                         "nothing in TimeCrowd. Choose another one in Settings.").format(shortcut=sequence)
        else:
            message = tr("The shortcut {shortcut} cannot be used: {reason}").format(shortcut=sequence, reason=exc)
        self.notify(message)

    def _unsupported(self, name: str, exc: HotkeyError) -> None:
        self.problems[name] = problem_text(name, exc)
        log.warning("global shortcut for %s not available: %s", name, exc)
        if not self._told_unsupported:
            self._told_unsupported = True
            self.notify(fallback_hint())

    def _late_problem(self, name: str, exc: HotkeyError) -> None:
        """A backend that answers later (the portal) found a problem."""
        if name in self.registered:
            sequence = self.registered.pop(name)
            self._problem(name, sequence, exc)
        elif isinstance(exc, HotkeyUnsupported):
            self.registered.clear()
            self._unsupported(name, exc)
        else:
            self.problems[name] = problem_text(name, exc)
            log.warning("global shortcuts: %s", exc)

    # -- single instance ----------------------------------------------------------

    def start_server(self) -> bool:
        """Listen for shell commands; False (logged) when that is impossible."""
        if self.server is None:
            self.server = InstanceServer(self.handle)
        try:
            self.server.start()
        except AlreadyRunning as exc:
            log.warning("shell commands go to the other instance: %s", exc)
            return False
        except InstanceError as exc:
            log.warning("shell commands will not reach this app: %s", exc)
            return False
        return True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.backend.close()
        finally:
            if self.server is not None:
                self.server.close()

    # -- commands -----------------------------------------------------------------

    def handle(self, request: dict[str, Any]):
        """The single-instance handler: a dict, or an awaitable of one."""
        cmd = request.get("cmd")
        if cmd in ("palette", "activate"):
            self.tray.open_palette()
            return {"ok": True, "outcome": "done", "status": self.status()}
        if cmd == "status":
            return self._status_when_settled()
        if cmd == "toggle":
            return self._toggle()
        if cmd == "start":
            return self._start(request)
        if cmd == "stop":
            return self._stop(request)
        if cmd == "reload_sign_in" and self.reload_sign_in is not None:
            return self.reload_sign_in()
        return {"ok": False, "outcome": "refused", "error": f"unknown command {cmd!r}", "code": "bad_request"}

    #: Set by the app: re-read the sign-in from the keyring (``timecrowd-tray login`` asks for it).
    reload_sign_in: Callable[[], Any] | None = None

    def status(self) -> dict[str, Any]:
        state = self.service.state
        phase = getattr(state.phase, "value", str(state.phase))
        pending = int(getattr(state, "pending_count", 0) or 0)
        running = phase in ("running", "starting")
        if phase == "signed_out":
            kind = "signed_out"
        elif getattr(state, "offline", False) or phase == "loading":
            kind = "offline"
        else:
            kind = "running" if running else "idle"
        task = state.task if running else None
        return status_document(state=kind, task=task, team=self._team_name(state, task),
                               started_at=state.started_at if task is not None else None,
                               now=datetime.now(timezone.utc), pending=pending, source="app")

    @staticmethod
    def _team_name(state: Any, task: Task | None) -> str:
        if task is None or task.team_name:
            return ""
        user = getattr(state, "user", None)
        for team in getattr(user, "teams", ()) or ():
            if team.id == task.team_id:
                return team.name
        return ""

    def _phase(self) -> str:
        phase = self.service.state.phase
        return getattr(phase, "value", str(phase))

    async def _status_when_settled(self) -> dict[str, Any]:
        if self._phase() == "loading":
            await self._first_answer()
        return {"ok": True, "outcome": "done", "status": self.status()}

    async def _first_answer(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait (bounded) until the app heard from the server, or knows it cannot."""
        done = asyncio.Event()

        def check(state: Any) -> None:
            if state.phase.value != "loading" or state.offline:
                done.set()

        remove = self.service.add_listener(check)
        try:
            check(self.service.state)
            await asyncio.wait_for(done.wait(), timeout)
        except asyncio.TimeoutError:
            log.debug("status: the server has not answered within %s s", timeout)
        finally:
            remove()

    # -- answers: what really happened ------------------------------------------------------

    def _refused(self, error: str, code: str = "failed") -> dict[str, Any]:
        return {"ok": False, "outcome": "refused", "error": error, "code": code, "status": self.status()}

    def _not_signed_in(self) -> dict[str, Any] | None:
        if self._phase() == "signed_out":
            return self._refused("not signed in: sign in from the tray menu or with `timecrowd-tray login`",
                                 "signed_out")
        return None

    async def _answer(self, result: Any, action: str, *, stopped: dict[str, Any] | None = None,
                      started: Task | None = None) -> dict[str, Any]:
        """The answer for what ``result`` (an ActionResult, or None: nothing asked) became."""
        if result is None:
            return self._refused("nothing was done: sign in first" if self._phase() == "signed_out"
                                 else "nothing was done", "signed_out" if self._phase() == "signed_out" else "failed")
        if result.refused:
            code = {"signed_out": "signed_out", "no_task": "not_found", "too_long": "bad_request",
                    "empty": "bad_request"}.get(str(result.code), "failed")
            return self._refused(str(result.refusal), code)
        outcome = await self.service.outcome(result, SETTLE_TIMEOUT)
        answer: dict[str, Any] = {"ok": outcome.kind != "refused", "outcome": outcome.kind, "action": action}
        if result.acted_at is not None:
            answer["acted_at"] = datetime.fromtimestamp(result.acted_at, timezone.utc).astimezone().isoformat()
        if started is not None or result.started is not None:
            task = started or result.started
            answer["task"] = {"id": task.id, "title": task.title,
                              "team": task.team_name or self._team_name(self.service.state, task) or None}
        if stopped is not None:
            answer["stopped"] = stopped
        if outcome.kind == "refused":
            answer["error"] = outcome.reason or "TimeCrowd refused it"
            answer["code"] = "refused"
        elif outcome.kind == "queued":
            answer["waiting_for"] = outcome.waiting_for
        answer["status"] = self.status()
        return answer

    # -- commands --------------------------------------------------------------------------

    async def _toggle(self) -> dict[str, Any]:
        refusal = self._not_signed_in()
        if refusal:
            return refusal
        was_running = self._phase() in ("running", "starting")
        if not was_running and not list(getattr(self.service, "recent_tasks", []) or []):
            return self._refused("no recent task to start: use `timecrowd-tray start QUERY`", "not_found")
        before = self.status()
        result = self.tray.toggle()  # as the shortcut: the comment dialog included
        if was_running:
            return await self._answer(result, "stopped", stopped=before)
        return await self._answer(result, "started")

    def _candidates(self) -> list[Task]:
        """The tasks the app knows, most recent first (``recent_tasks`` is the head of ``cached_tasks``)."""
        seen: set[int] = set()
        tasks: list[Task] = []
        for task in getattr(self.service, "cached_tasks", None) or []:
            if task.id not in seen:
                seen.add(task.id)
                tasks.append(task)
        return tasks

    async def _resolve(self, query: str | None, task_id: int | None) -> Task | None:
        candidates = self._candidates()
        if task_id is not None:
            return await self.service.find_task(task_id)
        if not query:
            return candidates[0] if candidates else None
        found = best_task_match(candidates, query)
        if found is not None:
            return found
        results = list(await self.service.search_tasks(query))
        return best_task_match(results, query) or (results[0] if results else None)

    async def _start(self, request: dict[str, Any]) -> dict[str, Any]:
        from ..api import errors

        refusal = self._not_signed_in()
        if refusal:
            return refusal
        query = (request.get("query") or "").strip() or None
        task_id = request.get("task_id")
        if task_id is not None:
            try:
                task_id = int(task_id)
            except (TypeError, ValueError):
                return self._refused(f"not a task id: {task_id!r}", "bad_request")
        try:
            task = await self._resolve(query, task_id)
        except errors.ApiError as exc:
            return self._refused(f"cannot look the task up on TimeCrowd now ({exc.user_message}); nothing "
                                 "was started", "unreachable")
        if task is None:
            if task_id is not None:
                what = f"task {task_id} is not one of your teams' tasks"
            elif query:
                what = f"no task matches {query!r}"
            else:
                what = "no recent task to start: give a QUERY or --task ID"
            return self._refused(what, "not_found")
        state = self.service.state
        if self._phase() in ("running", "starting") and state.task is not None and state.task.id == task.id:
            return {"ok": True, "outcome": "done", "action": "already_running", "status": self.status()}
        before = self.status() if self._phase() in ("running", "starting") else None
        result = self.tray.start_task(task)
        return await self._answer(result, "switched" if before else "started", stopped=before, started=task)

    async def _stop(self, request: dict[str, Any]) -> dict[str, Any]:
        refusal = self._not_signed_in()
        if refusal:
            return refusal
        comment = request.get("comment")
        comment = comment.strip() if isinstance(comment, str) else None
        state = self.service.state
        if self._phase() not in ("running", "starting"):
            if comment:
                return self._refused("the timer is not running: the comment was not added", "not_running")
            return {"ok": True, "outcome": "done", "action": "not_running", "status": self.status()}
        limit = getattr(self.service, "COMMENT_MAX_CHARS", None)
        if comment and limit and len(comment) > limit:
            return self._refused(f"the comment is {len(comment)} characters long; the limit is {limit} "
                                 "(the timer was not stopped)", "bad_request")
        before = self.status()
        ref = state.ref
        result = self.service.request_stop()
        if comment and result.recorded:
            target = result.stopped.ref if result.stopped is not None else ref
            noted = self.service.request_comment(target, comment)
            if noted.refused:
                return await self._answer(result, "stopped", stopped=before) | {
                    "comment_error": noted.refusal}
            result = replace(result, intents=result.intents + noted.intents)
        return await self._answer(result, "stopped", stopped=before)


def install_controls(tray_controller: Any, service: Any, settings: Any, notify: Callable[[str], None],
                     *, backend: HotkeyBackend | None = None, start_server: bool = True) -> Controls:
    """Wire the global shortcuts and the shell commands to the running app (see the module doc)."""
    controls = Controls(tray_controller, service, settings, notify, backend=backend)
    if start_server:
        controls.start_server()
    controls.apply_settings()
    return controls
