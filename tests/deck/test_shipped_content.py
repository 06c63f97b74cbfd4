"""The shipped decks and proofs meet the content bar (issue 6): enough cards and proofs, most of
them machine-checked, every check block with near misses and passing the checker's rules,
every card with hints, an answer and why it matters, prerequisites from foundations up."""

from __future__ import annotations

import re

import pytest

from tutor.deck.checks import lint_checks
from tutor.deck.loader import load_collection, shipped_deck_dirs
from tutor.deck.model import Card, Collection


@pytest.fixture(scope="module")
def shipped() -> Collection:
    return load_collection(shipped_deck_dirs())


def test_the_shipped_content_parses_without_errors_or_warnings(shipped: Collection) -> None:
    assert [str(p) for p in shipped.problems] == []


def test_every_check_block_passes_the_checkers_rules(shipped: Collection) -> None:
    """What `tutor deck check` adds with the checker: every `expect` readable, every `accept`
    judged correct, every `reject` and `mistake` not, every derivation's reference passing;
    judged in the sandbox as the command does. The one place the whole shipped content goes
    through the checker: the CLI, layering and packaging tests use `--no-checker`."""
    assert [str(p) for p in lint_checks(shipped.cards)] == []


def test_at_least_160_deck_cards_and_18_proofs_of_3_to_7_steps(shipped: Collection) -> None:
    decks = [d for d in shipped.decks if not d.is_proof]
    proofs = [d for d in shipped.decks if d.is_proof]
    assert len(decks) >= 10 and sum(len(d.cards) for d in decks) >= 160
    assert len(proofs) >= 18
    assert all(3 <= len(p.cards) <= 7 for p in proofs), [(p.id, len(p.cards)) for p in proofs]
    prose = [p for p in proofs if any(c.self_assessed for c in p.cards)]
    assert prose, "at least one proof is prose, by steps with key ideas"


def test_at_least_85_percent_of_all_cards_are_machine_checked(shipped: Collection) -> None:
    cards = shipped.cards
    assert sum(c.checkable for c in cards) / len(cards) >= 0.85


def test_at_least_20_cards_draw_new_numbers_at_each_review(shipped: Collection) -> None:
    drawn = [c.id for c in shipped.cards if c.check is not None and c.check.first("input")]
    assert len(drawn) >= 20, drawn


def _examples(card: Card, key: str) -> int:
    assert card.check is not None
    return sum(1 for line in card.check.lines if line.key == key)


def test_every_check_block_has_near_misses(shipped: Collection) -> None:
    thin = [
        (c.id, _examples(c, "accept"), _examples(c, "reject"))
        for c in shipped.cards
        if c.check is not None
        and (c.check.first("mode") is None or c.check.first("mode").value != "derivation")  # type: ignore[union-attr]
        and (_examples(c, "accept") < 2 or _examples(c, "reject") < 2)
    ]
    assert thin == []


def test_every_card_has_hints_an_answer_and_why_it_matters(shipped: Collection) -> None:
    missing = [
        c.id
        for c in shipped.cards
        if len(c.hints) < 2 or c.answer is None or c.why is None or not c.prompt.source.strip()
    ]
    assert missing == []
    unjudged = [c.id for c in shipped.cards if not c.checkable and not c.key_ideas]
    assert unjudged == []  # a card not checked by machine is compared with precise key ideas


def test_work_asked_for_on_paper_is_assessed_by_key_ideas(shipped: Collection) -> None:
    """A card that asks for a definition, a derivation or a reason on paper shows its key ideas
    once the typed formula is right, and counts as reconstructed only when every one was there:
    without them a typed formula alone would earn "reconstructed"."""
    unassessed = [
        c.id
        for c in shipped.cards
        if re.search(r"on\s+paper", c.prompt.source, re.IGNORECASE) and not c.key_ideas
    ]
    assert unassessed == []


def test_prerequisites_name_shipped_cards(shipped: Collection) -> None:
    ids = {c.id for c in shipped.cards}
    dangling = [(c.id, r) for c in shipped.cards for r in c.requires if r not in ids]
    assert dangling == []
