"""Print a :class:`Node` back in plain math: the ``read_as`` of every verdict."""

from __future__ import annotations

from tutor.check.nodes import Kind, Node
from tutor.check.vocab import GREEK as GREEK_OUT

CONST_OUT = {"pi": "π", "oo": "∞", "emptyset": "∅", "e": "e", "True": "True", "False": "False"}
REL_OUT = {"<=": "≤", ">=": "≥", "!=": "≠", "=": "=", "<": "<", ">": ">"}
BIN_PREC = {
    Kind.IFF: 1,
    Kind.IMPLIES: 2,
    Kind.OR: 3,
    Kind.AND: 4,
    Kind.ADD: 20,
    Kind.SUB: 20,
    Kind.CUP: 20,
    Kind.SETMINUS: 20,
    Kind.MUL: 30,
    Kind.DIV: 30,
    Kind.CAP: 30,
}
BIN_OUT = {
    Kind.IFF: " ↔ ",
    Kind.IMPLIES: " → ",
    Kind.OR: " ∨ ",
    Kind.AND: " ∧ ",
    Kind.ADD: " + ",
    Kind.SUB: " - ",
    Kind.CUP: " ∪ ",
    Kind.SETMINUS: " ∖ ",
    Kind.DIV: "/",
    Kind.CAP: " ∩ ",
}
ATOM = 100


SUPERSCRIPT_DIGITS = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def superscript(text: str) -> str:
    return text.translate(SUPERSCRIPT_DIGITS)


SET_OPERATORS = (Kind.CUP, Kind.CAP, Kind.SETMINUS)


def _mixes(kind: Kind, child: Node) -> bool:
    return child.kind in SET_OPERATORS and (child.kind != kind or kind == Kind.SETMINUS)


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
    if kind == Kind.NUM:
        if "e" in node.text:
            mantissa, _, exponent = node.text.partition("e")
            if mantissa.isdigit() and exponent.startswith("-"):
                # 5×10⁻³ would read back as the exact product 5·10^(-3): keep the e
                return node.text, ATOM
            return f"{mantissa}×10{superscript(exponent)}", 30
        return node.text, ATOM
    if kind == Kind.NAME:
        return _name(node.text), ATOM
    if kind == Kind.CONST:
        return CONST_OUT.get(node.text, node.text), ATOM
    if kind in BIN_PREC:
        prec = BIN_PREC[kind]
        left_prec = _show(args[0])[1]
        right_prec = _show(args[1])[1]
        if kind == Kind.IMPLIES:
            left = _wrap(args[0], left_prec <= prec)
            right = _wrap(args[1], right_prec < prec)
        elif kind in SET_OPERATORS:
            # set operators have no precedence a reader knows: any mix is bracketed
            left = _wrap(args[0], left_prec < prec or _mixes(kind, args[0]))
            right = _wrap(args[1], right_prec <= prec or _mixes(kind, args[1]))
        else:
            # (1/n)·x, not 1/n·x, which a reader may take for 1/(n x)
            left = _wrap(
                args[0], left_prec < prec or (kind == Kind.MUL and args[0].kind == Kind.DIV)
            )
            right = _wrap(args[1], right_prec <= prec)
        if kind == Kind.MUL:
            return _product(node, left, right), prec
        return left + BIN_OUT[kind] + right, prec
    if kind == Kind.POW:
        base = _wrap(args[0], _show(args[0])[1] <= 40)
        simple = (
            (args[1].kind == Kind.NUM and "e" not in args[1].text)
            or args[1].kind == Kind.CONST
            or (args[1].kind == Kind.NAME and "_" not in args[1].text)
        )
        exponent = _wrap(args[1], not simple and _show(args[1])[1] <= ATOM)
        return f"{base}^{exponent}", 40
    if kind == Kind.NEG:
        return "-" + _wrap(args[0], _show(args[0])[1] <= 30), 30
    if kind == Kind.NOT:
        return "¬" + _wrap(args[0], _show(args[0])[1] < ATOM), 5
    if kind == Kind.FACTORIAL:
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "!", 50
    if kind == Kind.TRANSPOSE:
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "^T", 50
    if kind == Kind.COMPLEMENT:
        return _wrap(args[0], _show(args[0])[1] < ATOM) + "^c", 50
    if kind == Kind.CALL:
        inner = ", ".join(to_text(arg) for arg in args)
        return f"{node.text}({inner})", ATOM
    if kind == Kind.GIVEN:
        return f"{to_text(args[0])} | {to_text(args[1])}", 0
    if kind == Kind.LOGB:
        base = to_text(args[0])
        if args[0].kind not in (Kind.NUM, Kind.NAME, Kind.CONST):
            base = "{" + base + "}"
        return f"log_{base}({to_text(args[1])})", ATOM
    if kind == Kind.ABS:
        return f"|{to_text(args[0])}|", ATOM
    if kind == Kind.NORM:
        return f"‖{to_text(args[0])}‖", ATOM
    if kind == Kind.REL:
        ops = node.text.split()
        parts = [_wrap(args[0], _show(args[0])[1] <= 10)]
        for op, arg in zip(ops, args[1:], strict=True):
            parts.append(f" {REL_OUT[op]} " + _wrap(arg, _show(arg)[1] <= 10))
        return "".join(parts), 10
    if kind == Kind.INTERVAL:
        return f"{node.text[0]}{to_text(args[0])}, {to_text(args[1])}{node.text[1]}", ATOM
    if kind == Kind.SET:
        return "{" + ", ".join(to_text(arg) for arg in args) + "}", ATOM
    if kind == Kind.MATRIX:
        rows = ["[" + ", ".join(to_text(x) for x in row.args) + "]" for row in args]
        return "[" + ", ".join(rows) + "]", ATOM
    if kind in (Kind.SUM, Kind.PROD):
        var, low, high, body = args
        head = kind + "_{" + to_text(var)
        if low.kind != Kind.NONE:
            head += "=" + to_text(low) + "}^{" + to_text(high) + "}"
        else:
            head += "}"
        return f"{head} {_wrap(body, body.kind not in (Kind.NUM, Kind.NAME))}", 25
    if kind == Kind.INTEGRAL:
        var, low, high, body = args
        head = "int"
        if low.kind != Kind.NONE:
            head += "_{" + to_text(low) + "}^{" + to_text(high) + "}"
        return f"{head} ({to_text(body)}) d{_name(var.text)}", 25
    if kind == Kind.LIM:
        var, target, body = args
        return f"lim_{{{to_text(var)} -> {to_text(target)}}} ({to_text(body)})", 25
    if kind == Kind.DERIV:
        return f"\\frac{{d}}{{d{to_text(args[0])}}}({to_text(args[1])})", 25
    if kind == Kind.INDEX:
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
