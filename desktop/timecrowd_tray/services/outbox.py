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
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

log = logging.getLogger(__name__)

QUEUED = "queued"
SENDING = "sending"
DONE = "done"
REJECTED = "rejected"
PENDING_STATES = (QUEUED, SENDING)

KEEP_FINISHED_SECONDS = 30 * 86400

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
"""


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


def _row(r: sqlite3.Row) -> Intent:
    def _json(text: str | None) -> dict[str, Any]:
        try:
            value = json.loads(text or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    return Intent(id=r["id"], account=r["account"], kind=r["kind"], payload=_json(r["payload"]),
                  acted_at=r["acted_at"], state=r["state"], attempts=r["attempts"],
                  first_sent_at=r["first_sent_at"], last_error=r["last_error"], progress=_json(r["progress"]),
                  entry_id=r["entry_id"])


class Outbox:
    """The queue. All calls are synchronous and fast (one small transaction each)."""

    def __init__(self, path: Path, *, clock=time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            # A corrupt file must not keep the app from starting: keep it aside for a look.
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self._clock())}")
            log.error("outbox %s unreadable (%s); moved to %s", self.path, exc, aside)
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    src.rename(Path(str(aside) + suffix))
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=5.0)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        try:
            self.path.chmod(0o600)
        except OSError:
            pass
        return db

    def close(self) -> None:
        self._db.close()

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
        rows = self._db.execute(
            "SELECT * FROM intents WHERE account = ? AND state IN (?, ?) ORDER BY id",
            (account, *PENDING_STATES)).fetchall()
        return [_row(r) for r in rows]

    def head(self, account: str) -> Intent | None:
        r = self._db.execute(
            "SELECT * FROM intents WHERE account = ? AND state IN (?, ?) ORDER BY id LIMIT 1",
            (account, *PENDING_STATES)).fetchone()
        return _row(r) if r else None

    def get(self, intent_id: int) -> Intent | None:
        r = self._db.execute("SELECT * FROM intents WHERE id = ?", (intent_id,)).fetchone()
        return _row(r) if r else None

    def count(self, account: str) -> int:
        return int(self._db.execute(
            "SELECT COUNT(*) FROM intents WHERE account = ? AND state IN (?, ?)",
            (account, *PENDING_STATES)).fetchone()[0])

    def resolve(self, local_id: int) -> int | None:
        """The server's entry id made by the start/create row ``local_id``, once done."""
        r = self._db.execute("SELECT entry_id, state FROM intents WHERE id = ?", (local_id,)).fetchone()
        if r is None or r["state"] != DONE:
            return None
        return r["entry_id"]

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
        referenced = {i.target_local_id for i in
                      (_row(r) for r in self._db.execute(
                          "SELECT * FROM intents WHERE state IN (?, ?)", PENDING_STATES).fetchall())}
        referenced.discard(None)
        rows = self._db.execute("SELECT id FROM intents WHERE state IN (?, ?) AND finished_at < ?",
                                (DONE, REJECTED, cutoff)).fetchall()
        doomed = [r["id"] for r in rows if r["id"] not in referenced]
        if doomed:
            with self._tx():
                self._db.executemany("DELETE FROM intents WHERE id = ?", [(i,) for i in doomed])
        return len(doomed)
