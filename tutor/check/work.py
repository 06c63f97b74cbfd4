"""Did the learner do the work? What an answer may be built from, what it may not contain,
and the restatements a card names.

- ``reject:`` lines are honoured when judging: an answer of the same form (``form.py``) is never
  correct, even when it is equal in value — that is how a card names a restatement.
- ``using:`` lists the quantities the answer is expressed through ("in terms of"): numbers,
  constants and built-in functions are free, every other name or declared function must sit
  inside one of the listed quantities.
- ``forbid:`` lists operators (``∪``, ``|``, ``^c``, ``/``), functions (``log``, ``exp``) and
  sub-expressions (``P(A ∪ B)``) the answer may not contain.
- In probability, by default, the answer's events may not use a set operation or a conditional
  bar that the expectation does not use; ``allow:`` lifts that for the operators it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.check.errors import CheckInputError
from tutor.check.form import ASSOCIATIVE, Canon, key
from tutor.check.nodes import BINDERS, Node
from tutor.check.parser import Context, parse
from tutor.check.vocab import FUNCTION_NAMES, canonical_function

# Operators as a card names them in forbid: and allow:, with the node kind they stand for.
OPERATORS: dict[str, str] = {
    "∪": "cup",
    "cup": "cup",
    "\\cup": "cup",
    "union": "cup",
    "∩": "cap",
    "cap": "cap",
    "\\cap": "cap",
    "intersection": "cap",
    "∖": "setminus",
    "\\setminus": "setminus",
    "\\": "setminus",
    "setminus": "setminus",
    "^c": "comp",
    "ᶜ": "comp",
    "complement": "comp",
    "\\complement": "comp",
    "\\overline": "comp",
    "|": "|",
    "\\mid": "|",
    "abs": "abs",
    "‖": "norm",
    "given": "given",
    "^T": "T",
    "ᵀ": "T",
    "\\top": "T",
    "transpose": "T",
    "^": "^",
    "/": "/",
    "÷": "/",
    "-": "-",
    "−": "-",
    "!": "!",
    "sum": "sum",
    "∑": "sum",
    "\\sum": "sum",
    "prod": "prod",
    "∏": "prod",
    "\\prod": "prod",
    "int": "int",
    "∫": "int",
    "\\int": "int",
    "lim": "lim",
    "\\lim": "lim",
    "d/dx": "deriv",
    "derivative": "deriv",
}
SHOWN = {
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "comp": "a complement (ᶜ)",
    "given": "a conditional bar (|)",
    "abs": "an absolute value (|…|)",
    "T": "a transpose (ᵀ)",
    "^": "a power (^)",
    "/": "a division (/)",
    "-": "a minus sign",
    "!": "a factorial (!)",
    "sum": "a sum (∑)",
    "prod": "a product (∏)",
    "int": "an integral",
    "lim": "a limit",
    "deriv": "a derivative",
}
EVENT_OPERATORS = ("cup", "cap", "setminus", "comp", "given")


def split_items(value: str) -> list[str]:
    """The items of a ``using:``/``forbid:`` line: separated by commas or semicolons when it has
    any outside brackets, else by spaces outside brackets (``P(A ∩ B) P(A)`` is two items)."""
    separators = ",;" if _has_top_level(value, ",;") else " \t"
    items: list[str] = []
    depth = 0
    current = ""
    for char in value:
        if char in "([{⟨":
            depth += 1
        elif char in ")]}⟩":
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            if current.strip():
                items.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        items.append(current.strip())
    return items


def _has_top_level(value: str, chars: str) -> bool:
    depth = 0
    for char in value:
        if char in "([{⟨":
            depth += 1
        elif char in ")]}⟩":
            depth = max(0, depth - 1)
        elif depth == 0 and char in chars:
            return True
    return False


@dataclass(frozen=True)
class Ban:
    """One forbid: item: a node kind, a function, or a sub-expression."""

    text: str
    kind: str = ""
    function: str = ""
    pattern: Node | None = None


class Rules:
    """The using:, forbid: and allow: lines of one check block, read once."""

    def __init__(
        self,
        ctx: Context,
        canon: Canon,
        *,
        using: tuple[str, ...],
        forbid: tuple[str, ...],
        allow: tuple[str, ...],
        probability: tuple[str, ...],
        functions: tuple[str, ...],
    ) -> None:
        self.ctx = ctx
        self.canon = canon
        self.probability = probability
        self.declared_functions = frozenset(functions) | frozenset(probability)
        self.using_text = [item for line in using for item in split_items(line)]
        self.using = [canon.form(parse(text, ctx)) for text in self.using_text]
        self.bans = [self._ban(item) for line in forbid for item in split_items(line)]
        self.allowed = {self._kind(item) for line in allow for item in split_items(line)}

    def _kind(self, item: str) -> str:
        kind = OPERATORS.get(item.strip(), "")
        if kind == "|":
            return "given" if self.probability else "abs"
        if not kind:
            raise CheckInputError(f"{item!r} is not an operator this key can name.", 1)
        return kind

    def _ban(self, item: str) -> Ban:
        text = item.strip()
        if text in OPERATORS:
            return Ban(text, kind=self._kind(text))
        name = text.removeprefix("\\")
        if name in FUNCTION_NAMES or name in self.declared_functions:
            function = name if name in self.declared_functions else canonical_function(name)
            return Ban(text, function=function)
        return Ban(text, pattern=self.canon.form(parse(text, self.ctx)))

    # -- the rules ----------------------------------------------------------------------

    def problem(self, answer: Node, expect: Node) -> str:
        """ "" when ``answer`` keeps to the rules, else one sentence saying what to do."""
        through = self.through()
        for ban in self.bans:
            if self._breaks(answer, ban):
                what = SHOWN.get(ban.kind, ban.text)
                return f"This card asks for an answer without {what}{through}."
        extra = self._event_operators(answer) - self._event_operators(expect) - self.allowed
        if self.probability and extra:
            shown = " or ".join(SHOWN[kind] for kind in EVENT_OPERATORS if kind in extra)
            return (
                f"Your answer uses {shown} inside {self.probability[0]}(…), which the expected "
                f"answer does not need{through or ': rewrite it through the simpler events'}."
            )
        if self.using and not self._covered(self.canon.form(answer), frozenset()):
            return f"Express the answer through {_listing(self.using_text)}."
        return ""

    def through(self) -> str:
        return f": express it through {_listing(self.using_text)}" if self.using_text else ""

    def _breaks(self, answer: Node, ban: Ban) -> bool:
        if ban.pattern is not None:
            return self.canon.contains(answer, ban.pattern)
        for sub in answer.walk():
            if ban.kind and (
                sub.kind == ban.kind
                or (ban.kind == "-" and sub.kind == "neg")
                or (sub.kind == "call" and sub.text == ban.kind)  # abs(x) for |…|
            ):
                return True
            if ban.function and _calls(sub, ban.function):
                return True
        return False

    def _event_operators(self, node: Node) -> set[str]:
        found: set[str] = set()
        for sub in node.walk():
            if sub.kind == "call" and sub.text in self.probability:
                found |= {inner.kind for inner in sub.walk()} & set(EVENT_OPERATORS)
        return found

    def _covered(self, node: Node, bound: frozenset[str]) -> bool:
        """Is ``node`` (a canonical form) built from the using: quantities alone?"""
        wanted = {key(atom) for atom in self.using}
        if key(node) in wanted:
            return True
        if node.kind == "name":
            return node.text in bound
        if node.kind == "call" and node.text.rstrip("'") in self.declared_functions:
            return False
        if node.kind in ASSOCIATIVE:
            rest = list(node.args)
            for atom in self.using:
                if atom.kind == node.kind:
                    have = [key(arg) for arg in rest]
                    need = [key(arg) for arg in atom.args]
                    if all(have.count(k) >= need.count(k) for k in need):
                        for k in need:
                            rest.pop([key(arg) for arg in rest].index(k))
            return all(self._covered(arg, bound) for arg in rest)
        if node.kind in BINDERS and node.kind != "deriv":
            inner = bound | {node.args[0].text}
            return all(self._covered(arg, inner) for arg in node.args[1:])
        return all(self._covered(arg, bound) for arg in node.args)


def _calls(node: Node, function: str) -> bool:
    if function in ("abs", "norm") and node.kind == function:
        return True  # |x| and ‖x‖ are abs and norm
    if node.kind == "call":
        name = node.text.rstrip("'")
        return name == function or (function == "log" and name == "ln")
    if function == "exp" and node.kind == "^":
        return node.args[0] == Node("const", (), "e")
    return function in ("log", "ln", "lg") and node.kind == "logb"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def restatement(canon: Canon, ctx: Context, rejects: tuple[str, ...], answer: Node) -> str:
    """The reject line ``answer`` has the form of, or ""."""
    for text in rejects:
        try:
            if canon.same(parse(text, ctx), answer):
                return text
        except CheckInputError:
            continue
    return ""
