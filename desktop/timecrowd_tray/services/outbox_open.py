"""Opening the outbox file: a damaged one set aside and replaced, an unwritable one replaced by memory.

* **A damaged file** (garbage, truncated, zeroed, or emptied while its
  write-ahead log still held the data: :mod:`.outbox_salvage` tells) is set
  aside untouched, with its ``-wal`` and ``-shm``, as
  ``outbox.sqlite3.corrupt-<unix time>`` (renamed when the damage shows before
  SQLite opens it, else copied while the connection that found it still holds
  the files: SQLite never gets to checkpoint a damaged file's log into it, or to
  delete the log), and a new outbox starts. The rows are then read back from a
  scratch copy of the damaged one (:func:`.outbox_salvage.salvage_or_none`): the
  pending ones are queued again, with their ids, as "may have been sent" (the
  replay checks the server before resending: the damaged copy may be older than
  what was sent). :class:`OutboxDamage` says where the copy is, how many pending
  actions were recovered and how many could not be read (``None``: unknown).
* **A folder or file that cannot be written** (read-only, not creatable,
  locked): the outbox lives in memory (same schema, same calls), so actions are
  still queued and sent while the app runs, but the ones not yet sent when it
  quits are lost. The pending rows already in that file are counted (read from
  a scratch copy) and left there, to be sent once it can be written again.
  :class:`OutboxUnwritable` says so.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .outbox_rows import (
    COLUMNS,
    FINISHED_STATES,
    PENDING_STATES,
    SCHEMA,
    SENDING,
    Intent,
    UnreadableRow,
    read_row,
    text_or_bytes,
)
from .outbox_salvage import Damaged, damage_before_open, is_damage, reason_of, salvage_or_none

log = logging.getLogger(__name__)

# SQLite's page cache grows with the file up to its default 2 MiB, and the file keeps a month of
# finished actions: a cap, so a busy day does not hold memory for all day (benchmarks/day_soak.py).
PAGE_CACHE_KIB = 256

_COUNT = object()


@dataclass(frozen=True, slots=True)
class OutboxDamage:
    """The outbox file was damaged and replaced by a new one.

    ``path``: the damaged file, kept for inspection (``*.corrupt-<unix time>``, with its
    ``-wal`` and ``-shm`` when it had them; the original path when it could not be moved);
    ``recovered_count``: pending actions read back from it and queued again;
    ``unreadable_count``: pending actions it held that could not be read (``None``: unknown,
    the damaged part may have held any number).
    """

    path: Path
    unreadable_count: int | None
    recovered_count: int = 0


@dataclass(frozen=True, slots=True)
class OutboxUnwritable:
    """The outbox file (or its folder) cannot be written: the outbox lives in memory.

    Actions made now are queued and sent while the app runs, and lost if it quits
    before they are sent. ``path``: the outbox file that could not be used;
    ``reason``: the system's words; ``waiting_count``: pending actions already in
    that file, left there to be sent once it can be written (``None``: not counted).
    """

    path: Path
    reason: str
    waiting_count: int | None = 0


class OutboxOpener:
    """Opens the outbox file ``path`` (:meth:`open`, once); what it found is in :attr:`damage`,
    :attr:`unwritable` and :attr:`in_memory` afterwards."""

    def __init__(self, path: Path, *, clock: Callable[[], float]) -> None:
        self.path = Path(path)
        self._clock = clock
        self.damage: OutboxDamage | None = None
        self.unwritable: OutboxUnwritable | None = None
        self.in_memory = False
        self._kept: Path | None = None

    def open(self) -> sqlite3.Connection:
        """The connection to the outbox: its file, a new one in place of a damaged one, or memory."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            return self._in_memory_instead(reason_of(exc))
        problem = damage_before_open(self.path)
        kept: Path | None = None
        if problem is None:
            try:
                return self._connect(self.path)
            except (sqlite3.Error, Damaged) as exc:
                if not is_damage(exc):
                    return self._in_memory_instead(reason_of(exc))
                problem, kept = reason_of(exc), self._kept
                if kept is not None:
                    try:
                        for suffix in ("-wal", "-shm", ""):
                            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    except OSError as unlink_error:
                        log.error("the damaged outbox %s could not be replaced: %s", self.path, unlink_error)
                        kept = None
        else:
            kept = self._move_aside()
        return self._replace_damaged(problem, kept)

    def _connect(self, target: Path | str) -> sqlite3.Connection:
        db = sqlite3.connect(target, isolation_level=None, timeout=5.0)
        try:
            db.row_factory = sqlite3.Row
            db.text_factory = text_or_bytes
            # Checked before anything is written to it (a switch to WAL writes the header).
            found = [str(r[0]) for r in db.execute("PRAGMA quick_check").fetchall()]
            if found != ["ok"]:
                raise Damaged("; ".join(found[:3]))
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
            db.executescript(SCHEMA)
        except BaseException as exc:
            if target != ":memory:" and is_damage(exc):
                # Copied while this connection holds the files: closing it may checkpoint the
                # log into the damaged file and delete the log.
                self._kept = self._copy_aside()
            db.close()
            raise
        if target != ":memory:":
            try:
                Path(target).chmod(0o600)
            except OSError:
                pass
        return db

    def _aside_path(self) -> Path:
        stamp = int(self._clock())
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while any(os.path.lexists(f"{aside}{suffix}") for suffix in ("", "-wal", "-shm")):
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        return aside

    def _copy_aside(self) -> Path | None:
        try:
            aside = self._aside_path()
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    shutil.copy2(source, f"{aside}{suffix}")
        except OSError as exc:
            log.error("the damaged outbox %s could not be copied aside: %s", self.path, exc)
            return None
        return aside

    def _move_aside(self) -> Path | None:
        try:
            aside = self._aside_path()
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    source.rename(f"{aside}{suffix}")
        except OSError as exc:
            log.error("the damaged outbox %s could not be moved aside: %s", self.path, exc)
            return None
        return aside

    def _replace_damaged(self, problem: str, kept: Path | None) -> sqlite3.Connection:
        """A new outbox in place of the damaged one (kept at ``kept``), with what could be read back."""
        salvage = salvage_or_none(kept or self.path)
        readable: list[tuple[Intent, dict[str, Any]]] = []
        unreadable = 0
        for raw in salvage.rows if salvage else ():
            try:
                readable.append((read_row(raw), raw))
            except UnreadableRow as exc:
                if raw.get("state") not in FINISHED_STATES:
                    unreadable += 1
                log.error("row %r of the damaged outbox cannot be read: %s", raw.get("id"), exc)
        if salvage is None or not salvage.complete:
            unreadable_count: int | None = None
        else:
            unreadable_count = unreadable
        pending = [intent for intent, _raw in readable if intent.state in PENDING_STATES]
        if kept is None:
            # It stays where it is: what it holds is sent once it can be replaced (never twice).
            self.damage = OutboxDamage(self.path, unreadable_count, 0)
            log.error("outbox %s is damaged (%s) and cannot be replaced; %d pending action(s) readable in it, "
                      "%s not", self.path, problem, len(pending),
                      "an unknown number" if unreadable_count is None else unreadable_count)
            return self._in_memory_instead(f"the damaged file could not be replaced ({problem})",
                                           waiting=len(pending))
        try:
            db = self._connect(self.path)
        except (sqlite3.Error, Damaged) as exc:
            db = self._in_memory_instead(reason_of(exc), waiting=0)
        recovered = self._requeue(db, readable, salvage.sequence if salvage else None)
        self.damage = OutboxDamage(kept, unreadable_count, recovered)
        log.error("outbox %s was damaged (%s); kept at %s. %d pending action(s) recovered and queued again; "
                  "%s could not be read", self.path, problem, kept, recovered,
                  "an unknown number" if unreadable_count is None else unreadable_count)
        return db

    @staticmethod
    def _requeue(db: sqlite3.Connection, readable: list[tuple[Intent, dict[str, Any]]],
                 sequence: int | None) -> int:
        """Put the rows read back into ``db`` with their ids (the local ids pointing at them stay
        right). Pending ones come back as "may have been sent": the replay checks the server
        before resending, since the damaged copy may be older than what reached it."""
        recovered = 0
        placeholders = ", ".join("?" for _ in COLUMNS)
        try:
            db.execute("BEGIN IMMEDIATE")
            for intent, raw in readable:
                values = dict(raw)
                values["progress"] = raw.get("progress") or "{}"
                if intent.state in PENDING_STATES:
                    values["state"] = SENDING
                    values["attempts"] = max(1, intent.attempts)
                    recovered += 1
                db.execute(f"INSERT INTO intents({', '.join(COLUMNS)}) VALUES ({placeholders})",
                           [values.get(c) for c in COLUMNS])
            if sequence is not None:
                db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'intents' AND seq < ?",
                           (sequence, sequence))
                db.execute("INSERT INTO sqlite_sequence(name, seq) SELECT 'intents', ? WHERE NOT EXISTS "
                           "(SELECT 1 FROM sqlite_sequence WHERE name = 'intents')", (sequence,))
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            log.error("the rows read back from the damaged outbox could not be queued again: %s", exc)
            return 0
        return recovered

    def _in_memory_instead(self, reason: str, *, waiting: int | None | object = _COUNT) -> sqlite3.Connection:
        """The outbox file cannot be used: the queue lives in memory until the app quits.

        ``waiting``: the pending rows left in the file (default: counted from a scratch copy)."""
        if waiting is _COUNT:
            waiting = self._count_waiting()
        assert waiting is None or isinstance(waiting, int)
        self.unwritable = OutboxUnwritable(self.path, reason, waiting)
        self.in_memory = True
        left = ("" if waiting == 0 else f"; {'an unknown number of' if waiting is None else waiting} pending "
                "action(s) already in that file are left there, to be sent once it can be written")
        log.error("the outbox %s cannot be written (%s): actions are kept in memory only, and those not sent "
                  "when TimeCrowd Tray quits are lost%s", self.path, reason, left)
        return self._connect(":memory:")

    def _count_waiting(self) -> int | None:
        """Pending rows in the file that cannot be written (read from a scratch copy); None: unknown."""
        try:
            if not any(Path(f"{self.path}{suffix}").exists() for suffix in ("", "-wal")):
                return 0
        except OSError:
            return None
        salvage = salvage_or_none(self.path)
        if salvage is None or not salvage.complete:
            return None
        return sum(1 for raw in salvage.rows if raw.get("state") in PENDING_STATES)
