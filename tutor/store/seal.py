"""The seal of a SQLite file: a record, beside it, of the file as this program last knew it sound.

A seal holds what `os.stat` says of the database file and of its WAL (device, inode, size,
modification and change times in nanoseconds) and how the file became known sound:

- `whole` or `light`: the check of an open (`health.quick_check`) passed on exactly that file;
- `written`: this program's own writes left it so, after an open whose check passed (or that
  found a matching seal): written when the store's engine is disposed (`engine.open_store`).

On the next open, a seal equal to the file's stat as it is now means nothing has changed the
file since, and the check of the open is skipped (`health.check_on_open`). Any write to a file
moves its change time (`st_ctime`), which no program can set back (`os.utime` sets the access
and modification times, and moves the change time to now); a file put in its place has another
inode. A WAL that holds no frames (absent, or empty) adds nothing to the database, so either
counts as none; `-shm` is an index SQLite rebuilds and is not part of a seal.

The seal lives in `<database>.seal` beside the database's real path (as the study lock's
files do), never inside the database (writing that would change it); it is JSON, read with the
standard library alone, written to a temporary file in the same folder and renamed into place.
A seal that is missing, unreadable, not a small regular file of this user, malformed in any way,
of another file or of another state of it is no seal: the check runs as without one.

Change times tick with the file system's clock, which may be coarse (a few milliseconds): a
write in the same tick as the one before it may leave the stat as it was. So a seal is only
written when the file's change time is older than a time stamp the file system gave just
before the stat was taken (the "racy" rule of git's index): every change after that stat gets
a change time at least that new, so it cannot match the seal. A check's seal is written only
when the file is unchanged from before the check to after it. Seals are kept on POSIX systems
only (on Windows `st_ctime` is the creation time).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SUFFIX = ".seal"
VERSION = 1
CHECKS = ("whole", "light", "written")
"""How a sealed file became known sound (see the module's docstring)."""
MAX_BYTES = 4096
"""A seal is a few hundred bytes; a bigger file is no seal."""
SETTLE_SECONDS = 0.1
"""How long sealing after this program's writes waits for the file system's clock to move past
them (a tick: a few milliseconds at most); past that, no seal, and the next open checks."""

ENABLED = os.name == "posix"


@dataclass(frozen=True)
class Stamp:
    """What `os.stat` says of a file, as far as a seal compares it."""

    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, found: os.stat_result) -> Stamp:
        return cls(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


@dataclass(frozen=True)
class Files:
    """The stamps of a database file and of its WAL (None: no WAL, or one without frames)."""

    database: Stamp
    wal: Stamp | None

    def newest_change(self) -> int:
        """The later change time of the two (nanoseconds)."""
        wal = self.wal.ctime_ns if self.wal is not None else self.database.ctime_ns
        return max(self.database.ctime_ns, wal)


@dataclass(frozen=True)
class Seal:
    files: Files
    check: str


def seal_path(database: Path) -> Path:
    """Where the seal of `database` is kept: beside its real path."""
    real = Path(os.path.realpath(database))
    return real.with_name(real.name + SUFFIX)


def files_of(database: Path) -> Files:
    """The stamps of `database` and its WAL now. Raises OSError (no file)."""
    found = os.stat(database)
    if not stat.S_ISREG(found.st_mode):
        raise IsADirectoryError(f"{database}: not a file")
    wal: Stamp | None = None
    with contextlib.suppress(FileNotFoundError):
        beside = os.stat(database.with_name(database.name + "-wal"))
        if beside.st_size > 0 or not stat.S_ISREG(beside.st_mode):
            wal = Stamp.of(beside)
    return Files(Stamp.of(found), wal)


def identity(database: Path) -> tuple[int, int] | None:
    """The device and inode of the file at `database` (None: none there)."""
    try:
        found = os.stat(database)
    except OSError:
        return None
    return found.st_dev, found.st_ino


# -- reading -----------------------------------------------------------------------------------


def read(database: Path) -> Seal | None:
    """The seal beside `database`, or None: none, or not one this program wrote."""
    if not ENABLED:
        return None
    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(seal_path(database), flags)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
            return None
        data = os.read(fd, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        return None
    try:
        return _parsed(json.loads(data.decode("utf-8")))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _parsed(record: Any) -> Seal | None:
    if not isinstance(record, dict) or set(record) != {"seal", "check", "database", "wal"}:
        return None
    if record["seal"] != VERSION or type(record["seal"]) is not int:
        return None
    if not isinstance(record["check"], str) or record["check"] not in CHECKS:
        return None
    database = _stamp(record["database"])
    wal = None if record["wal"] is None else _stamp(record["wal"])
    if database is None or (record["wal"] is not None and wal is None):
        return None
    return Seal(Files(database, wal), record["check"])


def _stamp(record: Any) -> Stamp | None:
    names = ("dev", "ino", "size", "mtime_ns", "ctime_ns")
    if not isinstance(record, dict) or set(record) != set(names):
        return None
    values = [record[name] for name in names]
    if any(type(value) is not int or not -(2**63) <= value < 2**64 for value in values):
        return None
    return Stamp(*values)


def matching(database: Path) -> Seal | None:
    """The seal of `database` if it matches the file and its WAL as they are now, exactly."""
    found = read(database)
    if found is None:
        return None
    try:
        now = files_of(database)
    except OSError:
        return None
    return found if found.files == now else None


# -- writing -----------------------------------------------------------------------------------


class _Marker:
    """A temporary file beside the seal: its time stamps are the file system's clock, and it
    becomes the seal when renamed into place."""

    def __init__(self, database: Path) -> None:
        target = seal_path(database)
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.fd, self.path = fd, Path(name)

    def now(self) -> int:
        """The file system's time now (the marker's change time, moved to now)."""
        os.utime(self.fd)
        return os.fstat(self.fd).st_ctime_ns

    def created(self) -> int:
        return os.fstat(self.fd).st_ctime_ns

    def seal(self, files: Files, check: str) -> None:
        record = {"seal": VERSION, "check": check, "database": asdict(files.database)}
        record["wal"] = asdict(files.wal) if files.wal is not None else None
        data = json.dumps(record).encode("utf-8")
        if os.write(self.fd, data) != len(data):
            raise OSError("the seal was not written whole")
        os.close(self.fd)
        self.fd = -1
        os.replace(self.path, self.target)

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        with contextlib.suppress(OSError):
            self.path.unlink()


class Sealing:
    """Around the check of an open, to seal the file if it passes: made before the check reads
    a byte, it takes a time stamp of the file system, then the file's stamps (`before`)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.marker: _Marker | None = None
        if ENABLED:
            with contextlib.suppress(OSError):
                self.marker = _Marker(database)
        self.before: Files | None = None
        with contextlib.suppress(OSError):
            self.before = files_of(database)

    @property
    def size(self) -> int:
        """The database file's size before the check (0: unknown, no file)."""
        return self.before.database.size if self.before is not None else 0

    def seal(self, check: str) -> bool:
        """Seal the file as `check` found it sound, if it is as it was before the check and
        older than the time stamp taken before (else no seal: the next open checks)."""
        if self.marker is None or self.before is None:
            return False
        try:
            after = files_of(self.database)
            if after != self.before or after.newest_change() >= self.marker.created():
                return False
            self.marker.seal(after, check)
        except OSError:
            return False
        return True

    def close(self) -> None:
        if self.marker is not None:
            self.marker.discard()


@contextlib.contextmanager
def sealing(database: Path) -> Iterator[Sealing]:
    """A `Sealing` of `database`, its temporary file removed at the end."""
    around = Sealing(database)
    try:
        yield around
    finally:
        around.close()


def seal_written(database: Path, origin: tuple[int, int]) -> bool:
    """Seal `database` as this program's writes left it: once they have ended, for the file
    of device and inode `origin` that passed its check on opening (another file at the path is
    not sealed). Waits up to `SETTLE_SECONDS` for the file system's clock to move past the last
    write. Never raises; whether a seal is in place."""
    if not ENABLED:
        return False
    try:
        files = files_of(database)
        if (files.database.dev, files.database.ino) != origin:
            return False
        found = read(database)
        if found is not None and found.files == files:
            return True  # nothing written since it was sealed
        marker = _Marker(database)
    except OSError:
        return False
    try:
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            now = marker.now()
            files = files_of(database)
            if (files.database.dev, files.database.ino) != origin:
                return False
            if files.newest_change() < now:
                marker.seal(files, "written")
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
    except OSError:
        return False
    finally:
        marker.discard()


def on_dispose(database: Path) -> Callable[[object], None] | None:
    """For the file at `database` that has just passed its check on opening: what seals it as
    this program's writes leave it, called when its engine is disposed (None: no file)."""
    origin = identity(database)
    if origin is None or not ENABLED:
        return None
    found: tuple[int, int] = origin

    def sealed(_engine: object) -> None:
        seal_written(database, found)

    return sealed
