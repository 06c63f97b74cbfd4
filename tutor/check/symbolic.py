"""Build sympy objects directly from a :class:`Node` (never from strings)."""

from __future__ import annotations

from typing import Any

from tutor.check.errors import OutOfScope
from tutor.check.limits import MAX_POLY_EXPONENT
from tutor.check.nodes import Kind, Node, free_names, number_fraction
from tutor.check.values import _odd_root


def to_sympy(node: Node, assumptions: dict[str, dict[str, bool]] | None = None) -> Any:
    """Convert a scalar expression; raise :class:`OutOfScope` for anything else."""
    import sympy

    assumptions = assumptions or {}

    def symbol(name: str) -> Any:
        return sympy.Symbol(name, **assumptions.get(name, {"real": True}))

    def conv(n: Node) -> Any:
        kind = n.kind
        a = n.args
        if kind == Kind.NUM:
            numerator, denominator = number_fraction(n.text)
            return sympy.Rational(numerator, denominator)
        if kind == Kind.NAME:
            return symbol(n.text)
        if kind == Kind.CONST:
            table = {"pi": sympy.pi, "e": sympy.E, "oo": sympy.oo}
            if n.text not in table:
                raise OutOfScope(n.text)
            return table[n.text]
        if kind == Kind.ADD:
            return sympy.Add(conv(a[0]), conv(a[1]))
        if kind == Kind.SUB:
            return sympy.Add(conv(a[0]), sympy.Mul(sympy.Integer(-1), conv(a[1])))
        if kind == Kind.NEG:
            return sympy.Mul(sympy.Integer(-1), conv(a[0]))
        if kind == Kind.MUL:
            return sympy.Mul(conv(a[0]), conv(a[1]))
        if kind == Kind.DIV:
            return sympy.Mul(conv(a[0]), sympy.Pow(conv(a[1]), sympy.Integer(-1)))
        if kind == Kind.POW:
            base, exponent = conv(a[0]), conv(a[1])
            root = _odd_root(a[1])
            if root is not None and root.denominator > 1 and base.free_symbols:
                # the real odd root, as values.py evaluates it: x^(1/3) is −2 at −8
                power = sympy.Pow(sympy.Abs(base), sympy.Rational(root.numerator, root.denominator))
                return sympy.sign(base) * power if root.numerator % 2 else power
            if exponent.is_Number and abs(exponent) > MAX_POLY_EXPONENT and base.free_symbols:
                raise OutOfScope("exponent too large")
            return sympy.Pow(base, exponent)
        if kind == Kind.FACTORIAL:
            return sympy.factorial(conv(a[0]))
        if kind == Kind.ABS:
            return sympy.Abs(conv(a[0]))
        if kind == Kind.LOGB:
            return sympy.log(conv(a[1])) / sympy.log(conv(a[0]))
        if kind == Kind.CALL:
            return call(n)
        if kind in (Kind.SUM, Kind.PROD):
            var, low, high, body = a
            if low.kind == Kind.NONE:
                raise OutOfScope("sum without bounds")
            cls = sympy.Sum if kind == Kind.SUM else sympy.Product
            return cls(conv(body), (sympy.Symbol(var.text, integer=True), conv(low), conv(high)))
        if kind == Kind.INTEGRAL:
            var, low, high, body = a
            x = symbol(var.text)
            if low.kind == Kind.NONE:
                return sympy.Integral(conv(body), x)
            return sympy.Integral(conv(body), (x, conv(low), conv(high)))
        if kind == Kind.LIM:
            var, target, body = a
            return sympy.Limit(conv(body), symbol(var.text), conv(target))
        if kind == Kind.DERIV:
            return sympy.Derivative(conv(a[1]), symbol(a[0].text))
        raise OutOfScope(f"{kind} has no scalar meaning")

    def call(n: Node) -> Any:
        fname = n.text
        args = [conv(x) for x in n.args]
        table = {
            "sin": sympy.sin,
            "cos": sympy.cos,
            "tan": sympy.tan,
            "cot": sympy.cot,
            "sec": sympy.sec,
            "csc": sympy.csc,
            "sinh": sympy.sinh,
            "cosh": sympy.cosh,
            "tanh": sympy.tanh,
            "arcsin": sympy.asin,
            "asin": sympy.asin,
            "arccos": sympy.acos,
            "acos": sympy.acos,
            "arctan": sympy.atan,
            "atan": sympy.atan,
            "exp": sympy.exp,
            "log": sympy.log,
            "ln": sympy.log,
            "sqrt": sympy.sqrt,
            "abs": sympy.Abs,
            "floor": sympy.floor,
            "ceil": sympy.ceiling,
        }
        if fname in table and len(args) == 1:
            return table[fname](args[0])
        if fname == "lg":
            return sympy.log(args[0], 10)
        if fname == "binomial":
            return sympy.binomial(args[0], args[1])
        if fname == "atan2":
            return sympy.atan2(args[0], args[1])
        if fname in ("max", "min"):
            return (sympy.Max if fname == "max" else sympy.Min)(*args)
        if "'" in fname:
            raise OutOfScope("derivative of an unknown function")
        return sympy.Function(fname)(*args)

    return conv(node)


def evaluate_limit(node: Node, env: Any) -> Any:
    """Evaluate ``lim`` at a sample point: sympy computes the limit once, symbolically."""
    import sympy

    key = id(node)
    if key not in env.sympy_cache:
        var, target, body = node.args
        x = sympy.Symbol(var.text, real=True)
        try:
            result = sympy.limit(to_sympy(body), x, to_sympy(target))
        except (NotImplementedError, ValueError, TypeError) as exc:
            raise OutOfScope("limit") from exc
        if result.has(sympy.Limit) or not result.is_finite:
            raise OutOfScope("limit not found")
        env.sympy_cache[key] = result
    result = env.sympy_cache[key]
    names = free_names(node)
    subs = {}
    for symbol in result.free_symbols:
        if symbol.name not in names or symbol.name not in env.values:
            raise OutOfScope("limit with unknown parameters")
        subs[symbol] = sympy.Float(env.values[symbol.name], env.ctx.dps)
    value = result.evalf(env.ctx.dps, subs=subs)
    if not value.is_real:
        raise OutOfScope("limit not real")
    return env.ctx.mpf(value)
