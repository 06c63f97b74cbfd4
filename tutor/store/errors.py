"""The store's two errors, and the translation of database failures into one-line messages.

Every message names the database (the file for SQLite, the URL without its password otherwise)
and fits on one line, so the command line can print it as it is.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy loads only where the store is used (the quick paths skip it)
    from sqlalchemy.engine import URL


class StoreError(Exception):
    """The database cannot be used; the message is one line naming it."""


class UnreadableValue(StoreError, ValueError):
    """A row holds a value this program never writes (the file was edited by another program):
    said in one line instead of failing wherever the value is used. A ValueError too, so the
    quick start steps aside and the store says it."""


class StoreBusy(StoreError):
    """Another tutor holds the database (the study lock, or SQLite's write lock)."""


def describe_url(url: URL) -> str:
    """How messages name a database: the file for SQLite, else the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database if url.database not in (None, "", ":memory:") else ":memory:"
    return url.render_as_string(hide_password=True)


RECOVERY = "'tutor doctor' checks it in full, 'tutor restore' goes back to a daily backup"
"""What to do about a corrupt database, said with every refusal of one."""


def corrupt(where: str, why: str | None = None) -> StoreError:
    """The refusal of a corrupt database file, which is never written to: one line naming it,
    saying it was left untouched and what to do."""
    detail = f" ({why})" if why else ""
    return StoreError(
        f"{where}: the database file is corrupt{detail}; it was left untouched: {RECOVERY}"
    )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def from_database_error(exc: BaseException, where: str) -> StoreError:
    """A StoreError saying in one line what went wrong with the database `where`."""
    detail = _first_line(exc)
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return StoreBusy(f"{where}: the database is busy: another program is writing to it")
    if "readonly" in low or "read-only" in low:
        return StoreError(
            f"{where}: cannot write to the database, it is read-only "
            "(check the permissions of the file and its folder)"
        )
    if "permission denied" in low or "must be owner" in low:
        return StoreError(
            f"{where}: the database role may not do this ({detail}); the README's GRANTs for "
            "a study group give a member's role what it needs"
        )
    if "full" in low or "no space" in low:
        return StoreError(f"{where}: cannot write to the database, the disk is full")
    if "malformed" in low or "not a database" in low or "corrupt" in low or "encrypted" in low:
        return corrupt(where)
    if "unable to open" in low:
        return StoreError(
            f"{where}: cannot open the database file (check that its folder exists and is writable)"
        )
    if "connection" in low or "connect to" in low or "resolve host" in low:
        return StoreError(f"{where}: cannot connect to the database server: {detail}")
    if "disk i/o" in low:
        return StoreError(f"{where}: cannot read or write the database, disk I/O error")
    return StoreError(f"{where}: database error: {detail}")


def from_os_error(exc: OSError, where: str, doing: str) -> StoreError:
    """A StoreError for a failure of the file system while `doing` something for `where`."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    elif exc.errno == errno.EROFS:
        reason = "the file system is read-only"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
    else:
        reason = exc.strerror or str(exc)
    return StoreError(f"{where}: cannot {doing}: {reason}")


INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a statement the role lacks a privilege for."""


def is_store_failure(exc: BaseException) -> bool:
    """A failure of the database itself (disk, file, lock, connection), not of our statements."""
    from sqlalchemy import exc as sa_exc

    if getattr(getattr(exc, "orig", None), "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
        return True  # the role may not: a matter of the server's GRANTs, not of our statements
    if isinstance(
        exc, sa_exc.IntegrityError | sa_exc.ProgrammingError | sa_exc.DataError
    ):  # a bug or bad data: let it through unchanged
        return False
    return isinstance(exc, sa_exc.OperationalError | sa_exc.DatabaseError)


@contextmanager
def translating(where: str) -> Iterator[None]:
    """Turn database failures inside the block into StoreError naming `where`."""
    from sqlalchemy import exc as sa_exc

    try:
        yield
    except sa_exc.SQLAlchemyError as exc:
        if is_store_failure(exc):
            raise from_database_error(exc, where) from exc
        raise
    except sqlite3.Error as exc:  # raised by the sqlite3 module outside SQLAlchemy's wrapping
        if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
            raise
        raise from_database_error(exc, where) from exc
