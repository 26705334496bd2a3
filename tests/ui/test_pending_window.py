"""The pending changes window: what waits, when, and why, in the user's zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from timecrowd_tray.core.models import User
from timecrowd_tray.ui.pending_window import PendingWindow

from .conftest import flush_deletes
from .entries_fake import LOGIN


@dataclass
class Change:
    ref: int
    kind: str
    at: datetime
    task: Any
    summary: str
    why: str


@dataclass
class Pending:
    changes: list[Change] = field(default_factory=list)
    user: User = field(default_factory=lambda: User(id=7, time_zone_name="Asia/Tokyo"))

    def pending_changes(self) -> list[Change]:
        return list(self.changes)


def test_each_change_is_listed_with_its_time_and_why_and_send_now_sends(qtbot):
    model = Pending([Change(1, "add", datetime(2025, 10, 21, 0, 5, tzinfo=UTC), LOGIN,
                            "Add “ログイン画面の改修” 09:00–10:00", "waiting for the network"),
                     Change(2, "delete", datetime(2025, 10, 21, 1, 0, tzinfo=UTC), LOGIN,
                            "Delete “ログイン画面の改修”", "refused: 権限がありません")])
    sent = []
    window = PendingWindow(model, send_now=lambda: sent.append(True))
    window.open()
    rows = [[window.list.topLevelItem(i).text(c) for c in range(3)] for i in range(window.list.topLevelItemCount())]
    assert rows == [["9:05", "Add “ログイン画面の改修” 09:00–10:00", "waiting for the network"],
                    ["10:00", "Delete “ログイン画面の改修”", "refused: 権限がありません"]]
    assert window.summary_label.text().startswith("Changes not sent yet: 2.")
    model.changes.clear()
    window.send_button.click()
    assert sent == [True]
    assert window.list.topLevelItemCount() == 0 and not window.send_button.isEnabled()
    assert window.summary_label.text() == "Nothing is waiting: every change has been sent."
    window.close()
    window.deleteLater()
    flush_deletes()
