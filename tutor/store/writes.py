"""Answering a card, written: the one set of SQL texts the writes of an answer run.

After every answer the learner waits for two transactions: the attempt with the unfinished
card's state after it (`queries.record_attempt`), then the review with its study day's totals,
the card's memory, the sitting's attempts attached to it and the progress row gone
(`queries.save_review`). Built as Core statements at each call (`insert(...).values(...)`,
`on_conflict_do_update`), most of an answer's time went to SQLAlchemy constructing them,
coercing their values and computing their cache keys, not to the database. These texts are
built once, at import, from the tables' columns (a column added to a model, with its revision,
is written here too), and each answer only binds its values.

One text serves SQLite and PostgreSQL alike: both understand `INSERT … ON CONFLICT (…) DO
UPDATE` with `excluded`, `RETURNING` (SQLite from 3.35) and `:name` parameters (sqlite3's own
named style, and SQLAlchemy's `text`). Every parameter is bound with the type of its column
(`models`), through the type's own bind processor for the connection's dialect: a value
reaches the database exactly as the ORM would have sent it, an instant through `UTCDateTime`
(naive UTC text on SQLite, an aware UTC datetime on PostgreSQL, refused when naive), a day as
ISO text and a boolean as 0/1 on SQLite. (`reads.Reads.instant` binds the same text by hand, as
the quick start has no SQLAlchemy; here the types themselves are at hand, and refuse a naive
instant as the ORM did.)

On SQLite a write runs on the session's own sqlite3 connection, inside its transaction (as
`queries.today_reads` does for today's reads): SQLAlchemy's execution of a ready text still
cost about three times what SQLite takes to do the write itself, eight times an answer. A failure is
raised as SQLAlchemy would have raised it (`IntegrityError`, `OperationalError`, …; a value
refused by its type as `StatementError`), so callers and `queries._guarded` see no difference.
Elsewhere (PostgreSQL), and whenever a listener watches the statements sent
(`before_cursor_execute`, `after_cursor_execute`: a test counting them, a tracer), the same
text runs through SQLAlchemy. tests/store/test_writes.py holds the rows written equal to the
rows the ORM writes, on both databases.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Column, Integer, Table, bindparam, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import TypeEngine

from tutor.store.engine import sqlite_driver
from tutor.store.models import AttemptRow, MemoryRow, ProgressRow, ReviewRow, StudyDayRow

ATTEMPT: Table = AttemptRow.__table__  # type: ignore[attr-defined]
REVIEW: Table = ReviewRow.__table__  # type: ignore[attr-defined]
MEMORY: Table = MemoryRow.__table__  # type: ignore[attr-defined]
PROGRESS: Table = ProgressRow.__table__  # type: ignore[attr-defined]
STUDY_DAY: Table = StudyDayRow.__table__  # type: ignore[attr-defined]

PARAMETER = re.compile(r"(?<![:\w]):(\w+)")
"""A `:name` parameter in a SQL text (not a `::` cast)."""

Process = Callable[[Any], Any] | None
"""A type's processor of a value for one dialect (None: the value is passed as it is)."""


class Direct(NamedTuple):
    """A sqlite3 connection in a write transaction of its own (`queries.writing`), and the
    dialect whose types bind the values written."""

    driver: sqlite3.Connection
    dialect: Dialect


class Write:
    """One write's SQL text, with the type of each of its parameters and the columns it gives
    back (`returns`), run on SQLite through the driver and elsewhere through SQLAlchemy."""

    def __init__(
        self,
        sql: str,
        table: Table,
        *,
        returns: Sequence[Column[Any]] = (),
        **types: TypeEngine[Any],
    ) -> None:
        """`sql`'s parameter `:name` is bound with the type of the column `name` of `table`, or
        with `types[name]`; the parameter `ids` stands for a list (`IN :ids`). A parameter of
        neither is a mistake of this module, refused at import: its values would reach the
        database as the driver adapts them, not as the store keeps them."""
        known = {column.name: column.type for column in table.columns} | types
        names = tuple(dict.fromkeys(PARAMETER.findall(sql)))
        untyped = [name for name in names if name not in known]
        if untyped:
            raise TypeError(f"parameters without a column type: {', '.join(untyped)}")
        self.sql = sql
        self.types = {name: known[name] for name in names}
        self.returns = tuple(returns)
        clause = text(sql).bindparams(
            *(bindparam(name, type_=known[name], expanding=name == "ids") for name in names)
        )
        self.statement: TextClause | TextualSelect = (
            clause.columns(*self.returns) if self.returns else clause
        )
        self._through_driver = "ids" not in names  # sqlite3 knows no list parameters
        self._processors: dict[type[Dialect], tuple[dict[str, Process], list[Process]]] = {}

    def run(
        self, connection: Connection | Direct, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """Run on `connection`, in its transaction, with a value in `params` for each parameter:
        the rows given back (none unless `returns`), each value read with its column's type."""
        if isinstance(connection, Direct):
            if not self._through_driver:
                raise TypeError("a list parameter needs a SQLAlchemy connection")
            driver, dialect = connection
        else:
            dialect = connection.dialect
            found = sqlite_driver(connection) if self._through_driver else None
            if found is None:
                result = connection.execute(self.statement, params)
                return [tuple(row) for row in result] if self.returns else []
            driver = found
        binds, reads = self._processors_for(dialect)
        try:
            values = {
                name: params[name] if process is None else process(params[name])
                for name, process in binds.items()
            }
            cursor = driver.execute(self.sql, values)
            rows = cursor.fetchall() if self.returns else []
            cursor.close()
        except Exception as failure:  # raised as SQLAlchemy raises it
            raise DBAPIError.instance(
                self.sql, dict(params), failure, dialect.loaded_dbapi.Error, dialect=dialect
            ) from failure
        return [
            tuple(
                value if read is None else read(value)
                for read, value in zip(reads, row, strict=True)
            )
            for row in rows
        ]

    def _processors_for(self, dialect: Dialect) -> tuple[dict[str, Process], list[Process]]:
        """The processors SQLAlchemy itself applies on `dialect`: of each parameter's value,
        by name, and of each column given back."""
        found = self._processors.get(type(dialect))
        if found is None:
            binds: dict[str, Process] = {
                name: type_.dialect_impl(dialect).bind_processor(dialect)
                for name, type_ in self.types.items()
            }
            reads: list[Process] = [
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in self.returns
            ]
            found = self._processors[type(dialect)] = (binds, reads)
        return found


def columns(table: Table, *, with_id: bool = True) -> tuple[Column[Any], ...]:
    """A table's columns in their order, without `id` unless `with_id` (a row whose id is not
    given yet leaves it to the database)."""
    return tuple(column for column in table.columns if with_id or column.name != "id")


def _insert(table: Table, into: Sequence[Column[Any]]) -> str:
    """An INSERT of one row of `table` into the columns `into`, each from its parameter."""
    names = ", ".join(column.name for column in into)
    marks = ", ".join(f":{column.name}" for column in into)
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks})"


def _upsert(table: Table, key: Sequence[str]) -> Write:
    """Insert one row of `table`, or, when a row has its `key` already, set every other
    column of that row to the values given: the row afterwards is the one given, either way."""
    into = columns(table)
    kept = ", ".join(f"{c.name} = excluded.{c.name}" for c in into if c.name not in key)
    return Write(
        f"{_insert(table, into)} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {kept}", table
    )


# -- the attempt -------------------------------------------------------------------------------

INSERT_ATTEMPT = Write(_insert(ATTEMPT, columns(ATTEMPT, with_id=False)), ATTEMPT)
"""A new attempt, its id left to the database."""

INSERT_ATTEMPT_WITH_ID = Write(_insert(ATTEMPT, columns(ATTEMPT)), ATTEMPT)
"""An attempt whose id is given."""

INSERT_ATTEMPT_RETURNING_ID = Write(
    f"{_insert(ATTEMPT, columns(ATTEMPT, with_id=False))} RETURNING id",
    ATTEMPT,
    returns=[ATTEMPT.c.id],
)
"""A new attempt, giving back the id the database chose."""

ATTACH_PENDING_ATTEMPTS = Write(
    "UPDATE attempt SET review_id = :review_id "
    "WHERE learner = :learner AND card_id = :card_id AND review_id IS NULL",
    ATTEMPT,
)
"""The attempts at a card not yet part of a review made part of `:review_id`."""

ATTACH_ATTEMPTS = Write(
    "UPDATE attempt SET review_id = :review_id "
    "WHERE learner = :learner AND card_id = :card_id AND id IN :ids",
    ATTEMPT,
    ids=ATTEMPT.c.id.type,
)
"""The attempts `:ids` (a non-empty list) at a card made part of `:review_id`."""

ATTACH_ATTEMPTS_AND_PENDING = Write(
    "UPDATE attempt SET review_id = :review_id "
    "WHERE learner = :learner AND card_id = :card_id AND (review_id IS NULL OR id IN :ids)",
    ATTEMPT,
    ids=ATTEMPT.c.id.type,
)
"""The attempts `:ids` (a non-empty list) and those not yet part of a review, at a card, made
part of `:review_id`."""


# -- the unfinished card -----------------------------------------------------------------------

UPSERT_PROGRESS = _upsert(PROGRESS, ["learner"])
"""The learner's unfinished card replaced (there is at most one row a learner)."""

DELETE_PROGRESS = Write("DELETE FROM progress WHERE learner = :learner", PROGRESS)
"""The learner's unfinished card gone."""


# -- the review --------------------------------------------------------------------------------

PRIOR_MEMORY = Write(
    f"SELECT {', '.join(c.name for c in columns(MEMORY))} FROM memory "
    "WHERE learner = :learner AND card_id = :card_id",
    MEMORY,
    returns=columns(MEMORY),
)
"""A card's memory row, every column read with its type (what `undo_review` puts back)."""

_SEEN = "EXISTS (SELECT 1 FROM review WHERE learner = :learner AND card_id = :card_id)"

COUNT_REVIEW = Write(
    "INSERT INTO study_day (learner, day, reviews, successes, repeat_reviews, repeat_successes) "
    f"VALUES (:learner, :day, 1, :success, CASE WHEN {_SEEN} THEN 1 ELSE 0 END, "
    f"CASE WHEN {_SEEN} THEN :success ELSE 0 END) "
    "ON CONFLICT (learner, day) DO UPDATE SET "
    "reviews = study_day.reviews + excluded.reviews, "
    "successes = study_day.successes + excluded.successes, "
    "repeat_reviews = study_day.repeat_reviews + excluded.repeat_reviews, "
    "repeat_successes = study_day.repeat_successes + excluded.repeat_successes",
    STUDY_DAY,
    card_id=REVIEW.c.card_id.type,
    success=Integer(),
)
"""A review of `:card_id` counted in its study day: one review, `:success` (0 or 1) a success,
and a repeat when the card has a review already (what a separate look-up told before). Run
before the review is inserted, so that the card's first review does not count itself."""

INSERT_REVIEW = Write(
    f"{_insert(REVIEW, columns(REVIEW, with_id=False))} RETURNING id",
    REVIEW,
    returns=[REVIEW.c.id],
)
"""A new review, giving back the id the database chose."""

INSERT_REVIEW_WITH_ID = Write(
    f"{_insert(REVIEW, columns(REVIEW))} RETURNING id", REVIEW, returns=[REVIEW.c.id]
)
"""A review whose id is given, giving it back."""

UPSERT_MEMORY = _upsert(MEMORY, ["learner", "card_id"])
"""A card's memory state replaced, or its first one inserted."""
