"""Deck sync: content is the source of truth for text, the database for progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from tutor.store.models import CardRow, MetaRow
from tutor.store.queries import (
    META_DECK_SET_HASH,
    SyncReport,
    active_cards,
    deck_set_hash,
    memory_states,
    reviews_for,
    save_review,
    sync_cards,
)

from .conftest import T0, memory_of, review_of, snapshot

T1 = T0 + timedelta(days=1)
T2 = T0 + timedelta(days=2)


def test_new_cards_are_added_in_deck_order(session: Session) -> None:
    report = sync_cards(session=session, cards=[snapshot("b", 1), snapshot("a", 0)], now=T0)
    assert report == SyncReport(added=("b", "a"))
    rows = active_cards(session=session)
    assert [(r.id, r.position, r.retired, r.added_at) for r in rows] == [
        ("a", 0, False, T0),
        ("b", 1, False, T0),
    ]


def test_unchanged_deck_set_is_skipped_and_order_does_not_matter(session: Session) -> None:
    cards = [snapshot("a", 0), snapshot("b", 1)]
    sync_cards(session=session, cards=cards, now=T0)
    assert sync_cards(session=session, cards=cards[::-1], now=T1) == SyncReport(skipped=True)
    stored = session.get(MetaRow, META_DECK_SET_HASH)
    assert stored is not None and stored.value == deck_set_hash(cards)


def test_an_edited_card_keeps_its_history(session: Session) -> None:
    sync_cards(session=session, cards=[snapshot("a", 0), snapshot("b", 1)], now=T0)
    save_review(session=session, review=review_of("a"), memory=memory_of("a"), attempts=[])
    edited = [snapshot("a", 0, text="v2"), snapshot("b", 1)]
    report = sync_cards(session=session, cards=edited, now=T1)
    assert report == SyncReport(updated=("a",))
    row = session.get(CardRow, "a")
    assert row is not None
    assert row.content_hash == "hash-a-v2" and row.added_at == T0 and not row.retired
    assert [r.final_answer for r in reviews_for(session=session, card_id="a")] == ["answer 0"]
    assert set(memory_states(session=session)) == {"a"}


def test_a_moved_card_is_updated(session: Session) -> None:
    sync_cards(session=session, cards=[snapshot("a", 0), snapshot("b", 1)], now=T0)
    moved = [snapshot("b", 0), snapshot("a", 1, deck="other")]
    assert sync_cards(session=session, cards=moved, now=T1) == SyncReport(updated=("b", "a"))
    assert [(r.id, r.path) for r in active_cards(session=session)] == [
        ("b", "decks/d.md"),
        ("a", "decks/other.md"),
    ]


def test_a_removed_card_is_retired_with_its_history_and_revived_later(session: Session) -> None:
    sync_cards(session=session, cards=[snapshot("a", 0), snapshot("b", 1)], now=T0)
    save_review(session=session, review=review_of("b"), memory=memory_of("b"), attempts=[])

    report = sync_cards(session=session, cards=[snapshot("a", 0)], now=T1)
    assert report == SyncReport(retired=("b",))
    row = session.get(CardRow, "b")
    assert row is not None and row.retired and row.retired_at == T1
    assert [r.id for r in active_cards(session=session)] == ["a"]
    assert memory_states(session=session) == {}  # only active cards are scheduled
    assert len(reviews_for(session=session, card_id="b")) == 1  # history kept

    # a second sync without it does not retire it again
    assert sync_cards(session=session, cards=[snapshot("a", 0), snapshot("c", 2)], now=T2) == (
        SyncReport(added=("c",))
    )
    again = session.get(CardRow, "b")
    assert again is not None and again.retired_at == T1

    report = sync_cards(
        session=session, cards=[snapshot("a", 0), snapshot("b", 1, text="v2")], now=T2
    )
    assert report == SyncReport(retired=("c",), revived=("b",))
    revived = session.get(CardRow, "b")
    assert revived is not None
    assert (revived.retired, revived.retired_at, revived.content_hash) == (False, None, "hash-b-v2")
    assert set(memory_states(session=session)) == {"b"}
    assert len(reviews_for(session=session, card_id="b")) == 1


def test_the_order_new_cards_follow_is_stored_with_the_deck_set(session: Session) -> None:
    from dataclasses import replace

    from tutor.store.queries import card_order_kept, queue_data
    from tutor.store.rows import META_CARD_ORDER

    a, b, c = snapshot("a", 0), snapshot("b", 1), replace(snapshot("c", 2), requires=("a",))
    sync_cards(session=session, cards=[a, b, c], now=T0)
    order = queue_data(session=session, today=T0.date(), end_of_today=T1).order
    assert order == ("a", "c", "b") and card_order_kept(session=session)
    # a card edited to stand on another: the order follows at once
    sync_cards(session=session, cards=[a, replace(b, requires=("c",)), c], now=T1)
    assert queue_data(session=session, today=T0.date(), end_of_today=T1).order == ("a", "c", "b")
    sync_cards(session=session, cards=[a, b, replace(c, requires=())], now=T1)
    assert queue_data(session=session, today=T0.date(), end_of_today=T1).order == ("a", "b", "c")
    # a database synced by an earlier release has none: not used, and the next sync stores it
    session.delete(session.get(MetaRow, META_CARD_ORDER))
    session.commit()
    assert not card_order_kept(session=session)
    assert queue_data(session=session, today=T0.date(), end_of_today=T1).order == ()
    assert not sync_cards(session=session, cards=[a, b, replace(c, requires=())], now=T2).skipped
    assert card_order_kept(session=session)


def test_duplicate_ids_are_refused_and_nothing_is_written(session: Session) -> None:
    with pytest.raises(ValueError, match="duplicate card ids in the deck set: a"):
        sync_cards(session=session, cards=[snapshot("a", 0), snapshot("a", 1)], now=T0)
    assert active_cards(session=session) == []
    assert session.get(MetaRow, META_DECK_SET_HASH) is None


def test_ten_thousand_cards_sync_in_one_go(session: Session) -> None:
    cards = [snapshot(f"c{n:05d}", n) for n in range(10_000)]
    report = sync_cards(session=session, cards=cards, now=T0)
    assert len(report.added) == 10_000
    assert sync_cards(session=session, cards=cards, now=T1).skipped
    fewer = sync_cards(session=session, cards=cards[:9_000], now=T1)
    assert len(fewer.retired) == 1_000 and fewer.retired[0] == "c09000"
