"""Today's card, read: the one set of SQL texts both readers run.

Picking and showing today's card reads the queue (`queue`), the card's place (`card`), its
memory state (`memory`), its confusion notes (`notes`) and the unfinished card (`progress`).
The full store runs these texts through SQLAlchemy on SQLite or PostgreSQL
(`queries.today_reads`); the quick start runs them through the standard library's sqlite3 on a
read-only connection (`quick.QuickReader`), before SQLAlchemy is even imported. One text and one
decoding for both, so the card the quick start shows is the card the store would pick
(tests/store/test_one_read_path.py holds their results equal over generated databases).

Only the standard library here (and the deck model's `Span`, which the quick start loads
anyway): this module is on the quick start's path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from tutor.check.clean import strip_controls
from tutor.deck.model import Span
from tutor.store.errors import UnreadableValue
from tutor.store.rows import (
    META_CARD_ORDER,
    META_DECK_SET_HASH,
    WHOLES_TODAY_SQL,
    FirstDue,
    MemoryState,
    NewCards,
    QueueData,
    SavedProgress,
    in_scope,
    new_cards_sql,
    queue_row,
    stored_order,
)
from tutor.study.proof import is_proof_card

Run = Callable[[str, Mapping[str, Any]], Iterable[Sequence[Any]]]
"""Runs one SQL text with named parameters (`:name`) and gives its rows as tuples."""

STORED_INSTANT = "%Y-%m-%d %H:%M:%S.%f"
"""How the store keeps an instant in SQLite: naive UTC text (`models.UTCDateTime`)."""

CHUNK = 500
"""Ids bound in one `IN (…)` list (SQLite allows 32,766 parameters, older builds 999)."""

MEMORY_COLUMNS = (
    "m.card_id, m.state, m.step, m.stability, m.difficulty, m.due, m.last_review, "
    "m.reconstructed, m.run, m.last_day"
)

CARD_SQL = (
    "SELECT path, retired, position, span_head, span_start, span_end, span_line, reading "
    "FROM card WHERE id = :card_id"
)
MEMORY_SQL = (
    f"SELECT {MEMORY_COLUMNS} FROM memory m WHERE m.learner = :learner AND m.card_id = :card_id"
)
NOTES_SQL = (
    "SELECT id, text, written_at FROM note WHERE learner = :learner AND card_id = :card_id "
    "AND resolved_at IS NULL ORDER BY written_at DESC, id DESC"
)
_PROGRESS = ("card_id", "started_at", "active_seconds", "hints_shown", "revealed", "state_json")
PROGRESS_SQL = f"SELECT {', '.join(_PROGRESS)} FROM progress WHERE learner = :learner"
_CARD_PLACE = (
    "c.path, c.retired, c.position, c.span_head, c.span_start, c.span_end, c.span_line, c.reading"
)
NEXT_CARD_SQL = (
    f"SELECT {_CARD_PLACE}, {MEMORY_COLUMNS}, {', '.join(f'p.{name}' for name in _PROGRESS)}, "
    "n.id, n.text, n.written_at FROM card c "
    "LEFT JOIN memory m ON m.learner = :learner AND m.card_id = c.id "
    "LEFT JOIN progress p ON p.learner = :learner "
    "LEFT JOIN note n ON n.learner = :learner AND n.card_id = c.id AND n.resolved_at IS NULL "
    "WHERE c.id = :card_id ORDER BY n.written_at DESC, n.id DESC"
)
"""What showing a card reads, in one statement, for a card that has its row: its place
(`CARD_SQL`) and memory (`MEMORY_SQL`), the unfinished card's saved state, whichever card that
is (`PROGRESS_SQL`), and the card's notes (`NOTES_SQL`), a row for each (one with none)."""
_PLACE_END = _CARD_PLACE.count(",") + 1  # where each part of a row of it ends
_MEMORY_END = _PLACE_END + MEMORY_COLUMNS.count(",") + 1
_PROGRESS_END = _MEMORY_END + len(_PROGRESS)
STUDY_DAY_SQL = (
    "SELECT reviews, repeat_reviews FROM study_day WHERE learner = :learner AND day = :today"
)
META_SQL = "SELECT key, value FROM meta WHERE key IN (:key0, :key1)"
RECONSTRUCTED_SQL = (
    "SELECT card_id FROM memory WHERE learner = :learner AND reconstructed AND card_id IN ({ids})"
)
STUDIED_SQL = (
    "SELECT card_id FROM memory WHERE learner = :learner AND last_day = :today "
    "AND card_id IN ({ids})"
)


def due_sql(paths: Sequence[str] | None) -> tuple[str, dict[str, str]]:
    """The active cards of the deck files `paths` (None: all) due before `:end`, as memory
    states, and the parameters of the scope."""
    scope, params = in_scope("c.path", paths)
    sql = (
        f"SELECT {MEMORY_COLUMNS} FROM memory m JOIN card c ON c.id = m.card_id "
        f"WHERE m.learner = :learner AND NOT c.retired AND m.due < :end{scope}"
    )
    return sql, params


_ELAPSED = (
    # whole days from the last review to `:now` (the days apart, less one if its time of day
    # is not reached yet), none if negative, over stability: `tutor.study.queue.elapsed`, on
    # the store's text of an instant (`STORED_INSTANT`)
    "max(0, CAST(:now_julian - julianday(substr(m.last_review, 1, 10)) AS INTEGER) "
    "- (substr(m.last_review, 12) > :now_time)) / m.stability"
)


_DUE_NOT_TODAY = (
    "m.learner = :learner AND m.due < :end AND (m.last_day IS NULL OR m.last_day <> :today)"
)
_FIRST_ORDER = (
    f"ORDER BY m.last_review IS NULL OR m.stability IS NULL DESC, {_ELAPSED} DESC, m.due, "
    "m.card_id LIMIT :limit"
)
FIRST_DUE_ANY_SQL = f"SELECT {MEMORY_COLUMNS} FROM memory m WHERE {_DUE_NOT_TODAY} {_FIRST_ORDER}"
"""`first_due_sql`'s first reviews, of any card the learner has reviewed: retired ones and
those of deck files out of scope too (`Reads._first_due` checks the ones read, and reads
`first_due_sql`'s when one of them is left out)."""
CARD_PLACES_SQL = "SELECT id, retired, path FROM card INDEXED BY ix_card_scope WHERE id IN ({ids})"
"""On SQLite, whether the cards `{ids}` are retired and their files, from the index that holds
just that (`ix_card_scope`), named: SQLite would read each card's row, a page apiece on a
new connection, where a few pages of the index have them all."""


def first_due_sql(paths: Sequence[str] | None) -> tuple[str, str, dict[str, str]]:
    """On SQLite, the first `:limit` reviews due before `:end` and not reviewed on `:today`, in
    `due_order`'s order at `:now` (never reviewed first, then by `elapsed`, the due, the id);
    and the times of day of the last reviews that decide when that order changes
    (`first_due_until`). With the parameters of the scope. The card's index `ix_card_scope`
    is named: without the planner's statistics SQLite would read each card's row instead."""
    scope, params = in_scope("c.path", paths)
    first = (
        f"SELECT {MEMORY_COLUMNS} FROM memory m JOIN card c INDEXED BY ix_card_scope "
        f"ON c.id = m.card_id WHERE {_DUE_NOT_TODAY} AND NOT c.retired{scope} {_FIRST_ORDER}"
    )
    # over the learner's reviews due, retired and out of scope too: the join costs as much as
    # the rest, and another card's time of day can only bring the change earlier (a read
    # again), never later
    reviewed = "m.stability IS NOT NULL AND m.last_review IS NOT NULL"
    times = (
        f"SELECT min(CASE WHEN {reviewed} AND substr(m.last_review, 12) > :now_time "
        "THEN substr(m.last_review, 12) END), "
        f"min(CASE WHEN {reviewed} THEN substr(m.last_review, 12) END) FROM memory m "
        f"WHERE {_DUE_NOT_TODAY}"
    )
    return first, times, params


def first_due_until(now: datetime, later: str | None, earliest: str | None) -> datetime | None:
    """When the order of the reviews due may change after `now` (UTC), from the times of day of
    their last reviews: `later`, the first of those after now's time of day, and `earliest`,
    the first of all (None: none was reviewed). A review gains a whole day when the clock
    reaches its time of day: today at the `later`, else tomorrow at the `earliest`, as
    `due_order` computes it. A last review after `now` gains its first day later than that
    (the instant is then early: the reviews are read again, never kept too long). Raises
    ValueError for a time the store does not write."""
    if earliest is None:
        return None
    if later is not None:
        return datetime.combine(now.date(), time.fromisoformat(later), UTC)
    return datetime.combine(now.date() + timedelta(days=1), time.fromisoformat(earliest), UTC)


class CardPlace(NamedTuple):
    """Where a card is, as the last sync stored it: its deck file, whether it was retired, its
    position in its deck, where its text sits in the file (None: read the whole file) and its
    reading (`tutor.deck.reading`; None: read its span)."""

    path: str
    retired: bool
    position: int = 0
    span: Span | None = None
    reading: str | None = None


@dataclass(frozen=True)
class Reads:
    """Today's reads of one learner over one connection (`run`). `sqlite`: the connection is
    to a SQLite file, whose instants and days are bound as the text the store keeps."""

    run: Run
    learner: str
    sqlite: bool

    def instant(self, value: datetime) -> object:
        """An instant as a parameter compared with stored ones."""
        return stored_instant(value) if self.sqlite else value.astimezone(UTC)

    def day(self, value: date) -> object:
        return value.isoformat() if self.sqlite else value

    def _rows(self, sql: str, **params: Any) -> list[Sequence[Any]]:
        return list(self.run(sql, {"learner": self.learner, **params}))

    def _active(self, paths: Sequence[str] | None, ids: Sequence[str]) -> set[str]:
        """Those of the cards `ids` that are active and of the deck files `paths` (None: any)."""
        scope = None if paths is None else set(paths)
        found: set[str] = set()
        for marks, names in _chunks(ids):
            found.update(
                str(card_id)
                for card_id, retired, path in self.run(CARD_PLACES_SQL.format(ids=marks), names)
                if not retired and (scope is None or path in scope)
            )
        return found

    def _ids(self, sql: str, ids: Sequence[str], **params: Any) -> set[str]:
        """The ids a query over `ids` (its `{ids}` list) returns, a chunk at a time."""
        found: set[str] = set()
        for marks, names in _chunks(ids):
            found.update(row[0] for row in self._rows(sql.format(ids=marks), **params, **names))
        return found

    def queue(
        self, today: date, end_of_today: datetime, paths: Sequence[str] | None = None
    ) -> QueueData:
        """What choosing today's cards reads, for the cards of the deck files `paths`
        (resolved; None: every active card)."""
        return self.reviews(today, end_of_today, paths).with_new(self.new_cards(today, paths))

    def reviews(
        self,
        today: date,
        end_of_today: datetime,
        paths: Sequence[str] | None = None,
        *,
        now: datetime | None = None,
        limit: int | None = None,
    ) -> QueueData:
        """`queue` less the new cards' part (`QueueData.complete` False): the reviews due, the
        unfinished card and today's counts, which are all the day's first cards need while
        reviews are due or a card is under study. With `now` and `limit`, on SQLite, only the
        first `limit` reviews in the order at `now` (`QueueData.first_due`): of 800 reviews
        due, the 100 a day takes are read, ordered by SQLite itself."""
        first = None
        if self.sqlite and now is not None and limit is not None:
            first = self._first_due(today, end_of_today, paths, now, limit)
        if first is not None:
            due, first_due = first
        else:
            sql, scope = due_sql(paths)
            end = self.instant(end_of_today)
            due = [memory_state(row) for row in self._rows(sql, end=end, **scope)]
            first_due = None
        progress = self._rows("SELECT card_id FROM progress WHERE learner = :learner")
        done = self._rows(STUDY_DAY_SQL, today=self.day(today))
        ((wholes,),) = self._rows(WHOLES_TODAY_SQL, today=self.day(today))
        return QueueData(
            due=due,
            new=[],
            reconstructed=frozenset(),
            unfinished=progress[0][0] if progress else None,
            done_today=int(done[0][0]) if done else 0,
            repeats_today=int(done[0][1]) if done else 0,
            wholes_today=int(wholes),
            first_due=first_due,
            complete=False,
        )

    def _first_due(
        self,
        today: date,
        end_of_today: datetime,
        paths: Sequence[str] | None,
        now: datetime,
        limit: int,
    ) -> tuple[list[MemoryState], FirstDue | None] | None:
        """The first `limit` reviews due in the order at `now`, and how they were read (None
        for that when they are all the reviews due); None when a time of day read is not one
        the store writes: then all are read (and the card named if it cannot be decoded)."""
        first, times, scope = first_due_sql(paths)
        utc = now.astimezone(UTC)
        at = stored_instant(utc)
        params = {
            "end": self.instant(end_of_today),
            "today": self.day(today),
            "now": at,
            "now_time": at[11:],
            "now_julian": _julian(utc.date()),
            **scope,
        }
        # the first reviews of any card, then their cards looked at: the join to every card due
        # cost a third of the read, and a retired card's or one out of scope is rare
        rows = self._rows(FIRST_DUE_ANY_SQL, limit=limit, **params)
        kept = self._active(paths, [str(row[0]) for row in rows])
        if len(kept) < len(rows):
            if len(rows) == limit:  # some left out: the first reviews of these cards alone
                rows = self._rows(first, limit=limit, **params)
            else:
                rows = [row for row in rows if str(row[0]) in kept]
        due = [memory_state(row) for row in rows]
        if len(rows) < limit:
            return due, None  # every review due was read
        ((later, earliest),) = self._rows(times, **params)
        try:
            until = first_due_until(utc, later, earliest)
        except (ValueError, TypeError):
            return None  # text another program wrote: all are read, and it is named
        return due, FirstDue(utc, until, limit)

    def new_cards(self, today: date, paths: Sequence[str] | None = None) -> NewCards:
        """The new cards' part of `queue`: the cards never reviewed, which of their
        prerequisites were reconstructed, the steps of whole proofs studied today, and the
        order new cards follow."""
        sql, scope = new_cards_sql(paths)
        new = [queue_row(*row) for row in self._rows(sql, **scope)]
        needed = sorted({r for row in new for r in row.requires})
        reconstructed = self._ids(RECONSTRUCTED_SQL, needed)
        steps = sorted({r for row in new if is_proof_card(row.card_id) for r in row.requires})
        studied = self._ids(STUDIED_SQL, steps, today=self.day(today))
        rows = self.run(META_SQL, {"key0": META_DECK_SET_HASH, "key1": META_CARD_ORDER})
        meta: dict[str, str] = {str(key): str(value) for key, value in rows}
        return NewCards(
            new=new,
            reconstructed=frozenset(reconstructed),
            studied_today=frozenset(studied),
            order=stored_order(meta.get(META_CARD_ORDER), meta.get(META_DECK_SET_HASH)),
        )

    def card(self, card_id: str) -> CardPlace | None:
        """Where a card is, as the last sync stored it (None: not in the database)."""
        rows = list(self.run(CARD_SQL, {"card_id": card_id}))
        return _card_place(rows[0]) if rows else None

    def memory(self, card_id: str) -> MemoryState | None:
        rows = self._rows(MEMORY_SQL, card_id=card_id)
        return memory_state(rows[0]) if rows else None

    def notes(self, card_id: str) -> list[tuple[int, str, datetime]]:
        """The notes on a card that are not resolved, newest first: (id, text, written at)."""
        return [
            (int(note_id), str(text), instant(written_at))
            for note_id, text, written_at in self._rows(NOTES_SQL, card_id=card_id)
        ]

    def progress(self) -> SavedProgress | None:
        """The unfinished card's saved state (None: no card is under study)."""
        rows = self._rows(PROGRESS_SQL)
        return _saved_progress(rows[0]) if rows else None

    def next_card(
        self, card_id: str
    ) -> tuple[
        SavedProgress | None, CardPlace | None, MemoryState | None, list[tuple[int, str, datetime]]
    ]:
        """`progress`, and `card`, `memory` and `notes` of `card_id`: in one statement while
        the card has its row (`NEXT_CARD_SQL`)."""
        rows = self._rows(NEXT_CARD_SQL, card_id=card_id)
        if not rows:  # no row of the card's
            return self.progress(), None, self.memory(card_id), self.notes(card_id)
        row = rows[0]
        memory, progress = row[_PLACE_END:_MEMORY_END], row[_MEMORY_END:_PROGRESS_END]
        notes = [
            (int(note_id), str(text), instant(written_at))
            for note_id, text, written_at in (found[_PROGRESS_END:] for found in rows)
            if note_id is not None
        ]
        return (
            None if progress[0] is None else _saved_progress(progress),
            _card_place(row[:_PLACE_END]),
            None if memory[0] is None else memory_state(memory),
            notes,
        )


def _saved_progress(row: Sequence[Any]) -> SavedProgress:
    """A row of `PROGRESS_SQL`'s columns."""
    card_id, started_at, active, hints, revealed, state_json = row
    return SavedProgress(
        str(card_id),
        instant(started_at),
        float(active),
        int(hints),
        bool(revealed),
        str(state_json),
    )


def _card_place(row: Sequence[Any]) -> CardPlace:
    """A row of `CARD_SQL`'s columns."""
    path, retired, position, *span, reading = row
    head, start, end, line = span
    return CardPlace(
        str(path),
        bool(retired),
        int(position),
        None if None in span else Span(int(head), int(start), int(end), int(line)),
        reading if isinstance(reading, str) else None,
    )


def _chunks(ids: Sequence[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """`ids` a chunk at a time: the `IN (…)` list of its parameters, and their values."""
    for start in range(0, len(ids), CHUNK):
        names = {f"id{n}": card_id for n, card_id in enumerate(ids[start : start + CHUNK])}
        yield ", ".join(f":{name}" for name in names), names


def memory_state(row: Sequence[Any]) -> MemoryState:
    """A row of `MEMORY_COLUMNS`, from either reader. A value the scheduler never writes (a
    state that is none of FSRS's, a stability that is not positive, a difficulty outside 1 to
    10, an instant that is no instant) raises UnreadableValue naming the card."""
    try:
        memory = _memory_state(row)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _unreadable(row[0], str(exc)) from None
    stability, difficulty = memory.stability, memory.difficulty
    if (
        memory.state not in (1, 2, 3)  # FSRS's learning, review, relearning
        or (memory.step is not None and memory.step < 0)
        or (stability is not None and not 0 < stability < math.inf)
        or (difficulty is not None and not 1 <= difficulty <= 10)
    ):
        raise _unreadable(
            memory.card_id,
            f"state {memory.state}, step {memory.step}, stability {stability}, "
            f"difficulty {difficulty}",
        )
    return memory


def _unreadable(card_id: object, what: str) -> UnreadableValue:
    shown = strip_controls(str(card_id))[:80]
    return UnreadableValue(
        f"the memory of card '{shown}' in the database is not one the tutor writes "
        f"({strip_controls(what)[:120]}): the file was changed by another program; "
        "'tutor restore' lists its backups"
    )


def _memory_state(row: Sequence[Any]) -> MemoryState:
    card_id, state, step, stability, difficulty, due, last_review, reconstructed, run, day = row
    return MemoryState(  # positional: made for every review due, hundreds at a time
        card_id,
        int(state),
        None if step is None else int(step),
        None if stability is None else float(stability),
        None if difficulty is None else float(difficulty),
        instant(due),
        None if last_review is None else instant(last_review),
        bool(reconstructed),
        int(run),
        None if day is None else a_day(day),
    )


def _julian(day: date) -> float:
    """SQLite's `julianday` of a day's midnight: the days since noon of 24 November 4714 BC
    (the proleptic Gregorian calendar's), a whole number and a half."""
    return day.toordinal() + 1_721_424.5


def stored_instant(value: datetime) -> str:
    """An instant as SQLite keeps it (`STORED_INSTANT`, naive UTC)."""
    return value.astimezone(UTC).strftime(STORED_INSTANT)


def instant(value: str | datetime) -> datetime:
    """A stored instant, timezone-aware UTC: SQLite's text (naive UTC) or a server's value."""
    if isinstance(value, str):
        try:  # SQLite's naive UTC text read as UTC in one step (a quarter of the time)
            parsed = datetime.fromisoformat(value + "+00:00")
        except ValueError:  # text with an offset of its own
            parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is UTC:
            return parsed
        value = parsed
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def a_day(value: str | date) -> date:
    """A stored day: SQLite's ISO text or a server's date."""
    return date.fromisoformat(value) if isinstance(value, str) else value
