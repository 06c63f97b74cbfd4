from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tutor.study.queue import CardProgress, QueueCard, next_due, todays_cards
from tutor.study.schedule import Rating, review

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


def pick(progress: dict[str, CardProgress], limit: int = 1, **kw: object) -> list[str]:
    return todays_cards(CARDS, progress, now=NOW, today=TODAY, end_of_today=END, limit=limit, **kw)  # type: ignore[arg-type]


def reviewed(days_ago: int, rating: Rating = Rating.GOOD, ok: bool = True) -> CardProgress:
    at = NOW - timedelta(days=days_ago)
    return CardProgress(review(None, rating, at, fuzz=False), ok, (at - timedelta(hours=4)).date())


def test_new_cards_in_deck_order_once_prerequisites_are_reconstructed() -> None:
    assert pick({}, limit=10) == ["power-set", "other-deck-card"]
    progress = {"power-set": reviewed(1)}
    assert pick(progress, limit=10)[-2:] == ["sigma-algebra", "other-deck-card"]
    progress["power-set"] = reviewed(1, Rating.AGAIN, ok=False)
    assert "sigma-algebra" not in pick(progress, limit=10)


def test_unfinished_card_comes_first_even_when_the_day_is_full() -> None:
    progress = {"power-set": reviewed(5)}
    assert pick(progress, unfinished="measure") == ["measure"]
    assert pick(progress, unfinished="measure", done_today=1) == ["measure"]
    assert pick(progress, done_today=1) == []
    assert pick(progress, unfinished="gone-from-decks") == ["power-set"]


def test_due_reviews_by_lowest_retrievability_before_new_cards() -> None:
    progress = {"power-set": reviewed(3), "sigma-algebra": reviewed(30)}
    assert pick(progress, limit=3) == ["sigma-algebra", "power-set", "measure"]


def test_a_card_reviewed_today_or_not_yet_due_is_not_offered() -> None:
    fresh = review(None, Rating.GOOD, NOW, fuzz=False)
    progress = {"power-set": CardProgress(fresh, True, TODAY)}
    assert pick(progress, limit=5) == ["sigma-algebra", "other-deck-card"]
    assert next_due(CARDS, progress) == NOW + timedelta(days=2)
    assert next_due(CARDS, {}) is None


def test_proof_steps_come_in_order() -> None:
    # reviewed yesterday and rated Good: due in two days, so not today
    progress = {c: reviewed(1) for c in ("power-set", "sigma-algebra", "measure")}
    assert pick(progress, limit=5) == ["proof-1", "other-deck-card"]
    progress["proof-1"] = reviewed(1)
    assert pick(progress, limit=5) == ["proof-2", "other-deck-card"]


def test_candidates_only_with_the_active_ids_give_the_same_choice() -> None:
    """The store hands over only the due and new cards; prerequisites are judged against every
    active card, so a prerequisite missing from the candidates is not taken as met."""
    cards = [QueueCard("a"), QueueCard("b", ("a",)), QueueCard("c", ("gone",))]
    progress = {"a": CardProgress(memory=None, reconstructed=False)}
    kwargs = {"now": NOW, "today": TODAY, "end_of_today": END, "limit": 1}
    only_new = [cards[1], cards[2]]
    assert todays_cards(only_new, progress, active={"a", "b", "c"}, **kwargs) == ["c"]
    assert todays_cards(only_new, progress, **kwargs) == ["b"]  # without: 'a' looks retired
