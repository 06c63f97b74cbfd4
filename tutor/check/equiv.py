"""Decide whether two evaluations agree over the declared domains, by exact or
high-precision random instantiation: a counterexample rejects, agreement everywhere accepts."""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutor.check.domains import Domains, Draw, draw, extra_draws, make_env, special_draws
from tutor.check.errors import OutOfScope, OutsideConvention, Undefined
from tutor.check.precision import context
from tutor.check.values import Env, Region, RowVec, Vec, _is_matrix

LO_DPS = 30
Evaluation = Callable[[Env], Any]


@dataclass(frozen=True)
class Outcome:
    status: str  # "equal", "different", "undecided"
    note: str = ""
    point: str = ""


def _close(a: Any, b: Any, ctx: Any, tol: Any, floor: float = 1.0) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, Region) or isinstance(b, Region):
        return bool(a == b)
    if isinstance(a, Vec) or isinstance(b, Vec):
        return (
            isinstance(a, Vec)
            and isinstance(b, Vec)
            and isinstance(a, RowVec) == isinstance(b, RowVec)
            and len(a) == len(b)
            and all(_close(x, y, ctx, tol, floor) for x, y in zip(a, b, strict=True))
        )
    if _is_matrix(a) or _is_matrix(b):
        if not (_is_matrix(a) and _is_matrix(b)) or (a.rows, a.cols) != (b.rows, b.cols):
            return False
        return all(
            _close(a[i, j], b[i, j], ctx, tol, floor) for i in range(a.rows) for j in range(a.cols)
        )
    if a == b:
        return True
    scale = max(abs(a), abs(b), ctx.mpf(floor))
    return bool(abs(a - b) <= tol * scale)


# Derivatives, integrals and limits are computed numerically (mpmath's diff and quad are good to
# about 30 digits at the low precision): they are compared to 20 significant digits, relative
# down to values of 1e-5, so a small constant (1.6e-19) off by a factor is still seen.
APPROX_TOL = -20
APPROX_FLOOR = 1e-5


def seed_of(*texts: str) -> int:
    digest = hashlib.sha256("\x00".join(texts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _value(fn: Evaluation, env: Env) -> tuple[bool, Any]:
    try:
        return True, fn(env)
    except (Undefined, ZeroDivisionError):
        return False, None


def _conventional_gap(
    left: Evaluation, right: Evaluation, env: Env, ok_l: bool, val_l: Any, ok_r: bool, val_r: Any
) -> bool:
    """One side is a factorial of a negative whole number and the other is 0: the two agree by
    the convention that makes binomial(n, k) = 0 for k > n, so the point is passed over."""
    if ok_l == ok_r:
        return False
    undefined, value = (left, val_r) if not ok_l else (right, val_l)
    if isinstance(value, bool) or not _is_scalar(value) or value != 0:
        return False
    try:
        undefined(env)
    except OutsideConvention:
        return True
    except (Undefined, ZeroDivisionError):
        return False
    return False


def compare(
    left: Evaluation,
    right: Evaluation,
    domains: Domains,
    names: set[str],
    *,
    seed: int,
    extra_dps: int = 0,
    trials: int = 24,
    approx: bool = False,
    piecewise: bool = False,
    special: bool = True,
    critical: dict[str, list[float]] | None = None,
) -> Outcome:
    """Compare two evaluations at random points of the domains of ``names``; ``piecewise``
    when either is not analytic (see domains.PIECEWISE), for denser points; ``special``
    False for the random points only (to sample one function's values)."""

    lo = context(LO_DPS)
    hi = context(60 + extra_dps)
    rng = random.Random(seed)
    continuous = any(domains.kinds.get(n, "real") in ("real", "positive") for n in names) or bool(
        domains.functions
    )
    if not names and not domains.functions and not domains.indexed:
        trials = 2
    both = 0
    one_sided = 0
    checked_hi = 0
    too_large = 0  # points where a side could not be evaluated: they prove nothing
    agreed: set[str] = set()  # the distinct points where both sides were compared
    for trial in range(trials * 3):
        if both >= trials:
            break
        sample = draw(domains, names, rng, trial)
        env_lo = make_env(domains, sample, lo)
        try:
            ok_l, val_l = _value(left, env_lo)
            ok_r, val_r = _value(right, env_lo)
        except (OutOfScope, OverflowError):
            too_large += 1
            continue  # too large to evaluate here (e^(-x y²) far out): the next point decides
        if _conventional_gap(left, right, env_lo, ok_l, val_l, ok_r, val_r):
            continue
        use_approx = approx or env_lo.approx
        tol_lo = lo.mpf(10) ** (APPROX_TOL if use_approx else -(LO_DPS - 8))
        if ok_l != ok_r:
            one_sided += 1
            if continuous or one_sided >= 3:
                return Outcome(
                    "different", "defined on different regions", _describe(sample, names)
                )
            continue
        if not ok_l:
            continue
        both += 1
        agreed.add(_describe(sample, names))
        agree = _close(val_l, val_r, lo, tol_lo, APPROX_FLOOR if use_approx else 1.0)
        if use_approx:
            if not agree:
                return Outcome("different", "", _describe(sample, names))
            continue
        if agree and checked_hi >= 4:
            continue
        checked_hi += 1
        decided = _agree_hi(left, right, domains, sample, hi)
        if decided is False:
            return Outcome("different", "", _describe(sample, names))
        if decided is None:
            return Outcome("undecided", "precision was not enough to decide")
    if both < min(trials, 6) and (continuous or both == 0):
        return Outcome("undecided", "too few points where both sides are defined")
    if too_large and len(agreed) < min(trials, 6):
        # whole numbers drawn from a dozen: `n + n!!!` agrees with 2^n at n = 1 and 2 and is
        # too large to evaluate everywhere else, which is no evidence that it is right
        return Outcome("undecided", "too few points could be evaluated to decide")
    if not special:
        return Outcome("equal")
    return _special_points(
        left, right, domains, names, seed, approx, hi.dps, piecewise, critical or {}
    )


def _differs_at(
    left: Evaluation, right: Evaluation, domains: Domains, sample: Draw, approx: bool, dps: int
) -> bool:
    """Do the two sides have defined values at ``sample`` that differ at every precision?"""
    lo = context(LO_DPS)
    env = make_env(domains, sample, lo)
    ok_l, val_l = _value(left, env)
    ok_r, val_r = _value(right, env)
    if not (ok_l and ok_r):
        return False
    use_approx = approx or env.approx
    floor = APPROX_FLOOR if use_approx else 1.0
    if _close(val_l, val_r, lo, lo.mpf(10) ** (APPROX_TOL if use_approx else -(LO_DPS - 8)), floor):
        return False
    if not use_approx:
        # cancellation (a sum of large terms of alternating sign) is noise that shrinks with
        # precision; only a difference that stays is one
        return _agree_hi(left, right, domains, sample, context(dps)) is False
    for precision in (dps, 2 * dps):
        ctx = context(precision)
        env = make_env(domains, sample, ctx)
        ok_l, val_l = _value(left, env)
        ok_r, val_r = _value(right, env)
        tol = ctx.mpf(10) ** (APPROX_TOL if use_approx else -(precision - 10))
        if not (ok_l and ok_r) or _close(val_l, val_r, ctx, tol, floor):
            return False
    return True


def _special_points(
    left: Evaluation,
    right: Evaluation,
    domains: Domains,
    names: set[str],
    seed: int,
    approx: bool,
    dps: int,
    piecewise: bool = False,
    critical: dict[str, list[float]] | None = None,
) -> Outcome:
    """After agreement at random points, the special points of ``special_draws`` (negative
    bases, whole and half exponents): only two defined values that differ at every precision
    reject; a side undefined there proves nothing, so a removable point still does not count."""
    rng = random.Random(seed ^ 0x5EC1A1)
    samples = special_draws(domains, names, rng)
    samples += extra_draws(domains, names, rng, piecewise=piecewise, critical=critical)
    for sample in samples:
        try:
            differs = _differs_at(left, right, domains, sample, approx, dps)
        except (OutOfScope, OverflowError):
            continue  # too large to evaluate here (e^x far out): this point proves nothing
        if differs:
            return Outcome("different", "", _describe(sample, names))
    return Outcome("equal")


def _agree_hi(
    left: Evaluation, right: Evaluation, domains: Domains, sample: Draw, hi: Any
) -> bool | None:
    """Decide one point at rising precision: True (agree), False (a stable difference),
    None (cannot tell)."""

    previous: Any = None
    for dps in (LO_DPS, hi.dps, hi.dps * 3):
        ctx = context(dps)
        env = make_env(domains, sample, ctx)
        ok_l, val_l = _value(left, env)
        ok_r, val_r = _value(right, env)
        if ok_l != ok_r:
            if dps > LO_DPS:
                return False
            previous = None
            continue
        if not ok_l:
            return True
        if isinstance(val_l, bool | Region) or not _is_scalar(val_l) or not _is_scalar(val_r):
            if dps > LO_DPS:
                return bool(_close(val_l, val_r, ctx, ctx.mpf(10) ** (-(dps - 10))))
            continue
        diff = val_l - val_r
        scale = max(abs(val_l), abs(val_r))
        if dps == hi.dps * 3 and diff == 0:
            return True
        if previous is not None and abs(diff - previous) <= abs(diff) * ctx.mpf(10) ** -6:
            return False  # the same difference at two precisions: a real one, however small
        if dps == hi.dps * 3 and (
            abs(diff) <= scale * ctx.mpf(10) ** (10 - dps)
            or (previous is not None and abs(diff) <= abs(previous) * ctx.mpf(10) ** (-hi.dps))
        ):
            return True  # equal to 170 digits, or a difference that shrinks: rounding noise
        if dps == hi.dps * 3 and abs(diff) > scale * ctx.mpf(10) ** (hi.dps - dps):
            return False  # far above this precision's rounding: a real difference
        if dps > LO_DPS or abs(diff) > scale * ctx.mpf(10) ** (10 - dps):
            previous = diff
    return None


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Vec | Region | bool) and not _is_matrix(value)


def _describe(sample: Draw, names: set[str]) -> str:
    parts = []
    for name in sorted(names):
        if name in sample.scalars:
            num, shift = sample.scalars[name]
            value = num / 2**shift
            parts.append(f"{name} = {value:.4g}")
    return ", ".join(parts[:4])


def compare_truth(left: Evaluation, right: Evaluation, names: list[str]) -> Outcome:
    """Propositional logic: compare on every valuation (a truth table). The row shown for a
    difference is one where ``right`` (the answer) holds and ``left`` does not: a row where
    only the expectation holds would be the expected answer itself when it is one row (p ∧ ¬q
    for "decide p and q"). When every difference is of that kind, no row is shown."""

    if len(names) > 12:
        return Outcome("undecided", "too many propositional variables")
    ctx = context(15)
    different = False
    for values in itertools.product((False, True), repeat=len(names)):
        env = Env(ctx, dict(zip(names, values, strict=True)))
        l_val, r_val = left(env), right(env)
        if l_val != r_val:
            different = True
            if not r_val:
                continue
            shown = ", ".join(
                f"{n} = {'T' if v else 'F'}" for n, v in zip(names, values, strict=True)
            )
            return Outcome("different", "", shown)
    return Outcome("different") if different else Outcome("equal")
