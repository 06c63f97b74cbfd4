"""Decision procedures, one per mode of a check block."""

from __future__ import annotations

import contextlib
import math
import random
from typing import Any

from tutor.check.equiv import compare_truth
from tutor.check.errors import CheckInputError, OutOfScope, Undefined
from tutor.check.feedback import near_miss
from tutor.check.forms import form_problem
from tutor.check.nodes import Kind, Node, free_names, has_kind, is_decimal
from tutor.check.precision import context
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.relations import is_relation, judge_relation
from tutor.check.spec import CheckSpec
from tutor.check.values import Env, Region, Vec, _is_matrix, evaluate, shape_of

RESTATING = (Kind.SUM, Kind.PROD, Kind.INTEGRAL, Kind.LIM, Kind.DERIV)
RESTATING_WORDS = {
    Kind.SUM: "a sum",
    Kind.PROD: "a product",
    Kind.INTEGRAL: "an integral",
    Kind.LIM: "a limit",
    Kind.DERIV: "a derivative",
}

Result = tuple[str, str]


def has_decimal(node: Node) -> bool:
    return any(sub.kind == Kind.NUM and is_decimal(sub.text) for sub in node.walk())


def judge_mode(problem: Problem, expect: Node, answer: Node, extra: int) -> Result:
    mode = problem.spec.mode
    if mode == "logic":
        return judge_logic(expect, answer)
    if mode == "set":
        return judge_set(problem, expect, answer, extra)
    if mode == "numeric":
        return judge_numeric(problem, expect, answer)
    if mode == "antiderivative":
        return judge_antiderivative(problem, expect, answer)
    if mode == "derivation":
        return judge_derivation(problem, expect, answer, extra)
    return judge_equivalent(problem, expect, answer, extra)


def judge_equivalent(problem: Problem, expect: Node, answer: Node, extra: int) -> Result:
    if is_relation(expect):
        return judge_relation(problem, expect, answer)
    if is_relation(answer):
        return "incorrect", "An expression is expected here, not a relation."
    for kind in RESTATING:
        if has_kind(answer, (kind,)) and not has_kind(expect, (kind,)):
            return "incorrect", f"Your answer still contains {RESTATING_WORDS[kind]}: work it out."
    outcome = problem.same(expect, answer, extra)
    if outcome.status == "undecided":
        return "undecided", "The checker could not decide this one: compare it yourself."
    if outcome.status == "equal" and _exactly_apart(expect, answer):
        return "incorrect", "Not equivalent to the expected answer (they differ beyond 20 digits)."
    if outcome.status == "equal":
        if has_decimal(answer) and not has_decimal(expect):
            return "incorrect", "Give the exact value, not a decimal approximation."
        problem_text = form_problem(problem.spec.form, answer)
        if problem_text:
            return "incorrect", problem_text
        return "correct", "Correct."
    if has_decimal(answer) and not has_decimal(expect):
        return "incorrect", "Give the exact value, not a decimal approximation."
    hint = near_miss(problem, expect, answer)
    where = f" (they differ at {outcome.point})" if outcome.point and not hint else ""
    return "incorrect", hint or f"Not equivalent to the expected answer{where}."


APPROXIMATED = (Kind.INTEGRAL, Kind.LIM, Kind.DERIV)


def _exactly_apart(expect: Node, answer: Node) -> bool:
    """Two numbers (no variables) where one is an integral, limit or derivative, which the
    comparison computes numerically to 20 digits: are they provably apart when sympy works
    them out exactly (∫₀¹ x² dx against 1/3 + 10⁻⁴⁰)? False when sympy cannot tell."""
    if free_names(expect) or free_names(answer):
        return False
    if not (has_kind(expect, APPROXIMATED) or has_kind(answer, APPROXIMATED)):
        return False
    from tutor.check.symbolic import to_sympy

    try:
        difference = (to_sympy(expect) - to_sympy(answer)).doit()
        if difference.free_symbols or difference.has(*_unevaluated_classes()):
            return False
        value = difference.evalf(100)
        return bool(value.is_real and abs(value) > 10**-90)
    except (OutOfScope, ArithmeticError, ValueError, TypeError, NotImplementedError):
        return False


def _unevaluated_classes() -> tuple[type, ...]:
    import sympy

    return (sympy.Integral, sympy.Limit, sympy.Derivative)


def judge_logic(expect: Node, answer: Node) -> Result:
    names = sorted((free_names(expect) | free_names(answer)) - {"True", "False"})

    def left(env: Env) -> Any:
        return evaluate(expect, env)

    def right(env: Env) -> Any:
        return evaluate(answer, env)

    outcome = compare_truth(left, right, names)
    if outcome.status == "equal":
        return "correct", "Correct: the same truth table."
    if outcome.status == "undecided":
        return "undecided", outcome.note
    if not outcome.point:
        return "incorrect", "Not equivalent: your statement is false where the expected one holds."
    return "incorrect", f"Not equivalent: yours holds when {outcome.point}, the expected one not."


def judge_set(problem: Problem, expect: Node, answer: Node, extra: int) -> Result:
    if problem.spec.sets:
        return judge_equivalent(problem, expect, answer, extra)
    from tutor.check.numsets import judge_number_sets

    return judge_number_sets(problem, expect, answer)


def _fraction(text: str) -> float:
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def numeric_key_problem(spec: CheckSpec) -> tuple[str, str]:
    """("", "") when ``tolerance`` and ``factor`` are sane, else the key and what is wrong:
    a tolerance is finite and positive, a factor finite and at least 1."""
    if spec.tolerance:
        try:
            tolerance = _fraction(spec.tolerance)
        except ValueError:
            return "tolerance", f"tolerance {spec.tolerance!r} is not a number or a percentage"
        if not math.isfinite(tolerance) or tolerance <= 0:
            return "tolerance", f"tolerance {spec.tolerance!r} must be finite and positive"
    if spec.factor:
        try:
            factor = _fraction(spec.factor)
        except ValueError:
            return "factor", f"factor {spec.factor!r} is not a number"
        if not math.isfinite(factor) or factor < 1:
            return "factor", f"factor {spec.factor!r} must be finite and at least 1"
    return "", ""


def _entries(value: Any) -> list[tuple[str, Any]]:
    """The numbers in a value, each with where it sits ("" for a plain number)."""
    if isinstance(value, Vec):
        return [(f"entry {i + 1}", c) for i, c in enumerate(value)]
    if _is_matrix(value):
        return [
            (f"entry ({i + 1}, {j + 1})", value[i, j])
            for i in range(value.rows)
            for j in range(value.cols)
        ]
    return [("", value)]


def _numeric_entry(spec: CheckSpec, want: Any, got: Any) -> str:
    """ "" when ``got`` is close enough to ``want``, else what is wrong with it."""
    if got == want:
        return ""
    if spec.factor:
        factor = _fraction(spec.factor)
        if want == 0 or got == 0 or (want > 0) != (got > 0):
            return "sign"
        ratio = got / want
        slack = 1 + 1e-15  # a decimal is not exact in binary: 0.9 / 0.3 is 3 within rounding
        if 1 / (factor * slack) <= ratio <= factor * slack:
            return ""
        return "large" if ratio > 1 else "small"
    tolerance = _fraction(spec.tolerance) if spec.tolerance else 1e-9
    if abs(got - want) <= tolerance * abs(want) * (1 + 1e-15):
        return ""
    return "large" if got > want else "small"


def _settled(low: Any, high: Any) -> Any:
    """A value from two precisions: 0 when it shrinks with the precision (sin(π) is rounding
    noise, 1e-31 at 30 digits and 1e-91 at 90), else the value at the higher precision."""
    if low != 0 and abs(high) <= abs(low) * 10**-30:
        return 0
    return high


def _tolerance_note(spec: CheckSpec) -> str:
    return f" The tolerance is {spec.tolerance}." if spec.tolerance else ""


def _entry_message(spec: CheckSpec, wrong: str, where: str) -> str:
    where = where[0].upper() + where[1:]
    if spec.factor and wrong == "sign":
        return f"{where} is not within the accepted factor (check the sign)."
    size = "too large" if wrong == "large" else "too small"
    if spec.factor:
        return f"{where} is {size}: not within a factor of {spec.factor}."
    return f"{where} is {size}." + _tolerance_note(spec)


def judge_numeric(problem: Problem, expect: Node, answer: Node) -> Result:

    key, wrong = numeric_key_problem(problem.spec)
    if key:
        return "undecided", f"The card's {key} is not usable ({wrong}): compare it yourself."

    if free_names(answer) - set(problem.spec.functions):
        return "incorrect", "A number is expected here."
    ctx = context(30)
    env = Env(ctx)
    want = evaluate(expect, env)
    got = evaluate(answer, env)
    if isinstance(want, bool | Region) or isinstance(got, bool | Region):
        raise CheckInputError("A number is expected here.", 1)
    spec = problem.spec
    want_shape, got_shape = shape_of(want, sizes=True), shape_of(got, sizes=True)
    if want_shape != got_shape:
        return "incorrect", f"Your answer is {got_shape}, but {want_shape} is expected."
    fine = Env(context(90))
    want_hi, got_hi = evaluate(expect, fine), evaluate(answer, fine)
    pairs = zip(_entries(want), _entries(want_hi), _entries(got), _entries(got_hi), strict=True)
    for (where, w), (_, w_hi), (_, g), (_, g_hi) in pairs:
        wrong = _numeric_entry(spec, _settled(w, w_hi), _settled(g, g_hi))
        if not wrong:
            continue
        if where:
            return "incorrect", _entry_message(spec, wrong, where)
        if spec.factor and wrong == "sign":
            return "incorrect", "Not within the accepted factor (check the sign)."
        if spec.factor:
            size = "Too large" if wrong == "large" else "Too small"
            return "incorrect", f"{size}: not within a factor of {spec.factor}."
        size = "Too large." if wrong == "large" else "Too small."
        return "incorrect", size + _tolerance_note(spec)
    if spec.factor:
        return "correct", f"Correct: within a factor of {spec.factor}."
    return "correct", "Correct."


def judge_antiderivative(problem: Problem, expect: Node, answer: Node) -> Result:
    var = problem.spec.var
    if is_relation(answer):
        return "incorrect", "Give the antiderivative as an expression, plus a constant."
    if has_kind(answer, (Kind.INTEGRAL,)):
        return "incorrect", "Your answer still contains an integral: work it out."
    x = Node(Kind.NAME, (), var)
    d_answer = Node(Kind.DERIV, (x, answer))
    d_expect = Node(Kind.DERIV, (x, expect))
    outcome = problem.same(d_expect, d_answer, approx=True)
    if outcome.status == "undecided":
        return "undecided", "The checker could not decide this one: compare it yourself."
    if outcome.status != "equal":
        second = Node(Kind.DERIV, (x, d_expect))
        if problem.same(second, answer, approx=True).status == "equal":
            return "incorrect", "You differentiated instead of integrating."
        if problem.same(d_expect, answer, approx=True).status == "equal":
            return (
                "incorrect",
                "That is the integrand itself: find a function whose derivative it is.",
            )
        hint = near_miss(problem, d_expect, d_answer)
        return "incorrect", "Its derivative is not the integrand." + (
            " " + hint.replace("your answer", "its derivative") if hint else ""
        )
    # The constant of integration: a name that is not part of the question, on which the
    # answer depends as "+ k·C" for a non-zero number k (C, c, K, C_1, 2C, -3c, C/2). Its
    # derivative in that name is compared with itself, never with the number 1: the
    # derivative of log(x) + c is undefined where log(x) is, and comparing it with 1, which
    # is defined everywhere, rejected every constant of an answer with a smaller domain.
    from tutor.check.equiv import compare, seed_of

    def slopes(expr: Node, name: str) -> list[Any] | None:
        """The derivative of ``expr`` in ``name`` at the random points of the domains, or
        None where it is not a number everywhere."""
        derivative = Node(Kind.DERIV, (Node(Kind.NAME, (), name), expr))
        seen: list[Any] = []

        def value(env: Env) -> Any:
            result = evaluate(derivative, env)
            seen.append(result)
            return result

        names = problem.scalar_names(expr) | {name}
        outcome = compare(
            value,
            value,
            problem.domains,
            names,
            seed=seed_of(repr(derivative)),
            approx=True,
            special=False,
        )
        if outcome.status != "equal" or not seen or any(isinstance(v, bool) for v in seen):
            return None
        return seen

    def coefficient(expr: Node, name: str) -> Any:
        """k when ``expr`` is ``rest + k·name`` wherever it is defined (k ≠ 0), else None."""
        seen = slopes(expr, name)
        if seen is None:
            return None
        base = seen[0]
        tolerance = 1e-9 * max(1, abs(base))
        if abs(base) < 1e-9 or any(abs(other - base) > tolerance for other in seen):
            return None
        return base

    def additive(expr: Node, name: str) -> bool:
        """Does ``expr`` depend on ``name`` as F(x) + g(name), g not constant (log|C x| is
        log|x| + log|C|)? Its derivative in ``name`` is then non-zero and free of x."""
        seen = slopes(expr, name)
        if seen is None or any(abs(v) < 1e-9 for v in seen):
            return False
        inner = Node(Kind.DERIV, (Node(Kind.NAME, (), name), expr))
        names = problem.scalar_names(expr) | {name}
        mixed = Node(Kind.DERIV, (Node(Kind.NAME, (), var), inner))
        outcome = compare(
            lambda env: evaluate(mixed, env) * 10**9,
            lambda env: 0,
            problem.domains,
            names,
            seed=seed_of(repr(mixed)),
            approx=True,
            special=False,
        )
        return outcome.status == "equal" and onto(expr, name, names)

    def onto(expr: Node, name: str, names: set[str]) -> bool:
        """Does F(x) + g(name) reach every constant: is g unbounded both ways? log|C| is,
        C² and e^C are not (they miss every negative shift)."""
        from tutor.check.domains import draw, make_env

        ctx = context(30)
        rng = random.Random(seed_of(repr(expr), name))
        for _ in range(5):
            env = make_env(problem.domains, draw(problem.domains, names, rng, 0), ctx)
            values = []
            for c in (1, 10**-40, -(10**-40), 10**40, -(10**40)):
                env.values[name] = ctx.mpf(c)
                with contextlib.suppress(Undefined, ZeroDivisionError, OutOfScope):
                    values.append((c, evaluate(expr, env)))
            if not values or values[0][0] != 1:
                continue  # undefined at this x: try another
            base = values[0][1]
            shifts = [v - base for _, v in values[1:] if not isinstance(v, bool)]
            return min(shifts, default=0) < -50 and max(shifts, default=0) > 50
        return False

    spec = problem.spec
    declared = set(problem.ctx.declared) | set(spec.functions) | set(spec.probability)
    question = problem.question_names()
    for name in sorted(free_names(answer) - {var}):
        if name in question and (
            name in declared or name not in free_names(expect) or coefficient(expect, name) is None
        ):
            continue  # part of the question (a parameter), not a free constant
        if coefficient(answer, name) is not None or additive(answer, name):
            return "correct", f"Correct (with the constant of integration {name})."
    return "incorrect", "Add a constant of integration (+ C)."


def judge_derivation(problem: Problem, expect: Node, answer: Node, extra: int) -> Result:
    """A chain e1 = e2 = … = en: e1 is the ``from`` expression and en the ``expect`` expression
    as written (up to notation, order and grouping, not merely equal in value), every link
    holds, and the chain does some work: at least ``intermediate`` (default 1) expressions
    between its ends that differ from both, and every ``via`` expression on the way."""
    if answer.kind != Kind.REL or set(answer.text.split()) != {"="}:
        return "incorrect", "Write a chain of equalities: e1 = e2 = … = en."
    spec = problem.spec
    canon = problem.canon
    links = list(answer.args)
    if spec.start:
        start, _ = problem.read(spec.start)
        if not canon.same(start, links[0]):
            if problem.same(start, links[0], extra).status == "equal":
                return "incorrect", (
                    f"Start from {to_text(start)} as the card writes it, "
                    f"not from {to_text(links[0])}."
                )
            return "incorrect", f"The chain must start from {to_text(start)}."
    if not canon.same(expect, links[-1]):
        if problem.same(expect, links[-1], extra).status == "equal":
            return "incorrect", (
                f"Carry the chain on to {to_text(expect)}: it ends at {to_text(links[-1])}."
            )
        return "incorrect", f"The chain must end at {to_text(expect)}."
    for index in range(len(links) - 1):
        outcome = problem.same(links[index], links[index + 1], extra)
        if outcome.status != "equal":
            verdict = "undecided" if outcome.status == "undecided" else "incorrect"
            return verdict, (
                f"Step {index + 1} does not hold: {to_text(links[index])} ≠ "
                f"{to_text(links[index + 1])}."
                if verdict == "incorrect"
                else f"Step {index + 1} could not be checked."
            )
    if has_decimal(answer) and not has_decimal(expect):
        return "incorrect", "Keep the values exact, not decimal approximations."
    steps_form = problem.step_canon
    first, last = steps_form.key(links[0]), steps_form.key(links[-1])
    keys = [steps_form.key(link) for link in links]
    if first != last:
        # a chain that reaches its end and leaves it again, or leaves its start and comes back,
        # shows no work in the links that lead there: one of them restates the whole result
        # (repeating an end right beside it is only a repeat, which does not count)
        reached = keys.index(last)
        if any(key != last for key in keys[reached:]):
            return "incorrect", (
                f"Expression {reached + 1} is already the end, {to_text(links[-1])}: a chain "
                "reaches it once, at its last step."
            )
        left = len(keys) - 1 - keys[::-1].index(first)
        if any(key != first for key in keys[: left + 1]):
            return "incorrect", (
                f"Expression {left + 1} goes back to the start, {to_text(links[0])}: the links "
                "after it restate the whole result."
            )
    ends = {first, last}
    between = {steps_form.key(link) for link in links[1:-1]} - ends
    wanted = minimum_intermediate(spec)
    if len(between) < wanted:
        count = "one expression" if wanted == 1 else f"{wanted} different expressions"
        return "incorrect", (
            f"Show the work: write at least {count} between {to_text(links[0])} and "
            f"{to_text(links[-1])}; repeating an expression does not count."
        )
    for line in spec.via:
        # one via: line is one waypoint; `A; B` lets the chain pass through either
        targets = [problem.read(text)[0] for text in via_alternatives(line)]
        # by form without the padding rules, like the links: e^c·a/(e^c·b) is a waypoint of
        # its own, not a padded a/b
        if not any(steps_form.same(target, link) for target in targets for link in links):
            shown = " or ".join(to_text(target) for target in targets)
            return "incorrect", f"The chain must pass through {shown}."
    steps = len(links) - 1
    return (
        "correct",
        "Correct: the step holds." if steps == 1 else f"Correct: all {steps} steps hold.",
    )


def via_alternatives(line: str) -> list[str]:
    """The expressions of one ``via:`` line, separated by semicolons."""
    return [part.strip() for part in line.split(";") if part.strip()]


def minimum_intermediate(spec: CheckSpec) -> int:
    """The ``intermediate`` key: the least number of expressions between a chain's ends."""
    if not spec.intermediate:
        return 1
    try:
        return max(0, int(spec.intermediate))
    except ValueError:
        return 1


__all__ = ["OutOfScope", "judge_mode"]
