"""The composition root (AppRunner) and the parts it wires (the sign-in flow, the network watcher), with a fake
tray and service: retries, server switches, settings, network."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtNetwork import QNetworkInformation

from timecrowd_tray.api import errors
from timecrowd_tray.app import DESKTOP_FILE_ID, AppRunner
from timecrowd_tray.services import messages as M
from timecrowd_tray.services.credentials import Credentials, CredentialsUnavailable
from timecrowd_tray.services.session import SessionManager
from timecrowd_tray.ui import sign_in_flow
from timecrowd_tray.ui.error_text import error_text
from timecrowd_tray.ui.service_strings import keyring_text

from .conftest import run_async

ROOT = Path(__file__).resolve().parents[2]
Reachability = QNetworkInformation.Reachability


class FakeNotifier:
    def __init__(self):
        self.errors: list[tuple[str, str | None]] = []

    def error(self, message, title=None):
        self.errors.append((message, title))


class FakeTray:
    def __init__(self):
        self.notifier = FakeNotifier()
        self.states = []
        self.shortcut_problems = None

    def show_state(self, state):
        self.states.append(state)

    def retranslate(self):
        pass


class FakeService:
    """sign_in raises the queued errors first; records every call."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.sign_ins = []
        self.sign_outs = 0
        self.network = []
        self.api_base = None  # the server signed in to (as TimerService.api_base)

    async def sign_in(self, client):
        self.sign_ins.append(client)
        await asyncio.sleep(0)
        if self.failures:
            raise self.failures.pop(0)
        self.api_base = client.base_url if hasattr(client, "base_url") else "https://timecrowd.example"
        return SimpleNamespace(id=7)

    async def sign_out(self, reason=None):
        self.sign_outs += 1
        self.api_base = None

    def notify_network_changed(self, online):
        self.network.append(online)


class FakeSession:
    def __init__(self, client, api_base="https://timecrowd.example"):
        self.current_client = client
        self.api_base = api_base
        self.signed_out = False

    async def sign_out(self):
        self.signed_out = True
        self.current_client = None

    async def aclose(self):
        self.current_client = None


class MemoryStore:
    """A credential store in memory (the keyring's interface)."""

    def __init__(self, saved=None):
        self.saved = dict(saved or {})
        self.deleted = []

    async def load(self, api_base):
        return self.saved.get(api_base)

    async def save(self, api_base, credentials):
        self.saved[api_base] = credentials

    async def delete(self, api_base):
        self.deleted.append(api_base)
        return self.saved.pop(api_base, None) is not None


@pytest.fixture
def runner(aloop, settings_store):
    r = AppRunner(None, FakeTray(), settings_store, None, demo=False, api_base="https://timecrowd.example")
    yield r
    if r.sign_in_flow is not None:
        r.sign_in_flow.cancel_retry()


def wired(runner, service):
    """The runner's sign-in flow around ``service``, as ``main()`` wires it; sign-in windows are recorded."""
    flow = runner.wire(service)
    flow.sign_in_windows = []
    flow.show_sign_in = lambda expired=False: flow.sign_in_windows.append((flow.session, expired))
    return flow


def sleep(qtbot, seconds):
    run_async(qtbot, asyncio.sleep(seconds))


# -- 1. the sign-in retry ------------------------------------------------------------------


def test_a_failed_first_sign_in_is_retried_with_the_sessions_client_of_then(qtbot, runner, monkeypatch):
    monkeypatch.setattr(sign_in_flow, "SIGN_IN_RETRY_S", 0.05)
    old, new = object(), object()
    flow = wired(runner, FakeService(errors.ServerError("user info: HTTP 503", status=503)))
    flow.session = FakeSession(old)
    assert run_async(qtbot, flow.sign_in_service(old)) is False
    assert flow._retry is not None
    flow.session.current_client = new  # e.g. the session replaced (and closed) the old client
    qtbot.waitUntil(lambda: len(flow.service.sign_ins) == 2, timeout=2000)
    assert flow.service.sign_ins == [old, new]
    assert flow._retry is None  # signed in: nothing left to retry


def test_signing_in_through_the_window_cancels_the_retry(qtbot, runner, monkeypatch):
    monkeypatch.setattr(sign_in_flow, "SIGN_IN_RETRY_S", 0.05)
    old, new = object(), object()
    flow = wired(runner, FakeService(errors.NetworkError("user info: cannot reach the server")))
    flow.session = FakeSession(old)
    run_async(qtbot, flow.sign_in_service(old))
    assert flow._retry is not None
    flow.session.current_client = new
    flow._signed_in_from_window(new)
    assert flow._retry is None
    sleep(qtbot, 0.15)
    assert flow.service.sign_ins == [old, new]  # no third sign-in from a stale retry


def test_signing_out_cancels_the_retry(qtbot, runner, monkeypatch):
    monkeypatch.setattr(sign_in_flow, "SIGN_IN_RETRY_S", 0.05)
    client = object()
    flow = wired(runner, FakeService(errors.ServerError("user info: HTTP 502", status=502)))
    flow.session = FakeSession(client)
    run_async(qtbot, flow.sign_in_service(client))
    run_async(qtbot, flow.sign_out())
    assert flow._retry is None and flow.session.signed_out
    sleep(qtbot, 0.15)
    assert flow.service.sign_ins == [client]


def test_a_retry_without_a_client_does_nothing(qtbot, runner):
    flow = wired(runner, FakeService())
    flow.session = FakeSession(None)
    flow._retry_sign_in()
    sleep(qtbot, 0.02)
    assert flow.service.sign_ins == []


def test_the_sign_in_failure_is_told_in_words_not_the_clients_summary(qtbot, runner):
    flow = wired(runner, FakeService(errors.ServerError("user info: HTTP 503", status=503)))
    flow.session = FakeSession(object())
    run_async(qtbot, flow.sign_in_service(flow.session.current_client))
    message, title = runner.tray.notifier.errors[-1]
    assert "user info" not in message
    assert message.startswith(M.tr(M.API_SERVER_ERROR, status=503))
    assert title


# -- 2. a new server -------------------------------------------------------------------------


def test_a_new_server_signs_out_of_the_old_and_in_to_the_new(qtbot, runner):
    old_base, new_base = "https://old.example", "https://new.example"
    store = MemoryStore({old_base: Credentials(access_token="old-token-123456"),
                         new_base: Credentials(access_token="new-token-123456")})
    flow = wired(runner, FakeService())
    flow.make_session = lambda base: SessionManager(base, store)
    flow.session = SessionManager(old_base, store)
    old_client = run_async(qtbot, flow.session.restore())
    old_session = flow.session
    closed = []
    flow.signin_window = SimpleNamespace(close=lambda: closed.append(True))

    runner.apply_settings({"api_base": new_base})
    qtbot.waitUntil(lambda: len(flow.service.sign_ins) == 1, timeout=3000)

    assert flow.service.sign_outs == 1  # the service left the old account (its outbox stays on disk)
    assert old_session.current_client is None and old_client._http.is_closed
    assert store.deleted == [] and old_base in store.saved  # the old server's sign-in is kept
    assert flow.session.api_base == new_base
    assert flow.service.sign_ins[0] is flow.session.current_client
    assert flow.service.sign_ins[0].base_url == new_base
    assert closed == [True] and flow.signin_window is None  # the window was for the old server
    run_async(qtbot, flow.session.aclose())


def test_a_new_server_without_a_saved_sign_in_asks_for_one(qtbot, runner):
    store = MemoryStore()
    flow = wired(runner, FakeService())
    flow.make_session = lambda base: SessionManager(base, store)
    flow.session = FakeSession(object(), api_base="https://old.example")
    run_async(qtbot, flow.switch_server("https://new.example/"))
    assert flow.service.sign_ins == []
    assert [(s.api_base, expired) for s, expired in flow.sign_in_windows] == [("https://new.example", False)]


def test_the_same_server_changes_nothing(qtbot, runner):
    flow = wired(runner, FakeService())
    session = flow.session = FakeSession(object(), api_base="https://timecrowd.example")
    run_async(qtbot, flow.switch_server("https://timecrowd.example/"))
    assert flow.session is session and flow.service.sign_outs == 0


# -- 3. errors in words ----------------------------------------------------------------------


def test_start_up_notices_are_translated_texts():
    assert error_text(CredentialsUnavailable("locked", "InitError")) == \
        keyring_text(CredentialsUnavailable("locked"))
    assert error_text(errors.NotFound("stop time entry: HTTP 404")) == M.tr(M.API_NOT_FOUND)
    assert error_text(errors.Forbidden("x: HTTP 403", messages=("権限がありません",))) == "権限がありません"
    assert "KeyError" in error_text(KeyError("internal detail"))
    assert "internal detail" not in error_text(KeyError("internal detail"))


def test_a_keyring_failure_at_start_up_is_told_in_the_shared_text(qtbot, runner):
    class LockedStore(MemoryStore):
        async def load(self, api_base):
            raise CredentialsUnavailable("locked", "InitError")

    flow = wired(runner, FakeService())
    flow.make_session = lambda base: SessionManager(base, LockedStore())
    run_async(qtbot, flow.restore())
    message, _title = runner.tray.notifier.errors[-1]
    assert message == keyring_text(CredentialsUnavailable("locked"))
    assert len(flow.sign_in_windows) == 1


# -- 5. settings go to the controls -----------------------------------------------------------


def test_settings_are_applied_by_the_controls(runner):
    seen = []
    runner.controls = SimpleNamespace(on_settings_changed=seen.append)
    runner.apply_settings({"hotkey.toggle": "Meta+F9", "autostart": True})
    assert seen == [{"hotkey.toggle": "Meta+F9", "autostart": True}]


# -- 9. the network ---------------------------------------------------------------------------


def test_reachability_changes_reach_the_service(runner):
    wired(runner, FakeService())
    runner.network._on_reachability(Reachability.Disconnected)
    runner.network._on_reachability(Reachability.Unknown)
    runner.network._on_reachability(Reachability.Online)
    runner.network._on_reachability(Reachability.Site)
    assert runner.service.network == [False, True, True]


def test_a_server_on_this_computer_is_not_offline_without_a_network(runner):
    flow = wired(runner, FakeService())
    flow.session = FakeSession(object(), api_base="http://127.0.0.1:8080")
    runner.network._on_reachability(Reachability.Disconnected)
    assert runner.service.network == []


def test_the_network_is_watched_from_the_first_time_the_service_goes_offline(runner, monkeypatch):
    """Not before: QtNetwork and the platform's network monitor would cost memory all day for nothing."""
    from timecrowd_tray.services.events import BackOnline, WentOffline

    loads = []
    monkeypatch.setattr(QNetworkInformation, "loadDefaultBackend", staticmethod(lambda: loads.append(1) or False))
    wired(runner, FakeService())
    runner._on_event(BackOnline())
    assert loads == []
    runner._on_event(WentOffline())
    runner._on_event(WentOffline())
    assert loads == [1]  # tried once: a platform without a backend is not asked again


def test_the_app_keeps_the_keyring_in_a_child_process(runner):
    from timecrowd_tray.services.keyring_process import OutOfProcessCredentialStore

    session = wired(runner, FakeService()).make_session("https://timecrowd.example")
    assert isinstance(session.store, OutOfProcessCredentialStore)


def test_httpx_command_line_client_is_kept_out_of_the_app():
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import sys
        from timecrowd_tray.app import skip_httpx_command_line
        skip_httpx_command_line()
        import httpx
        print(callable(httpx.main), sys.modules["httpx._main"] is None, "click" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True", "False"]


def test_watching_the_network_is_safe_anywhere(runner):
    wired(runner, FakeService())
    runner.network.start()  # a backend or none, depending on the machine: never raises
    if runner.network.info is not None:
        runner.network.info.reachabilityChanged.emit(Reachability.Online)
        assert runner.service.network == [True]
        runner.network.close()


# -- 10. the desktop file ---------------------------------------------------------------------


def test_the_desktop_file_name_is_the_packaged_one():
    assert (ROOT / "packaging" / f"{DESKTOP_FILE_ID}.desktop").is_file()


def test_a_new_server_keeps_the_old_accounts_pending_changes(qtbot, app_under_test, settings_store):
    from timecrowd_tray.core.timer import Phase

    app = app_under_test
    runner = AppRunner(None, app.tray, settings_store, None, demo=False, api_base=app.client.base_url)
    flow = runner.wire(app.service)
    asked = []
    flow.show_sign_in = lambda expired=False: asked.append(flow.session.api_base)
    flow.make_session = lambda base: SessionManager(base, MemoryStore())
    flow.session = FakeSession(app.client, api_base=app.client.base_url)
    account = app.service._account
    app.emulator.faults.fail_next(status=503, count=1000)  # the old server is down: the start waits
    app.tray.toggle()
    assert app.service.pending_count == 1

    run_async(qtbot, flow.switch_server("https://new.example"))

    assert app.service.state.phase is Phase.SIGNED_OUT
    assert app.service._outbox.count(account) == 1  # kept on disk, sent when that account signs in again
    assert asked == ["https://new.example"]
    app.emulator.faults.clear()


def test_a_server_chosen_at_start_up_wins_over_the_setting(qtbot, aloop, settings_store):
    runner = AppRunner(None, FakeTray(), settings_store, None, demo=False, api_base="https://fixed.example",
                       api_base_fixed_by="--api-base")
    flow = runner.wire(FakeService())
    session = flow.session = FakeSession(object(), api_base="https://fixed.example")
    runner.apply_settings({"api_base": "https://new.example"})
    sleep(qtbot, 0.02)
    assert flow.session is session and flow.service.sign_outs == 0
    message, _title = runner.tray.notifier.errors[-1]
    assert "--api-base" in message


# -- 11. a first day without traps: the first start, demo mode --------------------------------------


class UnavailableStore(MemoryStore):
    def __init__(self, exc):
        super().__init__()
        self.exc = exc

    async def load(self, api_base):
        raise self.exc


@pytest.mark.parametrize("store", [
    MemoryStore(),  # the keyring has no entry for this server
    UnavailableStore(CredentialsUnavailable("no_backend", "no viable system keyring")),  # no keyring at all
], ids=["no-entry", "no-keyring"])
def test_a_first_start_with_nothing_stored_just_asks_for_a_sign_in(qtbot, runner, store):
    """Nothing was ever saved: no warning about a saved sign-in, only the sign-in window."""
    flow = wired(runner, FakeService())
    flow.make_session = lambda base: SessionManager(base, store)
    run_async(qtbot, flow.restore())
    assert runner.tray.notifier.errors == []
    assert [expired for _session, expired in flow.sign_in_windows] == [False]


@pytest.mark.parametrize("kind", ["locked", "denied", "timeout", "other"])
def test_a_keyring_that_may_hold_the_sign_in_but_refuses_still_says_so(qtbot, runner, kind):
    flow = wired(runner, FakeService())
    flow.make_session = lambda base: SessionManager(base, UnavailableStore(CredentialsUnavailable(kind, "x")))
    run_async(qtbot, flow.restore())
    [(message, title)] = runner.tray.notifier.errors
    assert title == sign_in_flow.tr("Your saved sign-in could not be read")
    assert message == error_text(CredentialsUnavailable(kind, "x"))
    assert len(flow.sign_in_windows) == 1


@pytest.fixture
def demo_runner(aloop, settings_store):
    r = AppRunner(None, FakeTray(), settings_store, None, demo=True, api_base=None)
    yield r
    if r.sign_in_flow is not None:
        r.sign_in_flow.stop()
    if r.emulator is not None:
        r.emulator.stop()


def test_demo_mode_signs_back_in_to_the_emulator_after_a_sign_out(qtbot, demo_runner, capsys):
    """The demo token is nowhere for the user to paste: "Sign in" goes back to the demo at once."""
    runner = demo_runner
    service = FakeService()
    flow = runner.wire(service)
    run_async(qtbot, runner._start_demo(flow))
    url = runner.emulator.url
    assert runner.tray.demo_server == url  # the tray (and its settings dialog) know where the demo is connected
    assert [c.base_url for c in service.sign_ins] == [url]
    run_async(qtbot, flow.sign_out())
    assert flow.session.current_client is None

    flow.show_sign_in()  # the menu's "Sign in…", or a click on the signed-out icon
    qtbot.waitUntil(lambda: len(service.sign_ins) == 2, timeout=5000)
    assert service.sign_ins[1].base_url == url and service.sign_ins[1] is flow.session.current_client
    assert flow.signin_window is None  # no window asking for a token nobody has
    flow.show_sign_in()  # signed in already: nothing more
    sleep(qtbot, 0.1)
    assert len(service.sign_ins) == 2
    assert runner.tray.notifier.errors == []
    assert capsys.readouterr().out.count(": ready") == 2


def test_demo_mode_says_so_when_the_emulator_refuses_the_demo_token(qtbot, demo_runner):
    from timecrowd_tray.emulator import DEMO_TOKEN

    runner = demo_runner
    service = FakeService()
    flow = runner.wire(service)
    run_async(qtbot, runner._start_demo(flow))
    run_async(qtbot, flow.sign_out())
    runner.emulator.state.revoke_token(DEMO_TOKEN)
    flow.show_sign_in()
    qtbot.waitUntil(lambda: bool(runner.tray.notifier.errors), timeout=5000)
    _message, title = runner.tray.notifier.errors[-1]
    assert title == sign_in_flow.tr("Not signed in to the demo")
    assert len(service.sign_ins) == 1 and flow.signin_window is None
    flow.show_sign_in(expired=True)  # what a 401 leads to: said by the service's notice, no loop of sign-ins
    sleep(qtbot, 0.1)
    assert len(service.sign_ins) == 1 and len(runner.tray.notifier.errors) == 1


def test_demo_mode_says_where_a_new_server_setting_applies(demo_runner):
    demo_runner.wire(FakeService())
    demo_runner.apply_settings({"api_base": "https://new.example"})
    message, _title = demo_runner.tray.notifier.errors[-1]
    assert "--demo" in message


# -- 12. `make demo` on a fresh clone: scripts/bootstrap.sh says what it does ------------------------

FAKE_PYTHON = r"""#!/usr/bin/env bash
# A stand-in for python3 and for the venv's python: the calls bootstrap.sh makes, logged to $FAKE_LOG.
echo "python $*" >> "$FAKE_LOG"
case "$1" in
    -c) exit 0 ;;
    --version) echo "Python 3.11.9"; exit 0 ;;
    -m)
        if [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi
        if [ "$2" = pip ]; then
            case " $* " in *" -q "*) ;; *) echo "PIP $*" ;; esac  # as pip: quiet with -q
            case "$*" in *-e*) for p in PySide6 httpx qasync keyring; do echo "Collecting $p>=1"; done
                               echo "Installing collected packages: PySide6, httpx, qasync, keyring"
                               echo "Successfully installed PySide6-6.9 httpx-0.28 qasync-0.27 keyring-25" ;;
            esac
            exit 0
        fi ;;
esac
exit 0
"""


def _bootstrap(tmp_path, venv):
    import os
    import stat
    import subprocess

    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PYTHON": str(fake), "VENV": str(venv), "FAKE_LOG": str(tmp_path / "calls.log")}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "bootstrap.sh")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr, done.stdout


def test_the_first_make_demo_says_it_is_setting_up_before_installing(tmp_path):
    """Not 30 silent seconds: a line before anything is installed, then its progress."""
    venv = tmp_path / "venv"
    output, stdout = _bootstrap(tmp_path, venv)
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines, output
    assert lines[0].startswith(f"Setting up {venv} (first run: about a minute)")
    assert not any(line.startswith("PIP ") for line in lines)  # pip's own chatter is not shown...
    assert "python -m venv" in (tmp_path / "calls.log").read_text()
    assert any("PySide6" in line for line in lines[1:])  # ...but what it is doing is
    assert lines[-1].lower().startswith(f"{venv} is ready")
    again, stdout = _bootstrap(tmp_path, venv)
    assert stdout.strip() == ""  # already set up: quiet, straight to the app


def test_the_icon_is_our_own_status_notifier_item_only_on_a_linux_display_with_a_session_bus(monkeypatch, tmp_path):
    from timecrowd_tray.platform.tray import watcher_probe

    monkeypatch.setattr(watcher_probe.sys, "platform", "linux")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    monkeypatch.delenv("TIMECROWD_TRAY_SNI", raising=False)
    assert watcher_probe.own_item_wanted("xcb") and watcher_probe.own_item_wanted("wayland")
    assert not watcher_probe.own_item_wanted("offscreen")
    monkeypatch.setenv("TIMECROWD_TRAY_SNI", "0")  # README: leave the icon to Qt
    assert not watcher_probe.own_item_wanted("xcb")
    monkeypatch.delenv("TIMECROWD_TRAY_SNI")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no bus socket there
    assert not watcher_probe.own_item_wanted("xcb")
    (tmp_path / "bus").touch()
    assert watcher_probe.own_item_wanted("xcb")
    monkeypatch.setattr(watcher_probe.sys, "platform", "darwin")
    assert not watcher_probe.own_item_wanted("cocoa")
