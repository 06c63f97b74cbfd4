"""Every case of cases.jsonl through judge(): the verdict must match, and a wrong answer is
never judged correct."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tutor.check import CheckSpec, judge

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "cases.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


def test_case_file_is_large_and_mostly_wrong_answers() -> None:
    assert len(CASES) >= 300
    wrong = sum(1 for case in CASES if case["verdict"] != "correct")
    assert wrong / len(CASES) >= 0.45
    modes = {case.get("mode", "equivalent") for case in CASES}
    assert modes >= {"equivalent", "set", "logic", "numeric", "antiderivative", "derivation"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    verdict = judge(CheckSpec.from_json(case), case["answer"])
    if case["verdict"] != "correct":
        assert verdict.verdict != "correct", verdict
    assert verdict.verdict == case["verdict"], verdict
    if verdict.verdict == "invalid":
        assert verdict.column is not None or case["answer"] == ""
    else:
        assert verdict.read_as
