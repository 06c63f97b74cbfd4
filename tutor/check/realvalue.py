"""Is a numeric block's `expect` a finite real number? The deck linter asks at every draw of a
card with drawn inputs (deck-format.md, "Drawn numbers"): a formula that is fine for the
author's values can divide by zero, or take the root of a negative, at the end of a range."""

from __future__ import annotations

from typing import Any

from tutor.check.errors import CheckInputError, OutOfScope, Undefined
from tutor.check.precision import context
from tutor.check.problem import Problem
from tutor.check.spec import CheckSpec
from tutor.check.values import Env, Region, Vec, _is_matrix, evaluate


def expect_value_problem(spec: CheckSpec) -> str:
    """'' when `spec.expect` evaluates to a finite real number (or a vector or matrix of
    them); else what it is instead, in a few words."""
    try:
        node, _ = Problem(spec).read(spec.expect)
        ctx = context(30)
        value = evaluate(node, Env(ctx))
    except CheckInputError as exc:
        return f"expect cannot be evaluated: {exc.message}"
    except Undefined:
        return (
            "expect has no real value (a division by zero, or the root or logarithm of a "
            "negative number)"
        )
    except (OutOfScope, OverflowError, ZeroDivisionError, ValueError):
        return "expect cannot be evaluated to a number"
    if isinstance(value, bool | Region):
        return "expect is not a number"
    for entry in _entries(value):
        try:
            finite = bool(ctx.isfinite(entry))
        except (TypeError, ValueError):
            finite = False
        imaginary: Any = getattr(entry, "imag", 0)
        if not finite or isinstance(entry, complex) or imaginary:
            return f"expect is not a finite real number ({ctx.nstr(entry, 6)})"
    return ""


def _entries(value: Any) -> list[Any]:
    if isinstance(value, Vec):
        return list(value)
    if _is_matrix(value):
        return [value[i, j] for i in range(value.rows) for j in range(value.cols)]
    return [value]
