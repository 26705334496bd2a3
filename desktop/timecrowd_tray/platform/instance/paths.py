"""Where the app's control socket lives, per user, and whether a file at that name is the user's.

``$XDG_RUNTIME_DIR/timecrowd-tray-<uid>.sock`` when that directory is private
(the usual case on Linux), else ``<tmp>/timecrowd-tray-<uid>.sock``; with
``TIMECROWD_TRAY_INSTANCE`` set, ``-<instance>`` is appended to the name. On
Windows it is the named pipe ``timecrowd-tray-<user>``. The instance lock
lives next to the socket (:func:`.lock.lock_path`).
"""

from __future__ import annotations

import os
import sys
import tempfile

from ... import APP_ID
from .errors import UntrustedSocket

#: Override of the socket's name (tests, or a second profile): the name, not a path.
INSTANCE_ENV = "TIMECROWD_TRAY_INSTANCE"
MAX_SOCKET_PATH = 100


def _user_tag() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    name = os.environ.get("USERNAME") or os.environ.get("USER") or "user"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def server_name() -> str:
    """The per-user name: ``timecrowd-tray-<uid>`` (``-<instance>`` appended when overridden)."""
    suffix = os.environ.get(INSTANCE_ENV, "").strip()
    base = f"{APP_ID}-{_user_tag()}"
    if suffix:
        base += "-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in suffix)
    return base


def _runtime_dir() -> str | None:
    path = os.environ.get("XDG_RUNTIME_DIR")
    if not path or not os.path.isdir(path):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    # Only a private runtime directory makes the socket private by its location too.
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
        return None
    return path


def socket_path() -> str:
    """Where the app listens: the socket file's full path on POSIX, the pipe's name on Windows."""
    if sys.platform == "win32":
        return server_name()
    name = server_name() + ".sock"
    path = os.path.join(_runtime_dir() or tempfile.gettempdir(), name)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:  # sun_path holds 108 bytes (104 on macOS)
        path = os.path.join(tempfile.gettempdir(), name)
    return path


def owned_stat(path: str) -> os.stat_result | None:
    """``lstat(path)`` when it exists and is ours, None when it does not; UntrustedSocket when it is another user's."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UntrustedSocket(f"{path} belongs to another user (uid {st.st_uid}); not using it")
    return st


def check_owner(path: str) -> bool:
    """True when ``path`` exists and is ours; UntrustedSocket when it is someone else's."""
    return owned_stat(path) is not None
