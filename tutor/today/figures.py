"""The learner's figures for the desk: streaks, `tutor stats`, and the scheduler's parameters.
It loads the store's modules: the desk makes it on first use."""

from __future__ import annotations

import json
import math
from datetime import date

from tutor.check.clean import strip_controls
from tutor.store import queries as q
from tutor.store.errors import UnreadableValue
from tutor.study.schedule import Parameters, default_parameters
from tutor.study.stats import LastFit, Stats
from tutor.study.streaks import Streak, streak
from tutor.today.days import StudyDays
from tutor.today.place import Place
from tutor.today.shelf import Shelf


class Figures:
    """What the learner's reviews add up to, read from the store."""

    def __init__(self, place: Place, shelf: Shelf, days: StudyDays) -> None:
        self.place = place
        self.shelf = shelf
        self.days = days
        self._parameters: tuple[Parameters | None] | None = None  # read once, see parameters()
        self._successes: set[date] | None = None
        """The study days with a success, read once and kept up to date by `reviewed`."""
        self._streak: tuple[date, Streak] | None = None  # of `_successes`, on that day

    def streak(self) -> Streak:
        if self._successes is None:
            with self.place.session() as session:
                days = q.review_days(session=session)
            self._successes = {day for day, success in days if success}
        today = self.days.today()
        if self._streak is None or self._streak[0] != today:
            self._streak = (today, streak(self._successes, today))
        return self._streak[1]

    def reviewed(self, day: date, success: bool) -> None:
        """A review of study day `day` was saved by this desk (its learner's only writer)."""
        if success and self._successes is not None and day not in self._successes:
            self._successes.add(day)
            self._streak = None

    def forget(self) -> None:
        """Read the study days again at their next use (after an undo)."""
        self._successes = None
        self._streak = None

    def stats(self) -> Stats:
        today = self.days.today()
        _, end = self.days.bounds(today)
        with self.place.session() as session:
            counts = q.stats_counts(
                session=session, today=today, end_of_today=end, paths=self.shelf.scope()
            )
        cards, reviews = counts["cards"], counts["reviews"]
        return Stats(
            streak=self.streak(),
            reviews_total=reviews["total"],
            reviews_today=reviews["today"],
            cards_total=cards["total"],
            cards_new=cards["new"],
            cards_review=cards["review"],
            due_today=cards["due_today"],
            retired=cards["retired"],
            retention=counts["retention"],
            next_due=counts["next_due"],
            last_fit=self.last_fit(),
            proofs_total=counts["proofs"]["total"],
            proofs_rebuilt=counts["proofs"]["rebuilt"],
            proofs_due_today=counts["proofs"]["due_today"],
        )

    def last_fit(self) -> LastFit | None:
        """The newest fit of the scheduler to this learner's reviews (None: never fitted)."""
        with self.place.session() as session:
            row = q.latest_fit(session=session)
        if row is None:
            return None
        return LastFit(
            row.fitted_at, row.reviews, row.heldout, row.default_loss, row.fitted_loss, row.kept
        )

    def parameters(self) -> Parameters | None:
        """The FSRS parameters the scheduler uses: those fitted to this learner's reviews when
        the newest fit was kept, else None for FSRS's defaults (`tutor.optimize`)."""
        if self._parameters is None:
            with self.place.session() as session:
                row = q.latest_fit(session=session)
            fitted = fitted_parameters(row.parameters) if row is not None and row.kept else None
            self._parameters = (fitted,)
        return self._parameters[0]

    def forget_parameters(self) -> None:
        """Read the parameters again at their next use (after a fit saved new ones)."""
        self._parameters = None


def fitted_parameters(stored: str) -> Parameters:
    """A kept fit's parameters as stored (a JSON list of FSRS's 21 weights). Anything else was
    written by another program: UnreadableValue says so in one line, before the scheduler
    fails on it somewhere deep."""
    try:
        values = json.loads(stored)
        if not isinstance(values, list) or len(values) != len(default_parameters()):
            raise ValueError("not FSRS's 21 weights")
        weights = tuple(float(v) for v in values if not isinstance(v, bool))
        if len(weights) != len(values) or not all(math.isfinite(w) for w in weights):
            raise ValueError("a weight that is no number")
    except (ValueError, TypeError, RecursionError) as exc:
        raise UnreadableValue(
            f"the scheduler's fitted parameters in the database are not ones the tutor writes "
            f"({strip_controls(str(exc))[:80]}): the file was changed by another program; "
            "'tutor restore' lists its backups"
        ) from None
    return weights
