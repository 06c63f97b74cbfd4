"""The one view across learners: what `tutor report` and the deck browser's mentor line read.

Every query of `tutor.store.queries` reads and writes the session's learner's rows only. The
queries here DELIBERATELY DO NOT: a mentor asks how a card fares with everyone who studied it,
so they read the attempts, reviews and notes of every learner of the database, whoever the
session was opened for (`session_learner` is never called). They only read.

Each figure is an aggregate the database computes (GROUP BY, and window functions for the
medians and the most frequent wrong answers): a million reviews come back as a few rows a card,
never as a row per attempt. The SQL is the same on SQLite (3.25 or later) and PostgreSQL.

Which card a row counts for:

- attempts, reviews and notes count for their `card_id`; a whole-proof card (`proof:<id>`) is a
  card of its own: its sittings' reviews, hints, reveals and notes, and every answer given in
  them;
- an answer given in a whole-proof sitting counts AS WELL for the proof step it answered
  (`attempt.step`): the step's attempts, learners, first tries, times and wrong answers
  include its answers in whole-proof sittings, since they were judged by the step's own check
  block. Hints and reveals stay with the whole-proof card: its reviews do not say which step
  they were taken on.

A *sitting* of a card is what one review holds of it: the review of the card, or, for a step,
its part of a whole-proof review. A sitting with a machine-judged answer (`correct`,
`incorrect` or `invalid`: neither self-assessed nor undecided) was a *first try* when none of
its judged answers missed (`incorrect`, `invalid`): a correct answer ends a card, so its first
judged answer was the correct one. A whole-proof sitting was a first try when every step's was.
A review's own sittings are read from its verdicts (kept with it, in order), a step's parts of
whole-proof sittings from their attempts. The seconds to the first correct answer are the
card's active seconds when that answer was submitted; a whole proof's are the sum of its
machine-checked steps', over the sittings in which every one of them was answered correctly.

Reviews are counted by their study day, attempts and notes by the instant they were made.
With the cards named (a deck or a few), every learner's rows are sought through the
learner-first indexes; the whole deck set reads each table once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlmodel import Session

from tutor.store.models import AttemptRow, NoteRow, ReviewRow
from tutor.store.queries import _guarded

JUDGED = ("correct", "incorrect", "invalid")
"""Verdicts of a machine-judged answer (not `self-assessed`, not `undecided`)."""

MISSED = ("incorrect", "invalid")
"""Verdicts of a judged answer that was not right."""

MAX_IN = 2000
"""At most this many card ids go into the SQL as a filter; a larger selection (every deck of a
big deck set) is read whole and kept in Python: the tables have no index by card alone, so the
scan is the same, and the statement stays far below every driver's limit of parameters."""

_ATTEMPT: Any = AttemptRow.__table__  # type: ignore[attr-defined]
_REVIEW: Any = ReviewRow.__table__  # type: ignore[attr-defined]
_NOTE: Any = NoteRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows a report counts: the cards `card_ids` (None: every card), attempts and notes
    made from `since` on, reviews of study days from `since_day` on (None: from the start)."""

    card_ids: Sequence[str] | None = None
    since: datetime | None = None
    since_day: date | None = None
    learners: tuple[str, ...] | None = None
    """Every learner with rows (set by `_scoped`): with the card ids, it lets the database seek
    the learner-first indexes instead of reading whole tables."""
    _kept: frozenset[str] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        kept = None if self.card_ids is None else frozenset(self.card_ids)
        object.__setattr__(self, "_kept", kept)

    def ids(self) -> list[str] | None:
        """The card ids to filter on in SQL (None: not in SQL; see `MAX_IN`)."""
        if self.card_ids is None or len(self.card_ids) > MAX_IN:
            return None
        return sorted(set(self.card_ids))

    def keeps(self, card_id: str | None) -> bool:
        """A row of `card_id` is one of the window's cards."""
        return card_id is not None and (self._kept is None or card_id in self._kept)

    def _on(self, table: Any, when: Any) -> list[Any]:
        """The conditions on `table`'s rows: its card (a step's attempts in a whole proof are
        under the whole-proof card, of the same deck), its learner, and `when`."""
        conditions: list[Any] = []
        ids = self.ids()
        if ids is not None:
            if self.learners is not None:
                conditions.append(table.c.learner.in_(self.learners))
            conditions.append(table.c.card_id.in_(ids))
        if when is not None:
            conditions.append(when)
        return conditions

    def attempts(self) -> list[Any]:
        since = _ATTEMPT.c.at >= self.since if self.since is not None else None
        return self._on(_ATTEMPT, since)

    def reviews(self) -> list[Any]:
        since = _REVIEW.c.study_day >= self.since_day if self.since_day is not None else None
        return self._on(_REVIEW, since)

    def notes(self) -> list[Any]:
        since = _NOTE.c.written_at >= self.since if self.since is not None else None
        return self._on(_NOTE, since)


def _scoped(session: Session, window: Window) -> Window:
    """`window` with every learner of the attempts, reviews and notes, when it names its
    cards: a few index seeks (a loose scan of each table's learner-first index)."""
    if window.ids() is None:
        return window
    names: set[str] = set()
    for table in (_ATTEMPT, _REVIEW, _NOTE):
        inner = table.alias()
        found = select(func.min(table.c.learner).label("name")).cte("names", recursive=True)
        following = (
            select(func.min(inner.c.learner))
            .where(inner.c.learner > found.c.name)
            .scalar_subquery()
        )
        found = found.union_all(select(following).where(found.c.name.is_not(None)))
        query = select(found.c.name).where(found.c.name.is_not(None))
        names.update(session.execute(query).scalars())
    return replace(window, learners=tuple(sorted(names)))


@dataclass(slots=True)
class CardActivity:
    """How one card fared with every learner, in the window."""

    card_id: str
    learners: int = 0
    """Distinct learners with an attempt or a review of it."""
    attempts: int = 0
    reviews: int = 0
    hints: int = 0
    """Hints used in its reviews (the feedback that stated the answer counts as one)."""
    reveals: int = 0
    """Reviews in which the answer was shown."""
    sittings: int = 0
    """Sittings with a machine-judged answer: what the first-try rate is over."""
    first_tries: int = 0
    """Of those, the sittings right at the first answer."""
    median_seconds: float | None = None
    """The median active seconds to the first correct answer (None: never answered right)."""


@dataclass(frozen=True, slots=True)
class WrongAnswer:
    """An incorrect answer to a card, as the checker read it (the text typed, when it kept no
    reading), with how often and by how many learners it was given."""

    card_id: str
    read_as: str
    count: int
    learners: int


@dataclass(frozen=True, slots=True)
class LearnerNote:
    """A confusion note, with who wrote it and when."""

    card_id: str
    learner: str
    written_at: datetime
    text: str
    resolved: bool


@_guarded
def card_activity(*, session: Session, window: Window) -> dict[str, CardActivity]:
    """Every card's figures across ALL learners (not the session's learner's alone: this is
    the mentors' view), by card id; cards without any activity in the window are absent.
    Four aggregates: the attempts and learners, the reviews, the steps of whole proofs, the
    median times."""
    window = _scoped(session, window)
    a, r = _ATTEMPT, _REVIEW
    found: dict[str, CardActivity] = {}

    def card(card_id: str | None) -> CardActivity | None:
        if not window.keeps(card_id):
            return None
        assert card_id is not None
        if card_id not in found:
            found[card_id] = CardActivity(card_id)
        return found[card_id]

    # attempts (under their card, and those of a whole-proof sitting under their step as well)
    # and who met the card (an attempt or a review), one row a learner and card each: the
    # learner-first indexes give them in order
    pairs = union_all(
        select(a.c.learner, a.c.card_id.label("card_id"), func.count().label("n"))
        .where(*window.attempts())
        .group_by(a.c.learner, a.c.card_id),
        select(a.c.learner, a.c.step.label("card_id"), func.count().label("n"))
        .where(a.c.step.is_not(None), *window.attempts())
        .group_by(a.c.step, a.c.learner),  # not the index's order: a scan reads fewer pages
        select(r.c.learner, r.c.card_id.label("card_id"), literal(0).label("n"))
        .where(*window.reviews())
        .group_by(r.c.learner, r.c.card_id),
    ).subquery()
    met = select(
        pairs.c.card_id, func.sum(pairs.c.n), func.count(pairs.c.learner.distinct())
    ).group_by(pairs.c.card_id)
    for card_id, n, learners in session.execute(met):
        if (one := card(card_id)) is not None:
            one.attempts, one.learners = int(n or 0), int(learners)

    # reviews: hints, reveals, and first tries (the review's verdicts in order: for a whole
    # proof, every step's; a judged answer missed, or none was judged)
    def said(word: str) -> Any:
        return r.c.verdicts.like(f'%"{word}"%')

    judged = or_(*(said(word) for word in JUDGED))
    first = and_(said("correct"), *(~said(word) for word in MISSED))
    reviewed = (
        select(
            r.c.card_id,
            func.count(),
            func.coalesce(func.sum(r.c.hints_used), 0),
            func.coalesce(func.sum(case((r.c.revealed, 1), else_=0)), 0),
            func.coalesce(func.sum(case((judged, 1), else_=0)), 0),
            func.coalesce(func.sum(case((first, 1), else_=0)), 0),
        )
        .where(*window.reviews())
        .group_by(r.c.card_id)
    )
    for card_id, n, hints, reveals, sittings, firsts in session.execute(reviewed):
        if (one := card(card_id)) is not None:
            one.reviews, one.hints, one.reveals = int(n), int(hints), int(reveals)
            one.sittings, one.first_tries = int(sittings), int(firsts)

    # a step's part of whole-proof sittings: more sittings of the step
    units = _step_units(window)
    u = units.c
    steps = select(
        u.step,
        func.sum(case((u.judged > 0, 1), else_=0)),
        func.sum(case((and_(u.judged > 0, u.missed == 0), 1), else_=0)),
    ).group_by(u.step)
    for step, sittings, firsts in session.execute(steps):
        if (one := card(step)) is not None:
            one.sittings += int(sittings or 0)
            one.first_tries += int(firsts or 0)

    for card_id, median in session.execute(_medians(window, units)):
        if (one := card(card_id)) is not None:
            one.median_seconds = float(median) if median is not None else None
    return found


def _step_units(window: Window) -> Any:
    """The steps' parts of whole-proof sittings: (review, whole-proof card, step, judged
    answers, missed ones, active seconds at the first correct one). Few rows: whole proofs
    only."""
    a = _ATTEMPT
    return (
        select(
            a.c.review_id,
            a.c.card_id,
            a.c.step,
            func.sum(case((a.c.verdict.in_(JUDGED), 1), else_=0)).label("judged"),
            func.sum(case((a.c.verdict.in_(MISSED), 1), else_=0)).label("missed"),
            func.min(case((a.c.verdict == "correct", a.c.active_seconds), else_=None)).label(
                "seconds"
            ),
        )
        .where(a.c.step.is_not(None), a.c.review_id.is_not(None), *window.attempts())
        .group_by(a.c.review_id, a.c.card_id, a.c.step)
        .cte("units")
    )


def _medians(window: Window, units: Any) -> Any:
    """(card id, median active seconds to the first correct answer) of every card answered
    right in a sitting: a card's own sittings (the first correct answer of each review: one
    row a review, in case an undone review was answered right again), a step's parts of
    whole-proof sittings, and whole proofs (their steps' seconds summed, over the sittings in
    which every machine-checked step was answered right)."""
    a, u = _ATTEMPT, units.c
    own = (
        select(a.c.card_id.label("card_id"), func.min(a.c.active_seconds).label("seconds"))
        .where(
            a.c.verdict == "correct",
            a.c.review_id.is_not(None),
            a.c.step.is_(None),
            *window.attempts(),
        )
        .group_by(a.c.card_id, a.c.review_id)
    )
    in_proofs = select(u.step.label("card_id"), u.seconds.label("seconds")).where(
        u.seconds.is_not(None)
    )
    unanswered = func.sum(case((and_(u.judged > 0, u.seconds.is_(None)), 1), else_=0))
    proofs = (
        select(u.card_id.label("card_id"), func.sum(u.seconds).label("seconds"))
        .group_by(u.review_id, u.card_id)
        .having(and_(unanswered == 0, func.count(u.seconds) > 0))
    )
    timed = union_all(own, in_proofs, proofs).subquery()
    t = timed.c
    ranked = select(
        t.card_id,
        t.seconds,
        func.row_number().over(partition_by=t.card_id, order_by=t.seconds).label("rn"),
        func.count().over(partition_by=t.card_id).label("n"),
    ).subquery()
    k = ranked.c
    # the middle row, or the two middle rows (2·rn within [n, n + 2]) averaged
    middle = and_(2 * k.rn >= k.n, 2 * k.rn <= k.n + literal(2))
    return select(k.card_id, func.avg(k.seconds)).where(middle).group_by(k.card_id)


@_guarded
def wrong_answers(
    *, session: Session, window: Window, per_card: int = 5
) -> dict[str, list[WrongAnswer]]:
    """The most frequent incorrect answers to each card across ALL learners (not the session's
    learner's alone: the mentors' view), grouped by how the checker read them (`read_as`; the
    text typed when empty), most frequent first, at most `per_card` a card. An answer given in
    a whole-proof sitting counts for the step it answered."""
    window = _scoped(session, window)
    a = _ATTEMPT
    key = func.coalesce(a.c.step, a.c.card_id).label("card_id")
    shown = case((a.c.read_as != "", a.c.read_as), else_=a.c.answer).label("read_as")
    grouped = (
        select(
            key,
            shown,
            func.count().label("n"),
            func.count(a.c.learner.distinct()).label("learners"),
        )
        .where(a.c.verdict == "incorrect", *window.attempts())
        .group_by(key, shown)
        .subquery()
    )
    g = grouped.c
    rank = func.row_number().over(partition_by=g.card_id, order_by=(g.n.desc(), g.read_as))
    ranked = select(g.card_id, g.read_as, g.n, g.learners, rank.label("rn")).subquery()
    k = ranked.c
    query = (
        select(k.card_id, k.read_as, k.n, k.learners)
        .where(k.rn <= per_card)
        .order_by(k.card_id, k.rn)
    )
    found: dict[str, list[WrongAnswer]] = {}
    for card_id, read_as, n, learners in session.execute(query):
        if window.keeps(card_id):
            found.setdefault(card_id, []).append(
                WrongAnswer(card_id, str(read_as), int(n), int(learners))
            )
    return found


@_guarded
def learner_notes(*, session: Session, window: Window) -> dict[str, list[LearnerNote]]:
    """The confusion notes on each card by ALL learners (not the session's learner's alone:
    the mentors' view), resolved ones included, newest first."""
    window = _scoped(session, window)
    n = _NOTE
    query = (
        select(n.c.card_id, n.c.learner, n.c.written_at, n.c.text, n.c.resolved_at)
        .where(*window.notes())
        .order_by(n.c.card_id, n.c.written_at.desc(), n.c.id.desc())
    )
    found: dict[str, list[LearnerNote]] = {}
    for card_id, learner, written_at, text, resolved_at in session.execute(query):
        if window.keeps(card_id):
            found.setdefault(card_id, []).append(
                LearnerNote(card_id, learner, written_at, text, resolved_at is not None)
            )
    return found


__all__ = [
    "JUDGED",
    "MISSED",
    "CardActivity",
    "LearnerNote",
    "Window",
    "WrongAnswer",
    "card_activity",
    "learner_notes",
    "wrong_answers",
]
