"""Targeted messages for near misses, in the manner of STACK's answer notes."""

from __future__ import annotations

import random

from tutor.check.domains import draw, make_env
from tutor.check.equiv import Outcome
from tutor.check.errors import Undefined
from tutor.check.nodes import Kind, Node, free_names
from tutor.check.precision import context
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.values import Env, RowVec, Vec, _is_matrix, evaluate, shape_of


def _replace(node: Node, name: str, by: Node) -> Node:
    if node.kind == Kind.NAME and node.text == name:
        return by
    if not node.args:
        return node
    return Node(node.kind, tuple(_replace(a, name, by) for a in node.args), node.text, node.col)


def _num(text: str) -> Node:
    return Node(Kind.NUM, (), text)


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
    shapes = shape_hint(problem, expect, answer)
    if shapes:
        return shapes
    if _equal(problem.same(answer, Node(Kind.NEG, (expect,)))):
        return "Check the sign: your answer is the negative of what is expected."
    matrices = set(problem.spec.matrices)
    if matrices & free_names(expect) and _equal(
        problem.same(answer, Node(Kind.TRANSPOSE, (expect,)))
    ):
        return "Your answer is the transpose of what is expected: check the order of factors."
    if matrices & free_names(expect) and free_names(answer) == free_names(expect):
        return "Matrices do not commute: check the order of the factors."
    for name in sorted(free_names(expect)):
        if problem.domains.kinds.get(name) == "natural":
            for delta, kind in (("1", Kind.ADD), ("1", Kind.SUB)):
                shifted = _replace(
                    expect, name, Node(kind, (Node(Kind.NAME, (), name), _num(delta)))
                )
                if _equal(problem.same(answer, shifted)):
                    return f"Close: check your bounds, this is off by one in {name}."
    for factor in ("2", "3", "4"):
        for scaled in (
            Node(Kind.MUL, (_num(factor), expect), "·"),
            Node(Kind.DIV, (expect, _num(factor))),
        ):
            if _equal(problem.same(answer, scaled)):
                return "Close, but off by a constant factor."
    return ""


def _sample_env(problem: Problem, nodes: tuple[Node, ...], trial: int) -> Env:

    ctx = context(30)
    names = problem.scalar_names(*nodes)
    sample = draw(problem.domains, names, random.Random(trial), trial)
    return make_env(problem.domains, sample, ctx)


def _math(node: Node) -> str:
    return to_text(node).replace("^T ", "ᵀ").replace("^T", "ᵀ")


def _untranspose(node: Node) -> Node:
    return node.args[0] if node.kind == Kind.TRANSPOSE else Node(Kind.TRANSPOSE, (node,))


def _outer_product(node: Node, env: Env, scalar_expected: bool) -> str:
    """A clause about the first column-times-row product in ``node``, if there is one."""
    for sub in node.walk():
        if sub.kind != Kind.MUL or sub.text == "×":
            continue
        try:
            left, right = evaluate(sub.args[0], env), evaluate(sub.args[1], env)
        except Exception:
            continue
        if isinstance(left, Vec) and not isinstance(left, RowVec) and isinstance(right, RowVec):
            outer = f"{_math(sub)} is a matrix (an outer product)"
            if not scalar_expected:
                return outer
            dot = Node(Kind.MUL, (Node(Kind.TRANSPOSE, (sub.args[0],)), _untranspose(sub.args[1])))
            return f"{outer}; the dot product is {_math(dot)}"
    return ""


def shape_hint(problem: Problem, expect: Node, answer: Node) -> str:
    """A sentence when the answer has another shape than the expectation (a matrix where a
    number is expected, a row vector where a column is expected), else ""."""
    for trial in range(3):
        env = _sample_env(problem, (expect, answer), trial)
        try:
            want, got = evaluate(expect, env), evaluate(answer, env)
        except (Undefined, ZeroDivisionError):
            continue
        break
    else:
        return ""
    want_shape, got_shape = shape_of(want), shape_of(got)
    if want_shape == got_shape:
        return ""
    message = f"Your answer is {got_shape}, but {want_shape} is expected"
    if _is_matrix(got):
        outer = _outer_product(answer, env, want_shape == "a number")
        if outer:
            return f"{message}: {outer}."
    elif {want_shape, got_shape} == {"a row vector", "a column vector"}:
        return f"{message}: check the transposes."
    return message + "."
