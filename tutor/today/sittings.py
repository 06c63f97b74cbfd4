"""Today's card made into a sitting: picked by the queue, read from the database, its timer
resolved, its numbers drawn, resumed from its saved progress.

Both ways in read through `tutor.store.reads`, the same SQL texts: `next` through the store
(which may sync, and tells of a card that left the decks), `quick` through the standard
library's sqlite3 before the store is opened (the fast start), which steps aside (None) whenever
the store has work to do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import chain
from typing import TYPE_CHECKING, Protocol, TypeVar

from tutor.deck.model import Card, Deck
from tutor.held import read_quickly
from tutor.store.rows import MemoryState, SavedProgress
from tutor.study.proof import is_proof_card
from tutor.study.session import CardSession, resolve_timer
from tutor.today.sitting import Note, Sitting, facts_of, proof_session, snapshot_from

if TYPE_CHECKING:
    from tutor.store.reads import CardPlace, Reads
    from tutor.today.desk import Desk

T = TypeVar("T")


class Read(Protocol):
    """Runs a read of today's card (`tutor.store.reads`) on some connection."""

    def __call__(self, read: Callable[[Reads], T], /) -> T: ...


_CardReads = tuple["CardPlace | None", "MemoryState | None", list[tuple[int, str, datetime]]]
"""What a sitting of one card reads: where the card is, its memory, its notes."""


def _card_reads(reads: Reads, card_id: str) -> _CardReads:
    _progress, place, memory, notes = reads.next_card(card_id)
    return place, memory, notes


def _read_already(found: _CardReads) -> Read:
    """A `Read` of a card's reads made already (`_card_reads`, in `next`'s one transaction)."""

    def read(_read: Callable[[Reads], T]) -> T:
        return found  # type: ignore[return-value]

    return read


_SITTING = timedelta(hours=12)
"""Notes written within this span of the newest one belong to the same sitting."""


class Sittings:
    """Makes the desk's sittings."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def _stored(self, read: Callable[[Reads], T]) -> T:
        """`read` in a read transaction of the store of its own."""
        place = self.desk.place
        place.load()
        from tutor.store import queries as q

        with q.reading(place.engine, place.learner, place.held) as reads:
            return read(reads)

    def next(self, *, one_more: bool = False) -> Sitting | None:
        """Today's next card as a sitting (the unfinished one resumed), or None when the day's
        cards are done. `one_more`: when they are, the card the learner asked to take beyond
        them; begun, it resumes like any card until it is done. The saved progress and what
        the first card in the queue needs are read in one transaction."""
        desk = self.desk
        queue = desk.queue.cards()
        first = next(queue, None)
        cards: Iterator[str] = chain([] if first is None else [first], queue)

        def together(reads: Reads) -> tuple[SavedProgress | None, bool, _CardReads | None]:
            found: _CardReads | None = None
            if first is None:
                progress = reads.progress()
            else:
                progress, place, memory, notes = reads.next_card(first)
                found = place, memory, notes
            stored = None
            if progress is not None:  # the unfinished card: the first in the queue, mostly
                if found is not None and progress.card_id == first:
                    stored = found[0]
                else:
                    stored = reads.card(progress.card_id)
            gone = progress is not None and (stored is None or stored[1])
            return progress, gone, found

        progress, gone, first_reads = self._stored(together)
        if progress is not None and gone:
            desk.notices.append(
                f"the card you were working on, {progress.card_id}, is no longer in the "
                "decks; its attempts are kept"
            )
            desk.ledger.clear_progress()
            progress = None
            desk.queue.forget()
            cards, first_reads = desk.queue.cards(), None
        for card_id in cards:
            read: Read = self._stored
            if first_reads is not None and card_id == first:
                read, first_reads = _read_already(first_reads), None
            sitting = self._of(read, card_id, progress, resync=True)
            if sitting is not None:
                return sitting
        if one_more:
            for card_id in desk.queue.choose(desk.today(), now=desk.now(), extra=True):
                sitting = self._of(self._stored, card_id, progress, resync=True)
                if sitting is not None:
                    return sitting
        return None

    def quick(self) -> Sitting | None:
        """Today's next card read with the standard library alone, or None when that cannot be
        done (no database yet, changed decks, an older schema, another kind of database, a
        card that left the decks, nothing to study, a file that fails its check on opening)."""
        desk = self.desk
        if not desk.place.passes_on_open():
            return None  # the store refuses it in one line when it is opened
        reader = desk.place.quick_reader(desk.shelf.fingerprint())
        if reader is None:
            return None
        with reader:
            return reader.guarded(lambda _: self._quick(reader.reads, read_quickly(reader)))

    def _quick(self, reads: Reads, held: str | None) -> Sitting | None:
        desk = self.desk
        progress = reads.progress()
        if progress is not None:
            stored = reads.card(progress.card_id)
            if stored is None or stored[1]:
                return None  # the card under study left the decks: `next` says so
        if not desk.shelf.held_known:  # read here, without the store's modules
            if held is None:
                return None
            desk.shelf.stored_held(held)
        today = desk.today()
        scope = desk.shelf.scope()
        now, end = desk.now(), desk.day_bounds(today)[1]
        data = reads.reviews(today, end, scope, now=now, limit=desk.queue.first_limit())
        chosen = desk.queue.choose(today, now=now, data=data)
        if not chosen:  # no review comes first: the new cards are needed
            data = data.with_new(reads.new_cards(today, scope))
            chosen = desk.queue.choose(today, now=now, data=data)
        desk.queue.keep(today, data)
        if not chosen:
            return None

        def here(read: Callable[[Reads], T]) -> T:
            return read(reads)

        return self._of(here, chosen[0], progress, resync=False)

    def _of(
        self,
        read: Read,
        card_id: str,
        progress: SavedProgress | None,
        *,
        resync: bool,
    ) -> Sitting | None:
        """The sitting of `card_id`, read by `read`. A card missing from its deck file means
        the decks changed since the last sync: with `resync` they are synced again and the
        card looked for in all of them, else None."""
        shelf = self.desk.shelf
        # one read of what the sitting needs: a sync does not change the memory or the notes
        stored, state, notes = read(lambda reads: _card_reads(reads, card_id))
        if stored is not None:  # its span: read that part of its file alone
            found = shelf.find(
                card_id,
                stored.path,
                span=stored.span,
                position=stored.position,
                reading=stored.reading,
            )
        else:
            found = shelf.find(card_id)
        if found is None:
            if not resync:
                return None
            self.desk.sync(force=True)
            found = shelf.find(card_id)
            if found is None:
                return None
        card, deck = found
        resumed = progress if progress is not None and progress.card_id == card_id else None
        return self.build(card_id, card, deck, resumed, state, notes)

    def build(
        self,
        card_id: str,
        card: Card,
        deck: Deck,
        progress: SavedProgress | None,
        state: MemoryState | None,
        notes: list[tuple[int, str, datetime]],
    ) -> Sitting:
        """A sitting of `card_id`: resumed from its saved progress if any; `notes` newest first.
        For a whole-proof card, `card` is the proof's first step and `deck` the proof."""
        from tutor.study.draws import prepare, seeded, stated_deck

        desk = self.desk
        settings = desk.settings
        is_review = state is not None
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
        facts = facts_of(card, timer, hint_gap)
        snapshot = None
        started = desk.now()
        proof = None
        if progress is not None:
            started = progress.started_at
            if not whole:
                snapshot = snapshot_from(progress)
        deck = stated_deck(deck)  # drawn numbers: other steps of a proof as the author wrote them
        if not whole:  # a review draws new numbers; the snapshot keeps them (`tutor.study.draws`)
            last = state.last_review if state is not None else None
            source = desk.draws or seeded()
            card, snapshot = prepare(
                card, snapshot, review=is_review, last_review=last, source=source
            )
        if whole:
            steps = [facts_of(step, timer, hint_gap) for step in deck.cards]
            proof = proof_session(card_id, steps, timer, desk.clock, progress)
            card = deck.cards[proof.index]
        earlier = [note for note in notes if note[2] < started]  # newest first
        # last time's notes: every note of the last sitting with notes, oldest first
        last_time = [
            Note(note_id, text, at)
            for note_id, text, at in reversed(earlier)
            if at > earlier[0][2] - _SITTING
        ]
        machine = proof.session if proof is not None else CardSession(facts, desk.clock, snapshot)
        return Sitting(
            desk=desk,
            card=card,
            deck=deck,
            session=machine,
            memory=state,
            started_at=started,
            is_review=is_review,
            resumed=progress is not None,
            last_note="\n".join(note.text for note in last_time) if last_time else None,
            last_notes=last_time,
            proof=proof,
        )
