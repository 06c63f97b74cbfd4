"""Durations as decks and config.toml write them: `90s`, `20m`, `1h`, `1h30m`; `0` is off."""

from __future__ import annotations

import re
from datetime import date, time

_DURATION = re.compile(r"(?:(?P<h>\d{1,9})h)?\s*(?:(?P<m>\d{1,9})m)?\s*(?:(?P<s>\d{1,9})s)?")
MAX_SECONDS = 7 * 24 * 3600
MAX_SHOWN = 24  # characters of a bad value repeated in an error message


def _shown(value: object) -> str:
    """A bad value for an error message, as a deck's YAML or config.toml would write it (not as
    Python shows it): short, whatever its size (an int of 5,000 digits)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        if abs(value) >= 10**MAX_SHOWN:
            return "a number of more than 24 digits"
        text = str(value)
    elif isinstance(value, str | float):
        text = repr(value)
    elif isinstance(value, date | time):  # a datetime is a date
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        return "a list"
    elif isinstance(value, dict):
        return "a set of 'key: value' lines"
    else:
        return "a value of another kind"
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


class DurationError(ValueError):
    """A duration that cannot be read; the message says what is expected."""


EXAMPLES = "write e.g. 90s, 20m, 1h30m or 0"


def parse_duration(value: object) -> int:
    """Seconds in `value`, or DurationError. A bare number other than 0 has no unit: refused.
    Nothing at all (YAML's `timer:` and `timer: null`) and a negative number are named as such:
    what they lack is not a unit."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DurationError(f"no duration given: {EXAMPLES}")
    if isinstance(value, bool):
        raise DurationError(f"unreadable duration {_shown(value)}: {EXAMPLES}")
    if isinstance(value, int):
        if value == 0:
            return 0
        if value < 0:
            shown = f"duration {value}" if value > -(10**MAX_SHOWN) else "a duration"
            raise DurationError(f"{shown} cannot be negative: {EXAMPLES}")
        if value >= 10**MAX_SHOWN:
            raise DurationError(f"duration {_shown(value)} is longer than a week")
        raise DurationError(f"duration {value} has no unit: write {value}m or {value}s")
    if not isinstance(value, str):
        raise DurationError(f"unreadable duration {_shown(value)}: {EXAMPLES}")
    text = value.strip().lower()
    if text == "0":
        return 0
    if text.startswith("-"):  # `-5m`, or `-5` as a card's field gives it
        rest = text[1:].strip()
        unsigned = _DURATION.fullmatch(rest)
        readable = rest.isdigit() or (unsigned is not None and any(unsigned.groups()))
        if readable and rest.strip("0hms "):
            raise DurationError(f"duration {_shown(value)} cannot be negative: {EXAMPLES}")
    match = _DURATION.fullmatch(text)
    if not text or match is None or not any(match.group(g) for g in "hms"):
        if text.isdigit() and len(text) <= 9:
            raise DurationError(f"duration {text!r} has no unit: write {text}m or {text}s")
        if re.search(r"\d{10,}", text):
            raise DurationError(f"duration {_shown(value)} is longer than a week")
        raise DurationError(f"unreadable duration {_shown(value)}: {EXAMPLES}")
    seconds = sum(int(match.group(g) or 0) * n for g, n in (("h", 3600), ("m", 60), ("s", 1)))
    if seconds > MAX_SECONDS:
        raise DurationError(f"duration {_shown(value)} is longer than a week")
    return seconds


def format_duration(seconds: int) -> str:
    """The shortest form `parse_duration` reads back: 0, 45s, 20m, 1h30m, 1h0m5s."""
    if seconds <= 0:
        return "0"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = ""
    if hours:
        out += f"{hours}h"
    if minutes or (hours and secs):
        out += f"{minutes}m"
    if secs:
        out += f"{secs}s"
    return out
