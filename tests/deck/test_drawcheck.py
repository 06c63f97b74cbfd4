"""The checker's rules over a card's draws (tutor.deck.drawcheck): a good card passes, and a
card that is right for the author's values but wrong at the end of a range is caught there, with
the values, at the line of the key; the cost is a bounded number of draws."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tutor.check import judge, lint_spec
from tutor.check.realvalue import expect_value_problem
from tutor.check.spec import CheckSpec, SpecProblem
from tutor.check.verdict import Verdict
from tutor.deck.checks import lint_checks
from tutor.deck.drawcheck import LINT_DRAWS, lint_drawn
from tutor.deck.model import Card
from tutor.deck.parser import parse_text

DOCS = Path(__file__).parent.parent.parent / "docs" / "deck-format.md"


def card_of(body: str, check: str, card_id: str = "drawn") -> Card:
    text = (
        "---\nid: drawn-deck\ntitle: Drawn\n---\n\n# Drawn\n\n"
        f"## A card\nid: {card_id}\nkind: estimate\n\n{body}\n\n### Answer\nx\n\n"
        f"```check\n{check}\n```\n"
    )
    deck, problems = parse_text(text, f"{card_id}.md")
    assert deck is not None and [str(p) for p in problems] == []
    return deck.cards[0]


GOOD = card_of(
    "What is {{a}} times {{b}}?",
    "mode: numeric\ninput: a = 3 in 2..20\ninput: b = 4 in 2..9\nexpect: {{a}}*{{b}}\n"
    "accept: {{a*b}}\naccept: {{b}}*{{a}}\nreject: {{a*b + 1}}\nreject: {{a*b*10}}",
    "good",
)
# right at the stated values, wrong where a and b are both at the low end: 2 + 2 = 2 * 2
COINCIDES = card_of(
    "What is {{a}} times {{b}}?",
    "mode: numeric\ninput: a = 3 in 2..20\ninput: b = 4 in 2..9\nexpect: {{a}}*{{b}}\n"
    "accept: {{b}}*{{a}}\naccept: {{a}}*{{b}} + 0\nreject: {{a + b}}\nreject: {{a*b*10}}",
    "coincides",
)
# 1/(a - 2) has no value at the low end of a
NO_VALUE = card_of(
    "What is 1 over {{a}} - 2?",
    "mode: numeric\ninput: a = 4 in 2..20\nexpect: 1/({{a}} - 2)\n"
    "accept: 1/{{a - 2}}\naccept: 2/(2*{{a}} - 4)\nreject: {{a}}\nreject: 0",
    "no-value",
)
# a - 1 equals a/2 only at a = 2
ACCEPT_WRONG = card_of(
    "What is half of {{a}}?",
    "mode: numeric\ninput: a = 2 in 2..20 step 2\nexpect: {{a}}/2\n"
    "accept: {{a}} - 1\naccept: {{a/2}}\nreject: {{a}}\nreject: {{2*a}}",
    "accept-wrong",
)


@pytest.fixture(scope="module")
def linted() -> dict[str, list[str]]:
    """Every card above through `tutor deck check`'s rules in the checker's sandbox, at once;
    the problems by card (each card is its own file)."""
    cards = [GOOD, COINCIDES, NO_VALUE, ACCEPT_WRONG, *doc_example()]
    found: dict[str, list[str]] = {card.id: [] for card in cards}
    for problem in lint_checks(cards):
        found[problem.path.removesuffix(".md")].append(str(problem))
    return found


def doc_example() -> list[Card]:
    """The example card of deck-format.md's "Drawn numbers" section."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Drawn numbers") :]
    card = re.search(r"````markdown\n(.*?)````", section, re.S)
    assert card is not None
    deck, problems = parse_text(
        "---\nid: doc-example\ntitle: Doc\n---\n\n# Doc\n\n" + card.group(1),
        "estimate-server-rps.md",
    )
    assert deck is not None and [str(p) for p in problems] == []
    return deck.cards


def test_a_card_right_at_every_draw_passes(linted: dict[str, list[str]]) -> None:
    assert linted["good"] == []


def test_the_example_of_the_docs_passes(linted: dict[str, list[str]]) -> None:
    assert linted["estimate-server-rps"] == []


def test_a_reject_that_equals_the_answer_at_the_low_ends_is_caught_there(
    linted: dict[str, list[str]],
) -> None:
    problems = linted["coincides"]
    assert any(
        p.startswith("coincides.md:24: check: at a = 2, b = 2: reject '4' equals the expected")
        for p in problems
    ), problems
    assert all("\n" not in p for p in problems)


def test_an_expect_without_a_value_at_a_range_end_is_caught(
    linted: dict[str, list[str]],
) -> None:
    assert "no-value.md:20: check: at a = 2: expect has no real value" in "\n".join(
        linted["no-value"]
    ), linted["no-value"]


def test_an_accept_wrong_away_from_the_stated_value_is_caught(
    linted: dict[str, list[str]],
) -> None:
    problems = linted["accept-wrong"]
    assert len(problems) == 1 and problems[0].startswith(
        "accept-wrong.md:21: check: at a = 20: accept '20 - 1' is judged incorrect"
    ), problems


class Recording:
    """The checker's interface, in this process, recording the blocks it is given."""

    def __init__(self) -> None:
        self.linted: list[CheckSpec] = []
        self.judged = 0

    def lint(self, spec: CheckSpec, reference: str | None = None) -> list[SpecProblem]:
        self.linted.append(spec)
        return lint_spec(spec, reference)

    def value(self, spec: CheckSpec) -> str:
        return expect_value_problem(spec)

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        self.judged += 1
        return judge(spec, answer)


def test_the_cost_is_a_bounded_number_of_draws_the_ends_included() -> None:
    checker: Any = Recording()
    assert lint_drawn(checker, GOOD) == []
    expects = [spec.expect for spec in checker.linted]
    assert len(expects) == LINT_DRAWS
    assert expects[:3] == ["3*4", "2*2", "20*9"]  # stated, every low end, every high end
    assert checker.judged == 2 * LINT_DRAWS  # each reject once a draw, without the others


def test_a_card_with_few_combinations_is_checked_at_every_one() -> None:
    card = card_of(
        "What is {{a}} squared?",
        "mode: numeric\ninput: a = 3 in 1..4\nexpect: {{a}}^2\naccept: {{a^2}}\n"
        "accept: {{a}}*{{a}}\nreject: {{2*a}}\nreject: {{a^3}}",
    )
    checker: Any = Recording()
    problems = [str(p) for p in lint_drawn(checker, card)]
    assert sorted(spec.expect for spec in checker.linted) == ["1^2", "2^2", "3^2", "4^2"]
    # 1³ = 1² and 2·2 = 2²: each reject is reported once, at its line, where it was found
    rejects = [p for p in problems if ": reject '" in p]
    assert [p[: len("drawn.md:23: check: at a = 2: reject '4'")] for p in rejects] == [
        "drawn.md:24: check: at a = 1: reject '1'",
        "drawn.md:23: check: at a = 2: reject '4'",
    ], problems
