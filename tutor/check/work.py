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

from collections.abc import Iterator
from dataclasses import dataclass

from tutor.check.errors import CheckInputError
from tutor.check.form import ASSOCIATIVE, Canon, key
from tutor.check.nodes import BINDERS, Kind, Node
from tutor.check.parser import Context, parse
from tutor.check.vocab import FUNCTION_NAMES, canonical_function

# Operators as a card names them in forbid: and allow:, with the node kind they stand for;
# None for the bar, a conditional bar in a probability card and an absolute value elsewhere.
OPERATORS: dict[str, Kind | None] = {
    "∪": Kind.CUP,
    "cup": Kind.CUP,
    "\\cup": Kind.CUP,
    "union": Kind.CUP,
    "∩": Kind.CAP,
    "cap": Kind.CAP,
    "\\cap": Kind.CAP,
    "intersection": Kind.CAP,
    "∖": Kind.SETMINUS,
    "\\setminus": Kind.SETMINUS,
    "\\": Kind.SETMINUS,
    "setminus": Kind.SETMINUS,
    "^c": Kind.COMPLEMENT,
    "ᶜ": Kind.COMPLEMENT,
    "complement": Kind.COMPLEMENT,
    "\\complement": Kind.COMPLEMENT,
    "\\overline": Kind.COMPLEMENT,
    "|": None,
    "\\mid": None,
    "abs": Kind.ABS,
    "‖": Kind.NORM,
    "given": Kind.GIVEN,
    "^T": Kind.TRANSPOSE,
    "ᵀ": Kind.TRANSPOSE,
    "\\top": Kind.TRANSPOSE,
    "transpose": Kind.TRANSPOSE,
    "^": Kind.POW,
    "/": Kind.DIV,
    "÷": Kind.DIV,
    "-": Kind.SUB,
    "−": Kind.SUB,
    "!": Kind.FACTORIAL,
    "sum": Kind.SUM,
    "∑": Kind.SUM,
    "\\sum": Kind.SUM,
    "prod": Kind.PROD,
    "∏": Kind.PROD,
    "\\prod": Kind.PROD,
    "int": Kind.INTEGRAL,
    "∫": Kind.INTEGRAL,
    "\\int": Kind.INTEGRAL,
    "lim": Kind.LIM,
    "\\lim": Kind.LIM,
    "d/dx": Kind.DERIV,
    "derivative": Kind.DERIV,
}
SHOWN = {
    Kind.CUP: "∪",
    Kind.CAP: "∩",
    Kind.SETMINUS: "∖",
    Kind.COMPLEMENT: "a complement (ᶜ)",
    Kind.GIVEN: "a conditional bar (|)",
    Kind.ABS: "an absolute value (|…|)",
    Kind.TRANSPOSE: "a transpose (ᵀ)",
    Kind.POW: "a power (^)",
    Kind.DIV: "a division (/)",
    Kind.SUB: "a minus sign",
    Kind.FACTORIAL: "a factorial (!)",
    Kind.SUM: "a sum (∑)",
    Kind.PROD: "a product (∏)",
    Kind.INTEGRAL: "an integral",
    Kind.LIM: "a limit",
    Kind.DERIV: "a derivative",
}
EVENT_OPERATORS = (Kind.CUP, Kind.CAP, Kind.SETMINUS, Kind.COMPLEMENT, Kind.GIVEN)


def split_items(value: str) -> list[str]:
    """The items of a ``using:``/``forbid:`` line: separated by commas or semicolons when it has
    any outside brackets, else by spaces outside brackets (``P(A ∩ B) P(A)`` is two items)."""
    separators = ",;" if _has_top_level(value, ",;") else " \t"
    items: list[str] = []
    current = ""
    for char, outside in _characters(value):
        if outside and char in separators:
            if current.strip():
                items.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        items.append(current.strip())
    return items


def _characters(value: str) -> Iterator[tuple[str, bool]]:
    """Each character of ``value``, and whether it stands outside every bracket."""
    depth = 0
    for char in value:
        if char in "([{⟨":
            depth += 1
        elif char in ")]}⟩":
            depth = max(0, depth - 1)
            yield char, False
            continue
        yield char, depth == 0


def _has_top_level(value: str, chars: str) -> bool:
    return any(outside and char in chars for char, outside in _characters(value))


@dataclass(frozen=True)
class Ban:
    """One forbid: item: a node kind, a function, or a sub-expression."""

    text: str
    kind: Kind | None = None
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
        self.using_text = [item for line in using for item in self._items(line)]
        self.using = [canon.form(parse(text, ctx)) for text in self.using_text]
        self.bans = [self._ban(item) for line in forbid for item in self._items(line)]
        self.allowed = {self._kind(item) for line in allow for item in split_items(line)}

    def _items(self, line: str) -> list[str]:
        """The items of a line (``split_items``); a line without commas whose space-separated
        pieces are not each an operator, a function or an expression is one item:
        ``sum_{j=1}^{K} e^(z_j + c)``."""
        items = split_items(line)
        if len(items) > 1 and not _has_top_level(line, ",;"):
            for item in items:
                if item in OPERATORS or item.removeprefix("\\") in FUNCTION_NAMES:
                    continue
                try:
                    parse(item, self.ctx)
                except CheckInputError:
                    return [line.strip()]
        return items

    def _kind(self, item: str) -> Kind:
        text = item.strip()
        if text not in OPERATORS:
            raise CheckInputError(f"{item!r} is not an operator this key can name.", 1)
        kind = OPERATORS[text]
        if kind is None:
            return Kind.GIVEN if self.probability else Kind.ABS
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
                what = ban.text if ban.kind is None else SHOWN.get(ban.kind, ban.text)
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
            if ban.kind is not None and (
                sub.kind == ban.kind
                or (ban.kind == Kind.SUB and sub.kind == Kind.NEG)
                or (sub.kind == Kind.CALL and sub.text == ban.kind.value)  # abs(x) for |…|
            ):
                return True
            if ban.function and _calls(sub, ban.function):
                return True
        return False

    def _event_operators(self, node: Node) -> set[Kind]:
        found: set[Kind] = set()
        for sub in node.walk():
            if sub.kind == Kind.CALL and sub.text in self.probability:
                found |= {inner.kind for inner in sub.walk()} & set(EVENT_OPERATORS)
        return found

    def _covered(self, node: Node, bound: frozenset[str]) -> bool:
        """Is ``node`` (a canonical form) built from the using: quantities alone?"""
        wanted = {key(atom) for atom in self.using}
        if key(node) in wanted:
            return True
        if node.kind == Kind.NAME:
            return node.text in bound
        if node.kind == Kind.CALL and node.text.rstrip("'") in self.declared_functions:
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
        if node.kind in BINDERS and node.kind != Kind.DERIV:
            inner = bound | {node.args[0].text}
            return all(self._covered(arg, inner) for arg in node.args[1:])
        return all(self._covered(arg, bound) for arg in node.args)


def _calls(node: Node, function: str) -> bool:
    if (function, node.kind) in (("abs", Kind.ABS), ("norm", Kind.NORM)):
        return True  # |x| and ‖x‖ are abs and norm
    if node.kind == Kind.CALL:
        name = node.text.rstrip("'")
        # log forbids every logarithm: ln, and lg (base 10)
        return name == function or (function == "log" and name in ("ln", "lg"))
    if function == "exp" and node.kind == Kind.POW:
        return node.args[0] == Node(Kind.CONST, (), "e")
    return function in ("log", "ln", "lg") and node.kind == Kind.LOGB


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def restatement(
    canon: Canon,
    strict: Canon,
    ctx: Context,
    rejects: tuple[str, ...],
    answer: Node,
    answers: list[Node],
) -> str:
    """The reject line ``answer`` has the form of, or "". A reject line is matched up to
    padding (``canon``), unless it is the expected answer itself with its arithmetic undone
    (``4x/4`` on a card that asks to cancel the 4): such a line, whose padded form is that of
    one of ``answers`` (expect and the accept lines), is matched by ``strict`` form only."""
    for text in rejects:
        try:
            reject = parse(text, ctx)
        except CheckInputError:
            continue
        unsimplified = any(canon.same(reject, good) for good in answers)
        if (strict if unsimplified else canon).same(reject, answer):
            return text
    return ""
