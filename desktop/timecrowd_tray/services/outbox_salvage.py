"""What a damaged outbox file still holds, and how damage is told from other failures.

Damage is SQLite's own word (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``, a failed
``quick_check``: :func:`is_damage`), or what shows before SQLite opens the file
(:func:`damage_before_open`): a main file that is not an SQLite database, a
write-ahead log that is not a log, or an empty main file whose log still holds
committed data: SQLite would drop that data without a word.

:func:`salvage_or_none` reads the rows back from scratch copies, never from the
file itself: through SQLite first (the log applied as SQLite applies it), then,
when that stops short, from the pages of the file and its log put together here
(:func:`_wal_committed` reads the log's committed frames as SQLite's own
recovery does), with a new first page when the file lost its own (a zeroed or
emptied file whose data was still in the log).
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .outbox_rows import SCHEMA, text_or_bytes

log = logging.getLogger(__name__)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_ROOT_PAGES = 5  # intents, sqlite_sequence, intents_by_account, unreadable_intents: pages 2 to 5
_CORRUPTION_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)


class Damaged(Exception):
    """The file opened but SQLite's own check found it damaged."""


def is_damage(exc: BaseException) -> bool:
    """``exc`` says the file is damaged (not locked, not unwritable, not missing)."""
    if isinstance(exc, Damaged):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPTION_CODES
    return type(exc) is sqlite3.DatabaseError  # "file is not a database", "disk image is malformed"


def reason_of(exc: BaseException) -> str:
    """The system's words for ``exc``, for a log line or :class:`~.outbox_open.OutboxUnwritable`."""
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


def damage_before_open(path: Path) -> str | None:
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
class Salvage:
    """The rows read back from a damaged file, as they were (column name -> value)."""

    rows: list[dict[str, Any]]
    complete: bool  # every row of the table was read
    sequence: int | None = None  # the last id it gave out


def _read_rows(db: sqlite3.Connection) -> Salvage:
    db.text_factory = text_or_bytes
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
    return Salvage(rows, complete, sequence)


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
        db.executescript(SCHEMA)
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


def _salvage(path: Path) -> Salvage:
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


def salvage_or_none(path: Path) -> Salvage | None:
    try:
        return _salvage(path)
    except (OSError, sqlite3.Error, MemoryError) as exc:
        log.error("the outbox %s could not be read back: %s", path, exc)
        return None
