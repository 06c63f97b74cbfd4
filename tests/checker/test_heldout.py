"""Cases written apart from the checker's own development set, as a check on overfitting:
domains, case, exactness, relations, sums, non-commuting products, sets, logic, derivations,
and hostile input. `not-correct` accepts any verdict but `correct` (an honest `undecided`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.check import CheckSpec, judge

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "heldout.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
NOT_CORRECT = {"incorrect", "invalid", "undecided"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_heldout_case(case: dict[str, str]) -> None:
    fields = {k: v for k, v in case.items() if k not in ("id", "answer", "want")}
    verdict = judge(CheckSpec.from_json(fields), case["answer"]).verdict
    want = case["want"]
    if want == "not-correct":
        assert verdict in NOT_CORRECT
    elif want == "invalid":
        assert verdict in NOT_CORRECT  # hostile input: anything but an accept
    else:
        assert verdict == want


def test_heldout_set_is_mostly_wrong_answers() -> None:
    wrong = [c for c in CASES if c["want"] != "correct"]
    assert len(CASES) >= 80 and len(wrong) / len(CASES) >= 0.45
