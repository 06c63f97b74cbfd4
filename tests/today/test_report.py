"""`tutor report`: how cards fare with every learner, for mentors. Two learners study the mini
deck through their own desks (as `tutor` processes would, on one SQLite file); the report's
figures are checked against the attempts, hints, reveals and notes the test itself made."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tutor.cli import main
from tutor.config import Settings
from tutor.report import PLACEHOLDER, UnknownDeck, build_report, render_text
from tutor.store import queries as q
from tutor.store.models import AttemptRow
from tutor.study.clock import ManualClock
from tutor.today import Desk, Sitting

from .conftest import DECK, DeskFactory, InProcessChecker, desk_for
from .test_whole_proof import PROOF, STEPS, WHOLE, work_step

CONTRACT = {
    "id",
    "deck",
    "learners",
    "attempts",
    "first_try_success",
    "hints",
    "reveals",
    "median_seconds_to_correct",
    "wrong_answers",
    "notes",
}
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")

EXTRA = """\
---
id: extra
title: Extra deck
---

# Extra deck

## Half
id: half
kind: fact

What is half of $x$?

### Answer
$x/2$

```check
expect: x/2
real: x
```
"""


def sitting_of(desk: Desk, card_id: str) -> Sitting:
    sitting = desk.next_sitting(one_more=True)
    assert sitting is not None and sitting.card_id == card_id, sitting and sitting.card_id
    return sitting


def two_learners_day(open_desk: DeskFactory, clock: ManualClock) -> None:
    """Monday 2 March, both learners take the three cards of the mini deck.

    ada:   double: note, `x^2` (wrong) at 30 s, `2x` right at 40 s;
           square: reconstructed on paper (self-assessed, all key ideas);
           triple: `3x` right at the first try, at 25 s.
    grace: double: `x ** 2` (wrong, read as x^2) at 20 s, the timer out, a hint, `2*x` right
           at 615 s; square: the answer revealed after its timer; triple: `x^3` (wrong) at
           50 s, then the answer revealed."""
    ada = open_desk(learner="ada", new_per_day=3)
    double = sitting_of(ada, "double")
    double.add_note("why two copies?")
    clock.advance(30)
    assert double.submit("x^2").verdict == "incorrect"  # type: ignore[union-attr]
    clock.advance(10)
    assert double.submit("2x").verdict == "correct"  # type: ignore[union-attr]
    double.finish()
    square = sitting_of(ada, "square")
    square.submit("x times itself")
    clock.advance(square.session.remaining())
    square.compare()
    square.assess({0, 1})
    square.finish()
    triple = sitting_of(ada, "triple")
    clock.advance(25)
    assert triple.submit("3x").verdict == "correct"  # type: ignore[union-attr]
    triple.finish()

    grace = open_desk(learner="grace", new_per_day=3)
    double = sitting_of(grace, "double")
    clock.advance(20)
    verdict = double.submit("x ** 2")
    assert verdict is not None and (verdict.verdict, verdict.read_as) == ("incorrect", "x^2")
    clock.advance(double.session.remaining())  # 600 s
    double.take_hint()
    clock.advance(15)
    assert double.submit("2*x").verdict == "correct"  # type: ignore[union-attr]
    double.finish()
    square = sitting_of(grace, "square")
    clock.advance(square.session.remaining())
    square.reveal()
    square.finish()
    triple = sitting_of(grace, "triple")
    clock.advance(50)
    assert triple.submit("x^3").verdict == "incorrect"  # type: ignore[union-attr]
    clock.advance(triple.session.remaining())
    triple.reveal()
    triple.finish()


def mentor(settings: Settings, clock: ManualClock, *dirs: Path) -> Desk:
    """A desk for reading the report (no sync: a report writes nothing), on other decks when
    `dirs` are given."""
    changed = replace(settings, learner="mentor", deck_override=dirs) if dirs else settings
    return desk_for(changed, clock)


def test_the_figures_are_those_of_every_learner(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings
) -> None:
    two_learners_day(open_desk, clock)
    with mentor(settings, clock) as desk:
        report = build_report(desk)
    cards = {card.card_id: card.to_json() for card in report.cards}
    assert [card.card_id for card in report.cards] == ["double", "triple", "square"]
    double, triple, square = cards["double"], cards["triple"], cards["square"]
    assert {key: double[key] for key in CONTRACT - {"wrong_answers"}} == {
        "id": "double",
        "deck": "mini",
        "learners": 2,
        "attempts": 4,
        "first_try_success": 0.0,  # both missed first
        "hints": 1,
        "reveals": 0,
        "median_seconds_to_correct": (40 + 615) / 2,
        "notes": ["why two copies?"],
    }
    # `x^2` and `x ** 2` were read the same way: one line, two learners
    assert double["wrong_answers"] == [
        {
            "read_as": "x^2",
            "count": 2,
            "learners": 2,
            "suggestion": f"mistake: x^2 => {PLACEHOLDER}",
        }
    ]
    assert (double["trouble"], double["reviews"], double["sittings"]) == (2 + 0.5, 2, 2)
    assert {key: triple[key] for key in CONTRACT - {"wrong_answers"}} == {
        "id": "triple",
        "deck": "mini",
        "learners": 2,
        "attempts": 2,
        "first_try_success": 0.5,  # ada right at once, grace not
        "hints": 0,
        "reveals": 1,
        "median_seconds_to_correct": 25.0,  # grace never answered right
        "notes": [],
    }
    assert [(w["read_as"], w["count"]) for w in triple["wrong_answers"]] == [("x^3", 1)]
    assert triple["trouble"] == 1 + 1
    # self-assessed: no machine-judged first try, no time to a correct answer
    assert (square["learners"], square["attempts"], square["reviews"]) == (2, 1, 2)
    assert (square["first_try_success"], square["median_seconds_to_correct"]) == (None, None)
    assert (square["reveals"], square["wrong_answers"], square["trouble"]) == (1, [], 1)


def test_the_json_is_the_contract(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings
) -> None:
    two_learners_day(open_desk, clock)
    with mentor(settings, clock) as desk:
        data = json.loads(json.dumps(build_report(desk).to_json()))
    assert set(data) == {"cards"} and len(data["cards"]) == 3
    added = {"title", "whole_proof", "reviews", "sittings", "trouble"}
    for card in data["cards"]:
        assert set(card) == CONTRACT | added, card
        for wrong in card["wrong_answers"]:
            assert set(wrong) == {"read_as", "count", "learners", "suggestion"}, wrong
            assert isinstance(wrong["read_as"], str) and isinstance(wrong["count"], int)
        assert all(isinstance(note, str) for note in card["notes"])
        assert isinstance(card["first_try_success"], float | None)
        assert isinstance(card["median_seconds_to_correct"], float | None)
        assert all(isinstance(card[key], int) for key in ("learners", "attempts", "hints"))


def test_since_counts_only_the_days_from_it_on(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings
) -> None:
    two_learners_day(open_desk, clock)
    clock.advance(2 * 86_400)  # Wednesday 4 March: ada takes one more card
    ada = open_desk(learner="ada")
    sitting = ada.next_sitting(one_more=True)
    assert sitting is not None and sitting.card_id == "double"  # due again
    sitting.add_note("still unsure")
    clock.advance(12)
    assert sitting.submit("x^5").verdict == "incorrect"  # type: ignore[union-attr]
    clock.advance(8)
    assert sitting.submit("2x").verdict == "correct"  # type: ignore[union-attr]
    sitting.finish()
    with mentor(settings, clock) as desk:
        later = build_report(desk, since=date(2026, 3, 3))
        everything = build_report(desk, since=date(2026, 3, 2))
    (active,) = later.active
    assert active.card_id == "double"
    assert (active.learners, active.attempts, active.reviews, active.first_try_success) == (
        1,
        2,
        1,
        0.0,
    )
    assert active.median_seconds == 20
    assert [(w.read_as, w.count) for w in active.wrong_answers] == [("x^5", 1)]
    assert [(n.learner, n.day, n.text) for n in active.notes] == [
        ("ada", date(2026, 3, 4), "still unsure")
    ]
    assert len(everything.active) == 3
    again = next(c for c in everything.cards if c.card_id == "double")
    assert again.reviews == 3 and again.learners == 2


def test_the_deck_filter_and_an_unknown_deck(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    two_learners_day(open_desk, clock)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra.md").write_text(EXTRA, encoding="utf-8")
    with mentor(settings, clock, settings.deck_dirs[0], extra) as desk:
        both = build_report(desk)
        only_extra = build_report(desk, ["extra"])
        only_mini = build_report(desk, ["mini"])
        with pytest.raises(UnknownDeck, match=r"no deck 'mnii' in the deck set; did you mean"):
            build_report(desk, ["mnii"])
    assert sorted(c.card_id for c in both.cards) == ["double", "half", "square", "triple"]
    assert [c.card_id for c in only_extra.cards] == ["half"] and not only_extra.active
    assert [c.card_id for c in only_mini.cards] == ["double", "triple", "square"]
    assert "half" not in render_text(only_mini)


def test_a_mistake_or_reject_line_already_covering_an_answer_is_not_suggested(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    two_learners_day(open_desk, clock)
    covered = tmp_path / "covered"
    covered.mkdir()
    block = "```check\nexpect: 2*x\nreal: x\n```"
    (covered / "mini.md").write_text(
        DECK.replace(block, "```check\nexpect: 2*x\nreal: x\nmistake: x x => Not squared.\n```"),
        encoding="utf-8",
    )
    with mentor(settings, clock, covered) as desk:
        report = build_report(desk)
        judged = {c.card_id: c for c in report.cards}
    # `x x` reads as x·x, not x^2: the checker matches x^2 with it by value, so it is covered
    assert [(w.read_as, w.suggestion) for w in judged["double"].wrong_answers] == [("x^2", None)]
    assert [w.suggestion for w in judged["triple"].wrong_answers] == [
        f"mistake: x^3 => {PLACEHOLDER}"
    ]
    rejected = tmp_path / "rejected"
    rejected.mkdir()
    (rejected / "mini.md").write_text(
        DECK.replace(block, "```check\nexpect: 2*x\nreal: x\nreject: x ^ 2\n```"),
        encoding="utf-8",
    )
    with mentor(settings, clock, rejected) as desk:
        double = next(c for c in build_report(desk, suggest=False).cards if c.card_id == "double")
    assert [(w.read_as, w.suggestion) for w in double.wrong_answers] == [("x^2", None)]


def test_the_text_fits_80_columns_and_names_who_wrote_each_note(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings
) -> None:
    two_learners_day(open_desk, clock)
    with mentor(settings, clock) as desk:
        text = render_text(build_report(desk))
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert lines[:2] == [
        "How the cards of mini fare with every learner, from the start",
        "3 of 3 cards studied, the most troubling first",
    ]
    block = text[text.index("double · Double (mini)") : text.index("triple · Triple")]
    assert block.splitlines()[0].endswith("trouble 2.5")
    assert "0% (0 of 2)" in block and "5 min 28 s" in block  # the median of 40 s and 615 s
    assert re.search(r"\n    x\^2 +2 +2\n", block)
    assert f"    mistake: x^2 => {PLACEHOLDER}" in block
    assert "    2026-03-02 ada: why two copies?" in block


def test_hostile_answers_and_notes_are_cleaned(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings
) -> None:
    """A group member's client may write any row: an answer kept without a reading (shown as
    typed) and a note, both full of terminal controls, reach neither the text nor the JSON."""
    ada = open_desk(learner="ada")
    sitting = sitting_of(ada, "double")
    sitting.add_note("\x1b]0;owned\x07look \x1b[2Jhere\u202e")
    with ada.session() as session:
        q.add_attempt(
            session=session,
            attempt=AttemptRow(
                learner="ada",
                card_id="double",
                at=clock.now(),
                active_seconds=3.0,
                answer="\x1b[31mx\x9b2J^9\x07",
                verdict="incorrect",
                read_as="",
            ),
        )
    with mentor(settings, clock) as desk:
        report = build_report(desk)
    text = render_text(report)
    as_json = json.dumps(report.to_json(), ensure_ascii=False)
    for shown in (text, as_json):
        assert not ESCAPES.search(shown), repr(shown)
    double = report.to_json()["cards"][0]
    assert double["wrong_answers"][0]["read_as"] == "x^9"
    assert double["notes"] == ["look here"]
    assert "ada: look here" in text


def test_a_whole_proof_is_its_own_row_and_its_answers_count_for_their_steps(
    open_desk: DeskFactory, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "twice.md").write_text(PROOF, encoding="utf-8")
    desk = open_desk(learner="ada", deck_override=(proofs,))
    for step in STEPS:  # each step on its own: right at once (twice-1 at 0 s)
        sitting = sitting_of(desk, step)
        work_step(sitting, clock)
        sitting.finish()
    clock.advance(86_400)
    desk = open_desk(learner="ada", deck_override=(proofs,))
    whole = desk.next_sitting()
    assert whole is not None and whole.card_id == WHOLE
    clock.advance(30)
    whole.submit("x^2")  # step 1: wrong, then right at 40 s
    clock.advance(10)
    whole.submit("2x")
    whole.next_step()
    whole.add_note("the second step again")
    work_step(whole, clock)  # step 2: self-assessed, the timer run out
    whole.next_step()
    clock.advance(7)
    whole.submit("3x")  # step 3: right at 7 s
    whole.finish()
    with mentor(settings, clock, proofs) as mentor_desk:
        report = build_report(mentor_desk)
    cards = {card.card_id: card for card in report.cards}
    assert set(cards) == {*STEPS, WHOLE}
    one, proof = cards["twice-1"], cards[WHOLE]
    # the step: its own sitting (right at once) and its part of the whole proof (missed first)
    assert (one.attempts, one.reviews, one.sittings, one.first_tries) == (3, 1, 2, 1)
    assert one.median_seconds == (0 + 40) / 2
    assert [(w.read_as, w.count, w.suggestion is not None) for w in one.wrong_answers] == [
        ("x^2", 1, True)
    ]
    # the whole proof: its sitting, every answer in it, its note; not a first try
    assert (proof.attempts, proof.reviews, proof.learners, proof.sittings) == (4, 1, 1, 1)
    assert (proof.first_try_success, proof.median_seconds) == (0.0, 40 + 7)
    assert proof.wrong_answers == () and [n.text for n in proof.notes] == ["the second step again"]
    assert cards["twice-3"].median_seconds == 7 / 2 and cards["twice-3"].attempts == 2
    assert report.cards[0].card_id in (WHOLE, "twice-1")  # the troubled ones first
    assert "listed under their steps" in render_text(report)


# -- the command -----------------------------------------------------------------------------


@pytest.fixture
def tutor(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`tutor ARGS` in process, on the test's database and decks, the checker in process."""
    import tutor.check.sandbox

    monkeypatch.setattr(tutor.check.sandbox, "Checker", InProcessChecker)

    def run(*args: str) -> Result:
        decks = [a for d in settings.deck_dirs for a in ("--decks", str(d))]
        return CliRunner().invoke(
            main,
            [*args, *decks, "--db", settings.db_url],
            env={"TUTOR_HOME": str(settings.home), "TUTOR_CLOCK": "2026-03-05T09:00+01:00"},
        )

    return run


def test_tutor_report_prints_the_table_and_the_json(
    open_desk: DeskFactory, clock: ManualClock, tutor: Any
) -> None:
    two_learners_day(open_desk, clock)
    done = tutor("report")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("How the cards of mini fare with every learner, from the start\n")
    assert "double · Double (mini)" in done.stdout
    as_json = tutor("report", "mini", "--json", "--since", "2026-03-02")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert [card["id"] for card in data["cards"]] == ["double", "triple", "square"]
    assert data["cards"][0]["median_seconds_to_correct"] == 327.5
    nothing = json.loads(tutor("report", "--json", "--since", "2026-03-03").stdout)
    assert all(card["attempts"] == 0 for card in nothing["cards"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "March 2"), "--since: 'March 2' is not a date YYYY-MM-DD"),
        (("--since", "2026-02-30"), "--since: '2026-02-30' is not a date YYYY-MM-DD"),
        (("nope",), "no deck 'nope' in the deck set"),
    ],
)
def test_a_bad_date_or_deck_is_one_line_and_status_2(
    open_desk: DeskFactory, tutor: Any, args: tuple[str, ...], message: str
) -> None:
    open_desk(learner="ada")
    done = tutor("report", *args)
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert done.stdout == ""
