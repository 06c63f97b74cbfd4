"""A store that checks itself (#14), through the study desk and the `tutor` command: a corrupt
file is never written to, a backup is made before the first write of each study day and the
last 7 are kept, a backup that cannot be made never stops the study, `tutor doctor` and
`tutor restore`."""

from __future__ import annotations

import errno
import io
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store.conftest import review_of
from store.test_health import overwrite_leaf

import tutor.store.backup as backup
import tutor.store.health as health
from tutor.cli import main
from tutor.config import Settings
from tutor.plain import PlainSession
from tutor.store.errors import StoreError
from tutor.store.lock import study_lock
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import BERLIN, DeskFactory, InProcessChecker

DAY = "2026-03-02T09:00:00+01:00"  # the tests' clock (conftest): study day 2026-03-02


def database(settings: Settings) -> Path:
    return settings.home / "tutor.db"


def backups(settings: Settings) -> list[str]:
    folder = settings.home / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def desk_on(settings: Settings, clock: ManualClock) -> Desk:
    """A desk that opens the store itself, as `tutor` does (with the daily backup)."""
    return Desk(settings, clock=clock, zone=BERLIN, fuzz=False, checker=InProcessChecker)  # type: ignore[arg-type]


def with_reviews(open_desk: DeskFactory, reviews: int) -> None:
    """The database of the tests' settings, synced, with `reviews` reviews of double."""
    desk = open_desk()
    with desk.session() as session:
        session.add_all(review_of("double", n) for n in range(reviews))
        session.commit()
    desk.close()


def reviews_in(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM review").fetchone()[0])
    finally:
        con.close()


def tutor(settings: Settings, *args: str, stdin: str = "", clock: str = DAY) -> Result:
    decks = [a for d in settings.deck_dirs for a in ("--decks", str(d))]
    return CliRunner().invoke(
        main,
        [*args, *decks, "--db", settings.db_url],
        input=stdin,
        env={"TUTOR_CLOCK": clock, "TUTOR_HOME": str(settings.home), "TZ": "Europe/Berlin"},
        catch_exceptions=False,
    )


# -- a corrupt file is never written to --------------------------------------------------------


@pytest.mark.parametrize("how", ["garbage", "zeros", "another leaf"])
def test_studying_on_a_corrupt_review_table_is_refused_untouched(
    open_desk: DeskFactory, settings: Settings, how: str
) -> None:
    with_reviews(open_desk, 300)
    path = database(settings)
    overwrite_leaf(path, how)
    before = path.read_bytes()
    done = tutor(settings, "study", "--plain", stdin="2x\n")
    assert done.exit_code == 1
    assert done.stdout == ""
    assert re.fullmatch(
        rf"tutor: {re.escape(str(path))}: the database file is corrupt \(.+\); it was left "
        r"untouched: 'tutor doctor' checks it in full, 'tutor restore' goes back to a daily "
        r"backup\n",
        done.stderr,
    )
    assert path.read_bytes() == before
    assert backups(settings) == []  # a corrupt file is not backed up over the good copies
    assert not path.with_name("tutor.db-wal").exists()


def test_the_terminal_ui_refuses_it_before_showing_a_card(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    with_reviews(open_desk, 300)
    desk = desk_on(settings, clock)
    desk.sync()
    assert desk.quick_sitting() is not None  # the quick start shows today's card…
    desk.close()
    overwrite_leaf(database(settings), "another leaf")
    before = database(settings).read_bytes()
    desk = desk_on(settings, clock)
    assert desk.quick_sitting() is None  # …but not from a file that fails its check
    with pytest.raises(StoreError, match="the database file is corrupt"):
        desk.engine  # noqa: B018  (what `tutor` then does: one line, before the screen)
    desk.close()
    assert database(settings).read_bytes() == before


def test_a_big_file_is_checked_whole_before_the_days_first_write(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file above FULL_CHECK_BYTES gets the light check on opening, which misses a sound page
    in the wrong place; the whole quick check before the day's backup finds it."""
    monkeypatch.setattr(health, "FULL_CHECK_BYTES", 0)
    with_reviews(open_desk, 300)
    path = database(settings)
    overwrite_leaf(path, "another leaf")
    assert health.file_problem(path) is None  # the light check passes it
    before = path.read_bytes()
    desk = desk_on(settings, clock)
    with pytest.raises(StoreError, match=r"corrupt \(.*out of order\); it was left untouched"):
        desk.engine  # noqa: B018
    desk.close()
    assert path.read_bytes() == before
    assert backups(settings) == []


# -- the daily backup --------------------------------------------------------------------------


def test_a_backup_before_the_first_write_of_each_study_day_the_last_7_kept(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    with_reviews(open_desk, 3)
    path = database(settings)
    desk = desk_on(settings, clock)
    with desk.session() as session:  # the first write of the day
        session.add(review_of("double", 3))
        session.commit()
    desk.close()
    assert backups(settings) == ["tutor-2026-03-02.db"]
    first = settings.home / "backups" / "tutor-2026-03-02.db"
    assert reviews_in(first) == 3 and reviews_in(path) == 4  # made before the write
    made = first.stat().st_mtime_ns, first.read_bytes()
    clock.advance(3 * 3600)
    desk = desk_on(settings, clock)
    desk.engine  # noqa: B018  (later the same day: no second backup)
    desk.close()
    assert backups(settings) == ["tutor-2026-03-02.db"]
    assert (first.stat().st_mtime_ns, first.read_bytes()) == made

    # 02:00 on the 4th is still study day 2026-03-03 (days start at 04:00)
    clock.advance(timedelta(hours=38).total_seconds())
    assert clock.now().astimezone(BERLIN) == datetime(2026, 3, 4, 2, 0, tzinfo=BERLIN)
    for _ in range(6):  # study days 03-03 to 03-08
        desk_on(settings, clock).close()  # opening alone writes nothing…
        desk = desk_on(settings, clock)
        desk.engine  # noqa: B018  (…the store, opened for writing, is backed up)
        desk.close()
        clock.advance(86_400)
    days = [f"tutor-2026-03-0{d}.db" for d in range(2, 9)]
    assert backups(settings) == days  # 7
    desk = desk_on(settings, clock)
    desk.engine  # noqa: B018  (the 8th day)
    desk.close()
    assert backups(settings) == [*days[1:], "tutor-2026-03-09.db"]  # the oldest pruned
    assert all(health.file_problem(settings.home / "backups" / name) is None for name in days[1:])


def test_a_database_elsewhere_has_its_own_backups(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    from dataclasses import replace

    other = replace(settings, database_url=f"sqlite:///{tmp_path / 'elsewhere' / 'tutor.db'}")
    open_desk(database_url=other.database_url).close()
    with_reviews(open_desk, 1)
    for each in (settings, other):
        desk_on(each, clock).close()
        desk = desk_on(each, clock)
        desk.engine  # noqa: B018
        desk.close()
    names = backups(settings)
    assert len(names) == 2 and "tutor-2026-03-02.db" in names  # order depends on the hash
    (other_name,) = [n for n in names if n != "tutor-2026-03-02.db"]
    assert re.fullmatch(r"tutor-[0-9a-f]{8}-2026-03-02\.db", other_name)


def full_disk(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A disk that fills up while the backup is written: SQLite's own "database or disk is
    full" from a destination that may not grow, or ENOSPC from the file system."""
    if how == "sqlite":

        def tiny(target: Path) -> sqlite3.Connection:
            con = sqlite3.connect(target)
            con.execute("PRAGMA max_page_count = 2")
            return con

        monkeypatch.setattr(backup, "_open_target", tiny)
    else:

        def no_space(path: Path) -> None:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

        monkeypatch.setattr(backup, "_fsync", no_space)


@pytest.mark.parametrize("how", ["sqlite", "os"])
def test_a_full_disk_during_the_backup_is_a_notice_and_the_study_goes_on(
    open_desk: DeskFactory,
    settings: Settings,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    with_reviews(open_desk, 2)
    for _ in range(7):  # a week of backups, before the disk filled up
        desk = desk_on(settings, clock)
        desk.engine  # noqa: B018
        desk.close()
        clock.advance(86_400)
    week = backups(settings)
    assert len(week) == 7
    full_disk(monkeypatch, how)
    desk = desk_on(settings, clock)
    out = io.StringIO()
    PlainSession(desk, io.StringIO("2x\n"), out).run()
    desk.close()
    text = out.getvalue()
    target = settings.home / "backups" / "tutor-2026-03-09.db"
    assert (
        f"note: no backup today: cannot write {target}: the disk is full; your progress is "
        "saved as ever\n"
    ) in text
    assert "rated Good" in text  # the study went on…
    assert reviews_in(database(settings)) == 3  # …and its review is saved
    assert backups(settings) == week  # no partial file, and no good backup pruned


def test_a_backups_folder_that_cannot_be_made_is_a_notice(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    with_reviews(open_desk, 1)
    (settings.home / "backups").write_text("not a folder")
    done = tutor(settings, "study", "--plain", stdin="2x\n")
    assert done.exit_code == 0, done.stderr
    assert "note: no backup today: cannot write " in done.stdout
    assert "rated Good" in done.stdout
    assert reviews_in(database(settings)) == 2


# -- tutor doctor ------------------------------------------------------------------------------


def test_tutor_doctor_on_a_sound_and_a_corrupt_database(
    open_desk: DeskFactory, settings: Settings
) -> None:
    with_reviews(open_desk, 300)
    path = database(settings)
    sound = tutor(settings, "doctor")
    assert sound.exit_code == 0
    assert re.fullmatch(
        rf"{re.escape(str(path))}: sound: every page and index, the foreign keys, its identity "
        rf"and schema {health.HEAD_REVISION} checked in \d+\.\d s\n",
        sound.stdout,
    )
    overwrite_leaf(path, "garbage")
    before = path.read_bytes()
    corrupt = tutor(settings, "doctor")
    assert corrupt.exit_code == 1
    verdict = corrupt.stdout.splitlines()[-1]
    assert verdict.startswith(f"{path}: not sound: the database file is corrupt")
    assert verdict.endswith(
        "it was left untouched: 'tutor restore' lists the backups to go back to"
    )
    assert path.read_bytes() == before and backups(settings) == []


# -- tutor restore -----------------------------------------------------------------------------


def backed_up_then_reviewed(open_desk: DeskFactory, settings: Settings, clock: ManualClock) -> Path:
    """The database with five reviews, backed up by the day's first write, which adds three:
    the database's path."""
    with_reviews(open_desk, 5)
    desk = desk_on(settings, clock)
    with desk.session() as session:  # the day's first write, after its backup
        session.add_all(review_of("double", n) for n in range(5, 8))
        session.commit()
    desk.close()
    return database(settings)


def test_restore_round_trip(open_desk: DeskFactory, settings: Settings, clock: ManualClock) -> None:
    path = backed_up_then_reviewed(open_desk, settings, clock)
    assert reviews_in(path) == 8

    listed = tutor(settings, "restore")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[:2] == [
        f"backups of {path}, newest first, in {settings.home / 'backups'}:",
        "  2026-03-02           tutor-2026-03-02.db  5 reviews",
    ]

    at = "2026-03-02T10:15:30+01:00"
    done = tutor(settings, "restore", "2026-03-02", clock=at)
    assert done.exit_code == 0, done.stderr
    local = datetime.fromisoformat(at).astimezone()  # named in the local time of the restore
    kept = f"tutor-before-restore-{local:%Y-%m-%d-%H%M%S}.db"
    assert done.stdout == (
        f"restored {path} from tutor-2026-03-02.db (5 reviews); the database as it was is kept "
        f"as {kept}: 'tutor restore {kept}' undoes this\n"
    )
    assert reviews_in(path) == 5 and reviews_in(settings.home / "backups" / kept) == 8
    assert health.file_problem(path) is None

    undone = tutor(settings, "restore", kept, clock="2026-03-02T10:16:00+01:00")
    assert undone.exit_code == 0, undone.stderr
    assert reviews_in(path) == 8
    # and the store opens it as ever
    desk = desk_on(settings, clock)
    assert desk.stats().reviews_total >= 0 and reviews_in(path) == 8
    desk.close()
    listed = tutor(settings, "restore").stdout.splitlines()[1:-1]
    assert [line.split()[2] for line in listed] == [
        f"tutor-before-restore-{local + timedelta(seconds=30):%Y-%m-%d-%H%M%S}.db",
        kept,
        "5",  # the daily backup's reviews: its line has no time of day
    ]
    assert listed[1].endswith("8 reviews  (the database before a restore)")


def test_restore_brings_back_a_corrupt_database(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    with_reviews(open_desk, 300)
    desk = desk_on(settings, clock)
    desk.engine  # noqa: B018  (the day's backup)
    desk.close()
    path = database(settings)
    overwrite_leaf(path, "garbage")
    assert tutor(settings, "study", "--plain", stdin="2x\n").exit_code == 1
    done = tutor(settings, "restore", "2026-03-02")
    assert done.exit_code == 0, done.stderr
    studied = tutor(settings, "study", "--plain", stdin="2x\n")
    assert studied.exit_code == 0, studied.stderr
    assert reviews_in(path) == 301
    # the corrupt file was kept as it was, and is refused as a backup to go back to
    (kept,) = (p for p in backups(settings) if "before-restore" in p)
    again = tutor(settings, "restore", kept)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"tutor: {settings.home / 'backups' / kept}: the backup is ")
    assert "corrupt" in again.stderr and "nothing was changed" in again.stderr
    assert again.stderr.count("\n") == 1


def test_restore_while_another_tutor_studies_is_refused(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    with_reviews(open_desk, 2)
    desk = desk_on(settings, clock)
    desk.engine  # noqa: B018  (the day's backup)
    desk.close()
    path = database(settings)
    before = path.read_bytes()
    with study_lock(settings.db_url):
        done = tutor(settings, "restore", "2026-03-02")
    assert done.exit_code == 1 and done.stdout == ""
    assert re.fullmatch(
        rf"tutor: {re.escape(str(path))}: another tutor is studying with this database "
        r"\(pid \d+\)\n",
        done.stderr,
    )
    assert path.read_bytes() == before
    assert backups(settings) == ["tutor-2026-03-02.db"]  # no copy kept: nothing was done


def test_restore_messages(open_desk: DeskFactory, settings: Settings) -> None:
    open_desk().close()
    none = tutor(settings, "restore")
    assert none.exit_code == 0
    assert none.stdout == (
        f"no backups of {database(settings)} yet: one is made in {settings.home / 'backups'} "
        "before the first write of each study day\n"
    )
    missing = tutor(settings, "restore", "2025-01-01")
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"tutor: no backup '2025-01-01' of {database(settings)} ('tutor restore' lists them)\n"
    )
    server = CliRunner().invoke(
        main, ["restore", "--db", "postgresql+psycopg://tutor@127.0.0.1:9/tutor"]
    )
    assert server.exit_code == 1
    assert server.stderr == (
        "tutor: postgresql+psycopg://tutor@127.0.0.1:9/tutor: backups are made of SQLite files "
        "only; back up a PostgreSQL database with the server's tools (pg_dump)\n"
    )


def test_two_restores_within_a_second_keep_both_copies_listed_and_restorable(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    """The second restore of a second keeps the database as `…-HHMMSS.2.db`, which its message
    names as the way back: the list shows it, newest first, and restoring it by name works."""
    path = backed_up_then_reviewed(open_desk, settings, clock)
    at = "2026-03-02T10:15:30+01:00"
    first = tutor(settings, "restore", "2026-03-02", clock=at)
    second = tutor(settings, "restore", "2026-03-02", clock=at)
    assert first.exit_code == second.exit_code == 0, second.stderr
    local = datetime.fromisoformat(at).astimezone()
    stamp = f"tutor-before-restore-{local:%Y-%m-%d-%H%M%S}"
    assert f"'tutor restore {stamp}.2.db' undoes this" in second.stdout
    listed = tutor(settings, "restore").stdout.splitlines()[1:-1]
    assert [line.split()[2] for line in listed[:2]] == [f"{stamp}.2.db", f"{stamp}.db"]
    assert reviews_in(settings.home / "backups" / f"{stamp}.db") == 8  # before the first
    back = tutor(settings, "restore", f"{stamp}.db", clock=at)
    assert back.exit_code == 0, back.stderr
    assert reviews_in(path) == 8
    again = tutor(settings, "restore", f"{stamp}.2.db", clock=at)  # the copy of a restored file
    assert again.exit_code == 0, again.stderr
    assert reviews_in(path) == 5


def test_a_database_gone_with_backups_left_is_a_notice_naming_restore(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    """The database file deleted or moved, its backups still there: the next start makes a
    new, empty one (as for a first start) and says so, pointing to `tutor restore`, instead of
    showing an empty history without a word; with no backups, nothing is said."""
    with_reviews(open_desk, 3)
    desk = desk_on(settings, clock)
    with desk.session() as session:  # the day's first write: the backup
        session.add(review_of("double", 3))
        session.commit()
    desk.close()
    assert backups(settings) == ["tutor-2026-03-02.db"]
    path = database(settings)
    for leftover in path.parent.glob(f"{path.name}*"):
        leftover.unlink()
    desk = desk_on(settings, clock)
    desk.engine  # noqa: B018
    [notice] = [n for n in desk.notices if "tutor restore" in n]
    assert notice == (
        f"there was no database at {path}, so a new, empty one was made; it has backups "
        "(the newest of 2026-03-02): 'tutor restore' lists them and brings one back"
    )
    desk.close()
    assert desk_on(settings, clock).stats().reviews_total == 0  # the new one, empty
    for old in (settings.home / "backups").iterdir():
        old.unlink()
    for leftover in path.parent.glob(f"{path.name}*"):
        leftover.unlink()
    fresh = desk_on(settings, clock)
    fresh.engine  # noqa: B018
    assert not [n for n in fresh.notices if "tutor restore" in n]
    fresh.close()
