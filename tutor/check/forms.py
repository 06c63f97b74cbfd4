"""Form conditions of a check block (``form:``): expanded, factored, exact, no-sum, ..."""

from __future__ import annotations

from tutor.check.nodes import Kind, Node, has_kind, is_decimal

FORMS = ("expanded", "factored", "exact", "no-sum", "no-integral", "no-derivative", "no-limit")


def _is_sum(node: Node) -> bool:
    while node.kind == Kind.NEG:
        node = node.args[0]
    return node.kind in (Kind.ADD, Kind.SUB)


def form_problem(forms: tuple[str, ...], answer: Node) -> str:
    """The first form condition the answer breaks, as a sentence, or ''."""
    for form in forms:
        if form == "expanded":
            for sub in answer.walk():
                if sub.kind == Kind.MUL and any(_is_sum(a) for a in sub.args):
                    return "Expand your answer: multiply out the brackets."
                base = sub.args[0] if sub.kind == Kind.POW else None
                if base is not None and base.kind == Kind.ABS:
                    base = base.args[0]  # |X - μ|² is (X - μ)², a power of a sum all the same
                if base is not None and _is_sum(base) and sub.args[1].kind == Kind.NUM:
                    return "Expand your answer: multiply out the powers of sums."
        elif form == "factored":
            if _is_sum(answer):
                return "Factor your answer: write it as a product."
        elif form == "exact":
            if any(sub.kind == Kind.NUM and is_decimal(sub.text) for sub in answer.walk()):
                return "Give the exact value, not a decimal."
        elif form.startswith("no-"):
            kinds = {
                "no-sum": (Kind.SUM, Kind.PROD),
                "no-integral": (Kind.INTEGRAL,),
                "no-derivative": (Kind.DERIV,),
                "no-limit": (Kind.LIM,),
            }.get(form)
            if kinds and has_kind(answer, kinds):
                return f"Your answer may not contain {form[3:]}s here."
    return ""
