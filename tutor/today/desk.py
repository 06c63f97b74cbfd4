"""The desk: one learner's study, put together from parts with one job each.

    Place        the store, its sessions and the study lock; the learner is named here alone
    StudyDays    the clock and the study day
    Shelf        the decks: files, cards, what their errors hold back
    sync         the card table brought up to date with the decks
    TodaysQueue  which card comes next, kept between cards
    Figures      streaks, stats and the scheduler's parameters
    Sittings     today's card made into a sitting (through the store, or the quick start)
    Ledger       what a sitting writes
    CheckerPool  the checker's sandboxed pool, made once

The front ends hold a `Desk` and call the few methods below; each is one line into a part.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.config import Settings
from tutor.deck.model import Card, Collection, Deck
from tutor.study.clock import Clock, SystemClock
from tutor.study.queue import DayPlan
from tutor.study.schedule import Parameters
from tutor.study.stats import LastFit, Stats
from tutor.study.streaks import Streak
from tutor.today.checking import CheckerPool
from tutor.today.days import StudyDays
from tutor.today.place import Place
from tutor.today.queue import TodaysQueue
from tutor.today.shelf import Shelf
from tutor.today.sittings import Sittings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from tutor.check.sandbox import Checker
    from tutor.store.queries import SyncReport
    from tutor.study.draws import DrawSource
    from tutor.today.figures import Figures
    from tutor.today.ledger import Ledger
    from tutor.today.sitting import Sitting


class Desk:
    """One learner's study desk: settings, decks, database, clock and checker."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None = None,
        *,
        clock: Clock | None = None,
        zone: tzinfo | None = None,
        fuzz: bool = True,
        checker: Callable[[], Checker] | None = None,
        plan: DayPlan | None = None,
        draws: DrawSource | None = None,
    ) -> None:
        """`plan`: how many cards a day (default: the settings' `new_per_day` and
        `reviews_per_day`); bench/pace.py passes the plan of earlier releases to compare.
        `draws`: the random source of cards with drawn numbers (`tutor.study.draws`)."""
        self.settings = settings
        self.draws = draws
        self.fuzz = fuzz
        self.notices: list[str] = list(settings.notices)
        """One-line messages for the learner gathered on the way (an old setting, deck
        problems, a card that left the decks while under study)."""
        self.days = StudyDays(clock or SystemClock(), zone, settings.day_starts_at)
        self.place = Place(settings, engine, today=self.days.today, notices=self.notices)
        self.shelf = Shelf(settings, self.place, self.notices)
        day_plan = plan or DayPlan(new=settings.new_per_day, reviews=settings.reviews_per_day)
        self.queue = TodaysQueue(
            self.place, self.shelf, self.days, day_plan, settings.desired_retention
        )
        self.sittings = Sittings(self)
        self.checkers = CheckerPool(checker)

    @classmethod
    @contextmanager
    def open(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        zone: tzinfo | None = None,
        fuzz: bool = True,
        checker: Callable[[], Checker] | None = None,
    ) -> Iterator[Desk]:
        """A desk with its database opened (created or upgraded) now."""
        desk = cls(settings, clock=clock, zone=zone, fuzz=fuzz, checker=checker)
        try:
            desk.engine  # noqa: B018  (open the store now: its errors belong to the caller)
            yield desk
        finally:
            desk.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.checkers.close()
        self.place.close()

    # -- the parts' names, as the front ends use them ------------------------------------------

    # The parts that load the store's modules (SQLAlchemy: half a second) are made on first use,
    # so that the quick start shows the card before they are loaded.

    @functools.cached_property
    def figures(self) -> Figures:
        self.place.load()
        from tutor.today.figures import Figures

        return Figures(self.place, self.shelf, self.days)

    @functools.cached_property
    def ledger(self) -> Ledger:
        self.place.load()
        from tutor.today.ledger import Ledger

        return Ledger(self.place)

    @property
    def learner(self) -> str:
        return self.place.learner

    @property
    def clock(self) -> Clock:
        return self.days.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.days.clock = clock

    @property
    def zone(self) -> tzinfo | None:
        return self.days.zone

    @property
    def day_plan(self) -> DayPlan:
        return self.queue.day_plan

    @day_plan.setter
    def day_plan(self, plan: DayPlan) -> None:
        self.queue.day_plan = plan

    @property
    def engine(self) -> Engine:
        """The store, opened on first use (`Place.engine`)."""
        return self.place.engine

    def session(self) -> Session:
        return self.place.session()

    def studying(self) -> AbstractContextManager[None]:
        """Held while studying (`Place.studying`)."""
        return self.place.studying()

    def now(self) -> datetime:
        return self.days.now()

    def today(self) -> date:
        return self.days.today()

    def day_bounds(self, day: date | None = None) -> tuple[datetime, datetime]:
        return self.days.bounds(day)

    def deck_files(self) -> list[Path]:
        return self.shelf.files()

    def scope(self) -> list[str]:
        return self.shelf.scope()

    def collection(self) -> Collection:
        return self.shelf.collection()

    def held_back(self) -> frozenset[str]:
        return self.shelf.held_back()

    def find_card(self, card_id: str, path: str | None = None) -> tuple[Card, Deck] | None:
        return self.shelf.find_card(card_id, path)

    def sync(self, *, force: bool = False) -> SyncReport:
        """Bring the card table up to date with the decks (`tutor.today.syncing`)."""
        self.place.load()
        from tutor.today.syncing import sync

        self.queue.forget()
        return sync(self.place, self.shelf, self.now(), self.notices, force=force)

    def plan(self) -> list[str]:
        return self.queue.plan()

    def one_more_card(self) -> str | None:
        return self.queue.one_more_card()

    def next_card_at(self) -> datetime | None:
        return self.queue.next_card_at()

    def forget_queue(self) -> None:
        self.queue.forget()

    def streak(self) -> Streak:
        return self.figures.streak()

    def stats(self) -> Stats:
        return self.figures.stats()

    def last_fit(self) -> LastFit | None:
        return self.figures.last_fit()

    def parameters(self) -> Parameters | None:
        return self.figures.parameters()

    def forget_parameters(self) -> None:
        self.figures.forget_parameters()

    def next_sitting(self, *, one_more: bool = False) -> Sitting | None:
        """Today's next card as a sitting, or None (`Sittings.next`)."""
        return self.sittings.next(one_more=one_more)

    def quick_sitting(self) -> Sitting | None:
        """Today's next card read with the standard library alone, for a fast start, or None
        when the store must be opened (`Sittings.quick`). The store itself is opened on the
        first action that writes, or earlier by a thread that calls `warm`."""
        return self.sittings.quick()

    def passes_on_open(self) -> bool:
        return self.place.passes_on_open()

    def is_new(self) -> bool:
        """No review saved yet: the learner's first day (read quickly when it can be)."""
        reader = self.place.quick_reader(self.shelf.fingerprint())
        if reader is not None:
            with reader:
                total = reader.guarded(lambda _: reader.reviews_total())
            if total is not None:
                return total == 0
        return self.stats().reviews_total == 0

    def warm(self) -> None:
        """Open the store and load its modules (for a thread, after a quick start)."""
        self.engine  # noqa: B018  (its modules loaded first, one thread at a time)
        self.figures  # noqa: B018
        self.ledger  # noqa: B018

    def checker(self) -> Checker:
        return self.checkers.get()
