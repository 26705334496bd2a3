"""Credentials in the OS keyring, and nowhere else.

One keyring entry per API server: service ``timecrowd-tray``, user name the
API base URL, value a small JSON object (:class:`Credentials`). Every keyring
call runs in a thread of its own: a keyring may block on D-Bus or on an unlock
prompt, and the UI thread must never wait for it. A call is given up after
the store's ``timeout`` (:data:`KEYRING_TIMEOUT_S`, or ``$TIMECROWD_TRAY_KEYRING_TIMEOUT``
seconds) with :class:`CredentialsUnavailable` of kind ``"timeout"``. The thread
is a daemon thread, left blocked when the keyring never answers: it does not
keep the process alive, so a shell command still ends.

Only known-good backends are used (Secret Service, KWallet, macOS Keychain,
Windows Credential Locker); a plaintext file keyring (``keyrings.alt``), the
``fail`` / ``null`` backends or a chainer with nothing usable in it are
refused. There is no plaintext fallback: when the keyring cannot be used, the
caller gets one :class:`CredentialsUnavailable` whose ``user_message`` says
what to do (the sign-in window adds the choice to keep the sign-in in memory
for this session only).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import math
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ..core.endpoint import normalize_api_base

log = logging.getLogger(__name__)

_T = TypeVar("_T")

SERVICE = "timecrowd-tray"

#: How long one keyring call may take before it is given up (see :class:`CredentialStore`).
KEYRING_TIMEOUT_S = 10.0
#: Seconds overriding :data:`KEYRING_TIMEOUT_S` (a positive number; anything else is ignored).
KEYRING_TIMEOUT_ENV = "TIMECROWD_TRAY_KEYRING_TIMEOUT"

Kind = Literal["no_backend", "locked", "denied", "timeout", "other"]

# Fully qualified class names of the backends we trust, best first per platform.
ALLOWED_BACKENDS = (
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
)



def _candidates_for(platform: str) -> tuple[str, ...]:
    """The trusted backends worth probing on ``platform``.

    Probing a foreign one is not free: importing keyring's macOS backend on Linux
    runs ``ctypes.util.find_library`` (ldconfig, gcc) three times, ~70 ms at start-up.
    """
    if platform == "darwin":
        return tuple(b for b in ALLOWED_BACKENDS if ".macOS." in b)
    if platform == "win32":
        return tuple(b for b in ALLOWED_BACKENDS if ".Windows." in b)
    return tuple(b for b in ALLOWED_BACKENDS if ".macOS." not in b and ".Windows." not in b)


_MESSAGES: dict[str, str] = {
    "no_backend": (
        "No system keyring is available to keep your sign-in. Install and start a Secret Service "
        "provider such as GNOME Keyring (package gnome-keyring) or KWallet, then try again."
    ),
    "locked": (
        "Your system keyring is locked. Unlock it (log in to your desktop session, or open your "
        "keyring manager such as Passwords and Keys and unlock the login keyring), then try again."
    ),
    "denied": (
        "Access to the system keyring was refused. Allow TimeCrowd Tray to use the keyring when "
        "your system asks, then try again."
    ),
    "timeout": (
        "The keyring did not answer within {detail} s (is it waiting for an unlock prompt?). "
        "Unlock your keyring (log in to your desktop session, or open your keyring manager such as "
        "Passwords and Keys), or make sure it runs, then try again."
    ),
    "other": (
        "The system keyring could not be used ({detail}). Try again."
    ),
}


def keyring_timeout() -> float:
    """The bound of one keyring call: ``$TIMECROWD_TRAY_KEYRING_TIMEOUT`` when valid, else the default."""
    value = os.environ.get(KEYRING_TIMEOUT_ENV, "").strip()
    if value:
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds) and seconds > 0:
            return seconds
        log.warning("ignoring %s=%r: not a positive number of seconds", KEYRING_TIMEOUT_ENV, value)
    return KEYRING_TIMEOUT_S


class CredentialsUnavailable(Exception):
    """The keyring cannot be used. ``kind`` says why, ``user_message`` what to do.

    Neither the message nor the repr ever carries a secret: they are built from
    fixed text and, at most, the name of the backend or of an exception class.
    """

    def __init__(self, kind: Kind, detail: str = "", *, user_message: str | None = None) -> None:
        self.kind: Kind = kind
        self.detail = detail
        fallback = f"{KEYRING_TIMEOUT_S:g}" if kind == "timeout" else "unknown error"
        self.user_message = user_message or _MESSAGES[kind].format(detail=detail or fallback)
        super().__init__(self.user_message)

    def __repr__(self) -> str:
        return f"CredentialsUnavailable(kind={self.kind!r}, detail={self.detail!r})"

    @classmethod
    def timed_out(cls, seconds: float) -> CredentialsUnavailable:
        """The keyring gave no answer within ``seconds`` (kind ``"timeout"``)."""
        return cls("timeout", f"{seconds:g}")


@dataclass(frozen=True, slots=True)
class Credentials:
    """What one API server needs from us. ``expires_at`` is unix seconds (local clock)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # slots dataclasses honour repr=False, but be explicit
        parts = ["access_token=[REDACTED]"]
        if self.refresh_token is not None:
            parts.append("refresh_token=[REDACTED]")
        parts.append(f"expires_at={self.expires_at!r}")
        parts.append(f"client_id={self.client_id!r}")
        if self.client_secret is not None:
            parts.append("client_secret=[REDACTED]")
        return f"Credentials({', '.join(parts)})"

    __str__ = __repr__

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresh_token and self.client_id and self.client_secret)

    def secrets(self) -> tuple[str, ...]:
        """Every secret value in here (for log redaction)."""
        return tuple(s for s in (self.access_token, self.refresh_token, self.client_secret) if s)

    def replace(self, **changes: Any) -> Credentials:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> str:
        data: dict[str, Any] = {"v": 1, "access_token": self.access_token}
        for name in ("refresh_token", "expires_at", "client_id", "client_secret"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Credentials:
        """Parse what :meth:`to_json` wrote; a bare string (stored by hand) is an access token."""
        text = text.strip()
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if not text or text.startswith(("{", "[")):
                raise ValueError("the stored credentials are not readable")
            return cls(access_token=text)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ValueError("the stored credentials have no access token")

        def opt_str(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) and value else None

        expires = data.get("expires_at")
        return cls(
            access_token=token,
            refresh_token=opt_str("refresh_token"),
            expires_at=float(expires) if isinstance(expires, (int, float)) and not isinstance(expires, bool)
            else None,
            client_id=opt_str("client_id"),
            client_secret=opt_str("client_secret"),
        )


def _qualname(obj: object) -> str:
    cls = obj if isinstance(obj, type) else type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _check_allowed(backend: Any) -> Any:
    """Return a trusted backend for ``backend`` (a chainer yields its best trusted member)."""
    name = _qualname(backend)
    if name == "keyring.backends.chainer.ChainerBackend":
        for member in getattr(backend, "backends", ()):
            if _qualname(member) in ALLOWED_BACKENDS:
                return member
        raise CredentialsUnavailable("no_backend", "no trusted keyring in the chain")
    if name in ALLOWED_BACKENDS:
        return backend
    if name.startswith("keyrings.alt") or "plaintext" in name.lower():
        raise CredentialsUnavailable(
            "no_backend", name,
            user_message=(
                f"The configured keyring backend ({name}) keeps secrets in a plain file, which "
                "TimeCrowd Tray refuses to use. Configure a system keyring (GNOME Keyring, KWallet, "
                "macOS Keychain or Windows Credential Locker) instead, for example by removing the "
                "PYTHON_KEYRING_BACKEND variable or the default-keyring line of keyringrc.cfg."),
        )
    if name.startswith("keyring.backends.null"):
        raise CredentialsUnavailable(
            "no_backend", name,
            user_message=("The keyring is disabled in your keyring configuration (null backend). "
                          "Enable a system keyring such as GNOME Keyring or KWallet."),
        )
    if name.startswith("keyring.backends.fail"):
        raise CredentialsUnavailable("no_backend", name)
    raise CredentialsUnavailable(
        "no_backend", name,
        user_message=(f"The configured keyring backend ({name}) is not one TimeCrowd Tray trusts. "
                      "Use a system keyring (GNOME Keyring, KWallet, macOS Keychain or Windows "
                      "Credential Locker)."),
    )


def detect_backend() -> Any:
    """The keyring backend to use, checked against the allow-list (blocking: call in a thread).

    An explicit choice (``PYTHON_KEYRING_BACKEND`` or keyringrc.cfg) is honoured
    only when it is trusted. Otherwise the most preferred trusted backend that
    is viable right now is picked; unlike ``keyring.get_keyring()`` nothing is
    cached for the process, so a keyring daemon started later is found.
    """
    import keyring.core
    from keyring.errors import KeyringError

    try:
        configured = keyring.core.load_env() or keyring.core.load_config()
    except (ImportError, AttributeError, RuntimeError, KeyringError) as exc:
        raise CredentialsUnavailable(
            "no_backend", type(exc).__name__,
            user_message=("The keyring backend named in PYTHON_KEYRING_BACKEND or keyringrc.cfg "
                          f"cannot be used ({type(exc).__name__}). Fix or remove that setting."),
        ) from exc
    if configured is not None:
        return _check_allowed(configured)

    best: tuple[float, Any] | None = None
    for qualified in _candidates_for(sys.platform):
        module_name, _, class_name = qualified.rpartition(".")
        try:
            module = __import__(module_name, fromlist=[class_name])
            cls = getattr(module, class_name)
            priority = float(cls.priority)  # raises when not viable here
        except Exception as exc:  # noqa: BLE001 - any failure means "not viable"
            log.debug("keyring backend %s not viable: %s", qualified, type(exc).__name__)
            continue
        if priority > 0 and (best is None or priority > best[0]):
            best = (priority, cls)
    if best is None:
        raise CredentialsUnavailable("no_backend", "no viable system keyring")
    return best[1]()


#: What the errors say (lowercased) when no Secret Service provider runs on the session bus.
_NO_SECRET_SERVICE = ("not provided by any .service files", "secretservicenotavailable",
                      "org.freedesktop.dbus.error.serviceunknown", "secret service is not available",
                      "could not connect to the session bus")


def _classify(exc: BaseException) -> CredentialsUnavailable:
    """Turn whatever a keyring backend raised into our one error type."""
    from keyring import errors as kerrors

    if isinstance(exc, CredentialsUnavailable):
        return exc
    name = type(exc).__name__
    text = str(exc).lower()
    if isinstance(exc, kerrors.NoKeyringError) or any(sign in text for sign in _NO_SECRET_SERVICE):
        # No Secret Service on the bus: keyring wraps secretstorage's "not available" in an InitError,
        # which says nothing of a lock; nothing to unlock, a keyring to install or start.
        return CredentialsUnavailable("no_backend", name)
    denied = ("denied" in text or "not allowed" in text or "not permitted" in text
              or isinstance(exc, PermissionError) or "AccessDenied" in str(getattr(exc, "name", "")))
    if denied:
        return CredentialsUnavailable("denied", name)
    if isinstance(exc, (kerrors.KeyringLocked, kerrors.InitError)) or "locked" in text or "prompt" in text:
        return CredentialsUnavailable("locked", name)
    if name in ("SecretServiceNotAvailableException",) or isinstance(exc, (ConnectionError, FileNotFoundError)):
        return CredentialsUnavailable("no_backend", name)
    return CredentialsUnavailable("other", name)


_FROM_ENVIRONMENT: Any = object()


async def _in_daemon_thread(fn: Callable[[], _T], *, timeout: float | None, what: str) -> _T:
    """``fn()`` in a new daemon thread; its result, or :meth:`CredentialsUnavailable.timed_out`.

    Not ``asyncio.to_thread``: the default executor's threads are joined when the event loop
    (``asyncio.run``) and the interpreter shut down, so a keyring call that never returns would
    keep a shell command alive for ever. A daemon thread is left behind instead; when it finally
    returns, nobody waits for its result any more and it is dropped.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def deliver(ok: bool, value: Any) -> None:
        if future.done():  # given up (timed out or cancelled) meanwhile
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def run() -> None:
        value: object  # the result, or the exception
        try:
            ok, value = True, fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
            ok, value = False, exc
        try:
            loop.call_soon_threadsafe(deliver, ok, value)
        except RuntimeError:  # the loop is closed: the caller gave up long ago
            pass

    threading.Thread(target=run, name=f"keyring-{what}", daemon=True).start()
    if timeout is None:
        return await future
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        log.warning("keyring %s: no answer within %g s; given up", what, timeout)
        raise CredentialsUnavailable.timed_out(timeout) from None


class CredentialStore:
    """Async access to the keyring entry of each API server.

    ``backend`` injects a keyring backend object (tests, or a caller that
    already chose one); it is trusted as given. Without it the backend is
    detected lazily, under a lock, on first use, and detected again after a
    failure (so starting the keyring daemon and retrying works).

    ``timeout`` bounds each call (backend detection included), in seconds:
    by default :func:`keyring_timeout`; None waits as long as the keyring takes
    (the tray app's keyring helper, whose parent bounds it).
    """

    def __init__(self, *, backend: Any | None = None, service: str = SERVICE,
                 timeout: float | None = _FROM_ENVIRONMENT) -> None:
        self.service = service
        self._backend = backend
        self._lock = threading.Lock()
        self.call_timeout: float | None = keyring_timeout() if timeout is _FROM_ENVIRONMENT else timeout

    def __repr__(self) -> str:
        return f"<CredentialStore service={self.service!r}>"

    def _get_backend(self) -> Any:
        with self._lock:
            if self._backend is None:
                self._backend = detect_backend()
                log.debug("using keyring backend %s", _qualname(self._backend))
            return self._backend

    def _call(self, what: str, method: str, *args: str) -> Any:
        try:
            backend = self._get_backend()
            return getattr(backend, method)(self.service, *args)
        except Exception as exc:  # noqa: BLE001 - classified below, never swallowed
            error = _classify(exc)
            # debug only: the caller tells the user (in their language); a warning would print as is
            log.debug("keyring %s failed: %s (%s)", what, error.kind, error.detail)
            raise error from exc

    @staticmethod
    def _user(api_base: str) -> str:
        return normalize_api_base(api_base)

    async def _bounded(self, what: str, fn: Callable[..., _T], *args: Any) -> _T:
        return await _in_daemon_thread(lambda: fn(*args), timeout=self.call_timeout, what=what)

    async def check(self) -> str:
        """Make sure a trusted backend is there; return its name. Raises CredentialsUnavailable."""
        def run() -> str:
            try:
                return _qualname(self._get_backend())
            except Exception as exc:  # noqa: BLE001
                raise _classify(exc) from exc
        return await self._bounded("check", run)

    async def load(self, api_base: str) -> Credentials | None:
        """The stored credentials for ``api_base``, or None when there are none."""
        user = self._user(api_base)
        raw = await self._bounded("read", self._call, "read", "get_password", user)
        if raw is None:
            return None
        try:
            return Credentials.from_json(raw)
        except ValueError:
            log.warning("ignoring unreadable stored credentials for %s", user)
            return None

    async def save(self, api_base: str, credentials: Credentials) -> None:
        user = self._user(api_base)
        await self._bounded("write", self._call, "write", "set_password", user, credentials.to_json())

    async def delete(self, api_base: str) -> bool:
        """Delete the entry; True when there was one."""
        from keyring.errors import PasswordDeleteError

        user = self._user(api_base)

        def run() -> bool:
            # Read first: backends report "nothing to delete" in different ways.
            if self._call("read", "get_password", user) is None:
                return False
            try:
                backend = self._get_backend()
                backend.delete_password(self.service, user)
            except PasswordDeleteError as exc:
                if "no such" in str(exc).lower() or "not found" in str(exc).lower():
                    return False
                error = _classify(exc)
                raise error from exc
            except Exception as exc:  # noqa: BLE001
                raise _classify(exc) from exc
            return True

        return await self._bounded("delete", run)
