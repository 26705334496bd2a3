"""The keyring through a child process: same answers and errors as in-process, secrets only on pipes."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import textwrap

import pytest

from timecrowd_tray.services.credentials import Credentials, CredentialStore, CredentialsUnavailable
from timecrowd_tray.services.keyring_process import (
    HELPER_COMMAND,
    OutOfProcessCredentialStore,
    helper_command,
    serve,
)

from secret_service import locked_secret_service, no_keyring_backend, secret_service  # noqa: F401

API = "http://127.0.0.1:8123"
FULL = Credentials(access_token="access-0123456789abcdefghijklmnop", refresh_token="refresh-0123456789abcdef",
                   expires_at=1_700_000_000.0, client_id="my-client", client_secret="client-secret-0123456789")


def run(coro):
    return asyncio.run(coro)


def test_the_helper_is_this_apps_own_executable_and_carries_no_secret():
    command = helper_command()
    assert command[0] == sys.executable and command[-1] == HELPER_COMMAND
    store = OutOfProcessCredentialStore()
    assert store.command == command
    assert not any(secret in " ".join(command) for secret in FULL.secrets())
    assert "OutOfProcess" in repr(store) and "access" not in repr(store)


@pytest.mark.keyring_service
def test_save_load_delete_through_the_child(secret_service):  # noqa: F811
    store = OutOfProcessCredentialStore()
    assert run(store.check()) == "keyring.backends.SecretService.Keyring"
    assert run(store.load(API)) is None
    run(store.save(API, FULL))
    assert run(store.load(API)) == FULL
    assert run(CredentialStore().load(API)) == FULL  # the same entry as the in-process store's
    assert run(store.delete(API)) is True
    assert run(store.delete(API)) is False
    assert run(store.load(API)) is None


@pytest.mark.keyring_service
def test_a_locked_keyring_is_reported_as_locked(locked_secret_service):  # noqa: F811
    store = OutOfProcessCredentialStore()
    with pytest.raises(CredentialsUnavailable) as caught:
        run(store.load(API))
    assert caught.value.kind == "locked"
    assert "Unlock" in caught.value.user_message


def test_no_keyring_at_all_is_no_backend(no_keyring_backend):  # noqa: F811
    with pytest.raises(CredentialsUnavailable) as caught:
        run(OutOfProcessCredentialStore().save(API, FULL))
    assert caught.value.kind == "no_backend"


def test_a_helper_that_cannot_start_or_answers_nonsense_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(CredentialsUnavailable) as caught:
        run(OutOfProcessCredentialStore(command=[str(tmp_path / "missing")]).load(API))
    assert caught.value.kind == "other"
    with pytest.raises(CredentialsUnavailable) as caught:
        run(OutOfProcessCredentialStore(command=[sys.executable, "-c", "print('hello')"]).load(API))
    assert caught.value.kind == "other" and "exited with 0" in caught.value.detail
    slow = OutOfProcessCredentialStore(command=[sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    with pytest.raises(CredentialsUnavailable) as caught:
        run(slow.load(API))
    assert caught.value.kind == "other" and "in time" in caught.value.detail


def test_the_secret_to_save_goes_on_standard_input_only(tmp_path):
    """A stand-in helper records its argv and its input: the token is in the input, not in argv."""
    record = tmp_path / "record.json"
    script = textwrap.dedent(f"""
        import json, sys
        data = sys.stdin.read()
        open({str(record)!r}, "w").write(json.dumps({{"argv": sys.argv, "input": data}}))
        print(json.dumps({{"ok": True, "value": None}}))
    """)
    run(OutOfProcessCredentialStore(command=[sys.executable, "-c", script]).save(API, FULL))
    seen = json.loads(record.read_text())
    assert FULL.access_token not in " ".join(seen["argv"])
    request = json.loads(seen["input"])
    assert request["op"] == "save" and Credentials.from_json(request["credentials"]) == FULL


def test_the_child_answers_one_request_and_rejects_garbage():
    out = io.BytesIO()
    assert serve(io.BytesIO(b"not json"), out) == 2
    assert json.loads(out.getvalue())["ok"] is False
    out = io.BytesIO()
    assert serve(io.BytesIO(b'{"op": "format-disk"}'), out) == 2
    out = io.BytesIO()
    assert serve(io.BytesIO(b'{"op": "load"}'), out) == 0  # no api_base: an error answer, not a crash
    assert json.loads(out.getvalue()) == {"ok": False, "kind": "other", "detail": "ValueError"}


def test_the_hidden_command_is_served_by_the_console_entry_point():
    done = subprocess.run([sys.executable, "-m", "timecrowd_tray", HELPER_COMMAND], input=b"[]",
                          capture_output=True, timeout=60)
    assert done.returncode == 2 and json.loads(done.stdout)["ok"] is False


def test_the_parent_never_imports_keyring(tmp_path):
    """What the child process is for: keyring, secretstorage and cryptography stay out of the app."""
    code = textwrap.dedent(f"""
        import asyncio, json, sys
        from timecrowd_tray.services.keyring_process import OutOfProcessCredentialStore
        answer = 'import json; print(json.dumps({{"ok": True, "value": None}}))'
        store = OutOfProcessCredentialStore(command=[sys.executable, "-c", answer])
        assert asyncio.run(store.load({API!r})) is None
        print(json.dumps(sorted(m for m in ("keyring", "secretstorage", "cryptography") if m in sys.modules)))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == []


def test_the_child_waits_as_long_as_the_keyring_takes(monkeypatch):
    """The shell commands' short keyring bound is not the child's: an unlock prompt may be on screen,
    waiting for the user's password; the parent bounds the child (HELPER_TIMEOUT_S) instead."""
    import threading

    from timecrowd_tray.services import credentials as credmod

    class SlowBackend:
        def get_password(self, service, username):
            threading.Event().wait(0.3)  # the user types the keyring password
            return FULL.to_json()

    monkeypatch.setenv("TIMECROWD_TRAY_KEYRING_TIMEOUT", "0.01")
    monkeypatch.setattr(credmod, "detect_backend", SlowBackend)
    out = io.BytesIO()
    assert serve(io.BytesIO(json.dumps({"op": "load", "api_base": API}).encode()), out) == 0
    answer = json.loads(out.getvalue())
    assert answer["ok"] is True and Credentials.from_json(answer["value"]) == FULL
