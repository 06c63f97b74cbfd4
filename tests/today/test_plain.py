"""`tutor study --plain`: lines in, lines out; in-process for the flow, and as a real process
for what only a process shows (end of input, a second tutor, a corrupt database)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.config import Settings
from tutor.plain import PlainSession
from tutor.study.clock import ManualClock

from .conftest import DeskFactory


def run_plain(desk_factory: DeskFactory, lines: list[str]) -> str:
    out = io.StringIO()
    desk = desk_factory()
    PlainSession(desk, io.StringIO("".join(f"{x}\n" for x in lines)), out).run()
    return out.getvalue()


def test_a_first_session_from_prompt_to_streak(open_desk: DeskFactory, clock: ManualClock) -> None:
    out = run_plain(open_desk, ["x^2", ":hint", ":note why 2?", "2*x", ":easy", ":easy"])
    assert "Mini deck › Double" in out
    assert "What is x + x as a product?" in out  # math as Unicode text
    assert "incorrect" in out and "read as: x^2" in out
    assert "hints unlock in 10:00" in out
    assert "note saved" in out
    assert "\ncorrect\n" in out
    assert "rated Easy" in out and "streak 1 day (longest 1 day)" in out
    assert "next review" in out and "(in " in out
    assert "Next card: tomorrow" in out


def test_the_hints_come_one_at_a_time_after_the_timer(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    out = run_plain(open_desk, [":wait 9m", ":hint", ":wait 1m", ":hint", ":hint", ":time"])
    assert "hints unlock in 01:00" in out
    assert "hint 1 of 3: Count the copies of x." in out
    assert "the next hint unlocks in 01:00" in out.split("hint 1 of 3")[1]
    assert "saved; double resumes next time (its timer has run out)" in out


def test_end_of_input_saves_and_the_card_resumes(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first = run_plain(open_desk, ["x"])
    assert "saved; double resumes next time with 10:00 left on its timer" in first
    clock.advance(3600)
    second = run_plain(open_desk, [])
    assert "Resumed: 00:00 spent so far, 1 attempt(s), 0 hint(s) shown." in second


def test_self_assessment_by_key_ideas(open_desk: DeskFactory, clock: ManualClock) -> None:
    run_plain(open_desk, ["2x"])
    clock.advance(86_400)
    out = run_plain(
        open_desk,
        [
            "x times x",
            ":compare",
            ":wait 10m",
            ":compare",
            "more",
            ":ideas 1,7",
            ":ideas one",
            ":ideas",  # a bare :ideas is no answer ("none" has to be said): not rated Again
            ":ideas 1,2",
            "",
        ],
    )
    assert "kept. Compare it with the answer once the confusion timer has run out" in out
    assert "the answer unlocks in" in out  # no comparing before the timer
    assert "Key ideas:\n  1. a product\n  2. of x with itself" in out
    assert "compare with the answer, then say which key ideas you recalled" in out
    assert "key ideas are numbered 1 to 2" in out
    assert out.count("usage: :ideas 1,3") == 2
    assert "reconstructed; rated Good" in out and "rated Again" not in out


def test_revealing_ends_the_card_as_not_known(open_desk: DeskFactory, clock: ManualClock) -> None:
    out = run_plain(open_desk, [":reveal", ":wait 10m", ":reveal", ":time", ":reveal", ":reveal"])
    assert "the answer unlocks in 10:00" in out
    assert "Type :reveal to confirm." in out and "not revealed" in out
    assert "not reconstructed yet; rated Again" in out
    assert "Answer:\n  2x" in out


def test_unknown_commands_and_wait_without_a_simulated_clock(
    settings: Settings, open_desk: DeskFactory
) -> None:
    from tutor.study.clock import SystemClock

    desk = open_desk()
    desk.clock = SystemClock()
    out = io.StringIO()
    PlainSession(desk, io.StringIO(":frobnicate\n:wait 10m\n:help\n"), out).run()
    text = out.getvalue()
    assert "unknown command :frobnicate (type :help)" in text
    assert "unknown command :wait" in text
    assert ":ideas 1,3" in text and ":wait" not in text.split(":help")[-1]


# -- as a process ------------------------------------------------------------------------------


def tutor(
    args: list[str], home: Path, stdin: str = "", clock: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_HOME": str(home), "TZ": "Europe/Berlin"}
    if clock:
        env["TUTOR_CLOCK"] = clock
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_several_days_as_a_new_user_would(deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    decks = ["--decks", str(deck_dir)]
    day1 = tutor(["study", "--plain", *decks], home, "x^2\n2*x\n\n", "2026-11-21T09:00:00+01:00")
    assert day1.returncode == 0, day1.stderr
    assert "incorrect" in day1.stdout and "reconstructed; rated Good" in day1.stdout
    assert "next review Mon 23 Nov 2026 (in 2 days)" in day1.stdout
    day2 = tutor(
        ["study", "--plain", *decks],
        home,
        "x·x\n:wait 10m\n:compare\n:ideas all\n",
        "2026-11-22T20:00+01:00",
    )
    assert "Mini deck › Square" in day2.stdout and "rated Good" in day2.stdout
    assert "streak 2 days (longest 2 days)" in day2.stdout
    stats = tutor(["stats", "--json", *decks], home, clock="2026-11-22T20:30+01:00")
    import json

    figures = json.loads(stats.stdout)
    assert figures["streak"] == {"current": 2, "longest": 2}
    assert figures["reviews"] == {"total": 2, "today": 1}
    assert figures["cards"] == {"total": 3, "new": 1, "review": 2, "due_today": 0, "retired": 0}
    assert figures["retention"] is None  # no card has been reviewed a second time
    assert figures["next_due"] == "2026-11-23T09:00:00+01:00"  # double, 2 days after day 1
    table = tutor(["stats", *decks], home, clock="2026-11-22T20:30+01:00")
    assert "streak     2 days (longest 2 days)" in table.stdout


def test_a_second_tutor_is_refused_with_one_line(deck_dir: Path, tmp_path: Path) -> None:
    from tutor.store.lock import study_lock

    home = tmp_path / "home"
    url = f"sqlite:///{home / 'tutor.db'}"
    home.mkdir()
    with study_lock(url, "ada"):
        done = tutor(
            ["study", "--plain", "--learner", "ada", "--decks", str(deck_dir)], home, "2x\n"
        )
        other = tutor(
            ["--learner", "grace", "study", "--plain", "--decks", str(deck_dir)], home, "2x\n"
        )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "another tutor is studying as learner 'ada' with this database" in done.stderr
    assert str(home / "tutor.db") in done.stderr
    assert other.returncode == 0, other.stderr  # another learner studies beside her
    assert "\ncorrect\n" in other.stdout


def test_a_corrupt_database_is_named_and_left_alone(deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "tutor.db"
    garbage = b"this is not a database\x00" * 200
    db.write_bytes(garbage)
    for args in (["study", "--plain"], ["stats", "--json"]):
        done = tutor([*args, "--decks", str(deck_dir)], home, "2x\n")
        assert done.returncode == 1
        assert done.stderr.startswith("tutor: ") and done.stderr.count("\n") == 1
        assert str(db) in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes() == garbage


def test_a_failed_card_points_back_to_what_it_stands_on(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first = run_plain(open_desk, [":wait 10m", ":reveal", ":reveal"])
    assert "It stands on" not in first  # double has no prerequisites
    clock.advance(86_400)
    run_plain(open_desk, ["2x"])  # the review of double, now reconstructed
    clock.advance(86_400)
    out = run_plain(open_desk, ["x*x", ":wait 10m", ":compare", ":ideas none"])
    assert "Mini deck › Square" in out and "rated Again" in out
    assert "It stands on double: worth a look with 'tutor deck show ID'" in out


def test_bytes_that_are_not_utf8_are_kept_as_replacement_characters(
    deck_dir: Path, tmp_path: Path
) -> None:
    """Input that is not UTF-8 (a pipe from a file in another encoding): Python reads it as lone
    surrogates, which no database stores; the answer and the note are kept with U+FFFD in their
    place, the session goes on, and nothing crashes."""
    home = tmp_path / "home"
    env = {**os.environ, "TUTOR_HOME": str(home), "TZ": "Europe/Berlin", "LC_ALL": "C"}
    env["TUTOR_CLOCK"] = "2026-11-21T09:00:00+01:00"
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "study", "--plain", "--decks", str(deck_dir)],
        input=b":note why \xff\xfe?\n2\xe9x\n2*x\n\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr
    assert "note saved" in out and "reconstructed; rated" in out
    assert "went wrong" not in out + done.stderr.decode("utf-8", "replace")
    import sqlite3

    db = sqlite3.connect(home / "tutor.db")
    try:
        answers = [row[0] for row in db.execute("SELECT answer FROM attempt ORDER BY id")]
        notes = [row[0] for row in db.execute("SELECT text FROM note")]
    finally:
        db.close()
    assert answers == ["2\ufffdx", "2*x"]
    assert notes == ["why \ufffd\ufffd?"]


def test_lone_surrogates_reaching_the_ledger_are_stored_as_replacement_characters(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """A front end that hands the sitting text with lone surrogates (not only plain mode's
    lines): the attempt, its echo in the feedback and the note are stored, with U+FFFD."""
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.add_note("odd \udcff")
    sitting.submit("x\udcfe")
    from sqlmodel import select

    from tutor.store.models import AttemptRow, NoteRow, ProgressRow

    with desk.session() as session:
        attempts = session.exec(select(AttemptRow)).all()
        notes = session.exec(select(NoteRow)).all()
        progress = session.exec(select(ProgressRow)).all()
    assert [a.answer for a in attempts] == ["x\ufffd"]
    assert all("\udcfe" not in a.feedback + a.read_as for a in attempts)
    assert [n.text for n in notes] == ["odd \ufffd"]
    assert ["odd \ufffd" in p.state_json and "\udcff" not in p.state_json for p in progress] == [
        True
    ]


def studied_then_changed(
    deck_dir: Path, tmp_path: Path, lines: str, sql: str
) -> tuple[Path, list[str]]:
    """A home where `lines` were studied on the first day, then `sql` run on its database by
    another program; and the `--decks` arguments."""
    import sqlite3

    home = tmp_path / "home"
    decks = ["--decks", str(deck_dir)]
    first = tutor(["study", "--plain", *decks], home, lines, "2026-11-21T09:00:00+01:00")
    assert first.returncode == 0, first.stderr
    db = sqlite3.connect(home / "tutor.db")
    try:
        with db:
            db.execute(sql)
    finally:
        db.close()
    return home, decks


@pytest.mark.parametrize(
    "change",
    [
        "stability = 'NaN'",
        "stability = -5, difficulty = 1e308",
        "state = 99",
        "difficulty = 0",
        "due = '0000 not a date'",  # sorts before today's end: read as due
        "last_review = 'garbage'",
    ],
)
def test_a_memory_state_edited_outside_the_tutor_is_a_one_line_error(
    deck_dir: Path, tmp_path: Path, change: str
) -> None:
    """A database whose memory rows another program rewrote to values the scheduler never
    writes: `tutor study` says so in one line, naming the card, instead of an internal error."""
    home, decks = studied_then_changed(deck_dir, tmp_path, "2*x\n\n", f"UPDATE memory SET {change}")
    later = tutor(["study", "--plain", *decks], home, "", "2026-12-21T09:00:00+01:00")
    assert later.returncode == 1, later.stdout + later.stderr
    assert later.stderr.startswith("tutor: the memory of card 'double' in the database is not")
    assert later.stderr.count("\n") == 1 and "went wrong" not in later.stderr


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE study_day SET day = 'garbage'",
        "UPDATE note SET written_at = 'zz'",
        "UPDATE memory SET due = 'not a date'",
    ],
)
def test_a_stored_value_rewritten_by_another_program_is_a_one_line_error(
    deck_dir: Path, tmp_path: Path, change: str
) -> None:
    """Dates another program wrote into the database that are no dates: `study`, `stats` and
    `report` either go on without them or say so in one line naming the database, never an
    internal error."""
    home, decks = studied_then_changed(deck_dir, tmp_path, ":note hm\nx\n2*x\n\n", change)
    failed = 0
    for command in (["study", "--plain"], ["stats"], ["report"]):
        done = tutor([*command, *decks], home, "", "2026-11-22T09:00:00+01:00")
        assert "went wrong" not in done.stderr, (command, done.stderr)
        if done.returncode:
            assert done.returncode == 1 and done.stderr.count("\n") == 1, (command, done.stderr)
            assert "is not one the tutor writes" in done.stderr
            failed += 1
    assert failed  # at least one of them reads the value


def test_the_next_review_names_the_study_day_it_comes_on(deck_dir: Path, tmp_path: Path) -> None:
    """Rated at 01:45, before the study day starts at 04:00 (so on Saturday's study day), a new
    card rated Good comes back two study days later: on Monday's, although the instant it is
    due, 01:45 on Tuesday, is a Tuesday."""
    home = tmp_path / "home"
    decks = ["--decks", str(deck_dir)]
    night = tutor(["study", "--plain", *decks], home, "2*x\n\n", "2026-11-22T01:45:00+01:00")
    assert night.returncode == 0, night.stderr
    assert "next review Mon 23 Nov 2026 (in 2 days)" in night.stdout


def test_the_store_opens_once_the_quick_first_card_is_on_the_screen(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """`shown` (the CLI opens the store behind the first card with it) is called once, after
    the first card is printed and before a line is read."""
    open_desk()  # synced: the next start takes the quick path
    desk = open_desk()
    first = desk.quick_sitting()
    assert first is not None
    out = io.StringIO()
    seen: list[str] = []

    class Input(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            seen.append("read")
            return super().readline(size)

    session = PlainSession(desk, Input("2*x\n\n:quit\n"), out)
    session.run(first=first, shown=lambda: seen.append(f"shown after {out.getvalue().count('›')}"))
    assert seen[:2] == ["shown after 1", "read"]
    assert len([s for s in seen if s.startswith("shown")]) == 1
    assert "rated Good" in out.getvalue() and "study done" in out.getvalue()
