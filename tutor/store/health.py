"""The store's checks of itself: the check of every open, and the full one of `tutor doctor`.

Measured on the file `bench/scale.py` builds (10,000 cards, 1,000,000 reviews, 180 MiB; its
output has the figures of the machine it runs on):

    the check of an open of a sealed file (below): stats, the seal     ~0.05 ms
    the light check (below)                                         ~50 ms
    PRAGMA quick_check: every page of every table and index        ~350 ms
    PRAGMA integrity_check: that, and every index entry's row      ~1.9 s
    PRAGMA foreign_key_check                                       ~0.25 s

When they run:

- **Every open**, before anything is written (`engine.open_store`, and the quick start of the
  terminal UI and of plain mode before a card is shown), `check_on_open`:
  - a file that its seal (`tutor.store.seal`, the file `<database>.seal` beside it) matches
    exactly is not read at all: its stat and its WAL's (device, inode, size, modification and
    change times) are those it had when a check of an open last passed on it, or when this
    program's own writes to it, after an open that found it sound, ended;
  - any other file (no seal, one that does not match, an unreadable or malformed one, another
    file at the path) gets the check: a file of up to `FULL_CHECK_BYTES` the whole
    `quick_check` (32 MiB, about 60 ms at the rate above: decades of daily study); a bigger
    file the light check: `quick_check` of every table but the two logs that only grow
    (`review`, `attempt`), whose pages are walked instead, with `cell_size_check` on, through
    the table and each of its indexes; that finds a page overwritten with zeros or garbage, not
    one edited subtly. A file that passes is sealed, if it did not change during the check.
- **When the store's engine is disposed** (the end of a run, `Desk.close`), the file that
  passed its check on opening is sealed as this program's writes left it (SQLite wrote it,
  from a file known sound). Not a file put at the path since, nor a new one (its first open
  checks it, small as it is).
- **Once a study day**, before its first write, a file whose check on opening did not read
  every page (the light check, or none: it was sealed) gets the whole `quick_check`, just
  before the day's backup, which reads every page anyway (`backup.DailyBackup`).
- **`tutor doctor`**: `integrity_check`, the foreign keys, who the file belongs to and its
  schema revision. It does not read or write seals.

Why a sealed file need not be read: whatever damages a file through the file system (a sync
tool or another program writing into it, a copy or an older version put in its place, a
truncation) changes its stat: every write moves the change time, which no program can set back
(`os.utime` moves it to now), and another file has another inode; the seal is only written when
a change in the same tick of the file system's clock cannot go unseen (`tutor.store.seal`).
This holds for every table alike, so a seal skips the `quick_check` of the other tables too,
not only the walk of the logs. What a seal cannot see: bytes that change beneath the file
system (a disk returning other bytes than were written, without an error), a program writing
into the file while this one has it open (the seal made at the end covers its write), and a seal
forged by someone who can write the folder (who could as well write a page the light check
passes). Those are found by SQLite when it reads a damaged page (the store then fails in one
line, writing nothing more), and by the whole `quick_check` before the next study day's first
write, before any backup is made of the file.

A file that fails is never written to: the store refuses it with one line (`errors.corrupt`).
Only the standard library is used here (sqlite3, and the seal's JSON), and every connection is
read-only: the file is read as immutable when no WAL is beside it, else read-only through its
WAL. The seal (and a temporary file beside it, removed again) is the only thing written.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tutor.store import seal
from tutor.store.identity import APP_NAME, APPLICATION_ID, HEAD_REVISION

FULL_CHECK_BYTES = 32 * 2**20
"""Files up to this size get the whole `quick_check` on an open that checks (one not sealed);
bigger ones the light one."""

LOGS = ("review", "attempt")
"""The tables that only grow: in the light check their pages are walked, not quick-checked."""

SQLITE_MAGIC = b"SQLite format 3\x00"
VERSIONS = Path(__file__).parent / "migrations" / "versions"

Progress = Callable[[str, float], None]
"""Told what `doctor` is doing and for how many seconds it has done it."""


@dataclass(frozen=True)
class QuickCheck:
    """What the check of an open found."""

    thorough: bool
    """Every page of every table and index was checked (`PRAGMA quick_check`), not only the
    light check's share."""
    problem: str | None = None
    """The first problem found, in one line; None: sound."""
    sealed: bool = False
    """Nothing was read: the file is exactly as its seal says this program last knew it sound
    (`tutor.store.seal`)."""


def read_only(path: Path) -> sqlite3.Connection:
    """A connection to the SQLite file at `path` that cannot write a byte: with no WAL beside
    it the file is the whole database and is read as immutable (no -wal or -shm is made), else
    read-only through its WAL."""
    wal = path.with_name(path.name + "-wal")
    access = "mode=ro" if wal.exists() else "immutable=1"
    return sqlite3.connect(f"file:{quote(str(path))}?{access}", uri=True)


def quick_check(con: sqlite3.Connection, size: int) -> QuickCheck:
    """The check of every open, on a file of `size` bytes (see the module's docstring). Raises
    sqlite3.DatabaseError when SQLite finds the file malformed on the way."""
    if size <= FULL_CHECK_BYTES:
        return QuickCheck(True, _first_problem(con.execute("PRAGMA quick_check(1)").fetchall()))
    return QuickCheck(False, _light_check(con))


def _light_check(con: sqlite3.Connection) -> str | None:
    con.execute("PRAGMA cell_size_check = ON")  # every page read is checked cell by cell
    tables = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        if table not in LOGS:
            rows = con.execute(f"PRAGMA quick_check({_quoted(table)})").fetchall()
            if (problem := _first_problem(rows)) is not None:
                return problem
    for table in LOGS:
        if table not in tables:
            continue
        # count(*) visits every page of the b-tree it counts: the table's, then each index's
        con.execute(f"SELECT count(*) FROM {_quoted(table)} NOT INDEXED").fetchone()
        indexes = con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
        ).fetchall()
        for (index,) in indexes:
            try:
                con.execute(
                    f"SELECT count(*) FROM {_quoted(table)} INDEXED BY {_quoted(index)}"
                ).fetchone()
            except sqlite3.OperationalError as exc:  # a partial index cannot count every row
                if "no query solution" not in str(exc):
                    raise
    return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_problem(rows: list[tuple[str]]) -> str | None:
    """The first problem an integrity or quick check reported, in one line (None: "ok")."""
    problems = _problems(rows)
    return problems[0] if problems else None


def _problems(rows: list[tuple[str]]) -> list[str]:
    lines = [line.strip() for (text,) in rows for line in str(text).splitlines()]
    return [
        _short(line)
        for line in lines
        if line and line != "ok" and not (line.startswith("***") and line.endswith("***"))
    ]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_on_open(path: Path) -> QuickCheck:
    """The check of an open of the SQLite file at `path` (see the module's docstring): none
    when its seal matches it, else `quick_check`, and the file sealed if it passes. Raises
    sqlite3.DatabaseError when SQLite finds the file malformed on the way (or no file)."""
    if seal.matching(path) is not None:
        return QuickCheck(thorough=False, sealed=True)
    with seal.sealing(path) as sealing:  # a time stamp and the file's stat, before any read
        con = read_only(path)
        try:
            checked = quick_check(con, sealing.size)
        finally:
            con.close()
        if checked.problem is None:
            sealing.seal("whole" if checked.thorough else "light")
    return checked


def file_problem(path: Path) -> str | None:
    """What the check of an open finds in the SQLite file at `path` (None: sound, or no file
    yet). Reads only (but for the file's seal)."""
    try:
        if path.stat().st_size == 0:
            return None
        return check_on_open(path).problem
    except sqlite3.DatabaseError as exc:
        return _short(str(exc))
    except OSError as exc:
        return _short(exc.strerror or str(exc))


def whole_file_problem(path: Path) -> str | None:
    """What `PRAGMA quick_check` finds in every page of the file at `path` (None: sound)."""
    try:
        con = read_only(path)
        try:
            return _first_problem(con.execute("PRAGMA quick_check(1)").fetchall())
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return _short(str(exc))


def passes_on_open(url: str) -> bool:
    """Whether the database at `url` passes the check of an open: for a reader that writes
    nothing, to leave a file that fails to the store, which refuses it in one line. Another
    kind of database, or no file yet, passes (the store opens those as ever)."""
    from tutor.store.quick import sqlite_file

    path = sqlite_file(url)
    if path is None or not path.is_file():
        return True
    return file_problem(path) is None


# -- tutor doctor ------------------------------------------------------------------------------


@dataclass
class Report:
    """What `tutor doctor` found: a one-line verdict, and the problems behind it."""

    where: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Things worth saying that are not problems (an older schema, upgraded at the next study)."""
    checked: str = ""
    """What was checked, for the verdict of a sound database."""
    seconds: float = 0.0
    advice: str = "'tutor restore' lists the backups to go back to"
    """What to do about a problem, for the verdict."""

    @property
    def sound(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        notes = "".join(f"; {note}" for note in self.notes)
        if self.sound:
            return f"{self.where}: sound: {self.checked} in {self.seconds:.1f} s{notes}"
        more = len(self.problems) - 1
        also = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        return (
            f"{self.where}: not sound: {self.problems[0]}{also}; it was left untouched: "
            f"{self.advice}"
        )


def known_revisions() -> set[str]:
    """The schema revisions of `migrations/versions` (their files begin with the revision)."""
    return {path.name.partition("_")[0] for path in VERSIONS.glob("[0-9]*_*.py")}


def doctor(path: Path, *, progress: Progress | None = None) -> Report:
    """The full check of the SQLite file at `path`. Writes nothing."""
    started = time.monotonic()
    report = Report(str(path))
    _doctor(path, report, progress or (lambda _step, _seconds: None))
    report.seconds = time.monotonic() - started
    return report


def _doctor(path: Path, report: Report, progress: Progress) -> None:
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        report.checked = "no database yet (it is made when you first study)"
        return
    if not path.is_file():
        report.problems.append("not a database file")
        return
    size = path.stat().st_size
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        report.problems.append(f"cannot read the file: {exc.strerror or exc}")
        return
    if not header.startswith(SQLITE_MAGIC):
        report.problems.append("not an SQLite file (or its first page is destroyed)")
        return
    if len(header) < 100:
        report.problems.append("the database file is corrupt (truncated header)")
        return
    try:
        con = read_only(path)
    except sqlite3.Error as exc:
        report.problems.append(f"cannot open the file: {_short(str(exc))}")
        return
    try:
        _doctor_sqlite(con, size, report, progress)
    finally:
        con.close()


def _doctor_sqlite(con: sqlite3.Connection, size: int, report: Report, progress: Progress) -> None:
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"the database file is corrupt ({_short(str(exc))})")
        return
    if app_id != APPLICATION_ID and (app_id != 0 or tables - {"sqlite_sequence"}):
        report.problems.append(f"not a {APP_NAME} database (it belongs to another program)")
        report.advice = "choose another file with --db"
        return

    step = f"checking every page and index ({size / 2**20:.0f} MiB)"
    with _ticking(con, step, progress):
        try:
            rows = con.execute("PRAGMA integrity_check(20)").fetchall()
            report.problems += [f"the database file is corrupt: {p}" for p in _problems(rows)]
        except sqlite3.DatabaseError as exc:
            report.problems.append(f"the database file is corrupt ({_short(str(exc))})")
    with _ticking(con, "checking the foreign keys", progress):
        try:
            missing: dict[tuple[str, str], int] = {}
            for table, _rowid, parent, _fk in con.execute("PRAGMA foreign_key_check"):
                missing[table, parent] = missing.get((table, parent), 0) + 1
            report.problems += [
                f"{count} row{'s' if count != 1 else ''} of {table} "
                f"refer{'s' if count == 1 else ''} to missing rows of {parent}"
                for (table, parent), count in sorted(missing.items())
            ]
        except sqlite3.DatabaseError as exc:
            report.problems.append(f"the foreign keys cannot be checked ({_short(str(exc))})")
    if not tables - {"sqlite_sequence"}:
        report.checked = "an empty database, every page checked"
        return
    progress("checking its identity and schema", 0.0)
    revision = _identity_and_schema(con, tables, report)
    report.checked = (
        "every page and index, the foreign keys, its identity and schema "
        f"{revision or '(none)'} checked"
    )


def _identity_and_schema(con: sqlite3.Connection, tables: set[str], report: Report) -> str | None:
    try:
        app = None
        if "meta" in tables:
            row = con.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
            app = row[0] if row is not None else None
        if app != APP_NAME:
            report.problems.append(f"its meta table does not say it is a {APP_NAME} database")
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"its identity cannot be read ({_short(str(exc))})")
        return None
    if revision is None:
        report.problems.append("it has no schema revision (alembic_version is empty)")
    elif revision not in known_revisions():
        report.problems.append(
            f"schema version {revision} is unknown to this {APP_NAME} (newest known: "
            f"{HEAD_REVISION}); it was probably written by a newer release"
        )
    elif revision != HEAD_REVISION:
        report.notes.append(f"schema {revision} is upgraded to {HEAD_REVISION} when you next study")
    return revision


class _ticking:
    """While a step runs: tell `progress` at its start, then every fifth of a second or so
    (from SQLite's progress handler, which it calls every so many steps of its machine)."""

    def __init__(self, con: sqlite3.Connection, step: str, progress: Progress) -> None:
        self.con, self.step, self.progress = con, step, progress

    def __enter__(self) -> None:
        self.started = self.last = time.monotonic()
        self.progress(self.step, 0.0)
        self.con.set_progress_handler(self._tick, 100_000)

    def _tick(self) -> int:
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            self.progress(self.step, now - self.started)
        return 0  # go on

    def __exit__(self, *exc: object) -> None:
        self.con.set_progress_handler(None, 0)


def doctor_url(url: str, *, progress: Progress | None = None) -> Report:
    """`doctor` for the database at `url`: the full check of a SQLite file; of a server's
    database, who it belongs to and its schema (the server checks its own storage)."""
    from tutor.store.quick import sqlite_file

    path = sqlite_file(url)
    if path is None:
        from tutor.store.engine import parse_url, sqlite_path

        sa_url = parse_url(url)
        path = sqlite_path(sa_url)
        if path is None:
            return _doctor_server(url)
    return doctor(path.expanduser().absolute(), progress=progress)


def _doctor_server(url: str) -> Report:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.pool import NullPool

    from tutor.store.engine import parse_url
    from tutor.store.errors import describe_url, translating

    sa_url = parse_url(url)
    report = Report(describe_url(sa_url), advice="the server's own backups go back to one")
    if sa_url.get_backend_name() == "sqlite":
        report.checked = "an in-memory database, nothing kept to check"
        return report
    started = time.monotonic()
    engine = create_engine(sa_url, poolclass=NullPool)
    try:
        with translating(report.where), engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            app = revision = None
            if "meta" in tables:
                app = conn.execute(text("SELECT value FROM meta WHERE key = 'app'")).scalar()
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    if not tables:
        report.checked = "an empty database"
    elif app != APP_NAME:
        report.problems.append(f"not a {APP_NAME} database (it belongs to another program)")
        report.advice = "choose another database with --db"
    elif revision is None or str(revision) not in known_revisions():
        report.problems.append(
            f"schema version {revision} is unknown to this {APP_NAME} (newest known: "
            f"{HEAD_REVISION})"
        )
    else:
        if str(revision) != HEAD_REVISION:
            report.notes.append(
                f"schema {revision} is upgraded to {HEAD_REVISION} when you next study"
            )
        report.checked = (
            f"its identity and schema {revision} checked (the server checks its own storage "
            "and keeps the foreign keys: PostgreSQL's amcheck, and pg_dump for backups)"
        )
    report.seconds = time.monotonic() - started
    return report
