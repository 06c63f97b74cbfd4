"""The connection kept for a learner's answers (`queries.HeldConnection`): the same one from
one answer to the next; another thread meanwhile takes one of the pool's; a failure, or the
pool made anew (`Engine.dispose`), closes it; `close` gives it back to the pool."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tutor.store.engine import open_store
from tutor.store.queries import HeldConnection, reading


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = open_store(f"sqlite:///{tmp_path / 'held.db'}")
    yield made
    made.dispose()


def test_the_same_connection_from_one_answer_to_the_next(engine: Engine) -> None:
    held = HeldConnection(engine)
    with held.driver() as first:
        pass
    with held.driver() as second:
        pass
    assert first is not None and first is second
    assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    held.close()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_another_thread_meanwhile_takes_one_of_the_pools(engine: Engine) -> None:
    held = HeldConnection(engine)
    seen: list[object] = []
    with held.driver() as mine:
        assert mine is not None

        def other() -> None:
            with held.driver() as theirs:
                seen.append(theirs)
            with reading(engine, "ada", held) as reads:  # falls back to the pool's
                seen.append(reads.progress())

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == [None, None]
    held.close()


def test_a_failure_or_a_new_pool_gives_the_connection_up(engine: Engine) -> None:
    held = HeldConnection(engine)
    with held.driver() as first:
        assert first is not None
    with pytest.raises(sqlite3.OperationalError), held.driver() as failing:
        assert failing is first
        failing.execute("SELECT * FROM no_such_table")
    with held.driver() as after_failure:
        assert after_failure is not None and after_failure is not first
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not given back to the pool
        first.execute("SELECT 1")
    engine.dispose()  # the pool made anew: its next connections are made as connecting does now
    with held.driver() as after_dispose:
        assert after_dispose is not None and after_dispose is not after_failure
    with pytest.raises(sqlite3.ProgrammingError):  # the old one was closed, not left open
        after_failure.execute("SELECT 1")
    held.close()
