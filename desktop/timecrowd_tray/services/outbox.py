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

* **A row that cannot be an intent** (:mod:`.outbox_rows` says which) is *set
  aside*: moved, exactly as it was, into the table ``unreadable_intents`` of the
  same file (with the reason), never sent, never deleted. The other rows go on,
  in order. Every pending row is checked when the file is opened;
  :meth:`Outbox.pending`, :meth:`~Outbox.head` and :meth:`~Outbox.count` skip
  (and set aside) any found later. :attr:`Outbox.unreadable_count` counts them.
* **A damaged file** is set aside and replaced, its rows read back and queued
  again; **a file that cannot be written** is replaced by memory
  (:mod:`.outbox_open`). :attr:`Outbox.damage` and :attr:`Outbox.unwritable` say so.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast

from ..core.timer import ActionKind
from . import intent_codec as codec
from .outbox_open import OutboxDamage, OutboxOpener, OutboxUnwritable
from .outbox_rows import (
    COLUMNS,
    DONE,
    FINISHED_STATES,
    PENDING_STATES,
    REJECTED,
    SENDING,
    Intent,
    UnreadableRow,
    id_column,
    read_row,
)

log = logging.getLogger(__name__)

KEEP_FINISHED_SECONDS = 30 * 86400


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
        self._unreadable = 0
        self._skipped: set[Any] = set()  # unreadable rows that could not be moved aside
        opener = OutboxOpener(self.path, clock=clock)
        self._db = opener.open()
        self.damage: OutboxDamage | None = opener.damage
        self.unwritable: OutboxUnwritable | None = opener.unwritable
        self._in_memory = opener.in_memory
        self._set_aside_unreadable()
        self._on_unreadable = on_unreadable

    # -- what opening found -------------------------------------------------------------------

    @property
    def in_memory(self) -> bool:
        """The outbox lives in memory (its file cannot be written): see :attr:`unwritable`."""
        return self._in_memory

    @property
    def unreadable_count(self) -> int:
        """Rows set aside as unreadable since this outbox was opened (never sent, kept in the file)."""
        return self._unreadable

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
            if id_column(r) in self._skipped:
                continue
            try:
                out.append(read_row(r))
            except UnreadableRow as exc:
                self._set_aside(r, str(exc))
                bad += 1
        if bad:
            self._told(bad)
        return out

    def _set_aside(self, r: Mapping[str, Any], reason: str) -> None:
        row_id = id_column(r)
        columns = ", ".join(COLUMNS)
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

    def add(self, account: str, kind: ActionKind | str, payload: dict[str, Any], acted_at: float) -> int:
        return self.add_many(account, [(kind, payload, acted_at)])[0]

    def add_many(self, account: str, intents: Iterable[tuple[ActionKind | str, dict[str, Any], float]]) -> list[int]:
        """Record several intents in one transaction (a switch: stop, then start); see :mod:`.intent_codec`."""
        ids = []
        with self._tx():
            for kind, payload, acted_at in intents:
                cur = self._db.execute(
                    "INSERT INTO intents(account, kind, payload, acted_at) VALUES (?, ?, ?, ?)",
                    (account, codec.kind_column(kind), json.dumps(payload, ensure_ascii=False), float(acted_at)))
                ids.append(int(cast(int, cur.lastrowid)))
        return ids

    def _tx(self) -> AbstractContextManager[None]:
        db = self._db

        class _Tx:
            def __enter__(self_inner) -> None:
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, exc_type: type[BaseException] | None, exc: BaseException | None,
                         tb: TracebackType | None) -> Literal[False]:
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
                return read_row(r)
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
