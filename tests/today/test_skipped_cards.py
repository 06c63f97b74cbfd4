"""A broken card is left out of study alone: the other cards of its file are studied, the cards
that require it are held back with it, each is named in a notice, and its progress waits for it
(its row is never retired)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlmodel import select

from tutor.store.models import CardRow
from tutor.store.queries import memory_states
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import DeskFactory

FIXTURE = Path(__file__).parent.parent / "fixtures" / "one-broken-card" / "algebra.md"
BROKEN = FIXTURE.read_text(encoding="utf-8")
FIXED = BROKEN.replace("timer: 5\n", "timer: 5m\n").replace(
    "What is $x \\cdot 1$?\n\n", "What is $x \\cdot 1$?\n\n### Answer\n$x$\n\n"
)
ANSWERS = {
    "add-zero": "x",
    "times-one": "x",
    "times-one-plus-zero": "x",
    "times-one-twice": "x",
    "times-zero": "0",
}
HELD = {"times-one", "times-one-plus-zero", "times-one-twice"}


def use(deck_dir: Path, text: str) -> None:
    """The deck set is this one file (the conftest's deck is taken out)."""
    for old in deck_dir.glob("*.md"):
        old.unlink()
    (deck_dir / "algebra.md").write_text(text, encoding="utf-8")


def study_today(desk: Desk) -> list[str]:
    """Study every card today offers, each answered right; the ids, in order."""
    studied = []
    while (sitting := desk.next_sitting()) is not None:
        verdict = sitting.submit(ANSWERS[sitting.card_id])
        assert verdict is not None and verdict.verdict == "correct"
        sitting.finish()
        studied.append(sitting.card_id)
    return studied


def test_the_fixture_has_one_broken_card_and_the_fixed_one_none() -> None:
    from tutor.deck.parser import parse_text

    assert len([p for p in parse_text(BROKEN, "a.md")[1] if p.severity == "error"]) == 3
    fixed_errors = [p for p in parse_text(FIXED, "a.md")[1] if p.severity == "error"]
    assert [p.message for p in fixed_errors] == ["card 'A card without an id' has no 'id' field"]


def test_the_other_cards_of_the_file_are_studied_and_the_broken_one_named(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    use(deck_dir, BROKEN)
    desk = open_desk(new_per_day=10)
    assert desk.plan() == ["add-zero", "times-zero"]
    [skipped, other] = desk.notices
    assert skipped.startswith("card 'times-one' is left out of study until it is fixed: ")
    assert "algebra.md:24: card 'times-one' has no '### Answer'" in skipped
    assert skipped.endswith(
        "the cards that require it are held back with it: 'times-one-plus-zero', 'times-one-twice'"
    )
    # the front matter's timer and the card without an id skip no card
    assert other == "the decks have 2 other problems (see 'tutor deck check')"
    assert study_today(desk) == ["add-zero", "times-zero"]


def test_a_skipped_card_keeps_its_progress_and_comes_back_once_fixed(
    open_desk: DeskFactory, deck_dir: Path, clock: ManualClock
) -> None:
    use(deck_dir, FIXED)
    first = open_desk(new_per_day=10)
    assert set(study_today(first)) == set(ANSWERS)
    use(deck_dir, BROKEN)
    clock.advance(60 * 86_400)  # every card is due
    desk = open_desk(new_per_day=10, reviews_per_day=10)
    with desk.session() as session:
        rows = {row.id: row for row in session.exec(select(CardRow))}
        states = set(memory_states(session=session))
    assert not any(row.retired for row in rows.values())
    assert states == set(ANSWERS)  # the progress is all there
    assert desk.held_back() == HELD
    assert set(desk.plan()) == {"add-zero", "times-zero"}  # reviews, the held ones not among them
    assert any(n.startswith("card 'times-one' is left out") for n in desk.notices)
    use(deck_dir, FIXED)
    fixed = open_desk(new_per_day=10, reviews_per_day=10)
    assert fixed.held_back() == frozenset()
    assert set(fixed.plan()) == set(ANSWERS)


def begin_times_one(open_desk: DeskFactory, deck_dir: Path) -> None:
    """Study add-zero, begin times-one and quit; then times-one breaks. Unfinished, it would
    come first: only what is held back keeps it out."""
    use(deck_dir, FIXED)
    desk = open_desk(new_per_day=10)
    first = desk.next_sitting()
    assert first is not None and first.card_id == "add-zero"
    first.submit("x")
    first.finish()
    second = desk.next_sitting()
    assert second is not None and second.card_id == "times-one"
    second.save()
    use(deck_dir, BROKEN)
    open_desk(new_per_day=10)  # the sync that stores what is held back


def test_an_unchanged_broken_deck_set_keeps_them_out_without_reading_the_decks(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    begin_times_one(open_desk, deck_dir)
    again = open_desk(new_per_day=10)  # the sync is skipped: nothing read
    assert not again.shelf.read
    assert again.held_back() == HELD
    assert any(n.startswith("card 'times-one' is left out") for n in again.notices)
    assert again.plan() == ["times-zero"]
    assert not again.shelf.read


def test_the_quick_start_keeps_them_out_too(open_desk: DeskFactory, deck_dir: Path) -> None:
    begin_times_one(open_desk, deck_dir)
    synced = open_desk(new_per_day=10)
    fresh = Desk(synced.settings, clock=synced.clock, zone=synced.zone, fuzz=False)
    try:
        sitting = fresh.quick_sitting()
        assert sitting is not None and sitting.card_id == "times-zero"
        assert not fresh.place.opened  # read with sqlite3 alone
        assert any(n.startswith("card 'times-one' is left out") for n in fresh.notices)
    finally:
        fresh.close()


def test_a_file_that_cannot_be_read_keeps_its_cards_out_of_study(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    use(deck_dir, FIXED)
    open_desk(new_per_day=10)
    use(deck_dir, "no front matter at all\n\n" + FIXED)
    desk = open_desk(new_per_day=10)
    with desk.session() as session:
        assert not any(row.retired for row in session.exec(select(CardRow)))
    assert desk.plan() == []
    assert desk.held_back() == set(ANSWERS)
    assert any(
        "the file's cards are left out of study until it is fixed" in n for n in desk.notices
    )


def test_a_whole_proof_is_held_back_with_a_broken_step(tmp_path: Path) -> None:
    from tutor.deck.loader import load_collection
    from tutor.held import skips_of

    proof = (Path(__file__).parent.parent / "fixtures" / "good" / "shift-proof.md").read_text()
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "good" / "basics.md", tmp_path)
    first_answer = proof.index("### Answer")
    (tmp_path / "proof.md").write_text(
        proof[:first_answer] + proof[first_answer:].replace("### Answer", "### Nothing", 1)
    )
    skips = skips_of(load_collection([tmp_path]))
    assert [s.card.id for s in skips.skipped] == ["shift-proof-1"]
    assert skips.held == {
        "shift-proof-2": ["shift-proof-1"],
        "proof:shift-proof": ["shift-proof-1"],
    }


def test_a_check_block_of_an_unknown_mode_keeps_its_card_out(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    """No answer to a block whose mode is unknown could ever be judged (each would be
    `undecided`): the card is left out of study like any broken card, with the modes named;
    a mode in capitals is a mode, and the last `mode` line is the one that counts."""
    text = FIXED.replace("expect: x\nreal: x\n", "expect: x\nmode: bogus\nreal: x\n", 1)
    text = text.replace(
        "What is $x \\cdot 1$?\n\n### Answer\n$x$\n\n```check\nexpect: x\n",
        "What is $x \\cdot 1$?\n\n### Answer\n$x$\n\n```check\nmode: bogus\nmode: Equivalent\n"
        "expect: x\n",
    )
    use(deck_dir, text)
    desk = open_desk(new_per_day=10)
    assert desk.held_back() == {"add-zero"}
    [skipped, _] = desk.notices
    assert skipped == (
        "card 'add-zero' is left out of study until it is fixed: "
        f"{deck_dir.resolve() / 'algebra.md'}:21: check: unknown mode 'bogus'; the modes are "
        "equivalent, set, logic, numeric, antiderivative, derivation"
    )
    assert set(study_today(desk)) == set(ANSWERS) - {"add-zero"}


def test_a_proof_whose_requires_line_is_wrong_skips_its_first_step_by_name(
    tmp_path: Path,
) -> None:
    """A proof's `requires` (in its front matter, outside every card) are its first step's
    prerequisites: a proof that requires its own last step (a cycle through all its steps)
    skips the first step, named with the error, and holds the rest back, instead of counting
    "other problems" and leaving the steps waiting forever for each other."""
    from tutor.deck.loader import load_collection
    from tutor.held import skips_of

    proof = (Path(__file__).parent.parent / "fixtures" / "good" / "shift-proof.md").read_text()
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "good" / "basics.md", tmp_path)
    assert "\nrequires: [power-set]\n" in proof.split("---")[1]
    (tmp_path / "proof.md").write_text(
        proof.replace("requires: [power-set]", "requires: [shift-proof-2, power-set]", 1),
        encoding="utf-8",
    )
    skips = skips_of(load_collection([tmp_path]))
    [skipped] = skips.skipped
    assert skipped.card.id == "shift-proof-1" and skipped.problem.line == 5
    assert skipped.problem.message == "proof 'shift-proof' requires its own step 'shift-proof-2'"
    assert skips.held == {
        "shift-proof-2": ["shift-proof-1"],
        "proof:shift-proof": ["shift-proof-1"],
    }
    assert skips.other_errors == 0


def test_a_newcomer_reusing_an_id_takes_over_no_history(
    open_desk: DeskFactory, deck_dir: Path, clock: ManualClock
) -> None:
    """A new file that sorts first and reuses the id of a card with a history: neither card of
    that id is studied (the newcomer would otherwise be reviewed as if the learner had learned
    it), the cards that require it wait, the history is kept, and the report counts the id's
    activity once."""
    from tutor.report import build_report

    use(deck_dir, FIXED)
    assert set(study_today(open_desk(new_per_day=10))) == set(ANSWERS)
    newcomer = FIXED.replace("id: algebra\n", "id: newcomer\n").split("## Times one\n")[0]
    (deck_dir / "aaa.md").write_text(newcomer.replace("What is $x + 0$?", "What is 0 + y?"))
    clock.advance(60 * 86_400)  # every card is due
    desk = open_desk(new_per_day=10, reviews_per_day=10)
    assert "add-zero" in desk.held_back()
    assert "add-zero" not in desk.plan() and "times-zero" in desk.plan()
    assert any(
        n.startswith("card 'add-zero' is left out of study") and "renamed" in n
        for n in desk.notices
    )
    with desk.session() as session:
        assert "add-zero" in set(memory_states(session=session))  # the history, kept
    report = build_report(desk)
    assert [c.card_id for c in report.cards].count("add-zero") == 1
