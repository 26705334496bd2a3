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
* suspends its shortcuts while a shortcut field of the settings dialog records
  keys (:meth:`Controls.suspend` / :meth:`Controls.resume`, driven by
  :func:`.shortcut_field.shortcut_channel`), so that a combination this app
  grabbed reaches the field instead of running its action; afterwards the saved
  ones are registered again and their problems told to the dialog;
* answers the shell commands (``timecrowd-tray toggle|start|stop|status|palette``)
  and a second launch (``activate``) on the single-instance socket, and
  ``settings_changed`` (``timecrowd-tray config set|reset`` wrote the settings
  file): the settings are read again and handed to :attr:`Controls.settings_changed`,
  which the app sets to apply them as when its settings dialog saves them.

No widget is created here: whatever the user sees goes through the tray
controller and ``notify``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from ..platform.hotkeys import (
    HotkeyBackend,
    HotkeyConflict,
    HotkeyError,
    HotkeyUnsupported,
    InvalidKeySequence,
    create_hotkey_backend,
)
from ..platform.instance.errors import AlreadyRunning, InstanceError
from ..platform.instance.server import InstanceServer
from ..services.commands import Commands

log = logging.getLogger(__name__)

#: The shortcuts, their setting keys, and what they call on the tray controller.
SHORTCUTS = (("toggle", "hotkey.toggle", "toggle"), ("palette", "hotkey.palette", "open_palette"))


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
        #: The shell's timer commands, carried out by the tray (as its shortcut would).
        self.commands = Commands(service, tray)
        #: {"toggle": "Ctrl+Alt+Shift+T", ...}: what is registered now.
        self.registered: dict[str, str] = {}
        #: {"palette": "This combination is already used by another application: …"}: for the settings dialog.
        self.problems: dict[str, str] = {}
        self._told_unsupported = False
        self._closed = False
        # True while a shortcut field records keys (see :meth:`suspend`).
        self.suspended = False
        self._apply_on_resume: bool | None = None  # None: nothing to do; else "quiet" for apply_settings
        from .shortcut_field import shortcut_channel

        self._channel = shortcut_channel()
        self._channel.recording.connect(self._on_recording)
        if self._channel.active:  # a field records already (the dialog opened before the controls)
            self.suspend()

    # -- hotkeys ------------------------------------------------------------------

    @property
    def shortcuts_available(self) -> bool:
        return self.backend.name != "none"

    def apply_settings(self, *, quiet: bool = False) -> dict[str, str]:
        """(Re-)register both shortcuts from the settings; returns :attr:`problems`.

        ``quiet``: a problem is kept in :attr:`problems` (and logged), not notified (the settings
        dialog, which shows it, is open). While :attr:`suspended` on a backend that grabs keys,
        nothing is grabbed: it is done at :meth:`resume`.
        """
        if self.suspended and self.backend.grabs_keys:
            pending = self._apply_on_resume
            self._apply_on_resume = quiet if pending is None else (pending and quiet)
            return dict(self.problems)
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
                self._problem(name, sequence, exc, quiet=quiet)
            except InvalidKeySequence as exc:
                self._problem(name, sequence, exc, quiet=quiet)
            except HotkeyUnsupported as exc:
                self._unsupported(name, exc)
            except HotkeyError as exc:  # pragma: no cover - a backend's own failure
                self._problem(name, sequence, exc, quiet=quiet)
            else:
                self.registered[name] = sequence
                log.info("global shortcut %s -> %s (%s)", sequence, name, self.backend.name)
        self._tell_problems()
        return dict(self.problems)

    def suspend(self) -> None:
        """A shortcut field records keys: this app's shortcuts let every key through until :meth:`resume`.

        A backend that grabs keys (X11, Windows, macOS) gives them back; the portal's are bound by
        the desktop, which would ask again at each bind: they stay, and their actions do nothing.
        """
        if self.suspended or self._closed:
            return
        self.suspended = True
        if self.backend.grabs_keys:
            self.backend.unregister_all()
            self.registered.clear()
            self._apply_on_resume = True
        log.info("global shortcuts suspended: a shortcut is being recorded")

    def resume(self) -> None:
        """No field records any more: the saved shortcuts work again (their problems go to the dialog)."""
        if not self.suspended:
            return
        self.suspended = False
        quiet, self._apply_on_resume = self._apply_on_resume, None
        log.info("global shortcuts resumed")
        if quiet is not None and not self._closed:
            self.apply_settings(quiet=quiet)
        else:
            self._tell_problems()

    def _on_recording(self, recording: bool) -> None:
        if recording:
            self.suspend()
        else:
            self.resume()

    def _tell_problems(self) -> None:
        """The settings dialog, if open, shows what went wrong with the saved shortcuts."""
        try:
            self._channel.problems.emit(dict(self.problems))
        except RuntimeError:  # pragma: no cover - the channel went with the application
            pass

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
            if self.suspended:  # the keys are for the shortcut field that records them
                log.debug("global shortcut %s ignored: a shortcut is being recorded", method)
                return
            log.debug("global shortcut: %s", method)
            getattr(self.tray, method)()
        return run

    def _problem(self, name: str, sequence: str, exc: HotkeyError, *, quiet: bool = False) -> None:
        self.problems[name] = problem_text(name, exc)
        log.warning("global shortcut %s (%s) not registered: %s", sequence, name, exc)
        if quiet:
            return
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
        """A backend that answers later (the portal) found a problem (``name`` ``"*"``: with all of them)."""
        if name in self.registered:
            sequence = self.registered.pop(name)
            self._problem(name, sequence, exc)
        elif isinstance(exc, HotkeyUnsupported):
            # "*" (no portal on this desktop, say): each field of the settings dialog says what to do instead.
            names = list(self.registered) if name == "*" and self.registered else [name]
            self.registered.clear()
            for each in names:
                self._unsupported(each, exc)
        else:
            self.problems[name] = problem_text(name, exc)
            log.warning("global shortcuts: %s", exc)
        self._tell_problems()

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
            self._channel.recording.disconnect(self._on_recording)
        except (RuntimeError, TypeError):  # pragma: no cover - already gone
            pass
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
            return {"ok": True, "outcome": "done", "status": self.commands.status()}
        if cmd == "reload_sign_in" and self.reload_sign_in is not None:
            return self.reload_sign_in(request.get("api_base"))
        if cmd == "settings_changed":
            return self._settings_changed(request.get("keys"))
        if cmd == "whoami":
            return self._whoami()
        return self._command(request)

    #: Set by the app: re-read the sign-in from the keyring (``timecrowd-tray login`` asks for it).
    reload_sign_in: Callable[[], Any] | None = None
    #: Set by the app: apply settings another process wrote (``timecrowd-tray config set`` asks for it),
    #: given as the settings dialog gives what it saved: ``{key: new value}``.
    settings_changed: Callable[[dict[str, Any]], Any] | None = None

    def _settings_changed(self, keys: Any) -> dict[str, Any]:
        """``config set|reset`` wrote ``keys``: read them again from the file and apply them."""
        from ..core.settings import SCHEMA

        def refused(error: str) -> dict[str, Any]:
            return {"ok": False, "outcome": "refused", "error": error, "code": "bad_request"}

        if not isinstance(keys, list) or not keys or not all(isinstance(key, str) for key in keys):
            return refused("settings_changed needs the list of the setting keys that changed")
        unknown = [key for key in keys if key not in SCHEMA]
        if unknown:
            return refused(f"unknown setting {unknown[0]!r}; known settings: {', '.join(SCHEMA)}")
        if self.settings_changed is None:
            return refused("this app cannot apply changed settings")
        reload = getattr(self.settings, "reload", None)
        if callable(reload):
            reload()  # the shell wrote the file: what this process read before is stale
        changed = {key: self.settings.get(key) for key in dict.fromkeys(keys)}
        log.info("settings changed from the shell: %s", ", ".join(changed))
        try:
            self.settings_changed(changed)
        except Exception as exc:  # noqa: BLE001 - the shell is told; the app goes on
            log.exception("applying the settings changed from the shell")
            return {"ok": False, "outcome": "refused", "error": f"could not apply them: {exc}", "code": "failed"}
        return {"ok": True, "outcome": "done", "applied": list(changed)}

    async def _command(self, request: dict[str, Any]) -> dict[str, Any]:
        answer = await self.commands.handle(request)
        if answer is None:
            return {"ok": False, "outcome": "refused", "error": f"unknown command {request.get('cmd')!r}",
                    "code": "bad_request"}
        return answer

    def _whoami(self) -> dict[str, Any]:
        user = self.service.state.user
        if user is None:
            return self.commands.refused("not signed in", "signed_out")
        teams = [{"id": t.id, "name": t.name} for t in user.teams]
        return {"ok": True, "outcome": "done", "user": {"id": user.id, "nickname": user.nickname,
                                                        "email": user.email, "teams": teams},
                "api_base": self.service.api_base,
                "status": self.commands.status()}

    def status(self) -> dict[str, Any]:
        return self.commands.status()


def install_controls(tray_controller: Any, service: Any, settings: Any, notify: Callable[[str], None],
                     *, backend: HotkeyBackend | None = None, start_server: bool = True) -> Controls:
    """Wire the global shortcuts and the shell commands to the running app (see the module doc)."""
    controls = Controls(tray_controller, service, settings, notify, backend=backend)
    if start_server:
        controls.start_server()
    controls.apply_settings()
    return controls
