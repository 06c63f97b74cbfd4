"""Print a :class:`Node` back in plain math: the ``read_as`` of every verdict."""

from __future__ import annotations

from tutor.check.nodes import Node
from tutor.check.vocab import GREEK as GREEK_OUT

CONST_OUT = {"pi": "π", "oo": "∞", "emptyset": "∅", "e": "e", "True": "True", "False": "False"}
REL_OUT = {"<=": "≤", ">=": "≥", "!=": "≠", "=": "=", "<": "<", ">": ">"}
BIN_PREC = {
    "iff": 1,
    "implies": 2,
    "or": 3,
    "and": 4,
    "+": 20,
    "-": 20,
    "cup": 20,
    "setminus": 20,
    "*": 30,
    "/": 30,
    "cap": 30,
}
BIN_OUT = {
    "iff": " ↔ ",
    "implies": " → ",
    "or": " ∨ ",
    "and": " ∧ ",
    "+": " + ",
    "-": " - ",
    "cup": " ∪ ",
    "setminus": " ∖ ",
    "/": "/",
    "cap": " ∩ ",
}
ATOM = 100


SUPERSCRIPT_DIGITS = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def superscript(text: str) -> str:
    return text.translate(SUPERSCRIPT_DIGITS)


SET_OPERATORS = ("cup", "cap", "setminus")


def _mixes(kind: str, child: Node) -> bool:
    return child.kind in SET_OPERATORS and (child.kind != kind or kind == "setminus")


def to_text(node: Node) -> str:
    """The plain-math spelling of ``node``; parsing it gives the same tree back."""
    return _show(node)[0]


def _wrap(node: Node, need: bool) -> str:
    text = _show(node)[0]
    return f"({text})" if need else text


def _name(text: str) -> str:
    if "_" in text:
        head, _, sub = text.partition("_")
        return f"{GREEK_OUT.get(head, head)}_{sub}"
    return GREEK_OUT.get(text, text)


def _show(node: Node) -> tuple[str, int]:
    kind = node.kind
    args = node.args
    if kind == "num":
        if "e" in node.text:
            mantissa, _, exponent = node.text.partition("e")
            return f"{mantissa}×10{superscript(exponent)}", 30
        return node.text, ATOM
    if kind == "name":
        return _name(node.text), ATOM
    if kind == "const":
        return CONST_OUT.get(node.text, node.text), ATOM
    if kind in BIN_PREC:
        prec = BIN_PREC[kind]
        left_prec = _show(args[0])[1]
        right_prec = _show(args[1])[1]
        if kind == "implies":
            left = _wrap(args[0], left_prec <= prec)
            right = _wrap(args[1], right_prec < prec)
        elif kind in SET_OPERATORS:
            # set operators have no precedence a reader knows: any mix is bracketed
            left = _wrap(args[0], left_prec < prec or _mixes(kind, args[0]))
            right = _wrap(args[1], right_prec <= prec or _mixes(kind, args[1]))
        else:
            # (1/n)·x, not 1/n·x, which a reader may take for 1/(n x)
            left = _wrap(args[0], left_prec < prec or (kind == "*" and args[0].kind == "/"))
            right = _wrap(args[1], right_prec <= prec)
        if kind == "*":
            return _product(node, left, right), prec
        return left + BIN_OUT[kind] + right, prec
    if kind == "^":
        base = _wrap(args[0], _show(args[0])[1] <= 40)
        simple = (
            (args[1].kind == "num" and "e" not in args[1].text)
            or args[1].kind == "const"
            or (args[1].kind == "name" and "_" not in args[1].text)
        )
        exponent = _wrap(args[1], not simple and _show(args[1])[1] <= ATOM)
        return f"{base}^{exponent}", 40
    if kind == "neg":
        return "-" + _wrap(args[0], _show(args[0])[1] <= 30), 30
    if kind == "not":
        return "¬" + _wrap(args[0], _show(args[0])[1] < ATOM), 5
    if kind == "!":
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "!", 50
    if kind == "T":
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "^T", 50
    if kind == "comp":
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "^c", 50
    if kind == "call":
        inner = ", ".join(to_text(arg) for arg in args)
        return f"{node.text}({inner})", ATOM
    if kind == "given":
        return f"{to_text(args[0])} | {to_text(args[1])}", 0
    if kind == "logb":
        base = to_text(args[0])
        if args[0].kind not in ("num", "name", "const"):
            base = "{" + base + "}"
        return f"log_{base}({to_text(args[1])})", ATOM
    if kind == "abs":
        return f"|{to_text(args[0])}|", ATOM
    if kind == "norm":
        return f"‖{to_text(args[0])}‖", ATOM
    if kind == "rel":
        ops = node.text.split()
        parts = [_wrap(args[0], _show(args[0])[1] <= 10)]
        for op, arg in zip(ops, args[1:], strict=True):
            parts.append(f" {REL_OUT[op]} " + _wrap(arg, _show(arg)[1] <= 10))
        return "".join(parts), 10
    if kind == "interval":
        return f"{node.text[0]}{to_text(args[0])}, {to_text(args[1])}{node.text[1]}", ATOM
    if kind == "set":
        return "{" + ", ".join(to_text(arg) for arg in args) + "}", ATOM
    if kind == "matrix":
        rows = ["[" + ", ".join(to_text(x) for x in row.args) + "]" for row in args]
        return "[" + ", ".join(rows) + "]", ATOM
    if kind in ("sum", "prod"):
        var, low, high, body = args
        head = kind + "_{" + to_text(var)
        if low.kind != "none":
            head += "=" + to_text(low) + "}^{" + to_text(high) + "}"
        else:
            head += "}"
        return f"{head} {_wrap(body, body.kind not in ('num', 'name'))}", 25
    if kind == "int":
        var, low, high, body = args
        head = "int"
        if low.kind != "none":
            head += "_{" + to_text(low) + "}^{" + to_text(high) + "}"
        return f"{head} ({to_text(body)}) d{_name(var.text)}", 25
    if kind == "lim":
        var, target, body = args
        return f"lim_{{{to_text(var)} -> {to_text(target)}}} ({to_text(body)})", 25
    if kind == "deriv":
        return f"\\frac{{d}}{{d{to_text(args[0])}}}({to_text(args[1])})", 25
    if kind == "index":
        sub = to_text(args[1])
        return f"{_name(args[0].text)}_{{{sub}}}", ATOM
    return f"<{kind}>", ATOM


def _product(node: Node, left: str, right: str) -> str:
    if node.text == "×":
        return f"{left} × {right}"
    first = right[:1]
    last = left[-1:]
    if node.text == "" and (first == "(" or first.isalpha() or first in "√π∞"):
        if first.isalpha() and (last.isalpha() or last == "_"):
            return f"{left} {right}"
        if first == "(" and not (last.isalnum() or last == ")"):
            return f"{left}·{right}"
        return f"{left}{right}"
    return f"{left}·{right}"
