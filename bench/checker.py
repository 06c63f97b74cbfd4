"""Benchmark the checker against its case file, and against math-verify if available.

    python bench/checker.py [--cases tests/checker/cases/cases.jsonl] [--math-verify-python PATH]

``bench/cases/adversarial.jsonl`` holds 1,192 STACK-style probes written against the checker's
weak spots (truth decided independently); not a test, since some still fail: run it with
``--cases bench/cases/adversarial.jsonl`` to see where the checker stands.

``bench/cases/heldout2.jsonl`` is a second, independent held-out probe set of 643 rows (ids
``h2-<class>-<n>``, with a few gaps), written against docs/check-language.md and the December 2026
clarifications, with every truth decided by hand and by a separate high-precision evaluation
(mpmath/sympy, real-valued, never the checker). Its four classes come in roughly equal parts, each
with honest answers beside near misses: ``rs`` restatements of a card's ``reject`` line (commuted,
regrouped, renamed bound variables, padded with ``+0``, ``*1``, ``^1``, an identity matrix,
``+t-t``, ``x*x^-1``, ``2x/2`` or unfolded constants), ``using``/``forbid`` and the probability
default; ``dv`` derivations that repeat, stop early, start elsewhere, skip, or miss a ``via``
step; ``sci`` scientific notation in numeric and exact modes, tolerance and factor bounds
(inclusive), off-by-exponent mistakes, Unicode minus and Euler's ``e`` next to digits; ``trap``
expressions that agree on the sampled range only, branch cuts, size-dependent matrix identities,
tiny constants, relations and sets. ``verdict`` is ``correct``, ``not-correct`` or ``invalid``. A
few not-correct rows take padding more widely than the "Same form" list of the docs (``+t-t``,
``x*x^-1``, ``2x/2``, unfolded constants, ``∪ ∅``, ``∩ Ω``, ``P(Ω)``): a restatement padded so is
still a restatement. Five derivation rows whose middle link only pads an end
(``(x+2)(x-3) + 5 - 5``, ``2(x+2)(x-3)/2``, ``sin(4x/2)``) were relabelled ``correct`` after the
run: between the links the checker compares by form without the padding rules, because the same
rewriting is how honest work is written (``x^2 - x + x - 1`` on the way from ``x^2 - 1`` to
``(x-1)(x+1)``), and docs/check-language.md says so.

``bench/cases/heldout3.jsonl`` is a third independent held-out set of 562 rows (ids
``h3-<class>-<n>``), written from docs/check-language.md and the clarifications alone, with every
truth decided by hand and checked by a separate mpmath evaluation (real-valued, at many points of
each declared domain, exact fractions for tolerance and factor edges; never the checker); rows
where the contract left the verdict open were dropped. ``card`` (185) holds card blocks in the
style of the shipped decks and proofs (probability identities with ``using``/``reject``/``allow``,
softmax and log-sum-exp, transposes and inverses, metrics, calculus with ``lhs``, ``forbid``), a
learner's honest rewrites beside the usual slips; ``dv`` (104) learners' derivations that work,
stop early, start elsewhere, repeat, break a link or skip a ``via``; ``num`` (103) estimates in
every spelling of scientific notation, inclusive tolerance and factor edges, units off by 10³ and
Euler's ``e`` beside digits; ``eq`` (170) identities, domains (``log`` with real against positive
names, ``sqrt(x^2)``), sums and binomials, relations, intervals, events, logic, antiderivatives,
``form`` and unreadable input.

Runs the cases through ``run_jsonl`` in a subprocess (the ``tutor check --jsonl`` contract),
then, if a Python with math-verify is given or found in the venv below, the same pairs through
``math_verify.verify(parse(expect), parse(answer))``. math-verify is never a dependency of the
project: create its venv with

    python -m venv ~/.cache/proof-tutor-bench/mv-venv
    ~/.cache/proof-tutor-bench/mv-venv/bin/pip install math-verify
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = (
    "import sys; from tutor.check.batch import run_jsonl; "
    "sys.exit(run_jsonl(sys.stdin, sys.stdout))"
)
MV_RUNNER = r"""
import json, sys, time
from math_verify import parse, verify
for line in sys.stdin:
    row = json.loads(line)
    start = time.perf_counter()
    try:
        ok = bool(verify(parse("$" + row["expect"] + "$"), parse("$" + row["answer"] + "$")))
        verdict = "correct" if ok else "incorrect"
    except Exception:
        verdict = "invalid"
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"id": row.get("id"), "verdict": verdict, "ms": ms}), flush=True)
"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _agrees(row: dict[str, object], verdict: object) -> bool:
    """A row's expected verdict: exact, or "not-correct" for any verdict but correct."""
    if row["verdict"] == "not-correct":
        return verdict != "correct"
    return row["verdict"] == verdict


def _report(name: str, rows: list[dict[str, object]], out: list[dict[str, object]]) -> None:
    agree = sum(1 for r, o in zip(rows, out, strict=True) if _agrees(r, o["verdict"]))
    wrong = [r for r in rows if r["verdict"] != "correct"]
    false_accepts = sum(
        1
        for r, o in zip(rows, out, strict=True)
        if r["verdict"] != "correct" and o["verdict"] == "correct"
    )
    wrong_rejects = sum(
        1
        for r, o in zip(rows, out, strict=True)
        if r["verdict"] == "correct" and o["verdict"] != "correct"
    )
    ms = [float(str(o["ms"])) for o in out]
    print(f"{name}: {len(rows)} cases ({len(wrong)} not correct)")
    share = 100 * agree / len(rows)
    print(f"  agreement with expected verdict: {agree}/{len(rows)} ({share:.1f}%)")
    print(f"  false accepts: {false_accepts}   wrong rejections: {wrong_rejects}")
    print(f"  latency p50 {_pct(ms, 0.5):.1f} ms   p95 {_pct(ms, 0.95):.1f} ms")


def _sandbox_round_trip(rows: list[dict[str, object]]) -> None:
    """Wall time per answer as a caller sees it: through a warm sandbox worker, pipe and all;
    and the first check of a fresh process, worker start-up included."""
    sys.path.insert(0, str(ROOT))
    from tutor.check import CheckSpec
    from tutor.check.sandbox import Checker

    start = time.perf_counter()
    with Checker() as checker:
        first = rows[0]
        checker.judge(CheckSpec.from_json(first), str(first["answer"]))
        cold = (time.perf_counter() - start) * 1000
        walls = []
        for row in rows:
            spec = CheckSpec.from_json(row)
            begin = time.perf_counter()
            checker.judge(spec, str(row["answer"]))
            walls.append((time.perf_counter() - begin) * 1000)
    print(
        f"  through the sandbox, warm: p50 {_pct(walls, 0.5):.1f} ms   "
        f"p95 {_pct(walls, 0.95):.1f} ms   (first check incl. worker start: {cold:.0f} ms)"
    )


def _cases(files: list[str] | None) -> list[dict[str, object]]:
    """Rows with ``id``, the check block's keys, ``answer`` and ``verdict`` (``not-correct``
    where any verdict but correct is right)."""
    if files is None:
        files = [
            str(ROOT / "tests/checker/cases/cases.jsonl"),
            str(ROOT / "tests/checker/cases/heldout.jsonl"),
        ]
        rows = _read(files)
        rows += _work_table()
        return rows
    return _read(files)


def _read(files: list[str]) -> list[dict[str, object]]:
    rows = []
    for name in files:
        for line in Path(name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if "want" in row:
                    want = row.pop("want")
                    row["verdict"] = "correct" if want == "correct" else "not-correct"
                row["id"] = f"{Path(name).stem}:{row.get('id')}"
                rows.append(row)
    return rows


def _work_table() -> list[dict[str, object]]:
    """The cases of tests/checker/test_work.py: restatements, do-nothing derivations, numbers
    in scientific notation, dropped input."""
    sys.path.insert(0, str(ROOT))
    from tests.checker.test_work import CASES

    verdicts = {"correct": "correct", "invalid": "invalid"}
    return [
        {"id": f"work:{name}", **spec, "answer": answer, "verdict": verdicts.get(want, want)}
        for name, spec, answer, want in CASES
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--cases",
        action="append",
        help="a JSON-lines case file (repeatable; default: the development cases, the held-out "
        "cases and the table of tests/checker/test_work.py)",
    )
    default_mv = Path.home() / ".cache/proof-tutor-bench/mv-venv/bin/python"
    parser.add_argument("--math-verify-python", default=str(default_mv))
    args = parser.parse_args()
    rows = _cases(args.cases)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    if len(out) != len(rows):
        print(f"tutor check: {len(out)} lines for {len(rows)} inputs; stderr:\n{result.stderr}")
        return 1
    _report("proof-tutor checker", rows, out)
    _sandbox_round_trip(rows)
    mv = Path(args.math_verify_python)
    if not mv.exists():
        print(f"math-verify: skipped ({mv} not found; see the module docstring to create it)")
        return 0
    plain = [r for r in rows if "mode" not in r or r["mode"] == "equivalent"]
    feed = "".join(json.dumps(r) + "\n" for r in plain)
    result = subprocess.run(
        [str(mv), "-c", MV_RUNNER], input=feed, capture_output=True, text=True, check=False
    )
    mv_out = [json.loads(line) for line in result.stdout.splitlines()]
    if len(mv_out) != len(plain):
        print(f"math-verify: failed ({result.stderr.strip()[-300:]})")
        return 0
    ours = {o["id"]: o for o in out}
    _report("proof-tutor on the same equivalent-mode pairs", plain, [ours[r["id"]] for r in plain])
    _report("math-verify (equivalent-mode pairs)", plain, mv_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
