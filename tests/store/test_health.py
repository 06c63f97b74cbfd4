"""The store's checks of itself (#14): the check of every open, whole or light, and `doctor`'s
full check; on a page of the review table overwritten as an attack or a failing disk would."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

import tutor.store.health as health
from tutor.store.engine import open_store
from tutor.store.errors import StoreError
from tutor.store.queries import learner_session
from tutor.study.learner import default_learner

from .conftest import add_cards, review_of


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def database_with_reviews(path: Path, reviews: int = 300) -> Path:
    """A database whose review table spans several leaf pages, checkpointed into one file."""
    engine = open_store(url(path))
    with learner_session(engine, default_learner()) as session:
        add_cards(session, "c1", "c2")
        session.add_all(review_of("c1" if n % 2 else "c2", n) for n in range(reviews))
        session.commit()
    engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def review_leaves(path: Path) -> list[int]:
    """The leaf pages of the review table, found with SQLite's dbstat."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return [
            page
            for (page,) in con.execute(
                "SELECT pageno FROM dbstat WHERE name = 'review' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    finally:
        con.close()


def overwrite_leaf(path: Path, how: str) -> int:
    """Overwrite a leaf page in the middle of the review table; the page's number."""
    leaves = review_leaves(path)
    assert len(leaves) >= 4
    page = leaves[len(leaves) // 2]
    size = 4096
    with path.open("r+b") as handle:
        if how == "garbage":
            data = random.Random(14).randbytes(size)
        elif how == "zeros":
            data = bytes(size)
        elif how == "another leaf":  # a sound page in the wrong place: only its keys are wrong
            handle.seek((leaves[0] - 1) * size)
            data = handle.read(size)
        else:
            raise ValueError(how)
        handle.seek((page - 1) * size)
        handle.write(data)
    return page


@pytest.mark.parametrize("how", ["garbage", "zeros", "another leaf"])
def test_a_corrupt_leaf_of_the_review_table_is_refused_on_open(tmp_path: Path, how: str) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    overwrite_leaf(path, how)
    before = path.read_bytes()
    with pytest.raises(StoreError) as raised:
        open_store(url(path))
    message = str(raised.value)
    assert message.startswith(f"{path}: the database file is corrupt (")
    assert "\n" not in message
    assert message.endswith(
        "; it was left untouched: 'tutor doctor' checks it in full, 'tutor restore' goes back "
        "to a daily backup"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutor.db"]  # no -wal, no -shm


def test_a_small_file_gets_the_whole_quick_check(tmp_path: Path) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    con = health.read_only(path)
    assert health.quick_check(con, path.stat().st_size) == health.QuickCheck(thorough=True)
    con.close()


def test_a_big_file_gets_the_light_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above FULL_CHECK_BYTES, the logs' pages are walked: a page of garbage or zeros is found,
    a sound page in the wrong place is not (the whole check of the day finds it: test_backup)."""
    monkeypatch.setattr(health, "FULL_CHECK_BYTES", 0)
    path = database_with_reviews(tmp_path / "tutor.db")
    con = health.read_only(path)
    assert health.quick_check(con, path.stat().st_size) == health.QuickCheck(thorough=False)
    con.close()
    for how, found in (("another leaf", False), ("zeros", True), ("garbage", True)):
        overwrite_leaf(path, how)
        assert (health.file_problem(path) is not None) is found, how
        assert (health.whole_file_problem(path) is not None) is True, how


def test_the_light_check_finds_a_bad_page_of_a_logs_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "FULL_CHECK_BYTES", 0)
    path = database_with_reviews(tmp_path / "tutor.db", reviews=2000)
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    (page,) = con.execute(
        "SELECT pageno FROM dbstat WHERE name = 'ix_review_learner_day' AND pagetype = 'leaf' "
        "ORDER BY pageno LIMIT 1"
    ).fetchone()
    con.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(bytes(4096))
    assert health.file_problem(path) is not None


# -- doctor ------------------------------------------------------------------------------------


def test_doctor_on_a_sound_database(tmp_path: Path) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    steps: list[str] = []
    report = health.doctor(path, progress=lambda step, _seconds: steps.append(step))
    assert report.sound and report.problems == []
    assert report.verdict.startswith(
        f"{path}: sound: every page and index, the foreign keys, its identity and schema "
        f"{health.HEAD_REVISION} checked in "
    )
    assert "\n" not in report.verdict
    assert steps[0].startswith("checking every page and index (")
    assert "checking the foreign keys" in steps and steps[-1] == "checking its identity and schema"


def test_doctor_on_a_corrupt_database(tmp_path: Path) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    overwrite_leaf(path, "another leaf")
    before = path.read_bytes()
    report = health.doctor(path)
    assert not report.sound
    assert report.problems[0].startswith("the database file is corrupt: On tree page ")
    assert "out of order" in report.problems[0]  # the copied page's keys
    assert report.verdict.startswith(f"{path}: not sound: the database file is corrupt: ")
    assert report.verdict.endswith(
        "it was left untouched: 'tutor restore' lists the backups to go back to"
    )
    assert path.read_bytes() == before


def test_doctor_finds_rows_that_lost_their_card(tmp_path: Path) -> None:
    path = database_with_reviews(tmp_path / "tutor.db", reviews=4)
    con = sqlite3.connect(path)  # foreign keys are off in a bare connection
    con.execute("UPDATE review SET card_id = 'gone' WHERE id = 1")
    con.commit()
    con.close()
    report = health.doctor(path)
    assert report.problems == ["1 row of review refers to missing rows of card"]


def test_doctor_on_foreign_and_future_files(tmp_path: Path) -> None:
    other = tmp_path / "contacts.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    assert health.doctor(other).problems == [
        "not a proof-tutor database (it belongs to another program)"
    ]
    text = tmp_path / "notes.txt"
    text.write_text("notes\n" * 40)
    assert health.doctor(text).problems == ["not an SQLite file (or its first page is destroyed)"]

    path = database_with_reviews(tmp_path / "tutor.db", reviews=4)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    report = health.doctor(path)
    assert report.problems == [
        f"schema version 9999 is unknown to this proof-tutor (newest known: "
        f"{health.HEAD_REVISION}); it was probably written by a newer release"
    ]


def test_doctor_on_an_older_schema_and_on_no_database(tmp_path: Path) -> None:
    path = database_with_reviews(tmp_path / "tutor.db", reviews=4)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0003'")
    con.commit()
    con.close()
    report = health.doctor(path)
    assert report.sound
    assert report.verdict.endswith(
        f"; schema 0003 is upgraded to {health.HEAD_REVISION} when you next study"
    )
    missing = health.doctor(tmp_path / "none.db")
    assert missing.sound and "no database yet" in missing.verdict
    assert not (tmp_path / "none.db").exists()
