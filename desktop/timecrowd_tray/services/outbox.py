"""The durable queue of the user's intents: nothing the user did is ever lost.

One SQLite file (WAL) in the user data dir, one row per intent, scoped by
account (``api base#user id``). A row is written *before* anything is sent and
carries the local time the user acted (``acted_at``, unix seconds).

Row life::

    queued ──mark_sending──▶ sending ──mark_done──▶ done
       ▲                        │ └──mark_rejected──▶ rejected
       └───(never goes back)────┘  (stays "sending" on a transient error)

``sending`` means "a request for it may have reached the server": whoever picks
the row up again (after an error, or after a crash and a restart) must check
the server's state before resending. ``attempts`` counts the times it was
picked up; ``progress`` (JSON) records the steps of a multi-request intent
that the server confirmed (e.g. the id of the entry a start made), so a replay
resumes rather than redoes. ``done`` rows keep the server's ``entry_id``: a
later intent that points at a start by its local id (``EntryRef.local_id``)
is resolved through it.

Durability: WAL with ``synchronous=NORMAL``: a commit survives the process
being killed (``kill -9``), which is the failure that matters for a desktop
app; a power cut may lose the last few hundred milliseconds of commits.

Bad local state never stops the app, and never goes unsaid:

* **A row that cannot be an intent** (``acted_at`` not a time, a payload that
  is not a JSON object, an unknown kind or state, a NULL where a value is
  needed) is *set aside*: moved, exactly as it was, into the table
  ``unreadable_intents`` of the same file (with the reason), never sent, never
  deleted. The other rows go on, in order. Every pending row is checked when
  the file is opened; :meth:`Outbox.pending`, :meth:`~Outbox.head` and
  :meth:`~Outbox.count` skip (and set aside) any found later.
  :attr:`Outbox.unreadable_count` counts them.
* **A damaged file** (garbage, truncated, zeroed, or emptied while its
  write-ahead log still held the data) is set aside untouched, with its
  ``-wal`` and ``-shm``, as ``outbox.sqlite3.corrupt-<unix time>`` (renamed when
  the damage shows before SQLite opens it, else copied while the connection that
  found it still holds the files: SQLite never gets to checkpoint a damaged
  file's log into it, or to delete the log), and a new outbox starts. The rows are then read back from a scratch
  copy of the damaged one, through the log if need be (a zeroed or emptied
  main file whose data is still in the log is rebuilt from it): the pending
  ones are queued again, as "may have been sent" (the replay checks the
  server before resending: the damaged copy may be older than what was
  sent). :attr:`Outbox.damage` says where the copy is, how many pending
  actions were recovered and how many could not be read (``None``: unknown).
* **A folder or file that cannot be written** (read-only, not creatable,
  locked): the outbox lives in memory (same schema, same calls), so actions are
  still queued and sent while the app runs, but the ones not yet sent when it
  quits are lost. The pending rows already in that file are counted (read from
  a scratch copy) and left there, to be sent once it can be written again.
  :attr:`Outbox.unwritable` says so.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import sqlite3
import struct
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

QUEUED = "queued"
SENDING = "sending"
DONE = "done"
REJECTED = "rejected"
PENDING_STATES = (QUEUED, SENDING)
FINISHED_STATES = (DONE, REJECTED)
KINDS = ("start", "stop", "comment", "create")

KEEP_FINISHED_SECONDS = 30 * 86400

_COLUMNS = ("id", "account", "kind", "payload", "acted_at", "state", "attempts", "first_sent_at", "last_error",
            "progress", "entry_id", "finished_at")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS intents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    acted_at      REAL    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'queued',
    attempts      INTEGER NOT NULL DEFAULT 0,
    first_sent_at REAL,
    last_error    TEXT,
    progress      TEXT    NOT NULL DEFAULT '{}',
    entry_id      INTEGER,
    finished_at   REAL
);
CREATE INDEX IF NOT EXISTS intents_by_account ON intents(account, state, id);
CREATE TABLE IF NOT EXISTS unreadable_intents (
    id, account, kind, payload, acted_at, state, attempts, first_sent_at, last_error, progress, entry_id,
    finished_at, reason, set_aside_at
);
"""
# unreadable_intents has no column types on purpose: the values are kept exactly as they were.

_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_ROOT_PAGES = 5  # intents, sqlite_sequence, intents_by_account, unreadable_intents: pages 2 to 5
_CORRUPTION_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_COUNT = object()


@dataclass(frozen=True, slots=True)
class Intent:
    id: int
    account: str
    kind: str
    payload: dict[str, Any]
    acted_at: float
    state: str = QUEUED
    attempts: int = 0
    first_sent_at: float | None = None
    last_error: str | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    entry_id: int | None = None

    @property
    def maybe_sent(self) -> bool:
        """A previous pick-up may have reached the server: check before resending.

        Read on a row returned by :meth:`Outbox.mark_sending`, whose ``attempts``
        already counts the current pick-up.
        """
        return self.attempts > 1

    @property
    def target_local_id(self) -> int | None:
        target = self.payload.get("target")
        return target.get("local_id") if isinstance(target, dict) else None


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


class UnreadableRow(ValueError):
    """A row whose columns cannot be an intent; the message says which and why."""


# -- reading a row -------------------------------------------------------------------------


def _number(value: Any, name: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UnreadableRow(f"{name} is {value!r}, not a number")
    return float(value)


def _instant(value: Any, name: str, *, optional: bool = False) -> float | None:
    number = _number(value, name, optional=optional)
    if number is not None:
        try:
            datetime.fromtimestamp(number, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise UnreadableRow(f"{name} is {value!r}, not a time") from None
    return number


def _integer(value: Any, name: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnreadableRow(f"{name} is {value!r}, not a whole number")
    return value


def _object(text: Any, name: str, *, null_is_empty: bool = False) -> dict[str, Any]:
    if text is None and null_is_empty:
        return {}
    if not isinstance(text, str):
        raise UnreadableRow(f"{name} is {text!r}, not JSON text")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableRow(f"{name} is not JSON: {text[:80]!r}") from None
    if not isinstance(value, dict):
        raise UnreadableRow(f"{name} is not a JSON object: {text[:80]!r}")
    return value


def _row(r: Mapping[str, Any]) -> Intent:
    """The intent in row ``r``; raises :class:`UnreadableRow` when it cannot be one."""
    try:
        intent_id = _integer(r["id"], "id")
        if intent_id < 1:
            raise UnreadableRow(f"id is {intent_id!r}")
        account, kind, state, last_error = r["account"], r["kind"], r["state"], r["last_error"]
        if not isinstance(account, str) or not account:
            raise UnreadableRow(f"account is {account!r}")
        if kind not in KINDS:
            raise UnreadableRow(f"kind {kind!r} is unknown")
        if state not in (*PENDING_STATES, *FINISHED_STATES):
            raise UnreadableRow(f"state {state!r} is unknown")
        if last_error is not None and not isinstance(last_error, str):
            raise UnreadableRow(f"last_error is {last_error!r}, not text")
        attempts = _integer(r["attempts"], "attempts")
        if attempts < 0:
            raise UnreadableRow(f"attempts is {attempts!r}")
        progress = _object(r["progress"], "progress", null_is_empty=True)
        if not isinstance(progress.get("known_ids", []), list):
            raise UnreadableRow(f"progress.known_ids is {progress['known_ids']!r}, not a list")
        return Intent(id=intent_id, account=account, kind=kind, payload=_object(r["payload"], "payload"),
                      acted_at=_instant(r["acted_at"], "acted_at"), state=state, attempts=attempts,
                      first_sent_at=_instant(r["first_sent_at"], "first_sent_at", optional=True),
                      last_error=last_error, progress=progress,
                      entry_id=_integer(r["entry_id"], "entry_id", optional=True))
    except (KeyError, IndexError) as exc:
        raise UnreadableRow(f"column {exc} is missing") from None


def _row_id(r: Mapping[str, Any]) -> Any:
    try:
        return r["id"]
    except (KeyError, IndexError):
        return None


def _text_or_bytes(raw: bytes) -> str | bytes:
    """Text columns as ``str``; bytes that are not UTF-8 stay bytes (the row is then unreadable, not the query)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


# -- damage: finding it, and reading back what a damaged file still holds ----------------------


class _Damaged(Exception):
    """The file opened but SQLite's own check found it damaged."""


def _is_damage(exc: BaseException) -> bool:
    if isinstance(exc, _Damaged):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPTION_CODES
    return type(exc) is sqlite3.DatabaseError  # "file is not a database", "disk image is malformed"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__


def _wal_checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    count = len(data) // 4
    words = struct.unpack(f"{'>' if big_endian else '<'}{count}I", data[:count * 4])
    for i in range(0, count - 1, 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _wal_header_ok(header: bytes) -> bool:
    if len(header) < 32:
        return False
    magic, _version, page_size, _seq, _salt1, _salt2, ck1, ck2 = struct.unpack(">8I", header[:32])
    if magic not in _WAL_MAGICS or not 512 <= page_size <= 65536 or page_size & (page_size - 1):
        return False
    return _wal_checksum(header[:24], 0, 0, bool(magic & 1)) == (ck1, ck2)


def _wal_committed(wal: bytes) -> tuple[int, dict[int, bytes], int] | None:
    """The committed pages of the write-ahead log ``wal``, as SQLite's own recovery reads them.

    ``(page size, {page number: content}, pages in the database after the last commit)``, or
    None when ``wal`` is no valid log. Frames count up to the first one whose salt or running
    checksum is wrong; those after the last commit frame are an unfinished transaction.
    """
    if not _wal_header_ok(wal):
        return None
    magic, _version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", wal[:32])
    big = bool(magic & 1)
    checksum = (ck1, ck2)
    pages: dict[int, bytes] = {}
    uncommitted: dict[int, bytes] = {}
    db_pages = 0
    offset = 32
    while offset + 24 + page_size <= len(wal):
        number, commit, fs1, fs2, fc1, fc2 = struct.unpack(">6I", wal[offset:offset + 24])
        if number == 0 or (fs1, fs2) != (salt1, salt2):
            break
        data = wal[offset + 24:offset + 24 + page_size]
        checksum = _wal_checksum(data, *_wal_checksum(wal[offset:offset + 8], *checksum, big), big)
        if checksum != (fc1, fc2):
            break
        uncommitted[number] = data
        if commit:
            pages.update(uncommitted)
            uncommitted = {}
            db_pages = commit
        offset += 24 + page_size
    return page_size, pages, db_pages


def _damage_before_open(path: Path) -> str | None:
    """Why ``path`` must not be opened as it is (SQLite would drop data without a word), or None.

    A main file that is empty or missing while its log holds committed data (SQLite
    deletes such a log), a main file that is not an SQLite database (zeroed, garbage: SQLite
    would checkpoint the log into it and delete the log when the connection closes), or a
    log that is not a log (SQLite ignores it, and what it held).
    """
    wal = Path(f"{path}-wal")
    try:
        header = _head_of(path, 100)
        wal_header = _head_of(wal, 32)
        if not header:
            committed = _wal_committed(wal.read_bytes()) if wal_header else None
            if committed is not None and committed[1]:
                return "the file is empty but its write-ahead log holds data"
            return None
    except OSError:
        return None  # opening it says why it cannot be used
    if len(header) < 100 or header[:16] != _SQLITE_MAGIC:
        return "the file is not an SQLite database (its header is missing or damaged)"
    if wal_header and not _wal_header_ok(wal_header):
        return "its write-ahead log is damaged"
    return None


def _head_of(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (b"" when it does not exist)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        return b""


@dataclass(slots=True)
class _Salvage:
    rows: list[dict[str, Any]]
    complete: bool  # every row of the table was read
    sequence: int | None = None  # the last id it gave out


def _read_rows(db: sqlite3.Connection) -> _Salvage:
    db.text_factory = _text_or_bytes
    rows: list[dict[str, Any]] = []
    complete = False
    sequence = None
    try:
        try:
            cursor = db.execute("SELECT * FROM intents ORDER BY id")
            names = [d[0] for d in cursor.description]
            while (r := cursor.fetchone()) is not None:
                rows.append(dict(zip(names, r)))
            complete = True
        except sqlite3.Error as exc:
            log.info("reading the damaged outbox stopped after %d row(s): %s", len(rows), exc)
        try:
            found = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'intents'").fetchone()
            if found is not None and isinstance(found[0], int) and not isinstance(found[0], bool):
                sequence = found[0]
        except sqlite3.Error:
            pass
    finally:
        db.close()
    return _Salvage(rows, complete, sequence)


def _page_size(header: bytes) -> int | None:
    if len(header) < 100 or header[:16] != _SQLITE_MAGIC:
        return None
    size = struct.unpack(">H", header[16:18])[0]
    size = 65536 if size == 1 else size
    return size if 512 <= size <= 65536 and not size & (size - 1) else None


def _first_page(page_size: int) -> bytes:
    """Page 1 of a new outbox: the schema, naming the same root pages as any outbox has."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"PRAGMA page_size = {int(page_size)}")
        db.executescript(_SCHEMA)
        return db.serialize()[:page_size]
    finally:
        db.close()


def _rebuild(main: bytes, wal: bytes) -> bytes | None:
    """The database image the main file and its log make together (page 1 made anew if lost)."""
    committed = _wal_committed(wal) if wal else None
    page_size = _page_size(main) or (committed[0] if committed else 4096)
    if committed is not None and committed[0] != page_size:
        committed = None
    pages = committed[1] if committed else {}
    count = committed[2] if committed and committed[2] else len(main) // page_size
    if count <= 1:
        return None
    if _page_size(main):  # a truncated file: its pages up to the size its header says (zeros: unreadable)
        count = max(count, min(struct.unpack(">I", main[28:32])[0], len(main) // page_size + 4096))
    count = max(count, _ROOT_PAGES)  # the schema names root pages up to there
    image = bytearray(count * page_size)
    body = main[:count * page_size]
    image[:len(body)] = body
    for number, data in pages.items():
        if 1 <= number <= count:
            image[(number - 1) * page_size:number * page_size] = data
    if bytes(image[:16]) != _SQLITE_MAGIC:
        image[:page_size] = _first_page(page_size)
    image[18] = image[19] = 1  # a rollback-journal database: the scratch copy needs no log
    image[28:32] = struct.pack(">I", count)
    image[92:96] = image[24:28]  # the page count above is valid
    return bytes(image)


def _salvage(path: Path) -> _Salvage:
    """What the outbox file ``path`` (with its ``-wal``) still holds, read from scratch copies.

    Never opens ``path`` itself: SQLite, first (the log applied as it would apply it), then
    the pages of the file and its log put together here, with a new first page when the
    file lost its own (a zeroed or emptied file whose data was still in the log).
    """
    main = _head_of(path, -1)
    wal = _head_of(Path(f"{path}-wal"), -1)
    with tempfile.TemporaryDirectory(prefix="timecrowd-tray-outbox-") as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        copy.write_bytes(main)
        if wal:
            Path(f"{copy}-wal").write_bytes(wal)
        best = _read_rows(sqlite3.connect(copy, isolation_level=None))
    if not best.complete:
        image = _rebuild(main, wal)
        if image is not None:
            db = sqlite3.connect(":memory:", isolation_level=None)
            try:
                db.deserialize(image)
            except sqlite3.Error:
                db.close()
            else:
                rebuilt = _read_rows(db)
                if rebuilt.complete or len(rebuilt.rows) > len(best.rows):
                    best = rebuilt
    if wal and not _wal_header_ok(wal):
        best.complete = False  # a log that is no log: what it held is unknown
    return best


def _salvage_or_none(path: Path) -> _Salvage | None:
    try:
        return _salvage(path)
    except (OSError, sqlite3.Error, MemoryError) as exc:
        log.error("the outbox %s could not be read back: %s", path, exc)
        return None


# -- the queue ------------------------------------------------------------------------------


class Outbox:
    """The queue. All calls are synchronous and fast (one small transaction each).

    ``on_unreadable(n)`` is called when ``n`` rows were set aside after the outbox was opened
    (those found while opening are in :attr:`unreadable_count` already, with no call).
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time,
                 on_unreadable: Callable[[int], None] | None = None) -> None:
        self.path = Path(path)
        self._clock = clock
        self._on_unreadable: Callable[[int], None] | None = None
        self.damage: OutboxDamage | None = None
        self.unwritable: OutboxUnwritable | None = None
        self._in_memory = False
        self._unreadable = 0
        self._skipped: set[Any] = set()  # unreadable rows that could not be moved aside
        self._kept: Path | None = None
        self._db = self._open_or_fall_back()
        self._set_aside_unreadable()
        self._on_unreadable = on_unreadable

    # -- opening ----------------------------------------------------------------------------

    @property
    def in_memory(self) -> bool:
        """The outbox lives in memory (its file cannot be written): see :attr:`unwritable`."""
        return self._in_memory

    @property
    def unreadable_count(self) -> int:
        """Rows set aside as unreadable since this outbox was opened (never sent, kept in the file)."""
        return self._unreadable

    def _open_or_fall_back(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            return self._in_memory_instead(_reason(exc))
        problem = _damage_before_open(self.path)
        kept: Path | None = None
        if problem is None:
            try:
                return self._connect(self.path)
            except (sqlite3.Error, _Damaged) as exc:
                if not _is_damage(exc):
                    return self._in_memory_instead(_reason(exc))
                problem, kept = _reason(exc), self._kept
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
            db.text_factory = _text_or_bytes
            # Checked before anything is written to it (a switch to WAL writes the header).
            found = [str(r[0]) for r in db.execute("PRAGMA quick_check").fetchall()]
            if found != ["ok"]:
                raise _Damaged("; ".join(found[:3]))
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
        except BaseException as exc:
            if target != ":memory:" and _is_damage(exc):
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
        salvage = _salvage_or_none(kept or self.path)
        readable: list[tuple[Intent, dict[str, Any]]] = []
        unreadable = 0
        for raw in salvage.rows if salvage else ():
            try:
                readable.append((_row(raw), raw))
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
        except (sqlite3.Error, _Damaged) as exc:
            db = self._in_memory_instead(_reason(exc), waiting=0)
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
        placeholders = ", ".join("?" for _ in _COLUMNS)
        try:
            db.execute("BEGIN IMMEDIATE")
            for intent, raw in readable:
                values = dict(raw)
                values["progress"] = raw.get("progress") or "{}"
                if intent.state in PENDING_STATES:
                    values["state"] = SENDING
                    values["attempts"] = max(1, intent.attempts)
                    recovered += 1
                db.execute(f"INSERT INTO intents({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                           [values.get(c) for c in _COLUMNS])
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
        self._in_memory = True
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
        salvage = _salvage_or_none(self.path)
        if salvage is None or not salvage.complete:
            return None
        return sum(1 for raw in salvage.rows if raw.get("state") in PENDING_STATES)

    def close(self) -> None:
        self._db.close()

    # -- rows that cannot be read -------------------------------------------------------------

    def _set_aside_unreadable(self) -> None:
        """Check every row not finished yet; set aside those that cannot be intents."""
        try:
            rows = self._db.execute("SELECT * FROM intents WHERE state IS NULL OR state NOT IN (?, ?) ORDER BY id",
                                    FINISHED_STATES).fetchall()
        except sqlite3.Error as exc:
            log.error("the outbox rows could not be checked: %s", exc)
            return
        self._readable(rows)

    def _readable(self, rows: Iterable[Mapping[str, Any]]) -> list[Intent]:
        """The intents of ``rows``; the rows that cannot be one are set aside (and counted)."""
        out: list[Intent] = []
        bad = 0
        for r in rows:
            if _row_id(r) in self._skipped:
                continue
            try:
                out.append(_row(r))
            except UnreadableRow as exc:
                self._set_aside(r, str(exc))
                bad += 1
        if bad:
            self._told(bad)
        return out

    def _set_aside(self, r: Mapping[str, Any], reason: str) -> None:
        row_id = _row_id(r)
        columns = ", ".join(_COLUMNS)
        log.error("outbox row %r cannot be read (%s): set aside, never sent; kept in the table "
                  "unreadable_intents of %s", row_id, reason, "memory" if self._in_memory else self.path)
        try:
            with self._tx():
                self._db.execute(f"INSERT INTO unreadable_intents({columns}, reason, set_aside_at) "
                                 f"SELECT {columns}, ?, ? FROM intents WHERE id IS ?",
                                 (reason, self._clock(), row_id))
                self._db.execute("DELETE FROM intents WHERE id IS ?", (row_id,))
        except sqlite3.Error as exc:
            log.error("outbox row %r could not be moved aside (%s): skipped while the app runs", row_id, exc)
            self._skipped.add(row_id)
        self._unreadable += 1

    def _told(self, count: int) -> None:
        if self._on_unreadable is not None:
            try:
                self._on_unreadable(count)
            except Exception:  # a listener's bug must not break the queue
                log.exception("the outbox's on_unreadable callback failed")

    def unreadable_rows(self) -> list[dict[str, Any]]:
        """The rows set aside (as they were, with ``reason`` and ``set_aside_at``), oldest first."""
        cursor = self._db.execute("SELECT * FROM unreadable_intents ORDER BY set_aside_at, id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    # -- writing intents ---------------------------------------------------------

    def add(self, account: str, kind: str, payload: dict[str, Any], acted_at: float) -> int:
        return self.add_many(account, [(kind, payload, acted_at)])[0]

    def add_many(self, account: str, intents: Iterable[tuple[str, dict[str, Any], float]]) -> list[int]:
        """Record several intents in one transaction (a switch: stop, then start)."""
        ids = []
        with self._tx():
            for kind, payload, acted_at in intents:
                cur = self._db.execute(
                    "INSERT INTO intents(account, kind, payload, acted_at) VALUES (?, ?, ?, ?)",
                    (account, kind, json.dumps(payload, ensure_ascii=False), float(acted_at)))
                ids.append(int(cur.lastrowid))
        return ids

    def _tx(self):
        db = self._db

        class _Tx:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, exc_type, exc, tb):
                db.execute("ROLLBACK" if exc_type else "COMMIT")
                return False

        return _Tx()

    # -- reading ---------------------------------------------------------------

    def pending(self, account: str) -> list[Intent]:
        """The account's pending intents in order (rows that cannot be read are set aside)."""
        rows = self._db.execute(
            "SELECT * FROM intents WHERE account = ? AND state IN (?, ?) ORDER BY id",
            (account, *PENDING_STATES)).fetchall()
        return self._readable(rows)

    def head(self, account: str) -> Intent | None:
        after = 0
        while True:
            r = self._db.execute(
                "SELECT * FROM intents WHERE account = ? AND state IN (?, ?) AND id > ? ORDER BY id LIMIT 1",
                (account, *PENDING_STATES, after)).fetchone()
            if r is None:
                return None
            after = r["id"]
            found = self._readable([r])
            if found:
                return found[0]

    def get(self, intent_id: int) -> Intent | None:
        r = self._db.execute("SELECT * FROM intents WHERE id = ?", (intent_id,)).fetchone()
        if r is None or r["id"] in self._skipped:
            return None
        if r["state"] in FINISHED_STATES:
            try:
                return _row(r)
            except UnreadableRow as exc:  # history: left where it is
                log.warning("finished outbox row %r cannot be read: %s", intent_id, exc)
                return None
        found = self._readable([r])
        return found[0] if found else None

    def count(self, account: str) -> int:
        """Pending intents of the account (readable ones: the others are set aside)."""
        return len(self.pending(account))

    def resolve(self, local_id: int) -> int | None:
        """The server's entry id made by the start/create row ``local_id``, once done."""
        r = self._db.execute("SELECT entry_id, state FROM intents WHERE id = ?", (local_id,)).fetchone()
        if r is None or r["state"] != DONE:
            return None
        entry_id = r["entry_id"]
        return entry_id if isinstance(entry_id, int) and not isinstance(entry_id, bool) else None

    def state_of(self, intent_id: int) -> str | None:
        r = self._db.execute("SELECT state FROM intents WHERE id = ?", (intent_id,)).fetchone()
        return r["state"] if r else None

    def dependents(self, account: str, local_id: int) -> list[Intent]:
        """Pending intents that point at the entry the row ``local_id`` was to make."""
        return [i for i in self.pending(account) if i.target_local_id == local_id]

    # -- the sender's bookkeeping -------------------------------------------------

    def mark_sending(self, intent_id: int) -> Intent:
        """Picked up for sending (committed before the request leaves)."""
        now = self._clock()
        with self._tx():
            self._db.execute(
                "UPDATE intents SET state = ?, attempts = attempts + 1, "
                "first_sent_at = COALESCE(first_sent_at, ?) WHERE id = ?",
                (SENDING, now, intent_id))
        intent = self.get(intent_id)
        assert intent is not None
        return intent

    def save_progress(self, intent_id: int, progress: dict[str, Any]) -> None:
        with self._tx():
            self._db.execute("UPDATE intents SET progress = ? WHERE id = ?",
                             (json.dumps(progress, ensure_ascii=False), intent_id))

    def note_error(self, intent_id: int, message: str) -> None:
        """A transient failure: the row stays pending (``sending``: check before resending)."""
        with self._tx():
            self._db.execute("UPDATE intents SET last_error = ? WHERE id = ?", (message, intent_id))

    def mark_done(self, intent_id: int, entry_id: int | None = None) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE intents SET state = ?, entry_id = COALESCE(?, entry_id), finished_at = ?, "
                "last_error = NULL WHERE id = ?",
                (DONE, entry_id, self._clock(), intent_id))

    def mark_rejected(self, intent_id: int, message: str) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE intents SET state = ?, last_error = ?, finished_at = ? WHERE id = ?",
                (REJECTED, message, self._clock(), intent_id))

    def prune(self, older_than: float | None = None) -> int:
        """Forget finished rows older than 30 days (none a pending row still points at)."""
        cutoff = self._clock() - KEEP_FINISHED_SECONDS if older_than is None else older_than
        referenced = {i.target_local_id for i in self._readable(self._db.execute(
            "SELECT * FROM intents WHERE state IN (?, ?)", PENDING_STATES).fetchall())}
        referenced.discard(None)
        rows = self._db.execute("SELECT id FROM intents WHERE state IN (?, ?) AND finished_at < ?",
                                (DONE, REJECTED, cutoff)).fetchall()
        doomed = [r["id"] for r in rows if r["id"] not in referenced]
        if doomed:
            with self._tx():
                self._db.executemany("DELETE FROM intents WHERE id = ?", [(i,) for i in doomed])
        return len(doomed)
