"""`tutor stats` without SQLAlchemy: read the figures straight from a SQLite file with the
standard library's sqlite3, read-only.

Importing SQLAlchemy and SQLModel costs more than half a second on a slow machine, ten times what
the figures themselves take. This path is used only when everything is as the full store would
leave it: a SQLite file of this program at the newest schema, whose deck set is the one synced
last. Anything else (no file yet, an older schema, changed decks, a corrupt or foreign file, a
server database) returns None, and the caller opens the store the normal way, which upgrades,
syncs or reports the problem in its one-line message.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote

from tutor.store.identity import APPLICATION_ID, HEAD_REVISION, META_DECK_FILES
from tutor.study.stats import Stats
from tutor.study.streaks import streak

_STORED = "%Y-%m-%d %H:%M:%S.%f"  # how the store keeps datetimes in SQLite (naive UTC)


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///path` URL (None for any other database or form of URL)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = unquote(url[len(prefix) :])
    return Path(path) if path and path != ":memory:" else None


def quick_stats(url: str, *, fingerprint: str, today: date, end_of_today: datetime) -> Stats | None:
    """The figures of `tutor stats`, or None when the full store must be opened instead."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, fingerprint, today, end_of_today)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        connection.close()


def _read(
    db: sqlite3.Connection, fingerprint: str, today: date, end_of_today: datetime
) -> Stats | None:
    (app_id,) = db.execute("PRAGMA application_id").fetchone()
    if app_id != APPLICATION_ID:
        return None
    (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    synced = db.execute("SELECT value FROM meta WHERE key = ?", (META_DECK_FILES,)).fetchone()
    if revision != HEAD_REVISION or synced is None or synced[0] != fingerprint:
        return None
    total, retired = db.execute("SELECT count(*), coalesce(sum(retired), 0) FROM card").fetchone()
    end = end_of_today.astimezone(UTC).strftime(_STORED)
    seen, due_today, next_due = db.execute(
        "SELECT count(*), coalesce(sum(m.due <= ?), 0), min(m.due) FROM memory m "
        "JOIN card c ON c.id = m.card_id WHERE NOT c.retired",
        (end,),
    ).fetchone()
    reviews, repeats, repeat_successes = db.execute(
        "SELECT coalesce(sum(reviews), 0), coalesce(sum(repeat_reviews), 0), "
        "coalesce(sum(repeat_successes), 0) FROM study_day"
    ).fetchone()
    row = db.execute("SELECT reviews FROM study_day WHERE day = ?", (today.isoformat(),)).fetchone()
    days = db.execute("SELECT day, successes FROM study_day ORDER BY day").fetchall()
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
        next_due=datetime.fromisoformat(next_due).replace(tzinfo=UTC) if next_due else None,
    )
