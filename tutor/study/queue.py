"""Which cards today: the unfinished card first, then due reviews by lowest retrievability,
then new cards whose prerequisites have all been reconstructed successfully, in deck order
(proof steps in order, since each requires the one before it)."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tutor.study.schedule import Memory, retrievability


@dataclass(frozen=True)
class QueueCard:
    card_id: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class CardProgress:
    memory: Memory | None = None
    reconstructed: bool = False
    """Reconstructed successfully at least once."""
    last_day: date | None = None
    """The study day of its last review."""


def todays_cards(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    *,
    now: datetime,
    today: date,
    end_of_today: datetime,
    limit: int,
    done_today: int = 0,
    unfinished: str | None = None,
    desired_retention: float = 0.9,
    active: Container[str] | None = None,
) -> list[str]:
    """Up to `limit - done_today` card ids for today, `cards` being the active cards in deck
    order. A card reviewed today is not offered again.

    `cards` may be only the candidates (the reviews due and the new cards) when `active` gives
    the ids of every active card: prerequisites outside it are ignored, those inside it count
    as met when `progress` says they were reconstructed."""
    room = max(0, limit - done_today)
    if active is None:
        active = {card.card_id for card in cards}
    chosen: list[str] = []
    if unfinished is not None and unfinished in active:
        chosen.append(unfinished)
        room = max(room, 1)  # a card begun is always finished, whatever the day's count
    if room == 0:
        return []
    due: list[tuple[float, int, str]] = []
    for order, card in enumerate(cards):
        state = progress.get(card.card_id)
        if state is None or state.memory is None or card.card_id in chosen:
            continue
        if state.last_day == today or state.memory.due >= end_of_today:
            continue
        recall = retrievability(state.memory, now, desired_retention=desired_retention)
        due.append((recall, order, card.card_id))
    chosen += [card_id for _, _, card_id in sorted(due)]
    for card in cards:
        if len(chosen) >= room:
            break
        state = progress.get(card.card_id)
        if card.card_id in chosen or (state is not None and state.memory is not None):
            continue
        prerequisites = (progress.get(r, CardProgress()) for r in card.requires if r in active)
        if all(p.reconstructed for p in prerequisites):
            chosen.append(card.card_id)
    return chosen[:room]


def next_due(cards: Sequence[QueueCard], progress: Mapping[str, CardProgress]) -> datetime | None:
    """When the earliest review of an active card falls due (None: no card has been reviewed)."""
    dues = [
        state.memory.due
        for card in cards
        if (state := progress.get(card.card_id)) is not None and state.memory is not None
    ]
    return min(dues, default=None)
