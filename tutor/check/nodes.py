"""The abstract syntax tree: one small immutable node type for every construct."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from tutor.check.vocab import FUNCTIONS


class Kind(enum.StrEnum):
    """What a :class:`Node` is. Each value is the construct's short name, so a kind prints,
    formats, compares and hashes as that string."""

    NUM = "num"  # a number literal; text is its spelling
    NAME = "name"  # a variable or declared name; text is the name
    CONST = "const"  # pi, e, oo, emptyset, True, False; text is the constant
    ADD = "+"
    SUB = "-"
    MUL = "*"  # text "·" for a written dot or star, "×" for a cross, "" when implicit
    DIV = "/"
    POW = "^"
    NEG = "neg"  # unary minus
    FACTORIAL = "!"
    TRANSPOSE = "T"
    COMPLEMENT = "comp"  # of an event or set: A^c, \overline{A}
    CALL = "call"  # text is the function's name (with primes: f'')
    LOGB = "logb"  # log_b x: args are base and argument
    ABS = "abs"
    NORM = "norm"
    REL = "rel"  # a relation chain; text holds the operators, space-separated
    INTERVAL = "interval"  # text is the brackets: "()", "[)", …
    SET = "set"
    MATRIX = "matrix"
    ROW = "row"  # a row of a matrix
    SUM = "sum"  # args: variable, low, high, body (bounds may be NONE)
    PROD = "prod"  # args as for SUM
    INTEGRAL = "int"  # args: variable, low, high, body (bounds may be NONE)
    LIM = "lim"  # args: variable, point, body
    DERIV = "deriv"  # args: variable, body
    INDEX = "index"  # a_i of an indexed family: args are the family's name and the index
    NOT = "not"
    AND = "and"
    OR = "or"
    IMPLIES = "implies"
    IFF = "iff"
    CUP = "cup"
    CAP = "cap"
    SETMINUS = "setminus"
    GIVEN = "given"  # the condition bar inside P(A | B)
    NONE = "none"  # an absent part, such as the bounds of an indefinite integral

    # the plain string's repr, 'num' rather than <Kind.NUM: 'num'>: a Node's repr, and so
    # every seed drawn from it, stays as it was
    __repr__ = str.__repr__


@dataclass(frozen=True)
class Node:
    """A node of a parsed answer.

    ``kind`` names the construct (see :class:`Kind`); ``text`` carries a literal, a name or
    an operator spelling.
    """

    kind: Kind
    args: tuple[Node, ...] = ()
    text: str = ""
    col: int = field(default=0, compare=False)

    def walk(self) -> Iterator[Node]:
        yield self
        for arg in self.args:
            yield from arg.walk()

    def size(self) -> int:
        return sum(1 for _ in self.walk())


NONE = Node(Kind.NONE)

BUILTIN_FUNCTIONS = frozenset(FUNCTIONS)


def number_fraction(text: str) -> tuple[int, int]:
    """The exact value of a number literal (``12``, ``0.25``, ``1.5e-3``) as numerator and
    denominator. A canonical form's number (``3/100``, written by `form.Forms`) is read too."""
    if "/" in text:
        exact = Fraction(text.rstrip("."))  # "3/100." is a decimal's exact value
        return exact.numerator, exact.denominator
    mantissa, _, exponent_text = text.partition("e")
    whole, _, decimals = mantissa.partition(".")
    numerator = int(whole + decimals) if whole + decimals else 0
    exponent = (int(exponent_text) if exponent_text else 0) - len(decimals)
    if exponent >= 0:
        return numerator * 10**exponent, 1
    return numerator, 10**-exponent


def is_decimal(text: str) -> bool:
    """Is this literal a decimal (``0.5``, ``2.0``, ``5e-3``) rather than a whole number
    (``12``, ``2.5e6``)?"""
    if "e" in text:
        numerator, denominator = number_fraction(text)
        return numerator % denominator != 0  # 10e-1 is 1, a whole number
    return "." in text


BINDERS = (Kind.SUM, Kind.PROD, Kind.INTEGRAL, Kind.LIM, Kind.DERIV)


def free_names(node: Node) -> set[str]:
    """Names a node depends on, without the variables bound by sums, integrals and limits."""
    if node.kind == Kind.NAME:
        return {node.text}
    if node.kind in (Kind.SUM, Kind.PROD, Kind.INTEGRAL, Kind.LIM):
        bound = node.args[0].text
        inner = free_names(node.args[-1])
        inner.discard(bound)
        for arg in node.args[1:-1]:
            inner |= free_names(arg)
        return inner
    if node.kind == Kind.DERIV:
        return free_names(node.args[1])
    if node.kind == Kind.CALL:
        base = node.text.rstrip("'")
        names = set() if base in BUILTIN_FUNCTIONS else {base}
        for arg in node.args:
            names |= free_names(arg)
        return names
    result: set[str] = set()
    for arg in node.args:
        result |= free_names(arg)
    return result


def has_kind(node: Node, kinds: tuple[Kind, ...]) -> bool:
    return any(sub.kind in kinds for sub in node.walk())
