"""The last running entry the server told us about, on disk, to show at once at the next start.

``running-entry.json`` in the user cache dir (next to the recent tasks): the
account, its server, its user info and the entry that was running at the last
answer of the server (or none). At start-up the app shows it before the keyring
and the server have answered, as RUNNING *not yet confirmed* (``loaded`` is
False in the state); the first poll confirms or corrects it. The elapsed time
shown is always computed from the entry's own ``started_at``.

Written atomically (a temporary file renamed over the old one) by
:class:`RunningWriter`, in a worker thread, only when what runs changed;
advisory: missing or unreadable means nothing is known, and the app starts as
it would without it ("loading").

Nothing heavy is imported at import time, and on Linux the cache dir is found
without platformdirs (:func:`running_path`): the app reads this file
(:func:`peek_started_at`) before it puts its first icon up.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio

    from ..core.models import TimeEntry, User
    from ..core.timer import TimerState

log = logging.getLogger(__name__)

RUNNING_FILE = "running-entry.json"
_VERSION = 1
_T = TypeVar("_T")


def _linux_cache_dir() -> Path | None:
    """``paths.user_cache_dir()`` on Linux without importing platformdirs (10 ms before the first
    icon): ``$XDG_CACHE_HOME`` when absolute, else ``~/.cache``; None where that is not certain."""
    if not sys.platform.startswith("linux"):
        return None
    from .. import APP_ID

    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / APP_ID
    home = os.environ.get("HOME")
    if not home or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / APP_ID


def running_path(cache_dir: Path | None = None) -> Path:
    """Where the file is: ``cache_dir`` (default: the user cache dir, as the task cache's)."""
    if cache_dir is None:
        cache_dir = _linux_cache_dir()
    if cache_dir is None:
        from . import paths

        cache_dir = paths.user_cache_dir()
    return Path(cache_dir) / RUNNING_FILE


def _same_base(a: Any, b: Any) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    from ..core.endpoint import normalize_api_base

    try:
        return normalize_api_base(a) == normalize_api_base(b)
    except ValueError:
        return False


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("version") == _VERSION else None


def peek_started_at(api_base: str | None, path: Path | None = None) -> float | None:
    """Unix time at which the entry last seen running on ``api_base`` started, or None.

    Cheap (one small JSON file, no models): enough for the first icon's look.
    """
    if not api_base:
        return None
    data = _read(path if path is not None else running_path())
    if data is None or not _same_base(data.get("api_base"), api_base):
        return None
    entry = data.get("entry")
    started = entry.get("started_at") if isinstance(entry, dict) else None
    if isinstance(started, bool) or not isinstance(started, (int, float)):
        return None
    return float(started)


def entry_to_json(entry: TimeEntry) -> dict[str, Any]:
    """An entry as JSON that :meth:`TimeEntry.from_json` reads back unchanged."""
    from .task_cache import task_to_json

    data: dict[str, Any] = {"id": entry.id, "task": task_to_json(entry.task),
                            "started_at": entry.started_at.timestamp(), "duration": entry.duration}
    if entry.stopped_at is not None:
        data["stopped_at"] = entry.stopped_at.timestamp()
    if entry.user_id is not None:
        data["user"] = {"id": entry.user_id}
    for key in ("team_id", "comment", "html_url"):
        value = getattr(entry, key)
        if value is not None:
            data[key] = value
    return data


@dataclass(frozen=True, slots=True)
class RunningData:
    """What the server last said runs for ``account`` (``entry`` None: nothing ran)."""

    account: str | None = None
    api_base: str | None = None
    user: User | None = None
    entry: TimeEntry | None = None

    def matches(self, api_base: str | None) -> bool:
        """Usable for a start-up on ``api_base``: its account's user and a running entry there."""
        return (self.entry is not None and self.user is not None and self.account is not None
                and self.entry.is_running and _same_base(self.api_base, api_base)
                and self.account == f"{self.api_base}#{self.user.id}")


class RunningCache:
    """``running-entry.json``: load it, save it (blocking: :class:`RunningWriter` calls :meth:`save` in a thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> RunningData:
        data = _read(self.path)
        if data is None:
            return RunningData()
        from ..core.models import ParseError, TimeEntry, User

        account = data.get("account") if isinstance(data.get("account"), str) else None
        api_base = data.get("api_base") if isinstance(data.get("api_base"), str) else None
        try:
            user = User.from_json(data["user"]) if isinstance(data.get("user"), dict) else None
            entry = TimeEntry.from_json(data["entry"]) if isinstance(data.get("entry"), dict) else None
        except ParseError:
            return RunningData()
        return RunningData(account, api_base, user, entry)

    def save(self, data: RunningData) -> None:
        from .atomic_file import write_text_atomically
        from .task_cache import user_to_json

        body = json.dumps({"version": _VERSION, "account": data.account, "api_base": data.api_base,
                           "user": user_to_json(data.user) if data.user is not None else None,
                           "entry": entry_to_json(data.entry) if data.entry is not None else None},
                          ensure_ascii=False)
        try:
            write_text_atomically(self.path, body)
        except OSError as exc:
            log.warning("could not write the running entry cache %s: %s", self.path, exc)


async def in_thread(fn: Callable[..., _T], *args: Any) -> _T:
    """``fn(*args)`` in a thread of its own, which ends with it.

    Not ``asyncio.to_thread``: that borrows the loop's default executor, whose threads stay
    (qasync's own default starts ten QThreads, which Qt aborts on at exit when the loop
    that made them was never closed). A small file written now and then needs no pool.
    """
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def run() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(settle, False, exc)
        else:
            loop.call_soon_threadsafe(settle, True, result)

    threading.Thread(target=run, name="cache-writer", daemon=True).start()
    return await future


class RunningWriter:
    """Keeps the file saying what the server says runs: written when that changed, in a worker
    thread, one write at a time and the newest last (writes never overtake each other)."""

    def __init__(self, cache: RunningCache) -> None:
        self.cache = cache
        self._key: tuple[Any, ...] | None = None  # what the file holds (or will)
        self._next: RunningData | None = None     # waiting to be written
        self._writer: asyncio.Task[None] | None = None

    @staticmethod
    def _key_of(data: RunningData) -> tuple[Any, ...]:
        entry = data.entry
        if entry is None:
            return (data.account, data.api_base, None)
        return (data.account, data.api_base, entry.id, entry.started_at, entry.task, entry.comment, entry.html_url)

    def holds(self, data: RunningData) -> None:
        """The file holds ``data`` already (it was just read from it)."""
        self._key = self._key_of(data)

    def remember(self, data: RunningData) -> None:
        """Keep ``data`` on disk, when what runs changed (in a worker thread)."""
        key = self._key_of(data)
        if key == self._key:
            return
        self._key = key
        self._write(data)

    def forget(self) -> None:
        """Signed out: nothing to show at the next start."""
        self.remember(RunningData())

    def _write(self, data: RunningData) -> None:
        import asyncio

        self._next = data
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a synchronous caller): write now
            self._next = None
            self.cache.save(data)
            return
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._writes())

    async def _writes(self) -> None:
        while self._next is not None:
            data, self._next = self._next, None
            try:
                await in_thread(self.cache.save, data)
            except Exception:
                log.exception("writing the running entry cache")

    async def flush(self) -> None:
        """Wait for the last write to reach the disk (its failure is logged, not raised)."""
        writer = self._writer
        if writer is not None and not writer.done():
            try:
                await writer
            except Exception:
                pass


def unconfirmed(state: TimerState, entry: TimeEntry) -> TimerState:
    """``state`` (signed in, nothing heard from the server yet) showing ``entry`` as the server's
    running entry, not yet confirmed: ``loaded`` stays False until the first poll answers."""
    from ..core import timer as T

    return replace(T.server_snapshot(state, entry), loaded=False)


def preview_state(data: RunningData) -> TimerState:
    """The state to show at start-up from ``data`` (see :meth:`RunningData.matches`)."""
    from ..core import timer as T

    assert data.user is not None and data.entry is not None
    return unconfirmed(T.signed_in(T.initial(), data.user), data.entry)
