"""Today's session, for every front end: load the decks, pick today's card, run the sitting,
save what happened. `tutor study --plain` and the terminal UI both drive this module and hold no
study logic of their own, so they cannot drift apart.

    with Desk.open(settings) as desk, desk.studying():
        sitting = desk.next_sitting()     # None: nothing more today (see desk.next_card_at())
        sitting.submit("e^a e^b")         # judged in the checker's sandbox
        sitting.take_hint()               # raises Locked("hints unlock in 12:30")
        finished = sitting.finish()       # one transaction: review, memory, attempts
        desk.next_sitting(one_more=True)  # the day's cards done: one more, if the learner asks

Starting is cheap when the decks have not changed: their files' sizes and times are compared
with the last sync, the card to show is chosen from the database, and only its own file is read.
Progress of the card under study is saved after every action (`Sitting.save()` for the time in
between), so quitting, a crash or kill -9 resume the card where its timer was.

A whole proof (`tutor.study.proof`) is a card too: its sitting's `card` and `session` are the
step under study, `phase` is `Phase.STEP_DONE` between steps and `next_step()` goes on; its
progress, review and notes belong to the whole-proof card (`Sitting.card_id`).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import threading
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from tutor.config import Settings
from tutor.deck.files import deck_fingerprint
from tutor.deck.model import Card, Collection, Deck, Severity
from tutor.deck.skips import Skips
from tutor.held import META_HELD_BACK, HeldBack, read_quickly, skips_of, without
from tutor.store.errors import StoreError
from tutor.store.identity import META_DECK_FILES
from tutor.store.rows import MemoryState, QueueData, SavedProgress
from tutor.study.clock import Clock, SystemClock
from tutor.study.days import day_bounds, study_day
from tutor.study.proof import (
    MIN_STEPS,
    ProofSession,
    ProofSnapshot,
    is_proof_card,
    proof_card_id,
    proof_of,
)
from tutor.study.queue import (
    CardProgress,
    DayPlan,
    QueueCard,
    one_more,
    todays_cards,
)
from tutor.study.schedule import Memory, Parameters, review
from tutor.study.session import (
    CardFacts,
    CardSession,
    NotAllowed,
    Outcome,
    Phase,
    Snapshot,
    resolve_timer,
)
from tutor.study.stats import LastFit, Stats
from tutor.study.streaks import Streak, streak

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from tutor.check.sandbox import Checker
    from tutor.check.verdict import Verdict
    from tutor.store.models import ProgressRow
    from tutor.store.queries import CardSnapshot, SavedReview, SyncReport
    from tutor.store.quick import QuickReader
    from tutor.study.draws import DrawSource

# SQLAlchemy and SQLModel take half a second to import here: the store's modules are imported
# where they are used, so that a start-up on the quick path (`Desk.quick_sitting`) shows the
# card first and loads them after.

_SITTING = timedelta(hours=12)
"""Notes written within this span of the newest one belong to the same sitting."""

MAX_ANSWER = 20_000
"""Characters of an answer kept in the database (the checker bounds what it reads itself)."""


# -- what a sitting reports --------------------------------------------------------------------


@dataclass(frozen=True)
class Finished:
    """A card done: how it was rated, when it comes back, and the streaks after it."""

    card_id: str
    outcome: Outcome
    due: datetime
    streak: Streak
    run: int
    """The card's run of successful reconstructions, this one included."""
    whole: bool = False
    """A whole-proof card (`tutor.study.proof`): "reconstructed" is "rebuilt whole"."""


# -- the desk: one learner's database and decks ------------------------------------------------


def card_snapshot(card: Card, deck: Deck) -> CardSnapshot:
    """The card as the database keeps it: id, place, prerequisites and a hash of its text."""
    from tutor.store.queries import CardSnapshot

    content = {
        "title": card.title,
        "kind": card.kind,
        "prompt": card.prompt.source,
        "answer": card.answer.source if card.answer else None,
        "hints": [h.source for h in card.hints],
        "ideas": [k.source for k in card.key_ideas],
        "why": card.why.source if card.why else None,
        "check": card.check.pairs() if card.check else None,
        "timers": [card.timer, card.review_timer],
        "statement": deck.intro.source if deck.is_proof and deck.intro else None,
    }
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return CardSnapshot(
        id=card.id,
        deck_id=deck.id,
        path=str(Path(deck.path).resolve()),
        position=card.position,
        content_hash=digest,
        requires=tuple(card.requires),
    )


def proof_card_snapshot(deck: Deck) -> CardSnapshot | None:
    """The whole-proof card of a proof as the database keeps it (`tutor.study.proof`): placed
    after the proof's steps, requiring each of them, its hash that of the statement and the
    steps. None for a deck that is not a proof, or a proof of fewer than `MIN_STEPS` steps."""
    from tutor.store.queries import CardSnapshot

    if not deck.is_proof or len(deck.cards) < MIN_STEPS:
        return None
    steps = [card_snapshot(card, deck) for card in deck.cards]
    content = {
        "title": deck.title,
        "statement": deck.intro.source if deck.intro else None,
        "steps": [(step.id, step.content_hash) for step in steps],
        "timers": [deck.timer, deck.review_timer, deck.hint_gap],
    }
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return CardSnapshot(
        id=proof_card_id(deck.id),
        deck_id=deck.id,
        path=str(Path(deck.path).resolve()),
        position=len(deck.cards),
        content_hash=digest,
        requires=tuple(step.id for step in steps),
    )


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
        self.draws = draws
        self.settings = settings
        self.learner = settings.learner
        """Whose progress this desk reads and writes: every session is this learner's."""
        self._engine = engine
        self._scope: list[str] | None = None
        self._passes_on_open: bool | None = None
        self._engine_lock = threading.Lock()
        self.clock: Clock = clock or SystemClock()
        self.zone = zone
        self.fuzz = fuzz
        self._make_checker = checker
        self._checker: Checker | None = None
        self._checker_lock = threading.Lock()
        self._queue: tuple[date, QueueData] | None = None
        """Today's queue data, read once a study day and kept up to date by this desk's own
        writes (`_reviewed`, `_begun`): the study lock makes it the learner's only writer, so
        the next card after an answer is chosen without reading the queue again."""
        self._collection: Collection | None = None
        self._skips: Skips | None = None  # of `_collection` (`tutor.held`)
        self._held: HeldBack | None = None
        self._told_held = False  # its notices were given
        self._files: list[Path] | None = None
        self.day_plan = plan or DayPlan(new=settings.new_per_day, reviews=settings.reviews_per_day)
        self._parameters: tuple[Parameters | None] | None = None  # read once, see parameters()
        self.notices: list[str] = list(settings.notices)
        """One-line messages for the learner gathered on the way (an old setting, deck
        problems, a card that left the decks while under study)."""

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

    @property
    def engine(self) -> Engine:
        """The store, opened on first use (safe to call from a thread that warms it up). Before
        its first write of a study day, a SQLite file is backed up (`tutor.store.backup`)."""
        with self._engine_lock:
            if self._engine is None:
                from tutor.store.backup import DailyBackup
                from tutor.store.engine import open_store

                daily = DailyBackup(self.settings.home, self.today(), self.notices)
                self._engine = open_store(
                    self.settings.db_url, before_write=daily, learner=self.learner
                )
            return self._engine

    def session(self) -> Session:
        """A session for one unit of work of this desk's learner."""
        from tutor.store.queries import learner_session

        return learner_session(self.engine, self.learner)

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._checker is not None:
            self._checker.close()
            self._checker = None
        if self._engine is not None:
            self._engine.dispose()

    @contextmanager
    def studying(self) -> Iterator[None]:
        """Held while studying: a second tutor of the same learner on the same database is
        refused (StoreBusy); other learners study at the same time."""
        from tutor.store.lock import study_lock

        with study_lock(self.settings.db_url, self.learner):
            yield

    # -- time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return study_day(self.now(), self.zone, self.settings.day_starts_at)

    def day_bounds(self, day: date | None = None) -> tuple[datetime, datetime]:
        return day_bounds(day or self.today(), self.zone, self.settings.day_starts_at)

    # -- decks ---------------------------------------------------------------------------------

    def deck_files(self) -> list[Path]:
        if self._files is None:
            from tutor.deck.files import find_deck_files

            files, problems = find_deck_files(self.settings.deck_dirs)
            self.notices += [str(p) for p in problems]
            self._files = files
        return self._files

    def scope(self) -> list[str]:
        """The deck files of this run, as the card table names them (resolved paths): only
        their cards are offered (`--decks DIR` studies those decks and leaves the rest be)."""
        if self._scope is None:
            self._scope = [str(path.resolve()) for path in self.deck_files()]
        return self._scope

    def collection(self) -> Collection:
        """Every deck, read and linted (the slow path: only when the decks changed)."""
        if self._collection is None:
            from tutor.deck.loader import load_collection

            collection = load_collection(self.deck_files())
            # each card with an error is left out of study alone, with the cards that require it
            self._skips = skips_of(collection)
            self._tell_held(self._skips.notices())
            self._collection = collection
        return self._collection

    def _tell_held(self, notices: Sequence[str]) -> None:
        """The notices of the cards left out of study, once a run."""
        if not self._told_held:
            self._told_held = True
            self.notices += notices

    def held_back(self) -> frozenset[str]:
        """The cards left out of study by the decks' errors, as the last sync stored them
        (`tutor.held`): never offered until they are fixed."""
        if self._held is None:
            from tutor.store import queries as q

            with self.session() as session:
                self._stored_held(q.get_meta(session=session, key=META_HELD_BACK))
        assert self._held is not None
        return self._held.ids

    def _stored_held(self, value: str | None) -> None:
        """What the last sync stored under `META_HELD_BACK`, and its notices, for this run."""
        self._held = HeldBack.decode(value)
        self._tell_held(self._held.notices)

    def sync(self, *, force: bool = False) -> SyncReport:
        """Bring the database's card table up to date with the decks. Skipped after a stat of
        each file when nothing changed since the last sync (and the order new cards follow was
        stored by it: a database synced by an earlier release is synced once more)."""
        from tutor.store import queries as q
        from tutor.store.queries import SyncReport

        self._queue = None
        fingerprint = deck_fingerprint(self.deck_files())
        with self.session() as session:
            if q.ensure_learner(session=session, now=self.now()):
                summaries = q.learner_summaries(session=session)
                if any(other.name != self.learner for other in summaries):
                    self.notices.append(
                        f"studying as learner '{self.learner}', new to this database "
                        "('tutor learners' lists everyone; --learner NAME to be someone else)"
                    )
            if (
                not force
                and q.get_meta(session=session, key=META_DECK_FILES) == fingerprint
                and q.card_order_kept(session=session)
            ):
                if self._held is None:  # what the last sync kept out of study, and why
                    self._stored_held(q.get_meta(session=session, key=META_HELD_BACK))
                return SyncReport(skipped=True)
            snapshots = self._snapshots(self.collection())
            report = q.sync_cards(
                session=session, cards=snapshots, now=self.now(), files=self.scope()
            )
            held = self._held.encode() if self._held and self._held != HeldBack() else ""
            if held != (q.get_meta(session=session, key=META_HELD_BACK) or ""):
                q.set_meta(session=session, key=META_HELD_BACK, value=held)
            q.set_meta(session=session, key=META_DECK_FILES, value=fingerprint)
        return report

    def _snapshots(self, collection: Collection) -> list[CardSnapshot]:
        """The cards to sync. A card with an error is left out of study alone, with the cards
        that require it (`tutor.held`), and so are the cards of a file that cannot be read as a
        deck: they keep their rows as last synced, so a typo retires nothing and their progress
        waits for them; a new one joins once it is fixed. Sets what `held_back` says."""
        from tutor.store import queries as q
        from tutor.store.queries import CardSnapshot

        if self._skips is None or collection is not self._collection:
            self._skips = skips_of(collection)
        out = self._skips.ids
        unreadable = {str(Path(p.path).resolve()) for p in self._skips.unreadable}
        seen: set[str] = set()
        snapshots: list[CardSnapshot] = []
        for deck in collection.decks:
            whole = proof_card_snapshot(deck)
            for snapshot in [*(card_snapshot(card, deck) for card in deck.cards), whole]:
                if snapshot is not None and snapshot.id not in seen:
                    seen.add(snapshot.id)
                    if snapshot.id not in out:
                        snapshots.append(snapshot)
        kept: list[CardSnapshot] = []
        if out or unreadable:
            with self.session() as session:
                stored = q.active_cards(session=session)
            kept = [
                CardSnapshot(
                    row.id,
                    row.deck_id,
                    row.path,
                    row.position,
                    row.content_hash,
                    tuple(row.requires.split(",")) if row.requires else (),
                )
                for row in stored
                if row.id in out or (row.path in unreadable and row.id not in seen)
            ]
        held = out | {snapshot.id for snapshot in kept}
        self._held = HeldBack(frozenset(held), tuple(self._skips.notices()))
        return snapshots + kept

    def find_card(self, card_id: str, path: str | None = None) -> tuple[Card, Deck] | None:
        """A card and its deck: from its own file when the decks have not been read."""
        if self._collection is None and path is not None:
            from tutor.deck.parser import read_deck_file

            deck, problems = read_deck_file(Path(path))
            if deck is not None and not any(p.severity is Severity.ERROR for p in problems):
                for card in deck.cards:
                    if card.id == card_id:
                        return card, deck
        collection = self.collection()
        for deck in collection.decks:
            for card in deck.cards:
                if card.id == card_id:
                    return card, deck
        return None

    def find_proof(self, card_id: str, path: str | None = None) -> Deck | None:
        """The proof of a whole-proof card (`tutor.study.proof`), from its own file when the
        decks have not been read (None: no such proof, or too few steps to have one)."""
        proof_id = proof_of(card_id)
        if self._collection is None and path is not None:
            from tutor.deck.parser import read_deck_file

            deck, problems = read_deck_file(Path(path))
            clean = not any(p.severity is Severity.ERROR for p in problems)
            if deck is not None and clean and _has_whole(deck, proof_id):
                return deck
        for deck in self.collection().decks:
            if _has_whole(deck, proof_id):
                return deck
        return None

    def _find(self, card_id: str, path: str | None = None) -> tuple[Card, Deck] | None:
        """What a sitting of `card_id` shows: the card and its deck; for a whole-proof card,
        the proof's first step and the proof."""
        if not is_proof_card(card_id):
            return self.find_card(card_id, path)
        deck = self.find_proof(card_id, path)
        return None if deck is None else (deck.cards[0], deck)

    # -- the queue -----------------------------------------------------------------------------

    def _choose(
        self,
        day: date,
        *,
        now: datetime,
        fresh_day: bool = False,
        data: QueueData | None = None,
        extra: bool = False,
    ) -> list[str]:
        """The queue's choice for study day `day` at instant `now`, from the few rows it needs
        (read from the store unless `data` gives them). `extra`: the one card beyond the day's
        plan (none while the plan has cards left)."""
        _, end = self.day_bounds(day)
        if data is None and self._queue is not None and self._queue[0] == day:
            data = self._queue[1]
        if data is None:
            from tutor.store import queries as q

            with self.session() as session:
                data = q.queue_data(
                    session=session, today=day, end_of_today=end, paths=self.scope()
                )
            if day == self.today():
                self._queue = (day, data)
        data = without(data, self.held_back())  # the decks' errors keep these out of study
        due = {
            state.card_id: CardProgress(
                memory=_memory(state), reconstructed=state.reconstructed, last_day=state.last_day
            )
            for state in data.due
        }
        progress = _Progress(due, data.reconstructed, data.studied_today, day)
        new = data.new
        if self.day_plan.graph and new and data.order:
            # the prerequisite graph's order, stored by the last sync (`sync` makes sure of it)
            rank = {card_id: n for n, card_id in enumerate(data.order)}
            new = sorted(new, key=lambda row: rank.get(row.card_id, len(rank)))
        candidates = [QueueCard(s.card_id) for s in data.due]
        candidates += [QueueCard(r.card_id, r.requires) for r in new]
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
            desired_retention=self.settings.desired_retention,
            active=_EVERY_CARD,  # prerequisites are stored limited to the active cards
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
            desired_retention=self.settings.desired_retention,
            active=_EVERY_CARD,
        )
        return [] if more is None else [more]

    def plan(self) -> list[str]:
        """Today's remaining card ids: the unfinished card, the due reviews within their limit,
        then the day's new card (see `tutor.study.queue`)."""
        return self._choose(self.today(), now=self.now())

    def one_more_card(self) -> str | None:
        """Once the day's plan is done, the card the learner may take beyond it (None: the
        plan has cards left, or no card is waiting)."""
        more = self._choose(self.today(), now=self.now(), extra=True)
        return more[0] if more else None

    def next_card_at(self) -> datetime | None:
        """When the next card can be studied: now if today has one left, the start of the next
        study day if a card is waiting for it, else the earliest review due (None: no card is
        waiting at all: every new card lacks its prerequisites, or there are none)."""
        from tutor.store import queries as q

        if self.plan():
            return self.now()
        today = self.today()
        _, end = self.day_bounds(today)
        if self._choose(today + timedelta(days=1), now=end, fresh_day=True):
            return end
        with self.session() as session:
            due = q.stats_counts(
                session=session, today=today, end_of_today=end, paths=self.scope()
            )["next_due"]
        return None if due is None else max(due, end)

    def streak(self) -> Streak:
        from tutor.store import queries as q

        with self.session() as session:
            days = q.review_days(session=session)
        return streak([day for day, success in days if success], self.today())

    def stats(self) -> Stats:
        from tutor.store import queries as q

        today = self.today()
        _, end = self.day_bounds(today)
        with self.session() as session:
            counts = q.stats_counts(
                session=session, today=today, end_of_today=end, paths=self.scope()
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

    # -- the scheduler's parameters --------------------------------------------------------------

    def last_fit(self) -> LastFit | None:
        """The newest fit of the scheduler to this learner's reviews (None: never fitted)."""
        from tutor.store import queries as q

        with self.session() as session:
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
            import json

            from tutor.store import queries as q

            with self.session() as session:
                row = q.latest_fit(session=session)
            fitted = tuple(json.loads(row.parameters)) if row is not None and row.kept else None
            self._parameters = (fitted,)
        return self._parameters[0]

    def forget_parameters(self) -> None:
        """Read the parameters again at their next use (after a fit saved new ones)."""
        self._parameters = None

    # -- sittings ------------------------------------------------------------------------------

    def next_sitting(self, *, one_more: bool = False) -> Sitting | None:
        """Today's next card as a sitting (the unfinished one resumed), or None when the day's
        cards are done. `one_more`: when they are, the card the learner asked to take beyond
        them (`one_more_card`); begun, it resumes like any card until it is done."""
        from tutor.store import queries as q

        with self.session() as session:
            progress_row = q.load_progress(session=session)
            gone = progress_row is not None and (
                (row := q.card(session=session, card_id=progress_row.card_id)) is None
                or row.retired
            )
        if progress_row is not None and gone:
            self.notices.append(
                f"the card you were working on, {progress_row.card_id}, is no longer in the "
                "decks; its attempts are kept"
            )
            with self.session() as session:
                q.clear_progress(session=session)
            progress_row = None
            self._queue = None
        chosen = self.plan()
        if not chosen and one_more:
            chosen = self._choose(self.today(), now=self.now(), extra=True)
        for card_id in chosen:
            with self.session() as session:
                row = q.card(session=session, card_id=card_id)
            found = self._find(card_id, row.path if row is not None else None)
            if found is None:  # the decks changed since the last sync
                self.sync(force=True)
                found = self._find(card_id)
            if found is None:
                continue
            card, deck = found
            resumed = progress_row if progress_row and progress_row.card_id == card_id else None
            with self.session() as session:
                state = q.memory_state(session=session, card_id=card_id)
                notes = [
                    (n.id or 0, n.text, n.written_at)
                    for n in q.notes_for(session=session, card_id=card_id)
                ]
            return self._sitting(card_id, card, deck, resumed, state, notes)
        return None

    def passes_on_open(self) -> bool:
        """The database passes the check a SQLite file gets on opening (`tutor.store.health`),
        or is not a SQLite file: read once a run (at ten thousand cards the check reads tens
        of megabytes), so a front end that asks before `quick_sitting` does not pay twice."""
        if self._passes_on_open is None:
            from tutor.store.health import passes_on_open

            self._passes_on_open = passes_on_open(self.settings.db_url)
        return self._passes_on_open

    def quick_sitting(self) -> Sitting | None:
        """Today's next card read with the standard library alone, for a fast start: None when
        that cannot be done (no database yet, changed decks, an older schema, another kind of
        database, a card that left the decks, nothing to study, a file that fails its check
        on opening), and `sync` and `next_sitting` must be used. The store itself is opened on
        the first action that writes, or earlier by a thread that calls `engine`."""
        if not self.passes_on_open():
            return None  # the store refuses it in one line when it is opened
        reader = self._quick_reader()
        if reader is None:
            return None
        with reader:
            return reader.guarded(lambda _: self._quick_sitting(reader))

    def _quick_reader(self) -> QuickReader | None:
        """The database read with sqlite3, when it is a SQLite file synced with these decks."""
        from tutor.store.quick import QuickReader

        return QuickReader.open(
            self.settings.db_url, deck_fingerprint(self.deck_files()), self.learner
        )

    def is_new(self) -> bool:
        """No review saved yet: the learner's first day (read quickly when it can be)."""
        reader = self._quick_reader()
        if reader is not None:
            with reader:
                total = reader.guarded(lambda _: reader.reviews_total())
            if total is not None:
                return total == 0
        return self.stats().reviews_total == 0

    def warm(self) -> None:
        """Open the store and load its modules (for a thread, after a quick start)."""
        import tutor.store.queries  # noqa: F401

        self.engine  # noqa: B018

    def _quick_sitting(self, reader: QuickReader) -> Sitting | None:
        progress = reader.progress()
        if progress is not None:
            stored = reader.card(progress.card_id)
            if stored is None or stored[1]:
                return None  # the card under study left the decks: next_sitting says so
        today = self.today()
        _, end = self.day_bounds(today)
        if self._held is None:  # read here, without the store's modules
            held = read_quickly(reader)
            if held is None:
                return None
            self._stored_held(held)
        chosen = self._choose(today, now=self.now(), data=reader.queue(today, end, self.scope()))
        if not chosen:
            return None
        card_id = chosen[0]
        stored = reader.card(card_id)
        found = self._find(card_id, stored[0]) if stored is not None else None
        if found is None:
            return None
        card, deck = found
        resumed = progress if progress is not None and progress.card_id == card_id else None
        return self._sitting(
            card_id, card, deck, resumed, reader.memory(card_id), reader.notes(card_id)
        )

    def _sitting(
        self,
        card_id: str,
        card: Card,
        deck: Deck,
        progress_row: ProgressRow | SavedProgress | None,
        state: MemoryState | None,
        notes: list[tuple[int, str, datetime]],
    ) -> Sitting:
        """A sitting of `card_id`: resumed from its saved progress if any; `notes` newest first.
        For a whole-proof card, `card` is the proof's first step and `deck` the proof."""
        is_review = state is not None
        settings = self.settings
        whole = is_proof_card(card_id)
        if whole:  # one timer for the sitting: the proof's own, not its steps'
            timer = (
                resolve_timer(deck.review_timer, default=settings.review_timer)
                if is_review
                else resolve_timer(deck.timer, default=settings.timer)
            )
        elif is_review:
            timer = resolve_timer(
                card.review_timer, deck.review_timer, default=settings.review_timer
            )
        else:
            timer = resolve_timer(card.timer, deck.timer, default=settings.timer)
        hint_gap = resolve_timer(deck.hint_gap, default=settings.hint_gap)
        facts = _facts(card, timer, hint_gap)
        snapshot = None
        started = self.now()
        proof = None
        if progress_row is not None:
            started = progress_row.started_at
            if not whole:
                snapshot = _snapshot_from(progress_row)
        from tutor.study.draws import prepare, seeded, stated_deck

        deck = stated_deck(deck)  # drawn numbers: other steps of a proof as the author wrote them
        if not whole:  # a review draws new numbers; the snapshot keeps them (`tutor.study.draws`)
            last = state.last_review if state is not None else None
            source = self.draws or seeded()
            card, snapshot = prepare(
                card, snapshot, review=is_review, last_review=last, source=source
            )
        if whole:
            steps = [_facts(step, timer, hint_gap) for step in deck.cards]
            proof = _proof_session(card_id, steps, timer, self.clock, progress_row)
            card = deck.cards[proof.index]
        earlier = [note for note in notes if note[2] < started]  # newest first
        # last time's notes: every note of the last sitting with notes, oldest first
        last_time = [
            Note(note_id, text, at)
            for note_id, text, at in reversed(earlier)
            if at > earlier[0][2] - _SITTING
        ]
        session_ = proof.session if proof is not None else CardSession(facts, self.clock, snapshot)
        return Sitting(
            desk=self,
            card=card,
            deck=deck,
            session=session_,
            memory=state,
            started_at=started,
            is_review=is_review,
            resumed=progress_row is not None,
            last_note="\n".join(note.text for note in last_time) if last_time else None,
            last_notes=last_time,
            proof=proof,
        )

    def forget_queue(self) -> None:
        """Read today's queue from the store at its next use (after an undo, a sync)."""
        self._queue = None

    def _begun(self, card_id: str) -> None:
        """The card under study has its progress saved: it is the unfinished one."""
        if self._queue is not None:
            self._queue = (self._queue[0], dataclasses.replace(self._queue[1], unfinished=card_id))

    def _reviewed(self, state: MemoryState, first: bool, whole: bool) -> None:
        """A review was saved today: what `queue_data` would now read, without reading it (a
        whole proof's is read again: its first day's sittings are counted apart)."""
        cached = self._queue
        if cached is None or cached[0] != state.last_day or whole:
            self._queue = None
            return
        day, data = cached
        _, end = self.day_bounds(day)
        due = [other for other in data.due if other.card_id != state.card_id]
        if state.due < end:
            due.append(state)
        self._queue = (
            day,
            dataclasses.replace(
                data,
                due=due,
                new=[row for row in data.new if row.card_id != state.card_id],
                reconstructed=data.reconstructed | {state.card_id}
                if state.reconstructed
                else data.reconstructed,
                unfinished=None,
                done_today=data.done_today + 1,
                repeats_today=data.repeats_today + (0 if first else 1),
                studied_today=data.studied_today | {state.card_id},
            ),
        )

    def checker(self) -> Checker:
        """The checker's pool, made once (a preview and a submit judged from two worker
        threads at the same moment share it)."""
        with self._checker_lock:
            if self._checker is None:
                if self._make_checker is not None:
                    self._checker = self._make_checker()
                else:
                    from tutor.check.sandbox import Checker

                    self._checker = Checker()
            return self._checker


class _EveryCard(Container[str]):
    def __contains__(self, card_id: object) -> bool:
        return True


_EVERY_CARD = _EveryCard()


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
        self._due = due
        self._reconstructed = reconstructed
        self._studied = studied
        self._today = today

    def __getitem__(self, card_id: str) -> CardProgress:
        found = self._due.get(card_id)
        if found is not None:
            return found
        if card_id in self._studied:
            return CardProgress(reconstructed=card_id in self._reconstructed, last_day=self._today)
        if card_id in self._reconstructed:
            return self._RECONSTRUCTED
        raise KeyError(card_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._due.keys() | self._reconstructed | self._studied)

    def __len__(self) -> int:
        return len(self._due.keys() | self._reconstructed | self._studied)


def _memory(state: MemoryState) -> Memory:
    return Memory(**{name: getattr(state, name) for name in Memory.__dataclass_fields__})


def _has_whole(deck: Deck, proof_id: str) -> bool:
    """`deck` is the proof `proof_id`, with steps enough to have a whole-proof card."""
    return deck.id == proof_id and deck.is_proof and len(deck.cards) >= MIN_STEPS


def _facts(card: Card, timer: int, hint_gap: int) -> CardFacts:
    return CardFacts(
        card_id=card.id,
        checkable=card.checkable,
        hints=len(card.hints),
        key_ideas=len(card.key_ideas),
        timer=timer,
        hint_gap=hint_gap,
    )


def _proof_session(
    card_id: str,
    steps: list[CardFacts],
    timer: int,
    clock: Clock,
    row: ProgressRow | SavedProgress | None,
) -> ProofSession:
    """A whole-proof sitting, resumed from its saved state if any. A state that cannot be read,
    or that belongs to the proof before an edit of its steps, starts again at the first step
    with the time already spent (the timer is not reset)."""
    if row is None:
        return ProofSession(card_id, steps, timer, clock)
    try:
        saved = ProofSnapshot.from_json(json.loads(row.state_json))
        return ProofSession(card_id, steps, timer, clock, saved)
    except (ValueError, TypeError, KeyError):
        spent = Snapshot(card_id=steps[0].card_id, active_seconds=row.active_seconds)
        return ProofSession(card_id, steps, timer, clock, ProofSnapshot(card_id, [spent]))


def _snapshot_from(row: ProgressRow | SavedProgress) -> Snapshot:
    """The saved state of the unfinished card; if it cannot be read, its timer at least."""
    try:
        data = json.loads(row.state_json)
        snapshot = Snapshot.from_json(data)
        if snapshot.card_id == row.card_id:
            return snapshot
    except (ValueError, TypeError, KeyError):
        pass
    return Snapshot(
        card_id=row.card_id,
        active_seconds=row.active_seconds,
        hints_shown=row.hints_shown,
        revealed=row.revealed,
    )


# -- one card's sitting ------------------------------------------------------------------------


class NotSaved(StoreError):
    """An action of a sitting could not be saved. The sitting was reloaded from the database,
    so what the front end shows is what is stored; the message says in one line why, what the
    database keeps of the card and what was lost."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reloaded_on_failure(
    action: Callable[Concatenate[Sitting, _P], _R],
) -> Callable[Concatenate[Sitting, _P], _R]:
    """A sitting's action that writes: if the write fails, the sitting is reloaded from the
    database (`Sitting.reload`) and NotSaved says what was kept, instead of the front end
    going on with an attempt, hint or rating the database does not hold."""

    def act(self: Sitting, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        before = self._machine_copy()
        try:
            return action(self, *args, **kwargs)
        except NotSaved:
            raise
        except StoreError as failed:
            raise NotSaved(f"{failed}; {self.reload(before)}") from failed

    functools.update_wrapper(act, action)
    return act


@dataclass(frozen=True)
class _Tally:
    """What a sitting holds, counted, to say what a reload kept and lost."""

    answers: int
    hints: int
    notes: int
    revealed: bool
    steps_begun: int
    done: bool

    @classmethod
    def of(cls, snapshot: Snapshot | ProofSnapshot) -> _Tally:
        steps = snapshot.steps if isinstance(snapshot, ProofSnapshot) else [snapshot]
        return cls(
            answers=sum(len(step.attempts) for step in steps),
            hints=sum(step.hints_shown for step in steps),
            notes=sum(len(step.notes) for step in steps),
            revealed=any(step.revealed for step in steps),
            steps_begun=len(steps),
            done=bool(steps) and steps[-1].phase == Phase.DONE.value,
        )

    def kept(self) -> str:
        """What the database keeps, as the learner counts it."""
        parts = [_count(self.answers, "answer"), _count(self.hints, "hint")]
        if self.notes:
            parts.append(_count(self.notes, "note"))
        if self.steps_begun > 1:
            parts.append(f"step {self.steps_begun}")
        if self.revealed:
            parts.append("the answer shown")
        return ", ".join(parts)

    def lost(self, held: _Tally) -> list[str]:
        """What the front end held (`held`) and the database does not."""
        lost = []
        if held.answers > self.answers:
            missing = held.answers - self.answers
            lost.append("your last answer" if missing == 1 else f"your last {missing} answers")
        if held.hints > self.hints:
            lost.append("the hint just taken")
        if held.notes > self.notes:
            lost.append("your note")
        if held.steps_begun > self.steps_begun:
            lost.append("the move to the next step")
        if held.revealed and not self.revealed:
            lost.append("showing the answer")
        if not lost and held.done and not self.done:
            lost.append("the end of the card")
        return lost


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class RebuiltStep:
    """A step done in a whole-proof sitting: what the learner wrote for it (None: nothing
    typed, a reconstruction on paper), and how it went."""

    card: Card
    answer: str | None
    outcome: Outcome


@dataclass(frozen=True)
class Note:
    """A confusion note written at an earlier sitting of the card."""

    id: int
    text: str
    written_at: datetime


@dataclass
class Sitting:
    """Today's card under study: the session machine plus saving. Every action saves."""

    desk: Desk
    card: Card
    deck: Deck
    session: CardSession
    memory: MemoryState | None
    started_at: datetime
    is_review: bool
    resumed: bool
    last_note: str | None
    """The newest confusion note written before this sitting: shown when the card comes back."""
    last_notes: list[Note] = field(default_factory=list)
    """Last time's notes that are not resolved, oldest first, each with its id and date."""
    last_verdict: Verdict | None = field(default=None)
    saved_review: SavedReview | None = field(default=None)
    """The review `finish` saved, until the next card begins: what `undo` takes back."""
    proof: ProofSession | None = field(default=None)
    """A whole-proof sitting (`tutor.study.proof`): the proof rebuilt from its statement, step
    by step. `card` and `session` are then the step under study (or just done), and move on
    with `next_step`; `deck` is the proof."""

    @property
    def card_id(self) -> str:
        """The id of the card this sitting rates: the card's, or the whole-proof card's."""
        return self.proof.card_id if self.proof is not None else self.card.id

    @property
    def kind(self) -> str:
        """What is studied, as the front ends name it: the card's kind, or `proof`."""
        return "proof" if self.proof is not None else self.card.kind

    @property
    def _machine(self) -> CardSession | ProofSession:
        """What rates the sitting: the card's session, or the whole proof's."""
        return self.proof if self.proof is not None else self.session

    @property
    def phase(self) -> Phase:
        """The card's phase; in a whole-proof sitting, the step's, with `Phase.STEP_DONE`
        between steps and `Phase.DONE` once the last step is done."""
        return self._machine.phase

    @property
    def timer(self) -> int:
        """The confusion timer of the sitting, in seconds (for a whole proof: all its steps')."""
        return self.proof.timer if self.proof is not None else self.session.facts.timer

    @property
    def established(self) -> list[Card]:
        """For a proof step, the steps before it (shown with their answers). None in a
        whole-proof sitting: it shows only the learner's own answers (`rebuilt`)."""
        if self.proof is not None or not self.deck.is_proof:
            return []
        return self.deck.cards[: self.card.position]

    @property
    def rebuilt(self) -> list[RebuiltStep]:
        """In a whole-proof sitting, the steps done so far, with the learner's own answers."""
        if self.proof is None:
            return []
        done: list[RebuiltStep] = []
        for step, session in zip(self.deck.cards, self.proof.sessions, strict=False):
            if session.phase is not Phase.DONE:
                break
            attempts = session.attempts
            answer = attempts[-1].answer if attempts else None
            done.append(RebuiltStep(step, answer, session.outcome()))
        return done

    def outcome(self) -> Outcome:
        """How the sitting is rated, once it is done (a whole proof: its worst step)."""
        return self._machine.outcome()

    @property
    def notes(self) -> list[str]:
        """The confusion notes written in this sitting."""
        return self._machine.notes

    @_reloaded_on_failure
    def next_step(self) -> None:
        """In a whole-proof sitting, go on from the step just done to the next one."""
        if self.proof is None:
            raise NotAllowed("only a whole-proof sitting has steps to go on to")
        self.proof.next_step()
        self.session = self.proof.session
        self.card = self.deck.cards[self.proof.index]
        self.last_verdict = None
        self._save()

    # -- actions -------------------------------------------------------------------------------

    @_reloaded_on_failure
    def take_hint(self) -> str:
        """The next hint's Markdown source. Raises Locked while it must wait."""
        index = self.session.take_hint()
        self._save()
        return self.card.hints[index].source

    @_reloaded_on_failure
    def reveal(self) -> None:
        self.session.reveal()
        self._save()

    def judge(self, answer: str) -> Verdict:
        """The checker's verdict on an answer to this card (no state changes: a front end may
        call this from a worker and then `submit(answer, verdict)`)."""
        from tutor.check.spec import CheckSpec

        if self.card.check is None:
            raise ValueError(f"{self.card.id} is self-assessed: it has no check block")
        spec = CheckSpec.from_pairs(self.card.check.pairs())
        return self.desk.checker().judge(spec, answer)

    @_reloaded_on_failure
    def submit(self, answer: str, verdict: Verdict | None = None) -> Verdict | None:
        """Record an attempt. A machine-checked card's answer is judged (unless `verdict` is
        given); a self-assessed card's moves on to comparing with the answer (None)."""
        from tutor.store import queries as q
        from tutor.store.models import AttemptRow

        answer = answer[:MAX_ANSWER]
        if self.card.checkable and verdict is None:
            verdict = self.judge(answer)
        word = verdict.verdict if verdict is not None else ""
        feedback = verdict.feedback if verdict is not None else ""
        read_as = verdict.read_as if verdict is not None else ""
        told = verdict.told if verdict is not None else False
        self.session.submit(answer, word, feedback, read_as, told=told)
        self.last_verdict = verdict
        attempt = AttemptRow(
            learner=self.desk.learner,
            card_id=self.card_id,
            step=self.card.id if self.proof is not None else None,
            at=self.desk.now(),
            active_seconds=self.session.active_seconds(),
            answer=answer,
            verdict=word or "self-assessed",
            feedback=feedback,
            read_as=read_as,
        )
        with self.desk.session() as session:
            q.record_attempt(session=session, attempt=attempt, progress=self._progress_row())
        self.desk._begun(self.card_id)
        return verdict

    def begin(self) -> None:
        """The card is shown now: its time, and the sitting, start here."""
        self.session.restart()
        self.started_at = self.desk.now()

    @_reloaded_on_failure
    def compare(self) -> None:
        """Show the answer to compare with (a self-assessed card, an undecided answer): only
        once the timer has run out."""
        self.session.compare()
        self._save()

    @_reloaded_on_failure
    def assess(self, recalled: set[int]) -> None:
        self.session.assess(recalled)
        self._save()

    @property
    def can_undo(self) -> bool:
        return self._machine.can_undo

    @_reloaded_on_failure
    def undo(self) -> None:
        """Take back the last rating or reveal: the card is open again as it was, and when its
        review was saved already, the database is as it was before it (memory, review, the
        day's totals, the streak)."""
        from tutor.store import queries as q

        self._machine.undo()
        if self.saved_review is None:
            self._save()
            return
        with self.desk.session() as session:
            q.undo_review(session=session, saved=self.saved_review, progress=self._progress_row())
        self.saved_review = None
        self.desk.forget_queue()

    @_reloaded_on_failure
    def upgrade_to_easy(self) -> None:
        self._machine.upgrade_to_easy()
        self._save()

    @_reloaded_on_failure
    def add_note(self, text: str) -> None:
        from tutor.store import queries as q

        text = text.strip()[:MAX_ANSWER]
        if not text:
            return
        self._machine.add_note(text)
        with self.desk.session() as session:
            q.add_note(session=session, card_id=self.card_id, text=text, written_at=self.desk.now())
        if self.phase is not Phase.DONE:  # a done card has no progress left to save
            self._save()

    @_reloaded_on_failure
    def resolve_note(self, note: Note) -> None:
        """Mark one of last time's notes resolved: it stops coming back."""
        from tutor.store import queries as q

        with self.desk.session() as session:
            q.resolve_note(session=session, note_id=note.id, at=self.desk.now())
        self.last_notes = [kept for kept in self.last_notes if kept.id != note.id]
        self.last_note = "\n".join(kept.text for kept in self.last_notes) or None

    def keep_draft(self, text: str) -> None:
        """Keep the answer being written (saved with the next `save`)."""
        self.session.keep_draft(text[:MAX_ANSWER])

    @_reloaded_on_failure
    def save(self) -> None:
        """Save the state of the sitting (its active time included)."""
        self._save()

    def _save(self) -> None:
        from tutor.store import queries as q

        with self.desk.session() as session:
            q.save_progress(session=session, progress=self._progress_row())
        self.desk._begun(self.card_id)

    def _machine_copy(self) -> CardSession | ProofSession:
        """A copy of the sitting's state machine (sharing the desk's clock), to go back to."""
        clock = self.desk.clock
        return copy.deepcopy(self._machine, {id(clock): clock})

    def reload(self, before: CardSession | ProofSession) -> str:
        """After a write failed: make the sitting what the database holds of it, so that the
        front end goes on from there, and say in one line what was kept and what was lost.

        The database's saved progress of the card is taken when there is one; with none, the
        card as first shown, unless the card's review is saved already (a failed undo) or the
        database cannot be read either, when `before` (a copy of the state machine before the
        failed action, able to undo as it was) is taken. The time spent on the card is kept
        whatever the database holds (it is saved with the next write that succeeds), so a disk
        that stays full does not hold the timer back, and so is the answer being written."""
        from tutor.store import queries as q

        held = _Tally.of(self._machine.snapshot())
        spent = self._machine.active_seconds()
        draft = self.session.draft
        unreadable = False
        try:
            with self.desk.session() as session:
                row = q.load_progress(session=session)
        except StoreError:
            row, unreadable = None, True
        if row is not None and row.card_id == self.card_id:
            self._rebuild(row=row)
        elif unreadable or self.saved_review is not None:
            self._take(before)
        else:
            self._rebuild()
        self.session.credit(spent - self._machine.active_seconds())
        if self.session.phase is Phase.THINKING and not self.session.draft:
            self.session.keep_draft(draft)
        kept = _Tally.of(self._machine.snapshot())
        lost = kept.lost(held)
        if lost:
            self.last_verdict = None
        if unreadable:
            line = f"the database cannot be read either: the card is as before ({kept.kept()})"
        else:
            line = f"the database keeps {kept.kept()}"
        return line + (f"; lost: {', '.join(lost)}" if lost else "; nothing else was lost")

    def _rebuild(self, *, row: ProgressRow | None = None) -> None:
        """The sitting's state machine made again from a saved progress row, or (None) as the
        card was first shown."""
        clock = self.desk.clock
        if self.proof is not None:
            proof = self.proof
            self._take(_proof_session(proof.card_id, list(proof.steps), proof.timer, clock, row))
            return
        state = _snapshot_from(row) if row is not None else None
        self._take(CardSession(self.session.facts, clock, state))

    def _take(self, machine: CardSession | ProofSession) -> None:
        """Make `machine` the sitting's state machine."""
        if isinstance(machine, ProofSession):
            self.proof = machine
            self.session = machine.session
            self.card = self.deck.cards[machine.index]
        else:
            self.session = machine

    def _progress_row(self) -> ProgressRow:
        from tutor.store.models import ProgressRow

        snapshot = self._machine.snapshot()
        return ProgressRow(
            learner=self.desk.learner,
            card_id=self.card_id,
            study_day=self.desk.today(),
            started_at=self.started_at,
            updated_at=self.desk.now(),
            active_seconds=snapshot.active_seconds,
            hints_shown=snapshot.hints_shown,
            revealed=snapshot.revealed,
            state_json=json.dumps(snapshot.to_json(), ensure_ascii=False),
        )

    @_reloaded_on_failure
    def finish(self) -> Finished:
        """Rate and schedule the card and save its review, all in one transaction."""
        from tutor.store import queries as q
        from tutor.store.models import MemoryRow, ReviewRow

        outcome = self.outcome()
        desk = self.desk
        now = desk.now()
        today = desk.today()
        prior = self.memory
        memory = review(
            _memory(prior) if prior is not None else None,
            outcome.rating,
            now,
            desired_retention=desk.settings.desired_retention,
            fuzz=desk.fuzz,
            parameters=desk.parameters(),
        )
        run = (prior.run if prior is not None else 0) + 1 if outcome.success else 0
        if self.proof is not None:
            attempts = [a for session in self.proof.sessions for a in session.attempts]
            final_answer = "\n".join(
                f"{step.card.position + 1}. {step.answer if step.answer is not None else ''}"
                for step in self.rebuilt
            )
        else:
            attempts = self.session.attempts
            final_answer = attempts[-1].answer if attempts else ""
        review_row = ReviewRow(
            learner=desk.learner,
            card_id=self.card_id,
            study_day=today,
            started_at=self.started_at.astimezone(UTC),
            ended_at=now,
            active_seconds=outcome.active_seconds,
            attempts=outcome.attempts,
            hints_used=outcome.hints_used,
            revealed=outcome.revealed,
            verdicts=json.dumps([a.verdict or "self-assessed" for a in attempts]),
            rating=int(outcome.rating),
            success=outcome.success,
            final_answer=final_answer,
            ideas_recalled=outcome.ideas_recalled,
            ideas_total=outcome.ideas_total,
        )
        memory_row = MemoryRow(
            learner=desk.learner,
            card_id=self.card_id,
            **dataclasses.asdict(memory),
            reconstructed=(prior is not None and prior.reconstructed) or outcome.success,
            run=run,
            last_day=today,
        )
        with desk.session() as session:
            pending = q.pending_attempts(session=session, card_id=self.card_id)
            self.saved_review = q.save_review(
                session=session, review=review_row, memory=memory_row, attempts=pending
            )
        desk._reviewed(
            MemoryState(
                self.card_id,
                memory.state,
                memory.step,
                memory.stability,
                memory.difficulty,
                memory.due,
                memory.last_review,
                memory_row.reconstructed,
                run,
                today,
            ),
            first=prior is None,
            whole=self.proof is not None,
        )
        return Finished(
            card_id=self.card_id,
            outcome=outcome,
            due=memory.due,
            streak=desk.streak(),
            run=run,
            whole=self.proof is not None,
        )
