"""The `tutor` command as a user meets it: a real subprocess, exit statuses, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import __version__

ROOT = Path(__file__).parent.parent


def tutor(
    *args: str, cwd: Path | None = None, home: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env["TUTOR_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


def test_version_and_help() -> None:
    done = tutor("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"proof-tutor {__version__}")
    done = tutor("--help")
    assert done.returncode == 0
    assert "deck" in done.stdout and "--decks DIR" in done.stdout and "--db URL" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "tutor: No such command 'frobnicate'. (see 'tutor --help')"),
        (["--bogus"], "tutor: No such option '--bogus'. (see 'tutor --help')"),
        (["deck", "show"], "tutor: Missing argument 'ID'. (see 'tutor deck show --help')"),
        (
            ["deck", "check", "--jsn"],
            "tutor: No such option '--jsn'. Did you mean '--json'? (see 'tutor deck check --help')",
        ),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    done = tutor(*args)
    assert done.returncode == 2
    assert done.stderr.strip() == message
    assert done.stdout == ""


def test_shipped_decks_lint_clean_from_anywhere(tmp_path: Path) -> None:
    # --no-checker: what is tested here is the deck set found and read from any folder; the
    # checker's rules over the shipped content run in process in tests/deck/test_shipped_content.py
    done = tutor("deck", "check", "--json", "--no-checker", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 0, done.stdout
    assert report["errors"] == []
    assert report["cards"] >= 10 and report["proofs"] >= 1 and report["steps"] >= 3
    assert report["cards"] == report["checkable"] + report["self_assessed"]


def test_deck_check_reports_five_errors_and_exit_status() -> None:
    done = tutor("deck", "check", "tests/fixtures/five-errors")
    assert done.returncode == 1
    lines = done.stdout.strip().split("\n")
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        f"tests/fixtures/five-errors/deck.md:{n}" for n in (20, 34, 44, 54, 64)
    ]
    assert lines[-1].startswith("5 errors, 0 warnings in 1 deck, 6 cards")
    report = json.loads(tutor("deck", "check", "--json", "tests/fixtures/five-errors").stdout)
    assert [e["line"] for e in report["errors"]] == [20, 34, 44, 54, 64]
    assert set(report["errors"][0]) == {"file", "line", "message"}


def test_deck_check_every_broken_file_without_traceback() -> None:
    done = tutor("deck", "check", "tests/fixtures/broken", "no/such/folder")
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "no/such/folder: no such file or folder" in done.stdout
    for name in ("binary.md", "empty.md", "not-utf8.md", "no-front-matter.md", "no-fields.md"):
        assert f"tests/fixtures/broken/{name}:" in done.stdout


def test_decks_flag_replaces_the_deck_set() -> None:
    done = tutor("--decks", "tests/fixtures/good", "deck", "list")
    assert done.returncode == 0
    assert [line.split()[0] for line in done.stdout.strip().split("\n")] == [
        "basics",
        "shift-proof",
    ]


def test_deck_show_renders_math_and_hides_nothing() -> None:
    done = tutor("deck", "show", "sum-first-n", "--decks", "tests/fixtures/good")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Basics for the parser tests › Sum of the first n integers" in out
    assert "$" not in out and "\\frac" not in out
    for section in ("Hints", "Answer", "Checked by machine", "Why it matters"):
        assert f"\n{section}\n" in out
    assert "1. Pair the first term with the last." in out


def test_deck_show_proof_step_shows_what_is_established() -> None:
    done = tutor("deck", "show", "shift-proof-2", "--decks", "tests/fixtures/good")
    assert done.returncode == 0, done.stderr
    assert "Statement" in done.stdout and "Established so far" in done.stdout
    assert "1. First step" in done.stdout and "Step 2 of 2" in done.stdout


def test_deck_show_unknown_card_suggests() -> None:
    done = tutor("deck", "show", "sum-frist-n", "--decks", "tests/fixtures/good")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "tutor: no card 'sum-frist-n' in the deck set; did you mean 'sum-first-n'?"
    )


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("timer = 'soon'\n")
    done = tutor("deck", "list", home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"tutor: {tmp_path / 'config.toml'}:1: timer: unreadable")


def test_bare_tutor_opens_todays_session_with_the_shipped_decks(tmp_path: Path) -> None:
    done = tutor(cwd=tmp_path, home=tmp_path, stdin=":quit\n")
    assert done.returncode == 0, done.stderr
    assert "Confusion timer:" in done.stdout and "saved; " in done.stdout
    assert (tmp_path / "tutor.db").exists()


def test_deck_check_runs_the_checker_rules_at_their_lines() -> None:
    done = tutor("deck", "check", "tests/fixtures/check-errors")
    assert done.returncode == 1
    lines = done.stdout.strip().split("\n")
    where = [line.split(": check: ")[0].rsplit(":", 1)[1] for line in lines[:-1]]
    assert where == ["20", "22", "23", "35", "44"]
    assert "accept 'n(n-1)/2' is judged incorrect" in lines[0]
    assert lines[1].endswith(
        "check: reject 'n (1 + n)/2' has the form of expect: it would refuse the answer itself"
    )
    assert lines[2].endswith("check: mistake 'n^2/2 + n/2' is judged correct")
    assert "expect is unreadable" in lines[3]
    assert "reference derivation is judged incorrect" in lines[4]
    fast = tutor("deck", "check", "--no-checker", "tests/fixtures/check-errors")
    assert fast.returncode == 0 and fast.stdout.startswith("ok: 1 deck, 3 cards")


def test_check_jsonl_from_standard_input() -> None:
    lines = [
        '{"id": "a", "expect": "n(n+1)/2", "natural": "n", "answer": "(n^2+n)/2"}',
        "not json",
        '{"id": "b", "expect": "1/2", "answer": "0.5"}',
        '{"id": "c", "expect": "x", "answer": "__import__(\'os\').getpid()"}',
    ]
    done = tutor("check", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.strip().split("\n")]
    assert [(o["id"], o["verdict"]) for o in out] == [
        ("a", "correct"),
        (None, "invalid"),
        ("b", "incorrect"),
        ("c", "invalid"),
    ]
    assert all(set(o) >= {"id", "verdict", "feedback", "read_as", "ms"} for o in out)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_check_jsonl_of_a_file_that_fails_to_be_read_is_one_line() -> None:
    """Reading /proc/self/mem fails with an I/O error at the first byte: one line naming the
    file and why, exit status 1, no crash report."""
    done = tutor("check", "--jsonl", "/proc/self/mem")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "tutor: cannot read /proc/self/mem: Input/output error\n"


def test_check_one_answer() -> None:
    done = tutor("check", "--expect", "n(n+1)/2", "--answer", "n(n-1)/2", "--natural", "n")
    assert done.returncode == 0
    assert done.stdout.split("\n")[:2] == ["verdict:  incorrect", "read as:  n(n - 1)/2"]
    usage = tutor("check", "--expect", "x")
    assert usage.returncode == 2
    assert usage.stderr.strip() == (
        "tutor: give --jsonl FILE, or both --expect and --answer (see 'tutor check --help')"
    )


def test_an_internal_error_is_one_line_that_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import tutor.deck.loader
    from tutor.cli import main

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(tutor.deck.loader, "load_collection", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    done = CliRunner().invoke(main, ["deck", "list"], env={"TUTOR_HOME": str(tmp_path / "h")})
    assert done.exit_code == 70
    lines = done.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tutor: something went wrong inside the tutor (RuntimeError: boom)")
    assert "run the command again" in lines[0]
    log = Path(lines[0].rsplit(" ", 1)[-1])
    assert log.parent == tmp_path and "RuntimeError: boom" in log.read_text()
    assert "Traceback" not in done.output


def test_check_timeout_nan_is_refused_like_any_value_out_of_range(tmp_path: Path) -> None:
    done = tutor("check", "--expect", "1", "--answer", "1", "--timeout", "nan", home=tmp_path)
    assert done.returncode == 2
    assert "'--timeout'" in done.stderr and "from 0.1 to 60" in done.stderr
    assert "went wrong" not in done.stderr


def test_deck_commands_note_a_decks_path_that_is_missing(tmp_path: Path) -> None:
    """`--decks /typo deck list` says "no decks", and why, as `study` does."""
    missing = tmp_path / "typo"
    done = tutor("--decks", str(missing), "deck", "list", home=tmp_path / "h")
    assert done.returncode == 0
    assert done.stdout.strip() == "no decks"
    assert done.stderr.strip() == f"note: {missing}: no such file or folder"
