"""Fuzz: mutate the expectation of every shipped check block and make sure that no mutant of a
different value is judged correct.

Mutations are the classic slips: a flipped sign, an exponent off by one, a changed constant,
two variables swapped, a term dropped, a transpose lost or added, a bound moved, a scientific
exponent off by one. Whether a mutant really differs is decided apart from the checker's own
evaluator: with sympy, at random exact points of the declared domains, at 50 digits.
Seeded, and bounded to a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from tutor.check import CheckSpec, judge
from tutor.check.errors import CheckInputError, OutOfScope
from tutor.check.nodes import Kind, Node, free_names
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.symbolic import to_sympy
from tutor.check.tokens import scientific
from tutor.deck.inputs import stated_card
from tutor.deck.loader import load_collection, shipped_deck_dirs

SEED = 20261206
PER_BLOCK = 8


def _blocks() -> list[tuple[str, CheckSpec]]:
    collection = load_collection(shipped_deck_dirs())
    blocks = []
    for card in collection.cards:
        card = stated_card(card)  # drawn numbers: the block as the card is first shown
        if card.check is None:
            continue
        spec = CheckSpec.from_pairs(card.check.pairs())
        if spec.mode in ("equivalent", "numeric", "set"):
            blocks.append((card.id, spec))
    return blocks


BLOCKS = _blocks()


def _replace(node: Node, path: tuple[int, ...], new: Node) -> Node:
    if not path:
        return new
    args = list(node.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    return Node(node.kind, tuple(args), node.text, node.col)


def _paths(node: Node, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Node]]:
    yield path, node
    for index, arg in enumerate(node.args):
        yield from _paths(arg, (*path, index))


def _mutants(node: Node, spec: CheckSpec, rng: random.Random) -> list[Node]:
    """Every kind of slip that applies to ``node``, at a random place each."""
    places = list(_paths(node))
    out: list[Node] = []

    def at(predicate: Any) -> list[tuple[tuple[int, ...], Node]]:
        return [(p, n) for p, n in places if predicate(n)]

    def pick(candidates: list[tuple[tuple[int, ...], Node]], make: Any) -> None:
        if candidates:
            path, sub = rng.choice(candidates)
            out.append(_replace(node, path, make(sub)))

    one = Node(Kind.NUM, (), "1")
    # a flipped sign of a term or factor
    pick(
        at(lambda n: n.kind in (Kind.NAME, Kind.CALL, Kind.POW, Kind.MUL, Kind.DIV)),
        lambda n: Node(Kind.NEG, (n,)),
    )
    # an exponent off by one
    pick(
        at(lambda n: n.kind == Kind.POW),
        lambda n: Node(Kind.POW, (n.args[0], Node(Kind.ADD, (n.args[1], one))), "", n.col),
    )
    # a changed constant
    pick(
        at(lambda n: n.kind == Kind.NUM and n.text.isdigit()),
        lambda n: Node(Kind.NUM, (), str(int(n.text) + rng.choice([1, 2]))),
    )
    # a dropped term of a sum
    pick(at(lambda n: n.kind in (Kind.ADD, Kind.SUB)), lambda n: n.args[rng.randrange(2)])
    # a transpose lost or added
    pick(at(lambda n: n.kind == Kind.TRANSPOSE), lambda n: n.args[0])
    pick(
        at(lambda n: n.kind == Kind.NAME and n.text in spec.matrices),
        lambda n: Node(Kind.TRANSPOSE, (n,)),
    )
    # a bound moved
    pick(
        at(lambda n: n.kind in (Kind.SUM, Kind.PROD) and n.args[2].kind != Kind.NONE),
        lambda n: Node(n.kind, (*n.args[:2], Node(Kind.ADD, (n.args[2], one)), n.args[3]), n.text),
    )
    # a scientific exponent off by one
    pick(
        at(lambda n: n.kind == Kind.NUM and "e" in n.text),
        lambda n: Node(Kind.NUM, (), _shifted(n.text)),
    )
    # two variables swapped
    names = sorted(
        n
        for n in free_names(node)
        if n not in spec.functions and n not in spec.probability and n not in spec.sets
    )
    if len(names) >= 2:
        a, b = rng.sample(names, 2)
        out.append(_swap(node, a, b))
    return out


def _shifted(text: str) -> str:
    mantissa, _, exponent = text.partition("e")
    return scientific(mantissa, int(exponent) + 1)


def _swap(node: Node, a: str, b: str) -> Node:
    if node.kind == Kind.NAME and node.text in (a, b):
        return Node(Kind.NAME, (), b if node.text == a else a, node.col)
    return Node(node.kind, tuple(_swap(arg, a, b) for arg in node.args), node.text, node.col)


def _differ(spec: CheckSpec, expect: Node, mutant: Node, rng: random.Random) -> bool | None:
    """Do the two expressions differ somewhere in the declared domains? Decided with sympy at
    random exact points (None: not a scalar expression sympy can evaluate here)."""
    import sympy

    try:
        left, right = to_sympy(expect), to_sympy(mutant)
    except (OutOfScope, CheckInputError, KeyError, TypeError, ValueError):
        return None
    from sympy.core.function import AppliedUndef

    if left.atoms(AppliedUndef) or right.atoms(AppliedUndef):
        return None  # dot, norm, P, declared functions: no value sympy can compute here
    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    seen = 0
    for _ in range(30):
        point = {}
        for symbol in symbols:
            name = str(symbol)
            if name in spec.natural:
                point[symbol] = sympy.Integer(rng.randint(1, 9))
            elif name in spec.integer:
                point[symbol] = sympy.Integer(rng.randint(-6, 6))
            elif name in spec.positive:
                point[symbol] = sympy.Rational(rng.randint(1, 400), rng.randint(1, 97))
            else:
                point[symbol] = sympy.Rational(rng.randint(-400, 400), rng.randint(1, 97))
        try:
            a = complex(left.subs(point).doit().evalf(50))
            b = complex(right.subs(point).doit().evalf(50))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if any(v != v or abs(v) == float("inf") or abs(v.imag) > 1e-30 for v in (a, b)):
            continue
        seen += 1
        if not _close_enough(spec, a.real, b.real):
            return True
    return False if seen >= 5 else None


def _close_enough(spec: CheckSpec, want: float, got: float) -> bool:
    """Equal, or within the block's numeric tolerance or factor (both inclusive)."""
    if spec.mode == "numeric" and spec.factor:
        factor = float(spec.factor.rstrip("%"))
        return want * got > 0 and 1 / factor <= got / want <= factor
    if spec.mode == "numeric" and spec.tolerance:
        text = spec.tolerance
        tolerance = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        return abs(got - want) <= tolerance * abs(want)
    return abs(got - want) <= 1e-12 * max(1.0, abs(want), abs(got))


def test_the_fuzz_covers_the_shipped_blocks() -> None:
    assert len(BLOCKS) >= 60


@pytest.mark.parametrize(("card", "spec"), BLOCKS, ids=[card for card, _ in BLOCKS])
def test_no_mutant_of_a_different_value_is_judged_correct(card: str, spec: CheckSpec) -> None:
    rng = random.Random(f"{SEED}:{card}")
    problem = Problem(spec)
    expect, _ = problem.read(spec.expect)
    mutants = _mutants(expect, spec, rng)[:PER_BLOCK]
    false_accepts = []
    for mutant in mutants:
        text = to_text(mutant)
        verdict = judge(spec, text)
        if verdict.verdict != "correct":
            continue
        if _differ(spec, expect, mutant, rng) is True:
            false_accepts.append((text, verdict.feedback))
    assert false_accepts == []


def test_the_independent_judge_tells_a_slip_from_the_same_value() -> None:
    rng = random.Random(SEED)
    spec = CheckSpec(expect="n(n+1)/2", natural=("n",))
    problem = Problem(spec)
    expect, _ = problem.read(spec.expect)
    assert _differ(spec, expect, problem.read("n(n-1)/2")[0], rng) is True
    assert _differ(spec, expect, problem.read("(n^2+n)/2")[0], rng) is False
