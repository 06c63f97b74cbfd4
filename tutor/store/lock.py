"""The study lock: held while a learner studies, so a second tutor of the same learner on the
same database gets StoreBusy, while other learners study at the same time. For a SQLite file:
a shared `flock` on the database file (which `tutor restore` takes exclusively, so it waits for
every learner) and an exclusive open-file-description lock on one byte named by the learner,
far beyond the bytes SQLite locks. The system releases both when the process ends in any way,
kill -9 included. A light module (no SQLAlchemy for a SQLite file URL), so that the terminal UI
takes the lock before the store is loaded."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tutor.store.errors import StoreBusy, from_os_error
from tutor.store.quick import sqlite_file


@contextmanager
def study_lock(url: str, learner: str | None = None) -> Iterator[None]:
    """The study lock of `learner` (None: of the whole database) on the database at `url`: a
    plain `sqlite:///file` URL is locked here; any other URL through the store's engine (a
    PostgreSQL advisory lock, SQLite URLs of other forms)."""
    path = sqlite_file(url)
    if path is not None:
        with database_lock(path, str(path), learner):
            yield
        return
    from tutor.store.engine import url_study_lock

    with url_study_lock(url, learner):
        yield


def learner_key(learner: str) -> int:
    """A learner's name as a number from 0 to 2**31 - 1: the byte their SQLite lock takes
    (past `LEARNER_BYTES`), and their PostgreSQL advisory lock's second key."""
    digest = hashlib.sha256(learner.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFF_FFFF


LEARNER_BYTES = 1 << 40
"""Where the learners' lock bytes begin: far past SQLite's own lock bytes (at 1 GiB), which
no lock of ours may touch. Locking bytes past the end of a file does not grow it."""


def lock_path(database: Path, learner: str | None = None) -> Path:
    """The file beside a SQLite database that names the process holding a study lock (of
    `learner`, or of the whole database); beside the database's real path, so that every
    spelling of it (a symlink, `..`) names one file."""
    database = database.expanduser().resolve()
    if learner is None:
        return database.with_name(database.name + ".lock")
    return database.with_name(f"{database.name}.{learner_key(learner):08x}.lock")


@contextmanager
def database_lock(database: Path, where: str, learner: str | None = None) -> Iterator[None]:
    """A lock on the database file itself: it belongs to the file (its device and inode), not
    to the path it was opened by, so a symlink or a hard link to the same database cannot open
    a second session. With `learner`: a shared `flock` on the file and an exclusive
    open-file-description lock on the learner's byte (`learner_key`), so each learner studies
    alone and learners study side by side (where the system has no such locks, an exclusive
    `flock`: one learner at a time). Without: an exclusive `flock`, which waits for no one and
    keeps everyone out (`tutor restore`). SQLite's own locks are POSIX record locks on other
    bytes, which neither touches. A database that does not exist yet is created empty (SQLite
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
    by_byte = learner is not None and hasattr(fcntl, "F_OFD_SETLK")
    mine = learner if by_byte else None
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if by_byte else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            doing = "restoring a backup of" if by_byte else "studying with"
            raise StoreBusy(
                f"{where}: another tutor is {doing} this database (pid {_holder(database, None)})"
            ) from None
        if mine is not None and not _lock_byte(fd, LEARNER_BYTES + learner_key(mine)):
            raise StoreBusy(
                f"{where}: another tutor is studying as learner '{mine}' with this database "
                f"(pid {_holder(database, mine)})"
            )
        with _pid_file(lock_path(database, mine)):
            yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock and the byte's lock


class _Flock(ctypes.Structure):
    """The system's `struct flock`, laid out by ctypes for this platform."""

    _fields_ = (
        ("l_type", ctypes.c_short),
        ("l_whence", ctypes.c_short),
        ("l_start", ctypes.c_int64),
        ("l_len", ctypes.c_int64),
        ("l_pid", ctypes.c_int),
    )


def _lock_byte(fd: int, offset: int) -> bool:
    """Take an exclusive open-file-description lock on one byte of the file: False when
    another open of the file holds it. Unlike a process's POSIX locks, it is not dropped when
    SQLite closes another descriptor of the same file."""
    request = _Flock(fcntl.F_WRLCK, os.SEEK_SET, offset, 1, 0)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, bytes(request))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _holder(database: Path, learner: str | None) -> str:
    try:
        text = lock_path(database, learner).read_text("ascii", "replace").strip()
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
