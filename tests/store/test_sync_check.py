"""The check a sync makes first (`queries.sync_check`): whether the learner is registered, the
meta values asked for and whether the order new cards follow was stored for the cards synced,
in one statement; `card_order_kept` and `get_meta` alone say the same. On SQLite, and on
PostgreSQL when TUTOR_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from tutor.store.engine import open_store
from tutor.store.models import MetaRow
from tutor.store.queries import (
    card_order_kept,
    ensure_learner,
    get_meta,
    learner_session,
    set_meta,
    sync_cards,
    sync_check,
)
from tutor.store.rows import META_CARD_ORDER, META_DECK_SET_HASH

from .conftest import T0, snapshot

SERVER = os.environ.get("TUTOR_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    """The test's SQLite database, or a PostgreSQL database of its own (dropped after)."""
    if request.param == "sqlite":
        yield engine
        return
    if not SERVER:
        pytest.skip("TUTOR_TEST_POSTGRES_URL is not set")
    name = f"tutor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    pg = open_store(make_url(SERVER).set(database=name).render_as_string(hide_password=False))
    try:
        yield pg
    finally:
        pg.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


KEYS = ("deck_files", "held_back")


def checked(session: Session) -> tuple[bool, dict[str, str | None], bool]:
    """`sync_check`, which must say what the queries it stands for say one by one."""
    check = sync_check(session=session, keys=KEYS)
    assert check.meta == {key: get_meta(session=session, key=key) for key in KEYS}
    assert check.order_kept == card_order_kept(session=session)
    return check.registered, check.meta, check.order_kept


def put(session: Session, key: str, value: str | None) -> None:
    row = session.get(MetaRow, key)
    if row is not None:
        session.delete(row)
        session.commit()
    if value is not None:
        set_meta(session=session, key=key, value=value)


def test_a_learner_is_registered_once_and_the_check_says_so(any_engine: Engine) -> None:
    with learner_session(any_engine, "newcomer") as session:
        assert checked(session)[0] is False
        assert ensure_learner(session=session, now=T0) is True
        assert checked(session)[0] is True
        assert ensure_learner(session=session, now=T0) is False
    with learner_session(any_engine, "someone else") as session:
        assert checked(session)[0] is False


def test_the_meta_values_are_read_as_get_meta_reads_them(any_engine: Engine) -> None:
    with learner_session(any_engine, "ada") as session:
        assert checked(session)[1] == {"deck_files": None, "held_back": None}
        set_meta(session=session, key="deck_files", value="f" * 64)
        set_meta(session=session, key="held_back", value='{"ids": ["a"]}\nline two')
        assert checked(session)[1] == {
            "deck_files": "f" * 64,
            "held_back": '{"ids": ["a"]}\nline two',
        }


def test_the_order_is_kept_only_when_its_first_line_is_the_deck_set_synced(
    any_engine: Engine,
) -> None:
    with learner_session(any_engine, "ada") as session:
        assert checked(session)[2] is False  # never synced
        sync_cards(session=session, cards=[snapshot("a", 0), snapshot("b", 1)], now=T0)
        assert checked(session)[2] is True
        digest = get_meta(session=session, key=META_DECK_SET_HASH)
        order = get_meta(session=session, key=META_CARD_ORDER)
        assert digest is not None and order is not None and order.startswith(digest + "\n")
        cases = {
            # the order stored, and whether it is that of the deck set synced
            order: True,
            digest: True,  # the order of no cards at all: the digest alone
            digest + "\n": True,
            digest + "0\na\nb": False,  # a digest that begins like it is another
            digest[:-1] + "\na\nb": False,
            "x" + digest + "\na\nb": False,
            "\n" + digest: False,
            "": False,
            None: False,  # synced by an earlier release: no order stored
        }
        for value, kept in cases.items():
            put(session, META_CARD_ORDER, value)
            assert checked(session)[2] is kept, repr(value)
        put(session, META_CARD_ORDER, order)
        put(session, META_DECK_SET_HASH, None)
        assert checked(session)[2] is False


def test_a_long_order_is_compared_by_its_first_line(any_engine: Engine) -> None:
    cards = [snapshot(f"card-{n:05}", n) for n in range(3000)]
    with learner_session(any_engine, "ada") as session:
        sync_cards(session=session, cards=cards, now=T0)
        assert checked(session)[2] is True
        order = get_meta(session=session, key=META_CARD_ORDER)
        assert order is not None and len(order) > 30_000
        put(session, META_CARD_ORDER, "0" * 64 + order[64:])
        assert checked(session)[2] is False
