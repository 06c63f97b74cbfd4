"""Plain mode on a card with both a check block and key ideas, and a mistake message that gives
the answer away: the formula leads on to the key ideas, the lower rating wins, and feedback that
stated the answer counts as a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.study.clock import ManualClock

from .conftest import DeskFactory
from .test_plain import run_plain

DECK = """\
---
id: both
title: Both halves
timer: 10m
review_timer: 2m
hint_gap: 1m
---

# Both halves

## Doubling
id: doubling
kind: theorem

Write x + x as a product, and say on paper why.

### Answer
$2x$: two copies of x.

```check
expect: 2*x
real: x
mistake: x^2 => Not a square: x + x is 2x.
mistake: 3x => One copy too many.
```

### Key ideas
- two copies of the same number
- a sum of equal terms is a product

### Hints
1. Count the copies.
2. Two of them.
3. It is 2x.

### Why it matters
Counting.
"""


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "both.md").write_text(DECK, encoding="utf-8")
    return folder


def test_a_right_formula_leads_on_to_the_key_ideas(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x", ":ideas 1", ""])
    assert "Now the reasoning: compare it with the key ideas." in out
    assert "  1. two copies of the same number" in out
    assert "rated Hard" in out  # the formula was Good, the reasoning half: the lower wins


def test_both_halves_recalled_is_good(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x", ":ideas all", ""])
    assert "reconstructed; rated Good" in out


def test_feedback_that_gave_the_answer_away_counts_as_a_hint(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    out = run_plain(open_desk, ["x^2", "2x", ":ideas all", ""])
    assert "Not a square: x + x is 2x." in out
    assert "reconstructed; rated Hard" in out


def test_a_mistake_message_that_gives_nothing_away_is_not_a_hint(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["3x", "2x", ":ideas all", ""])
    assert "One copy too many." in out
    assert "reconstructed; rated Good" in out
