"""The linter's rules that need the checker: every `expect` readable, every `accept` judged
correct, every `reject` and `mistake` answer judged not correct, every derivation's reference
answer passing. Each problem is reported at the line of the key it is about.

Deck text is untrusted, so the examples are judged in the checker's sandbox, under its time and
memory limits, a few check blocks at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from tutor.deck.model import Card, Problem, Severity

if TYPE_CHECKING:
    from tutor.check.sandbox import Checker
    from tutor.check.spec import SpecProblem

_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)

Progress = Callable[[int, int], None]


def derivation_reference(card: Card) -> str | None:
    """The reference chain of a derivation card: the first display math of its answer, or the
    whole answer when it is written without dollars."""
    if card.answer is None or not card.answer.source:
        return None
    match = _DISPLAY_MATH.search(card.answer.source)
    if match:
        return match.group(1).strip()
    return None if "$" in card.answer.source else card.answer.source.strip()


def lint_checks(
    cards: list[Card], *, timeout: float = 2.0, progress: Progress | None = None
) -> list[Problem]:
    """Checker problems of every card with a check block, in card order."""
    from tutor.check.sandbox import Checker

    checked = [card for card in cards if card.check is not None]
    if not checked:
        return []
    workers = max(1, min(len(checked), os.cpu_count() or 1))
    results: list[list[Problem]] = [[] for _ in checked]
    with Checker(timeout=timeout, workers=workers) as checker:
        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_lint_card, checker, card) for card in checked]
            for n, future in enumerate(futures):
                results[n] = future.result()
                done += 1
                if progress is not None:
                    progress(done, len(checked))
    return [problem for found in results for problem in found]


def _lint_card(checker: Checker, card: Card) -> list[Problem]:
    from tutor.check.spec import MODES, CheckSpec
    from tutor.deck.inputs import has_inputs

    assert card.check is not None
    if has_inputs(card):  # drawn numbers: the rules at a sample of the draws
        from tutor.deck.drawcheck import lint_drawn

        return lint_drawn(checker, card)
    spec = CheckSpec.from_pairs(card.check.pairs())
    if spec.mode not in MODES:
        return []  # the parser reports it (`tutor.deck.parser`), and nothing else can be judged
    reference = derivation_reference(card) if spec.mode == "derivation" else None
    return [
        Problem(
            card.path,
            _line_of(card, found),
            f"check: {found.message}",
            Severity.WARNING if found.warning else Severity.ERROR,
        )
        for found in checker.lint(spec, reference)
    ]


def _line_of(card: Card, found: SpecProblem) -> int:
    assert card.check is not None
    if found.key == "reference":
        return card.answer.line if card.answer is not None else card.line
    lines = [item for item in card.check.lines if item.key == found.key]
    if found.nth < len(lines):
        return lines[found.nth].line
    return card.check.line
