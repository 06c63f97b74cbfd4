"""Static size checks on a parsed tree, before any numeric or sympy work."""

from __future__ import annotations

import math

from tutor.check.errors import CheckInputError
from tutor.check.limits import MAX_EXPONENT, MAX_FACTORIAL, MAX_POLY_EXPONENT
from tutor.check.nodes import Kind, Node


def _const(node: Node) -> float | None:
    """A float estimate of a constant subexpression, or None when it has names."""
    kind = node.kind
    try:
        if kind == Kind.NUM:
            return float(node.text)
        if kind == Kind.CONST:
            return {"pi": math.pi, "e": math.e}.get(node.text)
        if kind == Kind.NEG:
            inner = _const(node.args[0])
            return None if inner is None else -inner
        if kind in (Kind.ADD, Kind.SUB, Kind.MUL, Kind.DIV, Kind.POW):
            left, right = _const(node.args[0]), _const(node.args[1])
            if left is None or right is None:
                return None
            if kind == Kind.ADD:
                return left + right
            if kind == Kind.SUB:
                return left - right
            if kind == Kind.MUL:
                return left * right
            if kind == Kind.DIV:
                return left / right if right else None
            if abs(right) > MAX_EXPONENT:
                return math.inf
            return float(abs(left) ** right) if left else 0.0
        if kind == Kind.FACTORIAL:
            inner = _const(node.args[0])
            if inner is None:
                return None
            return math.inf if inner > MAX_FACTORIAL else float(math.gamma(inner + 1))
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.inf
    return None


def check_sizes(node: Node) -> int:
    """Refuse towers, huge powers and factorials; return extra decimal digits of precision
    the magnitudes of constants call for."""
    extra = 0
    for sub in node.walk():
        if sub.kind == Kind.POW:
            exponent = _const(sub.args[1])
            if exponent is None:
                continue
            if math.isinf(exponent) or abs(exponent) > MAX_EXPONENT:
                raise CheckInputError("This exponent is too large to check.", sub.col or None)
            base = _const(sub.args[0])
            if base is None:
                if abs(exponent) > MAX_POLY_EXPONENT:
                    raise CheckInputError("This exponent is too large to check.", sub.col or None)
            elif base:
                extra = max(extra, int(abs(exponent * math.log10(abs(base)))) + 1)
        elif sub.kind == Kind.FACTORIAL or (sub.kind == Kind.CALL and sub.text == "binomial"):
            for arg in sub.args:
                value = _const(arg)
                if value is not None and (math.isinf(value) or value > MAX_FACTORIAL):
                    raise CheckInputError("This factorial is too large to check.", sub.col or None)
            if sub.kind == Kind.FACTORIAL:
                value = _const(sub.args[0])
                if value is not None:
                    extra = max(extra, int(math.lgamma(value + 1) / math.log(10)) + 1)
    return min(extra, 3000)
