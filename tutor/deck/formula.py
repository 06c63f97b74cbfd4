"""The small arithmetic of a card's placeholders: `{{ p*(1 - p) }}`, `{{ sqrt(v/n) | 3 }}`.

A deck is untrusted text, so a formula is read by this grammar and never executed: numbers,
the card's input names, `+ - * / ^`, brackets and a dozen functions. Rational arithmetic is
exact (`fractions.Fraction`); square roots that are not exact, `exp` and `log` are floats. Every
size is bounded before the work is done, so no formula can take long or grow large.

    formula := sum ['|' DIGITS]          DIGITS: significant digits shown, 1 to 15
    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := ('-' | '+') unary | power
    power   := atom ['^' unary]          right-associative: 2^3^2 = 2^9, -2^2 = -4
    atom    := NUMBER | NAME | NAME '(' sum (',' sum)* ')' | '(' sum ')'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

MAX_FORMULA = 200
"""Characters of one formula."""
MAX_DEPTH = 20
"""Nesting of brackets, signs and powers."""
MAX_BITS = 4096
"""Bits of a numerator or a denominator: about 1,200 decimal digits."""
MAX_EXPONENT = 1024
"""An integer power's exponent, in absolute value."""
MAX_DIGITS = 15
"""The most significant digits a placeholder may ask to show."""
DEFAULT_DIGITS = 4
"""Significant digits shown of a value that is not an exact decimal."""

Value = Fraction | float
Node = tuple[object, ...]
"""("num", Fraction) | ("name", str) | ("neg", Node) | (op, Node, Node) | ("call", str, Nodes)."""


class FormulaError(ValueError):
    """A formula that cannot be read or evaluated; `column` counts from 1 within the formula."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def _sqrt(x: Value) -> Value:
    if x < 0:
        raise FormulaError("the square root of a negative number")
    if isinstance(x, Fraction):
        top, bottom = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if top * top == x.numerator and bottom * bottom == x.denominator:
            return Fraction(top, bottom)
    return math.sqrt(x)


def _log(base: float) -> Callable[[Value], Value]:
    def log(x: Value) -> Value:
        if x <= 0:
            raise FormulaError("the logarithm of a number that is not positive")
        return math.log(x) / math.log(base) if base else math.log(x)

    return log


def _exp(x: Value) -> Value:
    if x > 700:
        raise FormulaError("exp of a number this large overflows")
    return math.exp(x)


def _whole(round_: Callable[[Value], int]) -> Callable[[Value], Value]:
    return lambda x: Fraction(round_(x))


def _nearest(x: Value) -> Value:
    """Half away from zero, as people round (Python's round() rounds half to even)."""
    whole = math.floor(abs(x) + Fraction(1, 2) if isinstance(x, Fraction) else abs(x) + 0.5)
    return Fraction(whole if x >= 0 else -whole)


FUNCTIONS: dict[str, tuple[int, Callable[..., Value]]] = {
    # name: (arguments, function); 0 arguments means "two or more"
    "sqrt": (1, _sqrt),
    "exp": (1, _exp),
    "log": (1, _log(0)),
    "ln": (1, _log(0)),
    "log2": (1, _log(2)),
    "log10": (1, _log(10)),
    "abs": (1, abs),
    "floor": (1, _whole(math.floor)),
    "ceil": (1, _whole(math.ceil)),
    "round": (1, _nearest),
    "min": (0, min),
    "max": (0, max),
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/^(),|]))"
)


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its tree, the names it reads and the digits it asks to show."""

    text: str
    tree: Node
    names: frozenset[str]
    digits: int | None = None

    def value(self, env: Mapping[str, Fraction]) -> Value:
        """The formula's value for the inputs `env`; FormulaError when it has none."""
        return _evaluate(self.tree, env)


def parse_formula(text: str) -> Formula:
    """Read `text` (FormulaError at the column of the first problem)."""
    if len(text) > MAX_FORMULA:
        raise FormulaError(f"a formula may be at most {MAX_FORMULA} characters")
    tokens = _tokens(text)
    parser = _Parser(tokens, len(text))
    tree = parser.sum(0)
    digits: int | None = None
    if parser.peek() == "|":
        parser.take()
        kind, word, column = parser.next_token()
        if kind != "num" or not word.isdigit() or not 1 <= int(word) <= MAX_DIGITS:
            raise FormulaError(
                f"after '|' give the significant digits to show, 1 to {MAX_DIGITS}", column
            )
        digits = int(word)
    if parser.position < len(tokens):
        _, word, column = tokens[parser.position]
        raise FormulaError(f"unexpected {word!r}", column)
    return Formula(text, tree, frozenset(parser.names), digits)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            column = position + len(text[position:]) - len(text[position:].lstrip()) + 1
            shown = text[column - 1]
            raise FormulaError(
                f"{shown!r} cannot be read here: use numbers, the card's input names, "
                "+ - * / ^, brackets and functions such as sqrt",
                column,
            )
        kind = match.lastgroup or "op"
        word = match.group(kind)
        if kind == "num" and len(word.replace(".", "")) > 30:
            raise FormulaError("a number of more than 30 digits", match.start(kind) + 1)
        tokens.append((kind, "^" if word == "**" else word, match.start(kind) + 1))
        position = match.end()
    if not tokens:
        raise FormulaError("an empty placeholder: write a formula between {{ and }}", 1)
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], length: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.end_column = length + 1
        self.names: set[str] = set()

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def next_token(self) -> tuple[str, str, int]:
        if self.position >= len(self.tokens):
            raise FormulaError("the formula ends too early", self.end_column)
        token = self.tokens[self.position]
        self.position += 1
        return token

    def take(self) -> None:
        self.position += 1

    def expect(self, word: str) -> None:
        kind, got, column = self.next_token()
        if got != word or kind != "op":
            raise FormulaError(f"expected {word!r}, found {got!r}", column)

    def deeper(self, depth: int) -> int:
        if depth >= MAX_DEPTH:
            column = self.tokens[min(self.position, len(self.tokens) - 1)][2]
            raise FormulaError(f"a formula may nest at most {MAX_DEPTH} deep", column)
        return depth + 1

    def sum(self, depth: int) -> Node:
        depth = self.deeper(depth)
        node = self.product(depth)
        while self.peek() in ("+", "-"):
            op = self.next_token()[1]
            node = (op, node, self.product(depth))
        return node

    def product(self, depth: int) -> Node:
        node = self.unary(depth)
        while self.peek() in ("*", "/"):
            op = self.next_token()[1]
            node = (op, node, self.unary(depth))
        return node

    def unary(self, depth: int) -> Node:
        depth = self.deeper(depth)
        if self.peek() in ("-", "+"):
            sign = self.next_token()[1]
            inner = self.unary(depth)
            return ("neg", inner) if sign == "-" else inner
        return self.power(depth)

    def power(self, depth: int) -> Node:
        base = self.atom(depth)
        if self.peek() == "^":
            self.take()
            return ("^", base, self.unary(depth))
        return base

    def atom(self, depth: int) -> Node:
        kind, word, column = self.next_token()
        if kind == "num":
            return ("num", Fraction(word))
        if kind == "name":
            if self.peek() == "(":
                return self.call(word, column, depth)
            if word in FUNCTIONS:
                raise FormulaError(f"{word} is a function: write {word}(…)", column)
            self.names.add(word)
            return ("name", word, column)
        if word == "(":
            node = self.sum(depth)
            self.expect(")")
            return node
        raise FormulaError(f"unexpected {word!r}", column)

    def call(self, name: str, column: int, depth: int) -> Node:
        if name not in FUNCTIONS:
            known = ", ".join(FUNCTIONS)
            raise FormulaError(f"unknown function {name!r}; the functions are {known}", column)
        self.take()  # (
        arguments = [self.sum(depth)]
        while self.peek() == ",":
            self.take()
            arguments.append(self.sum(depth))
        self.expect(")")
        count, _ = FUNCTIONS[name]
        if count and len(arguments) != count:
            raise FormulaError(f"{name} takes {count} argument", column)
        if not count and len(arguments) < 2:
            raise FormulaError(f"{name} takes two or more arguments", column)
        return ("call", name, tuple(arguments))


def _evaluate(node: Node, env: Mapping[str, Fraction]) -> Value:
    kind = node[0]
    if kind == "num":
        value = node[1]
        assert isinstance(value, Fraction)
        return value
    if kind == "name":
        name = node[1]
        assert isinstance(name, str)
        if name not in env:
            raise FormulaError(f"unknown name {name!r}", int(node[2]))  # type: ignore[call-overload]
        return env[name]
    if kind == "neg":
        return _checked(-_evaluate(node[1], env))  # type: ignore[arg-type]
    if kind == "call":
        name = node[1]
        assert isinstance(name, str)
        arguments = [_evaluate(a, env) for a in node[2]]  # type: ignore[attr-defined]
        _, function = FUNCTIONS[name]
        try:
            return _checked(function(*arguments))
        except (OverflowError, ValueError) as exc:
            if isinstance(exc, FormulaError):
                raise
            raise FormulaError(f"{name} has no value here") from None
    left = _evaluate(node[1], env)  # type: ignore[arg-type]
    right = _evaluate(node[2], env)  # type: ignore[arg-type]
    try:
        if kind == "+":
            return _checked(left + right)
        if kind == "-":
            return _checked(left - right)
        if kind == "*":
            return _checked(left * right)
        if kind == "/":
            if right == 0:
                raise FormulaError("a division by zero")
            return _checked(left / right)
        return _power(left, right)
    except OverflowError:
        raise FormulaError("a value too large to work with") from None


def _power(base: Value, exponent: Value) -> Value:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        if base == 0 and exponent < 0:
            raise FormulaError("a division by zero (0 to a negative power)")
        if isinstance(base, Fraction):
            bits = max(base.numerator.bit_length(), base.denominator.bit_length())
            too_large = abs(exponent) > MAX_EXPONENT or bits * abs(exponent) > MAX_BITS
            if too_large and base not in (0, 1, -1):
                raise FormulaError("a power too large to work with")
            return _checked(base ** int(exponent))
    if base < 0:
        raise FormulaError("a negative number to a power that is not a whole number")
    try:
        return _checked(float(base) ** float(exponent))
    except (OverflowError, ZeroDivisionError):
        raise FormulaError("a power too large to work with") from None


def _checked(value: Value) -> Value:
    if isinstance(value, Fraction):
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
            raise FormulaError("a value too large to work with")
        return value
    if isinstance(value, complex) or not math.isfinite(value):
        raise FormulaError("a value that is not a finite real number")
    return float(value)


# -- showing a value --------------------------------------------------------------------------


def is_exact_decimal(value: Fraction) -> bool:
    """A fraction whose decimal expansion ends (its denominator has no prime but 2 and 5)."""
    bottom = value.denominator
    for prime in (2, 5):
        while bottom % prime == 0:
            bottom //= prime
    return bottom == 1


def exact_decimal(value: Fraction) -> str:
    """A terminating fraction as a plain decimal: 21/200 is '0.105', 4 is '4', -1/4 '-0.25'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return f"{sign}{whole}"
    digits = []
    while rest:
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}.{''.join(digits)}"


def rounded(value: Value, digits: int) -> str:
    """`value` to `digits` significant digits, without trailing zeros: 0.010247 to 3 digits is
    '0.0102'; a value of 10^15 or more, or below 10^-6, in scientific notation ('1.5e-7')."""
    if value == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = digits
        number = (
            Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, Fraction)
            else +Decimal(value)
        )
    if abs(number) >= Decimal(10) ** 15 or abs(number) < Decimal(10) ** -6:
        mantissa, _, power = f"{number:e}".partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(power)}"
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def show(value: Value, digits: int | None = None, *, in_check: bool = False) -> str:
    """A value as a placeholder shows it.

    In the card's text: an exact decimal of at most 15 digits as it is (`0.57`, `65536`),
    anything else to `digits` (else 4) significant digits. In a check line, where the checker
    reads it: exact values stay exact (`(1/3)`), and a value that is negative, a fraction or in
    scientific notation is put in brackets so that `{{a}}^2` stays the square of the value."""
    if digits is not None:
        text = rounded(value, digits)
    elif isinstance(value, Fraction) and is_exact_decimal(value):
        text = exact_decimal(value)
        if not in_check:
            significant = len(text.replace("-", "").replace(".", "").strip("0"))
            tiny_or_huge = abs(value) >= 10**15 or 0 < abs(value) < Fraction(1, 10**6)
            if significant > MAX_DIGITS:
                text = rounded(value, DEFAULT_DIGITS)
            elif tiny_or_huge:
                text = rounded(value, MAX_DIGITS)
    elif isinstance(value, Fraction) and in_check:
        text = f"{value.numerator}/{value.denominator}"
    else:
        text = rounded(value, MAX_DIGITS if in_check else DEFAULT_DIGITS)
    if in_check and (text.startswith("-") or "/" in text or "e" in text):
        return f"({text})"
    return text
