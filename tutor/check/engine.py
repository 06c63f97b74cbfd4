"""judge and lint_spec: read the answer, decide by mode, attach feedback and read_as."""

from __future__ import annotations

import contextlib
import re
import time

from tutor.check.clean import strip_controls as clean
from tutor.check.errors import CheckInputError, OutOfScope
from tutor.check.forms import FORMS
from tutor.check.modes import (
    RESTATING,
    RESTATING_WORDS,
    has_decimal,
    judge_mode,
    numeric_key_problem,
    via_alternatives,
)
from tutor.check.nodes import Kind, Node, has_kind
from tutor.check.printer import to_text
from tutor.check.problem import Problem
from tutor.check.relations import is_relation
from tutor.check.spec import MODES, CheckSpec, SpecProblem
from tutor.check.verdict import Verdict
from tutor.check.work import restatement


def _verdict(
    verdict: str,
    feedback: str,
    read_as: str,
    start: float,
    column: int | None = None,
    *,
    told: bool = False,
) -> Verdict:
    return Verdict(
        verdict,
        clean(feedback),
        clean(read_as),
        round((time.perf_counter() - start) * 1000, 3),
        column,
        told,
    )


def judge(spec: CheckSpec, answer: str) -> Verdict:
    """Judge one answer against a check block. Pure and thread-safe."""
    start = time.perf_counter()
    if spec.mode not in MODES:
        return _verdict("undecided", f"The card's check mode {spec.mode!r} is unknown.", "", start)
    problem = Problem(spec)
    try:
        expect, extra_expect = problem.read(spec.expect)
        subject = problem.read(spec.lhs)[0] if spec.lhs else None
        _ = problem.rules
    except CheckInputError as exc:
        # the card's fault, not the learner's: never "invalid" for what the deck wrote
        return _verdict("undecided", f"The card's check block cannot be read: {exc}", "", start)
    try:
        node, extra = problem.read(answer)
    except CheckInputError as exc:
        return _verdict("invalid", exc.message, "", start, exc.column)
    read_as = to_text(node)
    try:
        node = _subject_removed(problem, subject, expect, node)
        restated = _unevaluated(spec, expect, node)
        if restated:
            return _verdict("incorrect", restated, read_as, start)
        verdict, feedback = judge_mode(problem, expect, node, max(extra, extra_expect))
        mistake = ""
        if verdict == "incorrect":
            mistake = _mistake(problem, node)
            feedback = mistake or feedback
        else:
            verdict, feedback = _work_shown(problem, expect, node, verdict, feedback)
            if verdict == "incorrect" and spec.mistake and feedback in _messages(spec):
                mistake = feedback
        told = bool(mistake) and bool(_answer_in(problem, mistake, [spec.expect, *spec.accept]))
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
    return _verdict(verdict, feedback, read_as, start, told=told)


def _messages(spec: CheckSpec) -> set[str]:
    return {line.partition("=>")[2].strip() for line in spec.mistake}


def _subject_removed(problem: Problem, subject: Node | None, expect: Node, node: Node) -> Node:
    """``h'(x) = f'(g(x)) g'(x)`` where ``lhs: h'(x)`` names the card's subject: the right side."""
    if subject is None or node.kind != Kind.REL or node.text != "=" or is_relation(expect):
        return node
    left, right = node.args
    if problem.canon.same(left, subject):
        return right
    if problem.canon.same(right, subject):
        return left
    return node


def _unevaluated(spec: CheckSpec, expect: Node, node: Node) -> str:
    """By default an answer may not hold a derivative, integral, limit, sum or product that the
    expectation does not (a derivation's links and an antiderivative have their own rules)."""
    if spec.mode in ("derivation", "antiderivative"):
        return ""
    for kind in RESTATING:
        if has_kind(node, (kind,)) and not has_kind(expect, (kind,)):
            return f"Your answer still contains {RESTATING_WORDS[kind]}: work it out."
    return ""


def _work_shown(
    problem: Problem, expect: Node, node: Node, verdict: str, feedback: str
) -> tuple[str, str]:
    """A correct (or undecided) answer that restates the question, or breaks the block's
    using:/forbid: rules, is incorrect."""
    spec = problem.spec
    answers = [expect] + [n for n in (_read_or_none(problem, t) for t in spec.accept) if n]
    rejected = restatement(
        problem.canon, problem.step_canon, problem.ctx, spec.reject, node, answers
    )
    if rejected:
        message = _mistake(problem, node) if verdict == "correct" else ""
        if not message:
            if verdict == "correct":
                message = "That restates the question rather than working it out"
            else:
                message = "This card rules that answer out"
            message += problem.rules.through() + "."
        return "incorrect", message
    if spec.mode in ("equivalent", "set") and has_decimal(node) and not has_decimal(expect):
        return "incorrect", "Give the exact value, not a decimal approximation."
    if spec.mode != "derivation":
        broken = problem.rules.problem(node, expect)
        if broken:
            return "incorrect", broken
    return verdict, feedback


def _mistake(problem: Problem, node: Node) -> str:
    """The message of the first ``mistake:`` line whose answer is equivalent to ``node``."""
    plain = problem.spec.mode in ("equivalent", "set") and not is_relation(node)
    for line in problem.spec.mistake:
        wrong, sep, message = line.partition("=>")
        if not sep:
            continue
        try:
            wrong_node, extra = problem.read(wrong.strip())
            # value equality alone where the mode is plain equivalence: no feedback to compose
            matched = _same(problem, wrong_node, node)
            if not matched and not plain:
                matched = judge_mode(problem, wrong_node, node, extra)[0] == "correct"
        except Exception:
            continue
        if matched:
            return message.strip()
    return ""


def _same(problem: Problem, a: Node, b: Node) -> bool:
    try:
        return problem.same(a, b).status == "equal"
    except Exception:
        return False


def lint_spec(spec: CheckSpec, reference_answer: str | None = None) -> list[SpecProblem]:
    """Problems with a check block, for the deck linter, each naming the key it is about."""
    if spec.mode not in MODES:
        return [SpecProblem("mode", 0, f"unknown mode {spec.mode!r}")]
    if not spec.expect:
        return [SpecProblem("expect", 0, "expect is missing")]
    problem = Problem(spec)
    try:
        expect, _ = problem.read(spec.expect)
    except CheckInputError as exc:
        message = f"expect is unreadable: {exc.message} (column {exc.column})"
        return [SpecProblem("expect", 0, message)]
    problems = _unreadable_keys(problem)
    if problems:
        return problems
    key, wrong = numeric_key_problem(spec)
    if key:
        problems.append(SpecProblem(key, 0, wrong))
    unknown = [form for form in spec.form if form not in FORMS]
    if unknown:
        message = f"unknown form {', '.join(unknown)}; forms are {', '.join(FORMS)}"
        problems.append(SpecProblem("form", 0, message))
    if spec.mode != "derivation":
        broken = problem.rules.problem(expect, expect)
        if broken:
            where = "using" if spec.using else "forbid"
            problems.append(SpecProblem(where, 0, f"expect breaks the block's own rules: {broken}"))
    for index, text in enumerate(spec.accept):
        verdict = judge(spec, text)
        if verdict.verdict != "correct":
            message = f"accept {text!r} is judged {verdict.verdict}: {verdict.feedback}"
            problems.append(SpecProblem("accept", index, message))
    for index, text in enumerate(spec.reject):
        try:
            node, _ = problem.read(text)
        except CheckInputError as exc:
            problems.append(SpecProblem("reject", index, f"reject {text!r} is unreadable: {exc}"))
            continue
        if problem.step_canon.same(node, expect):
            message = f"reject {text!r} has the form of expect: it would refuse the answer itself"
            problems.append(SpecProblem("reject", index, message))
        for accepted in spec.accept:
            if _same_text(problem, accepted, node, strict=True):
                message = f"reject {text!r} has the form of accept {accepted!r}"
                problems.append(SpecProblem("reject", index, message))
    answers = [spec.expect, *spec.accept]
    for index, line in enumerate(spec.mistake):
        wrong_text, sep, said = line.partition("=>")
        if not sep:
            message = f"mistake {line!r} needs 'ANSWER => MESSAGE'"
            problems.append(SpecProblem("mistake", index, message))
            continue
        if judge(spec, wrong_text.strip()).verdict == "correct":
            message = f"mistake {wrong_text.strip()!r} is judged correct"
            problems.append(SpecProblem("mistake", index, message))
        told = _answer_in(problem, said, answers)
        if told:
            message = (
                f"mistake message states the answer ({told!r}): a learner can copy it "
                "from the feedback"
            )
            problems.append(SpecProblem("mistake", index, message, warning=True))
    if reference_answer is not None and spec.mode == "derivation":
        verdict = judge(spec, reference_answer)
        if verdict.verdict != "correct":
            message = f"the reference derivation is judged {verdict.verdict}: {verdict.feedback}"
            problems.append(SpecProblem("reference", 0, message))
    return problems


def _unreadable_keys(problem: Problem) -> list[SpecProblem]:
    """The keys holding expressions, each readable: from, lhs, via, using, forbid, allow."""
    spec = problem.spec
    problems: list[SpecProblem] = []
    for key, texts in (("from", (spec.start,)), ("lhs", (spec.lhs,)), ("via", spec.via)):
        for index, line in enumerate(texts):
            for text in via_alternatives(line) if key == "via" else [line]:
                if not text:
                    continue
                try:
                    problem.read(text)
                except CheckInputError as exc:
                    message = f"{key} is unreadable: {exc.message}"
                    problems.append(SpecProblem(key, index, message))
    if spec.intermediate and not spec.intermediate.isdigit():
        message = f"intermediate {spec.intermediate!r} must be a whole number"
        problems.append(SpecProblem("intermediate", 0, message))
    for key in ("using", "forbid", "allow"):
        lines: tuple[str, ...] = getattr(spec, key)
        for index, line in enumerate(lines):
            only = Problem(CheckSpec.from_json({**spec.to_json(), key: [line]}))
            try:
                _ = only.rules
            except CheckInputError as exc:
                problems.append(SpecProblem(key, index, f"{key} {line!r}: {exc.message}"))
    return problems


def _same_text(problem: Problem, text: str, node: Node, *, strict: bool = False) -> bool:
    canon = problem.step_canon if strict else problem.canon
    try:
        return canon.same(problem.read(text)[0], node)
    except CheckInputError:
        return False


def _read_or_none(problem: Problem, text: str) -> Node | None:
    try:
        return problem.read(text)[0]
    except CheckInputError:
        return None


def _answer_in(problem: Problem, message: str, answers: list[str]) -> str:
    """The expected or an accepted answer, if ``message`` writes it out (as typed, or any
    run of its words that reads as the same form)."""
    flat = "".join(message.split())
    for text in answers:
        written = "".join(text.split())
        # a short answer (2, y_j) is looked for as a formula of its own below, not as letters
        # inside other words and numbers (32 layers)
        if len(written) >= 4 and written in flat:
            return text
    nodes = []
    for text in answers:
        with contextlib.suppress(CheckInputError):
            nodes.append((text, problem.read(text)[0]))
    for part in re.split(r"[:;,]|\bis\b|\bare\b|\bequals\b|=|\.\s", message):
        words = part.strip().rstrip(".").split()
        for start in range(max(0, len(words) - 12), len(words)):
            candidate = " ".join(words[start:])
            try:
                node, _ = problem.read(candidate)
            except CheckInputError:
                continue
            for text, answer in nodes:
                if problem.canon.same(node, answer):
                    return text
    return ""
