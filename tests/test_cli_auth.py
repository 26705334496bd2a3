"""``timecrowd-tray login / logout / whoami`` as real processes, against the emulator over loopback.

The keyring is a real gnome-keyring on a private session bus (tests/secret_service.py);
HOME and the XDG directories of each process are temporary.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from secret_service import locked_secret_service, no_keyring_backend, secret_service  # noqa: F401

from timecrowd_tray.cli import EXIT_AUTH, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.services.credentials import Credentials, CredentialStore


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
