import pytest
from hypothesis import given, strategies as st

from timecrowd_tray.core.durations import format_compact, format_hm, format_hms, parse_hms


@pytest.mark.parametrize("seconds, hms, hm", [
    (0, "0:00:00", "0:00"),
    (59.99, "0:00:59", "0:00"),
    (60, "0:01:00", "0:01"),
    (3599, "0:59:59", "0:59"),
    (3600, "1:00:00", "1:00"),
    (36 * 3600 + 5, "36:00:05", "36:00"),
    (-5, "0:00:00", "0:00"),
    (float("nan"), "0:00:00", "0:00"),
])
def test_formats(seconds, hms, hm):
    assert format_hms(seconds) == hms
    assert format_hm(seconds) == hm


def test_compact():
    assert format_compact(59) == "0m"
    assert format_compact(42 * 60 + 30) == "42m"
    assert format_compact(3 * 3600 + 59 * 60) == "3h"


@given(st.integers(min_value=0, max_value=10**7))
def test_hms_round_trips(seconds):
    assert parse_hms(format_hms(seconds)) == seconds


@given(st.floats(min_value=0, max_value=10**7, allow_nan=False))
def test_never_rounds_up(seconds):
    assert parse_hms(format_hms(seconds)) <= seconds


@pytest.mark.parametrize("bad", ["", "1", "1:60", "a:bb", "1:00:61", "-1:00"])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        parse_hms(bad)
