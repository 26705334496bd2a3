"""The one check of a pasted access token's format (no Qt, no I/O)."""

from __future__ import annotations

import pytest

from timecrowd_tray.core.token_format import (
    MAX_TOKEN_LENGTH,
    MESSAGES,
    TokenFormatError,
    check_token,
    strip_token,
    token_problem,
)

TOKEN = "AbC-123_xyz.456~789+/="


@pytest.mark.parametrize("raw", [TOKEN, f"  {TOKEN}\n", f"\t{TOKEN}\r\n", f"\ufeff{TOKEN}\n", "x" * MAX_TOKEN_LENGTH])
def test_a_token_with_whitespace_around_it_is_fine(raw):
    assert token_problem(raw) is None
    assert check_token(raw) == raw.strip().lstrip("\ufeff")


@pytest.mark.parametrize(("raw", "problem"), [
    ("", "empty"),
    (None, "empty"),
    (" \n\t ", "empty"),
    ("x" * (MAX_TOKEN_LENGTH + 1), "too_long"),
    ("t" * 10_000_000, "too_long"),
    ("abc\x00def", "control"),
    ("abc\x1bdef", "control"),
    ("abc\x7fdef", "control"),
    ("abc\x85def", "whitespace"),  # NEL: a line break
    ("abc def", "whitespace"),
    ("abc\ndef", "whitespace"),
    ("abc\tdef", "whitespace"),
    ("abc\u3000def", "whitespace"),  # a full-width space from an input method
    ("ａｂｃdef", "non_ascii"),
    ("abc\u201ddef", "non_ascii"),
    ("abc\u200bdef", "non_ascii"),  # a zero-width space
])
def test_each_problem_has_its_kind(raw, problem):
    assert token_problem(raw) == problem
    with pytest.raises(TokenFormatError) as caught:
        check_token(raw)
    assert caught.value.problem == problem
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("raw", ["secret\x00tokenvalue", "secret tokenvalue", "secrettokenvalue\u00e9", "s" * 5000])
def test_the_message_never_carries_the_token(raw):
    with pytest.raises(TokenFormatError) as caught:
        check_token(raw)
    for text in (str(caught.value), repr(caught.value), MESSAGES[caught.value.problem]):
        assert "secret" not in text and "tokenvalue" not in text and "sssss" not in text
    assert str(caught.value) == MESSAGES[caught.value.problem]


def test_strip_token():
    assert strip_token(None) == ""
    assert strip_token(" \ufeff a b \n") == "a b"
