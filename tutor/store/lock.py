"""The study lock: held while one tutor studies, so a second holder on the same database gets
StoreBusy. For a SQLite file, an exclusive `flock` on `<db>.lock`, which the system releases
when the process ends in any way, kill -9 included. A light module (no SQLAlchemy for a SQLite
file URL), so that the terminal UI takes the lock before the store is loaded."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tutor.store.errors import StoreBusy, from_os_error
from tutor.store.quick import sqlite_file


@contextmanager
def study_lock(url: str) -> Iterator[None]:
    """The study lock of the database at `url`: a plain `sqlite:///file` URL is locked here;
    any other URL through the store's engine (a PostgreSQL advisory lock, SQLite URLs of
    other forms)."""
    path = sqlite_file(url)
    if path is not None:
        with database_lock(path, str(path)):
            yield
        return
    from tutor.store.engine import url_study_lock

    with url_study_lock(url):
        yield


def lock_path(database: Path) -> Path:
    """The file beside a SQLite database that names the process holding its study lock; the
    database's real path, so that every spelling of it (a symlink, `..`) names one file."""
    database = database.expanduser().resolve()
    return database.with_name(database.name + ".lock")


@contextmanager
def database_lock(database: Path, where: str) -> Iterator[None]:
    """An exclusive `flock` on the database file itself: the lock belongs to the file (its
    device and inode), not to the path it was opened by, so a symlink or a hard link to the
    same database cannot open a second session. SQLite's own locks are POSIX record locks,
    which `flock` does not touch. A database that does not exist yet is created empty (SQLite
    reads an empty file as a new database). The holder's pid is written beside it."""
    database = database.expanduser()
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(database, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            fd = os.open(database, os.O_RDONLY)
    except OSError as exc:
        raise from_os_error(exc, where, f"open the database {database}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(
                f"{where}: another tutor is studying with this database (pid {_holder(database)})"
            ) from None
        with _pid_file(lock_path(database)):
            yield
    finally:
        os.close(fd)  # closing the last descriptor releases the flock


def _holder(database: Path) -> str:
    try:
        text = lock_path(database).read_text("ascii", "replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


@contextmanager
def _pid_file(path: Path) -> Iterator[None]:
    """Write this process's pid to `path` while the lock is held (best effort: a folder that
    cannot take the file still has its lock)."""
    try:
        path.write_text(f"{os.getpid()}\n", "ascii")
        written = True
    except OSError:
        written = False
    try:
        yield
    finally:
        if written:
            with contextlib.suppress(OSError):
                path.write_text("", "ascii")
