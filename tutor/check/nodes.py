"""The abstract syntax tree: one small immutable node type for every construct."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tutor.check.vocab import FUNCTIONS


@dataclass(frozen=True)
class Node:
    """A node of a parsed answer.

    ``kind`` names the construct (``num``, ``name``, ``const``, ``+``, ``-``, ``*``, ``/``,
    ``^``, ``neg``, ``!``, ``T``, ``comp``, ``call``, ``logb``, ``abs``, ``norm``, ``rel``,
    ``interval``, ``set``, ``matrix``, ``row``, ``sum``, ``prod``, ``int``, ``lim``, ``deriv``,
    ``index``, ``not``, ``and``, ``or``, ``implies``, ``iff``, ``cup``, ``cap``, ``setminus``,
    ``given``, ``none``); ``text`` carries a literal, a name or an operator spelling.
    """

    kind: str
    args: tuple[Node, ...] = ()
    text: str = ""
    col: int = field(default=0, compare=False)

    def walk(self) -> Iterator[Node]:
        yield self
        for arg in self.args:
            yield from arg.walk()

    def size(self) -> int:
        return sum(1 for _ in self.walk())


NONE = Node("none")

BUILTIN_FUNCTIONS = frozenset(FUNCTIONS)


def number_fraction(text: str) -> tuple[int, int]:
    """The exact value of a number literal (``12``, ``0.25``, ``1.5e-3``) as numerator and
    denominator."""
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
        return number_fraction(text)[1] != 1
    return "." in text


BINDERS = ("sum", "prod", "int", "lim", "deriv")


def free_names(node: Node) -> set[str]:
    """Names a node depends on, without the variables bound by sums, integrals and limits."""
    if node.kind == "name":
        return {node.text}
    if node.kind in ("sum", "prod", "int", "lim"):
        bound = node.args[0].text
        inner = free_names(node.args[-1])
        inner.discard(bound)
        for arg in node.args[1:-1]:
            inner |= free_names(arg)
        return inner
    if node.kind == "deriv":
        return free_names(node.args[1])
    if node.kind == "call":
        base = node.text.rstrip("'")
        names = set() if base in BUILTIN_FUNCTIONS else {base}
        for arg in node.args:
            names |= free_names(arg)
        return names
    result: set[str] = set()
    for arg in node.args:
        result |= free_names(arg)
    return result


def has_kind(node: Node, kinds: tuple[str, ...]) -> bool:
    return any(sub.kind in kinds for sub in node.walk())
