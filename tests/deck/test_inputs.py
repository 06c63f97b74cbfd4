"""Drawn numbers in a deck (deck-format.md, "Drawn numbers"): `input` lines and their errors,
placeholders and their formulas, the values a card shows, and the problems the parser reports,
hostile decks included. No checker here: tests/deck/test_drawcheck.py judges blocks over draws."""

from __future__ import annotations

import random
import time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.deck.formula import FormulaError, parse_formula, show
from tutor.deck.inputs import (
    MAX_INPUTS,
    MAX_PROBLEMS,
    Input,
    InputError,
    card_inputs,
    draw,
    from_saved,
    instantiate,
    parse_input,
    sample_draws,
    stated_card,
    stated_values,
    to_saved,
)
from tutor.deck.model import Card, Collection
from tutor.deck.parser import parse_text
from tutor.deck.show import render_card

F = Fraction


def deck(card: str) -> str:
    return f"---\nid: drawn\ntitle: Drawn\n---\n\n# Drawn\n\n{card}"


RATE = """\
## Requests per second
id: rate
kind: estimate

A request costs {{ms}} ms of CPU and the server has {{cores}} cores. How many requests per
second can it serve?

### Answer
${{cores}} / {{ms/1000}} = {{cores*1000/ms}}$ requests per second.

```check
mode: numeric
input: cores = 16 in {4, 8, 16, 32, 64}
input: ms = 20 in 5..50 step 5
expect: {{cores}}*1000/{{ms}}
factor: 1.5
accept: {{cores*1000/ms}}
accept: {{cores}}/{{ms/1000}}
reject: {{1000/ms}}
reject: {{cores*10000/ms}}
mistake: {{1000/ms}} => That is one core; there are {{cores}}.
```

### Hints
1. One core serves $1000/{{ms}}$ requests a second.
"""


def parsed(card: str) -> tuple[Card, list[str]]:
    found, problems = parse_text(deck(card), "drawn.md")
    assert found is not None, [str(p) for p in problems]
    return found.cards[0], [str(p) for p in problems]


# -- input lines -----------------------------------------------------------------------------------


def test_a_range_with_a_step_draws_every_step_between_its_ends() -> None:
    item = parse_input("n = 2000 in 500..5000 step 500")
    assert (item.name, item.stated, item.count) == ("n", F(2000), 10)
    assert [item.value(i) for i in (0, 1, 9)] == [F(500), F(1000), F(5000)]
    assert item.holds(F(2500)) and not item.holds(F(2400)) and not item.holds(F(5500))


def test_without_a_step_a_range_steps_by_its_last_written_decimal() -> None:
    item = parse_input("p = 0.7 in 0.55..0.95")
    assert item.step == F(1, 100) and item.count == 41
    assert parse_input("k = 3 in 1..9").step == 1


def test_a_list_draws_one_of_its_values() -> None:
    item = parse_input("sides = 6 in {4, 6, 8, 12, 20}")
    assert item.count == 5 and item.ends == (F(4), F(20))
    rng = random.Random(1)
    assert {item.draw(rng) for _ in range(200)} == {F(4), F(6), F(8), F(12), F(20)}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("q = 1 in 5..1", "input 'q': the range 5..1 is empty"),
        ("r = 1 in 0..10 step 3", "input 'r': 10 is not 0 plus a whole number of steps of 3"),
        ("s = 0 in 0..1 step 0", "input 's': the step must be positive"),
        ("t = 0.33 in 0..1 step 0.25", "input 't': the stated value 0.33 is not one of"),
        ("u = 7 in 1..5", "input 'u': the stated value 7 is not one of"),
        ("v = 1 in 1..1e9", "input 'v': the high end '1e9' is not a decimal number"),
        ("w = 1 in 0..10000000000000", "input 'w': the high end"),
        ("x = 1 in 0..1000000 step 0.000001", "more than 1,000,000 values"),
        ("y = 0.1 in 0..1 step 0.0000001", "more than 6 decimals"),
        ("z = 2 in {}", "input 'z' has an empty list of values"),
        ("z = 2 in {2, 2}", "input 'z' lists a value twice"),
        ("sqrt = 2 in 1..3", "is the name of a function"),
        ("2x = 2 in 1..3", "must be a letter followed by"),
        ("n is between 1 and 3", "input: cannot read"),
        ("n = 1 in 1..3 step", "input: cannot read"),
    ],
)
def test_an_input_that_cannot_be_drawn_says_why_in_one_line(line: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_input(line)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


# -- formulas --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "in_check"),
    [
        ("p", "0.7", "0.7"),
        ("100*p", "70", "70"),
        ("p*(1 - p)/n", "0.000105", "0.000105"),
        ("sqrt(p*(1 - p)/n) | 3", "0.0102", "0.0102"),
        ("1/3", "0.3333", "(1/3)"),
        ("-n", "-2000", "(-2000)"),
        ("2^3^2", "512", "512"),
        ("-2^2", "-4", "(-4)"),
        ("sqrt(4/9)", "0.6667", "(2/3)"),
        ("min(p, 0.5) + max(1, 2, 3)", "3.5", "3.5"),
        ("round(2.5) + floor(-0.5) + ceil(0.2) + abs(-1)", "4", "4"),
        ("p/n/1000", "3.5e-7", "0.00000035"),
        ("sqrt(2)/10^8", "1.414e-8", "(1.4142135623731e-8)"),
    ],
)
def test_a_formula_is_exact_where_it_can_be_and_shown_as_placed(
    text: str, shown: str, in_check: str
) -> None:
    formula = parse_formula(text)
    value = formula.value({"p": F(7, 10), "n": F(2000)})
    assert show(value, formula.digits) == shown
    assert show(value, formula.digits, in_check=True) == in_check


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1/(p - 0.7)", "a division by zero"),
        ("sqrt(-p)", "the square root of a negative number"),
        ("log(p - 1)", "the logarithm of a number that is not positive"),
        ("2^2^2^2^2^2", "a power too large"),
        ("exp(10000)", "overflows"),
        ("q + 1", "unknown name 'q'"),
    ],
)
def test_a_formula_without_a_value_raises_a_formula_error(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse_formula(text).value({"p": F(7, 10)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an empty placeholder"),
        ("p +", "ends too early"),
        ("p n", "unexpected 'n'"),
        ("__import__('os')", "cannot be read here"),
        ("p.real", "cannot be read here"),
        ("open(p)", "unknown function 'open'"),
        ("sqrt", "sqrt is a function"),
        ("sqrt(1, 2)", "sqrt takes 1 argument"),
        ("p | 99", "significant digits"),
        ("(" * 30 + "p" + ")" * 30, "nest at most"),
        ("p" * 201, "at most 200 characters"),
    ],
)
def test_a_formula_is_parsed_never_executed(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse_formula(text)


@given(st.text(alphabet="pn0123456789.+-*/^()| ,sqrtlogminax", max_size=60))
def test_any_formula_text_parses_or_fails_with_a_formula_error(text: str) -> None:
    try:
        formula = parse_formula(text)
    except FormulaError as exc:
        assert exc.message and "\n" not in exc.message
        return
    try:
        value = formula.value({"p": F(7, 10), "n": F(3)})
    except FormulaError:
        return
    assert show(value, formula.digits)


@given(st.integers(-(10**12), 10**12), st.integers(0, 6))
def test_an_exact_decimal_is_shown_back_exactly(units: int, decimals: int) -> None:
    value = F(units, 10**decimals)
    assert F(show(value, in_check=True).strip("()")) == value


# -- placeholders in a card ---------------------------------------------------------------------


def test_placeholders_are_replaced_in_the_prompt_answer_hints_and_check_lines() -> None:
    card, problems = parsed(RATE)
    assert problems == []
    inputs = card_inputs(card)
    assert inputs is not None
    shown = instantiate(card, {"cores": F(8), "ms": F(35)})
    assert "costs 35 ms of CPU and the server has 8 cores" in shown.prompt.source
    assert shown.answer is not None and "$8 / 0.035 = 228.6$" in shown.answer.source
    assert shown.hints[0].source == "One core serves $1000/35$ requests a second."
    check = dict((line.key, line.value) for line in shown.check.lines if line.key != "input")  # type: ignore[union-attr]
    assert check["expect"] == "8*1000/35"
    assert "mistake" in check and check["mistake"].endswith("there are 8.")
    assert [line.value for line in shown.check.lines if line.key == "accept"] == [  # type: ignore[union-attr]
        "(1600/7)",
        "8/0.035",
    ]
    # the input lines stay as written, and the card as written is untouched
    assert card.prompt.source.startswith("A request costs {{ms}} ms")


def test_the_stated_card_shows_the_authors_values() -> None:
    card, _ = parsed(RATE)
    stated = stated_card(card)
    assert "costs 20 ms of CPU and the server has 16 cores" in stated.prompt.source
    assert stated.answer is not None and "= 800$" in stated.answer.source


def test_a_card_without_inputs_keeps_its_braces() -> None:
    card, problems = parsed(
        "## Plain\nid: plain\n\nWhat is $\\frac{{a}}{b}$ here?\n\n### Answer\nx\n\n"
        "```check\nexpect: x\n```\n"
    )
    assert problems == []
    assert stated_card(card) is card


def test_sample_draws_take_the_ends_of_every_range_and_repeat_themselves() -> None:
    inputs = [parse_input("a = 5 in 0..100"), parse_input("b = 0.5 in 0.1..0.9 step 0.1")]
    draws = sample_draws(inputs, "seed", 6)
    assert draws[:3] == [
        {"a": F(5), "b": F(1, 2)},
        {"a": F(0), "b": F(1, 10)},
        {"a": F(100), "b": F(9, 10)},
    ]
    assert len(draws) == 6 and sample_draws(inputs, "seed", 6) == draws
    assert all(inputs[0].holds(d["a"]) and inputs[1].holds(d["b"]) for d in draws)


def test_sample_draws_are_every_combination_when_there_are_few() -> None:
    inputs = [parse_input("a = 1 in 1..3"), parse_input("b = 1 in {1, 2}")]
    assert len(sample_draws(inputs, "x", 6)) == 6
    assert {(d["a"], d["b"]) for d in sample_draws(inputs, "x", 6)} == {
        (F(a), F(b)) for a in (1, 2, 3) for b in (1, 2)
    }


def test_a_draw_takes_each_value_of_a_range() -> None:
    inputs = [parse_input("k = 2 in 1..4")]
    rng = random.Random(7)
    assert {draw(inputs, rng)["k"] for _ in range(100)} == {F(1), F(2), F(3), F(4)}


def test_saved_values_come_back_only_while_they_fit_the_inputs() -> None:
    inputs: list[Input] = [parse_input("p = 0.7 in 0.55..0.95 step 0.05")]
    saved = to_saved({"p": F(17, 20)})
    assert saved == {"p": "0.85"}
    assert from_saved(saved, inputs) == {"p": F(17, 20)}
    assert from_saved({"p": "0.86"}, inputs) is None  # off the steps: the range was edited
    assert from_saved({"q": "0.85"}, inputs) is None  # renamed
    assert from_saved({"p": ["0.85"]}, inputs) is None  # not what was saved
    assert from_saved(["p"], inputs) is None  # type: ignore[arg-type]
    assert stated_values(inputs) == {"p": F(7, 10)}


# -- what the parser reports ---------------------------------------------------------------------


def test_a_good_card_with_inputs_has_no_problems() -> None:
    assert parsed(RATE)[1] == []


def test_every_input_must_be_shown_in_the_prompt() -> None:
    card = RATE.replace("and the server has {{cores}} cores", "and the server has some cores")
    problems = parsed(card)[1]
    assert any(
        p.startswith("drawn.md:20: input 'cores' is not shown in the prompt") for p in problems
    ), problems


def test_an_expect_that_uses_no_input_is_an_error() -> None:
    problems = parsed(RATE.replace("expect: {{cores}}*1000/{{ms}}", "expect: 800"))[1]
    assert any("drawn.md:22: expect uses none of the inputs" in p for p in problems), problems


def test_unknown_names_and_unreadable_placeholders_are_reported_at_their_line() -> None:
    card = RATE.replace("second can it serve?", "second can it serve at {{load}}% and {{ms +}}?")
    problems = parsed(card)[1]
    assert problems == [
        "drawn.md:13: placeholder {{load}}: unknown name 'load' (the card's inputs: cores, ms)",
        "drawn.md:13: placeholder {{ms +}}: the formula ends too early",
    ]


def test_a_formula_without_a_value_somewhere_in_the_ranges_is_an_error() -> None:
    card = RATE.replace("requests a second.", "requests a second, {{1/(ms - 50)}} of them.")
    problems = parsed(card)[1]
    assert problems == [
        "drawn.md:32: placeholder {{1/(ms - 50)}} in the hint has no value at cores = 4, "
        "ms = 50: a division by zero"
    ]


def test_a_placeholder_glued_to_a_digit_is_an_error() -> None:
    problems = parsed(RATE.replace("{{cores}} cores", "2{{cores}} cores"))[1]
    assert any("placeholder {{cores}}: is glued to a digit" in p for p in problems), problems
    # a sentence may end after one
    assert parsed(RATE.replace("{{cores}} cores", "{{cores}}. Cores"))[1] == []


# -- hostile decks ---------------------------------------------------------------------------------


def hostile(check: str, prompt: str = "Compute {{a}}.") -> list[str]:
    started = time.perf_counter()
    problems = parsed(
        f"## Hostile\nid: hostile\nkind: estimate\n\n{prompt}\n\n### Answer\nx\n\n"
        f"```check\nmode: numeric\n{check}\nexpect: {{{{a}}}}\naccept: 1\nreject: 2\n```\n"
    )[1]
    assert time.perf_counter() - started < 5
    assert all("\n" not in p for p in problems)
    return problems


def test_thousands_of_inputs_give_one_error() -> None:
    lines = "\n".join(f"input: a{n} = 1 in 1..2" for n in range(5000))
    shown = "Compute {{a}} " + " ".join(f"{{{{a{n}}}}}" for n in range(1, MAX_INPUTS)) + "."
    problems = hostile(lines.replace("a0 =", "a =", 1), prompt=shown)
    assert problems == [
        f"drawn.md:{19 + MAX_INPUTS}: input: a card may draw at most {MAX_INPUTS} inputs; "
        "this block has 5,000"
    ]


def test_huge_ranges_are_one_line_errors() -> None:
    problems = hostile(
        "input: a = 1 in 1..99999999999999999999999999999999999999999999999\n"
        "input: b = 1 in 0..1000000000 step 0.000001\n"
        f"input: c = 1 in 1..{'9' * 5000}",
        prompt="Compute {{a}}, {{b}} and {{c}}.",
    )
    assert len(problems) == 3, problems
    assert "larger than 10^12" in problems[0] and "more than 1,000,000 values" in problems[1]
    assert "at most 1,000 characters" in problems[2]
    assert all(len(p) < 250 for p in problems)


def test_placeholders_for_unknown_names_are_counted_not_listed() -> None:
    prompt = "Compute {{a}}. " + " ".join(f"{{{{x{n}}}}}" for n in range(250))
    problems = hostile("input: a = 1 in 1..2", prompt=prompt)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].endswith("placeholder {{x0}}: unknown name 'x0' (the card's inputs: a)")
    assert problems[-1].endswith("and 240 more problems with this card's inputs and placeholders")


def test_a_card_full_of_braces_is_read_in_one_pass() -> None:
    prompt = "Compute {{a}}. " + "{{" * 400_000
    problems = hostile("input: a = 1 in 1..2", prompt=prompt)
    assert problems == ["drawn.md:12: placeholder {{: '{{' without its '}}' on the same line"]


def test_thousands_of_placeholders_stop_at_the_limit() -> None:
    prompt = "Compute " + " ".join(["{{a}}"] * 5000) + "."
    problems = hostile("input: a = 1 in 1..2", prompt=prompt)
    assert problems == ["drawn.md:12: a card may hold at most 300 placeholders"]


def test_deck_show_presents_the_stated_values_and_the_block_as_written() -> None:
    found, _ = parse_text(deck(RATE), "drawn.md")
    assert found is not None
    shown = render_card(found.cards[0], found, Collection([found]))
    assert "drawn at each review: cores in {4, 8, 16, 32, 64}, ms in 5..50 step 5" in shown
    assert "A request costs 20 ms of CPU and the server has 16 cores." in shown
    assert "16/0.02 = 800 requests per second." in shown  # the answer, as LaTeX renders
    assert "expect: {{cores}}*1000/{{ms}}" in shown  # the block keeps its formulas
