"""Targeted messages for near misses, in the manner of STACK's answer notes."""

from __future__ import annotations

from tutor.check.equiv import Outcome
from tutor.check.nodes import Node, free_names
from tutor.check.problem import Problem


def _replace(node: Node, name: str, by: Node) -> Node:
    if node.kind == "name" and node.text == name:
        return by
    if not node.args:
        return node
    return Node(node.kind, tuple(_replace(a, name, by) for a in node.args), node.text, node.col)


def _num(text: str) -> Node:
    return Node("num", (), text)


def near_miss(problem: Problem, expect: Node, answer: Node) -> str:
    """One sentence about how a wrong expression answer differs from the expectation."""
    try:
        return _near_miss(problem, expect, answer)
    except Exception:
        return ""


def _equal(outcome: Outcome) -> bool:
    return outcome.status == "equal"


def _near_miss(problem: Problem, expect: Node, answer: Node) -> str:
    extra = sorted(free_names(answer) - problem.question_names() - {"C", "c", "K"})
    if extra:
        return f"Your answer uses {', '.join(extra)}, which the question does not use."
    if _equal(problem.same(answer, Node("neg", (expect,)))):
        return "Check the sign: your answer is the negative of what is expected."
    matrices = set(problem.spec.matrices)
    if matrices & free_names(expect) and _equal(problem.same(answer, Node("T", (expect,)))):
        return "Your answer is the transpose of what is expected: check the order of factors."
    if matrices & free_names(expect) and free_names(answer) == free_names(expect):
        return "Matrices do not commute: check the order of the factors."
    for name in sorted(free_names(expect)):
        if problem.domains.kinds.get(name) == "natural":
            for delta, word in (("1", "+"), ("1", "-")):
                shifted = _replace(expect, name, Node(word, (Node("name", (), name), _num(delta))))
                if _equal(problem.same(answer, shifted)):
                    return f"Close: check your bounds, this is off by one in {name}."
    for factor in ("2", "3", "4"):
        for scaled in (Node("*", (_num(factor), expect), "·"), Node("/", (expect, _num(factor)))):
            if _equal(problem.same(answer, scaled)):
                return "Close, but off by a constant factor."
    return ""
