"""Relations decided by their solution sets, declared domains, disjunctions, intervals, the
special sample points for powers of negative bases, and constants of integration.

Every fix comes with near misses that must stay incorrect: a false accept is far worse than
a false reject."""

from __future__ import annotations

import random
from typing import Any

import mpmath
import pytest

from tutor.check import CheckSpec, judge
from tutor.check.domains import MAX_SPECIAL, SPECIAL_PARTS, Domains, draw, make_env, special_draws
from tutor.check.errors import Undefined
from tutor.check.parser import parse
from tutor.check.values import evaluate

Case = tuple[dict[str, Any], str, str]


def _verdict(fields: dict[str, Any], answer: str) -> str:
    return judge(CheckSpec.from_json(fields), answer).verdict


def _run(cases: list[Case]) -> None:
    for fields, answer, want in cases:
        verdict = judge(CheckSpec.from_json(fields), answer)
        assert verdict.verdict == want, (fields, answer, verdict)


# 1. intervals against intervals ------------------------------------------------------------

INTERVALS: list[Case] = [
    ({"expect": "[0,1)"}, "[0, 1)", "correct"),
    ({"expect": "[0,1)"}, "[0,1)", "correct"),
    ({"expect": "[1/2, 1)"}, "[2/4, 1)", "correct"),
    ({"expect": "[sqrt(2), 2)"}, "[2^(1/2), 2)", "correct"),
    ({"expect": "[0, oo)"}, "[0, ∞)", "correct"),
    ({"expect": "(-oo, 2]"}, "(-∞, 2]", "correct"),
    ({"expect": "[a, b)"}, "[a, b)", "correct"),
    ({"expect": "[0, 2a)"}, "[0, a + a)", "correct"),
    ({"expect": "[0,1)"}, "[0, 1/2] ∪ (1/2, 1)", "correct"),
    ({"expect": "[0,1)"}, "0 <= x < 1", "correct"),
    ({"expect": "0 <= x < 1"}, "[0, 1)", "correct"),
    # near misses
    ({"expect": "[0,1)"}, "(0, 1)", "incorrect"),
    ({"expect": "[0,1)"}, "[0, 1]", "incorrect"),
    ({"expect": "[0,1)"}, "(0, 1]", "incorrect"),
    ({"expect": "[0,1)"}, "[0, 2)", "incorrect"),
    ({"expect": "[0,1)"}, "[1, 0)", "incorrect"),
    ({"expect": "[0,1)"}, "[0, 0.999)", "incorrect"),
    ({"expect": "[0, oo)"}, "[0, ∞]", "incorrect"),
    ({"expect": "[0, oo)"}, "(0, ∞)", "incorrect"),
    ({"expect": "[0, oo)"}, "[0, 1000)", "incorrect"),
    ({"expect": "(-oo, 2]"}, "(-∞, 2)", "incorrect"),
    ({"expect": "[a, b)"}, "[b, a)", "incorrect"),
    ({"expect": "[a, b)"}, "[a, b]", "incorrect"),
    ({"expect": "[0,1)"}, "[0, 1/2] ∪ [1/2, 1]", "incorrect"),
    ({"expect": "[0,1)"}, "0 < x < 1", "incorrect"),
]


def test_interval_against_interval() -> None:
    _run(INTERVALS)


def test_interval_feedback_names_what_is_wrong() -> None:
    brackets = judge(CheckSpec(expect="[0,1)"), "[0, 1]").feedback
    assert "open" in brackets and "closed" in brackets
    assert "right end point" in judge(CheckSpec(expect="[0,1)"), "[0, 2)").feedback
    assert "left end point" in judge(CheckSpec(expect="[0,1)"), "[-1, 1)").feedback
    assert "∞" in judge(CheckSpec(expect="[0, oo)"), "[0, ∞]").feedback


# 2. relations in several variables ---------------------------------------------------------

SEVERAL: list[Case] = [
    ({"expect": "|x - a| < r"}, "a - r < x < a + r", "correct"),
    ({"expect": "|x - a| < r", "real": "x a r"}, "a - r < x < a + r", "correct"),
    ({"expect": "|x - a| < r", "positive": "r"}, "a - r < x < a + r", "correct"),
    ({"expect": "|x - a| < r", "positive": "r"}, "(x - a)^2 < r^2", "correct"),
    ({"expect": "|x - a| < r"}, "x - a < r ∧ a - x < r", "correct"),
    ({"expect": "|x - a| <= r"}, "a - r <= x <= a + r", "correct"),
    ({"expect": "x y > 0"}, "(x > 0 ∧ y > 0) ∨ (x < 0 ∧ y < 0)", "correct"),
    ({"expect": "x y >= 0"}, "(x >= 0 ∧ y >= 0) ∨ (x <= 0 ∧ y <= 0)", "correct"),
    ({"expect": "x^2 + y^2 = 0"}, "x = 0 ∧ y = 0", "correct"),
    ({"expect": "a x = a b"}, "x = b ∨ a = 0", "correct"),
    ({"expect": "y = x^2"}, "x = sqrt(y) ∨ x = -sqrt(y)", "correct"),
    ({"expect": "x/y < 1", "positive": "y"}, "x < y", "correct"),
    ({"expect": "[a, b)"}, "a <= x < b", "correct"),
    # near misses
    ({"expect": "|x - a| < r"}, "a - r <= x < a + r", "incorrect"),
    ({"expect": "|x - a| < r"}, "a - r < x <= a + r", "incorrect"),
    ({"expect": "|x - a| < r"}, "a - r < x < a - r", "incorrect"),
    ({"expect": "|x - a| < r"}, "x - r < a < x + r ∧ r > 1", "incorrect"),
    ({"expect": "|x - a| < r", "positive": "r"}, "a - r < x < a + 2r", "incorrect"),
    ({"expect": "|x - a| <= r", "positive": "r"}, "a - r < x < a + r", "incorrect"),
    # r may be negative: then |x - a| < r has no solution, (x - a)^2 < r^2 has some
    ({"expect": "|x - a| < r"}, "(x - a)^2 < r^2", "incorrect"),
    ({"expect": "x y >= 0"}, "(x > 0 ∧ y > 0) ∨ (x < 0 ∧ y < 0)", "incorrect"),
    ({"expect": "x^2 + y^2 = 0"}, "x = 0", "incorrect"),
    ({"expect": "x^2 + y^2 > 0 ∧ x < 5"}, "x^2 + y^2 >= 0 ∧ x < 5", "incorrect"),
    # dividing by a parameter that may be zero: differs only at a = 0
    ({"expect": "a x = a b"}, "x = b", "incorrect"),
    ({"expect": "(a - c) x = (a - c) b"}, "x = b", "incorrect"),
    ({"expect": "y = x^2"}, "x = sqrt(y)", "incorrect"),
    ({"expect": "x/y < 1"}, "x < y", "incorrect"),
    ({"expect": "y = 2x + 1"}, "x = 2y + 1", "incorrect"),
    ({"expect": "x < y"}, "x <= y", "incorrect"),
]


def test_relations_in_several_variables() -> None:
    _run(SEVERAL)


def test_relations_with_periodic_functions_are_not_guessed() -> None:
    # a rearrangement is still recognised, but nothing is accepted from one period of sin
    assert _verdict({"expect": "sin(x) = 1/2"}, "2 sin(x) = 1") == "correct"
    assert _verdict({"expect": "sin(x) < 0"}, "pi < x < 2 pi") != "correct"
    assert _verdict({"expect": "sin(x) a < 0"}, "pi < x < 2 pi ∧ a > 0") != "correct"


# 3. declared domains -----------------------------------------------------------------------

DOMAINS: list[Case] = [
    ({"expect": "x^2 > 1", "positive": "x"}, "x > 1", "correct"),
    ({"expect": "x^2 > 1", "positive": "x"}, "x^2 - 1 > 0", "correct"),
    ({"expect": "2^n > 1000", "natural": "n"}, "n >= 10", "correct"),
    ({"expect": "2^n > 1000", "natural": "n"}, "n > 9", "correct"),
    ({"expect": "k^2 < 10", "integer": "k"}, "-3 <= k <= 3", "correct"),
    ({"expect": "k^2 < 10", "integer": "k"}, "-4 < k < 4", "correct"),
    ({"expect": "k^2 <= 4", "integer": "k"}, "k = -2 ∨ k = -1 ∨ k = 0 ∨ k = 1 ∨ k = 2", "correct"),
    ({"expect": "n^2 > 2n", "natural": "n"}, "n >= 3", "correct"),
    ({"expect": "x^2 = 4", "positive": "x"}, "x = 2", "correct"),
    ({"expect": "x y > 0", "positive": "x"}, "y > 0", "correct"),
    ({"expect": "log(x) > 0"}, "x > 1", "correct"),
    ({"expect": "e^x > 1"}, "x > 0", "correct"),
    ({"expect": "sqrt(x) < 2"}, "0 <= x < 4", "correct"),
    # near misses
    ({"expect": "x^2 > 1"}, "x > 1", "incorrect"),
    ({"expect": "x^2 > 1", "positive": "x"}, "x >= 1", "incorrect"),
    ({"expect": "x^2 > 1", "positive": "x"}, "x > 1/2", "incorrect"),
    ({"expect": "2^n > 1000", "natural": "n"}, "n > 10", "incorrect"),
    ({"expect": "2^n > 1000", "natural": "n"}, "n >= 9", "incorrect"),
    ({"expect": "2^n > 1000"}, "n >= 10", "incorrect"),
    ({"expect": "k^2 < 10", "integer": "k"}, "-3 < k < 3", "incorrect"),
    ({"expect": "k^2 < 10", "integer": "k"}, "0 <= k <= 3", "incorrect"),
    ({"expect": "k^2 < 10", "natural": "k"}, "-3 <= k <= 3", "correct"),
    ({"expect": "k^2 <= 4", "integer": "k"}, "k = -2 ∨ k = -1 ∨ k = 1 ∨ k = 2", "incorrect"),
    ({"expect": "n^2 > 2n", "natural": "n"}, "n >= 2", "incorrect"),
    ({"expect": "x^2 = 4"}, "x = 2", "incorrect"),
    ({"expect": "x y > 0", "positive": "x"}, "y >= 0", "incorrect"),
    ({"expect": "sqrt(x) < 2"}, "x < 4", "incorrect"),
    ({"expect": "log(x) > 0"}, "x >= 1", "incorrect"),
]


def test_declared_domains_restrict_the_solutions() -> None:
    _run(DOMAINS)


def test_naturals_start_at_one_in_relations() -> None:
    # the check language's naturals are the positive whole numbers, as they are sampled
    assert _verdict({"expect": "n >= 1", "natural": "n"}, "n > 0") == "correct"
    assert _verdict({"expect": "n >= 1", "natural": "n"}, "n >= 0") == "correct"
    assert _verdict({"expect": "n >= 2", "natural": "n"}, "n >= 1") == "incorrect"
    assert _verdict({"expect": "n^2 >= n", "natural": "n"}, "n >= 0") == "correct"
    assert _verdict({"expect": "n = 1 or n = 2", "natural": "n"}, "n <= 2") == "correct"
    assert _verdict({"expect": "n <= 2", "natural": "n"}, "n < 2") == "incorrect"


# Relations in one whole number that no solver handles (exponentials, factorials) are
# compared at every whole number up to 200 and beyond by the limits of their atoms.
WHOLE: list[Case] = [
    ({"expect": "n >= 10", "natural": "n"}, "2^n > n^3 and n > 1", "correct"),
    ({"expect": "n >= 10", "natural": "n"}, "2^n > n^3", "incorrect"),  # n = 1 too
    ({"expect": "n >= 4", "natural": "n"}, "n! > 2^n", "correct"),
    ({"expect": "n >= 4", "natural": "n"}, "n! >= 2^n", "correct"),
    ({"expect": "n >= 3", "natural": "n"}, "n! >= 2^n", "incorrect"),
    ({"expect": "n <= 2", "natural": "n"}, "2^n <= 2n", "correct"),
    ({"expect": "n = 1 or n = 2", "natural": "n"}, "2^n = 2n", "correct"),
    ({"expect": "n = 1", "natural": "n"}, "2^n = 2n", "incorrect"),
    ({"expect": "n >= 5", "natural": "n"}, "2^n > n^2 and n >= 3", "correct"),
    ({"expect": "n >= 1", "natural": "n"}, "2^n > n^40", "incorrect"),  # false from n = 2
    ({"expect": "m >= 0", "integer": "m"}, "3^m >= 1", "correct"),
    ({"expect": "m >= 1", "integer": "m"}, "3^m >= 1", "incorrect"),
    ({"expect": "m != 0", "integer": "m"}, "2^(m^2) > 1", "correct"),
]


def test_whole_number_relations_beyond_the_solvers() -> None:
    _run(WHOLE)


# 4. disjunctions and conjunctions ----------------------------------------------------------

LOGIC: list[Case] = [
    ({"expect": "x^2 = 4"}, "x = 2 ∨ x = -2", "correct"),
    ({"expect": "x^2 = 4"}, "x = -2 \\lor x = 2", "correct"),
    ({"expect": "x^2 = 4"}, "x = 2 ∨ x = -2 ∨ x = 2", "correct"),
    ({"expect": "x^2 = 4"}, "|x| = 2", "correct"),
    ({"expect": "x = 2 ∨ x = -2"}, "x^2 = 4", "correct"),
    ({"expect": "x = 2 \\lor x = -2"}, "(x - 2)(x + 2) = 0", "correct"),
    ({"expect": "x^2 > 4"}, "x > 2 ∨ x < -2", "correct"),
    ({"expect": "x^2 > 4"}, "x < -2 \\lor x > 2", "correct"),
    ({"expect": "x^2 > 4"}, "(-oo, -2) ∪ (2, oo)", "correct"),
    ({"expect": "x^2 < 4"}, "x > -2 ∧ x < 2", "correct"),
    ({"expect": "x^2 < 4"}, "x > -2 \\land x < 2", "correct"),
    ({"expect": "x != 2"}, "x < 2 ∨ x > 2", "correct"),
    ({"expect": "x >= 1"}, "¬(x < 1)", "correct"),
    ({"expect": "x^2 - 2 = 0"}, "x = sqrt(2) ∨ x = -sqrt(2)", "correct"),
    ({"expect": "|x - 1| + |x + 1| = 2"}, "-1 <= x <= 1", "correct"),
    ({"expect": "x^3 = x"}, "x = 0 ∨ x = 1 ∨ x = -1", "correct"),
    # near misses
    ({"expect": "x^2 = 4"}, "x = 2 ∨ x = 3", "incorrect"),
    ({"expect": "x^2 = 4"}, "x = 2", "incorrect"),
    ({"expect": "x^2 = 4"}, "x = 2 ∧ x = -2", "incorrect"),
    ({"expect": "x^2 = 4"}, "x = 2 ∨ x = -2 ∨ x = 0", "incorrect"),
    ({"expect": "x = 2 ∨ x = -2"}, "x^2 = 2", "incorrect"),
    ({"expect": "x = 2 ∨ x = -2"}, "x = 2", "incorrect"),
    ({"expect": "x^2 > 4"}, "x >= 2 ∨ x < -2", "incorrect"),
    ({"expect": "x^2 > 4"}, "x > 2 ∧ x < -2", "incorrect"),
    ({"expect": "x^2 > 4"}, "x > 2", "incorrect"),
    ({"expect": "x^2 > 4"}, "(-oo, -2] ∪ (2, oo)", "incorrect"),
    ({"expect": "x^2 < 4"}, "x > -2 ∨ x < 2", "incorrect"),
    ({"expect": "x != 2"}, "x < 2 ∧ x > 2", "incorrect"),
    ({"expect": "x >= 1"}, "¬(x <= 1)", "incorrect"),
    ({"expect": "x^2 - 2 = 0"}, "x = 1.41421356 ∨ x = -1.41421356", "incorrect"),
    ({"expect": "|x - 1| + |x + 1| = 2"}, "-1 < x <= 1", "incorrect"),
    ({"expect": "x^3 = x"}, "x = 1 ∨ x = -1", "incorrect"),
]


def test_disjunctions_and_conjunctions_of_relations() -> None:
    _run(LOGIC)


def test_feedback_says_whether_solutions_are_missing_or_extra() -> None:
    assert "missing" in judge(CheckSpec(expect="x^2 = 4"), "x = 2").feedback
    assert "not solutions" in judge(CheckSpec(expect="x = 2"), "x = 2 ∨ x = 3").feedback
    strict = judge(CheckSpec(expect="x^2 > 4"), "x >= 2 ∨ x < -2").feedback
    assert "strict" in strict or "end points" in strict


# undefined points are not solutions --------------------------------------------------------

UNDEFINED: list[Case] = [
    ({"expect": "1/x > 1"}, "0 < x < 1", "correct"),
    ({"expect": "(x^2 - 1)/(x - 1) = 2"}, "x^2 < 0", "correct"),
    ({"expect": "x/x = 1"}, "x != 0", "correct"),
    ({"expect": "1/x > 1"}, "x < 1", "incorrect"),
    ({"expect": "(x^2 - 1)/(x - 1) = 2"}, "x = 1", "incorrect"),
    ({"expect": "x/x = 1"}, "x = x", "incorrect"),
    ({"expect": "x - 1 < 0"}, "(x^2 - 1)/(x + 1) < 0", "incorrect"),
]


def test_a_point_where_a_side_is_undefined_is_not_a_solution() -> None:
    _run(UNDEFINED)


def test_relations_between_numbers_compare_their_truth() -> None:
    assert _verdict({"expect": "1 < 2"}, "0 < 2") == "correct"
    assert _verdict({"expect": "1 < 2"}, "3 < 2") == "incorrect"
    assert _verdict({"expect": "2 = 2"}, "1 = 2") == "incorrect"
    assert _verdict({"expect": "pi > 3"}, "e > 3") == "incorrect"


def test_existing_relation_cases_still_hold() -> None:
    _run(
        [
            ({"expect": "x = 2"}, "2x = 4", "correct"),
            ({"expect": "x = 2"}, "x^2 = 4", "incorrect"),
            ({"expect": "y = 2x + 1"}, "2x - y + 1 = 0", "correct"),
            ({"expect": "-1 < x < 1"}, "x^2 < 1", "correct"),
            ({"expect": "-1 < x < 1"}, "x^2 <= 1", "incorrect"),
            ({"expect": "x < y"}, "2x < 2y", "correct"),
            ({"expect": "x < y"}, "y < x", "incorrect"),
        ]
    )


# 5. powers of negative bases: the special sample points ------------------------------------

REAL = Domains()


def _value(text: str, env: Any) -> Any:
    try:
        return evaluate(parse(text), env)
    except (Undefined, ZeroDivisionError):
        return None


def _special_envs(names: set[str], domains: Domains = REAL) -> list[Any]:
    ctx = mpmath.MPContext()
    ctx.dps = 40
    return [make_env(domains, s, ctx) for s in special_draws(domains, names, random.Random(7))]


def test_random_points_never_see_the_negative_base_of_a_real_power() -> None:
    """Why (a^b)^c passed for a^(bc): at random points b is never an integer, so a^b is
    undefined for every negative a, and both sides agree wherever they are defined."""
    ctx = mpmath.MPContext()
    ctx.dps = 40
    rng = random.Random(1)
    for trial in range(200):
        env = make_env(REAL, draw(REAL, {"a", "b", "c"}, rng, trial), ctx)
        left, right = _value("(a^b)^c", env), _value("a^(b c)", env)
        if left is not None and right is not None:
            assert env.values["a"] > 0
            assert abs(left - right) <= 1e-25 * max(1, abs(left))


def test_special_points_expose_powers_of_negative_bases() -> None:
    for wrong, right, names in [
        ("(a^b)^c", "a^(b c)", {"a", "b", "c"}),
        ("sqrt(a^b)", "a^(b/2)", {"a", "b"}),
        ("(a^b)^(1/b)", "a", {"a", "b"}),
        ("(a^2)^c", "a^(2c)", {"a", "c"}),
    ]:
        differences = 0
        for env in _special_envs(names):
            left, right_value = _value(wrong, env), _value(right, env)
            if left is not None and right_value is not None and abs(left - right_value) > 1e-20:
                differences += 1
        assert differences > 0, (wrong, right)


TRUE_IDENTITIES = [
    ("sqrt(x^2)", "|x|", {}),
    ("(x^2)^(1/2)", "|x|", {}),
    ("x^(1/3)", "-(-x)^(1/3)", {}),
    ("(x^3)^(1/3)", "x", {}),
    ("(x^2)^(1/2)", "x", {"x": "positive"}),
    ("e^(b log a)", "a^b", {"a": "positive"}),
    ("log(a b)", "log(a) + log(b)", {"a": "positive", "b": "positive"}),
    ("log(a^b)", "b log(a)", {"a": "positive"}),
    ("a^b a^c", "a^(b + c)", {}),
    ("a^(-b)", "1/a^b", {}),
    ("x^b/x^c", "x^(b - c)", {}),
    ("(a b)^c", "a^c b^c", {"a": "positive", "b": "positive"}),
    ("(a^b)^c", "a^(b c)", {"a": "positive"}),
    ("(x^b)^(1/b)", "x", {"x": "positive"}),
    ("(x^2 - 1)/(x - 1)", "x + 1", {}),
    ("sin(x)^2 + cos(x)^2", "1", {}),
    ("exp(a + b)", "exp(a) exp(b)", {}),
    ("|a b|", "|a| |b|", {}),
    ("((n+1)^(1/(n+1)))^(n+2)/(n+2)", "(n+1)^((n+2)/(n+1))/(n+2)", {"n": "natural"}),
]


@pytest.mark.parametrize(("left", "right", "kinds"), TRUE_IDENTITIES)
def test_special_points_do_not_reject_true_identities(
    left: str, right: str, kinds: dict[str, str]
) -> None:
    """At a special point, a side may be undefined (that proves nothing); where both sides are
    defined they agree, so the special points cannot turn a true identity into a reject."""
    names = {n for text in (left, right) for n in _names(text)}
    domains = Domains(kinds=dict(kinds))
    for env in _special_envs(names, domains):
        a, b = _value(left, env), _value(right, env)
        if a is not None and b is not None:
            assert abs(a - b) <= 1e-25 * max(1, abs(a)), (left, right, env.values)


def _names(text: str) -> set[str]:
    from tutor.check.nodes import free_names

    return free_names(parse(text))


def test_special_draws_cover_every_assignment_of_parts() -> None:
    samples = special_draws(REAL, {"a", "b", "c"}, random.Random(3))
    assert len(samples) == len(SPECIAL_PARTS) ** 3 == 64
    for name in "abc":
        values = {s.scalars[name][0] / 2 ** s.scalars[name][1] for s in samples}
        assert any(v < 0 for v in values)
        assert values & {2, -2}
        assert values & {0.5, -0.5, 1.5}
        assert 0 in values
    positive = Domains(kinds={"a": "positive"})
    for sample in special_draws(positive, {"a", "b"}, random.Random(3)):
        assert sample.scalars["a"][0] > 0
    assert special_draws(Domains(kinds={"n": "natural"}), {"n"}, random.Random(3)) == []
    four = special_draws(REAL, {"a", "b", "c", "d"}, random.Random(3))
    assert len(four) == MAX_SPECIAL


def test_real_powers_of_negative_bases_are_judged_different() -> None:
    assert _verdict({"expect": "a^(b c)"}, "(a^b)^c") == "incorrect"


def test_real_powers_with_a_positive_base_are_still_equal() -> None:
    assert _verdict({"expect": "a^(b c)", "positive": "a"}, "(a^b)^c") == "correct"
    natural = {"expect": "((n+1)^(1/(n+1)))^(n+2)/(n+2)", "natural": "n"}
    assert _verdict(natural, "(n+1)^((n+2)/(n+1))/(n+2)") == "correct"


# 6. constants of integration ---------------------------------------------------------------

ANTI: list[Case] = [
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(x) + c", "correct"),
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(x) + C", "correct"),
    ({"expect": "log(x)", "mode": "antiderivative"}, "ln(x) + K", "correct"),
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(2x) + c", "correct"),
    ({"expect": "sqrt(x)", "mode": "antiderivative"}, "sqrt(x) + c", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + 3c", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + 2C", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + K", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + C_1", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 - C/2", "correct"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "C + x^3/3", "correct"),
    ({"expect": "x^3/3 + C", "mode": "antiderivative"}, "x^3/3 + C", "correct"),
    ({"expect": "x^3/3 + C", "mode": "antiderivative"}, "x³/3 + c", "correct"),
    ({"expect": "a x^2/2", "mode": "antiderivative", "real": "a"}, "a x^2/2 + C", "correct"),
    # near misses
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(x)", "incorrect"),
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(x) + x c", "incorrect"),
    ({"expect": "log(x)", "mode": "antiderivative"}, "log(x) + 1", "incorrect"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + C^2", "incorrect"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + 0 C", "incorrect"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3/3 + e^C", "incorrect"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^3 + 3C", "incorrect"),
    ({"expect": "x^3/3", "mode": "antiderivative"}, "x^2 + C", "incorrect"),
    # a name that is part of the question is not a free constant
    ({"expect": "a x^2/2", "mode": "antiderivative"}, "a x^2/2 + a", "incorrect"),
    ({"expect": "a x^2/2", "mode": "antiderivative", "real": "a"}, "a x^2/2 + a", "incorrect"),
    ({"expect": "x^2/2", "mode": "antiderivative", "real": "a"}, "x^2/2 + a", "incorrect"),
    ({"expect": "x^2/2", "mode": "antiderivative", "positive": "k"}, "x^2/2 + k", "incorrect"),
]


def test_constants_of_integration() -> None:
    _run(ANTI)


def test_the_constant_is_named_in_the_feedback() -> None:
    verdict = judge(CheckSpec(expect="log(x)", mode="antiderivative"), "log(x) + 3c")
    assert verdict.verdict == "correct"
    assert "c" in verdict.feedback
    missing = judge(CheckSpec(expect="x^3/3", mode="antiderivative"), "x^3/3 + C^2")
    assert "constant of integration" in missing.feedback
