"""Sets of numbers (finite sets, intervals, unions), compared exactly with sympy sets."""

from __future__ import annotations

from typing import Any

from tutor.check.errors import OutOfScope
from tutor.check.nodes import Kind, Node
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.symbolic import to_sympy


def to_set(node: Node) -> Any:
    import sympy

    kind = node.kind
    if kind == Kind.SET:
        return sympy.FiniteSet(*(to_sympy(arg) for arg in node.args))
    if kind == Kind.CONST and node.text == "emptyset":
        return sympy.S.EmptySet
    if kind == Kind.INTERVAL:
        low, high = to_sympy(node.args[0]), to_sympy(node.args[1])
        return sympy.Interval(low, high, node.text[0] == "(", node.text[1] == ")")
    if kind in (Kind.CUP, Kind.CAP, Kind.SETMINUS):
        left, right = to_set(node.args[0]), to_set(node.args[1])
        if kind == Kind.CUP:
            return sympy.Union(left, right)
        if kind == Kind.CAP:
            return sympy.Intersection(left, right)
        return sympy.Complement(left, right)
    raise OutOfScope("not a set of numbers")


def _closed_at_infinity(node: Node) -> bool:
    """An interval with a square bracket next to ∞ ([0, ∞]): ∞ is not a real number."""
    for sub in node.walk():
        if sub.kind == Kind.INTERVAL:
            for side, bracket in zip(sub.args[:2], (sub.text[0], sub.text[1]), strict=True):
                if bracket in "[]" and any(
                    part.kind == Kind.CONST and part.text == "oo" for part in side.walk()
                ):
                    return True
    return False


def _same_elements(problem: Problem, expect: Node, answer: Node) -> tuple[str, str] | None:
    """Two finite sets of expressions with unknowns ({a, 2a} and {2a, a}): the same set when
    every element of each equals an element of the other; a different one when an element
    equals none (at the sampled points); None when the sets are not both finite."""
    if expect.kind != Kind.SET or answer.kind != Kind.SET:
        return None

    def lacking(these: tuple[Node, ...], those: tuple[Node, ...]) -> Node | None:
        for item in these:
            if not any(problem.same(item, other).status == "equal" for other in those):
                return item
        return None

    extra = lacking(answer.args, expect.args)
    if extra is not None:
        return "incorrect", f"Not the same set: {to_text(extra)} should not be in it."
    missing = lacking(expect.args, answer.args)
    if missing is not None:
        return "incorrect", "Not the same set: an element is missing."
    return "correct", "Correct."


def judge_number_sets(problem: Problem, expect: Node, answer: Node) -> tuple[str, str]:
    import sympy

    want = to_set(expect)
    try:
        got = to_set(answer)
    except OutOfScope:
        return "incorrect", "A set is expected here, such as {1, 2} or [0, 1)."
    if _closed_at_infinity(answer) and not _closed_at_infinity(expect):
        return "incorrect", "An infinite end is always open: put a round bracket next to ∞."
    if want.free_symbols or got.free_symbols:
        decided = _same_elements(problem, expect, answer)
        if decided is None:
            raise OutOfScope("sets with unknowns")
        return decided
    missing = sympy.Complement(want, got)
    extra = sympy.Complement(got, want)
    if missing == sympy.S.EmptySet and extra == sympy.S.EmptySet:
        return "correct", "Correct."
    parts = []
    if isinstance(missing, sympy.FiniteSet) and missing != sympy.S.EmptySet:
        parts.append("missing " + ", ".join(str(m) for m in missing))
    if isinstance(extra, sympy.FiniteSet) and extra != sympy.S.EmptySet:
        parts.append("should not contain " + ", ".join(str(m) for m in extra))
    if parts:
        return "incorrect", "Not the same set: " + "; ".join(parts) + "."
    if missing.is_empty is False or extra.is_empty is False:
        return "incorrect", "Not the same set."
    raise OutOfScope("cannot compare these sets")
