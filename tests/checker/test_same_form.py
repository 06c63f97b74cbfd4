"""Same form (form.py), with and without the padding rules, and the messages of unreadable input.

Between the links of a derivation the padding rules are off (``Canon(padding=False)``), but
notation still is notation there: a factor 1 however it is written (``x/1``, ``x·1⁻¹``, ``1^k``)
is nothing, and a quotient is a product with an inverse however it is written (``x/2``,
``(1/2)x``, ``x·2⁻¹``). Arithmetic is the other way round: ``2/4`` is not ``1/2`` there, as
``2 - 1`` is not ``1``."""

from __future__ import annotations

import pytest

from tutor.check import CheckSpec, judge, lint_spec
from tutor.check.errors import CheckInputError
from tutor.check.form import Canon
from tutor.check.parser import parse

STEP = Canon(padding=False)
PADDED = Canon()

# pairs of the same form everywhere: notation and padding that is never a step
NOTATION = [
    ("x/1", "x"),
    ("x/(1)", "x"),
    (r"\frac{x}{1}", "x"),
    ("x ÷ 1", "x"),
    ("x·1^(-1)", "x"),
    ("x·1^k", "x"),
    ("1^(n+1) x", "x"),
    ("x/1^3", "x"),
    ("x·(1^k)^m", "x"),
    ("x·√1", "x"),
    ("x^(1)", "x"),
    ("x^(1/1)", "x"),
    ("(a+b)^2/1", "(a+b)^2"),
    ("(x-1)(x+1)/1", "(x+1)(x-1)"),
    ("x/(-1)", "-x"),
    ("x/(-2)", "-x/2"),
    ("x/2", "(1/2)x"),
    ("x/2", "x·2^(-1)"),
    ("x/2", "½x"),
    ("x/2", r"\frac{1}{2} x"),
    ("4x/2", "(4/2)x"),
    ("4x/2", r"\frac{4}{2} x"),
    ("sqrt(x)", "x^(1/2)"),
    (r"\sqrt[3]{x}", "x^(1/3)"),
    ("(x+1)/2", "(1/2)(x+1)"),
    ("-1/2", "(-1)/2"),
]

# pairs that differ between links: arithmetic still to do is a step
ARITHMETIC = [
    ("2/4", "1/2"),
    ("4/2", "2"),
    ("(2/2)x", "x"),
    ("(a+b)^(4/2)", "(a+b)^2"),
    ("x + 1^2", "x + 1"),
    ("x^2 + 2·1·x + 1^2", "x^2 + 2x + 1"),
    ("x/2 + 2/2", "x/2 + 1"),
    ("x^(2/2)", "x"),
]


@pytest.mark.parametrize(("left", "right"), NOTATION)
def test_notation_is_the_same_form_between_links(left: str, right: str) -> None:
    assert STEP.same(parse(left), parse(right))
    assert PADDED.same(parse(left), parse(right))


@pytest.mark.parametrize(("left", "right"), ARITHMETIC)
def test_arithmetic_is_a_step_between_links(left: str, right: str) -> None:
    assert not STEP.same(parse(left), parse(right))
    assert PADDED.same(parse(left), parse(right))  # and padding elsewhere


@pytest.mark.parametrize("text", ["x·1^oo", "x/1^oo", "1^oo"])
def test_one_to_the_infinite_is_not_one(text: str) -> None:
    for canon in (STEP, PADDED):
        assert not canon.same(parse(text), parse("x" if "x" in text else "1"))


@pytest.mark.parametrize("text", ["2/4", "x/2", "(4/2)x", "sqrt(x)/1", "1^k x/(-3)", "x^(2/2)"])
def test_step_forms_are_stable(text: str) -> None:
    once = STEP.form(parse(text))
    assert STEP.form(once) == once


def test_a_division_by_one_is_padding_wherever_form_is_compared() -> None:
    """Ends, links, via, reject and forbid: /1 is the same padding as ·1."""
    deriv = {"mode": "derivation", "from": "(a+b)^2", "expect": "a^2 + 2ab + b^2"}
    for pad in ("/1", "*1", "/(1)", "·1^(-1)", "·1^k", "^1"):
        padded = f"(a+b)^2 = ((a+b)^2){pad} = a^2+2ab+b^2"
        verdict = judge(CheckSpec.from_json(deriv), padded)
        assert verdict.verdict == "incorrect", (pad, verdict)
        assert verdict.feedback.startswith("Show the work"), (pad, verdict)
        ends = f"((a+b)^2){pad} = (a+b)(a+b) = (a^2+2ab+b^2){pad}"
        assert judge(CheckSpec.from_json(deriv), ends).verdict == "correct", pad
        via = {**deriv, "via": "(a+b)(a+b)"}
        route = f"(a+b)^2 = ((a+b)(a+b)){pad} = a^2+2ab+b^2"
        assert judge(CheckSpec.from_json(via), route).verdict == "correct", pad
        reject = {"expect": "x + 1", "reject": "(x^2-1)/(x-1)"}
        restated = f"((x^2-1)/(x-1)){pad}"
        assert judge(CheckSpec.from_json(reject), restated).verdict == "incorrect", pad
        forbid = {"expect": "x^2 - 2x + 1", "forbid": "(x-1)^2"}
        hidden = f"((x-1)^2){pad}"
        assert judge(CheckSpec.from_json(forbid), hidden).verdict == "incorrect", pad


def test_the_linter_takes_an_unreduced_reject_line_for_what_it_is() -> None:
    spec = CheckSpec.from_json({"expect": "1/2", "reject": "2/4", "accept": "\\frac{1}{2}"})
    assert lint_spec(spec) == []
    same = CheckSpec.from_json({"expect": "x/2", "reject": "(1/2) x"})
    assert [p.key for p in lint_spec(same)] == ["reject"]


def test_grouped_and_plain_quotients_get_one_verdict() -> None:
    """4x/2 and (4/2)x are one form between links, so they are judged alike."""
    spec = {"mode": "derivation", "from": "sin(2x)", "expect": "2 sin(x) cos(x)"}
    for route in ("sin(4x/2)", "sin((4/2)x)", r"sin(\frac{4}{2}x)", "sin(4x·2^(-1))"):
        verdict = judge(CheckSpec.from_json(spec), f"sin(2x) = {route} = 2 sin(x) cos(x)")
        assert verdict.verdict == "correct", (route, verdict)


# -- messages of unreadable input: the character typed, never the token it stands for ---------

TYPED = [
    ("x^2;", "Unexpected ';'."),
    ("x;", "Unexpected ';'."),
    ("x \\\\ y", "Unexpected '\\\\'."),
    ("x \\cr", "Unexpected '\\cr'."),
    ("(x;y)", "Expected ), found ';'."),
    ("∪ x", "Unexpected '∪'."),
    ("\\cup x", "Unexpected '\\cup'."),
    ("∩ x", "Unexpected '∩'."),
    ("≤ x", "Unexpected '≤'."),
    ("\\geq x", "Unexpected '\\geq'."),
    ("÷ x", "Unexpected '÷'."),
    ("∈ x", "Unexpected '∈'."),
    ("→ x", "Unexpected '→'."),
    ("⇔ x", "Unexpected '⇔'."),
    ("∧ x", "Unexpected '∧'."),
    ("x ¬", "Unexpected '¬'."),
    ("x ~ y", "Unexpected '~'."),
    ("· x", "Unexpected '·'."),
    ("⋅ x", "Unexpected '⋅'."),
    ("\\times x", "Unexpected '\\times'."),
    ("x \\rbrace", "Unexpected '\\rbrace'."),
    ("\\rangle", "Unexpected '\\rangle'."),
    ("²", "Unexpected '²'."),
    ("<= x", "Unexpected '<='."),
    ("x)", "Unexpected ')'."),
]


@pytest.mark.parametrize(("text", "message"), TYPED)
def test_an_unexpected_character_is_named_as_typed(text: str, message: str) -> None:
    with pytest.raises(CheckInputError) as caught:
        parse(text)
    assert caught.value.message == message


def test_the_learner_sees_the_character_typed() -> None:
    verdict = judge(CheckSpec(expect="x^2"), "x^2;")
    assert verdict.verdict == "invalid"
    assert verdict.feedback == "Unexpected ';'."
    assert verdict.column == 4
