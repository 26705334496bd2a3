"""Where the service keeps its files: platformdirs, so XDG_* variables move them.

* data (the outbox, which must survive): ``$XDG_DATA_HOME/timecrowd-tray``
  (default ``~/.local/share/timecrowd-tray``);
* cache (recent tasks, safe to delete): ``$XDG_CACHE_HOME/timecrowd-tray``
  (default ``~/.cache/timecrowd-tray``).

The UI may pass Qt's ``QStandardPaths`` locations instead; both read the same
variables on Linux.

Neither folder being writable keeps the app from starting: the outbox then
lives in memory (:mod:`.outbox`), the caches are not kept (:func:`unwritable_reason`
tells the service, which says so once).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from .. import APP_ID

OUTBOX_FILE = "outbox.sqlite3"
TASK_CACHE_FILE = "recent-tasks.json"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def user_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (private to the user: intents and task titles are personal)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def unwritable_reason(path: Path) -> str | None:
    """Why no file can be written in the folder ``path`` (created if missing), or None when one can.

    Tried for real (a small file made and removed): permissions alone do not tell (root,
    ACLs, a read-only mount, a full disk).
    """
    try:
        ensure_dir(Path(path))
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
