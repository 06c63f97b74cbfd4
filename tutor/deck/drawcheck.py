"""The checker's rules for a card with drawn inputs, at a sample of its draws.

A card that draws its numbers is as good as its worst draw: `tutor deck check` judges its block
with the author's values, with every input at its low end, at its high end, and at a few draws
in between (every combination when there are only a few), and at each of them:

- `expect` is readable and, in `numeric` mode, a finite real number;
- every `accept` is judged `correct`, every `mistake` answer not;
- every `reject` is judged not `correct` even with the other reject lines set aside: on such a
  card a reject line is a wrong answer, and one that equals the answer at some draw would
  refuse a learner who got it right;
- a derivation's reference answer passes.

Each problem is reported once, at its line, with the draw where it was found. The cost is
bounded: at most `LINT_DRAWS` draws of one block, each judged under the checker's limits.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tutor.check.spec import CheckSpec, SpecProblem
from tutor.deck.checks import _line_of, derivation_reference
from tutor.deck.formula import FormulaError
from tutor.deck.inputs import (
    INPUT_KEY,
    card_inputs,
    describe_values,
    instantiate,
    sample_draws,
)
from tutor.deck.model import Card, Problem, Severity

if TYPE_CHECKING:
    from tutor.check.sandbox import Checker

LINT_DRAWS = 6


def drawn_spec(card: Card) -> CheckSpec:
    """The check block of a card whose placeholders were replaced, as the checker reads it."""
    assert card.check is not None
    return CheckSpec.from_pairs([pair for pair in card.check.pairs() if pair[0] != INPUT_KEY])


def lint_drawn(checker: Checker, card: Card, draws: int = LINT_DRAWS) -> list[Problem]:
    """The checker's problems with `card`'s block over its draws (none when its inputs cannot
    be read: the parser reports that)."""
    inputs = card_inputs(card)
    if not inputs:
        return []
    seen: set[tuple[str, int, bool]] = set()
    problems: list[Problem] = []
    for values in sample_draws(inputs, f"lint:{card.id}", draws):
        try:
            drawn = instantiate(card, values)
        except FormulaError:
            continue  # a placeholder without a value: the parser reports it
        spec = drawn_spec(drawn)
        reference = derivation_reference(drawn) if spec.mode == "derivation" else None
        found = list(checker.lint(spec, reference))
        if spec.mode == "numeric" and spec.expect:
            wrong = checker.value(spec)
            if wrong:
                found.append(SpecProblem("expect", 0, wrong))
        bare = replace(spec, reject=())
        for index, text in enumerate(spec.reject):
            if checker.judge(bare, text).verdict == "correct":
                message = (
                    f"reject {text!r} equals the expected answer here: a learner who gets it "
                    "right would be refused"
                )
                found.append(SpecProblem("reject", index, message))
        at = describe_values(values)
        for item in found:
            key = (item.key, item.nth, item.warning)
            if key in seen:
                continue
            seen.add(key)
            problems.append(
                Problem(
                    card.path,
                    _line_of(drawn, item),
                    f"check: at {at}: {item.message}",
                    Severity.WARNING if item.warning else Severity.ERROR,
                )
            )
    return problems
