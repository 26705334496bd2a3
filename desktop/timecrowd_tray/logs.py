"""Logging set-up, and the redaction that keeps secrets out of every log line.

:class:`RedactingFilter` rewrites a record before any handler formats it:
``Bearer ...`` values, ``Authorization`` headers, ``access_token=`` /
``refresh_token=`` / ``client_secret=`` / ``code=`` parameters, JSON or
Python-dict fields with those names, and every secret registered at run time
with :func:`register_secret` (the session registers each token and client
secret it learns) become ``[REDACTED]``. Exception tracebacks attached to a
record are redacted too.

:func:`setup_logging` installs the filter on every handler it creates and on
every handler already attached to any logger, and keeps httpcore's wire-level
debug chatter out of the log altogether.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from . import APP_ID

REDACTED = "[REDACTED]"

#: Parameter and field names whose values are always secret.
SECRET_NAMES = ("access_token", "refresh_token", "client_secret", "id_token", "password", "code")

# Registered values shorter than this are ignored: redacting every "abc" would
# make logs unreadable, and real tokens and secrets are far longer.
MIN_SECRET_LENGTH = 8

_names = "|".join(SECRET_NAMES)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Basic xxx / "authorization": "Bearer xxx" / (b'authorization', b'...')
    (re.compile(r"""(?i)(\bauthorization\b['"]?\s*[:=,]\s*b?['"]?)[^'"\r\n]+"""), r"\1" + REDACTED),
    # Bearer xxx anywhere (headers, reprs, messages)
    (re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/=]+"), r"\1" + REDACTED),
    # JSON or Python-literal fields: "access_token": "xxx", 'client_secret': 'xxx'
    (re.compile(rf"""(?i)(['"](?:{_names})['"]\s*:\s*b?['"])[^'"]*"""), r"\1" + REDACTED),
    # Query strings and form bodies: access_token=xxx&..., client_secret=xxx
    (re.compile(rf"""(?i)((?<![A-Za-z0-9_])(?:{_names})=)[^&\s'"<>]+"""), r"\1" + REDACTED),
)

_secrets_lock = threading.Lock()
_secrets: set[str] = set()
_secrets_pattern: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Redact ``value`` (and its URL-encoded form) from every log line from now on."""
    global _secrets_pattern
    if not value or len(value.strip()) < MIN_SECRET_LENGTH:
        return
    forms = {value, quote(value, safe=""), quote(value, safe="/")}
    with _secrets_lock:
        if forms <= _secrets:
            return
        _secrets.update(forms)
        ordered = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
        _secrets_pattern = re.compile("|".join(re.escape(s) for s in ordered))


def forget_secrets() -> None:
    """Drop every registered secret (tests)."""
    global _secrets_pattern
    with _secrets_lock:
        _secrets.clear()
        _secrets_pattern = None


def redact(text: str) -> str:
    """``text`` with every known secret and secret-looking value replaced by ``[REDACTED]``."""
    if not text:
        return text
    pattern = _secrets_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for regex, replacement in _PATTERNS:
        text = regex.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A handler filter that redacts the formatted message and any traceback.

    It never drops a record. The record is rewritten in place (message
    pre-formatted, ``args`` cleared), so every handler after it sees the
    redacted text too.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we can, redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _has_redaction(handler: logging.Handler) -> bool:
    return any(isinstance(f, RedactingFilter) for f in handler.filters)


def install_redaction() -> None:
    """Add a :class:`RedactingFilter` to every handler of every logger that lacks one."""
    loggers = [logging.getLogger()] + [
        lg for lg in list(logging.Logger.manager.loggerDict.values()) if isinstance(lg, logging.Logger)
    ]
    for logger in loggers:
        for handler in list(logger.handlers):
            if not _has_redaction(handler):
                handler.addFilter(RedactingFilter())


def default_log_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False)) / f"{APP_ID}.log"


_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_OURS = "_timecrowd_tray_handler"


def setup_logging(debug: bool = False, log_file: Path | None = None, *, to_file: bool = True,
                  console: bool = True) -> Path | None:
    """Configure the root logger; return the log file's path (None when not logging to a file).

    The file (``platformdirs.user_log_dir("timecrowd-tray")/timecrowd-tray.log``
    unless ``log_file`` is given) rotates at 1 MB, keeping three old files;
    the console gets warnings (everything with ``debug``). Calling it again
    replaces the handlers it installed before.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = logging.Formatter(_FORMAT)

    path: Path | None = None
    if to_file:
        path = Path(log_file) if log_file is not None else default_log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                                            encoding="utf-8")
        file_handler.setFormatter(formatter)
        setattr(file_handler, _OURS, True)
        root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.DEBUG if debug else logging.WARNING)
        stream.setFormatter(formatter)
        setattr(stream, _OURS, True)
        root.addHandler(stream)

    # httpcore logs every wire step at debug level (response headers included):
    # noise at best, so it stays out. httpx's one line per request carries only
    # the method, the URL and the status.
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.INFO if debug else logging.WARNING)
    install_redaction()
    return path
