"""The keyring, used from a short-lived child process, for the long-running tray app.

The Secret Service backend of ``keyring`` brings ``secretstorage``,
``cryptography`` (its Rust extension alone is ~7 MiB resident) and some ninety
modules into any process that touches it: about 11 MiB, a tenth of the tray
app's memory, kept all day for a few keyring calls at sign-in. So the tray app
asks a child process instead, as git's credential helpers do: the child is the
app's own executable (``timecrowd-tray _keyring-helper``), does one call with
:class:`~.credentials.CredentialStore` (same allow-list, same error mapping),
answers and exits.

Secrets travel only through the pipes: the request (with the credentials to
save) on the child's standard input, the answer (with the credentials read) on
its standard output, both one JSON document. Never in the command line (which
``ps`` shows) nor in the environment. The child's standard error is dropped
unread: nothing from it reaches a log.

The shell commands (``login``, ``logout``, ``whoami``) run once and exit, so
they keep using :class:`~.credentials.CredentialStore` in-process, each call
bounded by its short timeout. The child waits as long as the keyring takes
(an unlock prompt may be on screen, waiting for a password): its parent bounds
it with :data:`HELPER_TIMEOUT_S`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from typing import Any

from .credentials import SERVICE, Credentials, CredentialStore, CredentialsUnavailable

log = logging.getLogger(__name__)

#: The hidden first argument that makes ``timecrowd-tray`` serve one keyring request.
HELPER_COMMAND = "_keyring-helper"
#: A locked keyring may show an unlock prompt and wait for the user to type a password.
HELPER_TIMEOUT_S = 300.0
MAX_MESSAGE = 64 * 1024
OPERATIONS = ("check", "load", "save", "delete")


def helper_command() -> list[str]:
    """How to start this app's own executable as the keyring helper."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: the executable is the app
        return [sys.executable, HELPER_COMMAND]
    return [sys.executable, "-m", "timecrowd_tray", HELPER_COMMAND]


class OutOfProcessCredentialStore(CredentialStore):
    """:class:`CredentialStore`'s four calls, each made by a child process (in a worker thread)."""

    def __init__(self, *, service: str = SERVICE, command: list[str] | None = None,
                 timeout: float = HELPER_TIMEOUT_S) -> None:
        super().__init__(service=service, timeout=None)  # bounded by ``timeout`` (the child's run) instead
        self.command = list(command) if command is not None else helper_command()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"<OutOfProcessCredentialStore service={self.service!r}>"

    async def check(self) -> str:
        return str(await self._ask({"op": "check"}))

    async def load(self, api_base: str) -> Credentials | None:
        raw = await self._ask({"op": "load", "api_base": api_base})
        if raw is None:
            return None
        try:
            return Credentials.from_json(str(raw))
        except ValueError:
            log.warning("ignoring unreadable stored credentials for %s", self._user(api_base))
            return None

    async def save(self, api_base: str, credentials: Credentials) -> None:
        await self._ask({"op": "save", "api_base": api_base, "credentials": credentials.to_json()})

    async def delete(self, api_base: str) -> bool:
        return bool(await self._ask({"op": "delete", "api_base": api_base}))

    async def _ask(self, request: dict[str, Any]) -> Any:
        return await asyncio.to_thread(self._run, {**request, "service": self.service})

    def _run(self, request: dict[str, Any]) -> Any:
        what = request["op"]
        try:
            done = subprocess.run(self.command, input=json.dumps(request).encode(), capture_output=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            log.warning("keyring %s: no answer from the keyring helper in %g s", what, self.timeout)
            raise CredentialsUnavailable("other", "the keyring did not answer in time") from None
        except OSError as exc:
            log.warning("keyring %s: the keyring helper could not start (%s)", what, type(exc).__name__)
            raise CredentialsUnavailable("other", f"keyring helper: {type(exc).__name__}") from None
        answer = _parse_answer(done.stdout)
        if answer is None:
            log.warning("keyring %s: the keyring helper exited with %s and no answer", what, done.returncode)
            raise CredentialsUnavailable("other", f"keyring helper exited with {done.returncode}")
        if answer.get("ok") is True:
            return answer.get("value")
        kind = answer.get("kind")
        error = CredentialsUnavailable(
            kind if kind in ("no_backend", "locked", "denied", "timeout") else "other",
            str(answer.get("detail") or ""),
            user_message=answer.get("user_message") if isinstance(answer.get("user_message"), str) else None)
        log.debug("keyring %s failed: %s (%s)", what, error.kind, error.detail)  # the caller tells the user
        raise error


def _parse_answer(data: bytes) -> dict[str, Any] | None:
    try:
        answer = json.loads(data[:MAX_MESSAGE].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return answer if isinstance(answer, dict) and "ok" in answer else None


async def _perform(request: dict[str, Any]) -> Any:
    # No bound of its own: the parent gives up after HELPER_TIMEOUT_S and kills this process.
    store = CredentialStore(service=str(request.get("service") or SERVICE), timeout=None)
    op = request.get("op")
    if op == "check":
        return await store.check()
    api_base = request.get("api_base")
    if not isinstance(api_base, str):
        raise ValueError("api_base missing")
    if op == "load":
        credentials = await store.load(api_base)
        return credentials.to_json() if credentials is not None else None
    if op == "save":
        text = request.get("credentials")
        if not isinstance(text, str):
            raise ValueError("credentials missing")
        await store.save(api_base, Credentials.from_json(text))
        return None
    if op == "delete":
        return await store.delete(api_base)
    raise ValueError("unknown operation")


def serve(stdin: Any = None, stdout: Any = None) -> int:
    """The child's side: one request from standard input, one answer to standard output."""
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout if stdout is not None else sys.stdout.buffer
    try:
        request = json.loads(stdin.read(MAX_MESSAGE).decode("utf-8"))
        if not isinstance(request, dict) or request.get("op") not in OPERATIONS:
            raise ValueError("not a keyring request")
    except (UnicodeDecodeError, ValueError):
        stdout.write(b'{"ok": false, "kind": "other", "detail": "bad request"}\n')
        stdout.flush()
        return 2
    try:
        answer: dict[str, Any] = {"ok": True, "value": asyncio.run(_perform(request))}
    except CredentialsUnavailable as exc:
        answer = {"ok": False, "kind": exc.kind, "detail": exc.detail, "user_message": exc.user_message}
    except Exception as exc:  # noqa: BLE001 - the parent gets the class name, never the text
        answer = {"ok": False, "kind": "other", "detail": type(exc).__name__}
    stdout.write(json.dumps(answer).encode("utf-8") + b"\n")
    stdout.flush()
    return 0
