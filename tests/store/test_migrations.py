"""Schema versions: alembic revisions inside the package, applied by open_store."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import tutor.store.engine as store_engine
from tutor.store.engine import HEAD_REVISION, MIGRATIONS, current_revision, open_store, upgrade
from tutor.store.errors import StoreError
from tutor.store.queries import count_reviews, learner_session, memory_states, save_review
from tutor.study.learner import default_learner

from .conftest import T0, add_cards, memory_of, review_of

ROOT = Path(__file__).parents[2]

SECOND_REVISION = '''
"""A later release's schema, for the test: a column, an index and a data change."""

import sqlalchemy as sa
from alembic import op

revision = "later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card") as batch:
        batch.add_column(sa.Column("title", sa.String(), nullable=True))
    op.execute("UPDATE card SET title = 'untitled ' || id")
    op.create_index("ix_card_title", "card", ["title"])
    op.execute("INSERT INTO meta (key, value) VALUES ('migrated', 'yes')")


def downgrade() -> None:
    op.drop_index("ix_card_title", "card")
    with op.batch_alter_table("card") as batch:
        batch.drop_column("title")
'''

FAILING_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE meta SET value = 'changed' WHERE key = 'app'")
    raise RuntimeError("the migration broke half-way")


def downgrade() -> None:
    pass
"""


def migrations_with(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    later = source.replace("{head}", HEAD_REVISION)
    (folder / "versions" / "9999_test.py").write_text(later, encoding="utf-8")
    return folder


def test_head_revision_constant_is_the_newest_revision() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD_REVISION]


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'tutor.db'}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_an_older_database_is_upgraded_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    old = open_store(url)  # this release
    with learner_session(old, default_learner()) as session:
        add_cards(session, "c1", "c2")
        save_review(session=session, review=review_of("c1"), memory=memory_of("c1"), attempts=[])
    assert current_revision(old) == HEAD_REVISION
    old.dispose()

    # a later release ships one more revision
    monkeypatch.setattr(store_engine, "MIGRATIONS", migrations_with(tmp_path, SECOND_REVISION))
    monkeypatch.setattr(store_engine, "HEAD_REVISION", "later")
    new = store_engine.open_store(url)
    try:
        assert current_revision(new) == "later"
        with new.connect() as conn:
            titles = conn.execute(text("SELECT id, title FROM card ORDER BY id")).all()
            assert [tuple(t) for t in titles] == [("c1", "untitled c1"), ("c2", "untitled c2")]
            assert "ix_card_title" in {i["name"] for i in inspect(conn).get_indexes("card")}
            migrated = conn.execute(text("SELECT value FROM meta WHERE key = 'migrated'"))
            assert migrated.scalar() == "yes"
        with learner_session(new, default_learner()) as session:  # progress survived the upgrade
            assert count_reviews(session=session) == 1
            assert set(memory_states(session=session)) == {"c1"}
    finally:
        new.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'tutor.db'}")
    try:
        with learner_session(engine, default_learner()) as session:
            add_cards(session, "c1")
        with pytest.raises(RuntimeError, match="broke half-way"):
            upgrade(engine, script_location=migrations_with(tmp_path, FAILING_REVISION))
        assert current_revision(engine) == HEAD_REVISION
        with engine.connect() as conn:
            assert not inspect(conn).has_table("half_done")
            app = conn.execute(text("SELECT value FROM meta WHERE key = 'app'")).scalar()
            assert app == "proof-tutor"
    finally:
        engine.dispose()


def test_a_database_from_before_the_first_revision_is_created_in_one_step(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'tutor.db'}")
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert tables == {
            "alembic_version",
            "attempt",
            "card",
            "learner",
            "memory",
            "meta",
            "note",
            "progress",
            "review",
            "scheduler_fit",
            "study_day",
        }
    finally:
        engine.dispose()


def test_a_newer_database_names_its_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = open_store(url)
    upgrade(engine, script_location=migrations_with(tmp_path, SECOND_REVISION))
    engine.dispose()
    with pytest.raises(StoreError, match=rf"schema version later, .*newest known: {HEAD_REVISION}"):
        open_store(url)


def test_the_wheel_carries_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tutor" / "store" / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "tutor/store/migrations/env.py" in shipped
    assert "tutor/store/migrations/versions/0001_initial.py" in shipped
    assert shipped <= names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "Requires-Dist: alembic" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_revision_0002_fills_the_per_card_progress_from_saved_reviews(tmp_path: Path) -> None:
    """A database written by the first release (revision 0001) gains `reconstructed`, `run` and
    `last_day` on its memory rows, computed from the reviews it already holds."""
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0001")
    stamp = "2026-03-01 09:30:00.000000"
    cards = ("never", "lapsed", "recovering", "unreviewed")
    # (card, day, success) in the order saved: review ids rise with it
    reviews = [
        ("never", "2026-03-01", False),
        ("never", "2026-03-02", False),
        ("lapsed", "2026-03-01", True),
        ("lapsed", "2026-03-03", True),
        ("lapsed", "2026-03-09", False),
        ("recovering", "2026-03-01", True),
        ("recovering", "2026-03-02", False),
        ("recovering", "2026-03-04", True),
        ("recovering", "2026-03-10", True),
    ]
    with engine.begin() as conn:
        for n, card_id in enumerate(cards):
            conn.execute(
                text(
                    "INSERT INTO card (id, deck_id, path, position, content_hash, retired, "
                    "added_at) VALUES (:id, 'd', 'decks/d.md', :n, 'h', 0, :at)"
                ),
                {"id": card_id, "n": n, "at": stamp},
            )
        for card_id in cards[:3]:
            conn.execute(
                text(
                    "INSERT INTO memory (card_id, state, stability, difficulty, due, last_review)"
                    " VALUES (:id, 2, 3.0, 5.0, :at, :at)"
                ),
                {"id": card_id, "at": stamp},
            )
        for card_id, day, success in reviews:
            conn.execute(
                text(
                    "INSERT INTO review (card_id, study_day, started_at, ended_at, "
                    "active_seconds, attempts, hints_used, revealed, verdicts, rating, success, "
                    "final_answer) VALUES (:id, :day, :at, :at, 60, 1, 0, 0, '[]', 3, :ok, '')"
                ),
                {"id": card_id, "day": day, "at": stamp, "ok": success},
            )
    engine.dispose()

    upgraded = open_store(url)
    try:
        assert current_revision(upgraded) == HEAD_REVISION
        with learner_session(upgraded, default_learner()) as session:
            states = memory_states(session=session)
        found = {
            card_id: (s.reconstructed, s.run, s.last_day and s.last_day.isoformat())
            for card_id, s in states.items()
        }
        assert found == {
            "never": (False, 0, "2026-03-02"),
            "lapsed": (True, 0, "2026-03-09"),
            "recovering": (True, 2, "2026-03-10"),
        }
        with upgraded.connect() as conn:
            days = conn.execute(
                text(
                    "SELECT day, reviews, successes, repeat_reviews, repeat_successes "
                    "FROM study_day ORDER BY day"
                )
            ).all()
        # each card's first review (never: 03-01, lapsed: 03-01, recovering: 03-01) is not a
        # repeat; retention is measured on the others
        assert [tuple(d) for d in days] == [
            ("2026-03-01", 3, 2, 0, 0),
            ("2026-03-02", 2, 0, 2, 0),
            ("2026-03-03", 1, 1, 1, 1),
            ("2026-03-04", 1, 1, 1, 1),
            ("2026-03-09", 1, 0, 1, 0),
            ("2026-03-10", 1, 1, 1, 1),
        ]
    finally:
        upgraded.dispose()


def test_revision_0003_keeps_every_note_and_none_resolved(tmp_path: Path) -> None:
    """Notes written before notes could be resolved all keep coming back after the upgrade."""
    from tutor.store.queries import notes_for, resolve_note

    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0002")
    stamp = "2026-03-01 09:30:00.000000"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO card (id, deck_id, path, position, content_hash, retired, added_at, "
                "requires) VALUES ('c', 'd', 'decks/d.md', 0, 'h', 0, :at, '')"
            ),
            {"at": stamp},
        )
        for words in ("why?", "and how?"):
            conn.execute(
                text("INSERT INTO note (card_id, written_at, text) VALUES ('c', :at, :t)"),
                {"at": stamp, "t": words},
            )
    engine.dispose()
    upgraded = open_store(url)
    try:
        with learner_session(upgraded, default_learner()) as session:
            notes = notes_for(session=session, card_id="c")
            assert sorted(n.text for n in notes) == ["and how?", "why?"]
            assert all(n.resolved_at is None for n in notes)
            first = notes[0]
            resolve_note(session=session, note_id=first.id or 0, at=first.written_at)
            assert [n.text for n in notes_for(session=session, card_id="c")] == [
                n.text for n in notes[1:]
            ]
    finally:
        upgraded.dispose()


def test_revision_0004_adds_the_record_of_fits_and_keeps_the_defaults(tmp_path: Path) -> None:
    """A database of the release before fitted schedulers (revision 0003) keeps its progress,
    has no fit recorded (the defaults stay in use) and can record one."""
    from tutor.store.models import SchedulerFitRow
    from tutor.store.queries import latest_fit, review_log, save_fit

    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0003")
    stamp = "2026-03-01 09:30:00.000000"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO card (id, deck_id, path, position, content_hash, retired, added_at, "
                "requires) VALUES ('c', 'd', 'decks/d.md', 0, 'h', 0, :at, '')"
            ),
            {"at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO memory (card_id, state, stability, difficulty, due, last_review, "
                "reconstructed, run) VALUES ('c', 2, 3.0, 5.0, :at, :at, 1, 1)"
            ),
            {"at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO review (card_id, study_day, started_at, ended_at, active_seconds, "
                "attempts, hints_used, revealed, verdicts, rating, success, final_answer) "
                "VALUES ('c', '2026-03-01', :at, :at, 60, 1, 0, 0, '[]', 3, 1, '')"
            ),
            {"at": stamp},
        )
    engine.dispose()
    upgraded = open_store(url)
    try:
        assert current_revision(upgraded) == HEAD_REVISION
        with learner_session(upgraded, default_learner()) as session:
            assert latest_fit(session=session) is None
            ((card, at, rating),) = review_log(session=session)
            assert (card, at.isoformat(), rating) == ("c", "2026-03-01T09:30:00+00:00", 3)
            row = SchedulerFitRow(
                learner=default_learner(),
                fitted_at=at,
                reviews=1,
                heldout=0,
                default_loss=0.5,
                fitted_loss=0.4,
                kept=True,
                parameters="[]",
            )
            assert save_fit(session=session, fit=row, memories=[("c", at, 9.5, 4.0)]) == 1
            found = latest_fit(session=session)
            assert found is not None and found.kept
            assert memory_states(session=session)["c"].stability == 9.5
    finally:
        upgraded.dispose()


def test_revision_0005_names_the_step_of_an_attempt_and_syncs_the_decks_again(
    tmp_path: Path,
) -> None:
    """A database of the release before whole proofs (revision 0004) keeps its attempts (with
    no step), and forgets which decks it synced, so that the next start syncs them again and
    adds the whole-proof cards; once synced, a proof whose steps were all reconstructed has its
    whole-proof card waiting."""
    from tutor.store.queries import CardSnapshot, get_meta, pending_attempts, queue_data, sync_cards

    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0004")
    stamp = "2026-03-01 09:30:00.000000"
    with engine.begin() as conn:
        for n, (card_id, requires) in enumerate([("p-1", ""), ("p-2", "p-1")]):
            conn.execute(
                text(
                    "INSERT INTO card (id, deck_id, path, position, content_hash, retired, "
                    "added_at, requires) VALUES (:id, 'p', 'proofs/p.md', :n, 'h', 0, :at, :r)"
                ),
                {"id": card_id, "n": n, "at": stamp, "r": requires},
            )
            conn.execute(
                text(
                    "INSERT INTO memory (card_id, state, stability, difficulty, due, "
                    "last_review, reconstructed, run) VALUES (:id, 2, 3.0, 5.0, :at, :at, 1, 1)"
                ),
                {"id": card_id, "at": stamp},
            )
        conn.execute(
            text(
                "INSERT INTO attempt (card_id, at, active_seconds, answer, verdict, feedback) "
                "VALUES ('p-2', :at, 30, 'x', 'incorrect', '')"
            ),
            {"at": stamp},
        )
        for key in ("deck_files", "deck_set_hash"):
            conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, 'synced')"), {"k": key})
    engine.dispose()
    upgraded = open_store(url)
    try:
        with learner_session(upgraded, default_learner()) as session:
            assert [a.step for a in pending_attempts(session=session, card_id="p-2")] == [None]
            assert get_meta(session=session, key="deck_files") is None
            assert get_meta(session=session, key="deck_set_hash") is None
            steps = [CardSnapshot(f"p-{n}", "p", "proofs/p.md", n - 1, "h") for n in (1, 2)]
            whole = CardSnapshot("proof:p", "p", "proofs/p.md", 2, "w", ("p-1", "p-2"))
            report = sync_cards(session=session, cards=[*steps, whole], now=T0)
            assert report.added == ("proof:p",)
            data = queue_data(session=session, today=T0.date(), end_of_today=T0)
            assert [(row.card_id, row.requires) for row in data.new] == [
                ("proof:p", ("p-1", "p-2"))
            ]
            assert data.reconstructed == {"p-1", "p-2"}
    finally:
        upgraded.dispose()


def fill_a_release_0005_database(engine: Engine) -> None:
    """Rows in every table of progress, as the release before learners wrote them."""
    at = "2026-03-01 09:30:00+00"
    day = "2026-03-01"
    statements = [
        "INSERT INTO card (id, deck_id, path, position, content_hash, retired, added_at, "
        f"requires) VALUES ('c1', 'd', 'd.md', 0, 'h', false, '{at}', '')",
        "INSERT INTO memory (card_id, state, stability, difficulty, due, last_review, "
        f"reconstructed, run, last_day) VALUES ('c1', 2, 3.0, 5.0, '{at}', '{at}', true, 1, "
        f"'{day}')",
        "INSERT INTO review (card_id, study_day, started_at, ended_at, active_seconds, attempts, "
        "hints_used, revealed, verdicts, rating, success, final_answer) VALUES ('c1', "
        f"'{day}', '{at}', '{at}', 30, 1, 0, false, '[\"correct\"]', 3, true, '2x')",
        "INSERT INTO study_day (day, reviews, successes, repeat_reviews, repeat_successes) "
        f"VALUES ('{day}', 1, 1, 0, 0)",
        "INSERT INTO attempt (card_id, review_id, at, active_seconds, answer, verdict, feedback) "
        f"VALUES ('c1', 1, '{at}', 30, '2x', 'correct', '')",
        f"INSERT INTO note (card_id, written_at, text) VALUES ('c1', '{at}', 'why two?')",
        "INSERT INTO progress (slot, card_id, study_day, started_at, updated_at, active_seconds, "
        f"hints_shown, revealed, state_json) VALUES (1, 'c1', '{day}', '{at}', '{at}', 12, 1, "
        "false, '{}')",
        "INSERT INTO scheduler_fit (fitted_at, reviews, heldout, default_loss, fitted_loss, "
        f"kept, parameters) VALUES ('{at}', 1000, 200, 0.3, 0.29, true, '[]')",
    ]
    if engine.dialect.name == "sqlite":  # SQLite keeps datetimes as naive UTC text
        statements = [
            s.replace("+00'", "'").replace("true", "1").replace("false", "0") for s in statements
        ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def check_release_0005_rows_are_adas(url: str) -> None:
    from tutor.store.queries import (
        latest_fit,
        learner_summaries,
        load_progress,
        notes_for,
        pending_attempts,
        review_days,
    )

    upgraded = open_store(url, learner="ada")
    try:
        with learner_session(upgraded, "ada") as session:
            assert count_reviews(session=session) == 1
            assert list(memory_states(session=session)) == ["c1"]
            assert [n.text for n in notes_for(session=session, card_id="c1")] == ["why two?"]
            progress = load_progress(session=session)
            assert progress is not None and progress.active_seconds == 12
            assert review_days(session=session) == [(T0.date(), True)]
            fit = latest_fit(session=session)
            assert fit is not None and fit.kept
            assert [(s.name, s.reviews) for s in learner_summaries(session=session)] == [("ada", 1)]
        with learner_session(upgraded, "grace") as session:  # nothing of it is anyone else's
            assert count_reviews(session=session) == 0
            assert memory_states(session=session) == {}
            assert notes_for(session=session, card_id="c1") == []
            assert load_progress(session=session) is None
            assert pending_attempts(session=session, card_id="c1") == []
            assert latest_fit(session=session) is None
        with upgraded.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        upgraded.dispose()


def test_revision_0006_gives_a_single_learners_progress_to_the_learner_who_opens_it(
    tmp_path: Path,
) -> None:
    """A database of the release before learners (revision 0005), with a row in every table
    of progress: after the upgrade every row is the opening learner's, and no one else's."""
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0005")
    fill_a_release_0005_database(engine)
    engine.dispose()
    check_release_0005_rows_are_adas(url)


def fill_a_release_0006_database(engine: Engine) -> None:
    """Cards synced, one of them studied, as the release before card spans wrote them."""
    at = "2026-03-01 09:30:00+00"
    statements = [
        f"INSERT INTO learner (name, added_at) VALUES ('ada', '{at}')",
        *(
            "INSERT INTO card (id, deck_id, path, position, content_hash, retired, added_at, "
            f"requires) VALUES ('c{n}', 'd', '/decks/d.md', {n}, 'h{n}', false, '{at}', '')"
            for n in (1, 2)
        ),
        "INSERT INTO memory (learner, card_id, state, stability, difficulty, due, last_review, "
        f"reconstructed, run) VALUES ('ada', 'c1', 2, 3.0, 5.0, '{at}', '{at}', true, 1)",
        "INSERT INTO meta (key, value) VALUES ('deck_files', 'synced'), ('deck_set_hash', 'x')",
    ]
    if engine.dialect.name == "sqlite":  # SQLite keeps datetimes as naive UTC text
        statements = [
            s.replace("+00'", "'").replace("true", "1").replace("false", "0") for s in statements
        ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def check_release_0006_cards_gain_spans(url: str) -> None:
    """The cards have no span until the next sync, which the upgrade asks for; that sync
    stores them without reporting a card as updated."""
    from tutor.deck.model import Span
    from tutor.store.queries import CardSnapshot, card_place, get_meta, sync_cards
    from tutor.store.reads import CardPlace

    upgraded = open_store(url, learner="ada")
    try:
        assert current_revision(upgraded) == HEAD_REVISION
        with learner_session(upgraded, "ada") as session:
            assert card_place(session=session, card_id="c2") == CardPlace("/decks/d.md", False, 2)
            assert get_meta(session=session, key="deck_files") is None  # the next start syncs
            assert get_meta(session=session, key="deck_set_hash") is None
            spans = {n: Span(40, 40 + 100 * n, 140 + 100 * n, 5 + 10 * n) for n in (1, 2)}
            cards = [
                CardSnapshot(f"c{n}", "d", "/decks/d.md", n, f"h{n}", span=spans[n]) for n in (1, 2)
            ]
            report = sync_cards(session=session, cards=cards, now=T0)
            assert not report.skipped
            assert (report.added, report.updated, report.retired, report.revived) == ((),) * 4
            for n in (1, 2):
                place = card_place(session=session, card_id=f"c{n}")
                assert place == CardPlace("/decks/d.md", False, n, spans[n])
            assert list(memory_states(session=session)) == ["c1"]
        with upgraded.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        upgraded.dispose()


def test_revision_0007_gives_the_cards_a_span_at_the_next_sync(tmp_path: Path) -> None:
    """A database of the release before card spans (revision 0006): its cards read their whole
    file until the next start's sync stores their spans."""
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    engine = create_engine(url)
    upgrade(engine, "0006")
    fill_a_release_0006_database(engine)
    engine.dispose()
    check_release_0006_cards_gain_spans(url)
