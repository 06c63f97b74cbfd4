"""Learners sharing one SQLite database in one TUTOR_HOME: each studies at the same time as
the others, with their own queue, streak, notes and timer; the study lock is per learner; a
run on other decks retires nothing; `tutor learners` lists them and renames one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.config import ConfigError, load_settings
from tutor.store import queries as q
from tutor.study.clock import ManualClock

from .conftest import DeskFactory
from .learners_week import DECK, Learner, check_week, study_week
from .report_week import check_report

GROUP = [
    Learner("ada", note="why two copies?"),
    Learner("grace", wrong_first=True, quits_last_day=True),
]


def test_two_learners_study_side_by_side_and_keep_their_own_progress(
    tmp_path: Path,
) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    (deck_dir / "doubles.md").write_text(DECK, encoding="utf-8")
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'tutor.db'}"
    printed = study_week(home, deck_dir, url, GROUP, days=3)  # PostgreSQL's test: a week
    check_week(home, deck_dir, url, GROUP, printed)
    check_report(home, deck_dir, url, GROUP, printed)  # `tutor report` across them


def tutor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CLOCK": "2026-03-02T09:00+01:00"}
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_learner_comes_from_the_flag_the_environment_or_the_config(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert load_settings(environ={"TUTOR_HOME": str(home)}).learner  # the system user
    (home / "config.toml").write_text('learner = "ada"\n', encoding="utf-8")
    assert load_settings(environ={"TUTOR_HOME": str(home)}).learner == "ada"
    env = {"TUTOR_HOME": str(home), "TUTOR_LEARNER": "grace"}
    assert load_settings(environ=env).learner == "grace"
    assert load_settings(environ=env, learner=" emmy ").learner == "emmy"
    for bad in ("", "a\u202eb", "x" * 65, "tab\there"):
        with pytest.raises(ConfigError) as raised:
            load_settings(environ={"TUTOR_HOME": str(home)}, learner=bad)
        assert str(raised.value).startswith("--learner: ") and "\n" not in str(raised.value)
    (home / "config.toml").write_text("learner = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:1: learner must be a name in quotes"):
        load_settings(environ={"TUTOR_HOME": str(home)})


def test_one_learners_notes_progress_and_queue_are_not_anothers(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    ada = open_desk(learner="ada")
    sitting = ada.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    sitting.add_note("why two?")
    sitting.submit("x^2")
    grace = open_desk(learner="grace")
    theirs = grace.next_sitting()
    assert theirs is not None and theirs.card.id == "double"  # her own first card, fresh
    assert theirs.session.attempts == [] and not theirs.resumed and theirs.last_note is None
    theirs.submit("2x")
    theirs.finish()
    assert grace.stats().reviews_total == 1 and ada.stats().reviews_total == 0
    assert grace.streak().current == 1 and ada.streak().current == 0
    again = open_desk(learner="ada").next_sitting()  # ada resumes her own card
    assert again is not None and again.resumed
    assert [a.answer for a in again.session.attempts] == ["x^2"]
    with ada.session() as session:
        assert [n.text for n in q.notes_for(session=session, card_id="double")] == ["why two?"]
    with grace.session() as session:
        assert q.notes_for(session=session, card_id="double") == []


def test_a_run_on_other_decks_retires_nothing_and_offers_only_its_decks(
    open_desk: DeskFactory, clock: ManualClock, tmp_path: Path
) -> None:
    desk = open_desk(learner="ada")
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("2x")
    sitting.finish()
    other = tmp_path / "other"
    other.mkdir()
    (other / "doubles.md").write_text(DECK, encoding="utf-8")
    clock.advance(86_400)  # a new day: a new card is due again
    elsewhere = open_desk(learner="ada", deck_override=(other,))
    report = elsewhere.sync()
    assert report.retired == ()
    chosen = elsewhere.next_sitting()
    assert chosen is not None and chosen.card.id == "double-1"  # only the decks of this run
    back = open_desk(learner="ada")
    assert back.sync().retired == ()
    with back.session() as session:
        assert q.card(session=session, card_id="double") is not None
        assert not q.card(session=session, card_id="triple").retired  # type: ignore[union-attr]
    assert back.stats().cards_total == 3  # the cards of this run's decks


def test_the_study_lock_is_per_learner(open_desk: DeskFactory) -> None:
    from tutor.store.errors import StoreBusy

    ada = open_desk(learner="ada")
    grace = open_desk(learner="grace")
    with ada.studying(), grace.studying():  # side by side
        with pytest.raises(StoreBusy) as raised, open_desk(learner="ada").studying():
            pass
        assert "another tutor is studying as learner 'ada'" in str(raised.value)
        assert f"(pid {os.getpid()})" in str(raised.value)


def test_tutor_learners_lists_them_and_renames_one(
    open_desk: DeskFactory, clock: ManualClock, settings: object
) -> None:
    for name in ("ada", "grace"):
        sitting = open_desk(learner=name).next_sitting()
        assert sitting is not None
        sitting.submit("2x")
        sitting.finish()
    home = Path(str(settings.home))  # type: ignore[attr-defined]
    decks = ["--decks", str(settings.deck_dirs[0])]  # type: ignore[attr-defined]
    listed = tutor(home, "learners", "--learner", "ada", *decks)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("ada ") and lines[0].endswith("(you)")
    assert "1 reviews  last studied 2026-03-02" in lines[0] and lines[1].startswith("grace ")
    renamed = tutor(home, "learners", "--rename", "grace", "hopper", *decks)
    assert renamed.returncode == 0, renamed.stderr
    assert renamed.stdout.startswith("learner 'grace' is now 'hopper' (")
    refused = tutor(home, "learners", "--rename", "ada", "hopper", *decks)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "learner 'hopper' exists already" in refused.stderr
    as_json = json.loads(tutor(home, "learners", "--json", *decks).stdout)
    assert [row["name"] for row in as_json["learners"]] == ["ada", "hopper"]
    assert [row["reviews"] for row in as_json["learners"]] == [1, 1]
    with open_desk(learner="hopper").studying():  # hopper is studying: not renamed under it
        busy = tutor(home, "learners", "--rename", "hopper", "grace", *decks)
    assert busy.returncode == 1 and busy.stderr.count("\n") == 1
    assert "another tutor is studying as learner 'hopper'" in busy.stderr
    with open_desk(learner="grace").studying():  # nor to a name a tutor studies under
        busy = tutor(home, "learners", "--rename", "hopper", "grace", *decks)
    assert "another tutor is studying as learner 'grace'" in busy.stderr
    after = json.loads(tutor(home, "learners", "--json", *decks).stdout)
    reviews = {row["name"]: row["reviews"] for row in after["learners"]}
    assert reviews["hopper"] == 1 and reviews.get("grace", 0) == 0  # nothing moved
