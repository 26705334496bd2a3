"""The outbox's SQLite page cache is capped: a busy day's month of finished rows is not held in memory."""

from __future__ import annotations

from timecrowd_tray.services.outbox import Outbox
from timecrowd_tray.services.outbox_open import PAGE_CACHE_KIB


def test_the_outbox_connection_caps_its_page_cache(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    try:
        assert PAGE_CACHE_KIB <= 512
        assert outbox._db.execute("PRAGMA cache_size").fetchone()[0] == -PAGE_CACHE_KIB  # negative: KiB
    finally:
        outbox.close()
