"""The outbox: order, scoping, bookkeeping, resolution, durability, pruning."""

from __future__ import annotations

import sqlite3

from timecrowd_tray.services.outbox import DONE, QUEUED, REJECTED, SENDING, Outbox

from support.clock import FakeClock

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


def test_corrupt_file_is_moved_aside(tmp_path):
    path = tmp_path / "o.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    ob = Outbox(path, clock=FakeClock(1234.0))
    assert ob.count(ACC) == 0
    ob.add(ACC, "stop", {}, 1.0)
    assert (tmp_path / "o.sqlite3.corrupt-1234").exists()


def test_wal_mode_and_private_file(tmp_path):
    path = tmp_path / "o.sqlite3"
    Outbox(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert path.stat().st_mode & 0o077 == 0
