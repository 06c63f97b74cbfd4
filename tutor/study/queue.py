"""Which cards today. A study day plans new cards and reviews with separate limits, so that
reviews never starve new material (design.md, December 2026):

1. the unfinished card, whatever the day's counts (a card begun is always finished);
2. due reviews, the most likely forgotten first (lowest retrievability), while fewer than
   `DayPlan.reviews` were done today; the others wait for a later day;
3. a whole proof that waits for its first sitting (`tutor.study.proof`: every step of the proof
   reconstructed), at most `DayPlan.wholes` (default 1) a day, apart from the new cards: it is
   the rebuilding of what the learner has met, not new material, and it never takes the day's
   new card (bench/pace.py, `WHOLE_PROOF_WHY`, says why);
4. the day's new card (`DayPlan.new`, default 1), while fewer were introduced today: the first,
   in the prerequisite graph's order (`graph_order`), whose prerequisites have all been
   reconstructed successfully at least once.

Reviews come first, as before: they refresh what the new card may stand on, and a review that
succeeds today can unlock today's new card. Once the plan is done the learner may take one more
card (`one_more`): the review the limit left out that is most likely forgotten, else the next
new card.

`DayPlan.before_december_2026()` is the policy this replaced (one limit for new cards and
reviews together, reviews first, new cards in file order), kept so that `bench/pace.py` can show
the two side by side; no setting reaches it."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from tutor.study.proof import is_proof_card
from tutor.study.schedule import Memory


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


REVIEWS_PER_DAY = 10
"""The default limit of reviews a day (`reviews_per_day`), chosen with bench/pace.py: see
there."""


@dataclass(frozen=True)
class DayPlan:
    """How many cards a study day plans, and in which order new cards come."""

    new: int = 1
    """New cards a day."""
    reviews: int = REVIEWS_PER_DAY
    """Reviews a day, the most likely forgotten first."""
    graph: bool = True
    """New cards in the prerequisite graph's order (`graph_order`); False: in file order."""
    shared: bool = False
    """One limit, `new`, for new cards and reviews together, reviews first: the plan before
    December 2026 (`reviews` and `wholes` are then unused)."""
    wholes: int | None = 1
    """Whole proofs a day at their first sitting, apart from `new`. None: a whole proof is a new
    card like any other, within `new` (what bench/pace.py compares it with)."""

    @classmethod
    def before_december_2026(cls, limit: int = 1) -> DayPlan:
        """`limit` cards a day, reviews first, then new cards in file order."""
        return cls(new=limit, reviews=0, graph=False, shared=True, wholes=None)


def graph_order(cards: Sequence[QueueCard]) -> list[str]:
    """The order new cards are offered in: a depth-first walk of the prerequisite graph across
    files, so that a card comes right after the last of the cards it builds on (a proof's first
    step right after its prerequisites, then its next steps), not after every card of the files
    that sort before it. `cards` come in file order, which breaks ties: the first card without
    prerequisites starts the walk, and of the cards a card completes, the first in file order
    comes first. Prerequisites that are not among `cards` are ignored; cards in a cycle (which
    the linter refuses) come last, in file order. The store keeps it from one sync to the next
    (`tutor.store.rows.META_CARD_ORDER`)."""
    index = {card.card_id: n for n, card in enumerate(cards)}
    waiting = [0] * len(cards)  # prerequisites not placed yet
    dependants: dict[int, list[int]] = {}
    for n, card in enumerate(cards):
        if card.requires:
            needs = {index.get(r, n) for r in card.requires}
            needs.discard(n)  # unknown ids, and the card itself
            waiting[n] = len(needs)
            for m in needs:
                dependants.setdefault(m, []).append(n)
    stack = [n for n in range(len(cards) - 1, -1, -1) if not waiting[n]]
    order: list[int] = []
    while stack:
        n = stack.pop()
        order.append(n)
        for m in reversed(dependants.get(n, ())):
            waiting[m] -= 1
            if not waiting[m]:
                stack.append(m)
    if len(order) < len(cards):
        order += [n for n in range(len(cards)) if waiting[n] > 0]
    return [cards[n].card_id for n in order]


def todays_cards(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    *,
    now: datetime,
    today: date,
    end_of_today: datetime,
    plan: DayPlan | None = None,
    new_today: int = 0,
    reviews_today: int = 0,
    unfinished: str | None = None,
    desired_retention: float = 0.9,
    active: Container[str] | None = None,
    wholes_today: int = 0,
    due: Sequence[str] | None = None,
    new_from: int = 0,
) -> list[str]:
    """Today's remaining card ids, in the order to study them, `cards` being the active cards
    with new cards in the order to offer them; new cards are looked for from `cards[new_from]`
    on (a caller whose `cards` are the reviews due, then the new cards, says where the new
    begin: a card before them has been reviewed, and is never new). `new_today`,
    `wholes_today` and `reviews_today` count the new cards, the whole proofs at their first
    sitting and the reviews (of cards seen before) done today; a card reviewed today is not
    offered again.

    `cards` may be only the candidates (the reviews due and the new cards) when `active` gives
    the ids of every active card: prerequisites outside it are ignored, those inside it count
    as met when `progress` says they were reconstructed. `due`: the order `due_order` gives
    for these arguments, when the caller kept it."""
    plan = plan or DayPlan()
    if active is None:
        active = {card.card_id for card in cards}
    chosen: list[str] = []
    apart = plan.wholes is not None and not plan.shared
    # a whole proof's first sitting is a new card of the day unless whole proofs come apart
    new_room = plan.new - new_today - (0 if apart else wholes_today)
    whole_room = (plan.wholes or 0) - wholes_today
    review_room = plan.reviews - reviews_today
    if unfinished is not None and unfinished in active:
        chosen.append(unfinished)
        state = progress.get(unfinished)
        if state is not None and state.memory is not None:
            review_room -= 1
        elif apart and is_proof_card(unfinished):
            whole_room -= 1
        else:
            new_room -= 1
    if due is None:
        due = _due(cards, progress, now, today, end_of_today, desired_retention, chosen)
    elif chosen:
        due = [card_id for card_id in due if card_id not in chosen]
    if plan.shared:
        new = _new(cards, progress, active, chosen, today, start=new_from)
        room = plan.new - new_today - wholes_today - reviews_today - len(chosen)
        return chosen + [*due, *islice(new, max(0, room))][: max(0, room)]
    if not apart:
        new = _new(cards, progress, active, chosen, today, start=new_from)
        return [*chosen, *due[: max(0, review_room)], *islice(new, max(0, new_room))]
    # a few, one a proof; among the new cards alone (a card before them has been reviewed)
    wholes = [card for card in islice(cards, new_from, None) if is_proof_card(card.card_id)]
    fresh = (
        c for c in _new(cards, progress, active, chosen, start=new_from) if not is_proof_card(c)
    )
    return [
        *chosen,
        *due[: max(0, review_room)],
        *islice(_new(wholes, progress, active, chosen, today), max(0, whole_room)),
        *islice(fresh, max(0, new_room)),
    ]


def one_more(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    *,
    now: datetime,
    today: date,
    end_of_today: datetime,
    desired_retention: float = 0.9,
    active: Container[str] | None = None,
    due: Sequence[str] | None = None,
) -> str | None:
    """One card beyond the day's plan: the due review most likely forgotten (one the review
    limit left out), else the next new card whose prerequisites are reconstructed (None:
    nothing is waiting). `due`: as for `todays_cards`."""
    if active is None:
        active = {card.card_id for card in cards}
    if due is None:
        due = _due(cards, progress, now, today, end_of_today, desired_retention, ())
    if due:
        return due[0]
    return next(_new(cards, progress, active, (), today), None)


def _due(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    now: datetime,
    today: date,
    end_of_today: datetime,
    desired_retention: float,
    skip: Sequence[str],
) -> list[str]:
    """The reviews due by the end of today and not done today, lowest retrievability first."""
    order, _ = due_order(cards, progress, now=now, today=today, end_of_today=end_of_today)
    return [card_id for card_id in order if card_id not in skip] if skip else order


def due_order(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    *,
    now: datetime,
    today: date,
    end_of_today: datetime,
) -> tuple[list[str], datetime | None]:
    """The reviews due by the end of today and not done today, lowest retrievability first,
    and the first instant after `now` at which that order may change (None: never).

    Retrievability falls as the whole days since a card's last review grow against its
    stability, on every forgetting curve FSRS has: so the order is by `elapsed` (whole days
    over stability) alone, largest first, never-reviewed cards (retrievability 0) before all,
    ties by the earlier due and then the card's id. The store sorts the same way in SQL
    (`tutor.store.reads`), to read only a day's first reviews. Retrievability counts whole
    days, so the order holds until one of the cards gains a day: a caller choosing often
    keeps it till then (`tutor.today.queue`), instead of ordering hundreds of cards a card."""
    due: list[tuple[bool, float, datetime, str]] = []
    wait: int | None = None  # microseconds from `now` to the first change
    get = progress.get
    for card in cards:
        state = get(card.card_id)
        if state is None or (memory := state.memory) is None:
            continue
        if state.last_day == today or memory.due >= end_of_today:
            continue
        last, stability = memory.last_review, memory.stability
        if last is None or stability is None:
            due.append((False, 0.0, memory.due, card.card_id))  # retrievability 0: first
            continue
        since = now - last
        due.append((True, -elapsed(since.days, stability), memory.due, card.card_id))
        # the next whole day since the last review (the first, if that is still to come)
        into = since.seconds * 1_000_000 + since.microseconds
        left = _DAY - into if since.days >= 0 else _DAY - (since.days * _DAY + into)
        if wait is None or left < wait:
            wait = left
    changes = None if wait is None else now + timedelta(microseconds=wait)
    return [key[3] for key in sorted(due)], changes


def elapsed(days: int, stability: float) -> float:
    """What a review's retrievability falls with: the whole `days` since it (none if
    negative) over its `stability` (`recall_after` is decreasing in it)."""
    return max(0, days) / stability


_DAY = 86_400_000_000
"""A day in microseconds."""


def _new(
    cards: Sequence[QueueCard],
    progress: Mapping[str, CardProgress],
    active: Container[str],
    skip: Sequence[str],
    today: date | None = None,
    *,
    start: int = 0,
) -> Iterator[str]:
    """The new cards whose prerequisites have all been reconstructed, in the order given, from
    `cards[start]` on. A whole proof also waits for a study day (`today`) on which none of its
    steps was studied: its first sitting is never minutes after its last step was learned."""
    for card in islice(cards, start, None):
        state = progress.get(card.card_id)
        if card.card_id in skip or (state is not None and state.memory is not None):
            continue
        prerequisites = (progress.get(r, CardProgress()) for r in card.requires if r in active)
        if not all(p.reconstructed for p in prerequisites):
            continue
        if today is not None and is_proof_card(card.card_id) and _studied_on(card, progress, today):
            continue
        yield card.card_id


def _studied_on(card: QueueCard, progress: Mapping[str, CardProgress], day: date) -> bool:
    """One of the card's prerequisites was last studied on `day`."""
    return any(
        (state := progress.get(r)) is not None and state.last_day == day for r in card.requires
    )


def next_due(cards: Sequence[QueueCard], progress: Mapping[str, CardProgress]) -> datetime | None:
    """When the earliest review of an active card falls due (None: no card has been reviewed)."""
    dues = [
        state.memory.due
        for card in cards
        if (state := progress.get(card.card_id)) is not None and state.memory is not None
    ]
    return min(dues, default=None)
