"""A real Secret Service for tests: a private D-Bus session bus with gnome-keyring on it.

``secret_service`` starts ``dbus-daemon --session`` on a socket in a temporary
directory, then ``gnome-keyring-daemon --foreground --unlock --components=secrets``
(password on standard input) with ``XDG_DATA_HOME`` / ``XDG_RUNTIME_DIR`` in
temporary directories, waits (bounded polling, no fixed sleep) until the bus
name ``org.freedesktop.secrets`` is owned, and points ``os.environ`` at that
bus for the test (restored afterwards). ``locked_secret_service`` does the
same without ``--unlock``: any keyring access then needs a prompt that cannot
be shown, which is the locked-keyring case.

The value of either fixture is a :class:`SecretServiceEnv`; its ``env`` is
what a subprocess needs to use the same keyring.

Import the fixtures into a test module with
``from secret_service import secret_service, locked_secret_service  # noqa: F401``.
Missing tools: under CI (``TIMECROWD_TRAY_REQUIRE_ALL=1``) the test fails;
elsewhere it is skipped loudly.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.tools import require

SECRETS_BUS_NAME = "org.freedesktop.secrets"
_START_TIMEOUT = 15.0
_KEYRING_PASSWORD = b"timecrowd-tray-test-keyring\n"
# Variables that must not leak in from the developer's own session.
_CLEARED = ("PYTHON_KEYRING_BACKEND", "GNOME_KEYRING_CONTROL", "DBUS_SESSION_BUS_PID")


@dataclass
class SecretServiceEnv:
    bus_address: str
    home: Path
    env: dict[str, str] = field(default_factory=dict)  # everything a subprocess needs


def _name_has_owner(env: dict[str, str], name: str) -> bool:
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--reply-timeout=2000", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        env=env, capture_output=True, text=True, timeout=10, check=False)
    return result.returncode == 0 and "boolean true" in result.stdout


def _wait_for(predicate, what: str, procs: list[subprocess.Popen], log_dir: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    delay = 0.02
    while not predicate():
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{what}: {proc.args[0]} exited with {proc.returncode} "
                                   f"(its messages are in {log_dir})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready after {_START_TIMEOUT} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _start(tmp_path_factory: pytest.TempPathFactory, *, unlocked: bool) -> Iterator[SecretServiceEnv]:
    require("dbus-daemon", "dbus-send", "gnome-keyring-daemon",
            why="a real Secret Service is needed (Debian packages dbus, gnome-keyring)")
    base = tmp_path_factory.mktemp("secret-service")
    home, runtime, data, config, cache = (base / n for n in ("home", "run", "data", "config", "cache"))
    for d in (home, runtime, data, config, cache):
        d.mkdir()
    runtime.chmod(0o700)
    child_env = {k: v for k, v in os.environ.items() if k not in _CLEARED and k != "DBUS_SESSION_BUS_ADDRESS"}
    child_env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), XDG_DATA_HOME=str(data),
                     XDG_CONFIG_HOME=str(config), XDG_CACHE_HOME=str(cache))

    # No display for the daemons: an unlock prompt (gcr-prompter, activated by the bus) must
    # fail at once instead of waiting on a virtual screen another test may have started.
    daemon_env = {k: v for k, v in child_env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    procs: list[subprocess.Popen] = []
    try:
        with open(base / "dbus-daemon.log", "wb") as messages:  # the child keeps its own copy
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--print-address=1",
                 f"--address=unix:path={runtime}/bus"],
                env=daemon_env, stdout=subprocess.PIPE, stderr=messages)
        procs.append(bus)
        address = bus.stdout.readline().decode().strip() if bus.stdout else ""
        if not address:
            raise RuntimeError("dbus-daemon printed no address")
        child_env["DBUS_SESSION_BUS_ADDRESS"] = daemon_env["DBUS_SESSION_BUS_ADDRESS"] = address

        command = ["gnome-keyring-daemon", "--foreground", "--components=secrets"]
        if unlocked:
            command.insert(2, "--unlock")
        with open(base / "gnome-keyring.log", "wb") as messages:
            keyring = subprocess.Popen(command, env=daemon_env, stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=messages)
        procs.append(keyring)
        assert keyring.stdin is not None
        if unlocked:
            keyring.stdin.write(_KEYRING_PASSWORD)
        keyring.stdin.close()
        _wait_for(lambda: _name_has_owner(child_env, SECRETS_BUS_NAME), "gnome-keyring-daemon", procs, base)
    except BaseException as exc:
        for proc in reversed(procs):
            _stop(proc)
        if isinstance(exc, RuntimeError):
            pytest.fail(f"could not start a Secret Service: {exc}", pytrace=False)
        raise

    changed = [k for k, v in child_env.items() if os.environ.get(k) != v]
    saved = {k: os.environ.get(k) for k in (*changed, *_CLEARED)}
    os.environ.update(child_env)
    for k in _CLEARED:
        os.environ.pop(k, None)
    try:
        yield SecretServiceEnv(bus_address=address, home=home, env=dict(child_env))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretServiceEnv]:
    """An unlocked gnome-keyring on a private session bus, in ``os.environ`` for the test."""
    yield from _start(tmp_path_factory, unlocked=True)


@pytest.fixture
def locked_secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretServiceEnv]:
    """A gnome-keyring that was never unlocked: keyring access ends in a dismissed prompt."""
    yield from _start(tmp_path_factory, unlocked=False)


@pytest.fixture
def no_keyring_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No session bus at all (and no keyring configuration): keyring has no usable backend."""
    for name in ("DBUS_SESSION_BUS_ADDRESS", *_CLEARED):
        monkeypatch.delenv(name, raising=False)
    runtime = tmp_path / "run-no-bus"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-no-keyring"))
