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


OPERATOR_BODIES: list[Case] = [
    # a sum's, product's, limit's or derivative's body runs over a product with functions in
    # it, as mathematics writes it: entropy is typed -\sum_i p_i \log p_i
    (
        {"expect": "-\\sum_{i=1}^{K} (p_i \\log(p_i))", "indexed": "p_1..p_K"},
        "-\\sum_{i=1}^{K} p_i \\log p_i",
        "correct",
    ),
    (
        {
            "expect": "\\sum_{i=1}^{n} (w_i f(x_i))",
            "indexed": "w_1..w_n x_1..x_n",
            "functions": "f",
        },
        "\\sum_{i=1}^{n} w_i f(x_i)",
        "correct",
    ),
    ({"expect": "\\prod_{k=1}^{3} (k \\exp(k))"}, "\\prod_{k=1}^{3} k \\exp k", "correct"),
    # … and ends at + or −, and a function's own argument still ends at the next function
    ({"expect": "\\sum_{i=1}^{3} i + 1"}, "\\sum_{i=1}^{3} i + 1", "correct"),
    ({"expect": "\\sum_{i=1}^{3} (i + 1)"}, "\\sum_{i=1}^{3} i + 1", "incorrect"),
    ({"expect": "sin(x) cos(x)"}, "\\sin x \\cos x", "correct"),
    # a Greek family, declared in Unicode or LaTeX, summed over another index letter
    (
        {"expect": "\\sum_{i=1}^{n} λ_i a_i^2", "indexed": "a_1..a_n λ_1..λ_n"},
        "\\sum_{k=1}^{n} λ_k a_k^2",
        "correct",
    ),
    (
        {"expect": "\\sum_{i=1}^{n} λ_i a_i^2", "indexed": "a_1..a_n \\lambda_1..\\lambda_n"},
        "\\sum_{k=1}^{n} \\lambda_k a_k^2",
        "correct",
    ),
    (
        {"expect": "\\sum_{i=1}^{n} λ_i a_i^2", "indexed": "a_1..a_n λ_1..λ_n"},
        "\\sum_{k=1}^{n} λ_k a_k",
        "incorrect",
    ),
    ({"expect": "sin(x cos(x))"}, "\\sin x \\cos x", "incorrect"),
]


def test_an_operators_body_runs_over_a_product_with_functions() -> None:
    _run(OPERATOR_BODIES)
    limit = judge(CheckSpec.from_json({"expect": "0"}), "\\lim_{x \\to 0} x \\log x")
    assert limit.read_as == "lim_{x -> 0} (x log(x))"
    ends = judge(CheckSpec.from_json({"expect": "0"}), "\\lim_{h \\to 0} x^2 + h")
    assert ends.read_as == "lim_{h -> 0} (x^2) + h"
    for written in ("d/dx x \\sin x", "\\frac{d}{dx} x \\sin x"):
        derivative = judge(CheckSpec.from_json({"expect": "0"}), written)
        assert derivative.read_as == "\\frac{d}{dx}(x sin(x))", written
    sine = judge(CheckSpec.from_json({"expect": "0"}), "\\frac{d}{dx} \\sin x + 1")
    assert sine.read_as == "\\frac{d}{dx}(sin(x)) + 1"


def test_a_decimal_inside_a_product_is_judged_beside_reject_lines() -> None:
    """The restatement rules compare an answer's canonical form with each `reject`; a decimal
    in a denominator's product (0.03²) made that comparison fail, and correct answers came back
    undecided."""
    fields = {"mode": "numeric", "expect": "1/(2*0.03^2)", "reject": ["1"], "tolerance": "1%"}
    _run(
        [
            (fields, "555.5555555556", "correct"),
            (fields, "1/(2*0.03^2)", "correct"),
            (fields, "1/(2*0.03*0.03)", "correct"),
            (fields, "ln(200)/(2*0.03^2)", "incorrect"),
            (fields, "1", "incorrect"),
            (
                {"mode": "numeric", "expect": "1.96^2*0.8*0.2/0.02^2", "reject": ["0.8", "0.2"]},
                "1.96^2*0.8*0.2/(0.02*0.02)",
                "correct",
            ),
        ]
    )


def test_a_point_too_large_to_evaluate_is_passed_over_not_the_whole_answer() -> None:
    """One wide sample point makes e^(-x y²) a power too large to check: the point proves
    nothing, the others decide (it was `undecided` for a correct answer)."""
    _run(
        [
            ({"expect": "e^{-x y^2}", "positive": "x y"}, "exp(-x y^2)", "correct"),
            ({"expect": "e^{-x y^2}", "positive": "x y"}, "exp(-x y)", "incorrect"),
            ({"expect": "2 e^{-2 n ε^2}", "positive": "n ε"}, "2 exp(-2 n ε^2)", "correct"),
            ({"expect": "2 e^{-2 n ε^2}", "positive": "n ε"}, "2 exp(-2 n ε)", "incorrect"),
            ({"expect": "e^{x^3}"}, "e^{x^3} + 1", "incorrect"),
        ]
    )


# Terms that are too large to evaluate at all but a point or two: agreeing where they can be
# evaluated is no evidence (`n!!!` is n at n = 1 and 2, and 720! already past 3).
TOO_LARGE_TO_SEE: list[tuple[dict[str, Any], str]] = [
    ({"expect": "2^n", "natural": "n"}, "n + n!!!"),
    ({"expect": "2^n", "natural": "n"}, "n!!! + n!!!"),
    ({"expect": "x^2"}, "x^2 + x!!! - x"),
    ({"expect": "n", "natural": "n"}, "n + n^(n^(n^(n^n))) - 1"),
    ({"expect": "n^2", "natural": "n"}, "n^2 + (n!)!! - n!"),
    ({"expect": "3n", "natural": "n"}, "2n + ((n!)!)!"),
    ({"expect": "n + 1", "integer": "n"}, "n + binomial(n!!!, 1)"),
]


@pytest.mark.parametrize(("fields", "answer"), TOO_LARGE_TO_SEE)
def test_agreeing_only_where_a_giant_term_can_be_evaluated_is_never_correct(
    fields: dict[str, Any], answer: str
) -> None:
    verdict = judge(CheckSpec.from_json(fields), answer)
    assert verdict.verdict in ("incorrect", "undecided"), verdict


@pytest.mark.parametrize(
    ("fields", "answer"),
    [
        ({"expect": "n!", "natural": "n"}, "n (n-1)!"),
        ({"expect": "(2n)!/(n!)^2", "natural": "n"}, "binomial(2n, n)"),
        ({"expect": "2^(2^n)", "natural": "n"}, "4^(2^(n-1))"),
        ({"expect": "e^(x^2)"}, "exp(x)^x"),
    ],
)
def test_fast_growing_right_answers_are_still_correct(fields: dict[str, Any], answer: str) -> None:
    assert judge(CheckSpec.from_json(fields), answer).verdict == "correct"
