"""The checker's rules as `tutor deck check` reports them: every problem of a block at its own
line, none hidden behind another, none reported twice."""

from __future__ import annotations

import pytest

from tutor.deck.checks import lint_checks
from tutor.deck.model import Card
from tutor.deck.parser import parse_text


def card_of(card_id: str, check: str) -> Card:
    text = (
        f"---\nid: {card_id}-deck\ntitle: T\n---\n\n# T\n\n"
        f"## A card\nid: {card_id}\n\nWhat is it?\n\n### Answer\nx\n\n"
        f"```check\n{check}\n```\n"
    )
    deck, _ = parse_text(text, f"{card_id}.md")
    assert deck is not None
    return deck.cards[0]


# the block's fence is on line 16, its first key on line 17
EVERY_KEY_WRONG = card_of(
    "every-key-wrong",
    "expect: 2\nmode: numeric\ntolerance: 0\nfactor: 0.5\nintermediate: two\n"
    "accept:\nreject:\nmistake: y\nmistake: 3 => ",
)
NUMERIC_KEYS_WRONG = card_of(
    "numeric-keys-wrong", "expect: 2\nmode: numeric\ntolerance: 0\nfactor: 0.5\naccept: 2"
)
NO_EXPECT = card_of("no-expect", "accept: x")
DRAWN_INTERMEDIATE = card_of(
    "drawn-intermediate",
    "input: n = 2 in 1..3\nexpect: {{n}}\nmode: numeric\nintermediate: two\naccept: 1",
)
UNKNOWN_MODE = card_of("unknown-mode", "expect: 2\nmode: numerc\nfactor: 0.5\nmistake: 3 =>")


@pytest.fixture(scope="module")
def linted() -> dict[str, list[str]]:
    """The cards above through the checker's sandbox at once, the problems by card."""
    cards = [EVERY_KEY_WRONG, NUMERIC_KEYS_WRONG, NO_EXPECT, DRAWN_INTERMEDIATE, UNKNOWN_MODE]
    found: dict[str, list[str]] = {card.id: [] for card in cards}
    for problem in lint_checks(cards):
        found[problem.path.removesuffix(".md")].append(str(problem))
    return found


def test_no_key_of_a_block_hides_the_problems_of_the_others(
    linted: dict[str, list[str]],
) -> None:
    assert linted["every-key-wrong"] == [
        "every-key-wrong.md:19: check: tolerance '0' must be finite and positive",
        "every-key-wrong.md:20: check: factor '0.5' must be finite and at least 1",
        "every-key-wrong.md:21: check: intermediate 'two' must be a whole number",
        "every-key-wrong.md:22: check: accept '' is judged invalid: The answer is empty.",
        "every-key-wrong.md:23: check: reject '' is unreadable: The answer is empty.",
        "every-key-wrong.md:24: check: mistake 'y' needs 'ANSWER => MESSAGE'",
        "every-key-wrong.md:25: check: mistake '3' has no message after '=>': "
        "write what is wrong with that answer",
    ]


def test_a_bad_tolerance_and_a_bad_factor_are_both_reported_once(
    linted: dict[str, list[str]],
) -> None:
    assert linted["numeric-keys-wrong"] == [
        "numeric-keys-wrong.md:19: check: tolerance '0' must be finite and positive",
        "numeric-keys-wrong.md:20: check: factor '0.5' must be finite and at least 1",
    ]


def test_a_block_without_expect_is_reported_once_by_the_parser(
    linted: dict[str, list[str]],
) -> None:
    text = (
        "---\nid: d\ntitle: T\n---\n\n# T\n\n## A card\nid: no-expect\n\nWhat is it?\n\n"
        "### Answer\nx\n\n```check\naccept: x\n```\n"
    )
    _, problems = parse_text(text, "no-expect.md")
    assert [str(p) for p in problems] == ["no-expect.md:16: check block has no 'expect'"]
    assert linted["no-expect"] == []


def test_a_bad_intermediate_hides_nothing_on_a_card_with_inputs(
    linted: dict[str, list[str]],
) -> None:
    found = linted["drawn-intermediate"]
    assert found[0] == "drawn-intermediate.md:20: check: intermediate 'two' must be a whole number"
    assert len(found) == 2 and found[1].startswith("drawn-intermediate.md:21: check: at n = ")
    assert "accept '1'" in found[1]


def test_an_unknown_mode_still_reports_what_needs_no_judging(
    linted: dict[str, list[str]],
) -> None:
    assert linted["unknown-mode"] == [
        "unknown-mode.md:19: check: factor '0.5' must be finite and at least 1",
        "unknown-mode.md:20: check: mistake '3' has no message after '=>': "
        "write what is wrong with that answer",
    ]
