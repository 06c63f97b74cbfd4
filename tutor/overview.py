"""What the learner's progress looks like, for any front end: the history of study days, the
reviews due ahead, the decks with how far along each card is, and a card's preview.

    history(desk, days=365)        # every study day of the past year, zeros included
    forecast(desk, days=14)        # reviews due on each of the next fourteen study days
    deck_summaries(desk)           # each deck: cards, new, due today, reconstructed
    deck_cards(desk, deck_id)      # each card of a deck: status, due day, run
    card_preview(desk, card_id)    # prompt and counts; the answer kept for when it is asked

Plain values only, read in a few queries (one for every card's standing, however many cards);
study days follow the desk's clock, time zone and `day_starts_at`. The deck text is rendered
for the terminal with its control characters removed. Importing this module loads neither
SQLAlchemy nor the deck parser: they come with the first call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tutor.check.clean import strip_controls
from tutor.study.days import study_day

if TYPE_CHECKING:
    from tutor.deck.model import Card, Deck
    from tutor.store.queries import CardStanding
    from tutor.study.stats import Stats
    from tutor.today import Desk


# -- the past: study days ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyDay:
    """One study day's reviews, and how many of them were reconstructions."""

    day: date
    reviews: int = 0
    successes: int = 0


@dataclass(frozen=True)
class History:
    """Every study day from `first` to `last` (today), oldest first, days without reviews
    included."""

    first: date
    last: date
    days: tuple[StudyDay, ...]

    @property
    def reviews(self) -> int:
        return sum(d.reviews for d in self.days)

    @property
    def successes(self) -> int:
        return sum(d.successes for d in self.days)

    @property
    def days_studied(self) -> int:
        return sum(1 for d in self.days if d.reviews)

    @property
    def days_reconstructed(self) -> int:
        """Days with at least one reconstruction: the days streaks are made of."""
        return sum(1 for d in self.days if d.successes)

    def recent(self, days: int) -> History:
        """The last `days` days of this history."""
        kept = self.days[-days:] if days > 0 else ()
        return History(kept[0].day if kept else self.last, self.last, tuple(kept))

    def on(self, day: date) -> StudyDay:
        index = (day - self.first).days
        if 0 <= index < len(self.days):
            return self.days[index]
        return StudyDay(day)


def history(desk: Desk, days: int = 365) -> History:
    """The last `days` study days, today included."""

    from tutor.store.queries import study_day_counts

    if days < 1:
        raise ValueError("a history has at least one day")
    last = desk.today()
    first = last - timedelta(days=days - 1)
    with desk.session() as session:
        rows = study_day_counts(session=session, first=first, last=last)
    found = {row.day: StudyDay(row.day, row.reviews, row.successes) for row in rows}
    every = (first + timedelta(days=n) for n in range(days))
    return History(first, last, tuple(found.get(day) or StudyDay(day) for day in every))


# -- the future: reviews due -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueDay:
    """How many reviews fall due on a study day (for today: the overdue ones too)."""

    day: date
    due: int


def forecast(desk: Desk, days: int = 14) -> list[DueDay]:
    """The reviews due on each of the next `days` study days, today first. New cards are not
    counted: they are not due, they wait for their turn."""

    from tutor.store.queries import due_counts

    if days < 1:
        raise ValueError("a forecast has at least one day")
    today = desk.today()
    every = [today + timedelta(days=n) for n in range(days)]
    with desk.session() as session:
        ends = [desk.day_bounds(day)[1] for day in every]
        counts = due_counts(session=session, ends=ends, paths=desk.scope())
    return [DueDay(day, count) for day, count in zip(every, counts, strict=True)]


@dataclass(frozen=True)
class StatsOverview:
    """Everything the stats screen shows, read in one go."""

    today: date
    stats: Stats
    history: History
    forecast: list[DueDay]

    @property
    def reconstructed_today(self) -> bool:
        return self.history.on(self.today).successes > 0


def stats_overview(desk: Desk, *, days: int = 365, ahead: int = 14) -> StatsOverview:
    return StatsOverview(
        today=desk.today(),
        stats=desk.stats(),
        history=history(desk, days),
        forecast=forecast(desk, ahead),
    )


# -- the decks ---------------------------------------------------------------------------------


class CardStatus(StrEnum):
    """Where a card stands, in the learner's words."""

    NEW = "new"  # never reviewed
    LEARNING = "learning"  # reviewed, never reconstructed yet
    RELEARNING = "relearning"  # reconstructed before, not at its last review
    REVIEW = "review"  # reconstructed at its last review
    UNSYNCED = "not synced"  # in a deck file the store has not taken in (it has errors)


@dataclass(frozen=True, slots=True)
class CardOverview:
    """One card of a deck as the browser lists it."""

    card_id: str
    title: str
    kind: str
    position: int
    status: CardStatus
    due: datetime | None
    due_day: date | None
    """The study day the card is due on (None: new, or not synced)."""
    due_now: bool
    """Due by the end of today (overdue included)."""
    run: int
    """Successful reconstructions in a row, up to the last review."""
    last_day: date | None


@dataclass(frozen=True, slots=True)
class DeckSummary:
    deck_id: str
    title: str
    is_proof: bool
    cards: int
    new: int
    due: int
    """Cards due by the end of today."""
    reconstructed: int
    """Cards reconstructed successfully at least once."""
    problems: int
    """Errors the linter found in the deck's file (its cards with problems are skipped)."""


def deck_summaries(desk: Desk) -> list[DeckSummary]:
    """Every deck and proof in the decks' order, with its cards' counts: one query for the
    standing of every card."""
    from pathlib import Path

    from tutor.store.queries import card_standings

    collection = desk.collection()
    with desk.session() as session:
        standings = card_standings(session=session, paths=desk.scope())
    _, end = desk.day_bounds(desk.today())
    errors: dict[str, int] = {}
    for problem in collection.errors:
        key = str(Path(problem.path).resolve())
        errors[key] = errors.get(key, 0) + 1
    summaries = []
    for deck in collection.decks:
        new = due = reconstructed = 0
        for card in deck.cards:
            standing = standings.get(card.id)
            if standing is None:
                continue
            if standing.due is None:
                new += 1
                continue
            due += int(standing.due < end)
            reconstructed += int(standing.reconstructed)
        summaries.append(
            DeckSummary(
                deck_id=deck.id,
                title=_title(deck.title, deck.id),
                is_proof=deck.is_proof,
                cards=len(deck.cards),
                new=new,
                due=due,
                reconstructed=reconstructed,
                problems=errors.get(str(Path(deck.path).resolve()), 0),
            )
        )
    return summaries


def deck_cards(desk: Desk, deck_id: str) -> list[CardOverview]:
    """The cards of one deck in their order, each with where it stands (empty: no such deck)."""

    from tutor.store.queries import card_standings

    deck = _deck(desk, deck_id)
    if deck is None:
        return []
    with desk.session() as session:
        standings = card_standings(session=session, deck_id=deck_id, paths=desk.scope())
    end = desk.day_bounds(desk.today())[1]
    return [_card_overview(desk, card, standings.get(card.id), end) for card in deck.cards]


def _card_overview(
    desk: Desk, card: Card, standing: CardStanding | None, end_of_today: datetime
) -> CardOverview:
    due = standing.due if standing is not None else None
    due_day = None if due is None else study_day(due, desk.zone, desk.settings.day_starts_at)
    return CardOverview(
        card_id=strip_controls(card.id),
        title=_title(card.title, card.id),
        kind=strip_controls(card.kind),
        position=card.position,
        status=_status(standing),
        due=due,
        due_day=due_day,
        due_now=due is not None and due < end_of_today,
        run=standing.run if standing is not None else 0,
        last_day=standing.last_day if standing is not None else None,
    )


def _status(standing: CardStanding | None) -> CardStatus:
    if standing is None:
        return CardStatus.UNSYNCED
    if standing.due is None:
        return CardStatus.NEW
    if standing.run > 0:
        return CardStatus.REVIEW
    return CardStatus.RELEARNING if standing.reconstructed else CardStatus.LEARNING


# -- one card ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardPreview:
    """A card as the learner may look at it before its turn: its question, not its answer
    (`answer` is there for when the learner asks for it)."""

    card: CardOverview
    deck_title: str
    step: str | None
    """For a proof step: "step 2 of 5"."""
    statement: str | None
    """For a proof step: what the proof proves."""
    prompt: str
    hints: int
    key_ideas: int
    checked: bool
    """Judged by the checker (else the learner compares with the answer)."""
    requires: tuple[str, ...]
    """The titles of its prerequisites."""
    why: str | None
    answer: str | None


def card_preview(desk: Desk, deck_id: str, card_id: str) -> CardPreview | None:
    """The preview of one card of a deck (None: not there)."""

    from tutor.deck.text import markdown_to_text
    from tutor.store.queries import card_standings

    deck = _deck(desk, deck_id)
    card = next((c for c in deck.cards if c.id == card_id), None) if deck is not None else None
    if deck is None or card is None:
        return None
    from tutor.deck.inputs import stated_card

    card = stated_card(card)  # drawn numbers: the preview shows the author's stated values
    with desk.session() as session:
        standing = card_standings(session=session, deck_id=deck_id, paths=desk.scope()).get(card_id)
    titles = {c.id: c.title for d in desk.collection().decks for c in d.cards}
    return CardPreview(
        card=_card_overview(desk, card, standing, desk.day_bounds(desk.today())[1]),
        deck_title=_title(deck.title, deck.id),
        step=f"step {card.position + 1} of {len(deck.cards)}" if deck.is_proof else None,
        statement=markdown_to_text(deck.intro.source) if deck.is_proof and deck.intro else None,
        prompt=markdown_to_text(card.prompt.source),
        hints=len(card.hints),
        key_ideas=len(card.key_ideas),
        checked=card.checkable,
        requires=tuple(_title(titles.get(r, r), r) for r in card.requires),
        why=markdown_to_text(card.why.source) if card.why is not None else None,
        answer=markdown_to_text(card.answer.source) if card.answer is not None else None,
    )


# -- helpers -----------------------------------------------------------------------------------


def _deck(desk: Desk, deck_id: str) -> Deck | None:
    return next((d for d in desk.collection().decks if d.id == deck_id), None)


def _title(source: str, fallback: str) -> str:
    """A title as one line of terminal text (its id if it renders to nothing)."""
    from tutor.deck.text import inline_to_text

    return inline_to_text(source) or strip_controls(fallback)


__all__ = [
    "CardOverview",
    "CardPreview",
    "CardStatus",
    "DeckSummary",
    "DueDay",
    "History",
    "StatsOverview",
    "StudyDay",
    "card_preview",
    "deck_cards",
    "deck_summaries",
    "forecast",
    "history",
    "stats_overview",
]
