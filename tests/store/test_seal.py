"""The seal of a database file (#15 item 5): an open of a file exactly as this program left it
reads none of it; a file changed in any way since is checked as before, and a damaged one is
refused, whatever its seal says."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import tutor.store.health as health
import tutor.store.seal as seal
from tutor.store.engine import open_store
from tutor.store.errors import StoreError
from tutor.store.queries import learner_session
from tutor.study.learner import default_learner

from .conftest import review_of
from .test_health import database_with_reviews, overwrite_leaf, url


class Checks:
    """What the check of an open read: how many `quick_check`s ran, and how many light ones
    (which walk the logs)."""

    def __init__(self) -> None:
        self.quick = 0
        self.light = 0


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checks]:
    counted = Checks()
    quick_check, light_check = health.quick_check, health._light_check

    def counted_quick(con: sqlite3.Connection, size: int) -> health.QuickCheck:
        counted.quick += 1
        return quick_check(con, size)

    def counted_light(con: sqlite3.Connection) -> str | None:
        counted.light += 1
        return light_check(con)

    monkeypatch.setattr(health, "quick_check", counted_quick)
    monkeypatch.setattr(health, "_light_check", counted_light)
    yield counted


@pytest.fixture
def light(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file gets the light check (as a file above 32 MiB does)."""
    monkeypatch.setattr(health, "FULL_CHECK_BYTES", 0)


def sealed_database(path: Path, reviews: int = 300) -> Path:
    """A database the store opened (its check passed) and closed: sealed as it left it."""
    database_with_reviews(path, reviews)
    open_store(url(path)).dispose()
    assert seal.matching(path) is not None
    return path


def opened(path: Path) -> list[bool]:
    """Open the store on `path` and close it; what its `before_write` was told (`thorough`)."""
    told: list[bool] = []
    open_store(url(path), before_write=lambda _path, thorough: told.append(thorough)).dispose()
    return told


def sealed_record(path: Path) -> dict[str, object]:
    record = json.loads(seal.seal_path(path).read_text())
    assert isinstance(record, dict)
    return record


# -- an untouched file is not read -------------------------------------------------------------


def test_an_untouched_file_skips_the_check(tmp_path: Path, checks: Checks, light: None) -> None:
    path = sealed_database(tmp_path / "tutor.db")
    checks.quick = checks.light = 0
    assert health.check_on_open(path) == health.QuickCheck(thorough=False, sealed=True)
    assert health.file_problem(path) is None
    assert opened(path) == [False]  # the day's whole check still runs before its first write
    assert opened(path) == [False]
    assert (checks.quick, checks.light) == (0, 0)


def test_an_untouched_file_of_ours_is_not_even_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sealed and ours (its header's application id), an open makes no connection to look at
    the file again; a file whose seal no longer matches, or that is not ours, is looked at
    (its tables listed, read-only) before anything else, as before."""
    import tutor.store.engine as engine

    path = sealed_database(tmp_path / "tutor.db")
    looked: list[Path] = []
    read_only = engine.read_only

    def counted(at: Path) -> sqlite3.Connection:
        looked.append(at)
        return read_only(at)

    monkeypatch.setattr(engine, "read_only", counted)
    assert opened(path) == [False] and looked == []
    con = sqlite3.connect(path)  # another program's write: the seal no longer matches
    con.execute("INSERT INTO meta (key, value) VALUES ('another', 'program')")
    con.commit()
    con.close()
    assert opened(path) == [True] and looked == [path]  # checked whole again (a small file)
    looked.clear()
    assert opened(path) == [False] and looked == []  # sealed again as the store left it
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 7")  # another program's file now
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a proof-tutor database"):
        open_store(url(path))
    assert looked == [path]


def test_a_check_that_passed_seals_the_file(tmp_path: Path, checks: Checks, light: None) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")  # new: no seal yet
    assert not seal.seal_path(path).exists()
    settle(path)
    assert health.check_on_open(path) == health.QuickCheck(thorough=False)
    assert (checks.quick, checks.light) == (1, 1)
    assert sealed_record(path)["check"] == "light"
    assert health.check_on_open(path).sealed
    assert (checks.quick, checks.light) == (1, 1)


def test_a_small_file_is_sealed_after_its_whole_check(tmp_path: Path, checks: Checks) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    settle(path)
    assert health.check_on_open(path) == health.QuickCheck(thorough=True)
    assert sealed_record(path)["check"] == "whole"
    assert health.check_on_open(path) == health.QuickCheck(thorough=False, sealed=True)
    assert (checks.quick, checks.light) == (1, 0)


def test_the_store_seals_what_its_writes_leave(tmp_path: Path, checks: Checks, light: None) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    engine = open_store(url(path))
    with learner_session(engine, default_learner()) as session:
        session.add_all(review_of("c1", n) for n in range(300, 400))
        session.commit()
    assert seal.matching(path) is None  # written since the check
    engine.dispose()
    assert sealed_record(path)["check"] == "written"
    assert sealed_record(path)["wal"] is None  # the last connection checkpointed it
    checks.quick = checks.light = 0
    assert opened(path) == [False]
    assert (checks.quick, checks.light) == (0, 0)


def test_a_new_or_refused_file_is_not_sealed(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    open_store(url(path)).dispose()  # made here: checked on its first open
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutor.db"]
    other = sealed_database(tmp_path / "other.db")
    overwrite_leaf(other, "zeros")
    with pytest.raises(StoreError, match="the database file is corrupt"):
        open_store(url(other))
    assert seal.matching(other) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "other.db.seal", "tutor.db"]


def test_a_reader_leaves_the_seal_as_it_is(tmp_path: Path, checks: Checks) -> None:
    """A read-only connection (the quick start's) makes an empty WAL: still no frames."""
    path = sealed_database(tmp_path / "tutor.db")
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert reader.execute("SELECT count(*) FROM review").fetchone() == (300,)
    assert path.with_name("tutor.db-wal").stat().st_size == 0
    assert health.check_on_open(path).sealed
    writer = sqlite3.connect(path)
    writer.execute("INSERT INTO meta VALUES ('extra', 'x')")
    writer.commit()  # a frame in the WAL, the file itself untouched
    assert path.with_name("tutor.db-wal").stat().st_size > 0
    checks.quick = 0
    assert not health.check_on_open(path).sealed
    assert checks.quick == 1
    writer.close()
    reader.close()


# -- a file changed since is checked -----------------------------------------------------------


@pytest.mark.parametrize("restore_times", [False, True])
@pytest.mark.parametrize(
    ("how", "threshold"),
    [
        ("garbage", 0),
        ("zeros", 0),
        ("garbage", None),
        ("zeros", None),
        ("another leaf", None),
    ],
)
def test_a_file_damaged_after_its_seal_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
    threshold: int | None,
    restore_times: bool,
) -> None:
    """Its size is the same, and with `os.utime` its modification time too: only its change
    time moved, which no program can set back."""
    if threshold is not None:  # the light check; else the whole one of a small file
        monkeypatch.setattr(health, "FULL_CHECK_BYTES", threshold)
    path = sealed_database(tmp_path / "tutor.db")
    before = path.stat()
    overwrite_leaf(path, how)  # at once: in the same tick of the clock as the seal, likely
    if restore_times:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = seal.files_of(path).database
        assert (after.size, after.mtime_ns, after.ino) == (
            before.st_size,
            before.st_mtime_ns,
            before.st_ino,
        )
    assert seal.matching(path) is None
    assert health.file_problem(path) is not None
    damaged = path.read_bytes()
    with pytest.raises(StoreError, match="the database file is corrupt"):
        open_store(url(path))
    assert path.read_bytes() == damaged


def test_a_file_put_in_its_place_is_checked(tmp_path: Path, checks: Checks) -> None:
    """Another file at the path, with the sealed one's size and times: another inode."""
    path = sealed_database(tmp_path / "tutor.db")
    copy = tmp_path / "copy.db"
    shutil.copy2(path, copy)
    overwrite_leaf(copy, "garbage")
    times = path.stat()
    os.utime(copy, ns=(times.st_atime_ns, times.st_mtime_ns))
    os.replace(copy, path)
    checks.quick = 0
    with pytest.raises(StoreError, match="the database file is corrupt"):
        open_store(url(path))
    assert checks.quick == 1


def test_a_file_changed_during_its_check_is_not_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    settle(path)
    quick_check = health.quick_check

    def changing(con: sqlite3.Connection, size: int) -> health.QuickCheck:
        checked = quick_check(con, size)
        with path.open("r+b") as handle:  # the same bytes written again: a write all the same
            head = handle.read(100)
            handle.seek(0)
            handle.write(head)
        return checked

    monkeypatch.setattr(health, "quick_check", changing)
    assert health.check_on_open(path).problem is None
    assert not seal.seal_path(path).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tutor.db"]  # its temporary file removed


def test_no_seal_while_the_clock_has_not_moved_past_the_last_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed in the tick of the time stamp taken before its stat could change again
    in that tick unseen: no seal (git's "racy" rule)."""
    path = database_with_reviews(tmp_path / "tutor.db")
    settle(path)
    changed = path.stat().st_ctime_ns
    monkeypatch.setattr(seal._Marker, "created", lambda _self: changed)
    monkeypatch.setattr(seal._Marker, "now", lambda _self: changed)
    monkeypatch.setattr(seal, "SETTLE_SECONDS", 0.01)
    assert health.check_on_open(path).problem is None
    assert not seal.seal_path(path).exists()
    identity = seal.identity(path)
    assert identity is not None
    assert seal.seal_written(path, identity) is False
    assert [p.name for p in tmp_path.iterdir()] == ["tutor.db"]


def test_the_store_does_not_seal_a_file_put_in_its_place_meanwhile(
    tmp_path: Path, checks: Checks
) -> None:
    path = database_with_reviews(tmp_path / "tutor.db")
    other = database_with_reviews(tmp_path / "other.db", reviews=10)
    engine = open_store(url(path))
    os.replace(other, path)
    engine.dispose()
    assert seal.matching(path) is None
    checks.quick = 0
    assert opened(path) == [True]  # checked: a small file, whole
    assert checks.quick == 1


def test_the_days_whole_check_finds_what_the_light_one_passed_under_a_seal(
    tmp_path: Path, light: None
) -> None:
    """A sound page in the wrong place passes the light check, which seals the file; the whole
    check before the day's first write still refuses it."""
    path = database_with_reviews(tmp_path / "tutor.db")
    overwrite_leaf(path, "another leaf")
    settle(path)
    assert health.file_problem(path) is None
    assert health.check_on_open(path).sealed

    def daily(database: Path, thorough: bool) -> None:
        assert not thorough
        problem = health.whole_file_problem(database)
        if problem is not None:
            raise StoreError(f"{database}: the database file is corrupt ({problem})")

    with pytest.raises(StoreError, match="out of order"):
        open_store(url(path), before_write=daily)


# -- a seal this program did not write is no seal ----------------------------------------------


def forged(path: Path, change: str) -> None:
    """Replace the (matching) seal of `path` with a variant of it."""
    where = seal.seal_path(path)
    record = sealed_record(path)
    text = json.dumps(record)
    database = record["database"]
    assert isinstance(database, dict)
    where.unlink()
    if change == "empty":
        where.write_bytes(b"")
    elif change == "garbage":
        where.write_bytes(os.urandom(300))
    elif change == "not an object":
        where.write_text(json.dumps([record]))
    elif change == "an extra key":
        where.write_text(json.dumps({**record, "trust": True}))
    elif change == "a version to come":
        where.write_text(json.dumps({**record, "seal": 2}))
    elif change == "true for 1":
        where.write_text(text.replace('"seal": 1', '"seal": true'))
    elif change == "an unknown check":
        where.write_text(json.dumps({**record, "check": "none"}))
    elif change == "a size as text":
        where.write_text(
            json.dumps({**record, "database": {**database, "size": str(database["size"])}})
        )
    elif change == "a time as a float":
        where.write_text(
            json.dumps(
                {**record, "database": {**database, "ctime_ns": float(database["ctime_ns"])}}
            )
        )
    elif change == "too big":
        where.write_text(text + " " * seal.MAX_BYTES)
    elif change == "nested deep":
        where.write_text("[" * 2000 + "]" * 2000)  # within MAX_BYTES, past json's depth
    elif change == "a symbolic link":
        elsewhere = path.with_name("elsewhere.seal")
        elsewhere.write_text(text)
        where.symlink_to(elsewhere)
    elif change == "a named pipe":
        os.mkfifo(where)
    elif change == "a folder":
        where.mkdir()
    elif change == "another user's":
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        where.write_text(text)
        os.chown(where, 4321, 4321)
    else:
        raise ValueError(change)


CHANGES = [
    "empty",
    "garbage",
    "not an object",
    "an extra key",
    "a version to come",
    "true for 1",
    "an unknown check",
    "a size as text",
    "a time as a float",
    "too big",
    "nested deep",
    "a symbolic link",
    "a named pipe",
    "a folder",
    "another user's",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_seal_not_as_this_program_writes_it_is_no_seal(
    tmp_path: Path, checks: Checks, change: str
) -> None:
    path = sealed_database(tmp_path / "tutor.db")
    forged(path, change)
    assert seal.read(path) is None
    checks.quick = 0
    assert not health.check_on_open(path).sealed
    assert checks.quick == 1


@pytest.mark.parametrize("change", ["an extra key", "a symbolic link", "a named pipe"])
def test_a_damaged_file_under_a_seal_not_as_this_program_writes_it_is_refused(
    tmp_path: Path, change: str
) -> None:
    """The seal made to match the damaged file, in a form this program never writes."""
    path = sealed_database(tmp_path / "tutor.db")
    overwrite_leaf(path, "zeros")
    seal.seal_path(path).unlink()
    settle(path)
    files = seal.files_of(path)
    record = {
        "seal": 1,
        "check": "light",
        "database": dataclasses.asdict(files.database),
        "wal": None,
    }
    seal.seal_path(path).write_text(json.dumps(record))
    assert seal.matching(path) is not None  # as this program would write it: trusted
    forged(path, change)
    with pytest.raises(StoreError, match="the database file is corrupt"):
        open_store(url(path))


def test_the_check_of_an_open_stays_free_of_sqlalchemy(tmp_path: Path) -> None:
    path = sealed_database(tmp_path / "tutor.db")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tutor.store.health import check_on_open\n"
        f"assert check_on_open(Path({str(path)!r})).sealed\n"
        "assert 'sqlalchemy' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def settle(path: Path) -> None:
    """Wait until the file system's clock has moved past the last change of `path` (a tick at
    most), so that a check of it may seal it."""
    probe = path.with_name(".probe")
    try:
        for _ in range(1000):
            probe.touch()
            if probe.stat().st_ctime_ns > path.stat().st_ctime_ns:
                return
            time.sleep(0.001)
        raise AssertionError("the file system's clock does not move")
    finally:
        probe.unlink(missing_ok=True)
