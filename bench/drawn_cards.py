"""Every draw of the shipped cards with drawn numbers, checked exactly (deck-format.md, "Drawn
numbers"). `tutor deck check` judges a block at a few draws; this goes through all of them.

    python bench/drawn_cards.py [--checker N]

For each card with `input` lines, at every combination of its inputs' values: `expect` is a
finite real number (sympy, 50 digits), every `accept` is within the card's tolerance or factor,
and every `reject` and `mistake` answer is outside it. With `--checker N`, the real checker
(in this process) also judges the block's examples at N draws of each card, chosen at random
(all of them when there are fewer). Prints the draws checked and the failures, card by card;
the exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check import judge  # noqa: E402
from tutor.check.spec import CheckSpec  # noqa: E402
from tutor.deck.drawcheck import drawn_spec  # noqa: E402
from tutor.deck.inputs import card_inputs, instantiate  # noqa: E402
from tutor.deck.loader import load_collection, shipped_deck_dirs  # noqa: E402


def number(text: str) -> Any:
    import sympy

    return sympy.sympify(text.strip().replace("^", "**"), rational=True)


def members(text: str) -> frozenset[Any]:
    import sympy

    inner = text.strip()
    assert inner.startswith("{") and inner.endswith("}"), text
    return frozenset(sympy.nsimplify(number(part)) for part in inner[1:-1].split(","))


def within(spec: CheckSpec, want: Any, got: Any) -> bool:
    import sympy

    if spec.factor:
        factor = sympy.Rational(spec.factor)
        if want == 0 or got == 0 or (want > 0) != (got > 0):
            return False
        return bool(1 / factor <= got / want <= factor)
    tolerance = sympy.Rational(1, 10**9)
    if spec.tolerance:
        text = spec.tolerance.strip()
        tolerance = sympy.Rational(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    return bool(abs(got - want) <= tolerance * abs(want))


def failures(spec: CheckSpec) -> list[str]:
    """What is wrong with one drawn block, judged exactly."""
    import sympy

    found: list[str] = []
    if spec.mode == "set":
        want_set = members(spec.expect)

        def right(text: str) -> bool:
            return members(text) == want_set

    else:
        want = sympy.N(number(spec.expect), 50)
        if not (want.is_real and want.is_finite):
            found.append(f"expect {spec.expect!r} is not a finite real number")

        def right(text: str) -> bool:
            return within(spec, want, sympy.N(number(text), 50))

    found += [f"accept {a!r} is not right" for a in spec.accept if not right(a)]
    found += [f"reject {r!r} is right" for r in spec.reject if right(r)]
    mistakes = [m.partition("=>")[0].strip() for m in spec.mistake]
    found += [f"mistake {m!r} is right" for m in mistakes if right(m)]
    return found


def checker_failures(spec: CheckSpec) -> list[str]:
    """The real checker on the block's own examples (rejects judged without the others)."""
    bare = replace(spec, reject=())
    found = [f"checker: accept {a!r}" for a in spec.accept if judge(spec, a).verdict != "correct"]
    found += [f"checker: reject {r!r}" for r in spec.reject if judge(bare, r).verdict == "correct"]
    for line in spec.mistake:
        answer = line.partition("=>")[0].strip()
        if judge(spec, answer).verdict == "correct":
            found.append(f"checker: mistake {answer!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checker", type=int, default=0, metavar="N")
    args = parser.parse_args()
    collection = load_collection(shipped_deck_dirs())
    failed = 0
    cards = 0
    for card in collection.cards:
        inputs = card_inputs(card)
        if not inputs:
            continue
        cards += 1
        started = time.perf_counter()
        names = [item.name for item in inputs]
        grids = [[item.value(i) for i in range(item.count)] for item in inputs]
        draws: list[dict[str, Fraction]] = [
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*grids)
        ]
        wrong: list[str] = []
        for values in draws:
            wrong += [f"{values}: {w}" for w in failures(drawn_spec(instantiate(card, values)))]
        rng = random.Random(card.id)
        for values in rng.sample(draws, min(args.checker, len(draws))):
            spec = drawn_spec(instantiate(card, values))
            wrong += [f"{values}: {w}" for w in checker_failures(spec)]
        failed += len(wrong)
        seconds = time.perf_counter() - started
        print(f"{card.id}: {len(draws)} draws, {len(wrong)} failures ({seconds:.1f} s)")
        for line in wrong[:5]:
            print(f"  {line}")
    print(f"{cards} cards with drawn numbers, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
