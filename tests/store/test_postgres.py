"""The same store on PostgreSQL. Opt-in: set TUTOR_TEST_POSTGRES_URL to a server URL whose
user may create databases, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres (each
test gets a database of its own, dropped afterwards). Skipped when unset."""

from __future__ import annotations

import functools
import inspect
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from tutor.store.engine import HEAD_REVISION, current_revision, open_store, upgrade
from tutor.store.errors import StoreBusy, StoreError
from tutor.store.lock import study_lock
from tutor.store.models import AttemptRow
from tutor.store.queries import count_reviews, learner_session, load_progress, save_review
from tutor.study.learner import default_learner

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
    with learner_session(pg_engine, default_learner()) as session:
        wanted = inspect.signature(query_test).parameters
        given = {"engine": pg_engine, "session": session}
        query_test(**{name: given[name] for name in wanted})


def test_a_failing_memory_upsert_leaves_nothing_of_the_review(pg_engine: Engine) -> None:
    with learner_session(pg_engine, default_learner()) as session:
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
    with learner_session(pg_engine, default_learner()) as session:
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


# -- learners: a study group on one server -----------------------------------------------------


def test_three_learners_study_a_week_at_once_each_with_their_own_progress(
    pg_url: str, tmp_path: Path
) -> None:
    from today.learners_week import DECK, Learner, check_week, study_week
    from today.report_week import check_report

    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    (deck_dir / "doubles.md").write_text(DECK, encoding="utf-8")
    group = [
        Learner("ada", note="why two copies?"),
        Learner("grace", wrong_first=True),
        Learner("emmy", quits_last_day=True),
    ]
    printed = study_week(tmp_path / "home", deck_dir, pg_url, group)
    check_week(tmp_path / "home", deck_dir, pg_url, group, printed)
    check_report(tmp_path / "home", deck_dir, pg_url, group, printed)  # `tutor report --json`


def _readme_sql() -> str:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```sql\n", readme.index("### Learners and study groups")) + 7
    return readme[start : readme.index("```", start)]


def test_the_readmes_grants_let_a_member_study_and_a_role_without_them_gets_one_line(
    pg_url: str, tmp_path: Path
) -> None:
    """The README's statements, run as written (the test's own database and role names put in,
    the database made by the fixture and owned by the test's role): a member studies; a role
    outside the group is told in one line which privilege it lacks."""
    suffix = uuid.uuid4().hex[:8]
    url = make_url(pg_url)
    owner = url.username
    members, ada, outsider = f"members_{suffix}", f"ada_{suffix}", f"outsider_{suffix}"
    names = {"tutor_members": members, "ada": ada, "tutor_owner": owner, "tutor": url.database}
    statements = []
    for statement in _readme_sql().split(";"):
        statement = statement.strip()
        if not statement or statement.startswith("\\connect"):
            statement = statement.partition("\n")[2].strip() if statement else ""
        first = statement.split()[:3] if statement else []
        if not statement or first[:2] in (["CREATE", "DATABASE"], ["ALTER", "DATABASE"]):
            continue  # the fixture made the database, owned by the test's role
        if first == ["CREATE", "ROLE", "tutor_owner"] or first[:2] == ["ALTER", "SCHEMA"]:
            continue  # the test's role is the owner
        for name, ours in names.items():
            statement = re.sub(rf"\b{name}\b", str(ours), statement)
        statements.append(statement)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement.replace("'change-me'", "'pw'")))
            conn.execute(text(f"CREATE ROLE {outsider} LOGIN PASSWORD 'pw'"))
        open_store(pg_url).dispose()  # the owner's first tutor creates the tables
        home = tmp_path / "home"
        member_url = url.set(username=ada, password="pw").render_as_string(hide_password=False)
        outsider_url = url.set(username=outsider, password="pw")
        env = {**os.environ, "TUTOR_HOME": str(home)}
        run = functools.partial(
            subprocess.run, capture_output=True, text=True, env=env, timeout=120, check=False
        )
        tutor = [sys.executable, "-m", "tutor.cli"]
        done = run([*tutor, "--db", member_url, "study", "--plain"], input="1\n:quit\n")
        assert done.returncode == 0, done.stderr
        assert "incorrect" in done.stdout and "saved; " in done.stdout
        refused = run([*tutor, "--db", outsider_url.render_as_string(hide_password=False), "stats"])
        assert refused.returncode == 1
        assert refused.stderr.count("\n") == 1, refused.stderr
        assert "permission denied" in refused.stderr and "GRANT" in refused.stderr
        assert "pw" not in refused.stderr  # the password is not shown
    finally:
        admin.dispose()
        server = create_engine(SERVER, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:  # the roles' privileges go with the database
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            for role in (ada, outsider, members):
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        server.dispose()


def test_revision_0006_on_the_server_gives_the_progress_to_the_learner_who_opens_it(
    pg_url: str,
) -> None:
    from . import test_migrations

    engine = create_engine(pg_url)
    upgrade(engine, "0005")
    test_migrations.fill_a_release_0005_database(engine)
    engine.dispose()
    test_migrations.check_release_0005_rows_are_adas(pg_url)


def test_revision_0007_on_the_server_gives_the_cards_a_span_at_the_next_sync(pg_url: str) -> None:
    from . import test_migrations

    engine = create_engine(pg_url)
    upgrade(engine, "0006")
    test_migrations.fill_a_release_0006_database(engine)
    engine.dispose()
    test_migrations.check_release_0006_cards_gain_spans(pg_url)
