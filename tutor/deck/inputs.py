"""Drawn numbers: a card's `input` lines, the `{{ … }}` placeholders that show them, the draws.

A numeric card can ask a new problem at each review. Its check block names its inputs, each with
the value the author wrote the card for and the values it may take:

    input: n = 2000 in 500..5000 step 100
    input: p = 0.7 in 0.55..0.95 step 0.05
    input: sides = 6 in {4, 6, 8, 12, 20}
    expect: sqrt({{p}}*(1 - {{p}})/{{n}})

and its text shows them through placeholders, `{{p}}`, or formulas in them, `{{ p*(1-p) }}`,
`{{ sqrt(p*(1-p)/n) | 3 }}` (3 significant digits). See deck-format.md, "Drawn numbers".

Inputs and ranges are parsed, never executed; their number and sizes are bounded, and a range
that cannot be drawn from is an error at its line. Placeholders are read only in cards that
have inputs, so `{{` means nothing in any other card.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from tutor.deck.formula import FUNCTIONS as _FUNCTIONS
from tutor.deck.formula import Formula, FormulaError, exact_decimal, parse_formula, show
from tutor.deck.model import Card, CheckBlock, CheckLine, Deck, Problem, Text

INPUT_KEY = "input"
MAX_INPUTS = 8
MAX_CHOICES = 50
MAX_VALUES = 1_000_000
"""Values one range may hold: a wider one is almost certainly a step forgotten."""
MAX_MAGNITUDE = Fraction(10**12)
MAX_DECIMALS = 6
MAX_NAME = 24
MAX_PLACEHOLDERS = 300
MAX_PROBLEMS = 10
"""Problems reported for one card's inputs and placeholders; the rest are counted."""
EVALUATIONS = 1_000
"""Placeholder evaluations spent per card checking the formulas over the ranges (about 20 ms:
the parser runs whenever the decks change, before a study session too)."""

Values = dict[str, Fraction]

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_INPUT = re.compile(
    r"(?P<name>\S+?)\s*=\s*(?P<value>\S+)\s+in\s+"
    r"(?:\{(?P<choices>[^{}]*)\}|(?P<low>[^.\s]+(?:\.\d+)?)\s*\.\.\s*(?P<high>\S+)"
    r"(?:\s+step\s+(?P<step>\S+))?)"
)
_USAGE = (
    "write 'input: NAME = VALUE in LOW..HIGH' (optionally 'step S') or 'NAME = VALUE in {A, B, C}'"
)


class InputError(ValueError):
    """An `input` line that cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Input:
    """One drawn number: its name, the author's value, and the values it may take: a range
    `low..high` by `step`, or a list of `choices`."""

    name: str
    stated: Fraction
    low: Fraction
    high: Fraction
    step: Fraction
    choices: tuple[Fraction, ...] = ()
    line: int = 0

    @property
    def count(self) -> int:
        """How many values it may take."""
        if self.choices:
            return len(self.choices)
        return int((self.high - self.low) / self.step) + 1

    def value(self, index: int) -> Fraction:
        return self.choices[index] if self.choices else self.low + index * self.step

    def holds(self, value: Fraction) -> bool:
        """`value` is one of the values this input may take."""
        if self.choices:
            return value in self.choices
        offset = (value - self.low) / self.step
        return self.low <= value <= self.high and offset.denominator == 1

    def draw(self, rng: random.Random) -> Fraction:
        return self.value(rng.randrange(self.count))

    @property
    def ends(self) -> tuple[Fraction, Fraction]:
        return (min(self.choices), max(self.choices)) if self.choices else (self.low, self.high)

    def describe(self) -> str:
        if self.choices:
            return "{" + ", ".join(exact_decimal(c) for c in self.choices) + "}"
        text = f"{exact_decimal(self.low)}..{exact_decimal(self.high)}"
        return text + f" step {exact_decimal(self.step)}"


# -- reading inputs ------------------------------------------------------------------------------


def _number(text: str, what: str) -> Fraction:
    if not _NUMBER.fullmatch(text):
        raise InputError(f"{what} {_short(text)} is not a decimal number such as 12, 0.05 or -3")
    whole, _, decimals = text.lstrip("+-").partition(".")
    if len(decimals) > MAX_DECIMALS:
        raise InputError(f"{what} {_short(text)} has more than {MAX_DECIMALS} decimals")
    if len(whole.lstrip("0")) > 13 or abs(Fraction(text)) > MAX_MAGNITUDE:
        raise InputError(f"{what} {_short(text)} is larger than 10^12 in size")
    return Fraction(text)


def _short(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:23] + "…")


def parse_input(text: str, line: int = 0) -> Input:
    """One `input:` value, e.g. `p = 0.7 in 0.5..0.95 step 0.05` (InputError if unusable)."""
    if len(text) > 1_000:
        raise InputError("input: an input line may be at most 1,000 characters")
    match = _INPUT.fullmatch(text.strip())
    if match is None:
        raise InputError(f"input: cannot read {_short(text.strip())}: {_USAGE}")
    name = match.group("name")
    if not _NAME.fullmatch(name) or len(name) > MAX_NAME:
        raise InputError(
            f"input name {_short(name)} must be a letter followed by letters, digits or '_' "
            f"(at most {MAX_NAME} characters)"
        )
    if name in _FUNCTIONS:
        raise InputError(f"input name {name!r} is the name of a function: choose another")
    try:
        return _parse_values(name, match, line)
    except InputError as exc:
        message = str(exc)
        named = message if message.startswith("input ") else f"input {name!r}: {message}"
        raise InputError(named) from None


def _parse_values(name: str, match: re.Match[str], line: int) -> Input:
    stated = _number(match.group("value"), "the stated value")
    if match.group("choices") is not None:
        parts = [part.strip() for part in match.group("choices").split(",")]
        if not any(parts):
            raise InputError(f"input {name!r} has an empty list of values: nothing to draw")
        if len(parts) > MAX_CHOICES:
            raise InputError(f"input {name!r} lists more than {MAX_CHOICES} values")
        choices = tuple(_number(part, "value") for part in parts)
        if len(set(choices)) != len(choices):
            raise InputError(f"input {name!r} lists a value twice")
        drawn = Input(name, stated, min(choices), max(choices), Fraction(1), choices, line)
    else:
        low = _number(match.group("low"), "the low end")
        high = _number(match.group("high"), "the high end")
        texts = [match.group("value"), match.group("low"), match.group("high")]
        if match.group("step") is not None:
            step = _number(match.group("step"), "the step")
        else:
            decimals = max(len(t.partition(".")[2]) for t in texts)
            step = Fraction(1, 10**decimals)
        if step <= 0:
            raise InputError(f"input {name!r}: the step must be positive")
        if low > high:
            raise InputError(
                f"input {name!r}: the range {exact_decimal(low)}..{exact_decimal(high)} is empty "
                "(the low end is above the high end)"
            )
        if ((high - low) / step).denominator != 1:
            raise InputError(
                f"input {name!r}: {exact_decimal(high)} is not {exact_decimal(low)} plus a whole "
                f"number of steps of {exact_decimal(step)}, so the range cannot end where it says"
            )
        if (high - low) / step + 1 > MAX_VALUES:
            raise InputError(
                f"input {name!r}: the range holds more than {MAX_VALUES:,} values; "
                "give a larger step"
            )
        drawn = Input(name, stated, low, high, step, (), line)
    if not drawn.holds(stated):
        raise InputError(
            f"input {name!r}: the stated value {exact_decimal(stated)} is not one of the values "
            f"it may take ({drawn.describe()})"
        )
    return drawn


def input_lines(card: Card) -> list[CheckLine]:
    return [line for line in card.check.lines if line.key == INPUT_KEY] if card.check else []


def has_inputs(card: Card) -> bool:
    return bool(input_lines(card))


def card_inputs(card: Card) -> list[Input] | None:
    """The card's inputs ([] for a card without any), or None when one cannot be used."""
    lines = input_lines(card)
    if len(lines) > MAX_INPUTS:
        return None
    try:
        inputs = [parse_input(line.value, line.line) for line in lines]
    except InputError:
        return None
    names = [item.name for item in inputs]
    return inputs if len(set(names)) == len(names) else None


# -- placeholders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A placeholder in a piece of text: where it is, and its formula (None: unreadable)."""

    start: int
    end: int
    formula: Formula | None
    line: int
    error: str = ""


def placeholders(source: str, first_line: int) -> Iterator[Place]:
    """The `{{ … }}` of `source` in order, and each `{{` left open on its line (an error). One
    pass over the text, whatever it holds: an open `{{` skips the rest of its line."""
    position = 0
    line = first_line
    while True:
        opening = source.find("{{", position)
        if opening < 0:
            return
        line += source.count("\n", position, opening)
        line_end = source.find("\n", opening)
        if line_end < 0:
            line_end = len(source)
        close = source.find("}}", opening + 2, line_end)
        if close < 0:
            yield Place(opening, opening + 2, None, line, "'{{' without its '}}' on the same line")
            position = line_end
            continue
        end = close + 2
        try:
            formula: Formula | None = parse_formula(source[opening + 2 : close])
            error = ""
        except FormulaError as exc:
            formula, error = None, exc.message
        if formula is not None:
            before = source[max(0, opening - 2) : opening]
            after = source[end : end + 2]
            if re.search(r"(?:\d|\d\.)$", before) or re.match(r"\.?\d", after):
                formula, error = None, "is glued to a digit: put an operator or a space between"
        yield Place(opening, end, formula, line, error)
        position = end


def _texts(card: Card) -> Iterator[tuple[str, str, int]]:
    """Every piece of a card that may hold placeholders: (what, source, first line)."""
    yield "prompt", card.prompt.source, card.prompt.line
    if card.answer is not None:
        yield "answer", card.answer.source, card.answer.line
    for hint in card.hints:
        yield "hint", hint.source, hint.line
    for idea in card.key_ideas:
        yield "key idea", idea.source, idea.line
    if card.why is not None:
        yield "why", card.why.source, card.why.line
    if card.check is not None:
        for item in card.check.lines:
            if item.key != INPUT_KEY:
                yield item.key, item.value, item.line


def substitute(source: str, values: Mapping[str, Fraction], *, in_check: bool = False) -> str:
    """`source` with each placeholder replaced by its value (FormulaError if one has none)."""
    if "{{" not in source:
        return source
    out: list[str] = []
    position = 0
    for place in placeholders(source, 1):
        if place.formula is None:
            raise FormulaError(place.error)
        out.append(source[position : place.start])
        value = place.formula.value(values)
        out.append(show(value, place.formula.digits, in_check=in_check))
        position = place.end
    out.append(source[position:])
    return "".join(out)


def instantiate(card: Card, values: Mapping[str, Fraction]) -> Card:
    """The card as the learner meets it with these values: every placeholder of its text and
    check lines replaced (FormulaError if a formula has no value for them)."""

    def text(item: Text) -> Text:
        return Text(substitute(item.source, values), item.line)

    check = card.check
    if check is not None:
        check = CheckBlock(
            tuple(
                item
                if item.key == INPUT_KEY
                else CheckLine(item.key, substitute(item.value, values, in_check=True), item.line)
                for item in check.lines
            ),
            check.line,
        )
    return replace(
        card,
        prompt=text(card.prompt),
        answer=text(card.answer) if card.answer is not None else None,
        hints=[text(h) for h in card.hints],
        key_ideas=[text(k) for k in card.key_ideas],
        why=text(card.why) if card.why is not None else None,
        check=check,
    )


def stated_card(card: Card) -> Card:
    """The card with its stated values: as the deck file and `tutor deck show` present it, and
    as it is met the first time (as written, if its inputs cannot be used)."""
    inputs = card_inputs(card)
    if not inputs:
        return card
    try:
        return instantiate(card, stated_values(inputs))
    except FormulaError:
        return card


def stated_deck(deck: Deck) -> Deck:
    """The deck with every card at its stated values (the same deck if none has inputs)."""
    if not any(has_inputs(card) for card in deck.cards):
        return deck
    return replace(deck, cards=[stated_card(card) for card in deck.cards])


def describe_inputs(card: Card) -> str:
    """`p in 0.55..0.95 step 0.05, n in {500, 1000}`: what a card draws ('' if nothing)."""
    inputs = card_inputs(card) or []
    return ", ".join(f"{item.name} in {item.describe()}" for item in inputs)


# -- draws ---------------------------------------------------------------------------------------


def stated_values(inputs: list[Input]) -> Values:
    return {item.name: item.stated for item in inputs}


def draw(inputs: list[Input], rng: random.Random) -> Values:
    """One value for each input, each uniform over what it may take."""
    return {item.name: item.draw(rng) for item in inputs}


def sample_draws(inputs: list[Input], seed: str, count: int) -> list[Values]:
    """At most `count` draws to check a card over its ranges: every combination when there are
    no more than `count`; else the stated values, every input at its low end, every input at
    its high end, then draws in which each input is at one end or anywhere between, from a
    generator seeded with `seed` (the same draws every run)."""
    sizes = [item.count for item in inputs]
    total = 1
    for size in sizes:
        total *= size
        if total > count:
            break
    if total <= count:
        grids = [[item.value(i) for i in range(item.count)] for item in inputs]
        names = [item.name for item in inputs]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*grids)]
    rng = random.Random(seed)
    draws = [
        stated_values(inputs),
        {item.name: item.ends[0] for item in inputs},
        {item.name: item.ends[1] for item in inputs},
    ]
    tries = 0
    while len(draws) < count and tries < 4 * count:
        tries += 1
        pick = {}
        for item in inputs:
            where = rng.randrange(3)
            pick[item.name] = item.ends[where] if where < 2 else item.draw(rng)
        if pick not in draws:
            draws.append(pick)
    return draws[:count]


def describe_values(values: Mapping[str, Fraction]) -> str:
    """`p = 0.7, n = 2000`, for messages."""
    return ", ".join(f"{name} = {exact_decimal(value)}" for name, value in values.items())


def to_saved(values: Mapping[str, Fraction]) -> dict[str, str]:
    """Values as the progress keeps them: exact decimals as text."""
    return {name: exact_decimal(value) for name, value in values.items()}


def from_saved(saved: Mapping[str, object], inputs: list[Input]) -> Values | None:
    """Saved values, if they still fit the card's inputs (same names, each a value its input
    may take); None when the card was edited since and they do not."""
    if not isinstance(saved, Mapping) or set(saved) != {item.name for item in inputs}:
        return None
    values: Values = {}
    for item in inputs:
        text = saved[item.name]
        try:
            value = _number(text, "value") if isinstance(text, str) else None
        except InputError:
            return None
        if value is None or not item.holds(value):
            return None
        values[item.name] = value
    return values


# -- what the parser reports -------------------------------------------------------------------


def input_problems(card: Card) -> list[Problem]:
    """What is wrong with a card's inputs and placeholders, each at its line, in one line."""
    lines = input_lines(card)
    if not lines:
        return []
    found = _Found(card.path)
    inputs: list[Input] = []
    names: set[str] = set()
    for number, item in enumerate(lines, 1):
        if number > MAX_INPUTS:
            found.add(
                item.line,
                f"input: a card may draw at most {MAX_INPUTS} inputs; "
                f"this block has {len(lines):,}",
            )
            break
        head = item.value.partition("=")[0].strip()
        if _NAME.fullmatch(head) and len(head) <= MAX_NAME:
            names.add(head)
        if "{{" in item.value:
            found.add(item.line, "input: an input line may not hold a placeholder")
            continue
        try:
            drawn = parse_input(item.value, item.line)
        except InputError as exc:
            found.add(item.line, str(exc))
            continue
        if any(other.name == drawn.name for other in inputs):
            found.add(item.line, f"input {drawn.name!r} is given twice")
            continue
        inputs.append(drawn)
    usable = len(inputs) == len(lines) and not found.kept
    places: list[tuple[str, Place]] = []
    total = 0
    for what, source, first in _texts(card):
        for place in placeholders(source, first):
            total += 1
            if total > MAX_PLACEHOLDERS:
                found.add(place.line, f"a card may hold at most {MAX_PLACEHOLDERS} placeholders")
                return found.problems
            shown = _shown(source[place.start : place.end])
            if place.formula is None:
                found.add(place.line, f"placeholder {shown}: {place.error}")
                continue
            unknown = sorted(place.formula.names - names)
            if unknown:
                known = ", ".join(sorted(names)) or "none"
                found.add(
                    place.line,
                    f"placeholder {shown}: unknown name {unknown[0]!r} (the card's inputs: "
                    f"{known})",
                )
                continue
            places.append((what, place))
    shown_in_prompt = {n for what, p in places if what == "prompt" for n in p.formula.names}  # type: ignore[union-attr]
    for drawn in inputs:
        if drawn.name not in shown_in_prompt:
            found.add(
                drawn.line,
                f"input {drawn.name!r} is not shown in the prompt: write {{{{{drawn.name}}}}} "
                "where the learner should read its value",
            )
    goal = next((line for line in card.check.lines if line.key in ("expect", "from")), None)  # type: ignore[union-attr]
    if goal is not None and not any(
        place.formula is not None and place.formula.names
        for place in placeholders(goal.value, goal.line)
    ):
        found.add(
            goal.line,
            f"{goal.key} uses none of the inputs: every review would ask for the same answer; "
            "write it as a formula in them, e.g. {{n}}/{{t}}",
        )
    if usable and not found.kept:
        _evaluate_over_ranges(card, inputs, places, found)
    return found.problems


def _evaluate_over_ranges(
    card: Card, inputs: list[Input], places: list[tuple[str, Place]], found: _Found
) -> None:
    """Every placeholder has a value at the stated values and at draws over the ranges (their
    ends included), within a bounded number of evaluations."""
    count = max(3, min(64, EVALUATIONS // max(1, len(places))))
    failed: set[int] = set()
    for values in sample_draws(inputs, card.id or card.title, count):
        for index, (what, place) in enumerate(places):
            if index in failed or place.formula is None:
                continue
            try:
                place.formula.value(values)
            except FormulaError as exc:
                failed.add(index)
                found.add(
                    place.line,
                    f"placeholder {_shown(place.formula.text, braces=True)} in the {what} has no "
                    f"value at {describe_values(values)}: {exc.message}",
                )


def _shown(text: str, *, braces: bool = False) -> str:
    text = "{{" + text + "}}" if braces else text
    return text if len(text) <= 40 else text[:39] + "…"


class _Found:
    """Problems of one card: the first MAX_PROBLEMS of them, then one line that counts the rest
    (a hostile card gets a screenful, not thousands of lines)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, line: int, message: str) -> None:
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(self.path, line, message))
        else:
            self.more += 1

    @property
    def problems(self) -> list[Problem]:
        if not self.more:
            return list(self.kept)
        last = self.kept[-1].line
        plural = "s" if self.more != 1 else ""
        summary = f"and {self.more:,} more problem{plural} with this card's inputs and placeholders"
        return [*self.kept, Problem(self.path, last, summary)]
