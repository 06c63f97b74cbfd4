"""Engine set-up: open (and if needed create or upgrade) the database at a URL, and the study lock.

SQLite files get WAL, a busy timeout, foreign keys and `synchronous=NORMAL` on every connection,
and SQLAlchemy emits BEGIN itself so that DDL and reads are transactional too (a migration killed
half-way leaves nothing behind). Before anything is written, an existing file is checked to be
ours and sound (`health.check_on_open`): a foreign or corrupt file raises `StoreError` naming it
and is left byte-identical. Then `before_write`, if given, runs (the daily backup) before the
first write: a migration, or whatever the caller writes.

The schema is versioned by the alembic revisions in `migrations/versions/`; `open_store` upgrades
an older database to the newest revision in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool, StaticPool

from tutor.store import seal
from tutor.store.errors import (
    StoreBusy,
    StoreError,
    corrupt,
    describe_url,
    from_database_error,
    from_os_error,
    translating,
)
from tutor.store.health import check_on_open, read_only
from tutor.store.identity import APP_NAME, APPLICATION_ID, HEAD_REVISION
from tutor.store.lock import database_lock, learner_key
from tutor.store.seal import on_dispose

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_LOCK_KEY = 0x50545554  # advisory lock key for study_lock on PostgreSQL
# Execution option naming how a SQLite transaction begins; writers ask for "IMMEDIATE" so that
# they take the write lock first (waiting up to the busy timeout) instead of failing later.
BEGIN_OPTION = "tutor_sqlite_begin"
_BEGIN_MODES = {"": "BEGIN", "DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}

BeforeWrite = Callable[[Path, bool], None]
"""Called with a sound SQLite file before anything is written to it, and whether its check on
opening read every page (`health.QuickCheck.thorough`). It may raise StoreError to refuse it."""


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise StoreError(f"{url}: not a database URL (e.g. sqlite:///path/to/tutor.db)") from None


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database or another backend."""
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    if url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser().absolute()


def sqlite_driver(connection: Connection) -> sqlite3.Connection | None:
    """The sqlite3 connection under `connection`, for the plain SQL the store runs on it
    directly, inside its transaction: today's reads (`queries.today_reads`) and an answer's
    writes (`writes.Write`), where SQLAlchemy's execution costs more than SQLite's work. None on
    another database, and while someone listens to the statements sent (a test counting them,
    a tracer): they then go through SQLAlchemy, and are seen."""
    if connection.dialect.name != "sqlite":
        return None
    dispatch = connection.dispatch
    if dispatch.before_cursor_execute or dispatch.after_cursor_execute:
        return None
    driver = connection.connection.driver_connection
    return driver if isinstance(driver, sqlite3.Connection) else None


def open_store(
    url: str, *, before_write: BeforeWrite | None = None, learner: str | None = None
) -> Engine:
    """An engine on the database at `url`, created or upgraded to the newest schema.

    Raises StoreError (one line naming the database) when it cannot be used: a foreign or
    corrupt file, a read-only folder or file, a full disk, a schema newer than this code.
    `before_write` runs on an existing SQLite file once it has passed its check, before the
    first write. `learner`: who an upgrade gives the progress of an older, single-learner
    database to (revision 0006; default: `tutor.study.learner.default_learner()`)."""
    sa_url = parse_url(url)
    path = sqlite_path(sa_url)
    if path is not None:
        sa_url = sa_url.set(database=str(path))  # "~" expanded: the file we check is SQLite's
    where = describe_url(sa_url)
    seal_on_dispose = None
    if path is not None:
        _prepare_folder(path, where)
        thorough = _inspect_sqlite_file(path, where)
        seal_on_dispose = on_dispose(path) if thorough is not None else None
        if thorough is not None and before_write is not None:
            before_write(path, thorough)
    engine = _create_engine(sa_url, where)
    try:
        with translating(where):
            if sa_url.get_backend_name() == "sqlite":
                revision = _check_sqlite(engine, where, in_memory=path is None)
            else:
                _check_identity(engine, where)
                revision = current_revision(engine)
            if revision != HEAD_REVISION:
                upgrade(engine, where=where, learner=learner)
    except BaseException:
        engine.dispose()
        raise
    if seal_on_dispose is not None:  # the file as this program's writes leave it (`store.seal`)
        event.listen(engine, "engine_disposed", seal_on_dispose)
    return engine


def _create_engine(url: URL, where: str) -> Engine:
    try:
        if url.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        if sqlite_path(url) is None:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"{where}: cannot use this database URL: {exc}") from None
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql(_BEGIN_MODES[mode])


def _prepare_folder(path: Path, where: str) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise from_os_error(exc, where, f"create the folder {folder}") from None
    if path.exists() and not path.is_file():
        raise StoreError(f"{where}: not a database file")
    # SQLite writes its -wal and -shm files beside the database, so the folder must be writable
    # even when the database already exists.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"{where}: cannot write to the database, its folder {folder} is read-only")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"{where}: cannot write to the database, the file is read-only")


def _corrupt(where: str, why: str) -> StoreError:
    return corrupt(where, why)


def _foreign(where: str) -> StoreError:
    return StoreError(
        f"{where}: not a {APP_NAME} database (it belongs to another program); "
        "it was left untouched: choose another file with --db"
    )


def _inspect_sqlite_file(path: Path, where: str) -> bool | None:
    """Refuse, without writing a byte, a file that is not a sound proof-tutor database. Returns
    whether its check read every page (`health.quick_check`); None for a new, empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None  # new: SQLite makes an empty file a new database
    size = path.stat().st_size
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise from_os_error(exc, where, "read the database file") from None
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{where}: not a {APP_NAME} database (not an SQLite file, or a corrupt one); "
            "it was left untouched"
        )
    if len(header) < 100:
        raise _corrupt(where, "truncated header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _corrupt(where, "bad page size")
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    # Without pending WAL frames the file holds the whole database: its size is whole pages,
    # at least as many as the header counts (when that count is valid).
    pages = int.from_bytes(header[28:32], "big")
    count_valid = header[24:28] == header[92:96]
    if not wal_pending and (size % page_size or (count_valid and size < pages * page_size)):
        raise _corrupt(where, "truncated")
    # Sealed and ours: the file and its WAL are exactly as this program left them, checked
    # then (`store.seal`), so no connection is needed to look at it again (a third of an open).
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID and seal.matching(path) is not None:
        return False  # as `check_on_open` says of a sealed file: no page read
    # Read it without writing (immutable, or read-only through its WAL).
    try:
        con = read_only(path)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if app_id == APPLICATION_ID and "meta" in tables:
                con.execute("SELECT count(*) FROM meta").fetchone()
            foreign = app_id != APPLICATION_ID and (app_id != 0 or tables - {"sqlite_sequence"})
            checked = None if foreign else check_on_open(path)
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise from_database_error(exc, where) from None
    except sqlite3.DatabaseError as exc:
        raise _corrupt(where, str(exc)) from None
    if checked is None:
        raise _foreign(where)
    if checked.problem is not None:
        raise _corrupt(where, checked.problem)
    return checked.thorough


def _check_sqlite(engine: Engine, where: str, *, in_memory: bool) -> str | None:
    """`_check_identity` and `current_revision` on SQLite, over one connection and without
    SQLAlchemy's reflection (a third of the time a study day's first card takes to open), and
    the journal in WAL mode: the schema revision the database is at (None: an empty one)."""
    with engine.connect() as conn:
        # on the driver's connection: through SQLAlchemy each statement cost ten times its run
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)

        def first(sql: str) -> Any:
            row = driver.execute(sql).fetchone()
            return None if row is None else row[0]

        mode = str(first("PRAGMA journal_mode")).lower()
        if mode != ("memory" if in_memory else "wal"):
            raise StoreError(
                f"{where}: cannot switch the database to WAL mode (journal mode {mode})"
            )
        tables = {
            str(name)
            for (name,) in driver.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            )
        }
        if not tables:
            return None
        if "meta" not in tables:
            raise _foreign(where)
        if first("SELECT value FROM meta WHERE key = 'app'") != APP_NAME:
            raise _foreign(where)
        if "alembic_version" not in tables:
            return None
        value = first("SELECT version_num FROM alembic_version")
    return None if value is None else str(value)


def _check_identity(engine: Engine, where: str) -> None:
    """A database with tables must have our `meta` table saying it is ours."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return
        if "meta" not in tables:
            raise _foreign(where)
        app = conn.execute(text("SELECT value FROM meta WHERE key = 'app'")).scalar()
    if app != APP_NAME:
        raise _foreign(where)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty one."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    where: str | None = None,
    script_location: Path | None = None,
    learner: str | None = None,
) -> None:
    """Run the migrations up to `revision` in one transaction (all of them, or none).
    `learner`: see `open_store`."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    from tutor.study.learner import default_learner

    where = where or describe_url(engine.url)
    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS))
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                if conn.dialect.name == "postgresql":  # tutors opening a new server database at
                    # once: one migrates, the others wait and find it done
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
                config.attributes["connection"] = conn
                config.attributes["learner"] = learner or default_learner()
                command.upgrade(config, revision)
    except CommandError as exc:
        found = current_revision(engine)
        raise StoreError(
            f"{where}: the database has schema version {found}, which this {APP_NAME} does not "
            f"know (newest known: {HEAD_REVISION}); it was probably written by a newer release"
        ) from exc


@contextmanager
def url_study_lock(url: str, learner: str | None = None) -> Iterator[None]:
    """The study lock (`tutor.store.lock.study_lock`) of `learner` (None: of the whole
    database) on any database URL. SQLite: `database_lock` on the file. PostgreSQL: a session
    advisory lock, keyed by the learner. Others: no lock."""
    sa_url = parse_url(url)
    where = describe_url(sa_url)
    path = sqlite_path(sa_url)
    if path is not None:
        with database_lock(path, where, learner):
            yield
    elif sa_url.get_backend_name() == "postgresql":
        with _advisory_lock(sa_url, where, learner):
            yield
    else:
        yield


@contextmanager
def _advisory_lock(url: URL, where: str, learner: str | None) -> Iterator[None]:
    """A session advisory lock on the pair (PG_LOCK_KEY, the learner's key): one tutor per
    learner, learners side by side (without a learner: the key 0)."""
    engine = create_engine(url, poolclass=NullPool)
    keys = {"key": PG_LOCK_KEY, "learner": learner_key(learner) if learner is not None else 0}
    try:
        with translating(where), engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key, :learner)"), keys)
            if not got.scalar():
                who = f" as learner '{learner}'" if learner is not None else ""
                raise StoreBusy(f"{where}: another tutor is studying{who} with this database")
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key, :learner)"), keys)
                conn.commit()
    finally:
        engine.dispose()
