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
from tutor.store.errors import StoreError
from tutor.store.queries import HeldConnection, reading, writing
from tutor.store.writes import Direct


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = open_store(f"sqlite:///{tmp_path / 'held.db'}")
    yield made
    made.dispose()


def test_the_same_connection_from_one_answer_to_the_next(engine: Engine) -> None:
    held = HeldConnection(engine)
    with writing(engine, held) as first:
        pass
    with writing(engine, held) as second:
        pass
    assert isinstance(first, Direct) and isinstance(second, Direct)
    assert first.driver is second.driver
    assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]  (kept between them)
    held.close()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_another_thread_meanwhile_takes_one_of_the_pools(engine: Engine) -> None:
    held = HeldConnection(engine)
    seen: list[object] = []
    with writing(engine, held) as mine:
        assert isinstance(mine, Direct)

        def other() -> None:
            seen.append(held.take())
            with reading(engine, "ada", held) as reads:  # the pool's: no waiting for it
                seen.append(reads.progress())

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == [None, None]
    held.close()


def test_a_failure_or_a_new_pool_gives_the_connection_up(engine: Engine) -> None:
    held = HeldConnection(engine)
    first = held.take()
    assert first is not None
    held.release()
    with pytest.raises(StoreError), writing(engine, held) as failing:
        assert isinstance(failing, Direct) and failing.driver is first
        failing.driver.execute("SELECT * FROM no_such_table")  # a failure of the database's
    after_failure = held.take()
    assert after_failure is not None and after_failure is not first
    held.release()
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not given back to the pool
        first.execute("SELECT 1")
    engine.dispose()  # the pool made anew: its next connections are made as connecting does now
    after_dispose = held.take()
    assert after_dispose is not None and after_dispose is not after_failure
    held.release()
    with pytest.raises(sqlite3.ProgrammingError):  # the old one was closed, not left open
        after_failure.execute("SELECT 1")
    held.close()
