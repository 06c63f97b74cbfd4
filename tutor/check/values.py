"""Evaluate a :class:`Node` at one sample point, over the reals, with mpmath.

Values are real numbers (``mpf``), vectors (:class:`Vec`, a column; :class:`RowVec`, a row),
matrices (``ctx.matrix``), events (:class:`Region`, a set of Venn regions) and truth values.
A value that does not exist over the reals (``sqrt`` of a negative, ``log 0``, division by
zero) raises :class:`Undefined`.

Shapes are honest: a declared vector is a column, ``u^T`` a row, ``u^T v`` a number (the dot
product), ``u v^T`` a matrix (the outer product) and ``(u u^T) v`` a column again. Two vectors
of the same orientation joined by a dot (``u·v``, ``u*v``) are the dot product; side by side
(``u v``) they are an input error. Products and sums whose shapes do not fit are input errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tutor.check.errors import CheckInputError, OutOfScope, OutsideConvention, Undefined
from tutor.check.limits import MAX_FACTORIAL, MAX_MAGNITUDE_BITS, MAX_TERMS
from tutor.check.nodes import Kind, Node, number_fraction
from tutor.check.printer import to_text

# Evaluation visits every node at every sample point, so this module tests kinds against
# these globals: on Python 3.11 every ``Kind.X`` is a class-attribute lookup through
# EnumType.__getattr__, about six times slower than a global (some 60 ns against 10).
_NUM = Kind.NUM
_NAME = Kind.NAME
_CONST = Kind.CONST
_ADD = Kind.ADD
_SUB = Kind.SUB
_MUL = Kind.MUL
_DIV = Kind.DIV
_POW = Kind.POW
_NEG = Kind.NEG
_FACTORIAL = Kind.FACTORIAL
_TRANSPOSE = Kind.TRANSPOSE
_COMPLEMENT = Kind.COMPLEMENT
_CALL = Kind.CALL
_LOGB = Kind.LOGB
_ABS = Kind.ABS
_NORM = Kind.NORM
_MATRIX = Kind.MATRIX
_SUM = Kind.SUM
_PROD = Kind.PROD
_INTEGRAL = Kind.INTEGRAL
_LIM = Kind.LIM
_DERIV = Kind.DERIV
_INDEX = Kind.INDEX
_NOT = Kind.NOT
_AND = Kind.AND
_OR = Kind.OR
_IMPLIES = Kind.IMPLIES
_IFF = Kind.IFF
_CUP = Kind.CUP
_CAP = Kind.CAP
_SETMINUS = Kind.SETMINUS
_GIVEN = Kind.GIVEN
_NONE = Kind.NONE


class Vec(tuple[Any, ...]):
    """A column vector of mpf components."""


class RowVec(Vec):
    """A row vector of mpf components: a transposed column vector, or a 1×n literal."""


def _like(vector: Vec, comps: Any) -> Vec:
    """A vector of the same orientation as ``vector`` with components ``comps``."""
    return RowVec(comps) if isinstance(vector, RowVec) else Vec(comps)


def shape_of(value: Any, sizes: bool = False) -> str:
    """The shape of a value in words, for feedback: "a number", "a row vector", …

    With ``sizes``, vectors and matrices are given their sizes (for literal values; a
    declared vector or matrix is sampled in a fixed dimension that means nothing to the
    learner)."""
    if isinstance(value, bool):
        return "a statement"
    if isinstance(value, Region):
        return "an event"
    if isinstance(value, RowVec):
        return f"a 1×{len(value)} row vector" if sizes else "a row vector"
    if isinstance(value, Vec):
        return f"a {len(value)}×1 column vector" if sizes else "a column vector"
    if _is_matrix(value):
        return f"a {value.rows}×{value.cols} matrix" if sizes else "a matrix"
    return "a number"


def _shape_error(message: str, node: Node) -> CheckInputError:
    return CheckInputError(message, node.col or None)


@dataclass(frozen=True)
class Region:
    """An event: the set of Venn regions (bit i set = region i belongs)."""

    bits: int


@dataclass
class Env:
    ctx: Any  # an mpmath MPContext of its own: thread-safe precision
    values: dict[str, Any] = field(default_factory=dict)
    functions: dict[str, Callable[[list[Any]], Any]] = field(default_factory=dict)
    indexed: dict[str, list[Any]] = field(default_factory=dict)
    measure: list[Any] = field(default_factory=list)
    universe: int = 0
    approx: bool = False
    sympy_cache: dict[int, Any] = field(default_factory=dict)

    def bind(self, name: str, value: Any) -> Env:
        values = dict(self.values)
        values[name] = value
        return Env(
            self.ctx,
            values,
            self.functions,
            self.indexed,
            self.measure,
            self.universe,
            self.approx,
            self.sympy_cache,
        )


def _scalar(value: Any, node: Node) -> Any:
    if isinstance(value, Vec | Region | bool) or _is_matrix(value):
        raise CheckInputError("A number is needed here.", node.col or None)
    return value


def _is_matrix(value: Any) -> bool:
    return hasattr(value, "rows") and hasattr(value, "cols")


def _guard(env: Env, value: Any) -> Any:
    ctx = env.ctx
    if isinstance(value, bool | Vec | Region) or _is_matrix(value):
        return value
    if ctx.isnan(value) or ctx.isinf(value):
        raise Undefined
    if value != 0 and abs(ctx.mag(value)) > MAX_MAGNITUDE_BITS:
        raise OutOfScope("a value is too large or too small to check")
    return value


def evaluate(node: Node, env: Env) -> Any:
    return _guard(env, _eval(node, env))


def _eval(node: Node, env: Env) -> Any:
    ctx = env.ctx
    kind = node.kind
    args = node.args
    if kind == _NUM:
        numerator, denominator = number_fraction(node.text)
        value = ctx.mpf(numerator)
        return value / denominator if denominator != 1 else value
    if kind == _NAME:
        if node.text not in env.values:
            raise CheckInputError(f"The name {node.text} cannot be used here.", node.col or None)
        return env.values[node.text]
    if kind == _CONST:
        return _constant(node, env)
    if kind in (_ADD, _SUB):
        left, right = evaluate(args[0], env), evaluate(args[1], env)
        return _add(left, right if kind == _ADD else _negate(right, node), node, env)
    if kind == _NEG:
        return _negate(evaluate(args[0], env), node)
    if kind == _MUL:
        return _multiply(evaluate(args[0], env), evaluate(args[1], env), node, env)
    if kind == _DIV:
        left, right = evaluate(args[0], env), _scalar(evaluate(args[1], env), node)
        if right == 0:
            raise Undefined
        if isinstance(left, Vec):
            return _like(left, (c / right for c in left))
        if _is_matrix(left):
            return left / right
        return _scalar(left, node) / right
    if kind == _POW:
        return _power(node, env)
    if kind == _FACTORIAL:
        value = _scalar(evaluate(args[0], env), node)
        return _factorial(value, env)
    if kind == _TRANSPOSE:
        value = evaluate(args[0], env)
        if _is_matrix(value):
            return value.T
        if isinstance(value, RowVec):
            return Vec(value)
        if isinstance(value, Vec):
            return RowVec(value)
        return value
    if kind == _COMPLEMENT:
        value = evaluate(args[0], env)
        if not isinstance(value, Region):
            raise CheckInputError("Only an event has a complement.", node.col or None)
        return Region(env.universe & ~value.bits)
    if kind in (_CUP, _CAP, _SETMINUS):
        left, right = evaluate(args[0], env), evaluate(args[1], env)
        if not (isinstance(left, Region) and isinstance(right, Region)):
            raise CheckInputError("∪, ∩ and ∖ combine declared sets.", node.col or None)
        if kind == _CUP:
            return Region(left.bits | right.bits)
        if kind == _CAP:
            return Region(left.bits & right.bits)
        return Region(left.bits & ~right.bits)
    if kind in (_NOT, _AND, _OR, _IMPLIES, _IFF):
        vals = [evaluate(arg, env) for arg in args]
        if not all(isinstance(v, bool) for v in vals):
            raise CheckInputError("Logic connectives join statements.", node.col or None)
        if kind == _NOT:
            return not vals[0]
        if kind == _AND:
            return vals[0] and vals[1]
        if kind == _OR:
            return vals[0] or vals[1]
        if kind == _IMPLIES:
            return (not vals[0]) or vals[1]
        return vals[0] == vals[1]
    if kind == _ABS:
        value = evaluate(args[0], env)
        if isinstance(value, Vec):
            return ctx.sqrt(sum((c * c for c in value), ctx.mpf(0)))
        return abs(_scalar(value, node))
    if kind == _NORM:
        value = evaluate(args[0], env)
        if isinstance(value, Vec):
            return ctx.sqrt(sum((c * c for c in value), ctx.mpf(0)))
        return abs(_scalar(value, node))
    if kind == _CALL:
        return _call(node, env)
    if kind == _LOGB:
        base = _scalar(evaluate(args[0], env), node)
        value = _scalar(evaluate(args[1], env), node)
        if base <= 0 or base == 1 or value <= 0:
            raise Undefined
        return ctx.log(value) / ctx.log(base)
    if kind == _INDEX:
        family = env.indexed.get(args[0].text)
        if family is None:
            raise CheckInputError(f"{args[0].text} is not an indexed family.", node.col or None)
        index = _scalar(evaluate(args[1], env), node)
        if index != int(index) or not 1 <= int(index) <= len(family):
            raise Undefined
        return family[int(index) - 1]
    if kind in (_SUM, _PROD):
        return _big_operator(node, env)
    if kind == _INTEGRAL:
        return _integral(node, env)
    if kind == _DERIV:
        var = args[0].text
        if var not in env.values:
            raise CheckInputError(f"d/d{var}: {var} is not a variable here.", node.col or None)
        point = env.values[var]
        env.approx = True
        return ctx.diff(lambda t: _scalar(evaluate(args[1], env.bind(var, t)), node), point)
    if kind == _LIM:
        from tutor.check.symbolic import evaluate_limit

        env.approx = True
        return evaluate_limit(node, env)
    if kind == _MATRIX:
        rows = [[_scalar(evaluate(x, env), node) for x in row.args] for row in args]
        if len(rows[0]) == 1 and len(rows) > 1:
            return Vec(row[0] for row in rows)
        if len(rows) == 1 and len(rows[0]) > 1:
            return RowVec(rows[0])
        return ctx.matrix(rows)
    raise CheckInputError("This construct cannot be used in this kind of answer.", node.col or None)


def _constant(node: Node, env: Env) -> Any:
    ctx = env.ctx
    text = node.text
    if text == "pi":
        return +ctx.pi
    if text == "e":
        return +ctx.e
    if text == "True":
        return True
    if text == "False":
        return False
    if text == "emptyset":
        return Region(0)
    raise OutOfScope("infinity is not a number to compute with")


def _negate(value: Any, node: Node) -> Any:
    if isinstance(value, Vec):
        return _like(value, (-c for c in value))
    if isinstance(value, Region | bool):
        raise CheckInputError(
            "Only numbers, vectors and matrices can be negated.", node.col or None
        )
    return -value


def _add(left: Any, right: Any, node: Node, env: Env) -> Any:
    if isinstance(left, Vec) and isinstance(right, Vec) and len(left) == len(right):
        if isinstance(left, RowVec) != isinstance(right, RowVec):
            verb = "added" if node.kind == _ADD else "subtracted"
            raise _shape_error(
                f"{_side(node, 0)} and {_side(node, 1)} cannot be {verb}: one is a row vector, "
                "the other a column vector (check the transposes).",
                node,
            )
        return _like(left, (a + b for a, b in zip(left, right, strict=True)))
    if _is_matrix(left) and _is_matrix(right):
        if (left.rows, left.cols) != (right.rows, right.cols):
            raise _shape_error("These two matrices have different sizes.", node)
        return left + right
    if (
        isinstance(left, Vec | Region | bool)
        or isinstance(right, Vec | Region | bool)
        or (_is_matrix(left) or _is_matrix(right))
    ):
        raise CheckInputError("These two things cannot be added.", node.col or None)
    return left + right


def _side(node: Node, index: int) -> str:
    """One operand of ``node`` in plain math, transposes as ᵀ (uᵀv), for messages."""
    return to_text(node.args[index]).replace("^T ", "ᵀ").replace("^T", "ᵀ")


def _multiply(left: Any, right: Any, node: Node, env: Env) -> Any:
    ctx = env.ctx
    if isinstance(left, Vec) and isinstance(right, Vec):
        if len(left) != len(right):
            raise _shape_error("These two vectors have different lengths.", node)
        row_left, row_right = isinstance(left, RowVec), isinstance(right, RowVec)
        if node.text == "×":
            if len(left) != 3:
                raise CheckInputError("× needs vectors in three dimensions.", node.col or None)
            if row_left != row_right:
                raise _shape_error("× takes two column vectors (or two row vectors).", node)
            a1, a2, a3 = left
            b1, b2, b3 = right
            return _like(left, (a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1))
        if not row_left and row_right:
            # a column times a row: the outer product, an n×n matrix
            return ctx.matrix([[a * b for b in right] for a in left])
        if row_left == row_right and node.text == "":
            # u v of two columns has no meaning: the learner means one of two products
            raise _shape_error(
                f"{_side(node, 0)} {_side(node, 1)} multiplies two "
                + ("row" if row_left else "column")
                + " vectors: write u·v (or uᵀv) for the dot product, u vᵀ for the outer product.",
                node,
            )
        # a row times a column is the dot product; u·v (or u*v) of two vectors of the same
        # orientation is the dot product too
        return sum((a * b for a, b in zip(left, right, strict=True)), ctx.mpf(0))
    if isinstance(left, Vec) and _is_matrix(right):
        if not isinstance(left, RowVec):
            raise _shape_error(
                "A column vector cannot multiply a matrix from the left: write the matrix "
                "before the vector (A v), or transpose the vector (vᵀA).",
                node,
            )
        if right.rows != len(left):
            raise _shape_error("The sizes of this vector and this matrix do not match.", node)
        row = ctx.matrix([list(left)]) * right
        return RowVec(row[0, j] for j in range(row.cols))
    if _is_matrix(left) and isinstance(right, Vec):
        if isinstance(right, RowVec):
            raise _shape_error(
                "A matrix cannot multiply a row vector from the left: "
                "write the column vector (A v), or put the row vector first (vᵀA).",
                node,
            )
        if left.cols != len(right):
            raise _shape_error("The sizes of this matrix and this vector do not match.", node)
        product = left * ctx.matrix(list(right))
        return Vec(product[i, 0] for i in range(product.rows))
    if _is_matrix(left) and _is_matrix(right):
        if left.cols != right.rows:
            raise _shape_error("The sizes of these two matrices do not match.", node)
        return left * right
    if isinstance(left, Vec):
        return _like(left, (c * _scalar(right, node) for c in left))
    if isinstance(right, Vec):
        return _like(right, (_scalar(left, node) * c for c in right))
    if _is_matrix(left):
        return left * _scalar(right, node)
    if _is_matrix(right):
        return right * _scalar(left, node)
    if isinstance(left, Region) or isinstance(right, Region):
        raise CheckInputError("Events combine with ∪, ∩ and ∖, not products.", node.col or None)
    return _scalar(left, node) * _scalar(right, node)


def _literal_fraction(node: Node) -> Fraction | None:
    """The value of an exponent written with whole numbers only (2/6, -1/3, -(2/3), 1/(2·3)),
    else None."""
    kind = node.kind
    if kind == _NUM:
        return Fraction(int(node.text)) if node.text.isdigit() else None
    if kind == Kind.NEG:
        inner = _literal_fraction(node.args[0])
        return None if inner is None else -inner
    if kind in (_DIV, Kind.MUL, Kind.ADD, Kind.SUB):
        left, right = (_literal_fraction(arg) for arg in node.args)
        if left is None or right is None:
            return None
        if kind == _DIV:
            return None if right == 0 else left / right
        if kind == Kind.MUL:
            return left * right
        return left + right if kind == Kind.ADD else left - right
    return None


def _odd_root(node: Node) -> Fraction | None:
    """The exponent p/q in lowest terms when it is written as a fraction of whole numbers with
    q odd (a real odd root: (−8)^(1/3) = −2, x^(2/6) = x^(1/3)), else None."""
    value = _literal_fraction(node)
    if value is None or value.denominator % 2 == 0:
        return None
    return value


def _power(node: Node, env: Env) -> Any:
    ctx = env.ctx
    base = evaluate(node.args[0], env)
    exponent = _scalar(evaluate(node.args[1], env), node)
    if _is_matrix(base):
        if exponent != int(exponent):
            raise CheckInputError("A matrix power must be an integer.", node.col or None)
        k = int(exponent)
        if abs(k) > 64:
            raise OutOfScope("matrix power too large")
        if k < 0:
            if ctx.det(base) == 0:
                raise Undefined
            base = ctx.inverse(base)
            k = -k
        result = ctx.eye(base.rows)
        for _ in range(k):
            result = result * base
        return result
    base = _scalar(base, node)
    if base == 0 and exponent <= 0:
        raise Undefined
    if base < 0 and exponent != int(exponent):
        root = _odd_root(node.args[1])
        if root is not None:
            # the real odd root: (-b)^(p/q) = (-1)^p b^(p/q) for q odd
            magnitude = ctx.power(-base, exponent)
            return magnitude if root.numerator % 2 == 0 else -magnitude
        raise Undefined
    if base != 0 and abs(exponent * ctx.log(abs(base), 2)) > MAX_MAGNITUDE_BITS:
        raise OutOfScope("a power is too large to check")
    if exponent == int(exponent):
        return ctx.power(base, int(exponent))
    return ctx.power(base, exponent)


def _whole(value: Any) -> int:
    """An integer argument (of gcd, lcm): anything else is undefined."""
    if value != int(value) or abs(value) > 10**30:
        raise Undefined
    return int(value)


def _factorial(value: Any, env: Env) -> Any:
    if value != int(value):
        raise Undefined
    if value < 0:
        raise OutsideConvention
    if value > MAX_FACTORIAL:
        raise OutOfScope("factorial too large")
    return env.ctx.factorial(int(value))


def _binomial(n: Any, k: Any, env: Env) -> Any:
    if n != int(n) or k != int(k):
        raise Undefined
    if abs(n) > MAX_FACTORIAL or abs(k) > MAX_FACTORIAL:
        raise OutOfScope("binomial too large")
    if k < 0 or n < 0 or k > n:
        return env.ctx.mpf(0)
    return env.ctx.binomial(int(n), int(k))


SIMPLE: dict[str, str] = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "cot": "cot",
    "sec": "sec",
    "csc": "csc",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "sech": "sech",
    "atan": "atan",
    "asinh": "asinh",
    "exp": "exp",
    "floor": "floor",
    "ceil": "ceil",
    "sign": "sign",
}
# Functions defined on part of the real line: (mpmath name, where it is defined).
PARTIAL: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "asin": ("asin", lambda v: abs(v) <= 1),
    "acos": ("acos", lambda v: abs(v) <= 1),
    "asec": ("asec", lambda v: abs(v) >= 1),
    "acsc": ("acsc", lambda v: abs(v) >= 1),
    "acot": ("acot", lambda v: v != 0),
    "coth": ("coth", lambda v: v != 0),
    "csch": ("csch", lambda v: v != 0),
    "acosh": ("acosh", lambda v: v >= 1),
    "atanh": ("atanh", lambda v: abs(v) < 1),
    "acoth": ("acoth", lambda v: abs(v) > 1),
}


def _call(node: Node, env: Env) -> Any:
    ctx = env.ctx
    fname = node.text
    base_name = fname.rstrip("'")
    if base_name in env.functions and fname not in SIMPLE:
        if env.measure and len(node.args) == 1:
            return _probability(node, env)
        args = [_scalar(evaluate(arg, env), node) for arg in node.args]
        func = env.functions[base_name]
        order = len(fname) - len(base_name)
        if order == 0:
            return func(args)
        if len(args) != 1:
            raise OutOfScope("primes on functions of several variables")
        env.approx = True
        return ctx.diff(lambda t: func([t]), args[0], order)
    if fname in ("dot",):
        left, right = (evaluate(arg, env) for arg in node.args)
        if not (isinstance(left, Vec) and isinstance(right, Vec)):
            raise CheckInputError("dot takes two vectors.", node.col or None)
        if len(left) != len(right):
            raise _shape_error("These two vectors have different lengths.", node)
        return sum((a * b for a, b in zip(left, right, strict=True)), ctx.mpf(0))
    if fname == "cross":
        mult = Node(_MUL, node.args, "×", node.col)
        return _eval(mult, env)
    if fname == "norm":
        return _eval(Node(_NORM, node.args, "", node.col), env)
    if fname == "det":
        value = evaluate(node.args[0], env)
        if not _is_matrix(value):
            raise CheckInputError("det takes a matrix.", node.col or None)
        return ctx.det(value)
    if fname == "binomial":
        n, k = (_scalar(evaluate(arg, env), node) for arg in node.args)
        return _binomial(n, k, env)
    args = [_scalar(evaluate(arg, env), node) for arg in node.args]
    if fname == "atan2":
        y, x = args
        if x == 0 and y == 0:
            raise Undefined
        return ctx.atan2(y, x)
    if fname in ("gcd", "lcm"):
        whole = [_whole(arg) for arg in args]
        result = math.gcd(*whole) if fname == "gcd" else math.lcm(*whole)
        return ctx.mpf(result)
    if fname in ("max", "min"):
        if not args:
            raise CheckInputError(f"{fname} needs arguments.", node.col or None)
        return max(args) if fname == "max" else min(args)
    (value,) = args
    if fname in SIMPLE:
        if fname in ("tan", "sec") and ctx.cos(value) == 0:
            raise Undefined
        if fname in ("cot", "csc") and ctx.sin(value) == 0:
            raise Undefined
        return getattr(ctx, SIMPLE[fname])(value)
    if fname == "sqrt":
        if value < 0:
            raise Undefined
        return ctx.sqrt(value)
    if fname == "abs":
        return abs(value)
    if fname in ("log", "ln"):
        if value <= 0:
            raise Undefined
        return ctx.log(value)
    if fname == "lg":
        if value <= 0:
            raise Undefined
        return ctx.log10(value)
    if fname in PARTIAL:
        mp_name, defined = PARTIAL[fname]
        if not defined(value):
            raise Undefined
        return getattr(ctx, mp_name)(value)
    raise CheckInputError(f"Unknown function {fname}.", node.col or None)


def _probability(node: Node, env: Env) -> Any:
    ctx = env.ctx
    event_node = node.args[0]

    def measure(region: Any) -> Any:
        if not isinstance(region, Region):
            raise CheckInputError("P takes an event.", node.col or None)
        return sum((w for i, w in enumerate(env.measure) if region.bits >> i & 1), ctx.mpf(0))

    if event_node.kind == _GIVEN:
        joint = measure(Region(_region(event_node.args[0], env) & _region(event_node.args[1], env)))
        condition = measure(Region(_region(event_node.args[1], env)))
        if condition == 0:
            raise Undefined
        return joint / condition
    return measure(evaluate(event_node, env))


def _region(node: Node, env: Env) -> int:
    value = evaluate(node, env)
    if not isinstance(value, Region):
        raise CheckInputError("An event is needed here.", node.col or None)
    return value.bits


def _bound(node: Node, env: Env) -> int:
    value = _scalar(evaluate(node, env), node)
    if value != int(value):
        raise Undefined
    return int(value)


def _big_operator(node: Node, env: Env) -> Any:
    ctx = env.ctx
    var, low, high, body = node.args
    if low.kind == _NONE:
        family = _family_of(body, var.text, env)
        if family is None:
            raise OutOfScope("a sum without bounds")
        start, stop = 1, len(family)
    else:
        start, stop = _bound(low, env), _bound(high, env)
    if stop - start + 1 > MAX_TERMS:
        raise OutOfScope("too many terms")
    total = ctx.mpf(0) if node.kind == _SUM else ctx.mpf(1)
    for k in range(start, stop + 1):
        term = _scalar(evaluate(body, env.bind(var.text, ctx.mpf(k))), node)
        total = total + term if node.kind == _SUM else total * term
    return total


def _family_of(body: Node, var: str, env: Env) -> list[Any] | None:
    for sub in body.walk():
        if sub.kind == _INDEX and sub.args[1] == Node(_NAME, (), var):
            return env.indexed.get(sub.args[0].text)
    return None


def _integral(node: Node, env: Env) -> Any:
    ctx = env.ctx
    var, low, high, body = node.args
    if low.kind == _NONE:
        raise OutOfScope("an indefinite integral")
    a = _scalar(evaluate(low, env), node)
    b = _scalar(evaluate(high, env), node)
    env.approx = True

    def integrand(t: Any) -> Any:
        return _scalar(evaluate(body, env.bind(var.text, t)), node)

    return ctx.quad(integrand, [a, b])
