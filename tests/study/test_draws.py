"""Which numbers a sitting shows (tutor.study.draws): the stated values the first time, a new
draw at each review from the injected source, the saved values when the card resumes."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from tutor.deck.model import Card
from tutor.deck.parser import parse_text
from tutor.study.draws import prepare, seeded
from tutor.study.session import Snapshot

CARD = """---
id: drawn
title: Drawn
---

# Drawn

## Doubling
id: doubling
kind: estimate

What is twice {{n}}?

### Answer
${{2*n}}$

```check
mode: numeric
input: n = 50 in 1..1000
expect: 2*{{n}}
accept: {{2*n}}
accept: {{n}} + {{n}}
reject: {{n}}
reject: {{4*n}}
```
"""

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def card() -> Card:
    deck, problems = parse_text(CARD, "drawn.md")
    assert deck is not None and problems == []
    return deck.cards[0]


class Source:
    """An injected random source that records what it was asked for."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.asked: list[tuple[str, str]] = []

    def __call__(self, card_id: str, occasion: str) -> random.Random:
        self.asked.append((card_id, occasion))
        return random.Random(f"{self.seed}:{occasion}")


def test_the_first_showing_uses_the_stated_values_and_keeps_them() -> None:
    source = Source()
    shown, snapshot = prepare(card(), None, review=False, last_review=None, source=source)
    assert shown.prompt.source == "What is twice 50?"
    assert snapshot is not None and snapshot.values == {"n": "50"}
    assert source.asked == []


def test_a_review_draws_from_the_source_and_keeps_what_it_drew() -> None:
    source = Source()
    shown, snapshot = prepare(card(), None, review=True, last_review=MONDAY, source=source)
    assert source.asked == [("doubling", MONDAY.isoformat())]
    assert snapshot is not None
    n = int(snapshot.values["n"])
    expected = random.Random(f"0:{MONDAY.isoformat()}").randrange(1000) + 1
    assert n == expected
    assert shown.prompt.source == f"What is twice {n}?"
    assert shown.answer is not None and shown.answer.source == f"${2 * n}$"
    expect = next(line.value for line in shown.check.lines if line.key == "expect")  # type: ignore[union-attr]
    assert expect == f"2*{n}"


def test_a_resumed_sitting_shows_its_saved_values_without_drawing() -> None:
    source = Source()
    saved = Snapshot(card_id="doubling", active_seconds=30.0, values={"n": "737"})
    shown, snapshot = prepare(card(), saved, review=True, last_review=MONDAY, source=source)
    assert shown.prompt.source == "What is twice 737?"
    assert snapshot is saved and source.asked == []


def test_saved_values_that_no_longer_fit_the_card_are_drawn_again() -> None:
    source = Source()
    saved = Snapshot(card_id="doubling", active_seconds=30.0, values={"n": "5000"})
    shown, snapshot = prepare(card(), saved, review=True, last_review=MONDAY, source=source)
    assert snapshot is not None and snapshot.values != {"n": "5000"}
    assert snapshot.active_seconds == 30.0  # the rest of the sitting is kept
    assert shown.prompt.source == f"What is twice {snapshot.values['n']}?"


def test_a_snapshot_saved_before_the_card_had_inputs_keeps_the_numbers_it_showed() -> None:
    old = Snapshot.from_json({"card_id": "doubling", "active_seconds": 12.0, "hints_shown": 1})
    assert old.values == {}
    source = Source()
    for review in (False, True):
        _, snapshot = prepare(card(), old, review=review, last_review=MONDAY, source=source)
        assert snapshot is not None and snapshot.values == {"n": "50"}
        assert snapshot.hints_shown == 1
    assert source.asked == []


def test_the_default_source_is_the_same_for_the_same_review_and_differs_between_reviews() -> None:
    first = seeded()("doubling", MONDAY.isoformat()).random()
    again = seeded()("doubling", MONDAY.isoformat()).random()
    later = seeded()("doubling", datetime(2026, 3, 9, tzinfo=UTC).isoformat()).random()
    other = seeded()("tripling", MONDAY.isoformat()).random()
    salted = seeded("learner")("doubling", MONDAY.isoformat()).random()
    assert first == again
    assert len({first, later, other, salted}) == 4


def test_successive_reviews_ask_new_problems() -> None:
    reviews = [datetime(2026, 3, day, tzinfo=UTC) for day in range(1, 11)]
    shown = {
        prepare(card(), None, review=True, last_review=at, source=seeded())[1].values["n"]  # type: ignore[union-attr]
        for at in reviews
    }
    assert len(shown) >= 9  # 10 draws from 1000 values


def test_a_card_without_inputs_is_left_as_it_is() -> None:
    deck, _ = parse_text(CARD.replace("input: n = 50 in 1..1000\n", ""), "plain.md")
    assert deck is not None
    plain = deck.cards[0]
    saved = Snapshot(card_id="doubling")
    assert prepare(plain, saved, review=True, last_review=MONDAY, source=Source()) == (
        plain,
        saved,
    )
