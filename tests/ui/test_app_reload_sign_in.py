"""SignInFlow.reload_sign_in: the shell's ``login`` / ``logout`` changed the keyring, the running app follows.

A fake tray and timer service, a real SessionManager over an in-memory credential store
(no request is made: the fake service never uses the client).
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from timecrowd_tray.api import errors
from timecrowd_tray.app import AppRunner
from timecrowd_tray.services.credentials import Credentials, CredentialsUnavailable
from timecrowd_tray.services.session import SessionManager
from timecrowd_tray.ui import sign_in_flow

from .conftest import run_async

BASE = "https://timecrowd.example"
OLD = Credentials(access_token="revoked-token-0123456789")
NEW = Credentials(access_token="fresh-token-0123456789")


class FakeNotifier:
    def __init__(self):
        self.errors = []

    def error(self, message, title=None):
        self.errors.append((message, title))


class FakeTray:
    def __init__(self):
        self.notifier = FakeNotifier()
        self.shortcut_problems = None

    def settings_saved(self, changed):  # `config set` in the shell: applied as the dialog's save
        pass


class FakeService:
    """``sign_in`` raises the queued errors first; ``user`` is set while signed in."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.sign_ins = []
        self.sign_outs = 0
        self.user = None

    async def sign_in(self, client):
        self.sign_ins.append(client)
        await asyncio.sleep(0)
        if self.failures:
            self.user = None
            raise self.failures.pop(0)
        self.user = SimpleNamespace(id=7)
        return self.user

    async def sign_out(self, reason=None):
        self.sign_outs += 1
        self.user = None


class MemoryStore:
    def __init__(self, saved=None, fail=None):
        self.saved = dict(saved or {})
        self.fail = fail

    async def load(self, api_base):
        if self.fail is not None:
            raise self.fail
        return self.saved.get(api_base)

    async def save(self, api_base, credentials):
        self.saved[api_base] = credentials

    async def delete(self, api_base):
        return self.saved.pop(api_base, None) is not None


@pytest.fixture
def app_runner(aloop, settings_store):
    return AppRunner(None, FakeTray(), settings_store, None, demo=False, api_base=BASE)


@pytest.fixture
def flow(qtbot, app_runner):
    """The app's sign-in flow, as ``AppRunner.main`` wires it (around a fake service); sign-in windows recorded."""
    f = app_runner.wire(FakeService())
    f.sign_in_windows = []
    f.show_sign_in = lambda expired=False: f.sign_in_windows.append(expired)
    yield f
    f.cancel_retry()
    if f.session is not None:
        run_async(qtbot, f.session.aclose())


def signed_in_app(qtbot, flow, store, *failures):
    """The flow as after start-up: session restored from ``store``, service signed in with it."""
    flow.service = FakeService(*failures)
    flow.session = SessionManager(BASE, store)
    client = run_async(qtbot, flow.session.restore())
    run_async(qtbot, flow._sign_in_and_wait(client))
    return client


def test_a_new_sign_in_replaces_a_revoked_one(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    old_client = signed_in_app(qtbot, flow, store)
    # The server revoked the token: the service is signed out, the sign-in window asks for a new one.
    run_async(qtbot, flow.service.sign_out())
    closed = []
    flow.signin_window = SimpleNamespace(close=lambda: closed.append(True))

    store.saved[BASE] = NEW  # `timecrowd-tray login --with-token` in a shell
    answer = run_async(qtbot, flow.reload_sign_in())

    assert answer == {"ok": True, "signed_in": True, "api_base": BASE}
    client = flow.session.current_client
    assert client is not old_client and flow.service.sign_ins[-1] is client
    assert flow.service.user is not None and flow.session.remembered
    assert closed == [True]  # the sign-in window closes once signed in
    assert old_client._http.is_closed


def test_the_api_base_of_the_shell_command_may_be_given(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    signed_in_app(qtbot, flow, store)
    store.saved[BASE] = NEW
    answer = run_async(qtbot, flow.reload_sign_in(BASE + "/"))
    assert answer["ok"] and answer["signed_in"] and len(flow.service.sign_ins) == 2


def test_a_sign_in_for_another_server_changes_nothing(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    client = signed_in_app(qtbot, flow, store)
    store.saved[BASE] = NEW
    answer = run_async(qtbot, flow.reload_sign_in("https://other.example"))
    assert answer == {"ok": True, "signed_in": True, "api_base": BASE}
    assert flow.service.sign_ins == [client] and flow.session.current_client is client


def test_the_same_working_sign_in_changes_nothing(qtbot, flow):
    client = signed_in_app(qtbot, flow, MemoryStore({BASE: OLD}))
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer == {"ok": True, "signed_in": True, "api_base": BASE}
    assert flow.service.sign_ins == [client] and flow.session.current_client is client


def test_nothing_stored_any_more_signs_the_app_out(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    signed_in_app(qtbot, flow, store)
    store.saved.clear()  # `timecrowd-tray logout`
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer == {"ok": True, "signed_in": False, "api_base": BASE}
    assert flow.service.sign_outs == 1 and flow.service.user is None
    assert not flow.session.is_signed_in
    assert flow.sign_in_windows == []  # signed out on purpose: no window pops up


def test_a_stored_sign_in_the_server_refuses(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    signed_in_app(qtbot, flow, store)
    flow.service.failures.append(errors.Unauthorized("user info: HTTP 401"))
    store.saved[BASE] = NEW
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer["ok"] is False and answer["code"] == "signed_out" and BASE in answer["error"]
    assert flow.sign_in_windows == [True]  # the window asks for a new sign-in


def test_an_unreachable_server_is_retried(qtbot, flow, monkeypatch):
    monkeypatch.setattr(sign_in_flow, "SIGN_IN_RETRY_S", 30.0)
    store = MemoryStore({BASE: OLD})
    signed_in_app(qtbot, flow, store)
    flow.service.failures.append(errors.NetworkError("user info: cannot reach the server"))
    store.saved[BASE] = NEW
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer == {"ok": True, "signed_in": False, "retrying": True, "api_base": BASE}
    assert flow._retry is not None


def test_an_unreadable_keyring_changes_nothing(qtbot, flow):
    store = MemoryStore({BASE: OLD})
    client = signed_in_app(qtbot, flow, store)
    store.fail = CredentialsUnavailable("locked", "KeyringLocked")
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer["ok"] is False and answer["code"] == "failed" and "locked" in answer["error"]
    assert flow.session.current_client is client and flow.service.user is not None
    assert "revoked-token" not in repr(answer)


def test_demo_mode_and_start_up_are_refused(qtbot, flow):
    assert run_async(qtbot, flow.reload_sign_in())["code"] == "failed"  # no session yet
    flow.demo = True
    answer = run_async(qtbot, flow.reload_sign_in())
    assert answer["ok"] is False and "demo" in answer["error"]


def test_the_controls_get_the_handler(app_runner, flow, monkeypatch):
    from timecrowd_tray.ui import controls as controls_module

    made = SimpleNamespace(problems={})
    monkeypatch.setattr(controls_module, "install_controls", lambda *args, **kwargs: made)
    app_runner._install_controls()
    assert app_runner.controls is made and made.reload_sign_in == flow.reload_sign_in
