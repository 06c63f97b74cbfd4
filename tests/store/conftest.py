from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tutor.store.engine import open_store
from tutor.store.models import AttemptRow, CardRow, MemoryRow, ReviewRow, StudyDayRow
from tutor.store.queries import CardSnapshot, learner_session, sync_cards
from tutor.study.fit import LoggedReview
from tutor.study.learner import default_learner
from tutor.study.schedule import Memory, Rating, review

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
DAY0 = date(2026, 3, 1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / "tutor.db"


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database as open_store creates it, made once: creating one runs the migrations, which
    costs tens of milliseconds a test. (Creation itself is tested in test_engine and
    test_migrations.)"""
    path = tmp_path_factory.mktemp("fresh") / "tutor.db"
    open_store(f"sqlite:///{path}").dispose()
    assert [p.name for p in path.parent.iterdir()] == ["tutor.db"]  # no WAL left beside it
    return path


@pytest.fixture
def engine(db_path: Path, fresh_database: Path) -> Iterator[Engine]:
    """An engine on a fresh database of the test's own (a copy of `fresh_database`)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fresh_database, db_path)
    engine = open_store(f"sqlite:///{db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with learner_session(engine, default_learner()) as session:
        yield session


def snapshot(card_id: str, position: int = 0, *, text: str = "v1", deck: str = "d") -> CardSnapshot:
    return CardSnapshot(
        id=card_id,
        deck_id=deck,
        path=f"decks/{deck}.md",
        position=position,
        content_hash=f"hash-{card_id}-{text}",
    )


def add_cards(session: Session, *ids: str) -> None:
    sync_cards(
        session=session, cards=[snapshot(card_id, n) for n, card_id in enumerate(ids)], now=T0
    )


def review_of(card_id: str, n: int = 0, *, success: bool = True, day: date = DAY0) -> ReviewRow:
    start = T0 + timedelta(days=n)
    return ReviewRow(
        learner=default_learner(),
        card_id=card_id,
        study_day=day,
        started_at=start,
        ended_at=start + timedelta(minutes=21),
        active_seconds=1260.5,
        attempts=2,
        hints_used=1,
        revealed=not success,
        verdicts='["incorrect", "correct"]',
        rating=3 if success else 1,
        success=success,
        final_answer=f"answer {n}",
    )


def memory_of(card_id: str, n: int = 0) -> MemoryRow:
    return MemoryRow(
        learner=default_learner(),
        card_id=card_id,
        state=2,
        step=None,
        stability=3.5 + n,
        difficulty=5.25,
        due=T0 + timedelta(days=n + 3),
        last_review=T0 + timedelta(days=n),
    )


def attempt_of(card_id: str, n: int = 0, verdict: str = "correct") -> AttemptRow:
    return AttemptRow(
        learner=default_learner(),
        card_id=card_id,
        at=T0 + timedelta(minutes=n),
        active_seconds=60.0 * n,
        answer=f"x^{n}",
        verdict=verdict,
        feedback="",
    )


def store_log(session: Session, log: Sequence[LoggedReview]) -> None:
    """A synthetic learner's reviews written as the tutor would have saved them (cards, reviews,
    per-day totals and each card's memory state under the default parameters), in one bulk
    transaction; the cards are retired, so no queue offers them."""
    cards = list(dict.fromkeys(r.card_id for r in log))
    first = {card: next(r.at for r in log if r.card_id == card) for card in cards}
    session.add_all(
        CardRow(
            id=card,
            deck_id="synthetic",
            path="decks/synthetic.md",
            position=n,
            content_hash="h",
            added_at=first[card],
            retired=True,  # out of the decks, so that no queue offers them
            retired_at=first[card],
        )
        for n, card in enumerate(cards)
    )
    memories: dict[str, Memory] = {}
    days: dict[date, StudyDayRow] = {}
    for r in log:
        day = r.at.date()
        totals = days.setdefault(day, StudyDayRow(learner=default_learner(), day=day))
        seen = r.card_id in memories
        totals.reviews += 1
        totals.successes += r.rating > 1
        totals.repeat_reviews += seen
        totals.repeat_successes += seen and r.rating > 1
        memories[r.card_id] = review(memories.get(r.card_id), Rating(r.rating), r.at, fuzz=False)
        session.add(
            ReviewRow(
                learner=default_learner(),
                card_id=r.card_id,
                study_day=day,
                started_at=r.at,
                ended_at=r.at,
                active_seconds=60.0,
                rating=r.rating,
                success=r.rating > 1,
            )
        )
    session.add_all(days.values())
    session.add_all(
        MemoryRow(
            learner=default_learner(),
            card_id=card,
            **dataclasses.asdict(memory),
            reconstructed=True,
            run=1,
            last_day=memory.last_review.date() if memory.last_review else None,
        )
        for card, memory in memories.items()
    )
    session.commit()
