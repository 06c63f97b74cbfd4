"""The daily backup of a SQLite database, and going back to one (`tutor restore`).

Before the first write of each study day, the store (`engine.open_store`, called by the study
desk with a `DailyBackup`) copies the database with SQLite's online backup API into
TUTOR_HOME/backups/tutor-YYYY-MM-DD.db, named by the study day, and keeps the newest `KEEP`.
The copy is consistent whatever else reads the file, holds what its WAL holds, and is written
to a temporary file renamed into place, so a backup is whole or absent. A failure (a full disk,
a read-only folder) is a one-line notice: the study goes on, and no older backup is removed.
A database that is not in TUTOR_HOME has its backups there too, under its own name and a few
letters of its path's digest, so two databases never share backups.

A file whose check on opening did not read every page (`health.check_on_open`: a big file got
the light check, or a sealed file none) gets the whole `quick_check` first, once a study day: a
corrupt file is refused, never backed up over the good copies. At 1,000,000 reviews (180 MiB,
`bench/scale.py`) the backup takes about 0.3 s and that check 0.35 s, once a day; at 170,000
reviews (34 MiB) 60 ms each.

`restore` takes the study lock, keeps a copy of the database as it is (`tutor-before-restore-
YYYY-MM-DD-HHMMSS.db`, which a later restore can go back to), checks the backup in full and
copies it into the database with the same API, in one transaction. Only SQLite files are backed
up; a PostgreSQL server has its own tools (pg_dump).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tutor.store.errors import StoreError, corrupt
from tutor.store.health import SQLITE_MAGIC, read_only, whole_file_problem
from tutor.store.identity import APPLICATION_ID

KEEP = 7
"""Daily backups kept for each database: the newest ones."""

FOLDER = "backups"
BEFORE_RESTORE = "before-restore"


def backups_folder(home: Path) -> Path:
    return home / FOLDER


def backup_key(database: Path, home: Path) -> str:
    """How the backups of `database` are named: its stem when it lives in TUTOR_HOME (`tutor`
    for the default database), else its stem and the start of its real path's digest."""
    real = database.expanduser().resolve()
    if real.parent == home.expanduser().resolve():
        return real.stem
    digest = hashlib.sha256(str(real).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{real.stem}-{digest}"


@dataclass(frozen=True)
class Backup:
    """A backup of a database, as `tutor restore` lists it."""

    path: Path
    day: date
    """The study day it was made before (daily), or the day of the restore it preceded."""
    time: str = ""
    """For a copy kept before a restore: the time of day it was made (HH:MM:SS)."""
    copy: int = 1
    """Of the copies kept before restores within that second, which one (`.2.db`: the second)."""

    @property
    def before_restore(self) -> bool:
        return bool(self.time)


def list_backups(database: Path, home: Path) -> list[Backup]:
    """The backups of `database`, newest first: the daily ones and the copies kept before a
    restore."""
    folder = backups_folder(home)
    key = re.escape(backup_key(database, home))
    daily = re.compile(rf"{key}-(\d{{4}}-\d{{2}}-\d{{2}})\.db")
    kept = re.compile(
        rf"{key}-{BEFORE_RESTORE}-(\d{{4}}-\d{{2}}-\d{{2}})-(\d{{2}})(\d{{2}})(\d{{2}})"
        r"(?:\.([1-9]\d{0,5}))?\.db"  # .2, .3…: more restores within that second
    )
    found: list[Backup] = []
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return []
    for name in names:
        if match := daily.fullmatch(name):
            with contextlib.suppress(ValueError):
                found.append(Backup(folder / name, date.fromisoformat(match[1])))
        elif match := kept.fullmatch(name):
            with contextlib.suppress(ValueError):
                day = date.fromisoformat(match[1])
                time = f"{match[2]}:{match[3]}:{match[4]}"
                found.append(Backup(folder / name, day, time, int(match[5] or 1)))
    # newest first; on one day, the daily backup (made before the day's first write) is older
    # than any copy kept before a restore that day
    found.sort(key=lambda b: (b.day, b.before_restore, b.time, b.copy), reverse=True)
    return found


def daily_backups(database: Path, home: Path) -> list[Backup]:
    return [b for b in list_backups(database, home) if not b.before_restore]


def daily_path(database: Path, home: Path, day: date) -> Path:
    return backups_folder(home) / f"{backup_key(database, home)}-{day.isoformat()}.db"


class DailyBackup:
    """The store's `before_write` hook for one study day: the day's backup, if not made yet."""

    def __init__(self, home: Path, day: date, notices: list[str]) -> None:
        self.home = home
        self.day = day
        self.notices = notices
        """Where a one-line notice goes when the backup cannot be made."""

    def __call__(self, database: Path, thorough: bool) -> None:
        target = daily_path(database, self.home, self.day)
        if target.exists():
            return  # made before today's first write already
        if not thorough:  # the light check on opening, or none (sealed): the whole one, daily
            problem = whole_file_problem(database)
            if problem is not None:
                raise corrupt(str(database), problem)
        try:
            make_backup(database, target)
        except (OSError, sqlite3.Error) as exc:
            self.notices.append(
                f"no backup today: cannot write {target}: {_reason(exc)}; your progress is "
                "saved as ever"
            )
            return
        prune(database, self.home)


def make_backup(source: Path, target: Path) -> None:
    """Copy the database at `source` into `target` with SQLite's online backup API, through a
    temporary file beside `target` renamed into place: `target` is whole or absent. Raises
    OSError or sqlite3.Error (a full disk, a read-only folder)."""
    _renamed_into_place(target, lambda partial: _copy(source, partial))


def _renamed_into_place(target: Path, write: Callable[[Path], None]) -> None:
    """Write `target` through `write` into a temporary file beside it, synced and renamed into
    place: `target` is whole or absent, whatever happens half-way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    try:
        write(partial)
        _fsync(partial)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def _copy(source: Path, target: Path) -> None:
    """The online backup of `source` into the (new, empty) file `target`, left in rollback
    journal mode: one file that any SQLite tool reads without making a -wal or -shm beside it
    (the store puts a restored database back in WAL mode when it opens it)."""
    src = read_only(source)
    try:
        dst = _open_target(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            dst.close()
    finally:
        src.close()


def _open_target(target: Path) -> sqlite3.Connection:
    return sqlite3.connect(target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "the disk is full"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "permission denied"
        if exc.errno == errno.EROFS:
            return "the file system is read-only"
        return exc.strerror or str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "full" in text.lower():
        return "the disk is full"
    if "readonly" in text.lower() or "read-only" in text.lower():
        return "it is read-only"
    return text


def prune(database: Path, home: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` daily backups of `database`; the removed files."""
    removed = []
    for old in daily_backups(database, home)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
            removed.append(old.path)
    return removed


# -- tutor restore -----------------------------------------------------------------------------


def database_file(url: str) -> Path:
    """The SQLite file of `url`. Raises StoreError for another kind of database: only SQLite
    files have backups."""
    from tutor.store.quick import sqlite_file

    path = sqlite_file(url)
    if path is None:
        from tutor.store.engine import parse_url, sqlite_path
        from tutor.store.errors import describe_url

        sa_url = parse_url(url)
        path = sqlite_path(sa_url)
        if path is None:
            raise StoreError(
                f"{describe_url(sa_url)}: backups are made of SQLite files only; back up a "
                "PostgreSQL database with the server's tools (pg_dump)"
            )
    return path.expanduser().absolute()


def find_backup(database: Path, home: Path, name: str) -> Path:
    """The backup `name` names: a date of the list (2026-03-01), a file name of the list, or a
    path. Raises StoreError."""
    for backup in list_backups(database, home):
        if name in (backup.path.name, backup.day.isoformat()) and (
            not backup.before_restore or name == backup.path.name
        ):
            return backup.path
    path = Path(name).expanduser()
    if path.is_file():
        return path.absolute()
    raise StoreError(f"no backup '{name}' of {database} ('tutor restore' lists them)")


def reviews_in(path: Path) -> int | None:
    """The number of reviews a database (a backup) holds; None when it cannot be read."""
    try:
        con = read_only(path)
        try:
            (total,) = con.execute("SELECT count(*) FROM review").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return int(total)


@dataclass(frozen=True)
class Restored:
    database: Path
    backup: Path
    kept: Path | None
    """The copy of the database as it was before (None: there was none)."""


def restore(database: Path, backup: Path, home: Path, now: datetime) -> Restored:
    """Put the database at `database` back as `backup` holds it, under the study lock (StoreBusy
    while another tutor studies), keeping a copy of it as it was first. Raises StoreError with
    one line; on any error the database is as it was."""
    from tutor.store.lock import database_lock

    where = str(database)
    if backup.resolve() == database.resolve():
        raise StoreError(f"{backup}: this is the database itself, not a backup of it")
    _check_backup(backup)
    with database_lock(database, where):
        kept = None
        if database.is_file() and database.stat().st_size > 0:
            kept = _keep_current(database, home, now)
        try:
            _copy_into(backup, database)
        except (OSError, sqlite3.Error) as exc:
            undo = f"; the file as it was is kept as {kept}" if kept is not None else ""
            raise StoreError(
                f"{where}: cannot restore {backup.name}: {_reason(exc)}{undo}"
            ) from None
    return Restored(database, backup, kept)


def _check_backup(backup: Path) -> None:
    """Refuse a backup that is not a sound database of this program."""
    try:
        with backup.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(f"{backup}: cannot read the backup: {_reason(exc)}") from None
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(f"{backup}: not a backup of a proof-tutor database; nothing was changed")
    app_id: int | None = None
    problem: str | None = None
    try:
        con = read_only(backup)
        try:
            (app_id,) = con.execute("PRAGMA application_id").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        problem = str(exc)
    else:
        problem = whole_file_problem(backup)
    if problem is not None:
        raise StoreError(
            f"{backup}: the backup is corrupt ({problem}); nothing was changed: choose another "
            "('tutor restore' lists them)"
        )
    if app_id != APPLICATION_ID:
        raise StoreError(f"{backup}: not a backup of a proof-tutor database; nothing was changed")


def _keep_current(database: Path, home: Path, now: datetime) -> Path:
    """A copy of the database as it is, in the backups folder, named by the local time."""
    local = now.astimezone()
    key = backup_key(database, home)
    stamp = f"{local.date().isoformat()}-{local:%H%M%S}"
    target = backups_folder(home) / f"{key}-{BEFORE_RESTORE}-{stamp}.db"
    n = 1
    while target.exists():  # two restores within a second
        n += 1
        target = target.with_name(f"{key}-{BEFORE_RESTORE}-{stamp}.{n}.db")
    try:
        try:
            make_backup(database, target)
        except sqlite3.DatabaseError:
            # not readable as a database (its first page is gone): keep its bytes as they are
            _copy_bytes(database, target)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"{database}: cannot keep a copy of the database before restoring ({_reason(exc)}); "
            "nothing was changed"
        ) from None
    return target


def _copy_bytes(database: Path, target: Path) -> None:
    def write(partial: Path) -> None:
        shutil.copyfile(database, partial)
        wal = database.with_name(database.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))

    _renamed_into_place(target, write)


def _copy_into(backup: Path, database: Path) -> None:
    """Copy `backup` into the database with the online backup API: SQLite writes it in one
    transaction, through the database's own journal (its WAL), so a crash half-way leaves it as
    it was. A file SQLite cannot open as a database is replaced by a copy of the backup, renamed
    over it."""
    src = read_only(backup)
    try:
        try:
            dst = sqlite3.connect(database, timeout=5)
            try:
                src.backup(dst)
            finally:
                dst.close()
        except sqlite3.OperationalError:
            raise  # locked, full, read-only, I/O: nothing was changed
        except sqlite3.DatabaseError:  # not a database, or malformed where SQLite must read
            _replace_with(backup, database)
    finally:
        src.close()


def _replace_with(backup: Path, database: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{database.name}.", suffix=".restore", dir=database.parent)
    os.close(fd)
    partial = Path(name)
    try:
        shutil.copyfile(backup, partial)
        _fsync(partial)
        for sidecar in ("-wal", "-shm"):  # they belong to the file being replaced
            with contextlib.suppress(FileNotFoundError):
                database.with_name(database.name + sidecar).unlink()
        os.replace(partial, database)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


# -- what `tutor restore` says -----------------------------------------------------------------


def describe_backups(database: Path, home: Path) -> str:
    """The list `tutor restore` prints without an argument."""
    found = list_backups(database, home)
    folder = backups_folder(home)
    if not found:
        return (
            f"no backups of {database} yet: one is made in {folder} before the first write "
            "of each study day"
        )
    lines = [f"backups of {database}, newest first, in {folder}:"]
    width = max(len(b.path.name) for b in found)
    for backup in found:
        when = f"{backup.day.isoformat()} {backup.time}".strip()
        reviews = reviews_in(backup.path)
        held = "unreadable" if reviews is None else f"{reviews:,} review{'s' * (reviews != 1)}"
        what = "  (the database before a restore)" if backup.before_restore else ""
        lines.append(f"  {when:<19}  {backup.path.name:<{width}}  {held}{what}")
    lines.append(
        "'tutor restore DATE' (or a file name of the list) goes back to one; the database as "
        "it is now is kept first"
    )
    return "\n".join(lines)


def describe_restored(done: Restored) -> str:
    """The line `tutor restore` prints when it has restored a backup."""
    reviews = reviews_in(done.database)
    held = "" if reviews is None else f" ({reviews:,} review{'s' * (reviews != 1)})"
    line = f"restored {done.database} from {done.backup.name}{held}"
    if done.kept is not None:
        line += (
            f"; the database as it was is kept as {done.kept.name}: "
            f"'tutor restore {done.kept.name}' undoes this"
        )
    return line
