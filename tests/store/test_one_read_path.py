"""One read path for today's card (#15): the quick start (sqlite3, no SQLAlchemy) and the store
run the same SQL texts (`tutor.store.reads`), and over generated databases both give what a
plain Python model of the rows says they should: the queue's data, a card's place (its span in
its file included), its memory, its open notes, the unfinished card. On PostgreSQL too, when
TUTOR_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tutor.deck.model import Span
from tutor.store.engine import open_store
from tutor.store.models import (
    CardRow,
    MemoryRow,
    MetaRow,
    NoteRow,
    ProgressRow,
    ReviewRow,
    StudyDayRow,
)
from tutor.store.queries import learner_session, today_reads
from tutor.store.quick import QuickReader
from tutor.store.reads import CardPlace, Reads, instant, stored_instant
from tutor.store.rows import (
    META_CARD_ORDER,
    META_DECK_SET_HASH,
    MemoryState,
    QueueData,
    QueueRow,
    SavedProgress,
)
from tutor.study.proof import PROOF_CARD_PREFIX

TODAY = date(2026, 5, 10)
END = datetime(2026, 5, 11, 4, 0, tzinfo=UTC)  # the end of the study day TODAY
LEARNERS = ("ada", "bob")
PATHS = ("/decks/a.md", "/decks/b.md", "/decks/proof.md")
IDS = ("a1", "a2", "b1", "b2", "s1", "s2", f"{PROOF_CARD_PREFIX}p")

instants = st.integers(min_value=-5 * 86_400, max_value=5 * 86_400).map(
    lambda s: END + timedelta(seconds=s, microseconds=s % 997 * 13)
)
days = st.integers(min_value=-3, max_value=1).map(lambda n: TODAY + timedelta(days=n))
note_words = st.text(  # PostgreSQL keeps no NUL, and UTF-8 no lone surrogate
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=3
)


@dataclass(frozen=True)
class World:
    cards: list[CardRow]
    memory: list[MemoryRow]
    progress: list[ProgressRow]
    study_days: list[StudyDayRow]
    reviews: list[ReviewRow]
    notes: list[NoteRow]
    order: tuple[str, ...] | None
    scope: list[str] | None


@st.composite
def worlds(draw: st.DrawFn) -> World:
    cards = []
    for position, card_id in enumerate(IDS):
        if not draw(st.booleans()) and card_id not in ("a1", f"{PROOF_CARD_PREFIX}p"):
            continue
        path = PATHS[2] if card_id.startswith(("s", PROOF_CARD_PREFIX)) else PATHS[position // 2]
        others = [other for other in IDS if other != card_id]
        requires = draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
        span = draw(st.none() | st.tuples(*[st.integers(0, 2_000_000)] * 4))  # synced before 0007
        head, start, end, line = span or (None,) * 4
        cards.append(
            CardRow(
                id=card_id,
                deck_id=path,
                path=path,
                position=draw(st.integers(0, 3)),
                content_hash="h",
                requires=",".join(requires),
                retired=draw(st.integers(0, 5)) == 0,
                added_at=END,
                span_head=head,
                span_start=start,
                span_end=end,
                span_line=line,
            )
        )
    ids = [card.id for card in cards]
    memory = []
    for learner in LEARNERS:
        for card_id in draw(st.lists(st.sampled_from(ids), unique=True)):
            reviewed = draw(st.booleans())
            memory.append(
                MemoryRow(
                    learner=learner,
                    card_id=card_id,
                    state=draw(st.integers(1, 3)),
                    step=draw(st.none() | st.integers(0, 2)),
                    stability=draw(st.none() | st.floats(0.1, 400, allow_nan=False)),
                    difficulty=draw(st.none() | st.floats(1, 10, allow_nan=False)),
                    due=draw(instants),
                    last_review=draw(instants) if reviewed else None,
                    reconstructed=draw(st.booleans()),
                    run=draw(st.integers(0, 4)),
                    last_day=draw(days) if reviewed else None,
                )
            )
    progress = [
        ProgressRow(
            learner=learner,
            card_id=draw(st.sampled_from(ids)),
            study_day=TODAY,
            started_at=draw(instants),
            updated_at=END,
            active_seconds=draw(st.floats(0, 5000, allow_nan=False)),
            hints_shown=draw(st.integers(0, 3)),
            revealed=draw(st.booleans()),
            state_json=draw(st.sampled_from(["{}", '{"x": "é"}'])),
        )
        for learner in LEARNERS
        if draw(st.booleans())
    ]
    study_days = [
        StudyDayRow(
            learner=learner,
            day=day,
            reviews=draw(st.integers(0, 9)),
            successes=0,
            repeat_reviews=draw(st.integers(0, 5)),
        )
        for learner in LEARNERS
        for day in draw(st.lists(days, unique=True, max_size=3))
    ]
    whole = f"{PROOF_CARD_PREFIX}p"
    reviews = [
        ReviewRow(
            learner=draw(st.sampled_from(LEARNERS)),
            card_id=whole,
            study_day=draw(days),
            started_at=END,
            ended_at=END,
            active_seconds=1.0,
            rating=3,
            success=True,
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    notes = [
        NoteRow(
            learner=draw(st.sampled_from(LEARNERS)),
            card_id=draw(st.sampled_from(ids[:2])),
            written_at=END - timedelta(hours=draw(st.integers(1, 2))),  # ties: ordered by id
            text=f"note {n} {draw(note_words)}",
            resolved_at=END if draw(st.booleans()) else None,
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    order = draw(st.none() | st.permutations(ids).map(tuple))
    scope = draw(st.none() | st.lists(st.sampled_from(PATHS), unique=True))
    return World(cards, memory, progress, study_days, reviews, notes, order, scope)


@st.composite
def due_worlds(draw: st.DrawFn) -> World:
    """Worlds in which most cards are reviews due for "ada", most of them reviewed: what the
    order of the reviews due is made of."""
    world = draw(worlds())
    memory = [m for m in world.memory if m.learner != "ada"]
    for card in world.cards:
        if draw(st.integers(0, 5)) == 0:
            continue  # new
        reviewed = draw(st.integers(0, 5)) > 0
        memory.append(
            MemoryRow(
                learner="ada",
                card_id=card.id,
                state=2,
                stability=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]) | st.floats(0.1, 40))
                if reviewed
                else None,
                difficulty=5.0,
                due=END - timedelta(seconds=draw(st.integers(-3_600, 5 * 86_400))),
                last_review=draw(instants) if reviewed else None,
                run=0,
                last_day=draw(days) if reviewed else None,
            )
        )
    return dataclasses.replace(world, memory=memory)


def load(engine: Engine, world: World) -> None:
    with learner_session(engine, "ada") as session:
        for table in (NoteRow, ReviewRow, StudyDayRow, ProgressRow, MemoryRow, MetaRow, CardRow):
            session.execute(delete(table))
        session.commit()
        for rows in (world.cards, world.memory, world.progress, world.study_days):
            session.add_all([fresh(row) for row in rows])
            session.flush()
        session.add_all([fresh(row) for row in [*world.reviews, *world.notes]])
        if world.order is not None:
            session.add(MetaRow(key=META_DECK_SET_HASH, value="digest"))
            session.add(MetaRow(key=META_CARD_ORDER, value="\n".join(["digest", *world.order])))
        session.commit()


def fresh(row: SQLModel) -> SQLModel:
    """A copy of a generated row to insert (the generated one stays out of every session)."""
    return type(row)(**{name: getattr(row, name) for name in type(row).model_fields})


def model_queue(world: World, learner: str) -> QueueData:
    """What the queue's data must be, computed from the rows in Python."""
    active = {
        c.id: c
        for c in world.cards
        if not c.retired and (world.scope is None or c.path in world.scope)
    }
    mine = {m.card_id: m for m in world.memory if m.learner == learner}
    new_cards = sorted(
        (c for c in active.values() if c.id not in mine), key=lambda c: (c.path, c.position, c.id)
    )
    new = [QueueRow(c.id, tuple(c.requires.split(",")) if c.requires else ()) for c in new_cards]
    needed = {r for row in new for r in row.requires}
    steps = {r for row in new if row.card_id.startswith(PROOF_CARD_PREFIX) for r in row.requires}
    due = [memory_of(m) for card_id, m in mine.items() if card_id in active and m.due < END]
    unfinished = [p.card_id for p in world.progress if p.learner == learner]
    day = [d for d in world.study_days if d.learner == learner and d.day == TODAY]
    wholes = {
        r.card_id
        for r in world.reviews
        if r.learner == learner
        and r.study_day == TODAY
        and not any(
            e.learner == learner and e.card_id == r.card_id and e.study_day < TODAY
            for e in world.reviews
        )
    }
    firsts = sum(
        1
        for r in world.reviews
        if r.learner == learner and r.card_id in wholes and r.study_day == TODAY
    )
    return QueueData(
        due=due,
        new=new,
        reconstructed=frozenset(c for c in needed if c in mine and mine[c].reconstructed),
        unfinished=unfinished[0] if unfinished else None,
        done_today=day[0].reviews if day else 0,
        repeats_today=day[0].repeat_reviews if day else 0,
        wholes_today=firsts,
        studied_today=frozenset(c for c in steps if c in mine and mine[c].last_day == TODAY),
        order=world.order or (),
    )


def memory_of(row: MemoryRow) -> MemoryState:
    return MemoryState(
        row.card_id,
        row.state,
        row.step,
        row.stability,
        row.difficulty,
        row.due,
        row.last_review,
        row.reconstructed,
        row.run,
        row.last_day,
    )


def same_queue(found: QueueData, expected: QueueData) -> None:
    key = lambda s: s.card_id  # noqa: E731
    assert sorted(found.due, key=key) == sorted(expected.due, key=key)
    rest = {**vars(found), "due": None}
    assert rest == {**vars(expected), "due": None}


def check(reads: Reads, world: World, learner: str) -> None:
    same_queue(reads.queue(TODAY, END, world.scope), model_queue(world, learner))
    for card in world.cards:
        span = (card.span_head, card.span_start, card.span_end, card.span_line)
        assert reads.card(card.id) == CardPlace(
            card.path,
            card.retired,
            card.position,
            None if None in span else Span(*span),  # type: ignore[arg-type]
        )
        mine = [m for m in world.memory if m.learner == learner and m.card_id == card.id]
        assert reads.memory(card.id) == (memory_of(mine[0]) if mine else None)
        assert reads.next_card(card.id) == (
            reads.progress(),
            reads.card(card.id),
            reads.memory(card.id),
            reads.notes(card.id),
        )
        expected_notes = sorted(
            (
                (n.written_at, i, n.text)
                for i, n in enumerate(world.notes)
                if n.learner == learner and n.card_id == card.id and n.resolved_at is None
            ),
            reverse=True,
        )  # newest first, the later written first among equals (ids grow)
        found = reads.notes(card.id)
        assert [(at, text) for at, _, text in expected_notes] == [(at, t) for _, t, at in found]
    assert reads.card("nowhere") is None
    assert reads.next_card("nowhere") == (reads.progress(), None, None, [])
    saved = [p for p in world.progress if p.learner == learner]
    expected = (
        SavedProgress(
            saved[0].card_id,
            saved[0].started_at,
            saved[0].active_seconds,
            saved[0].hints_shown,
            saved[0].revealed,
            saved[0].state_json,
        )
        if saved
        else None
    )
    assert reads.progress() == expected


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path_factory.mktemp("one-read-path") / "tutor.db"
    engine = open_store(f"sqlite:///{path}")
    yield engine, path
    engine.dispose()


PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(world=worlds(), learner=st.sampled_from(LEARNERS))
def test_the_quick_reads_and_the_stores_are_the_model(
    sqlite_store: tuple[Engine, Path], world: World, learner: str
) -> None:
    engine, path = sqlite_store
    load(engine, world)
    with learner_session(engine, learner) as session:
        check(today_reads(session), world, learner)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check(QuickReader(connection, learner).reads, world, learner)
    finally:
        connection.close()


def model_first_due(world: World, learner: str, now: datetime) -> tuple[list[str], datetime | None]:
    """The reviews due, not reviewed today, in the order of `due_order`'s documentation (never
    reviewed first, then by whole days since the last review over stability, largest first,
    then the due, then the id), computed here from the rows; and the first instant after
    `now` at which a card's whole days (none if negative) change (None: none reviewed)."""
    active = {
        c.id
        for c in world.cards
        if not c.retired and (world.scope is None or c.path in world.scope)
    }
    due = [
        m
        for m in world.memory
        if m.learner == learner and m.card_id in active and m.due < END and m.last_day != TODAY
    ]

    def key(m: MemoryRow) -> tuple[bool, float, datetime, str]:
        if m.last_review is None or m.stability is None:
            return (False, 0.0, m.due, m.card_id)
        return (True, -max(0, (now - m.last_review).days) / m.stability, m.due, m.card_id)

    changes = [
        m.last_review + timedelta(days=max(0, (now - m.last_review).days) + 1)
        for m in due
        if m.last_review is not None and m.stability is not None
    ]
    return [m.card_id for m in sorted(due, key=key)], min(changes, default=None)


def check_first_due(reads: Reads, world: World, learner: str, now: datetime, limit: int) -> None:
    data = reads.reviews(TODAY, END, world.scope, now=now, limit=limit)
    order, change = model_first_due(world, learner, now)
    assert [state.card_id for state in data.due] == order[:limit]
    if len(order) < limit:
        assert data.first_due is None  # every review due was read
        return
    first = data.first_due
    assert first is not None and first.at == now and first.limit == limit
    if change is not None:  # the order read holds no longer than the cards' own days
        assert first.until is not None and now < first.until <= change
    if first.until is not None:
        later, _ = model_first_due(world, learner, first.until - timedelta(microseconds=1))
        assert later[:limit] == order[:limit]


@settings(PROPERTY, max_examples=150)
@given(world=due_worlds(), learner=st.sampled_from(["ada", "ada", "bob"]), data=st.data())
def test_the_first_reviews_due_are_read_in_the_order_python_gives(
    sqlite_store: tuple[Engine, Path], world: World, learner: str, data: st.DataObject
) -> None:
    """On SQLite both readers read only the first `limit` reviews due, ordered by SQLite as
    `due_order` orders them in Python (ties, last reviews after `now` and never-reviewed cards
    included), and say until when they stay the first: never later than a card's whole days
    since its last review change. `now` is at times the very time of day of a last review."""
    lasts = [
        m.last_review
        for m in world.memory
        if m.learner == learner and m.last_review is not None and m.due < END
    ]
    now = data.draw(
        instants
        | (
            st.sampled_from(lasts or [END]).flatmap(
                lambda last: st.integers(-2, 3).map(lambda n: last + timedelta(days=n))
            )
        )
    )
    due = len(model_first_due(world, learner, now)[0])
    limit = data.draw(st.integers(min_value=1, max_value=due + 1))  # mostly fewer than due
    engine, path = sqlite_store
    load(engine, world)
    with learner_session(engine, learner) as session:
        check_first_due(today_reads(session), world, learner, now, limit)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check_first_due(QuickReader(connection, learner).reads, world, learner, now, limit)
    finally:
        connection.close()


POSTGRES = os.environ.get("TUTOR_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def postgres_store() -> Iterator[Engine]:
    if not POSTGRES:
        pytest.skip("TUTOR_TEST_POSTGRES_URL is not set")
    from sqlalchemy import create_engine, text

    name = f"tutor_reads_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    engine = open_store(url)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds(), learner=st.sampled_from(LEARNERS))
def test_the_stores_reads_on_postgresql_are_the_model(
    postgres_store: Engine, world: World, learner: str
) -> None:
    load(postgres_store, world)
    with learner_session(postgres_store, learner) as session:
        check(today_reads(session), world, learner)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(9998, 12, 30),
        timezones=st.none() | st.just(UTC) | st.timezones(),
    ),
    st.sampled_from(["text", "offset", "value"]),
)
def test_a_stored_instant_reads_back_as_the_same_utc_instant(moment: datetime, form: str) -> None:
    """`instant` reads SQLite's naive UTC text in one step; text with an offset of its own and
    a server's values (naive: UTC; aware: any zone) read as the same instant, always in UTC."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    stored: str | datetime = {
        "text": stored_instant(utc),
        "offset": moment.isoformat() if moment.tzinfo is not None else stored_instant(utc),
        "value": moment,
    }[form]
    read = instant(stored)
    assert read == utc and read.tzinfo is UTC


def test_a_review_gains_its_whole_day_at_its_very_time_of_day(
    sqlite_store: tuple[Engine, Path],
) -> None:
    """At the very microsecond of its last review's time of day, a card has one whole day
    more: "a", last reviewed two days before `now` to the microsecond (2 days over stability
    1), comes before "b", reviewed two days and an hour before (2 over 1.2); a microsecond
    earlier, "a" has one day and comes after."""
    engine, _ = sqlite_store
    now = END - timedelta(hours=3, microseconds=417)
    cards = [
        CardRow(id=i, deck_id="d", path=PATHS[0], position=n, content_hash="h", added_at=END)
        for n, i in enumerate(("a", "b"))
    ]
    memory = [
        MemoryRow(
            learner="ada",
            card_id=card_id,
            state=2,
            stability=stability,
            difficulty=5.0,
            due=now - timedelta(hours=1),
            last_review=last,
            last_day=TODAY - timedelta(days=3),
        )
        for card_id, stability, last in (
            ("a", 1.0, now - timedelta(days=2)),
            ("b", 1.2, now - timedelta(days=2, hours=1)),
        )
    ]
    load(engine, World(cards, memory, [], [], [], [], None, None))
    with learner_session(engine, "ada") as session:
        reads = today_reads(session)
        at_it = reads.reviews(TODAY, END, None, now=now, limit=1)
        before = reads.reviews(TODAY, END, None, now=now - timedelta(microseconds=1), limit=1)
    assert [s.card_id for s in at_it.due] == ["a"]
    assert [s.card_id for s in before.due] == ["b"]
    assert before.first_due is not None and before.first_due.until == now
