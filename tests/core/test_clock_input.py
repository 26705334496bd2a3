from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from timecrowd_tray.core.clock_input import ClockInputError, parse_clock

JST = timezone(timedelta(hours=9))
DAY = date(2025, 10, 21)
NOW = datetime(2025, 10, 21, 14, 0, 30, tzinfo=JST)


@pytest.mark.parametrize("text,hour,minute", [
    ("9:05", 9, 5), ("09:05", 9, 5), ("905", 9, 5), ("0905", 9, 5), ("9", 9, 0), ("21:30", 21, 30),
    ("9.05", 9, 5), ("９：０５", 9, 5), (" 7:00 ", 7, 0), ("0", 0, 0), ("23:59", 23, 59),
])
def test_wall_clock_forms(text, hour, minute):
    assert parse_clock(text, day=DAY, now=NOW) == datetime(2025, 10, 21, hour, minute, tzinfo=JST)


@pytest.mark.parametrize("text,delta", [
    ("-15m", timedelta(minutes=-15)), ("-1h", timedelta(hours=-1)), ("-1h30m", timedelta(hours=-1, minutes=-30)),
    ("+10m", timedelta(minutes=10)), ("-90", timedelta(minutes=-90)), ("－１５ｍ", timedelta(minutes=-15)),
])
def test_relative_forms_count_from_now(text, delta):
    assert parse_clock(text, day=DAY, now=NOW) == NOW + delta


def test_relative_forms_count_from_the_reference_when_given():
    ref = datetime(2025, 10, 21, 9, 0, tzinfo=JST)
    assert parse_clock("+45m", day=DAY, now=NOW, reference=ref) == ref + timedelta(minutes=45)


@pytest.mark.parametrize("text", ["", "abc", "9:5", "12345", "-", "-m", "9:05pm", "1h"])
def test_unreadable(text):
    with pytest.raises(ClockInputError) as info:
        parse_clock(text, day=DAY, now=NOW)
    assert info.value.code == "unreadable"


@pytest.mark.parametrize("text", ["25:00", "24:00", "9:60", "2460", "-100h"])
def test_out_of_range(text):
    with pytest.raises(ClockInputError) as info:
        parse_clock(text, day=DAY, now=NOW)
    assert info.value.code == "out_of_range"


def test_the_day_and_zone_of_now_are_used():
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2025, 3, 30, 12, 0, tzinfo=berlin)
    moment = parse_clock("9:00", day=date(2025, 3, 30), now=now)
    assert moment.utcoffset() == timedelta(hours=2)  # summer time that day
    assert moment.hour == 9
    # 02:30 does not exist that day (the clocks jump from 2:00 to 3:00): pushed forward by the gap.
    assert parse_clock("2:30", day=date(2025, 3, 30), now=now).astimezone(berlin).hour == 3


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        parse_clock("9:00", day=DAY, now=datetime(2025, 10, 21, 14, 0))
