"""Answer → verdict: safe parsing, equivalence by mode, feedback, the sandbox.

``import tutor.check`` stays cheap: sympy and mpmath load on the first judgement.
"""

from __future__ import annotations

from tutor.check.spec import CheckSpec, SpecProblem
from tutor.check.verdict import VERDICTS, Verdict


def judge(spec: CheckSpec, answer: str) -> Verdict:
    """Judge ``answer`` against ``spec`` in this process (pure, thread-safe, no time limit:
    use :class:`tutor.check.sandbox.Checker` for untrusted input under a limit)."""
    from tutor.check.engine import judge as _judge

    return _judge(spec, answer)


def lint_spec(spec: CheckSpec, reference_answer: str | None = None) -> list[SpecProblem]:
    """Problems the deck linter should report for this check block (empty when sound)."""
    from tutor.check.engine import lint_spec as _lint

    return _lint(spec, reference_answer)


__all__ = ["VERDICTS", "CheckSpec", "SpecProblem", "Verdict", "judge", "lint_spec"]
