"""Sample points of the declared domains: reals, positives, integers, naturals, vectors,
matrices, events with a random measure, random functions and indexed families."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from tutor.check.nodes import Kind, Node
from tutor.check.values import Env, Region, Vec

DIM = 3


@dataclass
class Domains:
    """The kind of every name in play."""

    kinds: dict[str, str] = field(default_factory=dict)  # name -> real/positive/...
    functions: tuple[str, ...] = ()
    probability: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    indexed: dict[str, str] = field(default_factory=dict)  # family -> bound (name or number)
    sizes: tuple[int, ...] = (DIM,)
    """The sizes square matrices are drawn at, in turn. Matrices of unstated size are drawn at
    3 and 2, so an identity of one size only (det(2A) = 8 det(A), det(−A) = −det(A)) is seen;
    vectors stay three-dimensional (the cross product)."""


def infer_naturals(nodes: list[Node]) -> set[str]:
    """Names that must be whole numbers: sum bounds, factorial and binomial arguments."""
    found: set[str] = set()
    for node in nodes:
        for sub in node.walk():
            if sub.kind in (Kind.SUM, Kind.PROD):
                for bound in sub.args[1:3]:
                    found |= {b.text for b in bound.walk() if b.kind == Kind.NAME}
            elif sub.kind == Kind.FACTORIAL or (sub.kind == Kind.CALL and sub.text == "binomial"):
                for arg in sub.args:
                    if arg.kind == Kind.NAME:
                        found.add(arg.text)
    return found


def _dyadic(rng: random.Random, low: float, high: float) -> tuple[int, int]:
    """A random number in [low, high] as an exact dyadic fraction num / 2**40."""
    span = high - low
    num = int((low + span * rng.random()) * 2**40)
    return num, 40


@dataclass
class Draw:
    """One sample point, independent of the precision it is evaluated at."""

    scalars: dict[str, tuple[int, int]]
    vectors: dict[str, list[tuple[int, int]]]
    matrices: dict[str, list[list[tuple[int, int]]]]
    functions: dict[str, list[tuple[int, int]]]
    indexed: dict[str, list[tuple[int, int]]]
    measure: list[tuple[int, int]]
    bools: dict[str, bool]
    dim: int = DIM


def draw(domains: Domains, names: set[str], rng: random.Random, trial: int) -> Draw:
    scalars: dict[str, tuple[int, int]] = {}
    vectors: dict[str, list[tuple[int, int]]] = {}
    matrices: dict[str, list[list[tuple[int, int]]]] = {}
    wide = trial % 4 == 3
    dim = domains.sizes[trial % len(domains.sizes)]
    for name in sorted(names):
        kind = domains.kinds.get(name, "real")
        if kind == "real":
            scalars[name] = _dyadic(rng, -30, 30) if wide else _dyadic(rng, -4, 4)
        elif kind == "positive":
            scalars[name] = _dyadic(rng, 0.01, 30) if wide else _dyadic(rng, 0.05, 5)
        elif kind == "integer":
            scalars[name] = (rng.randint(-12, 12), 0)
        elif kind == "natural":
            scalars[name] = (rng.randint(1, 12), 0)
        elif kind == "vector":
            vectors[name] = [_dyadic(rng, -3, 3) for _ in range(DIM)]
        elif kind == "matrix":
            matrices[name] = [[_dyadic(rng, -3, 3) for _ in range(dim)] for _ in range(dim)]
    for bound in domains.indexed.values():
        if bound.isdigit():
            scalars.pop(bound, None)
        elif bound not in scalars:
            scalars[bound] = (rng.randint(1, 6), 0)
    for name in sorted(names):
        kind = domains.kinds.get(name, "real")
        if kind.startswith("subscript:"):
            bound = domains.indexed.get(kind.split(":", 1)[1], "1")
            size = int(bound) if bound.isdigit() else scalars.get(bound, (1, 0))[0]
            scalars[name] = (rng.randint(1, max(size, 1)), 0)
    functions = {f: [_dyadic(rng, -2, 2) for _ in range(6)] for f in domains.functions}
    indexed: dict[str, list[tuple[int, int]]] = {}
    for family, bound in domains.indexed.items():
        size = int(bound) if bound.isdigit() else scalars[bound][0]
        indexed[family] = [_dyadic(rng, -3, 3) for _ in range(min(size, 50))]
    measure = [_dyadic(rng, 0.05, 1) for _ in range(2 ** len(domains.sets))]
    return Draw(scalars, vectors, matrices, functions, indexed, measure, {}, dim)


# Special points. Random real samples are never integers, so a power a^b of a negative base
# a is undefined at every one of them (values.py leaves a negative base to a non-integer
# exponent undefined), and identities that hold only for a positive base look true: (a^b)^c
# and a^(bc) agree at every sample where both are defined, yet at a = -1, b = 2, c = 1/2 they
# are 1 and -1. At a special point every real variable plays one of three parts: a random
# negative (or, when declared positive, positive) base, an even integer (±2) or a half
# (±1/2, 3/2), so that exponents are integers and bases negative together. Up to three real
# variables every assignment of parts is tried (27 points); beyond, 27 random assignments.
# These points lie on a set of measure zero: a side that is undefined at one of them proves
# nothing (a removable point), and only two defined, different values count (see
# equiv.compare).
# A fourth part looks where random samples never do: 0 (sign(x)², floor(1/(1+x²))).
SPECIAL_PARTS = ("base", "even", "half", "zero")
MAX_SPECIAL = 64


def special_draws(domains: Domains, names: set[str], rng: random.Random) -> list[Draw]:
    """Sample points where the real and positive variables take the special values above;
    the other names are drawn as usual. Empty when there is no real or positive variable."""
    continuous = sorted(n for n in names if domains.kinds.get(n, "real") in ("real", "positive"))
    if not continuous:
        return []
    if len(SPECIAL_PARTS) ** len(continuous) <= MAX_SPECIAL:
        assignments = list(itertools.product(SPECIAL_PARTS, repeat=len(continuous)))
    else:
        assignments = [
            tuple(rng.choice(SPECIAL_PARTS) for _ in continuous) for _ in range(MAX_SPECIAL)
        ]
    out = []
    for trial, parts in enumerate(assignments):
        sample = draw(domains, names, rng, trial)
        for name, part in zip(continuous, parts, strict=True):
            positive = domains.kinds.get(name, "real") == "positive"
            sample.scalars[name] = _special(rng, part, positive)
        out.append(sample)
    return out


def _special(rng: random.Random, part: str, positive: bool) -> tuple[int, int]:
    """A special value as an exact dyadic pair (num, shift): num / 2**shift."""
    if part == "even":
        return (2, 0) if positive else (rng.choice((2, -2)), 0)
    if part == "half":
        return (rng.choice((1, 3)), 1) if positive else (rng.choice((1, -1, 3)), 1)
    if part == "zero":
        return (0, 0) if not positive else (1, 10)  # a positive name: close to 0 instead
    return _dyadic(rng, 0.25, 4) if positive else _dyadic(rng, -4, -0.25)


# Beyond the ranges above. Whole numbers are drawn from -12 to 12 (naturals from 1) so that
# factorials and sums stay cheap, yet n + binomial(n, 13), floor(n/13) or a product of the
# twelve factors (n − 1)…(n − 12) differ from n only beyond 12: each whole-number name also
# takes these values, one name at a time and all together.
FAR_WHOLE = (13, 17, 25, 40, 64, 101, 150)

# A function built from max, min, |·|, floor, ceil or sign is not analytic: two of them may
# agree at every random point and differ on a small region (max(0, (x−5)(6−x)) against 0) or
# only far out (max(x, −100) against x). Analytic functions that agree on an interval agree
# everywhere, so only these get the dense points: a quarter grid from −12 to 12, random points
# between, and points far out, for one continuous name at a time.
PIECEWISE = frozenset({"floor", "ceil", "sign", "max", "min", "abs", "gcd", "lcm", "atan2"})
FAR_REAL = (12.5, 20.25, 37.5, 100.5, 1000.25, 65536.5, 2.0**30 + 0.5)
MAX_DENSE_NAMES = 3


def is_piecewise(nodes: list[Node]) -> bool:
    """Does an expression use a function that is not analytic (see PIECEWISE)?"""
    return any(
        sub.kind == Kind.ABS or (sub.kind == Kind.CALL and sub.text in PIECEWISE)
        for node in nodes
        for sub in node.walk()
    )


def critical_values(nodes: list[Node], name: str) -> list[float]:
    """Where a piecewise function of one polynomial argument may switch or peak: the real roots
    of each argument of |·|, sign, and of the differences of the arguments of max and min, and
    of their derivatives. A bump narrower than the grid (max(0, 10⁻⁶ − (x − 1/7)²)) is widest
    at such a point."""
    import sympy

    from tutor.check.symbolic import to_sympy

    pieces: list[Node] = []
    for node in nodes:
        for sub in node.walk():
            if sub.kind == Kind.ABS or (sub.kind == Kind.CALL and sub.text in ("sign", "abs")):
                pieces.append(sub.args[0])
            elif sub.kind == Kind.CALL and sub.text in ("max", "min"):
                pieces += [
                    Node(Kind.SUB, (a, b))
                    for i, a in enumerate(sub.args)
                    for b in sub.args[i + 1 :]
                ]
    found: list[float] = []
    for piece in pieces[:8]:
        try:
            expr = to_sympy(piece)
            symbols = expr.free_symbols
            if {s.name for s in symbols} != {name}:
                continue
            poly = sympy.Poly(expr, *symbols)
            if poly.degree() > 8:
                continue
            for candidate in (poly, poly.diff()):
                if candidate.degree() >= 1:
                    found += [float(r) for r in candidate.nroots(n=20) if r.is_real]
        except Exception:
            continue
    return [v for v in found if abs(v) < 2**40][:40]


def _as_pair(value: float) -> tuple[int, int]:
    """An exactly representable float as a dyadic pair (num, shift)."""
    num, den = value.as_integer_ratio()
    return num, den.bit_length() - 1


def extra_draws(
    domains: Domains,
    names: set[str],
    rng: random.Random,
    *,
    piecewise: bool,
    critical: dict[str, list[float]] | None = None,
) -> list[Draw]:
    """The points beyond the usual ranges: whole numbers past 12 and, for a piecewise
    expression, the dense and far points of its continuous names (see FAR_WHOLE, PIECEWISE)."""
    out: list[Draw] = []
    whole = sorted(n for n in names if domains.kinds.get(n) in ("integer", "natural"))
    for name in whole:
        for value in FAR_WHOLE:
            signs = (1, -1) if domains.kinds[name] == "integer" else (1,)
            for sign in signs:
                sample = draw(domains, names, rng, 0)
                sample.scalars[name] = (sign * value, 0)
                out.append(sample)
    if len(whole) > 1:
        for _ in range(4):
            sample = draw(domains, names, rng, 0)
            for name in whole:
                sign = rng.choice((1, -1)) if domains.kinds[name] == "integer" else 1
                sample.scalars[name] = (sign * rng.choice(FAR_WHOLE), 0)
            out.append(sample)
    if not piecewise:
        return out
    continuous = sorted(n for n in names if domains.kinds.get(n, "real") in ("real", "positive"))
    for name in continuous[:MAX_DENSE_NAMES]:
        positive = domains.kinds.get(name, "real") == "positive"
        points: list[tuple[int, int]] = [(k, 2) for k in range(1 if positive else -48, 49)]
        points += [_dyadic(rng, 0 if positive else -12, 12) for _ in range(24)]
        points += [_as_pair(s * v) for v in FAR_REAL for s in ((1,) if positive else (1, -1))]
        points += [_as_pair(v) for v in (critical or {}).get(name, []) if v > 0 or not positive]
        for point in points:
            sample = draw(domains, names, rng, 0)
            sample.scalars[name] = point
            out.append(sample)
    return out


def make_env(domains: Domains, sample: Draw, ctx: Any) -> Env:
    def value(pair: tuple[int, int]) -> Any:
        return ctx.ldexp(ctx.mpf(pair[0]), -pair[1])

    env = Env(ctx)
    for name, pair in sample.scalars.items():
        env.values[name] = value(pair)
    for name, comps in sample.vectors.items():
        env.values[name] = Vec(value(c) for c in comps)
    for name, rows in sample.matrices.items():
        env.values[name] = ctx.matrix([[value(c) for c in row] for row in rows])
    if (sample.matrices or sample.vectors) and "I" not in domains.kinds:
        env.values["I"] = ctx.eye(sample.dim)
    for name, truth in sample.bools.items():
        env.values[name] = truth
    atoms = 2 ** len(domains.sets)
    env.universe = (1 << atoms) - 1
    for j, name in enumerate(domains.sets):
        env.values[name] = Region(sum(1 << a for a in range(atoms) if a >> j & 1))
    if domains.sets and "Omega" not in domains.kinds:
        env.values["Omega"] = Region(env.universe)
    if domains.probability:
        weights = [value(w) for w in sample.measure]
        total = sum(weights, ctx.mpf(0))
        env.measure = [w / total for w in weights]
        for name in domains.probability:
            env.functions[name] = _unused
    for name, coeffs in sample.functions.items():
        env.functions[name] = _random_function(ctx, [value(c) for c in coeffs])
    for family, comps in sample.indexed.items():
        env.indexed[family] = [value(c) for c in comps]
    return env


def _unused(args: list[Any]) -> Any:
    raise AssertionError("probability is evaluated by the measure")


def _random_function(ctx: Any, c: list[Any]) -> Any:
    def func(args: list[Any]) -> Any:
        total = c[0]
        for k, arg in enumerate(args):
            total += c[1 + k % 3] * arg + c[4] * ctx.sin(c[5] * arg + k + 1) + c[2] * arg * arg / 7
        return total

    return func
