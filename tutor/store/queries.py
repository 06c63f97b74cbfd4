"""The queries the domain needs. Each takes a keyword-only `session`, one per unit of work,
opened for one learner (`learner_session`): every row of progress read or written is that
learner's; cards and meta are shared.

Functions that write commit before they return (each is one transaction, rolled back whole on
failure); functions that read do not. A failure of the database itself (disk full, read-only,
corrupt, busy) is raised as `StoreError` with a one-line message naming the database; a bug such
as a broken constraint is raised unchanged, after the rollback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any, ParamSpec, TypedDict, TypeVar

from sqlalchemy import Table, and_, bindparam, case, func, text
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import Pool, PoolProxiedConnection
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session, SQLModel, col, select

from tutor.check.clean import strip_controls
from tutor.deck.model import Span
from tutor.store import writes
from tutor.store.engine import BEGIN_OPTION, sqlite_driver
from tutor.store.errors import (
    UnreadableValue,
    describe_url,
    from_database_error,
    is_store_failure,
)
from tutor.store.models import (
    AttemptRow,
    CardRow,
    LearnerRow,
    MemoryRow,
    MetaRow,
    NoteRow,
    ProgressRow,
    ReviewRow,
    SchedulerFitRow,
    StudyDayRow,
)
from tutor.store.reads import CardPlace, Reads
from tutor.store.rows import (
    META_CARD_ORDER,
    META_DECK_SET_HASH,
    ORDER_KEPT_SQL,
    MemoryState,
    QueueData,
    SavedProgress,
    order_value,
)
from tutor.study.proof import PROOF_CARD_PREFIX
from tutor.study.queue import QueueCard, graph_order

P = ParamSpec("P")
R = TypeVar("R")

LEARNER = "tutor.learner"
"""The key of `Session.info` naming the learner a session reads and writes for."""

PG_SYNC_KEY = 0x50545555
"""PostgreSQL advisory lock key that makes concurrent syncs of the cards wait for each other."""


def learner_session(engine: Engine, learner: str) -> Session:
    """A session for one unit of work of `learner`."""
    return Session(engine, info={LEARNER: learner})


def session_learner(session: Session) -> str:
    """The learner `session` was opened for."""
    learner = session.info.get(LEARNER)
    if not isinstance(learner, str):
        raise ValueError("the session names no learner: open it with learner_session")
    return learner


def _guarded(func_: Callable[P, R]) -> Callable[P, R]:
    """Roll the session back on any error; database failures become StoreError."""

    @functools.wraps(func_)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = kwargs["session"]
        assert isinstance(session, Session)
        try:
            return func_(*args, **kwargs)
        except BaseException as exc:
            _rollback(session)
            raised = _raised_for(exc, session.get_bind().engine)
            if raised is exc:
                raise
            raise raised from exc

    return wrapper


def _raised_for(exc: BaseException, engine: Engine) -> BaseException:
    """What a failed unit of work on `engine` raises for `exc`: a failure of the database itself
    as StoreError, a stored value the tutor never writes as UnreadableValue, anything else (a
    bug, an interrupt) as it is."""
    if isinstance(exc, SQLAlchemyError | sqlite3.Error):
        if isinstance(exc, sqlite3.IntegrityError) or not (
            isinstance(exc, sqlite3.Error) or is_store_failure(exc)
        ):
            return exc
        return from_database_error(exc, describe_url(engine.url))
    if isinstance(exc, ValueError | TypeError | OverflowError):
        if isinstance(exc, UnreadableValue) or not _in_decoding(exc):
            return exc
        return UnreadableValue(
            f"{describe_url(engine.url)}: a stored value is not one the tutor writes "
            f"({strip_controls(str(exc))[:120]}): the file was changed by another program; "
            "'tutor restore' lists its backups"
        )
    return exc


@contextlib.contextmanager
def writing(
    engine: Engine, held: HeldConnection | None = None
) -> Iterator[Connection | writes.Direct]:
    """One write transaction on `engine` (SQLite's write lock taken at once), committed when
    the block ends, rolled back whole on any error, which is raised as `_guarded` raises it.
    For the writes of an answer (`record_attempt_values`, `save_review_values`): a session's
    unit of work, which they do not use, costs more than the writes themselves.

    On SQLite the transaction is the driver's own, on a connection of the engine's pool, as
    `writes.Write` runs there anyway (SQLAlchemy's begin and commit alone cost as much as the
    writes); elsewhere, and while someone listens to the statements sent (`sqlite_driver`),
    it is SQLAlchemy's (`_watched`). `held`: the connection to take on SQLite when it is free
    (`HeldConnection`), not one of the pool's."""
    if engine.dialect.name == "sqlite" and not _watched(engine):
        with _direct(engine, "BEGIN IMMEDIATE", held) as direct:
            yield direct
        return
    with (
        _as_store_errors(engine),
        engine.connect().execution_options(**{BEGIN_OPTION: "IMMEDIATE"}) as connection,
        connection.begin(),
    ):
        yield connection


@contextlib.contextmanager
def reading(engine: Engine, learner: str, held: HeldConnection | None = None) -> Iterator[Reads]:
    """Today's reads of `learner` (`today_reads`) in one read transaction on `engine`, its
    failures raised as `_guarded` raises them: on SQLite the driver's own transaction, as
    `writing` has (`held` too), for the reads of the next card (a session cost more)."""
    if engine.dialect.name == "sqlite" and not _watched(engine):
        with _direct(engine, "BEGIN", held) as direct:
            driver = direct.driver

            def run(sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]:
                return driver.execute(sql, params).fetchall()

            yield Reads(run, learner, sqlite=True)
        return
    with _as_store_errors(engine), learner_session(engine, learner) as session:
        yield today_reads(session)


@contextlib.contextmanager
def _as_store_errors(engine: Engine) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        raised = _raised_for(exc, engine)
        if raised is exc:
            raise
        raise raised from exc


def _watched(engine: Engine) -> bool:
    """Someone listens to `engine`'s statements or commits (a test, a tracer): they go through
    SQLAlchemy then, to be seen."""
    dispatch = engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute or dispatch.commit)


@contextlib.contextmanager
def _direct(
    engine: Engine, begin: str, held: HeldConnection | None = None
) -> Iterator[writes.Direct]:
    """A transaction of the driver's, begun by `begin`, committed when the block ends, rolled
    back on any error, raised as `_guarded` raises it: on `held` when it is free, else on a
    connection of `engine`'s pool. One frame, not a context manager in another: it is entered
    twice an answer."""
    driver: sqlite3.Connection | None = None
    pooled = None
    try:
        driver = None if held is None else held.take()
        if driver is None:
            pooled = engine.raw_connection()
            found = pooled.driver_connection
            assert isinstance(found, sqlite3.Connection)
            driver = found
        driver.execute(begin)
        try:
            yield writes.Direct(driver, engine.dialect)
            driver.execute("COMMIT")
        except BaseException:
            if driver.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    driver.execute("ROLLBACK")
            raise
    except BaseException as exc:
        if pooled is None and held is not None and driver is not None:
            held.broken()  # a failure on the held connection: the next takes a fresh one
        raised = _raised_for(exc, engine)
        if raised is exc:
            raise
        raise raised from exc
    finally:
        if pooled is not None:
            with contextlib.suppress(SQLAlchemyError, sqlite3.Error):
                pooled.close()
        elif held is not None and driver is not None:
            held.release()


class HeldConnection:
    """One connection of a SQLite engine's pool, kept from one of a learner's answers to the
    next (`writing`, `reading`): taking a connection from the pool and giving it back cost a
    tenth of an answer. One thread at a time uses it; another finds it taken and uses the
    pool's. A failure in a transaction on it closes it (the next takes a fresh one), and so
    does the engine's pool being made anew (`Engine.dispose`: its connections are closed, and
    the next are made with whatever connecting now does). `close` before disposing."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._pool: Pool | None = None
        self._pooled: PoolProxiedConnection | None = None

    def take(self) -> sqlite3.Connection | None:
        """The held connection's driver, this thread's until `release`; None when another
        thread has it (take the pool's)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._pooled is None or self._pool is not self._engine.pool:
                self._give_back()
                self._pool = self._engine.pool
                self._pooled = self._engine.raw_connection()
            driver = self._pooled.driver_connection
            assert isinstance(driver, sqlite3.Connection)
        except BaseException:
            self._lock.release()
            raise
        return driver

    def release(self) -> None:
        """Done with what `take` gave."""
        self._lock.release()

    def broken(self) -> None:
        """What `take` gave failed: closed, before `release` (the next takes a fresh one)."""
        self._give_back(broken=True)

    def close(self) -> None:
        with self._lock:
            self._give_back()

    def _give_back(self, *, broken: bool = False) -> None:
        pooled, self._pooled = self._pooled, None
        if pooled is None:
            return
        with contextlib.suppress(SQLAlchemyError, sqlite3.Error):
            if broken or self._pool is not self._engine.pool:
                pooled.invalidate()  # closed: after a failure, or its pool was disposed of
            else:
                pooled.close()  # back to the pool


_DECODERS = (
    "sqlalchemy/engine/_processors",
    "sqlalchemy/engine/processors",
    "tutor/store/models",
    "tutor/store/reads",  # today's reads, decoded by hand
)


def _in_decoding(exc: BaseException) -> bool:
    """`exc` was raised where a stored value is turned into a Python one: SQLAlchemy's result
    processors (a date that is no date), the store's own column types (`models`) or the decoding
    of today's reads (`reads`)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    name = tb.tb_frame.f_code.co_filename.replace("\\", "/")
    return any(part in name for part in _DECODERS)


def _rollback(session: Session) -> None:
    """Roll back, keeping the first error when the database fails again while doing it."""
    with contextlib.suppress(SQLAlchemyError, sqlite3.Error):
        session.rollback()


def _begin_write(session: Session) -> None:
    """Start the write transaction, taking SQLite's write lock at once. A read transaction the
    session still holds (after a refresh, say) is ended first: writing from its old snapshot
    would fail as soon as another connection had written since."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()
    if not session.in_transaction():
        session.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})


# -- cards and deck sync ---------------------------------------------------------------------


@dataclass(frozen=True)
class CardSnapshot:
    """A card as the decks have it now: enough to match it by id and notice an edit."""

    id: str
    deck_id: str
    path: str
    position: int
    content_hash: str
    requires: tuple[str, ...] = ()
    span: Span | None = None
    """Where its text sits in its file (`Card.span`), so that showing it reads that alone;
    None: its whole file is read."""
    reading: str | None = None
    """The card and its deck's head as the parser read them (`tutor.deck.reading`), so that
    showing it reads no file at all; None: none (its span, else its file, is read)."""


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed, as card ids in snapshot order (retired ones in id order)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()  # text edited, or moved within or between decks
    retired: tuple[str, ...] = ()
    revived: tuple[str, ...] = ()
    skipped: bool = False  # the deck set is the one synced last time: nothing was read


def deck_set_hash(cards: Sequence[CardSnapshot]) -> str:
    """A digest of the whole deck set; equal sets (in any order) give equal digests."""
    rows = sorted(
        (
            c.id,
            c.deck_id,
            c.path,
            c.position,
            c.content_hash,
            ",".join(c.requires),
            _span(c),
            c.reading,
        )
        for c in cards
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def _span(card: CardSnapshot) -> tuple[int | None, ...]:
    """A snapshot's span as the card table keeps it (`CardRow.span_*`)."""
    span = card.span
    return (None,) * 4 if span is None else (span.head, span.start, span.end, span.line)


@_guarded
def sync_cards(
    *,
    session: Session,
    cards: Sequence[CardSnapshot],
    now: datetime,
    files: Sequence[str] | None = None,
) -> SyncReport:
    """Make the card table match the decks: add new cards, update edited or moved ones (their
    history stays, matched by id), retire missing ones (never deleted) and revive retired ones
    that came back. An unchanged deck set is skipped after one lookup.

    A card is retired only when its own deck file was read (`files`, the resolved paths of the
    deck files read; None: the files of `cards`) and the card is gone from it: a run on other
    decks (`--decks DIR`), or a learner with other decks, retires nothing of these.

    Each card's prerequisites are stored limited to the cards of this deck set: one that is not
    (a typo, a retired card) does not hold a card back.

    A card's span (where its text sits in its file) and its reading are written whenever they
    change, but a card whose span or reading alone changed (a line added above it, its deck's
    timer) is not reported as updated: its text and place in the decks are as they were."""
    ids = [c.id for c in cards]
    present_ids = set(ids)
    cards = [
        dataclasses.replace(c, requires=tuple(r for r in c.requires if r in present_ids))
        for c in cards
    ]
    dupes = sorted(card_id for card_id, n in Counter(ids).items() if n > 1)
    if dupes:
        raise ValueError(f"duplicate card ids in the deck set: {', '.join(dupes)}")
    digest = deck_set_hash(cards)
    stored = session.get(MetaRow, META_DECK_SET_HASH)
    if stored is not None and stored.value == digest and _order_kept(session, digest):
        return SyncReport(skipped=True)
    _begin_write(session)
    if session.get_bind().dialect.name == "postgresql":  # learners syncing at once take turns
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_SYNC_KEY})
    stored = session.get(MetaRow, META_DECK_SET_HASH)

    existing = {row.id: row for row in session.exec(select(CardRow))}
    added: list[str] = []
    updated: list[str] = []
    revived: list[str] = []
    for card in cards:
        row = existing.get(card.id)
        requires = ",".join(card.requires)
        head, start, end, line = _span(card)
        if row is None:
            session.add(
                CardRow(
                    id=card.id,
                    deck_id=card.deck_id,
                    path=card.path,
                    position=card.position,
                    content_hash=card.content_hash,
                    requires=requires,
                    retired=False,
                    added_at=now,
                    span_head=head,
                    span_start=start,
                    span_end=end,
                    span_line=line,
                    reading=card.reading,
                )
            )
            added.append(card.id)
            continue
        now_is = (card.deck_id, card.path, card.position, card.content_hash, requires)
        changed = (row.deck_id, row.path, row.position, row.content_hash, row.requires) != now_is
        if changed:
            row.deck_id, row.path, row.position, row.content_hash, row.requires = now_is
        if (row.span_head, row.span_start, row.span_end, row.span_line) != (head, start, end, line):
            row.span_head, row.span_start, row.span_end, row.span_line = head, start, end, line
        if row.reading != card.reading:
            row.reading = card.reading
        if row.retired:
            row.retired, row.retired_at = False, None
            revived.append(card.id)
        elif changed:
            updated.append(card.id)
    present = set(ids)
    read = set(files) if files is not None else {card.path for card in cards}
    retired: list[str] = []
    for card_id in sorted(existing):
        row = existing[card_id]
        if card_id not in present and not row.retired and row.path in read:
            row.retired, row.retired_at = True, now
            retired.append(card_id)
    if stored is None:
        session.add(MetaRow(key=META_DECK_SET_HASH, value=digest))
    else:
        stored.value = digest
    in_files = sorted(cards, key=lambda c: (c.path, c.position, c.id))
    order = graph_order([QueueCard(c.id, c.requires) for c in in_files])
    session.merge(MetaRow(key=META_CARD_ORDER, value=order_value(digest, order)))
    session.commit()
    return SyncReport(
        added=tuple(added), updated=tuple(updated), retired=tuple(retired), revived=tuple(revived)
    )


def _order_kept(session: Session, digest: str) -> bool:
    """The order new cards follow is stored, and is that of the deck set `digest` (a database
    synced by an earlier release has none: its next sync stores it)."""
    row = session.get(MetaRow, META_CARD_ORDER)
    return row is not None and row.value.partition("\n")[0] == digest


@_guarded
def card_order_kept(*, session: Session) -> bool:
    """`sync_cards` has stored the order new cards follow for the cards synced: the first line
    of the stored order is the digest of the cards synced (`_order_kept`), compared in SQL, so
    that the order's ten thousand ids are not read for it (`rows.ORDER_KEPT_SQL`)."""
    kept = session.connection().execute(_text(_sql(ORDER_KEPT_SQL)), _order_params())
    return bool(kept.scalar())


@_guarded
def active_cards(*, session: Session) -> list[CardRow]:
    """Cards in the decks now (not retired), by deck file path and position in it."""
    query = (
        select(CardRow)
        .where(col(CardRow.retired).is_(False))
        .order_by(col(CardRow.path), col(CardRow.position), col(CardRow.id))
    )
    return list(session.exec(query))


def today_reads(session: Session) -> Reads:
    """Today's reads of the session's learner, the SQL texts the quick start runs too
    (`tutor.store.reads`), run through the session's connection."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    driver = sqlite_driver(connection)
    if driver is not None:
        # these texts are plain SQL with `:name` parameters, which sqlite3 binds itself, and
        # the rows are decoded by `tutor.store.reads` as on the quick start (SQLAlchemy's
        # result layer would double the time of the 800 reviews a day 10,000 cards can have)
        def run(sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]:
            return driver.execute(sql, params).fetchall()

        return Reads(run, session_learner(session), sqlite=True)

    def run_any(sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]:
        return connection.execute(_text(sql), params)

    return Reads(run_any, session_learner(session), sqlite=sqlite)


@_guarded
def read_today(*, session: Session, read: Callable[[Reads], R]) -> R:
    """`read` run on `today_reads(session)`, its failures as the store's (`StoreError`)."""
    return read(today_reads(session))


@functools.lru_cache(maxsize=256)
def _text(sql: str) -> TextClause:
    return text(sql)


@_guarded
def queue_data(
    *,
    session: Session,
    today: date,
    end_of_today: datetime,
    paths: Sequence[str] | None = None,
) -> QueueData:
    """What choosing today's cards reads, for the cards of the deck files `paths` (resolved;
    None: every active card)."""
    return today_reads(session).queue(today, end_of_today, paths)


def queue_part(
    *,
    reads: Reads,
    today: date,
    end_of_today: datetime,
    paths: Sequence[str] | None = None,
    kept: QueueData | None = None,
    new: bool = True,
    now: datetime | None = None,
    limit: int | None = None,
) -> QueueData:
    """`queue_data` read in parts: the reviews' part unless `kept` (that part, kept by the
    caller), only the first `limit` at `now` when both are given (`Reads.reviews`), and the
    new cards' part if `new` (`QueueData.complete`), by `reads` (`reading`)."""
    if kept is None:
        kept = reads.reviews(today, end_of_today, paths, now=now, limit=limit)
    return kept.with_new(reads.new_cards(today, paths)) if new else kept


@_guarded
def saved_progress(*, session: Session) -> SavedProgress | None:
    """The unfinished card's saved state, as the quick start reads it."""
    return today_reads(session).progress()


@_guarded
def card_place(*, session: Session, card_id: str) -> CardPlace | None:
    """Where a card is, as the last sync stored it (None: not in the database)."""
    return today_reads(session).card(card_id)


def _in(condition: Any, paths: Sequence[str] | None) -> Any:
    """`condition`, and the card's deck file one of `paths` (None: any)."""
    return condition if paths is None else and_(condition, col(CardRow.path).in_(list(paths)))


@_guarded
def memory_state(*, session: Session, card_id: str) -> MemoryState | None:
    return today_reads(session).memory(card_id)


@_guarded
def card(*, session: Session, card_id: str) -> CardRow | None:
    return session.get(CardRow, card_id)


# -- reviews -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedReview:
    """What `undo_review` needs to take a saved review back exactly."""

    review_id: int
    prior_memory: dict[str, object] | None
    """The card's memory row before the review (None: it had none, its first review)."""


@_guarded
def save_review(
    *,
    session: Session,
    review: ReviewRow,
    memory: MemoryRow,
    attempts: Sequence[AttemptRow] = (),
    pending: bool = False,
) -> SavedReview:
    """In one transaction: insert the review, count it in its study day, upsert the card's
    memory state, attach `attempts` to the review (new ones are inserted; with `pending`,
    every attempt at the card not yet part of a review too: the sitting's) and delete the
    progress row. All of it is written, or none. The rows are the session's learner's,
    whatever they say.

    SQL texts built once (`tutor.store.writes`), not the ORM's unit of work nor Core statements
    built at each call: answering a card is on the path the learner waits on, and building the
    statements cost ten times the writes themselves."""
    learner = session_learner(session)
    if memory.card_id != review.card_id:
        raise ValueError(f"memory of {memory.card_id} saved with a review of {review.card_id}")
    strays = sorted({a.card_id for a in attempts} - {review.card_id})
    if strays:
        raise ValueError(f"attempts of {', '.join(strays)} saved with a review of {review.card_id}")
    _begin_write(session)
    connection = session.connection()
    review.learner = memory.learner = learner
    for attempt in attempts:
        attempt.learner = learner
    read = writes.PRIOR_MEMORY.run(connection, {"learner": learner, "card_id": review.card_id})
    names = (column.name for column in writes.PRIOR_MEMORY.returns)
    saved = _write_review(
        connection,
        _values(review),
        _values(memory),
        attempts=attempts,
        pending=pending,
        prior=dict(zip(names, read[0], strict=True)) if read else None,
    )
    session.commit()
    review.id = saved.review_id
    return saved


def save_review_values(
    connection: Connection | writes.Direct,
    *,
    learner: str,
    review: Mapping[str, Any],
    memory: Mapping[str, Any],
    prior: Mapping[str, Any] | None,
) -> SavedReview:
    """`save_review` of a sitting's review (its pending attempts attached), from the rows'
    column values, in the transaction of `connection` (`writing`): the path of an answer.
    `prior`: the card's memory row before the review, but the learner (None: it had none), as
    the sitting read it (the learner's study lock kept it so): what `undo_review` puts back,
    not read again."""
    if memory["card_id"] != review["card_id"]:
        card_id = review["card_id"]
        raise ValueError(f"memory of {memory['card_id']} saved with a review of {card_id}")
    mine = {"learner": learner}
    if prior is not None:
        prior = {**prior, **mine}
    return _write_review(
        connection, {**review, **mine}, {**memory, **mine}, pending=True, prior=prior
    )


def _write_review(
    connection: Connection | writes.Direct,
    review: Mapping[str, Any],
    memory: Mapping[str, Any],
    *,
    attempts: Sequence[AttemptRow] = (),
    pending: bool,
    prior: Mapping[str, Any] | None,
) -> SavedReview:
    """`save_review`'s writes, from the column values of the review and the memory row (the
    same learner's, of the same card), in the transaction of `connection`; `prior` is the
    memory row before them (None: none), given back for `undo_review`."""
    learner = review["learner"]
    mine = {"learner": learner, "card_id": review["card_id"]}
    day = {**mine, "day": review["study_day"], "success": int(review["success"])}
    writes.COUNT_REVIEW.run(connection, day)  # before the review: a repeat if seen before
    insert = writes.INSERT_REVIEW if review.get("id") is None else writes.INSERT_REVIEW_WITH_ID
    ((review_id,),) = insert.run(connection, review)
    writes.UPSERT_MEMORY.run(connection, memory)
    for attempt in attempts:
        attempt.review_id = review_id
        if attempt.id is None:
            ((attempt.id,),) = writes.INSERT_ATTEMPT_RETURNING_ID.run(connection, _values(attempt))
    ids = [a.id for a in attempts]
    attached = {**mine, "review_id": review_id}
    if ids:
        attach = writes.ATTACH_ATTEMPTS_AND_PENDING if pending else writes.ATTACH_ATTEMPTS
        attach.run(connection, {**attached, "ids": ids})
    elif pending:
        writes.ATTACH_PENDING_ATTEMPTS.run(connection, attached)
    writes.DELETE_PROGRESS.run(connection, {"learner": learner})
    return SavedReview(review_id, None if prior is None else dict(prior))


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _values(row: SQLModel) -> dict[str, Any]:
    """A row's column values for a Core INSERT (an id not given yet is left to the database)."""
    return {
        column.name: getattr(row, column.name)
        for column in _table(type(row)).columns
        if not (column.name == "id" and getattr(row, "id", None) is None)
    }


@_guarded
def undo_review(*, session: Session, saved: SavedReview, progress: ProgressRow) -> None:
    """In one transaction, the exact reverse of `save_review`: the review deleted, its study
    day's totals taken back (the day's row gone if nothing else is in it), the memory row as it
    was, the attempts pending again, and the card's progress saved as `progress`."""
    learner = session_learner(session)
    _begin_write(session)
    review = session.get(ReviewRow, saved.review_id)
    if review is None or review.learner != learner:
        raise ValueError(f"review {saved.review_id} is not in the database: nothing to undo")
    others = session.execute(
        sa_select(col(ReviewRow.id))
        .where(
            col(ReviewRow.learner) == learner,
            col(ReviewRow.card_id) == review.card_id,
            col(ReviewRow.id) != review.id,
        )
        .limit(1)
    ).first()
    day = session.get(StudyDayRow, (learner, review.study_day))
    if day is not None:
        day.reviews -= 1
        day.successes -= int(review.success)
        if others is not None:
            day.repeat_reviews -= 1
            day.repeat_successes -= int(review.success)
        if not (day.reviews or day.successes or day.repeat_reviews or day.repeat_successes):
            session.delete(day)
    session.execute(
        sa_update(AttemptRow).where(col(AttemptRow.review_id) == review.id).values(review_id=None)
    )
    session.flush()
    session.delete(review)
    memory = session.get(MemoryRow, (learner, review.card_id))
    if saved.prior_memory is None:
        if memory is not None:
            session.delete(memory)
    else:
        session.merge(MemoryRow.model_validate(saved.prior_memory))
    progress.learner = learner
    session.merge(progress)
    session.commit()


@_guarded
def add_attempt(*, session: Session, attempt: AttemptRow) -> AttemptRow:
    """Save an attempt as soon as it is judged (its review is not finished yet)."""
    attempt.learner = session_learner(session)
    _begin_write(session)
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt


@_guarded
def record_attempt(*, session: Session, attempt: AttemptRow, progress: ProgressRow) -> None:
    """In one transaction: save a judged attempt and the unfinished card's state after it, so
    that a crash never keeps one without the other."""
    attempt.learner = progress.learner = session_learner(session)
    _begin_write(session)
    _write_attempt(session.connection(), _values(attempt), _values(progress))
    session.commit()


def record_attempt_values(
    connection: Connection | writes.Direct,
    *,
    learner: str,
    attempt: Mapping[str, Any],
    progress: Mapping[str, Any],
) -> None:
    """`record_attempt` of a new attempt, from the rows' column values (every one but the
    learner, and the attempt's id and review), in the transaction of `connection` (`writing`):
    the path of an answer."""
    mine = {"learner": learner}
    _write_attempt(connection, {**attempt, **mine, "review_id": None}, {**progress, **mine})


def _write_attempt(
    connection: Connection | writes.Direct, attempt: Mapping[str, Any], progress: Mapping[str, Any]
) -> None:
    insert = writes.INSERT_ATTEMPT if attempt.get("id") is None else writes.INSERT_ATTEMPT_WITH_ID
    insert.run(connection, attempt)
    writes.UPSERT_PROGRESS.run(connection, progress)


@_guarded
def pending_attempts(*, session: Session, card_id: str) -> list[AttemptRow]:
    """Attempts at `card_id` not yet part of a finished review, oldest first."""
    query = (
        select(AttemptRow)
        .where(
            AttemptRow.learner == session_learner(session),
            AttemptRow.card_id == card_id,
            col(AttemptRow.review_id).is_(None),
        )
        .order_by(col(AttemptRow.at), col(AttemptRow.id))
    )
    return list(session.exec(query))


@_guarded
def attempts_for_review(*, session: Session, review_id: int) -> list[AttemptRow]:
    query = (
        select(AttemptRow)
        .where(AttemptRow.learner == session_learner(session), AttemptRow.review_id == review_id)
        .order_by(col(AttemptRow.at), col(AttemptRow.id))
    )
    return list(session.exec(query))


@_guarded
def reviews_for(*, session: Session, card_id: str) -> list[ReviewRow]:
    """The reviews of one card, oldest first."""
    query = (
        select(ReviewRow)
        .where(ReviewRow.learner == session_learner(session), ReviewRow.card_id == card_id)
        .order_by(col(ReviewRow.id))
    )
    return list(session.exec(query))


@_guarded
def count_reviews(*, session: Session, since_day: date | None = None) -> int:
    """Reviews in all, or those of study days from `since_day` on."""
    query = select(func.coalesce(func.sum(col(StudyDayRow.reviews)), 0)).where(
        col(StudyDayRow.learner) == session_learner(session)
    )
    if since_day is not None:
        query = query.where(col(StudyDayRow.day) >= since_day)
    return int(session.exec(query).one())


@_guarded
def review_days(*, session: Session) -> list[tuple[date, bool]]:
    """Each study day with reviews, oldest first, and whether any review that day was a
    success (reconstructed without revealing the answer): what streaks are made of. One row per
    day, kept with the reviews, so a million reviews cost a thousand rows."""
    query = (
        select(col(StudyDayRow.day), col(StudyDayRow.successes))
        .where(col(StudyDayRow.learner) == session_learner(session))
        .order_by(col(StudyDayRow.day))
    )
    return [(day, successes > 0) for day, successes in session.exec(query)]


_MEMORY_COLUMNS = tuple(getattr(MemoryRow, field.name) for field in dataclasses.fields(MemoryState))


@_guarded
def memory_states(*, session: Session) -> dict[str, MemoryState]:
    """The memory state of every active card that has one (new cards have none)."""
    query = (
        sa_select(*_MEMORY_COLUMNS)
        .join(CardRow, col(CardRow.id) == col(MemoryRow.card_id))
        .where(col(MemoryRow.learner) == session_learner(session), col(CardRow.retired).is_(False))
    )
    return {row[0]: MemoryState(*row) for row in session.execute(query)}


# -- the unfinished card -----------------------------------------------------------------------


@_guarded
def save_progress(*, session: Session, progress: ProgressRow) -> None:
    """Replace the unfinished card's row (there is at most one a learner)."""
    progress.learner = session_learner(session)
    _begin_write(session)
    writes.UPSERT_PROGRESS.run(session.connection(), _values(progress))
    session.commit()


def save_progress_values(
    connection: Connection | writes.Direct, *, learner: str, progress: Mapping[str, Any]
) -> None:
    """`save_progress` from the row's column values but the learner, in the transaction of
    `connection` (`writing`)."""
    writes.UPSERT_PROGRESS.run(connection, {**progress, "learner": learner})


@_guarded
def load_progress(*, session: Session) -> ProgressRow | None:
    return session.get(ProgressRow, session_learner(session))


@_guarded
def clear_progress(*, session: Session) -> None:
    learner = session_learner(session)
    _begin_write(session)
    writes.DELETE_PROGRESS.run(session.connection(), {"learner": learner})
    session.commit()


# -- confusion notes ---------------------------------------------------------------------------


@_guarded
def add_note(*, session: Session, card_id: str, text: str, written_at: datetime) -> NoteRow:
    learner = session_learner(session)
    _begin_write(session)
    note = NoteRow(learner=learner, card_id=card_id, text=text, written_at=written_at)
    session.add(note)
    session.commit()
    session.refresh(note)
    return note


@_guarded
def notes_for(*, session: Session, card_id: str) -> list[NoteRow]:
    """The notes on a card that are not resolved, newest first."""
    query = (
        select(NoteRow)
        .where(
            NoteRow.learner == session_learner(session),
            NoteRow.card_id == card_id,
            col(NoteRow.resolved_at).is_(None),
        )
        .order_by(col(NoteRow.written_at).desc(), col(NoteRow.id).desc())
    )
    return list(session.exec(query))


@_guarded
def resolve_note(*, session: Session, note_id: int, at: datetime) -> None:
    """Mark a note resolved: it stops coming back with its card."""
    learner = session_learner(session)
    _begin_write(session)
    note = session.get(NoteRow, note_id)
    if note is None or note.learner != learner:
        raise ValueError(f"there is no note {note_id}")
    note.resolved_at = at
    session.commit()


@_guarded
def last_note(*, session: Session, card_id: str) -> NoteRow | None:
    query = (
        select(NoteRow)
        .where(NoteRow.learner == session_learner(session), NoteRow.card_id == card_id)
        .order_by(col(NoteRow.written_at).desc(), col(NoteRow.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


# -- stats -------------------------------------------------------------------------------------


class CardCounts(TypedDict):
    total: int  # active cards (new + review); retired ones are counted apart
    new: int  # active, never reviewed
    review: int  # active, reviewed at least once
    due_today: int  # active, due by the end of today
    retired: int


class ReviewCounts(TypedDict):
    total: int
    today: int


class ProofCounts(TypedDict):
    total: int  # active whole-proof cards: the proofs of the deck set (of two steps or more)
    rebuilt: int  # rebuilt whole at least once (a whole-proof sitting that was a reconstruction)
    due_today: int  # whole proofs due by the end of today


class StatsCounts(TypedDict):
    cards: CardCounts
    """The cards of the decks (proof steps included); whole-proof cards are in `proofs`."""
    proofs: ProofCounts
    reviews: ReviewCounts
    retention: float | None  # successes among reviews of cards seen before, or None
    next_due: datetime | None  # earliest due date of an active card, whole proofs included


@_guarded
def stats_counts(
    *,
    session: Session,
    today: date,
    end_of_today: datetime,
    paths: Sequence[str] | None = None,
) -> StatsCounts:
    """The counts `tutor stats` shows, each one SQL aggregate (no Python loop over reviews);
    the cards those of the deck files `paths` (None: all), the reviews all the learner's."""
    learner = session_learner(session)
    mine = col(MemoryRow.learner) == learner
    active = _in(col(CardRow.retired).is_(False), paths)
    whole = col(CardRow.id).startswith(PROOF_CARD_PREFIX)
    total, retired = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(CardRow.retired), 1), else_=0)), 0),
        )
        .select_from(CardRow)
        .where(_in(~whole, paths))
    ).one()
    active_total = int(total) - int(retired)
    seen, due_today, next_due = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(MemoryRow.due) <= end_of_today, 1), else_=0)), 0),
            func.min(col(MemoryRow.due)),
        )
        .select_from(MemoryRow)
        .join(CardRow, col(CardRow.id) == col(MemoryRow.card_id))
        .where(mine, active, ~whole)
    ).one()
    due = col(MemoryRow.due)
    proofs, rebuilt, proofs_due, proof_next = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(MemoryRow.reconstructed), 1), else_=0)), 0),
            func.coalesce(func.sum(case((due <= end_of_today, 1), else_=0)), 0),
            func.min(due),
        )
        .select_from(CardRow)
        .outerjoin(MemoryRow, and_(col(MemoryRow.card_id) == col(CardRow.id), mine))
        .where(active, whole)
    ).one()
    if proof_next is not None and (next_due is None or proof_next < next_due):
        next_due = proof_next  # the next review, whole proofs included
    reviews_total, repeats, repeat_successes = session.exec(
        select(
            func.coalesce(func.sum(col(StudyDayRow.reviews)), 0),
            func.coalesce(func.sum(col(StudyDayRow.repeat_reviews)), 0),
            func.coalesce(func.sum(col(StudyDayRow.repeat_successes)), 0),
        ).where(col(StudyDayRow.learner) == learner)
    ).one()
    today_row = session.get(StudyDayRow, (learner, today))
    reviews_today = today_row.reviews if today_row is not None else 0
    retention = int(repeat_successes) / int(repeats) if repeats else None
    return StatsCounts(
        cards=CardCounts(
            total=active_total,
            new=active_total - int(seen),
            review=int(seen),
            due_today=int(due_today),
            retired=int(retired),
        ),
        proofs=ProofCounts(total=int(proofs), rebuilt=int(rebuilt), due_today=int(proofs_due)),
        reviews=ReviewCounts(total=int(reviews_total), today=int(reviews_today)),
        retention=retention,
        next_due=next_due,
    )


# -- meta --------------------------------------------------------------------------------------


@_guarded
def get_meta(*, session: Session, key: str) -> str | None:
    value = session.connection().execute(_text(_sql(_META_SQL)), {"key": key}).scalar()
    return None if value is None else str(value)


@_guarded
def set_meta(*, session: Session, key: str, value: str) -> None:
    """Set a key, in one statement: learners starting at once may set the same one."""
    _begin_write(session)
    statement = _insert(session, MetaRow).values(key=key, value=value)
    session.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))
    session.commit()


def _insert(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT into `model`'s table in the session's dialect, which knows ON CONFLICT."""
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


# -- overviews: the stats screen and the deck browser ------------------------------------------


@dataclass(frozen=True, slots=True)
class DayCounts:
    """What one study day's reviews came to."""

    day: date
    reviews: int
    successes: int


@_guarded
def study_day_counts(*, session: Session, first: date, last: date) -> list[DayCounts]:
    """The study days from `first` to `last` (both included) that had reviews, oldest first:
    one short row a day, read from the per-day totals kept with the reviews."""
    query = (
        select(col(StudyDayRow.day), col(StudyDayRow.reviews), col(StudyDayRow.successes))
        .where(
            col(StudyDayRow.learner) == session_learner(session),
            col(StudyDayRow.day) >= first,
            col(StudyDayRow.day) <= last,
        )
        .order_by(col(StudyDayRow.day))
    )
    return [
        DayCounts(day, int(reviews), int(successes))
        for day, reviews, successes in session.exec(query)
    ]


@_guarded
def due_counts(
    *, session: Session, ends: Sequence[datetime], paths: Sequence[str] | None = None
) -> list[int]:
    """How many active cards fall due in each of the periods that `ends` closes: before
    `ends[0]` (overdue ones included), then from `ends[i - 1]` up to `ends[i]`. One aggregate
    over the due-date index, however many cards there are."""
    if not ends:
        return []
    if any(later <= earlier for earlier, later in pairwise(ends)):
        raise ValueError("the ends of the periods must increase")
    due = col(MemoryRow.due)
    bucket = case(*((due < end, index) for index, end in enumerate(ends)), else_=len(ends))
    periods = (
        sa_select(bucket.label("period"))
        .select_from(MemoryRow)
        .join(CardRow, col(CardRow.id) == col(MemoryRow.card_id))
        .where(
            col(MemoryRow.learner) == session_learner(session),
            _in(col(CardRow.retired).is_(False), paths),
            due < ends[-1],
        )
        .subquery()
    )
    # grouped outside: PostgreSQL would not take the CASE, bound twice, as one expression
    query = sa_select(periods.c.period, func.count()).group_by(periods.c.period)
    counts = [0] * len(ends)
    for index, count in session.execute(query):
        counts[int(index)] = int(count)
    return counts


@dataclass(frozen=True, slots=True)
class CardStanding:
    """Where an active card stands: never reviewed (`due` None), or when it is due next, its
    run of successful reconstructions and whether it was ever reconstructed."""

    card_id: str
    deck_id: str
    due: datetime | None
    run: int
    reconstructed: bool
    last_day: date | None


@_guarded
def card_standings(
    *, session: Session, deck_id: str | None = None, paths: Sequence[str] | None = None
) -> dict[str, CardStanding]:
    """Every active card's standing (or those of one deck), by card id: one query joining the
    cards to their memory, read without the ORM."""
    query = (
        sa_select(
            col(CardRow.id),
            col(CardRow.deck_id),
            col(MemoryRow.due),
            col(MemoryRow.run),
            col(MemoryRow.reconstructed),
            col(MemoryRow.last_day),
        )
        .select_from(CardRow)
        .outerjoin(
            MemoryRow,
            and_(
                col(MemoryRow.card_id) == col(CardRow.id),
                col(MemoryRow.learner) == session_learner(session),
            ),
        )
        .where(_in(col(CardRow.retired).is_(False), paths))
    )
    if deck_id is not None:
        query = query.where(col(CardRow.deck_id) == deck_id)
    return {
        card_id: CardStanding(card_id, deck, due, run or 0, bool(reconstructed), last_day)
        for card_id, deck, due, run, reconstructed, last_day in session.execute(query)
    }


# -- the scheduler's parameters fitted to the learner ------------------------------------------


@_guarded
def review_log(*, session: Session) -> list[tuple[str, datetime, int]]:
    """Every review, oldest first, as a fit of the scheduler reads it: (card id, the instant
    it was rated, its rating). Retired cards' reviews too: they are the learner's memory."""
    query = (
        sa_select(col(ReviewRow.card_id), col(ReviewRow.ended_at), col(ReviewRow.rating))
        .where(col(ReviewRow.learner) == session_learner(session))
        .order_by(col(ReviewRow.ended_at), col(ReviewRow.id))
    )
    return [(card_id, at, int(rating)) for card_id, at, rating in session.execute(query)]


@_guarded
def latest_fit(*, session: Session) -> SchedulerFitRow | None:
    """The newest fit of the scheduler's parameters (None: never fitted)."""
    query = (
        select(SchedulerFitRow)
        .where(SchedulerFitRow.learner == session_learner(session))
        .order_by(col(SchedulerFitRow.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


@_guarded
def save_fit(
    *,
    session: Session,
    fit: SchedulerFitRow,
    memories: Sequence[tuple[str, datetime, float, float]] = (),
) -> int:
    """In one transaction: record a fit, and set the stability and difficulty of the cards in
    `memories` (card id, the instant of the last review they were computed through, stability,
    difficulty). A card reviewed since that instant keeps its row as it is: a review saved
    while the fit ran is never overwritten. Returns the number of memory rows set."""
    learner = session_learner(session)
    _begin_write(session)
    fit.learner = learner
    session.add(fit)
    session.flush()
    table = MemoryRow.__table__  # type: ignore[attr-defined]
    statement = (
        sa_update(table)
        .where(
            table.c.learner == learner,
            table.c.card_id == bindparam("b_card"),
            table.c.last_review == bindparam("b_last"),
        )
        .values(stability=bindparam("b_stability"), difficulty=bindparam("b_difficulty"))
    )
    changed = 0
    rows = [
        {"b_card": card, "b_last": last, "b_stability": stability, "b_difficulty": difficulty}
        for card, last, stability, difficulty in memories
    ]
    for start in range(0, len(rows), 5000):
        result = session.connection().execute(statement, rows[start : start + 5000])
        changed += max(result.rowcount, 0)
    session.commit()
    return changed


# -- learners ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    """A learner of this database, as `tutor learners` lists them."""

    name: str
    added_at: datetime | None
    reviews: int
    last_day: date | None
    """The last study day with a review (None: none yet)."""


@_guarded
def ensure_learner(*, session: Session, now: datetime) -> bool:
    """Register the session's learner if this is their first time: True if they were new.
    Two learners registering at once do not fail (the second insert is ignored)."""
    learner = session_learner(session)
    if _registered(session, learner):
        return False
    _begin_write(session)
    statement = _insert(session, LearnerRow).on_conflict_do_nothing()
    result = session.execute(statement, [{"name": learner, "added_at": now}])
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _learner_of(table: type[SQLModel]) -> Any:
    """The `learner` column of a table of `PROGRESS_ROWS`."""
    return table.__table__.c.learner  # type: ignore[attr-defined]


@_guarded
def learner_summaries(*, session: Session) -> list[LearnerSummary]:
    """Every learner of the database, by name: the registered ones (`ensure_learner` at each
    sync, revision 0006 for the learner of an older database) and any with study days, with
    one aggregate over the study days (a row a learner a day), not over the reviews."""
    totals = {
        learner: (int(reviews), last)
        for learner, reviews, last in session.execute(
            sa_select(
                col(StudyDayRow.learner),
                func.sum(col(StudyDayRow.reviews)),
                func.max(col(StudyDayRow.day)),
            ).group_by(col(StudyDayRow.learner))
        )
    }
    added = dict(session.execute(sa_select(col(LearnerRow.name), col(LearnerRow.added_at))).all())
    names = sorted(added.keys() | totals.keys())
    return [LearnerSummary(name, added.get(name), *totals.get(name, (0, None))) for name in names]


PROGRESS_ROWS = (
    MemoryRow,
    ReviewRow,
    StudyDayRow,
    AttemptRow,
    NoteRow,
    ProgressRow,
    SchedulerFitRow,
)
"""The tables whose rows belong to a learner."""


@_guarded
def rename_learner(*, session: Session, old: str, new: str) -> int:
    """Give every row of learner `old` to `new`, in one transaction: the rows moved. Refused
    (ValueError) when `new` has rows of their own, or `old` has none."""
    _begin_write(session)

    def count(name: str) -> int:
        return sum(
            int(
                session.execute(
                    sa_select(func.count()).select_from(table).where(_learner_of(table) == name)
                ).scalar_one()
            )
            for table in PROGRESS_ROWS
        )

    if count(new) or session.get(LearnerRow, new) is not None:
        raise ValueError(f"learner '{new}' exists already; pick a name nobody uses")
    moved = count(old)
    if not moved and session.get(LearnerRow, old) is None:
        raise ValueError(f"there is no learner '{old}' in this database")
    registered = session.get(LearnerRow, old)
    added_at = registered.added_at if registered is not None else None
    if registered is not None:
        session.delete(registered)
        session.flush()
    session.add(LearnerRow(name=new, added_at=added_at or datetime.now().astimezone()))
    for table in PROGRESS_ROWS:
        session.execute(sa_update(table).where(_learner_of(table) == old).values(learner=new))
    session.commit()
    return moved


# -- the check a sync makes first --------------------------------------------------------------

# The statements below name their parameters `{name}`: `_sql` writes them as `text` takes them,
# or as the driver does (`sync_check` runs its statement without compiling it).

_META_SQL = "SELECT value FROM meta WHERE key = {key}"
_LEARNER_SQL = "SELECT 1 FROM learner WHERE name = {learner}"
_NAMED = ":{}"  # `text`, and sqlite3 whatever its paramstyle
_PARAM_STYLES = {"named": _NAMED, "pyformat": "%({})s"}  # psycopg: pyformat


@functools.lru_cache(maxsize=32)
def _sql(template: str, style: str = _NAMED) -> str:
    """`template` with each parameter `{name}` written in `style`."""
    return template.format_map(_Written(style))


class _Written(dict[str, str]):
    """Each parameter's name, written in a style (`_sql`)."""

    def __init__(self, style: str) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, name: str) -> str:
        return self.style.format(name)


def _order_params() -> dict[str, str]:
    return {"nl": "\n", "order_key": META_CARD_ORDER, "set_key": META_DECK_SET_HASH}


def _registered(session: Session, learner: str) -> bool:
    """`learner` is registered in the database (`ensure_learner`)."""
    found = session.connection().execute(_text(_sql(_LEARNER_SQL)), {"learner": learner})
    return found.first() is not None


@dataclass(frozen=True, slots=True)
class SyncCheck:
    """What deciding whether a sync may be skipped reads (`sync_check`)."""

    registered: bool
    """The session's learner is registered: `ensure_learner` has nothing to do."""
    meta: dict[str, str | None]
    """The meta values asked for (None: not set), as `get_meta` reads them."""
    order_kept: bool
    """What `card_order_kept` says."""


@_guarded
def sync_check(*, session: Session, keys: Sequence[str]) -> SyncCheck:
    """`ensure_learner`'s question, `get_meta` of each of `keys` and `card_order_kept`, in one
    statement: one round trip and one snapshot, which is all a sync skipped makes. Handed to
    the driver as it is: compiling it (once a run) would cost as much as running it."""
    connection = session.connection()
    params = _sync_check_params(session_learner(session), keys)
    dialect = connection.dialect
    style = _NAMED if dialect.name == "sqlite" else _PARAM_STYLES.get(dialect.paramstyle)
    template = _sync_check_sql(len(keys))
    if style is None:
        row = connection.execute(_text(_sql(template)), params).one()
    else:
        row = connection.exec_driver_sql(_sql(template, style), params).one()
    return _sync_checked(row, keys)


def sync_check_of(
    engine: Engine, learner: str, keys: Sequence[str], held: HeldConnection | None = None
) -> SyncCheck:
    """`sync_check` of `learner` in a read transaction of its own: on SQLite the driver's
    (`reading`), as the open of a study day makes it before anything else is read."""
    if engine.dialect.name == "sqlite" and not _watched(engine):
        with _direct(engine, "BEGIN", held) as direct:
            sql = _sql(_sync_check_sql(len(keys)))
            row = direct.driver.execute(sql, _sync_check_params(learner, keys)).fetchone()
        return _sync_checked(row, keys)
    with _as_store_errors(engine), learner_session(engine, learner) as session:
        return sync_check(session=session, keys=keys)


def _sync_check_params(learner: str, keys: Sequence[str]) -> dict[str, str]:
    params = {"learner": learner, **_order_params()}
    params.update({f"key{i}": key for i, key in enumerate(keys)})
    return params


def _sync_checked(row: Sequence[Any], keys: Sequence[str]) -> SyncCheck:
    """The `SyncCheck` of `sync_check`'s row."""
    values = [None if value is None else str(value) for value in row[1:-1]]
    return SyncCheck(
        registered=row[0] is not None,
        meta=dict(zip(keys, values, strict=True)),
        order_kept=bool(row[-1]),
    )


@functools.lru_cache(maxsize=8)
def _sync_check_sql(keys: int) -> str:
    """The statement of `sync_check` for that many meta keys (`{key0}`, `{key1}`, ...)."""
    values = [f"({_META_SQL.replace('{key}', f'{{key{i}}}')})" for i in range(keys)]
    return f"SELECT ({_LEARNER_SQL}), {', '.join(values)}, ({ORDER_KEPT_SQL})"
