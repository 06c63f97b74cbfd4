"""A card's reading (`tutor.deck.reading`): what a sync stores so that showing the card parses
nothing. Decoded, it is the card and deck that reading the card's span gives, every field set;
anything that is not one this program writes is no reading (None), so the file is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.deck.model import Span
from tutor.deck.parser import read_card, read_deck_file
from tutor.deck.reading import FORM, decode, encode
from tutor.deck.text import markdown_to_text

DECK = """---
id: every-field
title: Every field
kind: deck
timer: 15m
review_timer: 5m
hint_gap: 2m
tags: [calculus, limits]
---

# Every field

An introduction, with $x^2$ in it.

## The first card
id: first
kind: fact

What is $1+1$?

### Answer
$2$

```check
expect: 2
```

## The second card
id: second
kind: theorem
requires: first
timer: 10m
review_timer: 3m
tags: [sums]

What is the derivative of $x^2$?

### Hints
1. Use the power rule.
2. Bring the exponent down.

### Answer
$2x$

```check
expect: 2*x
real: x
mistake: x^2 | that is the function itself
```

### Key ideas
1. The power rule.

### Why it matters
Slopes.
"""


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "every.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_a_reading_decodes_to_what_the_cards_span_reads(deck_file: Path) -> None:
    whole, problems = read_deck_file(deck_file)
    assert whole is not None and not problems
    assert whole.tags == ["calculus", "limits"] and whole.hint_gap == 120
    for card in whole.cards:
        assert card.span is not None
        from_span = read_card(deck_file, card.span, card.position)[0]
        assert from_span is not None
        decoded = decode(encode(card, whole), str(deck_file), card.position, card.span)
        assert decoded == (from_span.cards[0], from_span)
    second = whole.cards[1]
    assert second.check is not None and second.hints and second.why and second.tags == ["sums"]


def test_the_rows_place_is_the_readings(deck_file: Path) -> None:
    """Its file, position and span are the row's, not stored in the reading."""
    whole, _ = read_deck_file(deck_file)
    assert whole is not None
    reading = encode(whole.cards[0], whole)
    assert str(deck_file) not in reading
    span = Span(1, 2, 3, 4)
    decoded = decode(reading, "/elsewhere/deck.md", 7, span)
    assert decoded is not None
    card, deck = decoded
    assert (card.path, deck.path, card.position, card.span) == (
        "/elsewhere/deck.md",
        "/elsewhere/deck.md",
        7,
        span,
    )
    assert deck.cards == [card]


def test_a_proof_has_no_reading(tmp_path: Path) -> None:
    proof = next((Path(__file__).parents[2] / "proofs").glob("*.md"))
    deck, _ = read_deck_file(proof)
    assert deck is not None and deck.is_proof
    with pytest.raises(ValueError, match="proof"):
        encode(deck.cards[0], deck)


def altered(reading: str, change: str) -> str:
    data = json.loads(reading)
    card = data["card"]
    if change == "form":
        data["form"] = FORM + 1
    elif change == "escape":
        card["prompt"][0] = "What is \x1b[2J$1+1$?"
    elif change == "bidi":
        data["deck"]["title"] = "Every \u202efield"
    elif change == "line as text":
        card["line"] = "12"
    elif change == "boolean line":
        card["line"] = True
    elif change == "fractional line":
        card["line"] = 12.0
    elif change == "timer as text":
        data["deck"]["timer"] = "20"
    elif change == "tag not text":
        card["tags"] = ["sums", 3]
    elif change == "check line of two":
        card["check"][0][0] = card["check"][0][0][:2]
    elif change == "deck not an object":
        data["deck"] = [data["deck"]]
    elif change == "nested deeply":
        return reading[:-1] + ', "more": ' + "[" * 100_000 + "]" * 100_000 + "}"
    elif change == "missing key":
        del card["kind"]
    elif change == "check not a list":
        card["check"] = "expect: 2"
    elif change == "hint of one part":
        card["hints"] = [["one"]]
    elif change == "shown not pairs":
        data["shown"] = [["What is $1+1$?"]]
    elif change == "shown rendering not text":
        data["shown"] = [["What is $1+1$?", 2]]
    elif change == "not an object":
        return json.dumps([data])
    elif change == "not JSON":
        return reading[:-3]
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "change",
    [
        "form",
        "escape",
        "bidi",
        "line as text",
        "boolean line",
        "fractional line",
        "timer as text",
        "tag not text",
        "check line of two",
        "deck not an object",
        "nested deeply",
        "missing key",
        "check not a list",
        "hint of one part",
        "shown not pairs",
        "shown rendering not text",
        "not an object",
        "not JSON",
    ],
)
def test_what_this_program_never_writes_is_no_reading(deck_file: Path, change: str) -> None:
    whole, _ = read_deck_file(deck_file)
    assert whole is not None
    card = whole.cards[0]
    assert card.span is not None
    reading = encode(card, whole)
    assert decode(reading, str(deck_file), 0, card.span) is not None
    assert decode(altered(reading, change), str(deck_file), 0, card.span) is None


def test_what_showing_the_card_renders_is_rendered_in_its_reading(deck_file: Path) -> None:
    whole, _ = read_deck_file(deck_file)
    assert whole is not None
    card = whole.cards[1]
    data = json.loads(encode(card, whole))
    sources = [whole.title, card.title, card.prompt.source]
    assert data["shown"] == [[source, markdown_to_text(source)] for source in sources]
    assert data["shown"][2][1] == "What is the derivative of x²?"  # its math rendered


def test_a_readings_renderings_are_taken_as_they_are(deck_file: Path) -> None:
    """Shown from its reading, a card's text is not parsed again (a text never rendered in
    this process, whose stored rendering says so)."""
    whole, _ = read_deck_file(deck_file)
    assert whole is not None
    card = whole.cards[0]
    assert card.span is not None
    data = json.loads(encode(card, whole))
    unseen = "What is $3+4$, unseen before?"
    data["card"]["prompt"][0] = unseen
    data["shown"] = [[unseen, "stored rendering"]]
    decoded = decode(json.dumps(data), str(deck_file), 0, card.span)
    assert decoded is not None and decoded[0].prompt.source == unseen
    assert markdown_to_text(unseen) == "stored rendering"
