"""Differences the random points miss: far out, on a small region, past 12 for whole numbers,
at one matrix size only, below 20 digits; and answers honest readings must accept (rounding
noise that is 0, odd roots, x ∈ [a, b), ⌊x⌋, a constant of integration inside a logarithm)."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.check.engine import judge
from tutor.check.spec import CheckSpec

Case = tuple[dict[str, Any], str, str]


def _run(cases: list[Case]) -> None:
    for fields, answer, want in cases:
        verdict = judge(CheckSpec.from_json(fields), answer)
        assert verdict.verdict == want, (fields, answer, verdict)


PIECEWISE: list[Case] = [
    # far out
    ({"expect": "x"}, "x + max(0, x - 100)", "incorrect"),
    ({"expect": "x"}, "max(x, -100)", "incorrect"),
    ({"expect": "x"}, "min(x, 5000)", "incorrect"),
    ({"expect": "|x|"}, "max(x, -x, -1000)", "correct"),
    ({"expect": "x"}, "max(x, x - 100)", "correct"),
    # a small region
    ({"expect": "0"}, "max(0, (x - 1)(2 - x))", "incorrect"),
    ({"expect": "0"}, "max(0, (x - 5)(6 - x))", "incorrect"),
    ({"expect": "0"}, "min(0, (x + 7)(x + 8))", "incorrect"),
    ({"expect": "|x - 3| + |x - 4|"}, "max(1, |2x - 7|)", "correct"),
    ({"expect": "|x|"}, "max(x, -x)", "correct"),
    ({"expect": "0"}, "floor(x) - floor(x)", "correct"),
    # one point
    ({"expect": "x - 3"}, "(x - 3)|sign(x - 1)|", "incorrect"),
    ({"expect": "x < 3"}, "(x - 3)|sign(x - 1)| < 0", "incorrect"),
    ({"expect": "x < 3"}, "2(x - 3) < 0", "correct"),
]

WHOLE: list[Case] = [
    ({"expect": "n", "natural": "n"}, "n + binomial(n, 13)", "incorrect"),
    ({"expect": "0", "natural": "n"}, "floor(n/13)", "incorrect"),
    ({"expect": "0", "natural": "n"}, "floor(n/100)", "incorrect"),
    (
        {"expect": "n", "natural": "n"},
        "n + (n-1)(n-2)(n-3)(n-4)(n-5)(n-6)(n-7)(n-8)(n-9)(n-10)(n-11)(n-12)",
        "incorrect",
    ),
    ({"expect": "m", "integer": "m"}, "m + binomial(m + 12, 25)", "incorrect"),
    ({"expect": "m", "integer": "m"}, "m + floor(m/20) - floor(m/20)", "correct"),
    ({"expect": "n(n-1)/2", "natural": "n"}, "binomial(n, 2)", "correct"),
    ({"expect": "\\sum_{i=0}^{n} \\binom{n}{i} x^i"}, "(1+x)^n", "correct"),
    ({"expect": "\\sum_{i=0}^{n} \\binom{n}{i} x^i"}, "(1+x)^n + floor(n/50)", "incorrect"),
]

MATRICES: list[Case] = [
    ({"expect": "det(2A)", "matrices": "A B"}, "8det(A)", "incorrect"),
    ({"expect": "det(-A)", "matrices": "A B"}, "-det(A)", "incorrect"),
    ({"expect": "det(A B)", "matrices": "A B"}, "det(A) det(B)", "correct"),
    ({"expect": "det(A^T)", "matrices": "A"}, "det(A)", "correct"),
    ({"expect": "(A B)^T", "matrices": "A B"}, "B^T A^T", "correct"),
    ({"expect": "(A B)^T", "matrices": "A B"}, "A^T B^T", "incorrect"),
]

TINY: list[Case] = [
    ({"expect": "x > 0"}, "x > e^(-300)", "incorrect"),
    ({"expect": "x > 0"}, "x > exp(-300)", "incorrect"),
    ({"expect": "x > 6.626e-34"}, "x > 0", "incorrect"),
    ({"expect": "x = 1/10^40"}, "x = 0", "incorrect"),
    ({"expect": "x = 2"}, "x = 2 + e^(-300)", "incorrect"),
    ({"expect": "x^2 = 4"}, "x^2 = 4 + e^(-300)", "incorrect"),
    ({"expect": "y > x"}, "y - x > e^(-300)", "incorrect"),
    ({"expect": "x > e^(-300)"}, "x - e^(-300) > 0", "correct"),
    ({"expect": "x > e^(-300)"}, "2x > 2e^(-300)", "correct"),
    ({"expect": "y > x"}, "3y > 3x", "correct"),
    ({"expect": "\\int_0^1 x^2 dx"}, "1/3 + 10^(-40)", "incorrect"),
    ({"expect": "\\int_0^1 x^2 dx"}, "1/3", "correct"),
]

NUMERIC: list[Case] = [
    ({"expect": "0", "mode": "numeric"}, "sin(pi)", "correct"),
    ({"expect": "0", "mode": "numeric"}, "cos(pi/2)", "correct"),
    ({"expect": "0", "mode": "numeric", "tolerance": "1%"}, "sin(2pi)", "correct"),
    ({"expect": "[[1,0],[0,1]]", "mode": "numeric"}, "[[1,sin(pi)],[0,1]]", "correct"),
    ({"expect": "0", "mode": "numeric"}, "exp(-200)", "incorrect"),
    ({"expect": "1e-50", "mode": "numeric"}, "0", "incorrect"),
    ({"expect": "exp(-200)", "mode": "numeric"}, "exp(-200)", "correct"),
    ({"expect": "0.3", "mode": "numeric", "factor": "3"}, "0.9", "correct"),
    ({"expect": "0.3", "mode": "numeric", "factor": "3"}, "0.9001", "incorrect"),
]

SETS: list[Case] = [
    ({"expect": "[0,oo)", "mode": "set"}, "[0,oo]", "incorrect"),
    ({"expect": "[0,oo)", "mode": "set"}, "[0, oo)", "correct"),
    ({"expect": "{a,2a}", "mode": "set"}, "{2a,a}", "correct"),
    ({"expect": "{a}", "mode": "set"}, "{a,a}", "correct"),
    ({"expect": "{x,-x}", "mode": "set"}, "{-x,x}", "correct"),
    ({"expect": "{a,2a}", "mode": "set"}, "{a}", "incorrect"),
    ({"expect": "{a,2a}", "mode": "set"}, "{a,3a}", "incorrect"),
]

ROOTS: list[Case] = [
    ({"expect": "x^(1/3)"}, "x^(2/6)", "correct"),
    ({"expect": "x^(2/3)"}, "x^(4/6)", "correct"),
    ({"expect": "1/\\sqrt[3]{x}"}, "x^(-1/3)", "correct"),
    ({"expect": "x^(-2/3)"}, "1/x^(2/3)", "correct"),
    ({"expect": "1"}, "x^(-1/3) x^(1/3)", "correct"),
    ({"expect": "x^(1/3)"}, "-x^(1/3)", "incorrect"),
    ({"expect": "x^(2/3)"}, "x^(1/3)", "incorrect"),
]

NOTATION: list[Case] = [
    ({"expect": "floor(x)"}, "\\lfloor x \\rfloor", "correct"),
    ({"expect": "ceil(x)"}, "\\lceil x \\rceil", "correct"),
    ({"expect": "floor(x)"}, "⌊x⌋", "correct"),
    ({"expect": "floor(x)"}, "⌈x⌉", "incorrect"),
    ({"expect": "floor(x)"}, "⌊x", "invalid"),
    ({"expect": "0 <= x < 1"}, "x \\in [0,1)", "correct"),
    ({"expect": "0 <= x < 1"}, "x ∈ [0,1]", "incorrect"),
    ({"expect": "x >= 2"}, "x ∈ [2, oo)", "correct"),
    ({"expect": "x = 1 or x = 2"}, "x ∈ {1, 2}", "correct"),
    ({"expect": "x = 1 or x = 2"}, "x ∈ {1, 3}", "incorrect"),
]

UNDEFINED: list[Case] = [
    # a point where a side is undefined is not a solution
    ({"expect": "y >= x^2"}, "sqrt(y) >= |x|", "correct"),
    ({"expect": "y > e^x"}, "log(y) > x", "correct"),
    ({"expect": "y >= e^x"}, "log(y) > x", "incorrect"),
    ({"expect": "y > x^2 + 1"}, "log(y - x^2) > 0", "correct"),
    ({"expect": "y > x^2 + 1"}, "log(y - x^2) >= 0", "incorrect"),
    # real odd roots in relations
    ({"expect": "x = -8"}, "x^(1/3) = -2", "correct"),
    ({"expect": "x = -1"}, "\\sqrt[3]{x} = -1", "correct"),
    ({"expect": "x = 8"}, "x^(1/3) = -2", "incorrect"),
    ({"expect": "x < -8"}, "x^(1/3) < -2", "correct"),
    ({"expect": "x > 0"}, "x^(-1/3) > 0", "correct"),
    ({"expect": "x >= 0"}, "x^(-1/3) > 0", "incorrect"),
]

PERIODIC: list[Case] = [
    ({"expect": "sin(x) = 0"}, "tan(x) = 0", "correct"),
    ({"expect": "sin(x) = 0"}, "sin(x)^2 = 0", "correct"),
    ({"expect": "sin(x) = cos(x)"}, "tan(x) = 1", "correct"),
    ({"expect": "sin(x) = 0"}, "sin(2x) = 0", "incorrect"),
    ({"expect": "sin(x) = 0"}, "cos(x) = 0", "incorrect"),
    ({"expect": "cos(x) = 1/2"}, "sin(x) = sqrt(3)/2", "incorrect"),
]

CONSTANTS: list[Case] = [
    ({"expect": "log(|x|)", "mode": "antiderivative"}, "log|C x|", "correct"),
    ({"expect": "x^2/2", "mode": "antiderivative"}, "x^2/2 + C^3", "correct"),
    # C² and e^C reach no negative shift: not every antiderivative
    ({"expect": "x^2/2", "mode": "antiderivative"}, "x^2/2 + C^2", "incorrect"),
    ({"expect": "x^2/2", "mode": "antiderivative"}, "x^2/2 + e^C", "incorrect"),
    ({"expect": "log(|x|)", "mode": "antiderivative"}, "log|C + x|", "incorrect"),
    (
        {"expect": "x^(n+1)/(n+1)", "mode": "antiderivative", "natural": "n"},
        "x^(n+1)/(n+1) + C",
        "correct",
    ),
]


@pytest.mark.parametrize(
    "cases",
    [
        PIECEWISE,
        WHOLE,
        MATRICES,
        TINY,
        NUMERIC,
        SETS,
        ROOTS,
        NOTATION,
        UNDEFINED,
        PERIODIC,
        CONSTANTS,
    ],
    ids=[
        "piecewise",
        "whole",
        "matrices",
        "tiny",
        "numeric",
        "sets",
        "roots",
        "notation",
        "undefined",
        "periodic",
        "constants",
    ],
)
def test_beyond_the_random_points(cases: list[Case]) -> None:
    _run(cases)


def test_logic_feedback_never_shows_the_expected_row() -> None:
    # for "decide p and q" cards the expectation is one row: showing a row where only it holds
    # would hand the answer over
    spec = CheckSpec.from_json({"mode": "logic", "expect": "p and not q and r"})
    for answer in ("False", "p and q and r", "not p", "q"):
        verdict = judge(spec, answer)
        assert verdict.verdict == "incorrect"
        assert "p = T, q = F, r = T" not in verdict.feedback, (answer, verdict.feedback)
    shown = judge(spec, "p").feedback
    assert shown.startswith("Not equivalent: yours holds when p = T")
