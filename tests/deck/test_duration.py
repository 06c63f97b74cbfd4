from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.deck.duration import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("20m", 1200),
        ("1h", 3600),
        ("1h30m", 5400),
        ("0", 0),
        (0, 0),
        ("1h0m5s", 3605),
        (" 5M ", 300),
        ("2h 15m", 8100),
    ],
)
def test_readable(text: object, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20", "duration '20' has no unit: write 20m or 20s"),
        (20, "duration 20 has no unit: write 20m or 20s"),
        ("soon", "unreadable duration 'soon': write e.g. 90s, 20m, 1h30m or 0"),
        # nothing given (YAML's `timer:` and `timer: null`) and a negative number say so
        ("", "no duration given: write e.g. 90s, 20m, 1h30m or 0"),
        ("  ", "no duration given: write e.g. 90s, 20m, 1h30m or 0"),
        (None, "no duration given: write e.g. 90s, 20m, 1h30m or 0"),
        (-1, "duration -1 cannot be negative: write e.g. 90s, 20m, 1h30m or 0"),
        (-(10**30), "a duration cannot be negative: write e.g. 90s, 20m, 1h30m or 0"),
        ("-5", "duration '-5' cannot be negative: write e.g. 90s, 20m, 1h30m or 0"),
        ("-1h 30m", "duration '-1h 30m' cannot be negative: write e.g. 90s, 20m, 1h30m or 0"),
        ("-0", "unreadable duration '-0': write e.g. 90s, 20m, 1h30m or 0"),
        ("-x", "unreadable duration '-x': write e.g. 90s, 20m, 1h30m or 0"),
        ("m", "unreadable duration 'm': write e.g. 90s, 20m, 1h30m or 0"),
        ("1.5m", "unreadable duration '1.5m': write e.g. 90s, 20m, 1h30m or 0"),
        ("-5m", "duration '-5m' cannot be negative: write e.g. 90s, 20m, 1h30m or 0"),
        (True, "unreadable duration true: write e.g. 90s, 20m, 1h30m or 0"),
        # as YAML and TOML write them, not as Python shows them
        (date(2026, 1, 1), "unreadable duration 2026-01-01: write e.g. 90s, 20m, 1h30m or 0"),
        (time(0, 20), "unreadable duration 00:20:00: write e.g. 90s, 20m, 1h30m or 0"),
        ([20, "m"], "unreadable duration a list: write e.g. 90s, 20m, 1h30m or 0"),
        (
            {"m": 20},
            "unreadable duration a set of 'key: value' lines: write e.g. 90s, 20m, 1h30m or 0",
        ),
        (1.5, "unreadable duration 1.5: write e.g. 90s, 20m, 1h30m or 0"),
        ("200h", "duration '200h' is longer than a week"),
    ],
)
def test_unreadable(text: object, message: str) -> None:
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert str(info.value) == message


@given(st.integers(min_value=0, max_value=7 * 24 * 3600))
def test_format_reads_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
