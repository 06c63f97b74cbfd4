"""judge and lint_spec: read the answer, decide by mode, attach feedback and read_as."""

from __future__ import annotations

import time

from tutor.check.errors import CheckInputError, OutOfScope
from tutor.check.modes import judge_mode
from tutor.check.nodes import Node
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.spec import MODES, CheckSpec, SpecProblem
from tutor.check.tokens import FORBIDDEN_CATEGORIES
from tutor.check.verdict import Verdict


def clean(text: str) -> str:
    """Strip terminal control characters from anything that reaches the screen."""
    import unicodedata

    return "".join(
        c for c in text if c in " \n" or unicodedata.category(c) not in FORBIDDEN_CATEGORIES
    )


def _verdict(
    verdict: str, feedback: str, read_as: str, start: float, column: int | None = None
) -> Verdict:
    return Verdict(
        verdict,
        clean(feedback),
        clean(read_as),
        round((time.perf_counter() - start) * 1000, 3),
        column,
    )


def judge(spec: CheckSpec, answer: str) -> Verdict:
    """Judge one answer against a check block. Pure and thread-safe."""
    start = time.perf_counter()
    if spec.mode not in MODES:
        return _verdict("undecided", f"The card's check mode {spec.mode!r} is unknown.", "", start)
    problem = Problem(spec)
    try:
        expect, extra_expect = problem.read(spec.expect)
    except CheckInputError as exc:
        return _verdict(
            "undecided", f"The card's expectation cannot be read: {exc.message}", "", start
        )
    try:
        node, extra = problem.read(answer)
    except CheckInputError as exc:
        return _verdict("invalid", exc.message, "", start, exc.column)
    read_as = to_text(node)
    try:
        verdict, feedback = judge_mode(problem, expect, node, max(extra, extra_expect))
    except CheckInputError as exc:
        return _verdict("invalid", exc.message, read_as, start, exc.column)
    except (OutOfScope, RecursionError, OverflowError, MemoryError) as exc:
        return _verdict("undecided", f"The checker cannot decide this ({exc}).", read_as, start)
    except Exception as exc:
        return _verdict(
            "undecided",
            f"The checker failed on this answer ({type(exc).__name__}).",
            read_as,
            start,
        )
    if verdict == "incorrect":
        message = _mistake(problem, node)
        if message:
            feedback = message
    return _verdict(verdict, feedback, read_as, start)


def _mistake(problem: Problem, node: Node) -> str:
    for line in problem.spec.mistake:
        wrong, sep, message = line.partition("=>")
        if not sep:
            continue
        try:
            wrong_node, extra = problem.read(wrong.strip())
            expect, _ = problem.read(problem.spec.expect)
            outcome = judge_mode(problem, wrong_node, node, extra)
        except Exception:
            continue
        if outcome[0] == "correct" or (
            problem.spec.mode == "antiderivative" and _same(problem, wrong_node, node)
        ):
            _ = expect
            return message.strip()
    return ""


def _same(problem: Problem, a: Node, b: Node) -> bool:
    try:
        return problem.same(a, b).status == "equal"
    except Exception:
        return False


def lint_spec(spec: CheckSpec, reference_answer: str | None = None) -> list[SpecProblem]:
    """Problems with a check block, for the deck linter, each naming the key it is about."""
    problems: list[SpecProblem] = []
    if spec.mode not in MODES:
        return [SpecProblem("mode", 0, f"unknown mode {spec.mode!r}")]
    if not spec.expect:
        return [SpecProblem("expect", 0, "expect is missing")]
    try:
        Problem(spec).read(spec.expect)
    except CheckInputError as exc:
        message = f"expect is unreadable: {exc.message} (column {exc.column})"
        return [SpecProblem("expect", 0, message)]
    if spec.mode == "derivation" and spec.start:
        try:
            Problem(spec).read(spec.start)
        except CheckInputError as exc:
            problems.append(SpecProblem("from", 0, f"from is unreadable: {exc.message}"))
    for index, text in enumerate(spec.accept):
        verdict = judge(spec, text)
        if verdict.verdict != "correct":
            message = f"accept {text!r} is judged {verdict.verdict}: {verdict.feedback}"
            problems.append(SpecProblem("accept", index, message))
    for index, text in enumerate(spec.reject):
        if judge(spec, text).verdict == "correct":
            problems.append(SpecProblem("reject", index, f"reject {text!r} is judged correct"))
    for index, line in enumerate(spec.mistake):
        wrong, sep, _message = line.partition("=>")
        if not sep:
            message = f"mistake {line!r} needs 'ANSWER => MESSAGE'"
            problems.append(SpecProblem("mistake", index, message))
            continue
        if judge(spec, wrong.strip()).verdict == "correct":
            message = f"mistake {wrong.strip()!r} is judged correct"
            problems.append(SpecProblem("mistake", index, message))
    if reference_answer is not None and spec.mode == "derivation":
        verdict = judge(spec, reference_answer)
        if verdict.verdict != "correct":
            message = f"the reference derivation is judged {verdict.verdict}: {verdict.feedback}"
            problems.append(SpecProblem("reference", 0, message))
    return problems
