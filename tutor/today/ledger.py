"""What a sitting writes (`tutor.today.records`): this module alone turns it into the store's
rows. It loads the store's modules: the desk makes its ledger on the first write.

Every write is one transaction of the store (`tutor.store.queries`), made in a session of the
desk's learner (`Place.session`): the rows are that learner's whatever they say. An answer's
writes (the attempt, the progress after it, the review) are made from the records' values on a
plain connection (`queries.writing`), without ORM rows or a session: they are on the path the
learner waits on, where those cost many times the writes themselves.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tutor.check.clean import storable
from tutor.store import queries as q
from tutor.store.models import ProgressRow
from tutor.store.queries import SavedReview
from tutor.store.rows import MemoryState, SavedProgress
from tutor.today.place import Place
from tutor.today.records import AttemptRecord, ProgressState, ReviewRecord

if TYPE_CHECKING:
    from sqlmodel import Session


class Ledger:
    """The sittings' writes to one learner's place. The rows are made in the place's sessions,
    whose learner they get (`queries.session_learner`): the learner is named by the place."""

    def __init__(self, place: Place) -> None:
        self.place = place

    def attempt(self, attempt: AttemptRecord, progress: ProgressState) -> None:
        """An attempt and the card's state after it, in one transaction."""
        fields = vars(attempt).copy()
        for name in ("answer", "feedback", "read_as"):  # the learner's text, and echoes of it
            fields[name] = storable(fields[name])
        with q.writing(self.place.engine, self.place.held) as connection:
            q.record_attempt_values(
                connection,
                learner=self.place.learner,
                attempt=fields,
                progress=_progress_values(progress),
            )

    def progress(self, progress: ProgressState) -> None:
        with q.writing(self.place.engine, self.place.held) as connection:
            q.save_progress_values(
                connection, learner=self.place.learner, progress=_progress_values(progress)
            )

    def saved_progress(self) -> SavedProgress | None:
        with self.place.session() as session:
            return q.saved_progress(session=session)

    def clear_progress(self) -> None:
        with self.place.session() as session:
            q.clear_progress(session=session)

    def review(
        self, review: ReviewRecord, memory: MemoryState, prior: MemoryState | None
    ) -> SavedReview:
        """The review, its study day's totals, the card's memory (`prior` before it, as the
        sitting read it) and its pending attempts, and the progress row gone, in one
        transaction (`queries.save_review`)."""
        with q.writing(self.place.engine, self.place.held) as connection:
            return q.save_review_values(
                connection,
                learner=self.place.learner,
                review=vars(review),
                memory=memory.values(),
                prior=None if prior is None else prior.values(),
            )

    def undo(self, saved: SavedReview, progress: ProgressState) -> None:
        """The review taken back exactly, the card's progress saved as `progress`."""
        with self.place.session() as session:
            q.undo_review(session=session, saved=saved, progress=_progress(session, progress))

    def note(self, card_id: str, text: str, at: datetime) -> None:
        with self.place.session() as session:
            q.add_note(session=session, card_id=card_id, text=storable(text), written_at=at)

    def resolve(self, note_id: int, at: datetime) -> None:
        with self.place.session() as session:
            q.resolve_note(session=session, note_id=note_id, at=at)


def _progress_values(progress: ProgressState) -> dict[str, Any]:
    fields = vars(progress).copy()
    fields["state_json"] = storable(fields["state_json"])  # drafts and notes, as typed
    return fields


def _progress(session: Session, progress: ProgressState) -> ProgressRow:
    fields = asdict(progress)
    fields["state_json"] = storable(fields["state_json"])  # drafts and notes, as typed
    return ProgressRow(learner=q.session_learner(session), **fields)
