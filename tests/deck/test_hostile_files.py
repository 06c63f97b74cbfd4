"""Decks come from strangers: a file that attacks the reader gets a one-line problem, fast, and
the other files are still read."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tutor.deck.duration import DurationError, parse_duration
from tutor.deck.loader import load_collection
from tutor.deck.parser import MAX_FILE_BYTES, read_deck_file

GOOD = """---
id: good
title: Good
---

## A card

What is 1 + 1?

### Answer

2
"""

BOMB = """---
id: bomb
title: Bomb
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
requires: *i
---

## A card

x
"""


def _messages(folder: Path) -> dict[str, list[str]]:
    collection = load_collection([folder])
    out: dict[str, list[str]] = {}
    for problem in collection.problems:
        out.setdefault(Path(problem.path).name, []).append(problem.message)
    return out


def test_an_alias_bomb_is_refused_quickly_and_the_other_decks_still_load(tmp_path: Path) -> None:
    (tmp_path / "bomb.md").write_text(BOMB)
    (tmp_path / "good.md").write_text(GOOD)
    start = time.perf_counter()
    collection = load_collection([tmp_path])
    assert time.perf_counter() - start < 5
    assert [deck.id for deck in collection.decks] == ["good"]
    bomb = [p.message for p in collection.problems if p.path.endswith("bomb.md")]
    assert any("anchors (&name) are not allowed" in m for m in bomb)


def test_an_alias_alone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alias.md"
    path.write_text(GOOD.replace("title: Good", "title: Good\nrequires: *x"))
    deck, problems = read_deck_file(path)
    assert deck is None
    assert any("not valid YAML" in p.message for p in problems)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_symlink_to_a_device_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "good.md").write_text(GOOD)
    messages = _messages(tmp_path)
    assert messages["zero.md"] == ["a device, not a deck file: a deck is a regular Markdown file"]
    assert [d.id for d in load_collection([tmp_path]).decks] == ["good"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    start = time.perf_counter()
    messages = _messages(tmp_path)
    assert time.perf_counter() - start < 5
    assert messages["pipe.md"][0].startswith("a named pipe (FIFO), not a deck file")


def test_the_read_stops_at_the_cap_whatever_the_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(GOOD.encode() + b"x" * (MAX_FILE_BYTES + 100))
    deck, problems = read_deck_file(path)
    assert deck is None
    assert problems[0].message.endswith("a deck may be at most 2 MB")


def test_a_number_of_thousands_of_digits_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "digits.md"
    path.write_text(GOOD.replace("title: Good", "title: Good\ntimer: " + "9" * 5000))
    deck, problems = read_deck_file(path)
    assert deck is None
    assert [p.message for p in problems if p.line == 1] == [
        "front matter holds a number too large to read"
    ]


def test_an_overlong_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(GOOD.replace("title: Good", "title: " + "G" * 5000))
    deck, problems = read_deck_file(path)
    assert deck is None
    assert any("longer than 2,000 characters" in p.message for p in problems)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000 + "m", "is longer than a week"),
        ("9" * 5000, "is longer than a week"),
        (10**5000, "a number of more than 24 digits is longer than a week"),
        ("abc" * 100, "unreadable duration"),
    ],
    ids=["digits-with-unit", "digits", "yaml-int", "letters"],
)
def test_huge_durations_are_one_short_line(value: object, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(value)
    text = str(caught.value)
    assert message in text
    assert len(text) < 120
