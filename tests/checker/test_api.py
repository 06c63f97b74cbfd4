"""Spec building, verdict fields, lint_spec, the batch interface and a cheap import."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading

from tutor.check import CheckSpec, judge, lint_spec
from tutor.check.batch import MAX_LINE_BYTES, judge_one_cli, run_jsonl


def test_from_pairs_collects_repeating_keys_and_ignores_unknown() -> None:
    spec = CheckSpec.from_pairs(
        [
            ("expect", "P(A) + P(B) - P(A ∩ B)"),
            ("sets", "A B"),
            ("probability", "P"),
            ("accept", "P(B) + P(A) - P(B ∩ A)"),
            ("accept", "P(B) - P(A ∩ B) + P(A)"),
            ("reject", "P(A) + P(B)"),
            ("mistake", "P(A) + P(B) => Counted twice."),
            ("colour", "blue"),
        ]
    )
    assert spec.accept == ("P(B) + P(A) - P(B ∩ A)", "P(B) - P(A ∩ B) + P(A)")
    assert spec.sets == ("A", "B")
    assert spec.mode == "equivalent"
    assert lint_spec(spec) == []
    verdict = judge(spec, "P(A) + P(B)")
    assert verdict.verdict == "incorrect"
    assert verdict.feedback == "Counted twice."


def test_from_json_and_round_trip() -> None:
    spec = CheckSpec.from_json(
        {"expect": "x", "mode": "numeric", "tolerance": "1%", "accept": "1", "natural": ["n", "k"]}
    )
    assert spec.accept == ("1",)
    assert spec.natural == ("n", "k")
    assert CheckSpec.from_json(spec.to_json()) == spec


def test_lint_reports_each_problem() -> None:
    spec = CheckSpec(
        expect="n(n+1)/2",
        natural=("n",),
        accept=("n(n-1)/2",),
        reject=("n (1+n)/2", "(n^2+n)/2"),
        mistake=("n^2/2 + n/2 => nope",),
    )
    problems = lint_spec(spec)
    assert [(p.key, p.nth) for p in problems] == [("accept", 0), ("reject", 0), ("mistake", 0)]
    assert str(problems[1]) == (
        "reject 'n (1+n)/2' has the form of expect: it would refuse the answer itself"
    )
    unreadable = lint_spec(CheckSpec(expect="x +"))
    assert [p.key for p in unreadable] == ["expect"]
    assert unreadable[0].message.startswith("expect is unreadable")
    derivation = CheckSpec(expect="a^2+2ab+b^2", start="(a+b)^2", mode="derivation")
    assert lint_spec(derivation, "(a+b)^2 = (a+b)(a+b) = a^2 + 2ab + b^2") == []
    assert [p.key for p in lint_spec(derivation, "(a+b)^2 = a^2 + 2ab + b^2")] == ["reference"]
    assert [p.key for p in lint_spec(derivation, "(a+b)^2 = a^2 + b^2")] == ["reference"]


def test_invalid_has_column_and_feedback() -> None:
    verdict = judge(CheckSpec(expect="x"), "x + * 2")
    assert verdict.verdict == "invalid"
    assert verdict.column == 5
    assert verdict.read_as == ""


def test_derivation_names_first_broken_link() -> None:
    spec = CheckSpec(expect="a^2+2ab+b^2", start="(a+b)^2", mode="derivation")
    verdict = judge(spec, "(a+b)^2 = (a+b)(a+b) = a^2 + b^2 + 2ab = a^2 + 2ab")
    assert verdict.verdict == "incorrect"
    verdict = judge(spec, "(a+b)^2 = a^2 + b^2 = a^2 + 2ab + b^2")
    assert "Step 1" in verdict.feedback


def test_judge_is_thread_safe() -> None:
    spec = CheckSpec(expect="sin(x)^2", accept=())
    results: list[str] = []

    def work(answer: str) -> None:
        results.append(judge(spec, answer).verdict)

    threads = [threading.Thread(target=work, args=(a,)) for a in ["1-cos(x)^2", "cos(x)^2"] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["correct"] * 4 + ["incorrect"] * 4


def test_run_jsonl_one_line_per_input_line_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "expect": "n(n+1)/2", "natural": "n", "answer": "(n^2+n)/2"}),
        "this is not json",
        json.dumps({"id": "c", "expect": "x", "answer": "x + 1", "unknown": 3}),
        json.dumps({"id": "d", "expect": "x"}),
        json.dumps([1, 2]),
    ]
    out = io.StringIO()
    status = run_jsonl(io.StringIO("\n".join(lines) + "\n"), out, timeout=2.0)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert status == 0
    assert [r["verdict"] for r in rows] == ["correct", "invalid", "incorrect", "invalid", "invalid"]
    assert [r["id"] for r in rows] == ["a", None, "c", "d", None]
    assert all(set(r) == {"id", "verdict", "feedback", "read_as", "ms"} for r in rows)
    assert rows[0]["read_as"] == "(n^2 + n)/2"


def test_run_jsonl_answers_an_undecodable_or_huge_line_and_goes_on() -> None:
    good = json.dumps({"id": "g", "expect": "x", "answer": "x"}).encode()
    bad_utf8 = b'{"id": "b", "expect": "x", "answer": "\xff\xfe"}'
    huge = b'{"id": "h", "expect": "x", "answer": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}'
    data = b"\n".join([good, bad_utf8, huge, good]) + b"\n"
    out = io.StringIO()
    assert run_jsonl(io.BytesIO(data), out, timeout=2.0) == 0
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["verdict"] for r in rows] == ["correct", "invalid", "invalid", "correct"]
    assert "not UTF-8" in rows[1]["feedback"]
    assert "longer than" in rows[2]["feedback"]


def test_judge_one_cli_prints_verdict() -> None:
    text = judge_one_cli("n(n+1)/2", "n(n-1)/2", "equivalent", {"natural": "n"})
    assert text.startswith("verdict:  incorrect")
    assert "read as:  n(n - 1)/2" in text


def test_import_is_cheap() -> None:
    code = "import sys, tutor.check; print('sympy' in sys.modules, 'mpmath' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False False"


def test_read_as_prints_the_usual_greek_letters() -> None:
    """θ, φ and ε are read back as themselves, not as their variants ϑ, ϕ and ϵ."""
    from tutor.check import judge
    from tutor.check.spec import CheckSpec

    spec = CheckSpec.from_pairs([("expect", "cos(θ) + φ + ε"), ("real", "θ φ ε")])
    verdict = judge(spec, "φ + ε + cos(θ)")
    assert verdict.verdict == "correct"
    assert {"θ", "φ", "ε"} <= set(verdict.read_as) and not {"ϑ", "ϕ", "ϵ"} & set(verdict.read_as)


def test_run_jsonl_answers_a_lone_surrogate_id_and_deep_nesting_and_goes_on() -> None:
    """JSON allows an id of a lone surrogate ("\\ud800"), which UTF-8 cannot write, and arrays
    nested past Python's stack: each line is answered (the id echoed escaped, the nesting
    'invalid') and the batch goes on."""
    good = json.dumps({"id": "g", "expect": "x", "answer": "x"})
    lone = '{"id": "\\ud800", "expect": "x", "answer": "x"}'
    deep = "[" * 100_000 + "]" * 100_000
    objects = '{"a":' * 50_000 + "1" + "}" * 50_000
    data = "\n".join([good, lone, deep, objects, good]) + "\n"
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8")  # as standard output writes: UTF-8
    assert run_jsonl(io.StringIO(data), text, timeout=2.0) == 0
    text.flush()
    rows = [json.loads(x) for x in out.getvalue().decode("utf-8").splitlines()]
    assert [r["verdict"] for r in rows] == ["correct", "correct", "invalid", "invalid", "correct"]
    assert rows[1]["id"] == "\ud800"
    assert all("nested too deeply" in r["feedback"] for r in rows[2:4])


def test_run_jsonl_names_a_number_too_long_in_words() -> None:
    """A JSON integer of thousands of digits is answered `invalid` saying how long it is and
    how long one may be (not Python's advice about `sys.set_int_max_str_digits`); one just
    under the limit is read, and the batch goes on."""
    long = '{"id": 1, "expect": "x", "answer": "x", "extra": ' + "9" * 5_000 + "}"
    fine = '{"id": 2, "expect": "x", "answer": "x", "extra": -' + "9" * 4_300 + "}"
    out = io.StringIO()
    assert run_jsonl(io.StringIO(f"{long}\n{fine}\n"), out, timeout=2.0) == 0
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["verdict"] for r in rows] == ["invalid", "correct"]
    assert rows[0]["feedback"] == "Malformed input line: a number of 5,000 digits (at most 4,300)"
