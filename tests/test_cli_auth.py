"""``timecrowd-tray login / logout / whoami`` as real processes, against the emulator over loopback.

The keyring is a real gnome-keyring on a private session bus (tests/secret_service.py);
HOME and the XDG directories of each process are temporary. The second half runs the
command line in this process, with fake keyrings (one that never answers), a server that
never answers and a fake running app.
"""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import httpx
import keyring.errors
import pytest

from timecrowd_tray.cli import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    auth as auth_cli,
    main as cli_main,
    session as cli_session,
)
from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.platform.instance import (
    client as instance_client,
    errors as instance_errors,
    paths as instance_paths,
)
from timecrowd_tray.services import credentials as credmod
from timecrowd_tray.services.credentials import Credentials, CredentialStore

from secret_service import locked_secret_service, no_keyring_backend, secret_service  # noqa: F401


@pytest.fixture(scope="module")
def emulator():
    state = EmulatorState.seeded()
    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        yield server


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in env.items() if k != "TIMECROWD_API_BASE"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run([sys.executable, "-m", "timecrowd_tray", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def stored(api: str) -> Credentials | None:
    return asyncio.run(CredentialStore().load(api))


def assert_no_secret(result: subprocess.CompletedProcess[str], *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.stdout and secret not in result.stderr


@pytest.mark.keyring_service
def test_login_whoami_logout(secret_service, emulator):  # noqa: F811
    env, url = secret_service.env, emulator.url
    state = emulator.state
    me = state.users[state.me_id]

    result = cli(env, "whoami", "--help")
    assert result.returncode == EXIT_OK

    result = cli(env, "--api-base", url, "whoami")
    assert result.returncode == EXIT_AUTH and "not signed in" in result.stderr

    result = cli(env, "--api-base", url, "login", "--with-token", stdin=f"  {DEMO_TOKEN}\n")
    assert result.returncode == EXIT_OK, result.stderr
    assert me["nickname"] in result.stdout and me["email"] in result.stdout
    assert_no_secret(result, DEMO_TOKEN)
    assert stored(url) == Credentials(access_token=DEMO_TOKEN)

    result = cli(env, "--api-base", url, "whoami")
    assert result.returncode == EXIT_OK, result.stderr
    assert me["nickname"] in result.stdout and url in result.stdout
    assert_no_secret(result, DEMO_TOKEN)

    # The server can also come from the environment variable.
    result = subprocess.run([sys.executable, "-m", "timecrowd_tray", "whoami"],
                            env={**env, "TIMECROWD_API_BASE": url, "QT_QPA_PLATFORM": "offscreen"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == EXIT_OK and me["nickname"] in result.stdout

    result = cli(env, "--api-base", url, "logout")
    assert result.returncode == EXIT_OK and "Signed out" in result.stdout
    assert stored(url) is None
    result = cli(env, "--api-base", url, "logout")
    assert result.returncode == EXIT_OK and "Not signed in" in result.stdout
    result = cli(env, "--api-base", url, "whoami")
    assert result.returncode == EXIT_AUTH


@pytest.mark.keyring_service
def test_rejected_or_empty_token_stores_nothing(secret_service, emulator):  # noqa: F811
    env, url = secret_service.env, emulator.url
    bogus = "bogus-token-0123456789abcdef"
    result = cli(env, "--api-base", url, "login", "--with-token", stdin=bogus + "\n")
    assert result.returncode == EXIT_AUTH
    assert "rejected" in result.stderr and "nothing was stored" in result.stderr
    assert_no_secret(result, bogus)
    assert stored(url) is None

    result = cli(env, "--api-base", url, "login", "--with-token", stdin=" \n")
    assert result.returncode == EXIT_USAGE and "no access token" in result.stderr
    assert stored(url) is None


@pytest.mark.keyring_service
def test_whoami_with_a_revoked_stored_token(secret_service, emulator):  # noqa: F811
    env, url = secret_service.env, emulator.url
    emulator.state.add_token("soon-revoked-token-0123456789", emulator.state.me_id)
    assert cli(env, "--api-base", url, "login", "--with-token",
               stdin="soon-revoked-token-0123456789").returncode == EXIT_OK
    emulator.state.revoke_token("soon-revoked-token-0123456789")
    result = cli(env, "--api-base", url, "whoami")
    assert result.returncode == EXIT_AUTH and "sign in again" in result.stderr


@pytest.mark.keyring_service
def test_locked_keyring(locked_secret_service, emulator):  # noqa: F811
    env, url = locked_secret_service.env, emulator.url
    result = cli(env, "--api-base", url, "login", "--with-token", stdin=DEMO_TOKEN)
    assert result.returncode == EXIT_UNREACHABLE
    assert "locked" in result.stderr and "Unlock" in result.stderr
    assert_no_secret(result, DEMO_TOKEN)
    assert cli(env, "--api-base", url, "whoami").returncode == EXIT_UNREACHABLE
    assert cli(env, "--api-base", url, "logout").returncode == EXIT_UNREACHABLE


def test_no_keyring_backend(no_keyring_backend, emulator, tmp_path: Path):  # noqa: F811
    env = dict(os.environ)
    env["HOME"] = str(tmp_path)
    result = cli(env, "--api-base", emulator.url, "login", "--with-token", stdin=DEMO_TOKEN)
    assert result.returncode == EXIT_UNREACHABLE
    assert "No system keyring" in result.stderr and "gnome-keyring" in result.stderr
    assert_no_secret(result, DEMO_TOKEN)
    # Nothing was written anywhere under HOME or the XDG directories.
    for root in (tmp_path, Path(env["XDG_DATA_HOME"]).parent):
        for path in root.rglob("*"):
            if path.is_file():
                assert DEMO_TOKEN.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("url", ["http://example.com", "ftp://127.0.0.1", "https://user:s3cr3tpw@timecrowd.net"])
def test_unusable_server_url_is_refused(url, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    result = cli(env, "--api-base", url, "whoami")
    assert result.returncode == EXIT_USAGE and "invalid server URL" in result.stderr
    assert "s3cr3tpw" not in result.stderr


@pytest.mark.keyring_service
def test_login_with_browser(secret_service, emulator):  # noqa: F811
    """``login --with-browser``: the test plays the browser with the address the command prints."""
    url = emulator.url
    env = {k: v for k, v in secret_service.env.items() if k != "TIMECROWD_API_BASE"}
    with subprocess.Popen(
            [sys.executable, "-m", "timecrowd_tray", "--api-base", url, "login", "--with-browser",
             "--client-id", DEMO_CLIENT_ID, "--no-browser", "--timeout", "30"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdin and proc.stdout and proc.stderr
            proc.stdin.write(DEMO_CLIENT_SECRET + "\n")
            proc.stdin.close()
            authorize = ""
            for line in proc.stdout:
                if line.strip().startswith(url + "/oauth/authorize?"):
                    authorize = line.strip()
                    break
            assert authorize, proc.stderr.read()
            with httpx.Client(trust_env=False) as browser:
                consent = browser.get(authorize)
                assert consent.status_code == 302
                page = browser.get(consent.headers["location"])
                assert page.status_code == 200 and "close this tab" in page.text
            proc.wait(timeout=30)
            out, err = proc.stdout.read(), proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == EXIT_OK, err
    assert "Signed in" in out
    creds = stored(url)
    assert creds is not None and creds.refresh_token and creds.client_secret == DEMO_CLIENT_SECRET
    for secret in (DEMO_CLIENT_SECRET, creds.access_token, creds.refresh_token):
        assert secret not in out and secret not in err
    assert cli(secret_service.env, "--api-base", url, "logout").returncode == EXIT_OK


# -- in process: fake keyrings, a fake running app ---------------------------------------------
#
# A fake keyring backend cannot be named to a child process (PYTHON_KEYRING_BACKEND only accepts
# the trusted system keyrings), so these tests call the command line's main() in this process,
# with the backend detection pointed at the fake. main() runs in a thread that must come back:
# that is what is tested, not how fast it is.

HANG_GUARD_S = 60.0  # not a timing assertion: a command that never returns fails instead of hanging
KEYRING_TIMEOUT_ENV = "TIMECROWD_TRAY_KEYRING_TIMEOUT"  # the bound of each keyring call, in seconds


class MemoryBackend:
    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service, username):
        self.calls.append("get")
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.calls.append("set")
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.calls.append("delete")
        if (service, username) not in self.data:
            raise keyring.errors.PasswordDeleteError("No such password!")
        del self.data[(service, username)]


class BlockingBackend:
    """A Secret Service whose unlock prompt cannot be shown: no call ever returns (until released)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait()

    def set_password(self, service, username, password):
        self.release.wait()

    def delete_password(self, service, username):
        self.release.wait()


@pytest.fixture
def isolated(monkeypatch):
    """No running app answers (a socket name of our own), no server from the environment."""
    monkeypatch.setenv(instance_paths.INSTANCE_ENV, f"test-{uuid.uuid4().hex[:12]}")
    monkeypatch.delenv("TIMECROWD_API_BASE", raising=False)
    monkeypatch.delenv(KEYRING_TIMEOUT_ENV, raising=False)


@pytest.fixture
def memory_keyring(monkeypatch, isolated):
    backend = MemoryBackend()
    monkeypatch.setattr(credmod, "detect_backend", lambda: backend)
    return backend


@pytest.fixture
def stuck_keyring(monkeypatch, isolated):
    backend = BlockingBackend()
    monkeypatch.setattr(credmod, "detect_backend", lambda: backend)
    monkeypatch.setenv(KEYRING_TIMEOUT_ENV, "0.1")
    yield backend
    backend.release.set()


def run_main(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``timecrowd-tray ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    outcome: dict = {}

    def target():
        try:
            outcome["code"] = cli_main(list(args))
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    capsys.readouterr()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), f"timecrowd-tray {' '.join(args)} never returned"
    captured = capsys.readouterr()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"], captured.out, captured.err


# -- 1. every command ends, whatever the keyring or the server do -------------------------------

@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["whoami"], ["logout"], ["toggle"],
                                     ["login", "--with-token"]])
def test_a_keyring_that_never_answers_is_exit_4(capsys, monkeypatch, stuck_keyring, emulator, command):
    code, out, err = run_main(capsys, monkeypatch, "--api-base", emulator.url, *command, stdin=DEMO_TOKEN)
    assert code == EXIT_UNREACHABLE, (out, err)
    assert "did not answer within 0.1 s" in err and "unlock prompt" in err
    assert DEMO_TOKEN not in out and DEMO_TOKEN not in err


def test_a_stuck_keyring_thread_does_not_keep_the_process_alive(emulator, tmp_path):
    """The waybar case as a real process: ``status`` returns 4 and the interpreter exits."""
    script = textwrap.dedent(f"""
        import sys, threading
        from timecrowd_tray.services import credentials

        class Stuck:
            def get_password(self, service, username):
                threading.Event().wait()

        credentials.detect_backend = Stuck
        from timecrowd_tray.cli import main
        sys.exit(main(["--api-base", {emulator.url!r}, "status"]))
    """)
    env = {**os.environ, "HOME": str(tmp_path), KEYRING_TIMEOUT_ENV: "0.2",
           instance_paths.INSTANCE_ENV: f"test-{uuid.uuid4().hex[:12]}"}
    env.pop("TIMECROWD_API_BASE", None)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            timeout=HANG_GUARD_S, check=False)
    assert result.returncode == EXIT_UNREACHABLE, result.stderr
    assert "did not answer within 0.2 s" in result.stderr


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.parametrize("command", [["whoami"], ["status"], ["toggle"], ["login", "--with-token"]])
def test_a_server_that_never_answers_is_given_up_at_the_deadline(capsys, monkeypatch, memory_keyring,
                                                                  silent_server, command):
    monkeypatch.setattr(cli_session, "COMMAND_DEADLINE_S", 0.3)
    memory_keyring.data[("timecrowd-tray", silent_server)] = Credentials(access_token=DEMO_TOKEN).to_json()
    code, out, err = run_main(capsys, monkeypatch, "--api-base", silent_server, *command,
                              stdin="another-token-0123456789")
    assert code == EXIT_UNREACHABLE, (out, err)
    assert "gave up after 0.3 s" in err and silent_server in err
    assert DEMO_TOKEN not in out + err and "another-token-0123456789" not in out + err


def test_a_blocked_worker_thread_does_not_hold_the_command(isolated):
    """Blocking calls the event loop makes in its default executor (a name lookup) are given up too."""
    import argparse

    release = threading.Event()

    async def body(session) -> int:
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, release.wait)
        return EXIT_OK

    outcome: dict = {}
    args = argparse.Namespace(api_base="http://127.0.0.1:9", debug=False)
    thread = threading.Thread(
        target=lambda: outcome.setdefault("code", cli_session.run_with_session(args, body, deadline=0.1)),
        daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    release.set()
    assert not thread.is_alive() and outcome["code"] == EXIT_UNREACHABLE


# -- 2. a token that cannot be one: its own message, exit 2, nothing sent ------------------------

@pytest.mark.parametrize(("token", "words"), [
    ("tok\x00en-0123456789abcdef", "control character"),
    ("t" * 10_000_000, "too long"),
    ("tok en-0123456789abcdef", "space or a line break"),
    ("token-0123456789\nabcdef\n", "space or a line break"),
    ("tok\ten-0123456789abcdef", "space or a line break"),
    ("tokén-0123456789abcdef", "not plain ASCII"),
])
def test_a_malformed_token_has_its_own_message_and_exit_2(capsys, monkeypatch, memory_keyring, token, words):
    listener = socket.socket()  # a port nobody listens on: a request would be exit 4, not 2
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    code, out, err = run_main(capsys, monkeypatch, "--api-base", url, "login", "--with-token",
                              stdin=f"  {token}\n")
    assert code == EXIT_USAGE, err
    assert words in err and "Nothing was sent or stored" in err
    assert "cannot reach" not in err
    assert "en-0123456789" not in out + err and "tttttttttt" not in out + err
    assert memory_keyring.calls == []


# -- 3. the running app hears of the new sign-in ------------------------------------------------

class FakeApp:
    """Stands in for instance_client.send_request: records the requests, plays the running app."""

    def __init__(self, answer=None, error: BaseException | None = None) -> None:
        self.answer = answer
        self.error = error
        self.requests: list[tuple[dict, float]] = []

    def __call__(self, request, timeout=instance_client.REPLY_TIMEOUT):
        self.requests.append((request, timeout))
        if self.error is not None:
            raise self.error
        return self.answer(request) if callable(self.answer) else self.answer


def test_login_tells_the_running_app_which_signs_in_again(capsys, monkeypatch, memory_keyring, emulator):
    app = FakeApp(lambda request: {"ok": True, "signed_in": True, "api_base": request["api_base"]})
    monkeypatch.setattr(instance_client, "send_request", app)
    code, out, err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                              stdin=DEMO_TOKEN + "\n")
    assert code == EXIT_OK, err
    assert app.requests == [({"cmd": "reload_sign_in", "api_base": emulator.url}, auth_cli.RELOAD_TIMEOUT_S)]
    assert out.splitlines()[-1] == "The running TimeCrowd Tray is signed in again."
    assert DEMO_TOKEN not in out + err and DEMO_TOKEN not in repr(app.requests)


def test_without_a_running_app_login_says_nothing_more(capsys, monkeypatch, memory_keyring, emulator):
    app = FakeApp(None)
    monkeypatch.setattr(instance_client, "send_request", app)
    code, out, err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                              stdin=DEMO_TOKEN)
    assert code == EXIT_OK and len(app.requests) == 1
    assert "running" not in out + err


@pytest.mark.parametrize(("app", "words"), [
    (FakeApp(error=instance_errors.NoAnswer("the running app did not answer within 15 s")), "did not answer"),
    (FakeApp({"ok": False, "error": "the server did not accept the stored sign-in", "code": "signed_out"}),
     "did not accept"),
    (FakeApp({"ok": False, "error": "unknown command 'reload_sign_in'", "code": "bad_request"}), "unknown command"),
    (FakeApp({"ok": True, "signed_in": False}), "still signed out"),
])
def test_login_warns_when_the_running_app_did_not_pick_it_up(capsys, monkeypatch, memory_keyring, emulator,
                                                            app, words):
    monkeypatch.setattr(instance_client, "send_request", app)
    code, _out, err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                               stdin=DEMO_TOKEN)
    assert code == EXIT_OK  # the sign-in is stored: login did its part
    assert "did not pick the new sign-in up" in err and words in err
    assert memory_keyring.data


def test_login_for_another_server_than_the_apps(capsys, monkeypatch, memory_keyring, emulator):
    monkeypatch.setattr(instance_client, "send_request",
                        FakeApp({"ok": True, "signed_in": True, "api_base": "https://timecrowd.net"}))
    code, out, _err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                               stdin=DEMO_TOKEN)
    assert code == EXIT_OK and "uses https://timecrowd.net" in out and "unchanged" in out


def test_an_offline_app_signs_in_when_the_server_answers(capsys, monkeypatch, memory_keyring, emulator):
    monkeypatch.setattr(instance_client, "send_request", FakeApp({"ok": True, "signed_in": False, "retrying": True}))
    code, out, _err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                               stdin=DEMO_TOKEN)
    assert code == EXIT_OK and "signs in as soon as" in out


def test_a_rejected_login_tells_the_app_nothing(capsys, monkeypatch, memory_keyring, emulator):
    app = FakeApp({"ok": True, "signed_in": True})
    monkeypatch.setattr(instance_client, "send_request", app)
    code, _out, _err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "login", "--with-token",
                                stdin="bogus-token-0123456789abcdef")
    assert code == EXIT_AUTH and app.requests == []


def test_logout_tells_the_running_app_only_when_it_deleted_something(capsys, monkeypatch, memory_keyring,
                                                                      emulator):
    app = FakeApp(lambda request: {"ok": True, "signed_in": False, "api_base": request["api_base"]})
    monkeypatch.setattr(instance_client, "send_request", app)
    memory_keyring.data[("timecrowd-tray", emulator.url)] = Credentials(access_token=DEMO_TOKEN).to_json()
    code, out, _err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "logout")
    assert code == EXIT_OK and "Signed out" in out
    assert out.splitlines()[-1] == "The running TimeCrowd Tray is signed out too."
    assert app.requests == [({"cmd": "reload_sign_in", "api_base": emulator.url}, auth_cli.RELOAD_TIMEOUT_S)]
    code, out, _err = run_main(capsys, monkeypatch, "--api-base", emulator.url, "logout")
    assert code == EXIT_OK and "Not signed in" in out and len(app.requests) == 1
