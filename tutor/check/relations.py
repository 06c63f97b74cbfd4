"""Relations: equations, inequalities, chains and intervals, and their combinations with
∧, ∨ and ¬, decided by their solution sets.

Two relations are equivalent when they have the same solutions in the declared domains
(``positive`` is (0, ∞), ``integer`` is ℤ, ``natural`` is {1, 2, 3, …}, anything else ℝ).
A point where an expression of a relation is undefined (a zero denominator, the log of a
non-positive number, the square root of a negative one) is not a solution of it.

The exact procedure (:func:`_decide`) works along one variable at a time. The other
variables are instantiated at exact rational points of their domains (a few special ones,
0, 1 or -1, and a few random ones); the relations then speak about one variable only, and
their solution sets are compared exactly by a one-dimensional cell decomposition: the
critical points of every atom (the real roots of its numerators and denominators, with
``|g|`` split into the cases g ≥ 0 and g < 0; or the end points that sympy's ``solveset``
finds for an atom with ``exp``, ``log``, roots or powers) cut the line into cells on which
every atom has a constant truth value, so comparing both relations at every critical point
and at one point of every cell (one integer of every cell for integer domains) compares them
everywhere. A difference at any instantiation is a counterexample: ``incorrect``.

Agreement is ``correct`` only when it holds along *every* variable. Along one variable,
agreement at random parameters misses a difference that happens only on a lower-dimensional
set of parameters (``a x = a b`` against ``x = b`` differ only when a = 0); such a difference
is not lower-dimensional along every axis (solving ``a x = a b`` for ``a`` finds it at any
x ≠ b), and the special instantiations catch the common degenerate values. When some
variable cannot be solved exactly (periodic functions, for instance), the verdict falls back
on the sampling checks, which accept only a single rearranged relation (a constant ratio of
the two sides) and otherwise can only reject.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from tutor.check.domains import is_piecewise
from tutor.check.equiv import compare, seed_of
from tutor.check.errors import OutOfScope, Undefined
from tutor.check.nodes import BINDERS, Kind, Node, free_names
from tutor.check.precision import context
from tutor.check.problem import Problem
from tutor.check.symbolic import to_sympy
from tutor.check.values import Env, _odd_root, evaluate

FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}
NEGATE = {"<": ">=", ">": "<=", "<=": ">", ">=": "<", "=": "!=", "!=": "="}
# The domains a relation's solutions are taken in. ``natural`` means {1, 2, 3, …}, as the
# check language says and as domains.draw samples them: a card about n ≥ 1 accepts "n > 0" and
# "n ≥ 1", and "2^n ≤ 2n" has the solutions n = 1 and n = 2.
SCALAR_KINDS = ("real", "positive", "integer", "natural")
STRICTNESS = "Check strict against non-strict inequalities (< versus ≤)."

Atom = tuple[Node, str, Node]


# --- reading relations --------------------------------------------------------------------


def atoms(node: Node, var: str | None) -> list[Atom]:
    """The atomic relations of a chain, an interval (about ``var``) or one relation."""
    if node.kind == Kind.REL:
        ops = node.text.split()
        return [(node.args[i], ops[i], node.args[i + 1]) for i in range(len(ops))]
    if node.kind == Kind.INTERVAL and var is not None:
        x = Node(Kind.NAME, (), var)
        low_op = "<=" if node.text[0] == "[" else "<"
        high_op = "<=" if node.text[1] == "]" else "<"
        out = []
        if not _is_infinite(node.args[0], -1):
            out.append((node.args[0], low_op, x))
        if not _is_infinite(node.args[1], 1):
            out.append((x, high_op, node.args[1]))
        return out
    raise OutOfScope("not a relation")


def _is_infinite(node: Node, sign: int) -> bool:
    if sign > 0:
        return node == Node(Kind.CONST, (), "oo")
    return node == Node(Kind.NEG, (Node(Kind.CONST, (), "oo"),))


def _interval_like(node: Node) -> bool:
    if node.kind == Kind.INTERVAL:
        return True
    return node.kind in (Kind.CUP, Kind.CAP) and all(_interval_like(arg) for arg in node.args)


def is_relation(node: Node) -> bool:
    """A relation, a chain, an interval, or relations joined by ∧, ∨ and ¬ (intervals by ∪
    and ∩)."""
    if node.kind in (Kind.REL, Kind.INTERVAL):
        return True
    if node.kind in (Kind.AND, Kind.OR, Kind.NOT):
        return all(is_relation(arg) for arg in node.args)
    return _interval_like(node)


@dataclass(frozen=True)
class Formula:
    """Atoms joined by "and" and "or"; negations are pushed into the atoms."""

    kind: str  # "atom", "and", "or"
    atom: Atom | None = None
    parts: tuple[Formula, ...] = ()

    def atoms(self) -> list[Atom]:
        if self.atom is not None:
            return [self.atom]
        return [a for part in self.parts for a in part.atoms()]


def to_formula(node: Node, var: str | None, negate: bool = False) -> Formula:
    kind = node.kind
    if kind in (Kind.REL, Kind.INTERVAL):
        parts = tuple(
            Formula("atom", (left, NEGATE[op] if negate else op, right))
            for left, op, right in atoms(node, var)
        )
        if len(parts) == 1:
            return parts[0]
        return Formula("or" if negate else "and", parts=parts)
    if kind in (Kind.AND, Kind.OR, Kind.CAP, Kind.CUP):
        join = "and" if kind in (Kind.AND, Kind.CAP) else "or"
        if negate:
            join = "or" if join == "and" else "and"
        return Formula(join, parts=tuple(to_formula(arg, var, negate) for arg in node.args))
    if kind == Kind.NOT:
        return to_formula(node.args[0], var, not negate)
    raise OutOfScope("not a relation")


def _interval_names(node: Node) -> set[str]:
    """Names in the end points of the intervals of ``node``."""
    names: set[str] = set()
    for sub in node.walk():
        if sub.kind == Kind.INTERVAL:
            names |= free_names(sub.args[0]) | free_names(sub.args[1])
    return names


def _has_interval(node: Node) -> bool:
    return any(sub.kind == Kind.INTERVAL for sub in node.walk())


def _interval_variable(expect: Node, answer: Node, names: set[str]) -> str | None:
    """The variable an interval is about: the one name that is not in an end point."""
    if not (_has_interval(expect) or _has_interval(answer)):
        return None
    others = names - _interval_names(expect) - _interval_names(answer)
    if len(others) == 1:
        return next(iter(others))
    if not others:
        fresh = "x"
        while fresh in names:
            fresh += "'"
        return fresh
    raise OutOfScope("cannot tell which variable the interval is about")


# --- judging ------------------------------------------------------------------------------


def judge_relation(problem: Problem, expect: Node, answer: Node) -> tuple[str, str]:
    if not is_relation(answer):
        return "incorrect", "A relation (an equation or inequality) is expected here."
    if expect.kind == Kind.INTERVAL and answer.kind == Kind.INTERVAL:
        return _judge_intervals(problem, expect, answer)
    names = problem.scalar_names(expect, answer)
    try:
        var = _interval_variable(expect, answer, names)
    except OutOfScope:
        return "undecided", "It is not clear which variable the interval is about."
    exp_f = to_formula(expect, var)
    ans_f = to_formula(answer, var)
    kinds = {n: problem.domains.kinds.get(n, "real") for n in names}
    if var is not None and var not in kinds:
        kinds[var] = "real"
    if not kinds:  # relations between numbers: solved along a variable they do not use
        kinds["x'"] = "real"
    exact: Decision | None = None
    if all(kind in SCALAR_KINDS for kind in kinds.values()):
        try:
            exact = _decide(exp_f, ans_f, kinds, seed_of(repr(expect), repr(answer)))
        except OutOfScope:
            exact = None
    single = exp_f.kind == "atom" and ans_f.kind == "atom"
    if exact is not None and exact.verdict == "correct":
        return "correct", "Correct: the same solutions."
    if exact is not None and exact.verdict == "incorrect":
        return "incorrect", _difference_message(problem, exp_f, ans_f, exact, names)
    if len(kinds) == 1 and next(iter(kinds.values())) in ("integer", "natural"):
        name, kind = next(iter(kinds.items()))
        whole = _whole_numbers(exp_f, ans_f, name, kind)
        if whole is not None:
            return whole
    if single:
        assert exp_f.atom is not None and ans_f.atom is not None
        return _single(problem, exp_f.atom, ans_f.atom, names)
    return _regions(problem, exp_f, ans_f, names)


# --- one whole-number variable ------------------------------------------------------------

# What sympy raises when it cannot work something out: that way is closed, not an error.
SYMPY_TROUBLE = (
    OutOfScope,
    ArithmeticError,
    ValueError,
    TypeError,
    NotImplementedError,
    RecursionError,
    AttributeError,
)

WHOLE_SPAN = 200  # whole numbers tried one by one (n! is evaluated up to 200!)
WHOLE_DPS = 80


def _whole_numbers(exp_f: Formula, ans_f: Formula, name: str, kind: str) -> tuple[str, str] | None:
    """Relations in one whole-number variable that the exact procedure could not solve
    (2^n > n^3, n! > 2^n): compared at every whole number up to WHOLE_SPAN in size, and
    beyond by the limit of every atom. Expressions built from powers, exponentials, logarithms
    and factorials change sign finitely often (they lie in a Hardy field), so each atom must
    already have the sign of its limit on the last half of the span; otherwise, None (cannot
    tell). A difference at a whole number is a counterexample."""
    import sympy

    ctx = context(WHOLE_DPS)
    atoms_ = exp_f.atoms() + ans_f.atoms()
    tiny = ctx.mpf(10) ** (20 - WHOLE_DPS)

    def signs(n: int) -> list[int | None]:
        env = Env(ctx)
        env.values[name] = ctx.mpf(n)
        out: list[int | None] = []
        for left, _, right in atoms_:
            try:
                a, b = evaluate(left, env), evaluate(right, env)
            except (Undefined, ZeroDivisionError):
                out.append(None)  # undefined here: not a solution
                continue
            if (
                isinstance(a, bool)
                or isinstance(b, bool)
                or not (ctx.isfinite(a) and ctx.isfinite(b))
            ):
                raise OutOfScope("not a number")
            gap = a - b
            out.append(0 if abs(gap) <= tiny * max(abs(a), abs(b), 1) else (1 if gap > 0 else -1))
        return out

    def truth(formula: Formula, values: dict[int, int | None]) -> bool:
        if formula.atom is not None:
            sign = values[id(formula.atom)]
            return sign is not None and _holds(sign, formula.atom[1])
        results = [truth(part, values) for part in formula.parts]
        return all(results) if formula.kind == "and" else any(results)

    keys = [id(atom) for atom in atoms_]
    directions = (1, -1) if kind == "integer" else (1,)
    try:
        for n in range(0 if kind == "integer" else 1, WHOLE_SPAN + 1):
            for direction in directions:
                values = dict(zip(keys, signs(direction * n), strict=True))
                if truth(exp_f, values) != truth(ans_f, values):
                    missing = truth(exp_f, values)
                    return "incorrect", (
                        f"Not the same solutions: {name} = {direction * n} "
                        + ("is missing." if missing else "is not a solution.")
                    )
        symbol = sympy.Symbol(name)
        for direction in directions:
            eventual: dict[int, int | None] = {}
            for key, (left, op, right) in zip(keys, atoms_, strict=True):
                difference = to_sympy(Node(Kind.SUB, (left, right)))
                difference = difference.subs(
                    {s: symbol for s in difference.free_symbols if s.name == name}
                )
                limit = sympy.limit(difference, symbol, direction * sympy.oo)
                sign = _exact_sign(limit) if limit not in (sympy.oo, -sympy.oo) else None
                if limit == sympy.oo:
                    sign = 1
                elif limit == -sympy.oo:
                    sign = -1
                if sign is None or (sign == 0 and op not in ("=", "!=")):
                    return None
                if sign == 0:
                    return None  # tends to 0: equal in the limit, not necessarily ever
                tail = {
                    signs(direction * n)[keys.index(key)]
                    for n in range(WHOLE_SPAN // 2, WHOLE_SPAN + 1)
                }
                if tail != {sign}:
                    return None  # not settled within the span: cannot tell beyond it
                eventual[key] = sign
            if truth(exp_f, eventual) != truth(ans_f, eventual):
                return "incorrect", "Not the same solutions for large values of " + name + "."
    except SYMPY_TROUBLE:
        return None
    return "correct", "Correct: the same solutions."


def _difference_message(
    problem: Problem, exp_f: Formula, ans_f: Formula, decision: Decision, names: set[str]
) -> str:
    if exp_f.atom is not None and ans_f.atom is not None:
        verdict, message = _rearranged(problem, exp_f.atom, ans_f.atom, names)
        if verdict == "incorrect":
            return message
    inequalities = any(op != "=" for _, op, _ in exp_f.atoms() + ans_f.atoms())
    if decision.ends_only and inequalities:
        return _strictness_or(
            exp_f.atoms(), ans_f.atoms(), "Check the end points: the solutions differ there."
        )
    if decision.missing and not decision.extra:
        return "Some solutions are missing."
    if decision.extra and not decision.missing:
        return "Your answer includes values that are not solutions."
    return "The solutions are not the same."


def _judge_intervals(problem: Problem, expect: Node, answer: Node) -> tuple[str, str]:
    """An interval against an interval: the same end points and the same brackets."""
    for side, node in ((0, answer), (1, answer)):
        if _is_infinite(node.args[side], -1 if side == 0 else 1) and node.text[side] in "[]":
            return "incorrect", "An infinite end is always open: put a round bracket next to ∞."
    wrong = []
    for side, word in ((0, "left"), (1, "right")):
        status = _same_end(problem, expect.args[side], answer.args[side])
        if status == "undecided":
            return "undecided", "The end points could not be compared."
        if status == "different":
            wrong.append(word)
    if wrong:
        if len(wrong) == 2:
            return "incorrect", "Both end points are wrong."
        return "incorrect", f"The {wrong[0]} end point is wrong."
    if expect.text != answer.text:
        return "incorrect", (
            "The end points are right; check which ends are open and which are closed."
        )
    return "correct", "Correct: the same interval."


def _same_end(problem: Problem, want: Node, got: Node) -> str:
    """One of "same", "different" or "undecided": exactly for numbers, by evaluation otherwise."""
    infinite = [_is_infinite(n, s) for n in (want, got) for s in (-1, 1)]
    if any(infinite):
        return "same" if infinite[:2] == infinite[2:] else "different"
    if not (free_names(want) | free_names(got)):
        try:
            difference = to_sympy(Node(Kind.SUB, (want, got)))
            sign = _exact_sign(difference)
        except (OutOfScope, TypeError, ValueError):
            sign = None
        if sign is not None:
            return "same" if sign == 0 else "different"
    outcome = problem.same(want, got)
    return {"equal": "same", "different": "different"}.get(outcome.status, "undecided")


def _strictness_or(exp_atoms: list[Atom], ans_atoms: list[Atom], default: str) -> str:
    def strict(atoms_: list[Atom]) -> list[bool]:
        return [op in ("<", ">") for _, op, _ in atoms_]

    if len(exp_atoms) == len(ans_atoms) and strict(exp_atoms) != strict(ans_atoms):
        return STRICTNESS
    return default


def _difference(atom: Atom) -> tuple[Node, str]:
    left, op, right = atom
    return Node(Kind.SUB, (left, right)), op


def _rearranged(
    problem: Problem, exp_atom: Atom, ans_atom: Atom, names: set[str]
) -> tuple[str, str]:
    """("correct" | "incorrect" | "", message) when one side is a constant multiple of the
    other (a rearranged relation), ("", "") when it is not."""
    f1, op1 = _difference(exp_atom)
    f2, op2 = _difference(ans_atom)
    constant = _constant_ratio(problem, Node(Kind.DIV, (f1, f2)), names)
    if constant is None or constant == 0:
        return "", ""
    wanted = op1 if constant > 0 else FLIP[op1]
    if wanted == op2:
        return "correct", "Correct: the same relation, rearranged."
    if {wanted, op2} in ({"<", "<="}, {">", ">="}):
        return "incorrect", STRICTNESS
    return "incorrect", "The relation points the wrong way or has the wrong symbol."


def _single(problem: Problem, exp_atom: Atom, ans_atom: Atom, names: set[str]) -> tuple[str, str]:
    verdict, message = _rearranged(problem, exp_atom, ans_atom, names)
    if verdict:
        return verdict, message
    f1, op1 = _difference(exp_atom)
    f2, op2 = _difference(ans_atom)
    if op1 == "=" and op2 == "=":
        equations = _polynomial_equations(f1, f2)
        if equations[0] == "undecided" and len(names) == 1:
            return _periodic_equations(f1, f2, next(iter(names))) or equations
        return equations
    return _regions(problem, Formula("atom", exp_atom), Formula("atom", ans_atom), names)


def _constant_ratio(problem: Problem, ratio: Node, names: set[str]) -> Any:
    """If ``ratio`` is the same non-zero number at every sample point, that number."""
    seen: list[Any] = []

    def value(env: Env) -> Any:
        top, bottom = (evaluate(side, env) for side in ratio.args)
        noise = env.ctx.mpf(10) ** (-(env.ctx.dps - 10))
        if abs(top) <= noise and abs(bottom) <= noise:
            # both differences vanish here (x = y at a special point): rounding, not a ratio
            raise Undefined
        result = top / bottom
        seen.append(result)
        return result

    outcome = compare(
        value, value, problem.domains, names, seed=seed_of(repr(ratio)), special=False
    )
    if outcome.status != "equal" or not seen:
        return None
    base = seen[0]
    if isinstance(base, bool) or base == 0:
        return None
    for other in seen[1:]:
        if abs(other - base) > abs(base) * 1e-20:
            return None
    # The ratio is that number to 20 digits, which x − e^(−300) against x also is. Accept
    # only a simple number (a fraction with a small denominator) that the two differences
    # keep exactly: top = c · bottom, compared at rising precision like any two expressions,
    # where a tiny difference that stays is a real one.
    exact = Fraction(float(base)).limit_denominator(1000)
    if exact == 0 or abs(float(base) - exact) > 1e-12 * abs(exact):
        return None
    top, bottom = ratio.args

    def scaled(env: Env) -> Any:
        return evaluate(bottom, env) * exact.numerator / exact.denominator

    outcome = compare(
        lambda env: evaluate(top, env),
        scaled,
        problem.domains,
        names,
        seed=seed_of(repr(ratio)),
        piecewise=is_piecewise([top, bottom]),
    )
    return base if outcome.status == "equal" else None


def _polynomial_equations(f1: Node, f2: Node) -> tuple[str, str]:
    import sympy

    try:
        e1 = sympy.together(to_sympy(f1))
        e2 = sympy.together(to_sympy(f2))
    except OutOfScope:
        return "undecided", "These equations could not be compared."
    n1, d1 = sympy.fraction(e1)
    n2, d2 = sympy.fraction(e2)
    if d1.free_symbols or d2.free_symbols or not (n1.is_polynomial() and n2.is_polynomial()):
        return "undecided", "These equations could not be compared."

    def factors(expr: Any) -> set[Any]:
        _, parts = sympy.factor_list(sympy.expand(expr))
        found = set()
        for factor, _mult in parts:
            if factor.free_symbols:
                lead = sympy.Poly(factor).LC()
                found.add(sympy.expand(factor / lead))
        return found

    if factors(n1) == factors(n2):
        return "correct", "Correct: the same solutions."
    # different factors over the rationals may still have the same real solutions; the
    # exact procedure could not decide, so this is as far as an honest answer goes
    return "undecided", "These equations could not be compared exactly."


MAX_PERIODIC_POINTS = 500


def _periodic_equations(f1: Node, f2: Node, name: str) -> tuple[str, str] | None:
    """Equations f1 = 0 and f2 = 0 in one variable whose solutions sympy gives as families
    a·n + b (n whole), such as sin(x) = 0 and tan(x) = 0. Both sets repeat with a common
    period L when the steps a are rational multiples of each other, so they are the same set
    exactly when they have the same points in [0, L). None when that cannot be told."""
    import sympy

    symbol = sympy.Symbol(name, real=True)
    families: list[tuple[tuple[Any, Any], ...]] = []
    try:
        for f in (f1, f2):
            expr = to_sympy(f).subs({s: symbol for s in to_sympy(f).free_symbols})
            solved = sympy.solveset(sympy.Eq(expr, 0), symbol, sympy.S.Reals)
            parts = solved.args if isinstance(solved, sympy.Union) else (solved,)
            mine = []
            for part in parts:
                if not isinstance(part, sympy.ImageSet) or part.base_sets != (sympy.S.Integers,):
                    return None
                variable, body = part.lamda.variables[0], part.lamda.expr
                step, start = body.diff(variable), body.subs(variable, 0)
                if step.free_symbols or start.free_symbols or step == 0:
                    return None
                mine.append((abs(step), start))
            families.append(tuple(mine))
        steps = [step for family in families for step, _ in family]
        ratios = [sympy.nsimplify(step / steps[0]) for step in steps]
        if not all(r.is_Rational for r in ratios):
            return None
        period = steps[0] * sympy.ilcm(*[r.p for r in ratios]) / sympy.igcd(*[r.q for r in ratios])
        ctx = context(50)
        length = ctx.mpf(str(sympy.N(period, 60)))

        def points(family: tuple[tuple[Any, Any], ...]) -> set[str]:
            found: set[str] = set()
            for step, start in family:
                a = ctx.mpf(str(sympy.N(step, 60)))
                b = ctx.mpf(str(sympy.N(start, 60)))
                first = int(ctx.ceil(-b / a))
                count = int(ctx.floor(length / a)) + 2
                if count > MAX_PERIODIC_POINTS:
                    raise OutOfScope("too many solutions in one period")
                for n in range(first - 1, first + count):
                    value = (a * n + b) % length
                    found.add(ctx.nstr(value if abs(value - length) > 1e-30 else 0, 30))
            return found

        same = points(families[0]) == points(families[1])
    except SYMPY_TROUBLE:
        return None
    if same:
        return "correct", "Correct: the same solutions."
    return "incorrect", "The solutions are not the same."


def _regions(problem: Problem, exp_f: Formula, ans_f: Formula, names: set[str]) -> tuple[str, str]:
    """Sampling: can find a point where the relations differ, never accept."""

    def holds(formula: Formula, env: Env) -> bool:
        if formula.atom is None:
            values = [holds(part, env) for part in formula.parts]
            return all(values) if formula.kind == "and" else any(values)
        left, op, right = formula.atom
        try:
            a, b = evaluate(left, env), evaluate(right, env)
        except (Undefined, ZeroDivisionError):
            return False  # a point where a side is undefined is not a solution
        if a != b and abs(a - b) < 1e-20 * max(abs(a), abs(b), 1) and op not in ("=", "!="):
            raise Undefined  # too close to the boundary to tell
        return bool(
            {
                "=": a == b,
                "!=": a != b,
                "<": a < b,
                ">": a > b,
                "<=": a <= b,
                ">=": a >= b,
            }[op]
        )

    outcome = compare(
        lambda env: holds(exp_f, env),
        lambda env: holds(ans_f, env),
        problem.domains,
        names,
        seed=seed_of(repr(exp_f), repr(ans_f)),
        trials=200,
        piecewise=is_piecewise(
            [side for atom in exp_f.atoms() + ans_f.atoms() for side in atom[::2]]
        ),
    )
    if outcome.status == "different":
        return "incorrect", _strictness_or(
            exp_f.atoms(), ans_f.atoms(), "The relation does not hold on the same region."
        )
    return "undecided", "The regions agree where sampled, but this cannot be decided exactly."


# --- the exact procedure ------------------------------------------------------------------

DPS = 80
SEPARATION = 30  # critical points closer than 10**-SEPARATION must be exactly equal
SIGN_FLOOR = 45  # a value this small at a point that is not a root cannot be trusted
MAX_DEGREE = 24
MAX_ABS_SPLITS = 4
SPECIAL = (0, 1, -1)  # parameter values where relations typically degenerate
RANDOM_INSTANTIATIONS = 4


@dataclass
class Decision:
    verdict: str  # "correct", "incorrect", "undecided"
    missing: bool = False  # a solution of the expectation that the answer lacks
    extra: bool = False  # a solution of the answer that the expectation lacks
    ends_only: bool = False  # every difference is at an isolated (critical) point


@dataclass(frozen=True)
class _Cond:
    """``expr op 0`` in sympy, or where a power is defined (op "pow": expr ^ exponent)."""

    op: str
    expr: Any
    exponent: Any = None
    polys: tuple[Any, Any] | None = None  # expr as numerator and denominator Polys, if rational


@dataclass(frozen=True)
class _SFormula:
    kind: str  # "atom", "and", "or"
    cond: _Cond | None = None
    parts: tuple[_SFormula, ...] = ()


def _sympy_formula(formula: Formula, symbols: dict[str, Any]) -> _SFormula:
    """The formula in sympy, each atom joined by the conditions it is defined on, every |g|
    split into the cases g ≥ 0 and g < 0."""
    if formula.atom is None:
        return _SFormula(
            formula.kind, parts=tuple(_sympy_formula(p, symbols) for p in formula.parts)
        )
    left, op, right = formula.atom
    assumptions = {name: {"real": True} for name in symbols}
    gens = [symbols[name] for name in sorted(symbols)]
    parts = [_split_abs(to_sympy(Node(Kind.SUB, (left, right)), assumptions), op, gens, 0)]
    for side in (left, right):
        for cond in _definedness(side, assumptions):
            if cond.op == "pow":
                parts.append(_SFormula("atom", cond))
            else:
                parts.append(_split_abs(cond.expr, cond.op, gens, 0))
    return parts[0] if len(parts) == 1 else _SFormula("and", parts=tuple(parts))


def _split_abs(expr: Any, op: str, gens: list[Any], depth: int) -> _SFormula:
    import sympy

    inner = [a for a in expr.atoms(sympy.Abs) if a.free_symbols and not a.args[0].has(sympy.Abs)]
    if not inner:
        return _SFormula("atom", _Cond(op, expr, polys=_polys(expr, gens)))
    if depth >= MAX_ABS_SPLITS:
        raise OutOfScope("too many absolute values")
    term = inner[0]
    arg = term.args[0]
    cases = []
    for sign, case_op in ((1, ">="), (-1, "<")):
        cases.append(
            _SFormula(
                "and",
                parts=(
                    _split_abs(arg, case_op, gens, depth + 1),
                    _split_abs(expr.xreplace({term: sign * arg}), op, gens, depth + 1),
                ),
            )
        )
    return _SFormula("or", parts=tuple(cases))


def _polys(expr: Any, gens: list[Any]) -> tuple[Any, Any] | None:
    """A rational function with rational coefficients as numerator and denominator Polys in
    all the variables (instantiated by Poly.eval, much faster than building them anew)."""
    import sympy

    if not gens or expr.has(sympy.zoo, sympy.nan) or not expr.is_rational_function(*gens):
        return None
    num, den = sympy.together(expr).as_numer_denom()
    try:
        return sympy.Poly(num, *gens, domain="QQ"), sympy.Poly(den, *gens, domain="QQ")
    except (sympy.polys.polyerrors.PolynomialError, sympy.CoercionFailed):
        return None


def _definedness(node: Node, assumptions: dict[str, dict[str, bool]]) -> list[_Cond]:
    """Where ``node`` is defined, as conditions on its sub-expressions (found on the tree,
    before sympy simplifies ``x/x`` to 1)."""
    out: list[_Cond] = []
    for sub in node.walk():
        kind = sub.kind
        if kind in BINDERS:
            raise OutOfScope("a relation with sums, integrals or limits")
        if kind == Kind.DIV:
            out.append(_Cond("!=", to_sympy(sub.args[1], assumptions)))
        elif kind == Kind.POW:
            exponent = sub.args[1]
            root = _odd_root(exponent)
            if root is not None and root.denominator > 1:
                # a real odd root is defined for every base, except 0 to a negative power
                if root < 0:
                    out.append(_Cond("!=", to_sympy(sub.args[0], assumptions)))
                continue
            out.append(
                _Cond("pow", to_sympy(sub.args[0], assumptions), to_sympy(exponent, assumptions))
            )
        elif kind == Kind.CALL and sub.text in ("log", "ln", "lg"):
            out.append(_Cond(">", to_sympy(sub.args[0], assumptions)))
        elif kind == Kind.CALL and sub.text == "sqrt":
            out.append(_Cond(">=", to_sympy(sub.args[0], assumptions)))
        elif kind == Kind.LOGB:
            base = to_sympy(sub.args[0], assumptions)
            out.append(_Cond(">", base))
            out.append(_Cond("!=", base - 1))
            out.append(_Cond(">", to_sympy(sub.args[1], assumptions)))
    return out


def _decide(exp_f: Formula, ans_f: Formula, kinds: dict[str, str], seed: int) -> Decision:
    import sympy

    symbols = {name: sympy.Symbol(name, real=True) for name in kinds}
    expected = _sympy_formula(exp_f, symbols)
    given = _sympy_formula(ans_f, symbols)
    ctx = context(DPS)
    rng = random.Random(seed)
    order = sorted(kinds, key=lambda n: (kinds[n] not in ("real", "positive"), n))
    solved_all = True
    for var in order:
        params = [n for n in order if n != var]
        try:
            for point in _instantiations(params, kinds, rng):
                values = {symbols[n]: value for n, value in point.items()}
                line = _Line(symbols[var], kinds[var], ctx)
                verdict = line.compare(_instantiate(expected, values), _instantiate(given, values))
                if verdict.verdict == "incorrect":
                    return verdict
        except OutOfScope:
            solved_all = False
        except (ArithmeticError, ValueError, TypeError, NotImplementedError, RecursionError):
            solved_all = False  # sympy could not work with it: this variable is undecided
    return Decision("correct" if solved_all else "undecided")


def _instantiations(
    params: list[str], kinds: dict[str, str], rng: random.Random
) -> list[dict[str, Any]]:
    import sympy

    if not params:
        return [{}]

    def special(kind: str, value: int) -> Any:
        if kind == "positive":
            return {0: sympy.Integer(1), 1: sympy.Integer(2), -1: sympy.Rational(1, 2)}[value]
        if kind == "natural":
            return sympy.Integer({0: 1, 1: 2, -1: 3}[value])
        return sympy.Integer(value)

    def rand(kind: str) -> Any:
        if kind == "integer":
            return sympy.Integer(rng.randint(-12, 12))
        if kind == "natural":
            return sympy.Integer(rng.randint(1, 12))
        den = rng.choice((1, 2, 3, 4, 5, 7, 8, 9, 11))
        num = rng.randint(1, 60) if kind == "positive" else rng.randint(-60, 60)
        return sympy.Rational(num, den)

    points = [{n: special(kinds[n], value) for n in params} for value in SPECIAL]
    points += [{n: rand(kinds[n]) for n in params} for _ in range(RANDOM_INSTANTIATIONS)]
    return points


@dataclass(frozen=True)
class _LAtom:
    """An atom in one variable: a constant truth, a rational function against 0, or a set
    found by solveset."""

    kind: str  # "const", "poly", "set"
    op: str = ""
    truth: bool = False
    num: tuple[Fraction, ...] = ()  # coefficients, leading first
    den: tuple[Fraction, ...] = ()
    zeros: frozenset[int] = frozenset()
    poles: frozenset[int] = frozenset()
    tree: Any = None  # the solveset result, its end points replaced by point ids


@dataclass(frozen=True)
class _LFormula:
    kind: str  # "atom", "and", "or"
    atom: _LAtom | None = None
    parts: tuple[_LFormula, ...] = ()


def _instantiate(formula: _SFormula, values: dict[Any, Any]) -> _SFormula:
    cond = formula.cond
    if cond is None:
        return _SFormula(formula.kind, parts=tuple(_instantiate(p, values) for p in formula.parts))
    if not values:
        return formula
    if cond.polys is not None:
        num, den = cond.polys
        return _SFormula("atom", _Cond(cond.op, None, polys=(num.eval(values), den.eval(values))))
    return _SFormula(
        "atom",
        _Cond(
            cond.op,
            cond.expr.xreplace(values),
            None if cond.exponent is None else cond.exponent.xreplace(values),
        ),
    )


def _exact_sign(value: Any) -> int | None:
    """The sign of a constant sympy expression, None when it cannot be told."""
    import sympy

    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.free_symbols:
        return None
    if value.is_zero:
        return 0
    if value.is_extended_real is False:
        return None
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = value.evalf(DPS)
    if approx.is_real and abs(approx) > sympy.Float(10) ** (-SIGN_FLOOR):
        return 1 if approx > 0 else -1
    try:
        # sympy's evalf works to a relative precision, raising when it cannot reach it (a
        # true zero): a value it does give, however small (√(4 + e^(−300)) − 2), has its sign
        certain = value.evalf(DPS, strict=True, maxn=4 * DPS * 10)
    except sympy.core.evalf.PrecisionExhausted:
        certain = None
    if certain is not None and certain.is_real and certain != 0:
        return 1 if certain > 0 else -1
    if sympy.simplify(value) == 0:
        return 0
    return None


def _holds(sign: int, op: str) -> bool:
    return {
        "=": sign == 0,
        "!=": sign != 0,
        "<": sign < 0,
        ">": sign > 0,
        "<=": sign <= 0,
        ">=": sign >= 0,
    }[op]


class _Line:
    """Solution sets in one variable, compared exactly (see the module docstring)."""

    def __init__(self, var: Any, kind: str, ctx: Any) -> None:
        self.var = var
        self.kind = kind
        self.ctx = ctx  # an mpmath context at DPS digits
        self.exact: list[Any] = []  # point id -> exact sympy number
        self.approx: list[Any] = []  # point id -> mpf
        self.keys: list[Any] = []  # point id -> a key shared by equal roots, or None

    # points

    def _point(self, exact: Any, key: Any = None) -> int:
        import sympy

        if key is None and isinstance(exact, sympy.Rational):
            key = ("q", exact)
        if key is not None and key in self.keys:
            return self.keys.index(key)
        approx = exact.evalf(DPS + 10)
        if not approx.is_real:
            raise OutOfScope("a complex end point")
        self.exact.append(exact)
        self.approx.append(self.ctx.mpf(str(approx)))
        self.keys.append(key)
        return len(self.exact) - 1

    def _roots(self, poly: Any) -> frozenset[int]:
        import sympy

        if poly.degree() <= 0:
            return frozenset()
        if poly.degree() > MAX_DEGREE:
            raise OutOfScope("degree too high")
        if poly.degree() == 1:
            slope, intercept = poly.all_coeffs()
            return frozenset({self._point(-intercept / slope)})
        ids = set()
        _, factors = poly.factor_list()
        for factor, _mult in factors:
            if factor.degree() <= 0:
                continue
            monic = factor.monic()
            if monic.degree() == 1:
                ids.add(self._point(-monic.nth(0)))
                continue
            coeffs = tuple(monic.all_coeffs())
            for index, root in enumerate(monic.real_roots()):
                ids.add(self._point(sympy.sympify(root), ("r", coeffs, index)))
        return frozenset(ids)

    # atoms

    def _formula(self, formula: _SFormula) -> _LFormula:
        cond = formula.cond
        if cond is None:
            return _LFormula(formula.kind, parts=tuple(self._formula(p) for p in formula.parts))
        if cond.op != "pow":
            if cond.polys is not None:
                return _LFormula("atom", self._poly_atom(cond.polys[0], cond.polys[1], cond.op))
            return _LFormula("atom", self._atom(cond.expr, cond.op))
        parts = self._power(cond)
        if len(parts) == 1:
            return parts[0]
        return _LFormula("and", parts=tuple(parts))

    def _power(self, cond: _Cond) -> list[_LFormula]:
        """Where ``base ^ exponent`` is defined over the reals (as values.py evaluates it)."""
        import sympy

        base, exponent = cond.expr, cond.exponent
        if self.var in exponent.free_symbols:
            sign = _exact_sign(base) if not base.free_symbols else None
            if sign != 1:
                raise OutOfScope("a variable exponent of a base that may be negative")
            return []
        if not exponent.is_number or exponent.has(sympy.zoo, sympy.nan):
            return [_LFormula("atom", _LAtom("const", truth=False))]
        sign = _exact_sign(exponent)
        if sign is None:
            raise OutOfScope("an exponent of unknown sign")
        if exponent.is_Integer:
            return [] if sign > 0 else [self._split(base, "!=", 0)]
        # not an integer: values.py leaves a negative base undefined (sympy would take a
        # complex root, which solveset drops as well)
        return [self._split(base, ">=" if sign > 0 else ">", 0)]

    def _split(self, expr: Any, op: str, depth: int) -> _LFormula:
        """``expr op 0`` with every |g| in the variable split into g ≥ 0 and g < 0."""
        import sympy

        inner = [
            a
            for a in expr.atoms(sympy.Abs)
            if self.var in a.free_symbols and not a.args[0].has(sympy.Abs)
        ]
        if not inner:
            return _LFormula("atom", self._atom(expr, op))
        if depth >= MAX_ABS_SPLITS:
            raise OutOfScope("too many absolute values")
        term = inner[0]
        arg = term.args[0]
        positive = _LFormula(
            "and",
            parts=(
                self._split(arg, ">=", depth + 1),
                self._split(expr.xreplace({term: arg}), op, depth + 1),
            ),
        )
        negative = _LFormula(
            "and",
            parts=(
                self._split(arg, "<", depth + 1),
                self._split(expr.xreplace({term: -arg}), op, depth + 1),
            ),
        )
        return _LFormula("or", parts=(positive, negative))

    def _atom(self, expr: Any, op: str) -> _LAtom:
        import sympy

        if expr.has(sympy.zoo, sympy.nan, sympy.I):
            # undefined for every value of the variable: a parameter's value made a square
            # root or logarithm of a negative number (√y at y = −1)
            return _LAtom("const", truth=False)
        if self.var not in expr.free_symbols:
            if expr.free_symbols:
                raise OutOfScope("an unknown parameter")
            sign = _exact_sign(expr)
            if sign is None:
                raise OutOfScope("cannot tell the sign of a constant")
            return _LAtom("const", truth=_holds(sign, op))
        polys = _polys(expr, [self.var])
        if polys is not None:
            return self._poly_atom(polys[0], polys[1], op)
        return self._solved(expr, op)

    def _poly_atom(self, num: Any, den: Any, op: str) -> _LAtom:
        """``num / den op 0``, both Polys in the variable (or numbers)."""
        import sympy

        num = num if isinstance(num, sympy.Poly) else sympy.Poly(num, self.var, domain="QQ")
        den = den if isinstance(den, sympy.Poly) else sympy.Poly(den, self.var, domain="QQ")
        if den.is_zero:
            return _LAtom("const", truth=False)
        if num.is_zero:
            return _LAtom("const", truth=_holds(0, op))
        if num.degree() <= 0 and den.degree() <= 0:
            sign = _fraction_sign(_coefficients(num)[0]) * _fraction_sign(_coefficients(den)[0])
            return _LAtom("const", truth=_holds(sign, op))
        return _LAtom(
            "poly",
            op,
            num=_coefficients(num),
            den=_coefficients(den),
            zeros=self._roots(num),
            poles=self._roots(den),
        )

    def _solved(self, expr: Any, op: str) -> _LAtom:
        """An atom with exp, log, roots or powers: solveset, where it is reliable."""
        import sympy

        # sign and Abs come from real odd roots (x^(1/3) is sign(x)·|x|^(1/3)), which
        # solveset splits into the two signs of their argument
        allowed = (sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, sympy.sign, sympy.Abs)
        for sub in sympy.preorder_traversal(expr):
            if sub.is_Atom:
                if sub.is_Symbol and sub != self.var:
                    raise OutOfScope("an unknown parameter")
                continue
            if not isinstance(sub, allowed):
                raise OutOfScope(f"cannot solve with {type(sub).__name__}")
            if isinstance(sub, sympy.Pow) and self.var in sub.args[1].free_symbols:
                base = sub.args[0]
                if base.free_symbols or _exact_sign(base) != 1:
                    raise OutOfScope("a variable exponent of a base that may be negative")
        try:
            relation = {
                "=": sympy.Eq,
                "!=": sympy.Ne,
                "<": sympy.Lt,
                ">": sympy.Gt,
                "<=": sympy.Le,
                ">=": sympy.Ge,
            }[op](expr, 0)
            solved = sympy.solveset(relation, self.var, sympy.S.Reals)
            return _LAtom("set", op, tree=self._set_tree(solved))
        except (NotImplementedError, ValueError, TypeError) as exc:
            if self._nowhere_defined(expr):
                return _LAtom("const", truth=False)
            raise OutOfScope("solveset failed") from exc

    def _nowhere_defined(self, expr: Any) -> bool:
        """Is some logarithm or root in ``expr`` undefined for every real value of the
        variable (log(−x² − 1))?"""
        import sympy

        for sub in sympy.preorder_traversal(expr):
            if isinstance(sub, sympy.log):
                condition = sympy.Gt(sub.args[0], 0)
            elif (
                isinstance(sub, sympy.Pow)
                and sub.args[1].is_Rational
                and not sub.args[1].is_integer
            ):
                condition = sympy.Ge(sub.args[0], 0)
            else:
                continue
            try:
                if sympy.solveset(condition, self.var, sympy.S.Reals) == sympy.S.EmptySet:
                    return True
            except (NotImplementedError, ValueError, TypeError):
                continue
        return False

    def _set_tree(self, solved: Any) -> Any:
        import sympy

        if solved == sympy.S.EmptySet:
            return ("empty",)
        if solved == sympy.S.Reals:
            return ("reals",)
        if isinstance(solved, sympy.Interval):
            low = None if solved.start == -sympy.oo else self._point(solved.start)
            high = None if solved.end == sympy.oo else self._point(solved.end)
            return ("interval", low, high, bool(solved.left_open), bool(solved.right_open))
        if isinstance(solved, sympy.FiniteSet):
            for element in solved.args:
                if element.free_symbols or not element.is_extended_real:
                    raise OutOfScope("a solution that is not a real number")
            return ("points", frozenset(self._point(e) for e in solved.args))
        if isinstance(solved, sympy.Union):
            return ("union", tuple(self._set_tree(a) for a in solved.args))
        if isinstance(solved, sympy.Intersection):
            return ("intersection", tuple(self._set_tree(a) for a in solved.args))
        if isinstance(solved, sympy.Complement):
            return ("complement", self._set_tree(solved.args[0]), self._set_tree(solved.args[1]))
        raise OutOfScope(f"solveset gave {type(solved).__name__}")

    # test points

    def _clusters(self) -> list[list[int]]:
        """Point ids grouped by equal value, in increasing order."""
        import sympy

        order = sorted(range(len(self.exact)), key=lambda i: self.approx[i])
        clusters: list[list[int]] = []
        gap = self.ctx.mpf(10) ** (-SEPARATION)
        for i in order:
            if clusters and abs(self.approx[i] - self.approx[clusters[-1][0]]) < gap:
                j = clusters[-1][0]
                same = self.keys[i] is not None and self.keys[i] == self.keys[j]
                if not same and (self.keys[i] is None or self.keys[j] is None):
                    same = sympy.simplify(self.exact[i] - self.exact[j]) == 0
                if not same and _exact_sign(self.exact[i] - self.exact[j]) in (1, -1):
                    clusters.append([i])  # close but provably apart (e^(−300) and 0)
                    continue
                if not same:
                    raise OutOfScope("two end points too close to tell apart")
                clusters[-1].append(i)
            else:
                clusters.append([i])
        return clusters

    def _integer_at(self, cluster: list[int]) -> int | None:
        """The integer a cluster of points is, if it is one."""
        import sympy

        for i in cluster:
            if self.keys[i] is not None and self.keys[i][0] == "q":
                value = self.keys[i][1]
                return int(value) if value.q == 1 else None
        approx = self.approx[cluster[0]]
        nearest = int(self.ctx.nint(approx))
        if abs(approx - nearest) > self.ctx.mpf(10) ** (-SEPARATION):
            return None
        if sympy.simplify(self.exact[cluster[0]] - nearest) == 0:
            return nearest
        raise OutOfScope("an end point too close to an integer")

    def _cells(self, clusters: list[list[int]]) -> list[tuple[Any, Any]]:
        """One test point (exact Fraction, mpf) inside every cell that meets the domain."""
        ctx = self.ctx
        integral = self.kind in ("integer", "natural")
        bounds: list[Any] = [None] + [self.approx[c[0]] for c in clusters] + [None]
        out = []
        for low, high in itertools.pairwise(bounds):
            if integral:
                if low is not None:
                    point = int(ctx.floor(low)) + 1
                elif self.kind == "natural":
                    point = 1
                else:
                    point = int(ctx.floor(high)) - 1 if high is not None else 0
                if self.kind == "natural":
                    point = max(point, 1)
                if high is None or point < high:
                    out.append((Fraction(point), ctx.mpf(point)))
                continue
            if self.kind == "positive" and high is not None and high <= 0:
                continue
            if low is None and high is None:
                value = Fraction(0)
            elif low is None:
                value = Fraction(int(ctx.floor(high)) - 1)
            elif high is None:
                value = Fraction(int(ctx.floor(low)) + 1)
            else:
                value = self._between(low, high)
            out.append((value, ctx.mpf(value.numerator) / value.denominator))
        return out

    def _between(self, low: Any, high: Any) -> Fraction:
        ctx = self.ctx
        whole = int(ctx.floor(low)) + 1
        if whole < high:
            return Fraction(whole)
        middle = Fraction(
            ctx.nstr((low + high) / 2, DPS - 5, min_fixed=-ctx.inf, max_fixed=ctx.inf)
        )
        for limit in (10**3, 10**6, 10**12, 10**24):
            value = middle.limit_denominator(limit)
            if low < ctx.mpf(value.numerator) / value.denominator < high:
                return value
        return middle

    # truth

    def _truth(self, formula: _LFormula, at: Any) -> bool:
        if formula.kind != "atom":
            values = (self._truth(p, at) for p in formula.parts)
            return all(values) if formula.kind == "and" else any(values)
        atom = formula.atom
        assert atom is not None
        if atom.kind == "const":
            return atom.truth
        if atom.kind == "poly":
            return self._poly_truth(atom, at)
        return self._member(atom.tree, at)

    def _poly_truth(self, atom: _LAtom, at: Any) -> bool:
        if isinstance(at, frozenset):
            if at & atom.poles:
                return False
            if at & atom.zeros:
                return _holds(0, atom.op)
            point = next(iter(at))
            x = self.approx[point]
            value = self._eval(atom.num, x) / self._eval(atom.den, x)
            if abs(value) < self.ctx.mpf(10) ** (-SIGN_FLOOR):
                # too small for the approximation (x > 0 at x = e^(−300)): exactly
                exact = self.exact[point]
                sign = _exact_sign(_sympy_poly(atom.num, exact) / _sympy_poly(atom.den, exact))
                if sign is None:
                    raise OutOfScope("a value too small to tell its sign")
                return _holds(sign, atom.op)
            return _holds(1 if value > 0 else -1, atom.op)
        point = at[0]
        den = _horner(atom.den, point)
        if den == 0:
            return False
        return _holds(_fraction_sign(_horner(atom.num, point)) * _fraction_sign(den), atom.op)

    def _eval(self, coefficients: tuple[Fraction, ...], x: Any) -> Any:
        total = self.ctx.mpf(0)
        for coeff in coefficients:
            total = total * x + self.ctx.mpf(coeff.numerator) / coeff.denominator
        return total

    def _order(self, at: Any, point: int) -> int:
        """The sign of (test point − end point ``point``)."""
        if isinstance(at, frozenset):
            if point in at:
                return 0
            x = self.approx[next(iter(at))]
        else:
            x = at[1]
        return 1 if x > self.approx[point] else -1

    def _member(self, tree: Any, at: Any) -> bool:
        kind = tree[0]
        if kind == "empty":
            return False
        if kind == "reals":
            return True
        if kind == "interval":
            _, low, high, left_open, right_open = tree
            if low is not None:
                side = self._order(at, low)
                if side < 0 or (side == 0 and left_open):
                    return False
            if high is not None:
                side = self._order(at, high)
                if side > 0 or (side == 0 and right_open):
                    return False
            return True
        if kind == "points":
            return any(self._order(at, p) == 0 for p in tree[1])
        if kind == "union":
            return any(self._member(t, at) for t in tree[1])
        if kind == "intersection":
            return all(self._member(t, at) for t in tree[1])
        return self._member(tree[1], at) and not self._member(tree[2], at)

    # comparison

    def compare(self, expected: _SFormula, given: _SFormula) -> Decision:
        want = self._formula(expected)
        got = self._formula(given)
        if self.kind == "positive":
            self._point(_zero())
        elif self.kind == "natural":
            self._point(_one())
        clusters = self._clusters()
        tests: list[tuple[bool, Any]] = [(False, cell) for cell in self._cells(clusters)]
        for cluster in clusters:
            approx = self.approx[cluster[0]]
            if self.kind in ("integer", "natural"):
                whole = self._integer_at(cluster)
                if whole is None or (self.kind == "natural" and whole < 1):
                    continue
            elif self.kind == "positive" and not approx > 0:
                continue
            tests.append((True, frozenset(cluster)))
        decision = Decision("correct", ends_only=True)
        for at_point, at in tests:
            a, b = self._truth(want, at), self._truth(got, at)
            if a == b:
                continue
            decision.verdict = "incorrect"
            decision.missing |= a
            decision.extra |= b
            decision.ends_only &= at_point
        if decision.verdict == "correct":
            decision.ends_only = False
        return decision


def _coefficients(poly: Any) -> tuple[Fraction, ...]:
    """The coefficients of a univariate Poly over QQ, leading first, as Fractions."""
    return tuple(Fraction(int(c.numerator), int(c.denominator)) for c in poly.rep.to_list())


def _sympy_poly(coefficients: tuple[Fraction, ...], x: Any) -> Any:
    import sympy

    total = sympy.Integer(0)
    for coeff in coefficients:
        total = total * x + sympy.Rational(coeff.numerator, coeff.denominator)
    return total


def _horner(coefficients: tuple[Fraction, ...], x: Fraction) -> Fraction:
    total = Fraction(0)
    for coeff in coefficients:
        total = total * x + coeff
    return total


def _fraction_sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def _zero() -> Any:
    import sympy

    return sympy.Integer(0)


def _one() -> Any:
    import sympy

    return sympy.Integer(1)
