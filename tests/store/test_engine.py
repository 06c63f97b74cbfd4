"""Opening the database: WAL and pragmas, and the files it must refuse without touching them."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tutor.store.engine import APPLICATION_ID, HEAD_REVISION, current_revision, open_store
from tutor.store.errors import StoreError
from tutor.store.queries import count_reviews, learner_session, save_review, stats_counts
from tutor.study.learner import default_learner

from .conftest import T0, add_cards, memory_of, review_of


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def refuse(path: Path, match: str) -> str:
    """open_store must raise StoreError naming the file, leaving it byte-identical."""
    before = path.read_bytes()
    with pytest.raises(StoreError, match=match) as raised:
        open_store(url(path))
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert path.read_bytes() == before
    assert sidecars(path) == []
    return message


def test_a_new_database_is_created_with_its_folder_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "tutor.db"
    engine = open_store(url(path))
    try:
        assert current_revision(engine) == HEAD_REVISION
        with engine.connect() as one, engine.connect() as two:  # two pooled connections
            for conn in (one, two):
                pragmas = [
                    conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
                ]
                assert pragmas == ["wal", 5000, 1, 1]  # synchronous 1 is NORMAL
            assert one.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
            meta = one.execute(text("SELECT key, value FROM meta WHERE key = 'app'")).all()
            assert [tuple(row) for row in meta] == [("app", "proof-tutor")]
    finally:
        engine.dispose()
    assert path.is_file()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    engine = open_store(url(path))
    with learner_session(engine, default_learner()) as session:
        add_cards(session, "c1")
        save_review(session=session, review=review_of("c1"), memory=memory_of("c1"), attempts=[])
    engine.dispose()
    again = open_store(url(path))
    try:
        with learner_session(again, default_learner()) as session:
            assert count_reviews(session=session) == 1
    finally:
        again.dispose()


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    path.touch()
    engine = open_store(url(path))
    engine.dispose()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_in_memory_database_works_across_sessions() -> None:
    engine = open_store("sqlite://")
    try:
        with learner_session(engine, default_learner()) as session:
            add_cards(session, "c1")
        with learner_session(engine, default_learner()) as session:
            counts = stats_counts(session=session, today=T0.date(), end_of_today=T0)
            assert counts["cards"]["new"] == 1
    finally:
        engine.dispose()


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        other.execute("INSERT INTO contacts VALUES ('Ada', '123')")
    other.close()
    message = refuse(path, "not a proof-tutor database")
    assert "left untouched" in message


def test_a_foreign_database_with_a_meta_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        other.execute("INSERT INTO meta VALUES ('app', 'something-else')")
    other.close()
    refuse(path, "not a proof-tutor database")


def test_random_bytes_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    path.write_bytes(random.Random(4).randbytes(8192))
    refuse(path, "not an SQLite file, or a corrupt one")


def test_a_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n" * 100)
    refuse(path, "not a proof-tutor database")


def make_database(path: Path, cards: int = 400) -> None:
    engine = open_store(url(path))
    with learner_session(engine, default_learner()) as session:
        add_cards(session, *(f"card-{n:04d}-{'x' * 40}" for n in range(cards)))
    engine.dispose()
    assert sidecars(path) == []  # the last connection checkpointed the WAL into the file


def test_a_truncated_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    make_database(path)
    data = path.read_bytes()
    assert len(data) >= 8 * 4096
    path.write_bytes(data[: len(data) // 2])
    refuse(path, "corrupt")


def test_a_header_followed_by_garbage_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    make_database(path)
    data = path.read_bytes()
    path.write_bytes(data[:100] + random.Random(7).randbytes(len(data) - 100))
    refuse(path, "corrupt")


def test_corruption_found_later_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    make_database(path, cards=2000)
    data = bytearray(path.read_bytes())
    page = 4096
    garbage = random.Random(9).randbytes(page)
    for start in range(2 * page, len(data), page):  # every page after the schema
        data[start : start + page] = garbage
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="corrupt") as raised:
        engine = open_store(url(path))
        try:
            with learner_session(engine, default_learner()) as session:
                stats_counts(session=session, today=T0.date(), end_of_today=T0)
        finally:
            engine.dispose()
    assert str(raised.value).startswith(f"{path}: ")


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tutor.db").mkdir()
    with pytest.raises(StoreError, match="not a database file"):
        open_store(url(tmp_path / "tutor.db"))


@pytest.mark.parametrize(
    ("bad", "match"),
    [("not a url", "not a database URL"), ("nosuchdb://x/y", "cannot use this database URL")],
)
def test_bad_urls_are_store_errors(bad: str, match: str) -> None:
    with pytest.raises(StoreError, match=match):
        open_store(bad)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    engine = open_store(url(path))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 9999, which this proof-tutor does not"):
        open_store(url(path))


def run_with_read_only(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a Python child that sees `folder` read-only: by permissions for a normal
    user; for root (who ignores them) through a read-only bind mount in a private mount
    namespace, which vanishes with the child."""
    command = [sys.executable, "-c", code]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False)
        finally:
            folder.chmod(0o755)
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("running as root without unshare: no way to make a folder read-only")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", script, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 and not done.stdout:
        pytest.skip(f"cannot make a read-only mount here: {done.stderr.strip()}")
    return done


OPEN_AND_REPORT = """
from tutor.store.engine import open_store
from tutor.store.errors import StoreError
try:
    open_store({url!r})
except StoreError as exc:
    print("StoreError:", exc)
else:
    print("opened")
"""


@pytest.mark.parametrize("existing", [False, True])
def test_a_read_only_folder_is_a_store_error(tmp_path: Path, existing: bool) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "tutor.db"
    if existing:
        make_database(path)
    before = path.read_bytes() if existing else None
    done = run_with_read_only(folder, OPEN_AND_REPORT.format(url=url(path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"StoreError: {path}: cannot write to the database, its folder {folder} is read-only"
    )
    assert (path.read_bytes() if existing else None) == before
    assert path.exists() == existing and sidecars(path) == []


def test_a_read_only_folder_below_a_missing_one_is_a_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "new" / "tutor.db"
    done = run_with_read_only(folder, OPEN_AND_REPORT.format(url=url(path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"StoreError: {path}: cannot create the folder {path.parent}: ")
    assert done.stdout.count("\n") == 1
    assert not path.parent.exists()


def test_the_engine_fixture_is_wal(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
