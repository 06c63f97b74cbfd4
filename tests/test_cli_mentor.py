"""Mentor tools (#15): `tutor deck check PATH…` within the deck set, and `tutor check --card`.

Most run the command in process with the checker in process too (`InProcessChecker`): what is
tested is the command, not the sandbox, which the two subprocess tests at the end use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from tutor.check import judge, lint_spec
from tutor.check.spec import CheckSpec, SpecProblem
from tutor.check.verdict import Verdict
from tutor.cli import main

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def tutor(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`tutor ARGS` as a process, from the checkout, as tests/test_cli.py runs it."""
    env = {**os.environ, "TUTOR_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


DECK = """\
---
id: mine
title: Mine
---

# Mine

## Power set, again
id: {first}

Write the number of subsets of a set of $n$ elements.

### Answer
$2^n$

```check
expect: 2^n
natural: n
accept: 2^(n)
reject: n^2
mistake: n^2 => That counts pairs, not subsets.
```

## After the shipped σ-algebra
id: after-sigma
requires: sigma-algebra

Say what a σ-algebra is closed under.

### Answer
Complements and countable unions.

### Key ideas
- complements
- countable unions
"""


class InProcessChecker:
    """The sandbox's `Checker` as the commands use it, judging in this process."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def __enter__(self) -> InProcessChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        return judge(spec, answer)

    linted: ClassVar[list[str]] = []  # the `expect` of every block linted, this test

    def lint(self, spec: CheckSpec, reference: str | None = None) -> list[SpecProblem]:
        self.linted.append(spec.expect)
        return lint_spec(spec, reference)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    import tutor.check.sandbox

    monkeypatch.setattr(tutor.check.sandbox, "Checker", InProcessChecker)
    monkeypatch.setattr(InProcessChecker, "linted", [])
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        home = {"TUTOR_HOME": str(tmp_path / "home")}
        return CliRunner().invoke(main, list(args), env=home, prog_name="tutor")

    return invoke


def test_deck_check_path_finds_an_id_the_shipped_decks_have(run: Any, tmp_path: Path) -> None:
    (tmp_path / "mine.md").write_text(DECK.format(first="power-set"), encoding="utf-8")
    done = run("deck", "check", "--no-checker", "mine.md")
    assert done.exit_code == 1, done.output
    lines = done.stdout.strip().split("\n")
    assert lines[0].startswith("mine.md:8: duplicate card id 'power-set' (first at ")
    assert lines[-1].startswith("1 error, 0 warnings in 1 deck, 2 cards")
    # renamed, it passes, and its prerequisite is a shipped card
    (tmp_path / "mine.md").write_text(DECK.format(first="my-power-set"), encoding="utf-8")
    done = run("deck", "check", "--no-checker", "mine.md")
    assert (done.exit_code, done.stdout.strip().split("\n")[-1]) == (
        0,
        "ok: 1 deck, 2 cards (1 machine-checked, 1 self-assessed), 0 proofs with 0 steps",
    )


def test_deck_check_path_within_decks_dir_says_the_rest_has_problems(
    run: Any, tmp_path: Path
) -> None:
    shutil.copytree(FIXTURES / "five-errors", tmp_path / "set")
    shutil.copy(FIXTURES / "good" / "basics.md", tmp_path / "basics.md")
    done = run("--decks", "set", "deck", "check", "--no-checker", "basics.md")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().split("\n") == [
        "note: the rest of the deck set has problems too (5 errors), not counted here; "
        "'tutor deck check' without PATH lists them",
        "ok: 1 deck, 2 cards (1 machine-checked, 1 self-assessed), 0 proofs with 0 steps",
    ]
    as_json = json.loads(
        run("deck", "check", "--decks", "set", "--json", "--no-checker", "basics.md").stdout
    )
    assert as_json["errors"] == [] and as_json["elsewhere"] == {"errors": 5, "warnings": 0}


def test_deck_check_path_runs_the_checker_on_the_named_files_only(run: Any, tmp_path: Path) -> None:
    (tmp_path / "mine.md").write_text(
        DECK.format(first="my-power-set").replace("accept: 2^(n)", "accept: 2n"), "utf-8"
    )
    done = run("deck", "check", "mine.md")
    assert done.exit_code == 1
    assert InProcessChecker.linted == ["2^n"]  # the shipped blocks are not judged again
    assert done.stdout.startswith("mine.md:19: check: accept '2n' is judged incorrect")
    assert done.stdout.strip().split("\n")[-1].startswith("1 error, 0 warnings in 1 deck")


@pytest.mark.parametrize(
    ("answer", "lines"),
    [
        ("(2)^n", ["verdict:  correct", "read as:  2^n", "feedback: Correct."]),
        (
            "n^2",
            ["verdict:  incorrect", "read as:  n^2", "feedback: That counts pairs, not subsets."],
        ),
    ],
)
def test_check_card_judges_by_the_cards_own_block(
    run: Any, tmp_path: Path, answer: str, lines: list[str]
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "mine.md").write_text(DECK.format(first="my-power-set"), "utf-8")
    done = run("check", "--decks", "mine", "--card", "my-power-set", "--answer", answer)
    assert done.exit_code == 0, done.output
    assert done.stdout.split("\n")[:3] == lines
    assert done.stdout.split("\n")[3].startswith("time:     ")


def test_check_card_judges_a_shipped_card_and_a_batch(run: Any, tmp_path: Path) -> None:
    done = run("check", "--card", "power-set", "--answer", "2^n")
    assert done.exit_code == 0 and done.stdout.startswith("verdict:  ")
    batch = tmp_path / "answers.jsonl"
    batch.write_text('{"id": 1, "answer": "P(A) + P(B) - P(A ∩ B)"}\n{"id": 2, "answer": "P(A)"}\n')
    done = run("check", "--card", "inclusion-exclusion-2", "--jsonl", str(batch))
    assert done.exit_code == 0, done.output
    verdicts = [json.loads(line)["verdict"] for line in done.stdout.strip().split("\n")]
    assert verdicts == ["correct", "incorrect"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--card", "power-sett", "--answer", "2^n"],
            "tutor: no card 'power-sett' in the deck set; did you mean 'power-set'?",
        ),
        (
            ["--card", "sigma-algebra", "--answer", "x"],
            "tutor: card 'sigma-algebra' has no check block: it is self-assessed, by its key "
            "ideas ('tutor deck show sigma-algebra' shows them)",
        ),
        (
            ["--card", "power-set", "--answer", "2^n", "--natural", "n", "--mode", "set"],
            "tutor: --card judges against the card's own check block; leave out --mode, "
            "--natural (see 'tutor check --help')",
        ),
        (
            ["--card", "power-set"],
            "tutor: with --card, give either --answer A or --jsonl FILE (see 'tutor check --help')",
        ),
    ],
)
def test_check_card_errors_are_one_line_with_status_2(
    run: Any, args: list[str], message: str
) -> None:
    done = run("check", *args)
    assert done.exit_code == 2
    assert done.stderr.strip() == message and done.stdout == ""


def test_check_card_needs_the_deck_set_the_flags_give(run: Any) -> None:
    good = str(FIXTURES / "good")
    done = run("--decks", good, "check", "--card", "sum-first-n", "--answer", "n(n+1)/2")
    assert done.exit_code == 0 and done.stdout.startswith("verdict:  correct\n")
    done = run("check", "--decks", good, "--card", "power-set", "--answer", "2^n")
    assert done.exit_code == 2 and "card 'power-set' has no check block" in done.stderr
    # the shipped sigma-algebra is not in that deck set
    done = run("check", "--decks", good, "--card", "sigma-algebra", "--answer", "x")
    assert done.exit_code == 2 and "no card 'sigma-algebra' in the deck set" in done.stderr


def test_an_id_two_cards_have_is_neither_shown_nor_judged(run: Any, tmp_path: Path) -> None:
    """Study leaves both cards of a duplicated id out; `deck show` and `check --card` do not
    pick one of them either (the first in file order was shown and judged, silently): one
    line names both places."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.md").write_text(DECK.format(first="twice"), encoding="utf-8")
    other = DECK.format(first="twice").replace("id: mine\n", "id: other\n")
    (decks / "b.md").write_text(other.replace("after-sigma", "after-again"), encoding="utf-8")
    expected = (
        "tutor: 2 cards have the id 'twice' (decks/a.md:8, decks/b.md:8): rename all but one "
        "('tutor deck check' names them)"
    )
    for args, status in ((["deck", "show", "twice"], 1), (["check", "--card", "twice"], 2)):
        extra = ["--answer", "2^n"] if args[0] == "check" else []
        done = run("--decks", str(decks), *args, *extra)
        assert (done.exit_code, done.stdout) == (status, "")
        assert done.stderr.strip() == expected
    assert run("--decks", str(decks), "deck", "show", "after-again").exit_code == 0


# -- as a user runs them: a process, the checker in its sandbox ---------------------------------


def test_check_takes_decks_after_the_command(tmp_path: Path) -> None:
    done = tutor(
        "check",
        "--decks",
        "tests/fixtures/good",
        "--card",
        "sum-first-n",
        "--answer",
        "(n^2+n)/2",
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["verdict:  correct", "read as:  (n^2 + n)/2"]


def test_check_takes_decks_before_the_command(tmp_path: Path) -> None:
    done = tutor(
        "--decks",
        "tests/fixtures/good",
        "check",
        "--card",
        "sum-first-n",
        "--answer",
        "n(n-1)/2",
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("verdict:  incorrect\n")
    unknown = tutor(
        "--decks", "tests/fixtures/good", "check", "--card", "nope", "--answer", "1", home=tmp_path
    )
    assert unknown.returncode == 2
    assert (
        unknown.stderr == "tutor: no card 'nope' in the deck set ('tutor deck list' lists decks)\n"
    )


def test_report_since_outside_the_clocks_years_is_a_usage_error(tmp_path: Path) -> None:
    """`--since 0001-01-01` and `9999-12-31` are dates, but no study day can be made of them:
    a one-line usage error, as for TUTOR_CLOCK's instants, not an internal error."""
    for since in ("0001-01-01", "9999-12-31", "1969-12-31"):
        done = CliRunner().invoke(
            main, ["report", "--since", since], env={"TUTOR_HOME": str(tmp_path / "h")}
        )
        assert done.exit_code == 2, done.output
        assert "outside the years 1970 to 9000" in done.output


PROOF = """\
---
id: {proof}
title: A proof
kind: proof
---

# A proof

The statement.
{steps}"""

STEP = """
## Step {n}
id: {proof}-{n}

Do step {n}.

### Answer
It.

### Key ideas
- it
"""


def test_a_proofs_id_is_answered_with_its_steps_and_its_whole_proof(
    run: Any, tmp_path: Path
) -> None:
    """`pr` names a proof, not a card: the line names its first step and its whole proof,
    `proof:pr`, which `deck show` and `check --card` cannot show either (it is a sitting of the
    steps, held by study): for it the line says what it is and names the steps."""
    decks = tmp_path / "decks"
    decks.mkdir()
    for proof, count in (("pr", 2), ("qq", 1)):
        steps = "".join(STEP.format(proof=proof, n=n) for n in range(1, count + 1))
        (decks / f"{proof}.md").write_text(PROOF.format(proof=proof, steps=steps))
    whole = (
        "tutor: 'proof:pr' is not a card of a file but the whole proof 'pr', which study asks "
        "for step by step in one sitting, from the statement alone; its steps are 'pr-1', 'pr-2'"
    )
    for args, message in (
        (
            ["deck", "show", "pr"],
            "tutor: no card 'pr': 'pr' is a proof; its first step is 'pr-1', and its whole "
            "proof is 'proof:pr'",
        ),
        (["deck", "show", "proof:pr"], whole),
        (["check", "--card", "proof:pr", "--answer", "x"], whole),
        (["deck", "show", "qq"], "tutor: no card 'qq': 'qq' is a proof; its first step is 'qq-1'"),
        (
            ["deck", "show", "proof:qq"],
            "tutor: no card 'proof:qq': proof 'qq' has one step, 'qq-1', and a whole proof "
            "needs two",
        ),
        (
            ["deck", "show", "proof:pr-x"],
            "tutor: no card 'proof:pr-x': no proof has the id 'pr-x'; did you mean 'proof:pr'?",
        ),
    ):
        done = run("--decks", str(decks), *args)
        assert done.exit_code != 0 and done.stderr.strip() == message, args
