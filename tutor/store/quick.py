"""`tutor stats`, and the first card of the terminal UI, without SQLAlchemy: read straight from a
SQLite file with the standard library's sqlite3, read-only.

Importing SQLAlchemy and SQLModel costs more than half a second on a slow machine, ten times what
the figures themselves take. This path is used only when everything is as the full store would
leave it: a SQLite file of this program at the newest schema, whose deck set is the one synced
last, and that knows the learner. Anything else (no file yet, an older schema, changed decks, a
new learner, a corrupt or foreign file, a server database) returns None, and the caller opens the
store the normal way, which upgrades, syncs, registers or reports the problem in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from tutor.store.identity import APPLICATION_ID, HEAD_REVISION, META_DECK_FILES
from tutor.store.reads import CardPlace, Reads, instant, stored_instant
from tutor.store.rows import (
    META_CARD_ORDER,
    META_DECK_SET_HASH,
    ORDER_KEPT_SQL,
    MemoryState,
    QueueData,
    SavedProgress,
    in_scope,
)
from tutor.study.proof import PROOF_CARD_PREFIX
from tutor.study.stats import LastFit, Stats
from tutor.study.streaks import streak

T = TypeVar("T")


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///path` URL (None for any other database or form of URL)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = unquote(url[len(prefix) :])
    return Path(path) if path and path != ":memory:" else None


def quick_stats(
    url: str,
    *,
    fingerprint: str,
    learner: str,
    today: date,
    end_of_today: datetime,
    paths: Sequence[str] | None = None,
) -> Stats | None:
    """The figures of `tutor stats` (the cards of the deck files `paths`, None: all), or None
    when the full store must be opened instead."""
    reader = QuickReader.open(url, fingerprint, learner)
    if reader is None:
        return None
    with reader:
        return reader.guarded(lambda db: _stats(db, learner, today, end_of_today, paths))


class QuickReader:
    """A read-only sqlite3 connection to a database as the full store would leave it: this
    program's file, at the newest schema, synced with the deck set of `fingerprint`, read for
    one learner. Every read returns the shapes the store's queries return for that learner
    (tests hold them equal)."""

    def __init__(self, connection: sqlite3.Connection, learner: str) -> None:
        self.db = connection
        self.learner = learner
        self.reads = Reads(connection.execute, learner, sqlite=True)
        """Today's card, read with the store's own SQL texts."""

    @classmethod
    def open(cls, url: str, fingerprint: str, learner: str) -> QuickReader | None:
        """A reader, or None when the full store must be opened instead (a learner it does
        not know yet included: the store registers them)."""
        path = sqlite_file(url)
        if path is None or not path.is_file():
            return None
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        reader = cls(connection, learner)
        if not reader.guarded(lambda db: _synced(db, fingerprint, learner)):
            connection.close()
            return None
        return reader

    def __enter__(self) -> QuickReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def guarded(self, read: Callable[[sqlite3.Connection], T]) -> T | None:
        """The result of `read`, or None if the file could not be read as expected."""
        try:
            return read(self.db)
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def queue(
        self, today: date, end_of_today: datetime, paths: Sequence[str] | None = None
    ) -> QueueData:
        """What `queries.queue_data` returns (the same SQL: `tutor.store.reads`)."""
        return self.reads.queue(today, end_of_today, paths)

    def card(self, card_id: str) -> CardPlace | None:
        """Where a card is, as the last sync stored it (None: not in the database)."""
        return self.reads.card(card_id)

    def memory(self, card_id: str) -> MemoryState | None:
        return self.reads.memory(card_id)

    def notes(self, card_id: str) -> list[tuple[int, str, datetime]]:
        """The notes on a card that are not resolved, newest first: (id, text, written at)."""
        return self.reads.notes(card_id)

    def progress(self) -> SavedProgress | None:
        return self.reads.progress()

    def reviews_total(self) -> int:
        (total,) = self.db.execute(
            "SELECT coalesce(sum(reviews), 0) FROM study_day WHERE learner = ?", (self.learner,)
        ).fetchone()
        return int(total)

    def fit_facts(self, today: date) -> tuple[int, int, int | None]:
        """What deciding on a fit of the scheduler reads: the reviews in all, those of study
        days from `today` on, and the reviews of the newest fit (None: never fitted)."""
        reviews, reviews_today = self.db.execute(
            "SELECT coalesce(sum(reviews), 0), coalesce(sum(CASE WHEN day >= ? THEN reviews "
            "END), 0) FROM study_day WHERE learner = ?",
            (today.isoformat(), self.learner),
        ).fetchone()
        last = self.db.execute(
            "SELECT reviews FROM scheduler_fit WHERE learner = ? ORDER BY id DESC LIMIT 1",
            (self.learner,),
        ).fetchone()
        return int(reviews), int(reviews_today), None if last is None else int(last[0])


def _synced(db: sqlite3.Connection, fingerprint: str, learner: str) -> bool:
    (app_id,) = db.execute("PRAGMA application_id").fetchone()
    if app_id != APPLICATION_ID:
        return False
    (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    synced = db.execute("SELECT value FROM meta WHERE key = ?", (META_DECK_FILES,)).fetchone()
    # and the order new cards follow was stored by that sync (not by an earlier release's)
    found = db.execute(
        ORDER_KEPT_SQL.format(nl=":nl", order_key=":order_key", set_key=":set_key"),
        {"nl": "\n", "order_key": META_CARD_ORDER, "set_key": META_DECK_SET_HASH},
    ).fetchone()
    kept = found is not None and bool(found[0])
    if revision != HEAD_REVISION or synced is None or synced[0] != fingerprint or not kept:
        return False
    return db.execute("SELECT 1 FROM learner WHERE name = ?", (learner,)).fetchone() is not None


def _stats(
    db: sqlite3.Connection,
    learner: str,
    today: date,
    end_of_today: datetime,
    paths: Sequence[str] | None,
) -> Stats:
    whole = f"c.id LIKE '{PROOF_CARD_PREFIX}%'"  # whole-proof cards, counted apart
    scope, params = in_scope("c.path", paths)
    total, retired = db.execute(
        f"SELECT count(*), coalesce(sum(retired), 0) FROM card c WHERE NOT {whole}{scope}", params
    ).fetchone()
    end = stored_instant(end_of_today)
    seen, due_today, next_due = db.execute(
        "SELECT count(*), coalesce(sum(m.due <= :end), 0), min(m.due) FROM memory m "
        "JOIN card c ON c.id = m.card_id WHERE m.learner = :learner AND NOT c.retired "
        f"AND NOT {whole}{scope}",
        {"end": end, "learner": learner, **params},
    ).fetchone()
    proofs, rebuilt, proofs_due, proof_next = db.execute(
        "SELECT count(*), coalesce(sum(m.reconstructed), 0), coalesce(sum(m.due <= :end), 0), "
        "min(m.due) FROM card c LEFT JOIN memory m ON m.card_id = c.id AND m.learner = :learner "
        f"WHERE NOT c.retired AND {whole}{scope}",
        {"end": end, "learner": learner, **params},
    ).fetchone()
    if proof_next is not None and (next_due is None or proof_next < next_due):
        next_due = proof_next
    reviews, repeats, repeat_successes = db.execute(
        "SELECT coalesce(sum(reviews), 0), coalesce(sum(repeat_reviews), 0), "
        "coalesce(sum(repeat_successes), 0) FROM study_day WHERE learner = ?",
        (learner,),
    ).fetchone()
    row = db.execute(
        "SELECT reviews FROM study_day WHERE learner = ? AND day = ?", (learner, today.isoformat())
    ).fetchone()
    days = db.execute(
        "SELECT day, successes FROM study_day WHERE learner = ? ORDER BY day", (learner,)
    ).fetchall()
    active = total - retired
    return Stats(
        streak=streak([date.fromisoformat(day) for day, ok in days if ok > 0], today),
        reviews_total=reviews,
        reviews_today=row[0] if row is not None else 0,
        cards_total=active,
        cards_new=active - seen,
        cards_review=seen,
        due_today=due_today,
        retired=retired,
        retention=repeat_successes / repeats if repeats else None,
        next_due=instant(next_due) if next_due else None,
        last_fit=_last_fit(db, learner),
        proofs_total=proofs,
        proofs_rebuilt=rebuilt,
        proofs_due_today=proofs_due,
    )


def _last_fit(db: sqlite3.Connection, learner: str) -> LastFit | None:
    """What `Desk.last_fit` returns: the newest fit of the scheduler's parameters."""
    row = db.execute(
        "SELECT fitted_at, reviews, heldout, default_loss, fitted_loss, kept "
        "FROM scheduler_fit WHERE learner = ? ORDER BY id DESC LIMIT 1",
        (learner,),
    ).fetchone()
    if row is None:
        return None
    fitted_at, reviews, heldout, default_loss, fitted_loss, kept = row
    return LastFit(
        instant(fitted_at), reviews, heldout, float(default_loss), float(fitted_loss), bool(kept)
    )
