"""The abstract syntax tree: one small immutable node type for every construct."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


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

BUILTIN_FUNCTIONS = frozenset(
    [
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "sinh",
        "cosh",
        "tanh",
        "arcsin",
        "arccos",
        "arctan",
        "asin",
        "acos",
        "atan",
        "exp",
        "log",
        "ln",
        "lg",
        "sqrt",
        "abs",
        "binomial",
        "floor",
        "ceil",
        "max",
        "min",
        "dot",
        "norm",
        "cross",
        "det",
    ]
)

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
