"""The Wayland shortcut backend against the real xdg-desktop-portal frontend (Debian's) on a private bus.

Behind the frontend sits a test implementation of ``org.freedesktop.impl.portal.GlobalShortcuts``
(tests/support/portal_backend.py), as the portal's own integration tests do with python-dbusmock:
it plays the desktop (KDE's dialog, GNOME 48's) and the user pressing keys. The app's side is the
real :class:`PortalBackend`, chosen by the real :func:`create_hotkey_backend` (which asks the bus
nothing: the first bind, on the qasync loop, finds out whether the portal is there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from timecrowd_tray.platform.hotkeys import (
    HotkeyConflict,
    HotkeyError,
    HotkeyUnsupported,
    create_hotkey_backend,
)
from timecrowd_tray.platform.hotkeys.portal import PortalBackend, PortalMissing
from timecrowd_tray.ui.controls import fallback_hint, install_controls

from support.portal_backend import (
    BindAnswer,
    PortalFrontend,
    Recorded,
    ShortcutsBackend,
    bare_bus_config,
    frontend_binary,
)
from support.sni_host import PrivateSessionBus
from support.tools import require, require_all

BIND_TIMEOUT_MS = 15000


def require_frontend() -> None:
    require("dbus-daemon", why="the portal tests need a private D-Bus bus")
    if frontend_binary() is None:
        message = "xdg-desktop-portal is not installed (Debian: xdg-desktop-portal; scripts/system-deps.sh test)"
        if require_all():
            pytest.fail(message, pytrace=False)
        pytest.skip("SKIPPED LOUDLY: " + message)


@dataclass
class Stack:
    bus: PrivateSessionBus
    desktop: ShortcutsBackend
    frontend: PortalFrontend


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    require_frontend()
    with PrivateSessionBus() as bus, ShortcutsBackend(bus) as desktop, PortalFrontend(bus, tmp_path) as frontend:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        yield Stack(bus, desktop, frontend)


class App:
    """The app's side: the backend the factory picks, its problems and the actions the keys ran."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.backend = create_hotkey_backend(["portal"])
        self.problems: list[tuple[str, HotkeyError]] = []
        self.pressed: list[str] = []
        self.backend.on_problem = lambda name, exc: self.problems.append((name, exc))

    def register(self, **shortcuts: str) -> None:
        for name, sequence in shortcuts.items():
            self.backend.register(name, sequence, lambda name=name: self.pressed.append(name))

    def wait_problems(self) -> list[tuple[str, HotkeyError]]:
        self.qtbot.waitUntil(lambda: bool(self.problems), timeout=BIND_TIMEOUT_MS)
        return self.problems

    def wait_bound(self) -> dict[str, str]:
        backend = self.backend
        assert isinstance(backend, PortalBackend), backend
        self.qtbot.waitUntil(lambda: backend.bind_done is not None and backend.bind_done.done(),
                             timeout=BIND_TIMEOUT_MS)
        assert backend.bind_done is not None
        return backend.bind_done.result()

    def close(self) -> None:
        """Close the backend and wait until its session and connection are closed (before the bus goes)."""
        self.backend.close()
        shutdown = getattr(self.backend, "shutdown_done", None)
        if shutdown is not None:
            self.qtbot.waitUntil(shutdown.done, timeout=5000)


@pytest.fixture
def app(stack, qloop, qtbot) -> Iterator[App]:
    app = App(qtbot)
    yield app
    app.close()


def test_the_factory_picks_the_portal_and_the_first_bind_finds_it(stack, app):
    assert isinstance(app.backend, PortalBackend)
    assert app.backend.version is None  # not asked yet: choosing the backend sends nothing
    app.register(toggle="Ctrl+Alt+Shift+T")
    app.wait_bound()
    assert app.backend.version == stack.frontend.version() == 1
    assert app.problems == []


def test_create_session_bind_and_activate(stack, app, qtbot):
    app.register(toggle="Ctrl+Alt+Shift+T", palette="Ctrl+Alt+Shift+Space")
    bound = app.wait_bound()

    assert bound == {"toggle": "Press CTRL+ALT+SHIFT+t", "palette": "Press CTRL+ALT+SHIFT+space"}
    assert app.problems == []
    # What the desktop was asked, through the frontend: one session, both shortcuts in one call.
    (create,) = stack.desktop.calls_to("CreateSession")
    _handle, session, app_id, _options = create.body
    assert session.startswith("/org/freedesktop/portal/desktop/session/")
    assert app_id == ""  # a host app: the desktop names it from its window / .desktop file
    (bind,) = stack.desktop.calls_to("BindShortcuts")
    assert bind.body[1] == session
    assert bind.body[2] == [
        ("toggle", {"description": ("s", "TimeCrowd: start or stop the timer"),
                    "preferred_trigger": ("s", "CTRL+ALT+SHIFT+t")}),
        ("palette", {"description": ("s", "TimeCrowd: open the task palette"),
                     "preferred_trigger": ("s", "CTRL+ALT+SHIFT+space")}),
    ]

    stack.desktop.activate("toggle")
    qtbot.waitUntil(lambda: app.pressed == ["toggle"], timeout=5000)
    stack.desktop.activate("palette")
    qtbot.waitUntil(lambda: app.pressed == ["toggle", "palette"], timeout=5000)


def test_a_changed_shortcut_binds_a_new_session_and_closes_the_old(stack, app, qtbot):
    app.register(toggle="Ctrl+Alt+Shift+T")
    app.wait_bound()
    (first,) = stack.desktop.live_sessions()

    app.register(toggle="Ctrl+Alt+Shift+K")
    assert app.wait_bound() == {"toggle": "Press CTRL+ALT+SHIFT+k"}
    qtbot.waitUntil(lambda: stack.desktop.closed_sessions == [first], timeout=5000)
    (second,) = stack.desktop.live_sessions()
    assert second != first

    stack.desktop.activate("toggle", session=first)   # the frontend drops it: that session is closed
    stack.desktop.activate("toggle", session=second)
    qtbot.waitUntil(lambda: app.pressed == ["toggle"], timeout=5000)
    assert app.problems == []


def test_a_restarted_frontend_gets_the_shortcuts_again(stack, app, qtbot):
    """The portal restarts (a crash, an update): its sessions are gone, the app binds again by itself."""
    app.register(toggle="Ctrl+Alt+Shift+T")
    app.wait_bound()
    stack.frontend.stop()
    stack.frontend.start()

    qtbot.waitUntil(lambda: len(stack.desktop.calls_to("BindShortcuts")) == 2, timeout=BIND_TIMEOUT_MS)
    app.wait_bound()
    stack.desktop.activate("toggle")
    qtbot.waitUntil(lambda: app.pressed == ["toggle"], timeout=5000)
    assert app.problems == []


def test_unregistering_everything_closes_the_session(stack, app, qtbot):
    app.register(toggle="Ctrl+Alt+Shift+T")
    app.wait_bound()
    (session,) = stack.desktop.live_sessions()
    app.backend.unregister("toggle")
    qtbot.waitUntil(lambda: stack.desktop.closed_sessions == [session], timeout=5000)


def receiver_tasks(loop) -> list:
    return [t for t in asyncio.all_tasks(loop) if "DBusRouter._receiver" in repr(t.get_coro())]


def test_closing_the_backend_closes_the_session_and_its_connection(stack, qloop, qtbot):
    app = App(qtbot)
    app.register(toggle="Ctrl+Alt+Shift+T")
    app.wait_bound()
    (session,) = stack.desktop.live_sessions()
    (reader,) = receiver_tasks(qloop)

    app.close()
    qtbot.waitUntil(lambda: stack.desktop.closed_sessions == [session], timeout=5000)
    # The connection's reader is stopped, not left to die on the closed socket
    # (that would end in "Task exception was never retrieved" on stderr).
    qtbot.waitUntil(reader.done, timeout=5000)
    assert reader.cancelled()


def test_a_combination_the_desktop_does_not_bind_is_a_conflict(stack, app, qtbot):
    stack.desktop.bind_answer = BindAnswer(refuse={"palette"})
    app.register(toggle="Ctrl+Alt+Shift+T", palette="Ctrl+Alt+Shift+Space")

    assert app.wait_bound() == {"toggle": "Press CTRL+ALT+SHIFT+t"}
    assert [(name, type(exc)) for name, exc in app.problems] == [("palette", HotkeyConflict)]
    assert "Ctrl+Alt+Shift+Space" in str(app.problems[0][1])
    stack.desktop.activate("toggle")
    qtbot.waitUntil(lambda: app.pressed == ["toggle"], timeout=5000)


def test_a_dialog_the_user_cancels_is_reported_for_each_shortcut(stack, app):
    stack.desktop.bind_answer = BindAnswer(response=1)
    app.register(toggle="Ctrl+Alt+Shift+T", palette="Ctrl+Alt+Shift+Space")

    assert app.wait_bound() == {}
    assert sorted(name for name, _exc in app.problems) == ["palette", "toggle"]
    assert all(type(exc) is HotkeyUnsupported and "not confirmed" in str(exc) for _n, exc in app.problems)


def test_a_desktop_that_fails_the_bind_is_reported_once(stack, app):
    stack.desktop.bind_answer = BindAnswer(response=2)
    app.register(toggle="Ctrl+Alt+Shift+T", palette="Ctrl+Alt+Shift+Space")

    assert app.wait_bound() == {}
    assert [(name, type(exc)) for name, exc in app.problems] == [("*", HotkeyUnsupported)]
    assert "refused" in str(app.problems[0][1])


def test_a_desktop_that_refuses_the_session_is_reported_once(stack, app):
    stack.desktop.create_response = 2
    app.register(toggle="Ctrl+Alt+Shift+T")

    assert app.wait_bound() == {}
    assert [(name, type(exc)) for name, exc in app.problems] == [("*", HotkeyUnsupported)]
    assert stack.desktop.calls_to("BindShortcuts") == []


# -- no portal ---------------------------------------------------------------------------------


def test_a_frontend_without_a_shortcuts_backend_means_no_portal(tmp_path, monkeypatch, qloop, qtbot):
    """GNOME before 48: the frontend runs, but no backend of this desktop offers GlobalShortcuts."""
    require_frontend()
    with PrivateSessionBus() as bus:
        frontend = PortalFrontend(bus, tmp_path, backend_name="org.freedesktop.impl.portal.Nobody")
        frontend.write_portal_file(interfaces="org.freedesktop.impl.portal.Nothing")
        frontend.start(expect_shortcuts=False)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        app = App(qtbot)
        try:
            app.register(toggle="Ctrl+Alt+Shift+T")
            ((name, exc),) = app.wait_problems()
            assert name == "*" and isinstance(exc, PortalMissing)
            assert "org.freedesktop.portal.GlobalShortcuts" in str(exc)
        finally:
            app.close()
            frontend.stop()


def test_a_bus_without_any_portal_means_no_portal(tmp_path, monkeypatch, qloop, qtbot):
    require("dbus-daemon", why="the portal tests need a private D-Bus bus")
    with PrivateSessionBus(config_file=bare_bus_config(tmp_path)) as bus:  # nothing the bus could start
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        app = App(qtbot)
        try:
            app.register(toggle="Ctrl+Alt+Shift+T", palette="Ctrl+Alt+Shift+Space")
            ((name, exc),) = app.wait_problems()  # once, for both
            assert name == "*" and isinstance(exc, PortalMissing)
            assert "org.freedesktop.portal.GlobalShortcuts" in str(exc)
            assert "ServiceUnknown" in str(exc)
        finally:
            app.close()


def test_choosing_the_portal_asks_a_hung_frontend_nothing_and_its_silence_is_reported_later(
        tmp_path, monkeypatch, qloop, qtbot):
    """A frontend that never answers: the backend is created at once, and only the loop waits for it."""
    require("dbus-daemon", why="the portal tests need a private D-Bus bus")
    monkeypatch.setattr(PortalBackend, "discovery_timeout", 1.0)  # 25 s in the app
    with PrivateSessionBus(config_file=bare_bus_config(tmp_path)) as bus, \
            ShortcutsBackend(bus, name="org.freedesktop.portal.Desktop", mute=True) as hung:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        app = App(qtbot)
        try:
            assert isinstance(app.backend, PortalBackend)
            assert hung.calls == [] and app.backend._conn is None  # no connection, so no call, on this thread
            app.register(toggle="Ctrl+Alt+Shift+T")
            assert hung.calls == [] and app.problems == []      # the bind waits for the loop
            ((name, exc),) = app.wait_problems()
            assert [c.member for c in hung.calls] == ["Get"]    # the version, asked from the loop
            assert name == "*" and isinstance(exc, PortalMissing) and "did not answer" in str(exc)
        finally:
            app.close()


class Settings(dict):
    def get(self, key, default=None):
        return super().get(key, default)


def test_the_controls_tell_a_desktop_without_the_portal_as_before(tmp_path, monkeypatch, qloop, qtbot):
    """Start-up through install_controls: the same hint and per-shortcut texts, once the bind found no portal."""
    require("dbus-daemon", why="the portal tests need a private D-Bus bus")
    with PrivateSessionBus(config_file=bare_bus_config(tmp_path)) as bus:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        monkeypatch.setenv("TIMECROWD_TRAY_HOTKEY_BACKEND", "portal")
        notes: list[str] = []
        settings = Settings({"hotkey.toggle": "Ctrl+Alt+Shift+T", "hotkey.palette": "Ctrl+Alt+Shift+Space"})
        controls = install_controls(object(), object(), settings, notes.append, start_server=False)
        try:
            assert isinstance(controls.backend, PortalBackend)
            assert notes == [] and controls.problems == {}  # nothing known yet: the bind runs on the loop
            qtbot.waitUntil(lambda: bool(notes), timeout=BIND_TIMEOUT_MS)
            assert notes == [fallback_hint()]
            assert set(controls.problems) == {"toggle", "palette"}
            assert "timecrowd-tray toggle" in controls.problems["toggle"]
            assert "timecrowd-tray palette" in controls.problems["palette"]
            assert controls.registered == {}
        finally:
            controls.close()
            shutdown = getattr(controls.backend, "shutdown_done", None)
            if shutdown is not None:
                qtbot.waitUntil(shutdown.done, timeout=5000)


def test_a_frontend_that_leaves_mid_bind_fails_the_bind_at_once(stack, app, qtbot):
    """The desktop's dialog is open when xdg-desktop-portal goes: no 120 s wait for an answer that cannot come."""
    stack.desktop.bind_answer = BindAnswer(hold=True)
    app.register(toggle="Ctrl+Alt+Shift+T")
    qtbot.waitUntil(lambda: len(stack.desktop.calls_to("BindShortcuts")) == 1, timeout=BIND_TIMEOUT_MS)
    stack.frontend.stop()

    assert app.wait_bound() == {}
    ((name, exc),) = app.problems
    assert name == "*" and isinstance(exc, HotkeyUnsupported) and "left the session bus" in str(exc)
    # It comes back (restarted): the shortcuts are bound again, by themselves.
    stack.desktop.bind_answer = BindAnswer()
    stack.frontend.start()
    qtbot.waitUntil(lambda: len(stack.desktop.calls_to("BindShortcuts")) == 2, timeout=BIND_TIMEOUT_MS)
    assert app.wait_bound() == {"toggle": "Press CTRL+ALT+SHIFT+t"}


class FrontendLeavingWithTheCall(ShortcutsBackend):
    """Owns ``org.freedesktop.portal.Desktop``, tells its version, and gives no answer to CreateSession: it
    goes away with that call unanswered (the real one hands a request to the desktop before answering it)."""

    def _answer(self, message) -> None:
        from jeepney.low_level import HeaderFields

        if message.header.fields.get(HeaderFields.member) == "CreateSession":
            self.calls.append(Recorded("CreateSession", tuple(message.body)))
            return
        super()._answer(message)


def test_a_frontend_that_leaves_before_answering_the_call_fails_the_bind_at_once(tmp_path, monkeypatch, qloop, qtbot):
    """Gone between taking the request and answering its call: the bus's NoReply is the frontend leaving
    (told the same as a frontend that leaves before the Response), not a refusal."""
    require("dbus-daemon", why="the portal tests need a private D-Bus bus")
    with PrivateSessionBus(config_file=bare_bus_config(tmp_path)) as bus, \
            FrontendLeavingWithTheCall(bus, name="org.freedesktop.portal.Desktop") as frontend:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        app = App(qtbot)
        try:
            app.register(toggle="Ctrl+Alt+Shift+T")
            qtbot.waitUntil(lambda: bool(frontend.calls_to("CreateSession")), timeout=BIND_TIMEOUT_MS)
            frontend.stop()
            assert app.wait_bound() == {}
            ((name, exc),) = app.problems
            assert name == "*" and type(exc) is HotkeyUnsupported and "left the session bus" in str(exc)
        finally:
            app.close()


def test_the_frontend_is_started_by_the_bus_as_on_a_desktop(tmp_path, monkeypatch, qloop, qtbot):
    """No frontend running: the first call D-Bus-activates Debian's xdg-desktop-portal, which finds the backend."""
    require_frontend()
    with PrivateSessionBus() as bus, ShortcutsBackend(bus) as desktop:
        frontend = PortalFrontend(bus, tmp_path)
        frontend.write_portal_file()
        frontend.export_activation_environment()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        app = App(qtbot)
        try:
            app.register(toggle="Ctrl+Alt+Shift+T")
            assert app.wait_bound() == {"toggle": "Press CTRL+ALT+SHIFT+t"}
            desktop.activate("toggle")
            qtbot.waitUntil(lambda: app.pressed == ["toggle"], timeout=5000)
        finally:
            app.close()
            frontend.stop_activated()
            frontend.stop()

