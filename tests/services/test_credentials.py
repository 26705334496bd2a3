"""Credentials and the keyring wrapper: format, allow-list, error mapping, threads, real keyrings."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
import types

import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from timecrowd_tray.services import credentials as credmod
from timecrowd_tray.services.credentials import (
    SERVICE,
    Credentials,
    CredentialStore,
    CredentialsUnavailable,
)

from secret_service import locked_secret_service, no_keyring_backend, secret_service  # noqa: F401

API = "http://127.0.0.1:8123"
SECRET_A = "access-0123456789abcdefghijklmnop"
SECRET_R = "refresh-0123456789abcdefghijklmnop"
SECRET_C = "client-secret-0123456789abcdefghij"
FULL = Credentials(access_token=SECRET_A, refresh_token=SECRET_R, expires_at=1_700_000_000.0,
                   client_id="my-client", client_secret=SECRET_C)


def run(coro):
    return asyncio.run(coro)


class MemoryBackend:
    """A keyring backend in a dict, recording which thread each call ran on."""

    def __init__(self, fail_with: BaseException | None = None) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.threads: list[int] = []
        self.fail_with = fail_with

    def _enter(self) -> None:
        self.threads.append(threading.get_ident())
        if self.fail_with is not None:
            raise self.fail_with

    def get_password(self, service, username):
        self._enter()
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self._enter()
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self._enter()
        if (service, username) not in self.data:
            raise keyring.errors.PasswordDeleteError("No such password!")
        del self.data[(service, username)]


# -- Credentials -----------------------------------------------------------------

def test_repr_and_str_never_show_secrets():
    for text in (repr(FULL), str(FULL), f"{FULL}", repr([FULL])):
        assert SECRET_A not in text and SECRET_R not in text and SECRET_C not in text
        assert "my-client" in text and "[REDACTED]" in text


def test_json_round_trip_and_bare_token():
    assert Credentials.from_json(FULL.to_json()) == FULL
    minimal = Credentials(access_token=SECRET_A)
    assert Credentials.from_json(minimal.to_json()) == minimal
    # A value stored by hand (secret-tool store ...) is taken as an access token.
    assert Credentials.from_json(f"  {SECRET_A}\n") == minimal
    for bad in ("", "{}", '{"access_token": 5}', "[1, 2]", "{not json"):
        with pytest.raises(ValueError):
            Credentials.from_json(bad)


def test_can_refresh_needs_refresh_token_and_client():
    assert FULL.can_refresh
    assert not Credentials(access_token=SECRET_A).can_refresh
    assert not FULL.replace(client_secret=None).can_refresh


# -- CredentialStore with an injected backend --------------------------------------

def test_store_load_delete_one_entry_per_server():
    backend = MemoryBackend()
    store = CredentialStore(backend=backend)
    run(store.save(API + "/", FULL))  # the user name is the normalised base URL
    assert list(backend.data) == [(SERVICE, API)]
    assert run(store.load(API)) == FULL
    assert run(store.load("http://127.0.0.1:9999")) is None
    assert run(store.delete(API)) is True
    assert run(store.delete(API)) is False
    assert run(store.load(API)) is None


def test_keyring_calls_run_off_the_calling_thread():
    backend = MemoryBackend()
    store = CredentialStore(backend=backend)

    async def scenario():
        await store.save(API, FULL)
        await store.load(API)
        await store.delete(API)

    run(scenario())
    assert backend.threads and threading.get_ident() not in backend.threads


def test_unreadable_entry_is_ignored():
    backend = MemoryBackend()
    backend.data[(SERVICE, API)] = "{broken"
    assert run(CredentialStore(backend=backend).load(API)) is None


@pytest.mark.parametrize(("error", "kind"), [
    (keyring.errors.NoKeyringError("No recommended backend"), "no_backend"),
    (keyring.errors.InitError("Failed to create the collection: Prompt dismissed.."), "locked"),
    (keyring.errors.KeyringLocked("Failed to unlock the collection!"), "locked"),
    (keyring.errors.PasswordSetError("Access denied by the user"), "denied"),
    (PermissionError(13, "Permission denied"), "denied"),
    (RuntimeError("something odd"), "other"),
])
def test_errors_become_one_type_with_a_message(error, kind):
    store = CredentialStore(backend=MemoryBackend(fail_with=error))
    for call in (store.load(API), store.save(API, FULL), store.delete(API)):
        with pytest.raises(CredentialsUnavailable) as caught:
            run(call)
        exc = caught.value
        assert exc.kind == kind
        assert exc.user_message and str(exc) == exc.user_message
        for text in (str(exc), repr(exc), exc.user_message):
            assert SECRET_A not in text and SECRET_C not in text


def test_messages_say_what_to_do():
    assert "gnome-keyring" in CredentialsUnavailable("no_backend").user_message
    assert "KWallet" in CredentialsUnavailable("no_backend").user_message
    assert "Unlock" in CredentialsUnavailable("locked").user_message
    assert "Allow" in CredentialsUnavailable("denied").user_message


# -- the allow-list --------------------------------------------------------------------

def _check(monkeypatch, backend_name: str) -> CredentialsUnavailable:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend_name)
    with pytest.raises(CredentialsUnavailable) as caught:
        run(CredentialStore().save(API, FULL))
    return caught.value


def test_fail_and_null_backends_are_refused(monkeypatch):
    assert _check(monkeypatch, "keyring.backends.fail.Keyring").kind == "no_backend"
    refused = _check(monkeypatch, "keyring.backends.null.Keyring")
    assert refused.kind == "no_backend" and "disabled" in refused.user_message


def test_plaintext_backend_is_refused_and_never_written(monkeypatch):
    writes: list[str] = []

    class PlaintextKeyring(KeyringBackend):
        priority = 0.5

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            writes.append(password)

        def delete_password(self, service, username):
            pass

    module = types.ModuleType("keyrings.alt.file")
    PlaintextKeyring.__module__ = module.__name__
    module.PlaintextKeyring = PlaintextKeyring
    for name in ("keyrings", "keyrings.alt"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "keyrings.alt.file", module)
    refused = _check(monkeypatch, "keyrings.alt.file.PlaintextKeyring")
    assert refused.kind == "no_backend" and "plain" in refused.user_message
    assert writes == []


def test_chainer_yields_only_a_trusted_member():
    from keyring.backends import SecretService, chainer, fail

    class FakeChainer:
        pass

    FakeChainer.__module__, FakeChainer.__qualname__ = chainer.__name__, "ChainerBackend"
    empty = FakeChainer()
    empty.backends = [fail.Keyring()]
    with pytest.raises(CredentialsUnavailable):
        credmod._check_allowed(empty)
    good = SecretService.Keyring()
    mixed = FakeChainer()
    mixed.backends = [fail.Keyring(), good]
    assert credmod._check_allowed(mixed) is good


def test_no_backend_at_all(no_keyring_backend):  # noqa: F811
    store = CredentialStore()
    with pytest.raises(CredentialsUnavailable) as caught:
        run(store.save(API, FULL))
    assert caught.value.kind == "no_backend"
    with pytest.raises(CredentialsUnavailable):
        run(store.load(API))
    with pytest.raises(CredentialsUnavailable):
        run(store.check())


# -- a real Secret Service -------------------------------------------------------------

@pytest.mark.keyring_service
def test_real_secret_service_store_read_delete(secret_service):  # noqa: F811
    store = CredentialStore()
    assert run(store.check()) == "keyring.backends.SecretService.Keyring"
    assert run(store.load(API)) is None
    run(store.save(API, FULL))
    assert run(store.load(API)) == FULL
    # Another process (a second store, libsecret's own tool) sees one entry for this server.
    assert run(CredentialStore().load(API)) == FULL
    if shutil.which("secret-tool"):
        looked_up = subprocess.run(["secret-tool", "lookup", "service", SERVICE, "username", API],
                                   capture_output=True, text=True, env=secret_service.env, check=True)
        assert Credentials.from_json(looked_up.stdout) == FULL
    other = "http://127.0.0.1:9"
    run(store.save(other, Credentials(access_token=SECRET_A + "x")))
    assert run(store.delete(API)) is True
    assert run(store.load(API)) is None
    assert run(store.delete(API)) is False
    assert run(store.load(other)).access_token == SECRET_A + "x"


@pytest.mark.keyring_service
def test_real_secret_service_locked(locked_secret_service):  # noqa: F811
    store = CredentialStore()
    for call in (store.save(API, FULL), store.load(API), store.delete(API)):
        with pytest.raises(CredentialsUnavailable) as caught:
            run(call)
        assert caught.value.kind == "locked"
        assert "Unlock" in caught.value.user_message


def test_only_this_platforms_backends_are_probed():
    from timecrowd_tray.services.credentials import ALLOWED_BACKENDS, _candidates_for

    assert _candidates_for("darwin") == ("keyring.backends.macOS.Keyring",)
    assert _candidates_for("win32") == ("keyring.backends.Windows.WinVaultKeyring",)
    linux = _candidates_for("linux")
    assert "keyring.backends.SecretService.Keyring" in linux and "keyring.backends.kwallet.DBusKeyring" in linux
    assert not any(".macOS." in b or ".Windows." in b for b in linux)
    assert set(linux) | set(_candidates_for("darwin")) | set(_candidates_for("win32")) == set(ALLOWED_BACKENDS)


# -- a keyring that never answers ------------------------------------------------------

HANG_GUARD_S = 60.0  # not a timing assertion: only turns a hang (the defect) into a failure


class BlockingBackend:
    """A keyring whose every call blocks until ``release`` is set (a prompt nobody can see)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[str] = []

    def _block(self, name: str) -> None:
        self.calls.append(name)
        self.release.wait()

    def get_password(self, service, username):
        self._block("get_password")

    def set_password(self, service, username, password):
        self._block("set_password")

    def delete_password(self, service, username):
        self._block("delete_password")


@pytest.fixture
def blocking_backend():
    backend = BlockingBackend()
    yield backend
    backend.release.set()  # let the abandoned threads end


def finishes(fn):
    """``fn()``'s outcome (result or exception), failing the test if it does not come back."""
    outcome: dict = {}

    def target():
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), "the keyring call was never given up"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_a_keyring_call_that_never_returns_is_given_up(blocking_backend):
    store = CredentialStore(backend=blocking_backend, timeout=0.05)
    for make in (lambda: store.load(API), lambda: store.save(API, FULL), lambda: store.delete(API)):
        with pytest.raises(CredentialsUnavailable) as caught:
            finishes(lambda make=make: run(make()))
        exc = caught.value
        assert exc.kind == "timeout"
        assert "did not answer within 0.05 s" in exc.user_message and "unlock prompt" in exc.user_message
        assert str(exc) == exc.user_message
        for text in (str(exc), repr(exc)):
            assert SECRET_A not in text and SECRET_C not in text
    assert blocking_backend.calls == ["get_password", "set_password", "get_password"]


def test_detecting_the_backend_is_bounded_too(monkeypatch, blocking_backend):
    def hanging_detection():
        blocking_backend.release.wait()
        return MemoryBackend()

    monkeypatch.setattr(credmod, "detect_backend", hanging_detection)
    store = CredentialStore(timeout=0.05)
    for make in (store.check, lambda: store.load(API)):
        with pytest.raises(CredentialsUnavailable) as caught:
            finishes(lambda make=make: run(make()))
        assert caught.value.kind == "timeout"


def test_the_bound_comes_from_the_environment(monkeypatch, blocking_backend):
    monkeypatch.delenv(credmod.KEYRING_TIMEOUT_ENV, raising=False)
    assert CredentialStore().call_timeout == credmod.KEYRING_TIMEOUT_S == 10.0
    assert "within 10 s" in CredentialsUnavailable("timeout").user_message
    monkeypatch.setenv(credmod.KEYRING_TIMEOUT_ENV, "0.05")
    store = CredentialStore(backend=blocking_backend)
    assert store.call_timeout == 0.05
    with pytest.raises(CredentialsUnavailable) as caught:
        finishes(lambda: run(store.load(API)))
    assert caught.value.kind == "timeout"
    for bad in ("0", "-3", "nan", "inf", "soon"):
        monkeypatch.setenv(credmod.KEYRING_TIMEOUT_ENV, bad)
        assert credmod.keyring_timeout() == credmod.KEYRING_TIMEOUT_S
    assert CredentialStore(timeout=None).call_timeout is None


def test_an_unbounded_store_waits_for_a_slow_keyring():
    class SlowBackend(MemoryBackend):
        def get_password(self, service, username):
            threading.Event().wait(0.2)
            return super().get_password(service, username)

    backend = SlowBackend()
    backend.data[(SERVICE, API)] = FULL.to_json()
    assert run(CredentialStore(backend=backend, timeout=None).load(API)) == FULL
    assert run(CredentialStore(backend=backend, timeout=30).load(API)) == FULL
