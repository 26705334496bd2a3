"""Every example response in the vendor's reference pages parses into the models."""

from __future__ import annotations

import json

import httpx
import pytest

from timecrowd_tray.api import errors
from timecrowd_tray.api.client import _error_for
from timecrowd_tray.core.models import TimeEntry

from support.api_examples import load_examples

EXAMPLES = load_examples()
SUCCESS_WITH_ENTRY = [e for e in EXAMPLES if 200 <= e.status < 300 and e.response is not None]
FAILURES = [e for e in EXAMPLES if e.status >= 400]


def test_examples_were_found():
    # The files hold at least this many examples; a broken extractor must not pass silently.
    assert len(EXAMPLES) >= 20
    assert {e.source for e in EXAMPLES} == {
        "teams-tasks-start.txt", "time_entries-create.txt", "time_entries-show.txt",
        "time_entries-stop.txt", "time_entries.txt",
    }
    assert any(e.method == "DELETE" and e.status == 204 for e in EXAMPLES)


@pytest.mark.parametrize("example", SUCCESS_WITH_ENTRY, ids=lambda e: e.id)
def test_success_examples_parse_into_time_entries(example):
    bodies = example.response if isinstance(example.response, list) else [example.response]
    assert bodies, "an empty example list proves nothing"
    for body in bodies:
        entry = TimeEntry.from_json(body)
        assert entry.id == body["id"]
        assert entry.task.id == body["task"]["id"]
        assert entry.task.title == body["task"]["title"]
        assert entry.started_at.tzinfo is not None
        assert entry.duration == pytest.approx(float(body["duration"]))
        if body.get("stopped_at"):
            assert not entry.is_running
            # duration is float seconds; the example's own timestamps agree with it to the second.
            assert entry.elapsed(entry.stopped_at) == pytest.approx(body["duration"], abs=1.0)
        comment = body.get("comment")
        if isinstance(comment, dict):
            assert entry.comment == comment["content"]


@pytest.mark.parametrize("example", FAILURES, ids=lambda e: e.id)
def test_error_examples_map_to_exceptions_with_verbatim_messages(example):
    response = httpx.Response(example.status, content=json.dumps(example.response, ensure_ascii=False).encode(),
                              headers={"Content-Type": "application/json"})
    exc = _error_for(response, "example")
    expected = {403: errors.Forbidden, 422: errors.ValidationFailed}[example.status]
    assert type(exc) is expected
    assert exc.messages == tuple(example.response["messages"])
    assert exc.user_message == "\n".join(m.strip() for m in example.response["messages"])


def test_japanese_validation_message_is_kept_verbatim():
    japanese = [m for e in FAILURES for m in e.response["messages"] if not m.isascii()]
    assert "選択中のチームでタスクの作成・編集・削除は許可されていません" in japanese
