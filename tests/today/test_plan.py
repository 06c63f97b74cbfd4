"""The daily plan through the desk and a real database, with the clock injected: a new card
every study day whatever the reviews, separate limits, new cards in the prerequisite graph's
order across files, the settings of earlier releases, and one more card after the plan."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from tutor.check.verdict import Verdict
from tutor.config import Settings, load_settings
from tutor.deck.files import deck_fingerprint
from tutor.plain import PlainSession
from tutor.store.queries import memory_states
from tutor.store.rows import MemoryState
from tutor.study.clock import ManualClock
from tutor.study.queue import DayPlan
from tutor.study.schedule import Memory, retrievability
from tutor.study.session import Phase
from tutor.today import Desk, Sitting

from .conftest import BERLIN, DeskFactory, desk_for

# Three files, in the order their names sort: a chain, an unrelated chain, and a proof that
# stands on the first chain's second card (its steps require the step before, as proofs do),
# with its whole-proof card, which requires every step.
CHAIN = [("a1", ()), ("a2", ("a1",)), ("a3", ("a2",))]
UNRELATED = [("b1", ()), *((f"b{n}", (f"b{n - 1}",)) for n in range(2, 6))]
PROOF_STEPS = ["p-1", "p-2", "p-3"]
WHOLE = "proof:p-proof"
REQUIRES = {
    **dict(CHAIN),
    **dict(UNRELATED),
    **{step: (PROOF_STEPS[n - 1] if n else "a2",) for n, step in enumerate(PROOF_STEPS)},
    WHOLE: tuple(PROOF_STEPS),
}
GRAPH_ORDER = ["a1", "a2", "a3", "p-1", "p-2", "p-3", WHOLE, *(i for i, _ in UNRELATED)]


def card(card_id: str, k: int, requires: tuple[str, ...] = ()) -> str:
    needs = f"requires: {', '.join(requires)}\n" if requires else ""
    return (
        f"## Card {card_id}\nid: {card_id}\nkind: fact\n{needs}\n"
        f"Write $x$ added {k} times.\n\n### Answer\n${k}x$\n\n"
        f"```check\nexpect: {k}*x\nreal: x\n```\n\n"
        f"### Hints\n1. Count.\n2. {k} copies.\n\n### Why it matters\nCounting.\n"
    )


def write_decks(folder: Path) -> Path:
    folder.mkdir(parents=True)
    front = "---\nid: {0}\ntitle: {0}\ntimer: 5m\nreview_timer: 1m\n{1}---\n\n# {0}\n\n"
    a = front.format("a-chain", "") + "\n".join(card(i, n + 2, r) for n, (i, r) in enumerate(CHAIN))
    b = front.format("b-unrelated", "")
    b += "\n".join(card(i, n + 10, r) for n, (i, r) in enumerate(UNRELATED))
    p = front.format("p-proof", "kind: proof\nrequires: a2\n")
    p += "**Theorem.** Counting works.\n\n"
    p += "\n".join(
        f"## Step {n + 1}\nid: {step}\n\nWrite $x$ added {n + 20} times.\n\n"
        f"### Answer\n${n + 20}x$\n\n```check\nexpect: {n + 20}*x\nreal: x\n```\n\n"
        "### Hints\n1. Count.\n2. Again.\n"
        for n, step in enumerate(PROOF_STEPS)
    )
    (folder / "a-chain.md").write_text(a, encoding="utf-8")
    (folder / "b-unrelated.md").write_text(b, encoding="utf-8")
    (folder / "p-proof.md").write_text(p, encoding="utf-8")
    return folder


def open_plan_desk(tmp_path: Path, clock: ManualClock, plan: DayPlan | None = None) -> Desk:
    decks = write_decks(tmp_path / "decks")
    settings = load_settings(decks=[str(decks)], environ={"TUTOR_HOME": str(tmp_path / "home")})
    desk = desk_for(settings, clock)
    if plan is not None:
        desk.day_plan = plan
    desk.sync()
    return desk


def waiting_cards(desk: Desk, *, whole: bool = False) -> list[str]:
    """The new cards whose prerequisites are all reconstructed, in the graph's order; `whole`:
    the whole proofs instead, which also wait for a day none of their steps was studied on."""
    with desk.session() as session:
        states = memory_states(session=session)
    today = desk.today()
    return [
        c
        for c in GRAPH_ORDER
        if c not in states
        and all(r in states and states[r].reconstructed for r in REQUIRES[c])
        and (c == WHOLE) == whole
        and not (whole and any(states[r].last_day == today for r in REQUIRES[c]))
    ]


def most_forgotten(states: dict[str, MemoryState], end: datetime, clock: ManualClock) -> str:
    def recall(s: MemoryState) -> float:
        memory = Memory(s.state, s.step, s.stability, s.difficulty, s.due, s.last_review)
        return retrievability(memory, clock.now())

    return min((s for s in states.values() if s.due < end), key=recall).card_id


def work(sitting: Sitting, clock: ManualClock, success: bool) -> None:
    """Reconstruct the card (the verdict given, as the checker would) or reveal its answer;
    a whole proof, step by step."""
    while True:
        if success:
            sitting.submit("the answer", Verdict("correct"))
        else:
            clock.advance(sitting.session.remaining())
            sitting.reveal()
        if sitting.phase is not Phase.STEP_DONE:
            break
        sitting.next_step()
    assert sitting.phase is Phase.DONE
    sitting.finish()


def test_a_new_card_every_day_one_is_waiting_and_reviews_within_their_limit(
    tmp_path: Path,
) -> None:
    """Four months, a quarter of the cards failed: every morning with a new card whose
    prerequisites are reconstructed, the day has one (and never more), and the reviews shown are
    those due, up to the limit; a whole proof comes apart from the new card, once it waits."""
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN))
    limit = 2
    desk = open_plan_desk(tmp_path, clock, DayPlan(new=1, reviews=limit))
    rng = random.Random(13)
    capped = blocked = 0
    try:
        for day in range(120):
            waiting = waiting_cards(desk)
            with desk.session() as session:
                states = memory_states(session=session)
            _, end = desk.day_bounds()
            due = sum(1 for s in states.values() if s.due < end)
            new = reviews = wholes = 0
            while (sitting := desk.next_sitting()) is not None:
                if sitting.is_review:
                    if not reviews:  # the one most likely forgotten comes first
                        assert sitting.card_id == most_forgotten(states, end, clock), day
                    reviews += 1
                elif sitting.proof is not None:
                    wholes += 1
                    assert sitting.card_id == waiting_cards(desk, whole=True)[0], day
                else:  # the first card waiting now (a review may have unlocked one today)
                    new += 1
                    assert sitting.card_id == waiting_cards(desk)[0], day
                work(sitting, clock, success=rng.random() < 0.75)
            assert new <= 1 and (new == 1 or not waiting), day
            assert wholes <= 1 and (wholes == 1 or not waiting_cards(desk, whole=True)), day
            assert reviews == min(due, limit), day
            capped += due > limit
            blocked += len(states) < len(REQUIRES) and not waiting
            clock.advance(86_400)
        with desk.session() as session:
            assert set(memory_states(session=session)) == set(REQUIRES)  # all introduced
    finally:
        desk.close()
    assert capped and blocked  # the limit was reached, and a failed card held a chain back


def test_new_cards_follow_the_prerequisite_graph_across_files(tmp_path: Path) -> None:
    """The proof's steps come right after the card they stand on, before the cards of a file
    that sorts before the proof's; the plan of earlier releases went by file name."""
    seen: dict[str, list[str]] = {}
    for name, plan in (("graph", None), ("files", DayPlan.before_december_2026(1))):
        clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN))
        desk = open_plan_desk(tmp_path / name, clock, plan)
        new: list[str] = []
        try:
            for _ in range(12):
                while (sitting := desk.next_sitting()) is not None:
                    if not sitting.is_review:
                        new.append(sitting.card_id)
                    work(sitting, clock, success=True)
                clock.advance(86_400)
        finally:
            desk.close()
        seen[name] = new
    assert seen["graph"][:7] == ["a1", "a2", "a3", "p-1", "p-2", "p-3", "b1"]
    # the whole proof on a later day none of its steps is studied (`tutor.study.proof`), on
    # top of that day's new card
    assert seen["graph"][7:10] == ["b2", WHOLE, "b3"]
    assert seen["files"][:4] == ["a1", "a2", "a3", "b1"]


def test_the_day_has_its_new_card_whatever_the_reviews(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    first = desk.next_sitting()
    assert first is not None and first.card.id == "double"
    first.submit("2x")
    first.finish()
    clock.advance(2 * 86_400)  # double is due again
    desk = open_desk()
    studied = []
    while (sitting := desk.next_sitting()) is not None:
        studied.append((sitting.card.id, sitting.is_review, sitting.session.facts.timer))
        sitting.submit("2x" if sitting.card.id == "double" else "x*x")
        clock.advance(sitting.session.remaining())
        if sitting.phase is Phase.THINKING:
            sitting.compare()
        if sitting.phase is Phase.ASSESSING:
            sitting.assess({0, 1})
        sitting.finish()
    # the review with its short timer, then the day's new card with its full one
    assert studied == [("double", True, 120), ("square", False, 600)]
    assert desk.one_more_card() == "triple"  # after the plan: one more, if the learner wants
    assert desk.next_card_at() == desk.day_bounds()[1]


def run_plain(desk: Desk, lines: list[str]) -> str:
    out = io.StringIO()
    PlainSession(desk, io.StringIO("".join(f"{x}\n" for x in lines)), out).run()
    return out.getvalue()


def test_one_more_card_after_the_plan_in_plain_mode(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    # double rated Good, then the offer: yes gives square, begun and left
    out = run_plain(open_desk(), ["2x", "", "", "y", "x times x", ":quit"])
    assert "Done for today. Take one more card? [y/N]" in out
    offer = out.index("Take one more card?")
    assert "Mini deck › Square" in out[offer:] and "definition, new card; id square" in out
    assert "Confusion timer: 10:00" in out[offer:]  # a new card keeps its full timer
    assert "saved; square resumes next time" in out
    # begun, it is finished first next time, beyond the plan as it was
    again = run_plain(open_desk(), [":quit"])
    assert "Mini deck › Square" in again and "Resumed:" in again
    # no: the day ends as before; end of input is a no as well
    clock.advance(600)
    declined = run_plain(
        open_desk(), ["x times x", ":wait 10m", ":compare", ":ideas all", "", "", "n"]
    )
    assert "Take one more card? [y/N]" in declined
    assert declined.rstrip().endswith("Next card: tomorrow (Tue 03 Mar 2026, from 04:00).")
    assert "That is today's study done." in declined and "Triple" not in declined


def test_no_offer_when_no_card_is_waiting(open_desk: DeskFactory, clock: ManualClock) -> None:
    out = run_plain(open_desk(), ["x", ":wait 10m", ":reveal", ":reveal", ""])
    # double revealed: square and triple wait for it to be reconstructed
    assert "Take one more card?" not in out and "That is today's study done." in out


def test_items_per_session_is_read_as_new_per_day_with_a_notice(
    settings: Settings, clock: ManualClock
) -> None:
    settings.home.mkdir(parents=True, exist_ok=True)
    (settings.home / "config.toml").write_text("items_per_session = 2\n", encoding="utf-8")
    loaded = load_settings(
        decks=[str(settings.deck_dirs[0])], environ={"TUTOR_HOME": str(settings.home)}
    )
    desk = desk_for(loaded, clock)
    try:
        out = run_plain(desk, ["2x", "", "", "x times x", ":quit"])
    finally:
        desk.close()
    assert out.startswith("note: items_per_session = 2 is read as new_per_day = 2;")
    assert out.count("note: items_per_session") == 1
    # two new cards in the day's plan: no offer between them
    assert "Mini deck › Square" in out and "Take one more card?" not in out


def test_the_legacy_plan_is_one_card_a_day(open_desk: DeskFactory, clock: ManualClock) -> None:
    """The plan of earlier releases, kept for bench/pace.py: a review due takes the day."""
    desk = open_desk()
    first = desk.next_sitting()
    assert first is not None
    first.submit("2x")
    first.finish()
    clock.advance(timedelta(days=2).total_seconds())
    desk = open_desk()
    desk.day_plan = DayPlan.before_december_2026()
    assert desk.plan() == ["double"]


def test_a_database_synced_by_an_earlier_release_gets_the_order_on_its_next_start(
    open_desk: DeskFactory,
) -> None:
    from tutor.store.models import MetaRow
    from tutor.store.quick import QuickReader
    from tutor.store.rows import META_CARD_ORDER

    desk = open_desk()
    with desk.session() as session:
        session.delete(session.get(MetaRow, META_CARD_ORDER))
        session.commit()
    fingerprint = deck_fingerprint(desk.deck_files())
    assert (
        QuickReader.open(desk.settings.db_url, fingerprint, desk.learner) is None
    )  # not the quick path
    assert not desk.sync().skipped  # the deck files have not changed, the order was missing
    reader = QuickReader.open(desk.settings.db_url, fingerprint, desk.learner)
    assert reader is not None
    with reader:
        assert reader.queue(desk.today(), desk.day_bounds()[1]).order == (
            "double",
            "square",
            "triple",
        )
    assert desk.sync().skipped
