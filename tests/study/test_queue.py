from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.study.queue import (
    CardProgress,
    DayPlan,
    QueueCard,
    due_order,
    graph_order,
    next_due,
    one_more,
    todays_cards,
)
from tutor.study.schedule import Memory, Rating, retrievability, review

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)
END = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)

CARDS = [
    QueueCard("power-set"),
    QueueCard("sigma-algebra", ("power-set",)),
    QueueCard("measure", ("sigma-algebra",)),
    QueueCard("proof-1", ("measure",)),
    QueueCard("proof-2", ("proof-1",)),
    QueueCard("other-deck-card", ("retired-card",)),
]


def pick(
    progress: dict[str, CardProgress], new: int = 1, reviews: int = 10, **kw: object
) -> list[str]:
    plan = DayPlan(new=new, reviews=reviews)
    return todays_cards(CARDS, progress, now=NOW, today=TODAY, end_of_today=END, plan=plan, **kw)  # type: ignore[arg-type]


def reviewed(days_ago: int, rating: Rating = Rating.GOOD, ok: bool = True) -> CardProgress:
    at = NOW - timedelta(days=days_ago)
    return CardProgress(review(None, rating, at, fuzz=False), ok, (at - timedelta(hours=4)).date())


def test_new_cards_in_deck_order_once_prerequisites_are_reconstructed() -> None:
    assert pick({}, new=10) == ["power-set", "other-deck-card"]
    progress = {"power-set": reviewed(1)}
    assert pick(progress, new=10)[-2:] == ["sigma-algebra", "other-deck-card"]
    progress["power-set"] = reviewed(1, Rating.AGAIN, ok=False)
    assert "sigma-algebra" not in pick(progress, new=10)


def test_unfinished_card_comes_first_even_when_the_day_is_full() -> None:
    progress = {"power-set": reviewed(5)}
    # a new card begun is the day's new card; the review due comes after it
    assert pick(progress, unfinished="measure") == ["measure", "power-set"]
    assert pick(progress, unfinished="power-set") == ["power-set", "sigma-algebra"]
    full = {"new_today": 1, "reviews_today": 10}
    assert pick(progress, unfinished="measure", **full) == ["measure"]
    assert pick(progress, unfinished="power-set", **full) == ["power-set"]
    assert pick(progress, **full) == []
    assert pick(progress, unfinished="gone-from-decks") == ["power-set", "sigma-algebra"]


def test_due_reviews_by_lowest_retrievability_then_the_new_card() -> None:
    progress = {"power-set": reviewed(3), "sigma-algebra": reviewed(30)}
    assert pick(progress) == ["sigma-algebra", "power-set", "measure"]


def test_new_cards_and_reviews_have_limits_of_their_own() -> None:
    progress = {c: reviewed(days) for c, days in (("power-set", 3), ("sigma-algebra", 30))}
    progress["measure"] = reviewed(10)
    # however many reviews are due, the day has its new card
    assert pick(progress, reviews=1) == ["sigma-algebra", "proof-1"]
    assert pick(progress, reviews=2, reviews_today=1) == ["sigma-algebra", "proof-1"]
    assert pick(progress, reviews_today=10) == ["proof-1"]
    assert pick(progress, new_today=1) == ["sigma-algebra", "measure", "power-set"]
    both = ["sigma-algebra", "measure", "power-set", "proof-1", "other-deck-card"]
    assert pick(progress, new=2) == both
    assert pick(progress, new=0, reviews=2) == ["sigma-algebra", "measure"]
    # the plan before December 2026: one limit for both, reviews first
    old = DayPlan.before_december_2026(2)
    shared = todays_cards(CARDS, progress, now=NOW, today=TODAY, end_of_today=END, plan=old)
    assert shared == ["sigma-algebra", "measure"]


def test_one_more_card_is_the_review_the_limit_left_out_else_a_new_card() -> None:
    progress = {"power-set": reviewed(3), "sigma-algebra": reviewed(30)}
    times = {"now": NOW, "today": TODAY, "end_of_today": END}
    assert pick(progress, reviews=1, new_today=1, reviews_today=1) == []
    assert one_more(CARDS, progress, **times) == "sigma-algebra"
    fresh = review(None, Rating.GOOD, NOW, fuzz=False)
    done = {c: CardProgress(fresh, True, TODAY) for c in ("power-set", "sigma-algebra")}
    assert one_more(CARDS, done, **times) == "measure"
    assert one_more(CARDS[:2], done, **times) is None  # nothing is waiting


def test_a_card_reviewed_today_or_not_yet_due_is_not_offered() -> None:
    fresh = review(None, Rating.GOOD, NOW, fuzz=False)
    progress = {"power-set": CardProgress(fresh, True, TODAY)}
    assert pick(progress, new=5) == ["sigma-algebra", "other-deck-card"]
    assert next_due(CARDS, progress) == NOW + timedelta(days=2)
    assert next_due(CARDS, {}) is None


def test_proof_steps_come_in_order() -> None:
    # reviewed yesterday and rated Good: due in two days, so not today
    progress = {c: reviewed(1) for c in ("power-set", "sigma-algebra", "measure")}
    assert pick(progress, new=5) == ["proof-1", "other-deck-card"]
    progress["proof-1"] = reviewed(1)
    assert pick(progress, new=5) == ["proof-2", "other-deck-card"]


def test_candidates_only_with_the_active_ids_give_the_same_choice() -> None:
    """The store hands over only the due and new cards; prerequisites are judged against every
    active card, so a prerequisite missing from the candidates is not taken as met."""
    cards = [QueueCard("a"), QueueCard("b", ("a",)), QueueCard("c", ("gone",))]
    progress = {"a": CardProgress(memory=None, reconstructed=False)}
    kwargs = {"now": NOW, "today": TODAY, "end_of_today": END}
    only_new = [cards[1], cards[2]]
    assert todays_cards(only_new, progress, active={"a", "b", "c"}, **kwargs) == ["c"]
    assert todays_cards(only_new, progress, **kwargs) == ["b"]  # without: 'a' looks retired


def test_the_graph_order_puts_a_card_right_after_what_it_builds_on() -> None:
    """Two deck files and a proof in a third: the proof's steps come right after their
    prerequisites, before the cards of a file they do not stand on; a depth-first walk, with
    the file order breaking ties."""
    cards = [
        QueueCard("a1"),
        QueueCard("a2", ("a1",)),
        QueueCard("a3", ("a2",)),
        QueueCard("b1"),
        QueueCard("b2", ("b1",)),
        QueueCard("proof-1", ("a2", "gone")),
        QueueCard("proof-2", ("proof-1",)),
    ]
    assert graph_order(cards) == ["a1", "a2", "a3", "proof-1", "proof-2", "b1", "b2"]
    assert graph_order(cards[::-1]) == ["b1", "b2", "a1", "a2", "proof-1", "proof-2", "a3"]
    cycle = [QueueCard("x", ("y",)), QueueCard("y", ("x",)), QueueCard("z")]
    assert graph_order(cycle) == ["z", "x", "y"]


WHOLE = [
    QueueCard("p-1"),
    QueueCard("p-2", ("p-1",)),
    QueueCard("proof:p", ("p-1", "p-2")),
    QueueCard("q-1"),
    QueueCard("proof:q", ("q-1",)),
    QueueCard("later"),
]


def pick_whole(
    progress: dict[str, CardProgress], plan: DayPlan | None = None, **kw: object
) -> list[str]:
    return todays_cards(
        WHOLE, progress, now=NOW, today=TODAY, end_of_today=END, plan=plan or DayPlan(), **kw
    )  # type: ignore[arg-type]


def test_whole_proofs_come_apart_from_the_new_card_one_a_day() -> None:
    """A whole proof whose steps are all reconstructed comes on top of the day's new card, after
    the reviews; one a day; and not on a day one of its steps was studied."""
    long_ago = {c: reviewed(1) for c in ("p-1", "p-2", "q-1")}  # yesterday: not due today
    assert pick_whole(long_ago) == ["proof:p", "later"]
    assert pick_whole(long_ago, wholes_today=1) == ["later"]
    assert pick_whole(long_ago, new_today=1) == ["proof:p"]
    assert pick_whole(long_ago, plan=DayPlan(wholes=2)) == ["proof:p", "proof:q", "later"]
    # a whole proof begun is the day's whole proof
    assert pick_whole(long_ago, unfinished="proof:q") == ["proof:q", "later"]
    # taking the day's new card instead (what bench/pace.py compares with)
    as_new = DayPlan(wholes=None)
    assert pick_whole(long_ago, plan=as_new) == ["proof:p"]
    assert pick_whole(long_ago, plan=as_new, wholes_today=1) == []
    # the last step studied today: that proof waits for another day
    today = {**long_ago, "p-2": replace(reviewed(1), last_day=TODAY)}
    assert pick_whole(today) == ["proof:q", "later"]
    assert one_more(WHOLE[:3], today, now=NOW, today=TODAY, end_of_today=END) is None
    # not every step reconstructed: not yet
    failed = {**long_ago, "p-1": reviewed(1, Rating.AGAIN, ok=False)}
    assert pick_whole(failed) == ["p-1", "proof:q", "later"]  # the failed step is due


# -- the due reviews' order, and how long it holds --------------------------------------------

_memories = st.lists(
    st.tuples(
        st.floats(min_value=0.05, max_value=400),  # stability, days
        st.integers(min_value=-2 * 86_400, max_value=60 * 86_400),  # since the last review, s
        st.booleans(),  # reviewed at all (else a memory without a last review)
    ),
    min_size=1,
    max_size=30,
)


def recall(progress: CardProgress) -> float:
    assert progress.memory is not None
    return retrievability(progress.memory, NOW)


def _due_key(memory: Memory | None) -> tuple[bool, float, datetime]:
    """The order among reviews of equal retrievability: fewer whole days over stability last,
    then the earlier due."""
    assert memory is not None
    if memory.last_review is None or memory.stability is None:
        return (False, 0.0, memory.due)
    return (True, -max(0, (NOW - memory.last_review).days) / memory.stability, memory.due)


def _due_cards(memories: list[tuple[float, int, bool]]) -> tuple[list[QueueCard], dict]:  # type: ignore[type-arg]
    cards, progress = [], {}
    for n, (stability, ago, seen) in enumerate(memories):
        last = NOW - timedelta(seconds=ago) if seen else None
        memory = Memory(2, None, stability if seen else None, 5.0, NOW, last)
        cards.append(QueueCard(f"c{n}"))
        progress[f"c{n}"] = CardProgress(memory, True, None)
    return cards, progress


@settings(max_examples=200, deadline=None)
@given(_memories, st.lists(st.integers(min_value=0, max_value=3 * 86_400), max_size=8))
def test_the_due_order_holds_until_the_instant_it_names(
    memories: list[tuple[float, int, bool]], steps: list[int]
) -> None:
    """What `due_order` says holds does hold: at every instant before the change it names, the
    order (and the plan made from it) is the one computed afresh; at that instant, some card
    has gained a whole day since its last review."""
    cards, progress = _due_cards(memories)
    far = END + timedelta(days=10)
    order, until = due_order(cards, progress, now=NOW, today=TODAY, end_of_today=far)
    recalls = [recall(progress[card_id]) for card_id in order]
    assert recalls == sorted(recalls)  # lowest `retrievability` first
    assert sorted(order) == sorted(card.card_id for card in cards)
    for a, b in itertools.pairwise(order):  # and among equals, as documented
        if recall(progress[a]) == recall(progress[b]):
            key = lambda card_id: _due_key(progress[card_id].memory)  # noqa: E731
            assert key(a) <= key(b) or (key(a) == key(b) and a < b)
    reviewed_ones = [p.memory for p in progress.values() if p.memory.last_review is not None]
    if not reviewed_ones:
        assert until is None
        return
    assert until is not None and until > NOW
    for step in steps:
        later = min(NOW + timedelta(seconds=step), until - timedelta(microseconds=1))
        again, _ = due_order(cards, progress, now=later, today=TODAY, end_of_today=far)
        assert again == order
        plan = DayPlan(new=0, reviews=5)
        kept = todays_cards(
            cards, progress, now=later, today=TODAY, end_of_today=far, plan=plan, due=order
        )
        assert kept == todays_cards(
            cards, progress, now=later, today=TODAY, end_of_today=far, plan=plan
        )
    just_before = until - timedelta(microseconds=1)
    days = [(max(0, (NOW - m.last_review).days), m.last_review) for m in reviewed_ones]  # type: ignore[operator]
    assert all(max(0, (just_before - last).days) == n for n, last in days)  # none changed before
    assert any(max(0, (until - last).days) != n for n, last in days)  # and one changes then
