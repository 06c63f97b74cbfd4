"""Relations: equations up to rearrangement and scaling, inequalities by region and
strictness, chains and intervals."""

from __future__ import annotations

from typing import Any

from tutor.check.equiv import compare, seed_of
from tutor.check.errors import OutOfScope, Undefined
from tutor.check.nodes import Node, free_names
from tutor.check.problem import Problem
from tutor.check.symbolic import to_sympy
from tutor.check.values import Env, evaluate

FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}


def atoms(node: Node, var: str | None) -> list[tuple[Node, str, Node]]:
    """The atomic relations of a chain, an interval (about ``var``) or one relation."""
    if node.kind == "rel":
        ops = node.text.split()
        return [(node.args[i], ops[i], node.args[i + 1]) for i in range(len(ops))]
    if node.kind == "interval" and var is not None:
        x = Node("name", (), var)
        low_op = "<=" if node.text[0] == "[" else "<"
        high_op = "<=" if node.text[1] == "]" else "<"
        out = []
        if node.args[0] != Node("neg", (Node("const", (), "oo"),)):
            out.append((node.args[0], low_op, x))
        if node.args[1] != Node("const", (), "oo"):
            out.append((x, high_op, node.args[1]))
        return out
    raise OutOfScope("not a relation")


def is_relation(node: Node) -> bool:
    return node.kind in ("rel", "interval")


def judge_relation(problem: Problem, expect: Node, answer: Node) -> tuple[str, str]:
    if not is_relation(answer):
        return "incorrect", "A relation (an equation or inequality) is expected here."
    names = problem.scalar_names(expect, answer)
    real_names = sorted(
        n for n in names if problem.domains.kinds.get(n, "real") in ("real", "positive")
    )
    var = real_names[0] if len(real_names) == 1 else None
    exp_atoms = atoms(expect, var)
    ans_atoms = atoms(answer, var)
    if len(names) == 1 and var is not None:
        return _univariate(problem, exp_atoms, ans_atoms, var)
    if len(exp_atoms) == 1 and len(ans_atoms) == 1:
        return _single(problem, exp_atoms[0], ans_atoms[0], names)
    return _regions(problem, exp_atoms, ans_atoms, names)


def _solution_set(atom_list: list[tuple[Node, str, Node]], var: str, problem: Problem) -> Any:
    import sympy

    x = sympy.Symbol(var, real=True)
    assumptions = {var: {"real": True}}
    result = sympy.S.Reals
    for left, op, right in atom_list:
        expr = to_sympy(Node("-", (left, right)), assumptions)
        rel = {
            "=": sympy.Eq,
            "<": sympy.Lt,
            ">": sympy.Gt,
            "<=": sympy.Le,
            ">=": sympy.Ge,
            "!=": sympy.Ne,
        }[op](expr, 0)
        solved = sympy.solveset(rel, x, sympy.S.Reals)
        if isinstance(solved, sympy.ConditionSet) or solved.has(sympy.ConditionSet):
            raise OutOfScope("cannot solve")
        result = sympy.Intersection(result, solved)
    return result


def _univariate(
    problem: Problem,
    exp_atoms: list[tuple[Node, str, Node]],
    ans_atoms: list[tuple[Node, str, Node]],
    var: str,
) -> tuple[str, str]:
    import sympy

    expected = _solution_set(exp_atoms, var, problem)
    given = _solution_set(ans_atoms, var, problem)
    difference = sympy.SymmetricDifference(expected, given)
    if difference == sympy.S.EmptySet or expected == given:
        return "correct", "Correct: the same solutions."
    if isinstance(difference, sympy.FiniteSet) and len(difference) > 0:
        return "incorrect", _strictness_or(
            exp_atoms, ans_atoms, "Check the end points: the solutions differ there."
        )
    if difference.is_empty is False:
        return "incorrect", _strictness_or(exp_atoms, ans_atoms, "The solutions are not the same.")
    raise OutOfScope("cannot compare the solution sets")


def _strictness_or(
    exp_atoms: list[tuple[Node, str, Node]], ans_atoms: list[tuple[Node, str, Node]], default: str
) -> str:
    def strict(atoms_: list[tuple[Node, str, Node]]) -> list[bool]:
        return [op in ("<", ">") for _, op, _ in atoms_]

    if len(exp_atoms) == len(ans_atoms) and strict(exp_atoms) != strict(ans_atoms):
        return "Check strict against non-strict inequalities (< versus ≤)."
    return default


def _difference(atom: tuple[Node, str, Node]) -> tuple[Node, str]:
    left, op, right = atom
    return Node("-", (left, right)), op


def _single(
    problem: Problem,
    exp_atom: tuple[Node, str, Node],
    ans_atom: tuple[Node, str, Node],
    names: set[str],
) -> tuple[str, str]:
    f1, op1 = _difference(exp_atom)
    f2, op2 = _difference(ans_atom)
    ratio = Node("/", (f1, f2))
    constant = _constant_ratio(problem, ratio, names)
    if constant is not None and constant != 0:
        wanted = op1 if constant > 0 else FLIP[op1]
        if wanted == op2:
            return "correct", "Correct: the same relation, rearranged."
        if {wanted, op2} in ({"<", "<="}, {">", ">="}):
            return "incorrect", "Check strict against non-strict inequalities (< versus ≤)."
        return "incorrect", "The relation points the wrong way or has the wrong symbol."
    if op1 == "=" and op2 == "=":
        return _polynomial_equations(problem, f1, f2, names)
    return _regions(problem, [exp_atom], [ans_atom], names)


def _constant_ratio(problem: Problem, ratio: Node, names: set[str]) -> Any:
    """If ``ratio`` is the same non-zero number at every sample point, that number."""
    seen: list[Any] = []

    def value(env: Env) -> Any:
        result = evaluate(ratio, env)
        seen.append(result)
        return result

    def first(env: Env) -> Any:
        if not seen:
            raise Undefined
        return seen[0]

    outcome = compare(value, value, problem.domains, names, seed=seed_of(repr(ratio)))
    if outcome.status != "equal" or not seen:
        return None
    base = seen[0]
    if isinstance(base, bool) or base == 0:
        return None
    for other in seen[1:]:
        if abs(other - base) > abs(base) * 1e-20:
            return None
    return base


def _polynomial_equations(problem: Problem, f1: Node, f2: Node, names: set[str]) -> tuple[str, str]:
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
    return "incorrect", "This equation does not have the same solutions."


def _regions(
    problem: Problem,
    exp_atoms: list[tuple[Node, str, Node]],
    ans_atoms: list[tuple[Node, str, Node]],
    names: set[str],
) -> tuple[str, str]:
    def truth(atom_list: list[tuple[Node, str, Node]]) -> Any:
        def fn(env: Env) -> bool:
            result = True
            for left, op, right in atom_list:
                a, b = evaluate(left, env), evaluate(right, env)
                if abs(a - b) < 1e-20 * max(abs(a), abs(b), 1) and op not in ("=", "!="):
                    raise Undefined  # too close to the boundary to tell
                holds = {
                    "=": a == b,
                    "!=": a != b,
                    "<": a < b,
                    ">": a > b,
                    "<=": a <= b,
                    ">=": a >= b,
                }[op]
                result = result and bool(holds)
            return result

        return fn

    outcome = compare(
        truth(exp_atoms),
        truth(ans_atoms),
        problem.domains,
        names,
        seed=seed_of(repr(exp_atoms), repr(ans_atoms)),
        trials=200,
    )
    if outcome.status == "different":
        return "incorrect", _strictness_or(
            exp_atoms, ans_atoms, "The relation does not hold on the same region."
        )
    _ = free_names
    return "undecided", "The regions agree where sampled, but this cannot be decided exactly."
