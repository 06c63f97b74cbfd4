"""Today's queue for the desk: which card comes next, kept between cards.

The queue's data is read once a study day and then kept up to date by the desk's own writes
(`begun`, `reviewed`): the study lock makes the desk its learner's only writer, so the next
card after an answer is chosen without reading the queue again (tests/today/test_queue_kept.py
holds its choices equal to a fresh desk's)."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from tutor.held import without
from tutor.store.rows import MemoryState, QueueData
from tutor.study.queue import (
    CardProgress,
    DayPlan,
    QueueCard,
    due_order,
    one_more,
    todays_cards,
)
from tutor.study.schedule import Memory
from tutor.today.days import StudyDays
from tutor.today.place import Place
from tutor.today.shelf import Shelf


class TodaysQueue:
    """The day's plan (`tutor.study.queue`) over the cards of the run's deck files."""

    def __init__(
        self, place: Place, shelf: Shelf, days: StudyDays, plan: DayPlan, retention: float
    ) -> None:
        self.place = place
        self.shelf = shelf
        self.days = days
        self.day_plan = plan
        self.retention = retention
        self._data: tuple[date, QueueData] | None = None
        self._ranks: tuple[tuple[str, ...], dict[str, int]] | None = None
        self._due: _DueKept | None = None
        self._prepared: (
            tuple[
                tuple[QueueData, date, frozenset[str], bool],
                tuple[_Progress, list[QueueCard], QueueData],
            ]
            | None
        ) = None

    def keep(self, day: date, data: QueueData) -> None:
        """`data` is study day `day`'s queue as the database holds it now (read elsewhere)."""
        if day == self.days.today():
            self._data = (day, data)

    def data(
        self, day: date, *, new: bool = True, now: datetime | None = None, every: bool = False
    ) -> QueueData:
        """Study day `day`'s queue data: kept, or read from the store. `new` False: its new
        cards' part may be left unread (`QueueData.complete`). With `now`, only the first
        reviews due in their order may be read (`QueueData.first_due`), kept while they stay
        the first; `every`, or without `now`: every review due."""
        kept = self._data[1] if self._data is not None and self._data[0] == day else None
        stale = False
        if kept is not None:
            first = kept.first_due
            stale = first is not None and (every or now is None or not first.hold(now))
            if not stale and (kept.complete or not new):
                return kept
        self.place.load()
        from tutor.store import queries as q

        _, end = self.days.bounds(day)
        limit = None if every or now is None else self.first_limit()
        with q.reading(self.place.engine, self.place.learner, self.place.held) as reads:
            read = functools.partial(
                q.queue_part,
                reads=reads,
                today=day,
                end_of_today=end,
                paths=self.shelf.scope(),
                now=now,
                limit=limit,
            )
            if kept is not None and stale:  # the reviews read again; the rest is kept current
                fresh = read(new=False)
                kept = dataclasses.replace(kept, due=fresh.due, first_due=fresh.first_due)
            data = read(kept=kept, new=new)
        self.keep(day, data)
        return data

    def first_limit(self) -> int | None:
        """How many of the reviews due the day's plan can take, read in their order: its
        reviews, one more (beyond the plan, or the unfinished card) and one for each card
        held back (None: every review due, for the plan before December 2026)."""
        if self.day_plan.shared:
            return None
        return max(0, self.day_plan.reviews) + 1 + len(self.shelf.held_back())

    def choose(
        self,
        day: date,
        *,
        now: datetime,
        fresh_day: bool = False,
        data: QueueData | None = None,
        extra: bool = False,
        new: bool = True,
    ) -> list[str]:
        """The queue's choice for study day `day` at instant `now` (from `data` when given).
        `extra`: the one card beyond the day's plan (none while the plan has cards left).
        `new` False: from the data kept or read without its new cards where they are unread,
        which gives the plan's first cards, the reviews (a prefix of the whole plan: the new
        cards come after them in every kind of plan)."""
        _, end = self.days.bounds(day)
        if data is None:
            data = self.data(day, new=new or extra, now=now)
        if not self._enough(data, day, now, fresh_day):
            data = self.data(day, new=new or extra or data.complete, now=now, every=True)
        progress, candidates, data = self._prepare(data, day)
        if data.first_due is not None:  # read in their order
            due = list(map(_CARD_ID, data.due))
            if day in map(_LAST_DAY, data.due):  # due again after today's review: not again
                due = [state.card_id for state in data.due if state.last_day != day]
        else:
            due = self._due_order(progress, candidates, day, end, now)
        reviews = 0 if fresh_day else data.repeats_today
        wholes = 0 if fresh_day else data.wholes_today
        chosen = todays_cards(
            candidates,
            progress,
            now=now,
            today=day,
            end_of_today=end,
            plan=self.day_plan,
            new_today=0 if fresh_day else data.done_today - reviews - wholes,
            wholes_today=wholes,
            reviews_today=reviews,
            unfinished=None if fresh_day else data.unfinished,
            desired_retention=self.retention,
            active=_EVERY_CARD,  # prerequisites are stored limited to the active cards
            due=due,
            new_from=len(data.due),  # the candidates: the reviews due, then the new cards
        )
        if not extra:
            return chosen
        if chosen:
            return []  # the plan's cards come first
        more = one_more(
            candidates,
            progress,
            now=now,
            today=day,
            end_of_today=end,
            desired_retention=self.retention,
            active=_EVERY_CARD,
            due=due,
        )
        return [] if more is None else [more]

    def _enough(self, data: QueueData, day: date, now: datetime, fresh_day: bool) -> bool:
        """`data` has every review due, or the first of them read are still the first at `now`
        and more than the plan can take (then the choice among them is the choice among all):
        its limit took the cards held back into account, and each review saved since leaves
        one fewer to take."""
        first = data.first_due
        if first is None:
            return True
        if not first.hold(now):
            return False
        held = self.shelf.held_back()
        if held:
            left = sum(1 for s in data.due if s.last_day != day and s.card_id not in held)
        else:  # counted in C: this is asked before every card
            left = len(data.due) - list(map(_LAST_DAY, data.due)).count(day)
        room = self.day_plan.reviews - (0 if fresh_day else data.repeats_today)
        return left > max(0, room)

    def _due_order(
        self,
        progress: _Progress,
        candidates: list[QueueCard],
        day: date,
        end: datetime,
        now: datetime,
    ) -> list[str]:
        """The due reviews in the order `todays_cards` takes them (`due_order`), kept while it
        holds: for the same prepared candidates and day, until one of the cards gains a whole
        day since its last review (at 800 reviews due, 0.7 ms a choice otherwise)."""
        kept = self._due
        if (
            kept is not None
            and kept.made_of(progress, candidates, day)
            and kept.since <= now
            and (kept.until is None or now < kept.until)
        ):
            return kept.order
        order, until = due_order(candidates, progress, now=now, today=day, end_of_today=end)
        self._due = _DueKept(progress, candidates, day, now, until, order)
        return order

    def _prepare(self, data: QueueData, day: date) -> tuple[_Progress, list[QueueCard], QueueData]:
        """What choosing reads, made from `data` once: the cards' progress, the candidates
        (the reviews due, then the new cards in the order to offer them), and the data less
        the cards held back. Kept with the data it was made from; `reviewed` updates both."""
        held = self.shelf.held_back()
        key = (data, day, held, self.day_plan.graph)
        cached = self._prepared
        if cached is not None and cached[0][0] is data and cached[0][1:] == key[1:]:
            return cached[1]
        data = without(data, held)  # the decks' errors keep these out of study
        due = {  # positional: made for every review due, hundreds of them
            state.card_id: CardProgress(memory_of(state), state.reconstructed, state.last_day)
            for state in data.due
        }
        progress = _Progress(due, data.reconstructed, data.studied_today, day)
        new = data.new
        if self.day_plan.graph and new and data.order:
            # the prerequisite graph's order, stored by the last sync (`sync` makes sure of it)
            rank = self._rank(data.order)
            new = sorted(new, key=lambda row: rank.get(row.card_id, len(rank)))
        candidates = [QueueCard(s.card_id) for s in data.due]
        candidates += [QueueCard(r.card_id, r.requires) for r in new]
        prepared = (progress, candidates, data)
        self._prepared = (key, prepared)
        return prepared

    def _rank(self, order: tuple[str, ...]) -> dict[str, int]:
        """Each card's place in the graph's order, made once for the order kept."""
        if self._ranks is None or self._ranks[0] is not order:
            self._ranks = (order, {card_id: n for n, card_id in enumerate(order)})
        return self._ranks[1]

    def plan(self) -> list[str]:
        """Today's remaining card ids: the unfinished card, the due reviews within their limit,
        then the day's new card (see `tutor.study.queue`)."""
        return self.choose(self.days.today(), now=self.days.now())

    def cards(self) -> Iterator[str]:
        """Today's remaining card ids in `plan`'s order, read as they are needed: the reviews
        first, and the new cards only once those are used up (a day with reviews due shows its
        first card without reading the new cards, thousands of rows at 10,000 cards)."""
        today, now = self.days.today(), self.days.now()
        data = self.data(today, new=False, now=now)
        first = self.choose(today, now=now, data=data)
        yield from first
        if data.complete:
            return  # `first` was the whole plan
        tried = set(first)
        yield from (card_id for card_id in self.plan() if card_id not in tried)

    def one_more_card(self) -> str | None:
        """Once the day's plan is done, the card the learner may take beyond it (None: the
        plan has cards left, or no card is waiting)."""
        more = self.choose(self.days.today(), now=self.days.now(), extra=True)
        return more[0] if more else None

    def next_card_at(self) -> datetime | None:
        """When the next card can be studied: now if today has one left, the start of the next
        study day if a card is waiting for it, else the earliest review due (None: no card is
        waiting at all: every new card lacks its prerequisites, or there are none)."""
        self.place.load()
        from tutor.store import queries as q

        if self.plan():
            return self.days.now()
        today = self.days.today()
        _, end = self.days.bounds(today)
        if self.choose(today + timedelta(days=1), now=end, fresh_day=True):
            return end
        with self.place.session() as session:
            due = q.stats_counts(
                session=session, today=today, end_of_today=end, paths=self.shelf.scope()
            )["next_due"]
        return None if due is None else max(due, end)

    def forget(self) -> None:
        """Read today's queue from the store at its next use (after an undo, a sync)."""
        self._data = None

    def begun(self, card_id: str) -> None:
        """The card under study has its progress saved: it is the unfinished one."""
        if self._data is not None:
            day, data = self._data
            self._data = (day, dataclasses.replace(data, unfinished=card_id))
            self._carry(data, self._data[1], None)

    def reviewed(self, state: MemoryState, first: bool, whole: bool) -> None:
        """A review was saved today: what `queue_data` would now read, without reading it (a
        whole proof's is read again: its first day's sittings are counted apart)."""
        cached = self._data
        if cached is None or cached[0] != state.last_day or whole:
            self._data = None
            return
        day, data = cached
        _, end = self.days.bounds(day)
        due = _without(data.due, state.card_id, _CARD_ID)
        if state.due < end:
            due.append(state)
        self._data = (
            day,
            dataclasses.replace(
                data,
                due=due,
                # a card reviewed before was not new: the new cards stay as they were
                new=_without(data.new, state.card_id, _CARD_ID) if first else data.new,
                reconstructed=data.reconstructed | {state.card_id}
                if state.reconstructed
                else data.reconstructed,
                unfinished=None,
                done_today=data.done_today + 1,
                repeats_today=data.repeats_today + (0 if first else 1),
                studied_today=data.studied_today | {state.card_id},
            ),
        )
        self._carry(data, self._data[1], state)

    def _carry(self, old: QueueData, new: QueueData, reviewed: MemoryState | None) -> None:
        """What `_prepare` made of `old`, made of `new` without starting over: `new` is `old`
        with the card `reviewed` reviewed today (None: only the unfinished card changed).
        Equal to what `_prepare(new)` would make (tests/today/test_queue_kept.py)."""
        cached = self._prepared
        if cached is None or cached[0][0] is not old:
            return
        (_, day, held, graph), (progress, candidates, kept) = cached
        data = without(new, held)
        if reviewed is not None:
            # `reviewed` made `new.due` of `old.due` less the card, with the card last if it is
            # due again today: the candidates' reviews are made of the kept ones alike
            card_id = reviewed.card_id
            due = dict(progress.due)
            due.pop(card_id, None)
            again = bool(data.due) and data.due[-1].card_id == card_id
            if again:
                due[card_id] = CardProgress(
                    memory_of(reviewed), reviewed.reconstructed, reviewed.last_day
                )
            old_progress, old_candidates = progress, candidates
            progress = _Progress(due, data.reconstructed, data.studied_today, day)
            fresh = candidates[len(kept.due) :]
            candidates = _without(candidates[: len(kept.due)], card_id, _CARD_ID)
            if again:
                candidates.append(QueueCard(card_id))
            if len(data.new) == len(kept.new):
                candidates += fresh  # the card was not a new one
            else:
                candidates += _without(fresh, card_id, _CARD_ID)
            order = self._due
            if (
                order is not None
                and order.made_of(old_progress, old_candidates, day)
                and reviewed.last_day == day
            ):
                # reviewed today, the card is not due again today; the others keep their order
                self._due = dataclasses.replace(
                    order,
                    progress=progress,
                    candidates=candidates,
                    order=_without(order.order, card_id),
                )
        self._prepared = ((new, day, held, graph), (progress, candidates, data))


@dataclasses.dataclass(frozen=True)
class _DueKept:
    """The due reviews' order (`due_order`) computed at `since` for the candidates and
    progress prepared for study day `day`, which holds until `until` (None: for good)."""

    progress: _Progress
    candidates: list[QueueCard]
    day: date
    since: datetime
    until: datetime | None
    order: list[str]

    def made_of(self, progress: _Progress, candidates: list[QueueCard], day: date) -> bool:
        """It was computed from these prepared candidates (the very objects) for `day`."""
        return self.progress is progress and self.candidates is candidates and self.day == day


class _EveryCard(Container[str]):
    def __contains__(self, card_id: object) -> bool:
        return True


_EVERY_CARD = _EveryCard()
_LAST_DAY = operator.attrgetter("last_day")
_CARD_ID = operator.attrgetter("card_id")

T = TypeVar("T")


def _without(items: Sequence[T], card_id: str, key: Callable[[T], str] | None = None) -> list[T]:
    """`items` less those whose `key` (None: the item itself) is `card_id`, in their order: found
    by C's own loops (hundreds of reviews due, before every card), one card at most mostly."""
    keys: list[Any] = list(items) if key is None else list(map(key, items))
    count = keys.count(card_id)
    if count == 0:
        return list(items)
    if count == 1:
        at = keys.index(card_id)
        return [*items[:at], *items[at + 1 :]]
    return [item for item, found in zip(items, keys, strict=True) if found != card_id]


class _Progress(Mapping[str, CardProgress]):
    """The queue's view of progress: the due cards' memory, and for the rest only whether they
    were reconstructed (one shared value, not one object per card)."""

    _RECONSTRUCTED = CardProgress(reconstructed=True)

    def __init__(
        self,
        due: dict[str, CardProgress],
        reconstructed: frozenset[str],
        studied: frozenset[str] = frozenset(),
        today: date | None = None,
    ) -> None:
        """`studied`: cards (whole proofs' steps) whose last review was on `today`."""
        self.due = due
        self._reconstructed = reconstructed
        self._studied = studied
        self._today = today

    def __getitem__(self, card_id: str) -> CardProgress:
        found = self.get(card_id)
        if found is None:
            raise KeyError(card_id)
        return found  # type: ignore[no-any-return]

    def get(self, card_id: str, default: Any = None) -> Any:  # no exception per new card
        found = self.due.get(card_id)
        if found is not None:
            return found
        if card_id in self._studied:
            return CardProgress(reconstructed=card_id in self._reconstructed, last_day=self._today)
        if card_id in self._reconstructed:
            return self._RECONSTRUCTED
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(self.due.keys() | self._reconstructed | self._studied)

    def __len__(self) -> int:
        return len(self.due.keys() | self._reconstructed | self._studied)


def memory_of(state: MemoryState) -> Memory:
    """The scheduler's view of a stored memory state (made for every review due: positional)."""
    return Memory(
        state.state, state.step, state.stability, state.difficulty, state.due, state.last_review
    )
