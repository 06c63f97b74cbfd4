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
    if not card.check.has_expect:
        return []  # the parser reports it at the block, and the checker would say it again
    static, card = _static_problems(card)
    if has_inputs(card):  # drawn numbers: the rules at a sample of the draws
        from tutor.deck.drawcheck import lint_drawn

        return _in_line_order(static + lint_drawn(checker, card))
    assert card.check is not None
    if card.check.mode not in MODES:
        return static  # the parser reports the mode (`tutor.deck.parser`); nothing can be judged
    spec = CheckSpec.from_pairs(card.check.pairs())
    reference = derivation_reference(card) if spec.mode == "derivation" else None
    found = [
        Problem(
            card.path,
            _line_of(card, found),
            f"check: {found.message}",
            Severity.WARNING if found.warning else Severity.ERROR,
        )
        for found in checker.lint(spec, reference)
    ]
    return _in_line_order(static + found)


def _static_problems(card: Card) -> tuple[list[Problem], Card]:
    """The problems of a block's lines that need no judging, each at its line, and the card
    with the lines of `intermediate`, `tolerance` and `factor` that are wrong taken out of its
    block: the checker's lint stops at a bad `intermediate` and reports only the first of a bad
    `tolerance` and a bad `factor`, so a block with one of them would hide the others' problems
    (and its `accept` lines). Without the line, the checker judges with the default in its
    place, as study does for a bad `intermediate` (1). A value with a `{{…}}` placeholder is left
    to the checker, which sees it at each draw."""
    from dataclasses import replace

    from tutor.check.modes import numeric_key_problem
    from tutor.check.spec import CheckSpec

    assert card.check is not None
    problems: list[Problem] = []
    dropped: set[str] = set()
    for key in ("intermediate", "tolerance", "factor"):
        lines = [item for item in card.check.lines if item.key == key]
        if not lines or "{{" in lines[-1].value:
            continue
        last = lines[-1]  # the last one counts, as the checker reads a block
        value = last.value.strip()
        if key == "intermediate":
            whole = not value or value.isdigit()
            wrong = "" if whole else f"intermediate '{value}' must be a whole number"
        else:
            only = CheckSpec(tolerance=value) if key == "tolerance" else CheckSpec(factor=value)
            wrong = numeric_key_problem(only)[1]
        if wrong:
            problems.append(Problem(card.path, last.line, f"check: {wrong}"))
            dropped.add(key)
    for item in card.check.lines:
        answer, arrow, said = item.value.partition("=>")
        if item.key == "mistake" and arrow and not said.strip():
            problems.append(
                Problem(
                    card.path,
                    item.line,
                    f"check: mistake '{answer.strip()}' has no message after '=>': "
                    "write what is wrong with that answer",
                )
            )
    if dropped:
        kept = tuple(item for item in card.check.lines if item.key not in dropped)
        card = replace(card, check=replace(card.check, lines=kept))
    return problems, card


def _in_line_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: problem.line)


def _line_of(card: Card, found: SpecProblem) -> int:
    assert card.check is not None
    if found.key == "reference":
        return card.answer.line if card.answer is not None else card.line
    lines = [item for item in card.check.lines if item.key == found.key]
    if found.nth < len(lines):
        return lines[found.nth].line
    return card.check.line
