"""The outbox: order, scoping, bookkeeping, resolution, durability, pruning."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from timecrowd_tray.services.outbox import Outbox
from timecrowd_tray.services.outbox_open import OutboxDamage
from timecrowd_tray.services.outbox_rows import DONE, QUEUED, REJECTED, SENDING

from support.clock import FakeClock
from support.unwritable import shared_base, unwritable

ACC = "http://127.0.0.1:8#28"
OTHER = "http://127.0.0.1:8#31"


def test_rows_are_ordered_scoped_and_stamped(tmp_path):
    ob = Outbox(tmp_path / "o.sqlite3")
    a = ob.add(ACC, "stop", {"target": {"entry_id": 5}}, 1000.25)
    b, c = ob.add_many(ACC, [("stop", {"target": {"entry_id": 6}}, 1001.0), ("start", {"task": {"id": 1}}, 1001.0)])
    ob.add(OTHER, "start", {"task": {"id": 9}}, 999.0)
    assert [i.id for i in ob.pending(ACC)] == [a, b, c]
    head = ob.head(ACC)
    assert head.id == a and head.state == QUEUED and head.acted_at == 1000.25 and head.attempts == 0
    assert head.payload == {"target": {"entry_id": 5}}
    assert ob.count(ACC) == 3 and ob.count(OTHER) == 1
    ob.close()


def test_unicode_payload_round_trips(tmp_path):
    ob = Outbox(tmp_path / "o.sqlite3")
    i = ob.add(ACC, "comment", {"target": {"entry_id": 1}, "text": "議事録 📝 done"}, 1.0)
    assert ob.get(i).payload["text"] == "議事録 📝 done"


def test_sending_bookkeeping_and_maybe_sent(tmp_path):
    clock = FakeClock(5000.0)
    ob = Outbox(tmp_path / "o.sqlite3", clock=clock)
    i = ob.add(ACC, "start", {"task": {"id": 1}}, 4999.0)
    first = ob.mark_sending(i)
    assert first.state == SENDING and first.attempts == 1 and not first.maybe_sent
    assert first.first_sent_at == 5000.0
    ob.save_progress(i, {"entry_id": 77})
    ob.note_error(i, "HTTP 503")
    clock.advance(60)
    second = ob.mark_sending(i)
    assert second.attempts == 2 and second.maybe_sent and second.first_sent_at == 5000.0
    assert second.progress == {"entry_id": 77} and second.last_error == "HTTP 503"
    assert ob.head(ACC).id == i  # still pending
    ob.mark_done(i, entry_id=77)
    assert ob.head(ACC) is None and ob.count(ACC) == 0
    assert ob.resolve(i) == 77 and ob.state_of(i) == DONE


def test_resolution_and_dependents(tmp_path):
    ob = Outbox(tmp_path / "o.sqlite3")
    start = ob.add(ACC, "start", {"task": {"id": 1}}, 1.0)
    comment = ob.add(ACC, "comment", {"target": {"local_id": start}, "text": "x"}, 2.0)
    stop = ob.add(ACC, "stop", {"target": {"local_id": start}}, 3.0)
    ob.add(ACC, "stop", {"target": {"entry_id": 9}}, 4.0)
    assert ob.resolve(start) is None  # not done yet
    assert [i.id for i in ob.dependents(ACC, start)] == [comment, stop]
    ob.mark_rejected(start, "Task is already deleted.")
    assert ob.state_of(start) == REJECTED and ob.resolve(start) is None
    assert ob.get(start).last_error == "Task is already deleted."


def test_survives_reopen(tmp_path):
    path = tmp_path / "o.sqlite3"
    ob = Outbox(path)
    i = ob.add(ACC, "stop", {"target": {"entry_id": 5}}, 10.0)
    ob.mark_sending(i)
    # no close(): the process "dies"; a new connection sees the committed rows
    ob2 = Outbox(path)
    head = ob2.head(ACC)
    assert head.id == i and head.state == SENDING and head.attempts == 1
    assert ob2.mark_sending(i).maybe_sent


def test_ids_are_never_reused(tmp_path):
    clock = FakeClock(100.0)
    ob = Outbox(tmp_path / "o.sqlite3", clock=clock)
    i = ob.add(ACC, "stop", {"target": {"entry_id": 5}}, 10.0)
    ob.mark_done(i)
    clock.advance(40 * 86400)
    assert ob.prune() == 1
    j = ob.add(ACC, "stop", {"target": {"entry_id": 5}}, 10.0)
    assert j > i


def test_prune_keeps_rows_a_pending_row_points_at(tmp_path):
    clock = FakeClock(100.0)
    ob = Outbox(tmp_path / "o.sqlite3", clock=clock)
    start = ob.add(ACC, "start", {"task": {"id": 1}}, 1.0)
    old = ob.add(ACC, "stop", {"target": {"entry_id": 3}}, 1.0)
    ob.mark_done(start, entry_id=42)
    ob.mark_done(old)
    ob.add(ACC, "comment", {"target": {"local_id": start}, "text": "x"}, 2.0)
    clock.advance(40 * 86400)
    assert ob.prune() == 1
    assert ob.resolve(start) == 42 and ob.get(old) is None


def test_corrupt_file_is_moved_aside(tmp_path, caplog):
    path = tmp_path / "o.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    ob = Outbox(path, clock=FakeClock(1234.0))
    assert ob.count(ACC) == 0
    ob.add(ACC, "stop", {}, 1.0)
    aside = tmp_path / "o.sqlite3.corrupt-1234"
    assert aside.read_bytes() == b"this is not a database" * 100  # kept as it was
    # Nothing in it could be read: how many actions it held is not known, and said so.
    assert ob.damage == OutboxDamage(aside, unreadable_count=None, recovered_count=0)
    assert any(r.levelname == "ERROR" and "an unknown number" in r.getMessage() for r in caplog.records)


def test_wal_mode_and_private_file(tmp_path):
    path = tmp_path / "o.sqlite3"
    Outbox(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert path.stat().st_mode & 0o077 == 0


# -- bad local state: rows that cannot be intents ---------------------------------------------

# An outbox table as a hand edit or another version might leave it: no NOT NULL anywhere.
_LOOSE_SCHEMA = """
CREATE TABLE intents (id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT, kind TEXT, payload TEXT,
    acted_at REAL, state TEXT DEFAULT 'queued', attempts INTEGER DEFAULT 0, first_sent_at REAL,
    last_error TEXT, progress TEXT DEFAULT '{}', entry_id INTEGER, finished_at REAL);
"""


def _insert(db, account, kind, payload, acted_at, state="queued", attempts=0, progress="{}"):
    return db.execute("INSERT INTO intents(account, kind, payload, acted_at, state, attempts, progress) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)", (account, kind, payload, acted_at, state, attempts,
                                                        progress)).lastrowid


def test_mistyped_rows_are_set_aside_kept_and_counted_and_the_others_go_on_in_order(tmp_path, caplog):
    path = tmp_path / "o.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(_LOOSE_SCHEMA)
    good = json.dumps({"target": {"entry_id": 5}})
    first = _insert(db, ACC, "stop", good, 10.0)
    bad = {
        _insert(db, ACC, "stop", good, "abc"): "acted_at",                   # not a time
        _insert(db, ACC, "comment", "{not json", 11.0): "payload",           # not JSON
        _insert(db, ACC, "comment", "[1, 2]", 11.0): "payload",              # JSON, not an object
        _insert(db, ACC, "teleport", good, 12.0): "kind",                    # an unknown kind
        _insert(db, ACC, "stop", good, None): "acted_at",                    # NULL where a value is needed
        _insert(db, None, "stop", good, 12.0): "account",
        _insert(db, ACC, "stop", good, 1e300): "acted_at",                   # a number, but no time
        _insert(db, ACC, "stop", good, 12.0, attempts="twice"): "attempts",
        _insert(db, ACC, "stop", good, 12.0, state="queud"): "state",        # a typo in the state
        _insert(db, ACC, "stop", good, 12.0, progress="{"): "progress",
    }
    second = _insert(db, ACC, "stop", good, 13.0)
    done = _insert(db, ACC, "start", "{}", 1.0, state="done")  # history is left alone
    db.close()

    ob = Outbox(path)
    assert ob.unreadable_count == len(bad)
    assert [i.id for i in ob.pending(ACC)] == [first, second]
    assert ob.head(ACC).id == first and ob.count(ACC) == 2
    # Kept, exactly as they were, with the reason: never sent, never deleted.
    kept = {r["id"]: r for r in ob.unreadable_rows()}
    assert set(kept) == set(bad)
    for row_id, column in bad.items():
        assert column in kept[row_id]["reason"], kept[row_id]
    assert kept[next(i for i, c in bad.items() if c == "acted_at")]["acted_at"] == "abc"
    assert ob.get(done) is not None and ob.state_of(done) == DONE
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len([m for m in errors if "set aside" in m]) == len(bad)
    # Only once: the next start finds nothing more to set aside.
    ob.close()
    again = Outbox(path)
    assert again.unreadable_count == 0 and len(again.unreadable_rows()) == len(bad)
    assert [i.id for i in again.pending(ACC)] == [first, second]


def test_a_row_spoiled_while_running_is_skipped_by_head_and_count_and_told(tmp_path):
    path = tmp_path / "o.sqlite3"
    told: list[int] = []
    ob = Outbox(path, on_unreadable=told.append)
    a = ob.add(ACC, "stop", {"target": {"entry_id": 1}}, 1.0)
    b = ob.add(ACC, "stop", {"target": {"entry_id": 2}}, 2.0)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE intents SET payload = 'garbage' WHERE id = ?", (a,))
    other.close()
    assert ob.head(ACC).id == b
    assert told == [1] and ob.unreadable_count == 1
    assert ob.count(ACC) == 1 and [i.id for i in ob.pending(ACC)] == [b]
    assert ob.get(a) is None and ob.unreadable_rows()[0]["payload"] == "garbage"
    assert told == [1]  # told once


def test_a_row_that_is_not_utf8_is_set_aside_not_a_crash(tmp_path):
    path = tmp_path / "o.sqlite3"
    ob = Outbox(path)
    a = ob.add(ACC, "comment", {"target": {"entry_id": 1}, "text": "x"}, 1.0)
    b = ob.add(ACC, "stop", {"target": {"entry_id": 1}}, 2.0)
    ob.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE intents SET payload = CAST(X'7B22FF22' AS TEXT) WHERE id = ?", (a,))
    db.close()
    ob = Outbox(path)
    assert [i.id for i in ob.pending(ACC)] == [b] and ob.unreadable_count == 1


# -- bad local state: a damaged file --------------------------------------------------------------


def _crashed_outbox(folder: Path, *, checkpointed_first: bool) -> tuple[Path, dict[str, int]]:
    """An outbox as a killed app leaves it: its last rows only in the -wal (copied while open).

    ``checkpointed_first``: a finished start is in the main file, then the app restarted and
    queued three stops, so the log has only the pages those changed (not page 1).
    """
    live = folder / "live"
    live.mkdir()
    ob = Outbox(live / "o.sqlite3")
    start = ob.add(ACC, "start", {"task": {"id": 1, "title": "t", "team_id": 2}}, 100.0)
    ob.mark_done(start, entry_id=55)
    if checkpointed_first:
        ob.close()
        ob = Outbox(live / "o.sqlite3")
    ids = {"start": start}
    for n in range(3):
        ids[f"stop{n}"] = ob.add(ACC, "comment", {"target": {"local_id": start}, "text": f"c{n}"}, 200.0 + n)
    crashed = folder / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{live}/o.sqlite3{suffix}", f"{crashed}/o.sqlite3{suffix}")
    ob.close()
    assert (crashed / "o.sqlite3-wal").stat().st_size > 0
    return crashed / "o.sqlite3", ids


def _files(path: Path) -> dict[str, bytes]:
    return {s: Path(f"{path}{s}").read_bytes() for s in ("", "-wal", "-shm") if Path(f"{path}{s}").exists()}


@pytest.mark.parametrize("checkpointed_first", [False, True], ids=["page1-in-wal", "page1-lost"])
@pytest.mark.parametrize("damage", ["zeroed", "emptied", "garbage"])
def test_a_damaged_file_whose_data_is_in_the_wal_is_kept_and_its_actions_recovered(
        tmp_path, caplog, damage, checkpointed_first):
    path, ids = _crashed_outbox(tmp_path, checkpointed_first=checkpointed_first)
    size = path.stat().st_size
    path.write_bytes({"zeroed": b"\0" * size, "emptied": b"", "garbage": b"garbage!" * 700}[damage])
    before = _files(path)

    ob = Outbox(path, clock=FakeClock(5000.0))

    aside = path.with_name("o.sqlite3.corrupt-5000")
    assert _files(aside) == before  # all three kept as they were: SQLite never touched the log
    assert ob.damage == OutboxDamage(aside, unreadable_count=0, recovered_count=3)
    pending = ob.pending(ACC)
    assert [i.id for i in pending] == [ids["stop0"], ids["stop1"], ids["stop2"]]  # same ids, same order
    assert [i.payload["text"] for i in pending] == ["c0", "c1", "c2"]
    # The damaged copy may be older than what was sent: the replay checks the server first.
    assert all(i.state == SENDING and ob.mark_sending(i.id).maybe_sent for i in pending)
    assert ob.resolve(ids["start"]) == 55  # what they point at came back too
    assert ob.add(ACC, "stop", {}, 300.0) > ids["stop2"]  # no id given twice
    assert any(r.levelname == "ERROR" and "3 pending action(s) recovered" in r.getMessage()
               for r in caplog.records)


def test_a_truncated_file_gives_back_what_it_still_holds_and_says_the_rest_is_unknown(tmp_path):
    path = tmp_path / "o.sqlite3"
    ob = Outbox(path)
    ids = [ob.add(ACC, "comment", {"target": {"entry_id": n}, "text": "x" * 300}, float(n)) for n in range(100)]
    ob.close()  # checkpointed: everything in the main file
    assert not Path(f"{path}-wal").exists()
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    ob = Outbox(path, clock=FakeClock(7.0))
    damage = ob.damage
    assert damage is not None and damage.unreadable_count is None  # the lost half held who knows what
    assert 0 < damage.recovered_count < 100
    pending = ob.pending(ACC)
    assert len(pending) == damage.recovered_count and {i.id for i in pending} < set(ids)
    assert all(i.payload == {"target": {"entry_id": i.id - 1}, "text": "x" * 300} and i.acted_at == i.id - 1
               for i in pending)  # what came back is what was there, in the order it was queued


def test_a_damaged_wal_is_kept_and_said_unknown(tmp_path):
    path, ids = _crashed_outbox(tmp_path, checkpointed_first=True)
    with open(f"{path}-wal", "r+b") as fh:
        fh.write(b"\x01" * 32)  # its header: SQLite would ignore the log, and the rows in it
    ob = Outbox(path, clock=FakeClock(9.0))
    assert ob.damage == OutboxDamage(path.with_name("o.sqlite3.corrupt-9"), unreadable_count=None,
                                     recovered_count=0)
    assert ob.resolve(ids["start"]) == 55  # what the main file held is back


def test_a_damaged_page_found_after_opening_keeps_the_log_aside_untouched(tmp_path):
    path, ids = _crashed_outbox(tmp_path, checkpointed_first=True)
    with path.open("r+b") as fh:  # the header is fine; page 5 (not in the log) is garbage
        fh.seek(4 * 4096)
        fh.write(b"\xee" * 4096)
    before = _files(path)
    ob = Outbox(path, clock=FakeClock(11.0))
    aside = path.with_name("o.sqlite3.corrupt-11")
    kept = _files(aside)
    # The file and its log as they were (the -shm is an index SQLite rebuilt on opening, no data).
    assert kept[""] == before[""] and kept["-wal"] == before["-wal"] and "-shm" in kept
    assert ob.damage is not None and ob.damage.path == aside
    assert [i.id for i in ob.pending(ACC)] == [ids["stop0"], ids["stop1"], ids["stop2"]]


# -- bad local state: a folder that cannot be written -----------------------------------------------


def test_a_read_only_folder_keeps_the_outbox_in_memory_and_leaves_the_file_alone(caplog):
    with shared_base() as base:
        folder = base / "data"
        folder.mkdir(mode=0o755)
        path = folder / "o.sqlite3"
        ob = Outbox(path)
        ob.add(ACC, "stop", {"target": {"entry_id": 1}}, 1.0)
        ob.add(ACC, "stop", {"target": {"entry_id": 2}}, 2.0)
        ob.close()
        path.chmod(0o644)
        before = _files(path)
        with unwritable(folder):
            ob = Outbox(path)
            assert ob.in_memory and ob.damage is None
            assert ob.unwritable is not None and ob.unwritable.path == path and ob.unwritable.reason
            assert ob.unwritable.waiting_count == 2  # counted, left there to be sent later
            # Same API, working: queued, picked up, done.
            i = ob.add(ACC, "stop", {"target": {"entry_id": 3}}, 3.0)
            assert [x.id for x in ob.pending(ACC)] == [i]
            ob.mark_sending(i)
            ob.mark_done(i, 9)
            assert ob.count(ACC) == 0 and ob.resolve(i) == 9
            ob.close()
        assert _files(path) == before
        assert any(r.levelname == "ERROR" and "kept in memory only" in r.getMessage() for r in caplog.records)


def test_a_folder_that_cannot_be_made_keeps_the_outbox_in_memory(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    ob = Outbox(tmp_path / "file" / "data" / "o.sqlite3")
    assert ob.in_memory and ob.unwritable.waiting_count == 0
    i = ob.add(ACC, "start", {"task": {"id": 1}}, 1.0)
    assert ob.head(ACC).id == i
