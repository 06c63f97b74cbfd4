"""The study lock: held while one tutor studies, so a second holder on the same database gets
StoreBusy. For a SQLite file, an exclusive `flock` on `<db>.lock`, which the system releases
when the process ends in any way, kill -9 included. A light module (no SQLAlchemy for a SQLite
file URL), so that the terminal UI takes the lock before the store is loaded."""

from __future__ import annotations

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
        with file_lock(lock_path(path), str(path)):
            yield
        return
    from tutor.store.engine import url_study_lock

    with url_study_lock(url):
        yield


def lock_path(database: Path) -> Path:
    """The lock file of a SQLite database file."""
    database = database.expanduser().absolute()
    return database.with_name(database.name + ".lock")


@contextmanager
def file_lock(lock_path: Path, where: str) -> Iterator[None]:
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise from_os_error(exc, where, f"create the lock file {lock_path}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            pid = holder if holder.isdigit() else "unknown"
            raise StoreBusy(
                f"{where}: another tutor is studying with this database (pid {pid})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
