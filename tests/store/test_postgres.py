"""The same store on PostgreSQL. Opt-in: set TUTOR_TEST_POSTGRES_URL to a server URL whose
user may create databases, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres (each
test gets a database of its own, dropped afterwards). Skipped when unset."""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from tutor.store.engine import HEAD_REVISION, current_revision, open_store
from tutor.store.errors import StoreBusy, StoreError
from tutor.store.lock import study_lock
from tutor.store.models import AttemptRow
from tutor.store.queries import count_reviews, load_progress, save_review

from . import test_fit_queries, test_reviews, test_sync
from .conftest import add_cards, attempt_of, memory_of, review_of

SERVER = os.environ.get("TUTOR_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not SERVER, reason="TUTOR_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"tutor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = open_store(pg_url)
    yield engine
    engine.dispose()


def test_the_schema_is_created_at_head_and_matches_the_models(pg_engine: Engine) -> None:
    assert current_revision(pg_engine) == HEAD_REVISION
    with pg_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        kind = conn.execute(
            text("SELECT data_type FROM information_schema.columns WHERE column_name = 'due'")
        ).scalar()
        assert kind == "timestamp with time zone"


QUERY_TESTS: list[Callable[..., None]] = [
    test_sync.test_new_cards_are_added_in_deck_order,
    test_sync.test_unchanged_deck_set_is_skipped_and_order_does_not_matter,
    test_sync.test_an_edited_card_keeps_its_history,
    test_sync.test_a_moved_card_is_updated,
    test_sync.test_a_removed_card_is_retired_with_its_history_and_revived_later,
    test_sync.test_duplicate_ids_are_refused_and_nothing_is_written,
    test_reviews.test_save_review_writes_review_memory_attempts_and_clears_progress,
    test_reviews.test_save_review_upserts_the_memory_state,
    test_reviews.test_mismatched_rows_are_refused_before_writing,
    test_reviews.test_progress_save_load_replace_clear,
    test_reviews.test_notes_newest_first,
    test_reviews.test_review_days_and_counts,
    test_reviews.test_stats_counts,
    test_reviews.test_memory_states_are_plain_values_of_active_cards,
    test_reviews.test_queue_data_reads_only_the_candidates,
    test_fit_queries.test_fits_are_recorded_and_memory_states_set_where_no_review_came_since,
]


@pytest.mark.parametrize("query_test", QUERY_TESTS, ids=lambda t: t.__name__)
def test_the_query_tests_pass_on_postgres(
    query_test: Callable[..., None], pg_engine: Engine
) -> None:
    with Session(pg_engine) as session:
        wanted = inspect.signature(query_test).parameters
        given = {"engine": pg_engine, "session": session}
        query_test(**{name: given[name] for name in wanted})


def test_a_failing_memory_upsert_leaves_nothing_of_the_review(pg_engine: Engine) -> None:
    with Session(pg_engine) as session:
        add_cards(session, "c1")
        pending = AttemptRow.model_validate(attempt_of("c1", 1).model_dump())
        session.add(pending)
        session.commit()
        session.refresh(pending)
    with pg_engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION fail() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'memory upsert failed'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text("CREATE TRIGGER fail BEFORE INSERT OR UPDATE ON memory EXECUTE FUNCTION fail()")
        )
    with Session(pg_engine) as session:
        with pytest.raises(Exception, match="memory upsert failed"):
            save_review(
                session=session,
                review=review_of("c1"),
                memory=memory_of("c1"),
                attempts=[pending],
            )
        assert count_reviews(session=session) == 0
        assert load_progress(session=session) is None
    with pg_engine.connect() as conn:
        rows = conn.execute(text("SELECT review_id FROM attempt")).all()
        assert [tuple(r) for r in rows] == [(None,)]


def test_a_foreign_database_is_refused_untouched(pg_url: str) -> None:
    other = create_engine(pg_url)
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE contacts (name text)"))
        conn.execute(text("INSERT INTO contacts VALUES ('Ada')"))
    with pytest.raises(StoreError, match="not a proof-tutor database"):
        open_store(pg_url)
    with other.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).all()
        assert [tuple(t) for t in tables] == [("contacts",)]
    other.dispose()


def test_the_study_lock_is_an_advisory_lock(pg_url: str) -> None:
    busy = pytest.raises(StoreBusy, match="another tutor is studying with this database")
    with study_lock(pg_url), busy, study_lock(pg_url):
        pass
    with study_lock(pg_url):  # released
        pass


def test_an_unreachable_server_is_a_store_error() -> None:
    url = make_url(SERVER).set(port=1, host="127.0.0.1")
    with pytest.raises(StoreError, match="cannot connect to the database server") as raised:
        open_store(url.render_as_string(hide_password=False))
    assert "\n" not in str(raised.value)


def test_doctor_checks_identity_and_schema_and_leaves_storage_to_the_server(pg_url: str) -> None:
    from tutor.store.health import doctor_url

    open_store(pg_url).dispose()
    report = doctor_url(pg_url)
    where = make_url(pg_url).render_as_string(hide_password=True)
    assert report.sound
    assert report.verdict.startswith(
        f"{where}: sound: its identity and schema {HEAD_REVISION} checked (the server checks "
        "its own storage"
    )
