"""Where one learner's progress lives: the store, its sessions and the study lock.

The learner is named here and only here: every session a `Place` opens is that learner's
(`queries.learner_session`), and the store's queries take the learner from the session, so no
other part of the desk passes a learner around.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from tutor.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from tutor.store.queries import HeldConnection
    from tutor.store.quick import QuickReader

# SQLAlchemy and SQLModel take half a second to import here: the store's modules are imported
# when first used (`load_store`), so that a start-up on the quick path shows the card first and
# loads them after, in a thread.

_LOADING = threading.Lock()
_loaded = False  # set once the store's modules are imported: the check is then one read


def load_store() -> None:
    """Import the store's modules, one thread at a time. A thread warming the store up behind
    the first card and the main thread importing them at once can meet inside SQLAlchemy's own
    import cycle ("partially initialized module"): every first use of the store comes here.
    Once they are in, a flag says so: it is asked several times a card."""
    global _loaded
    if _loaded:
        return
    with _LOADING:
        import tutor.store.backup
        import tutor.store.engine
        import tutor.store.queries  # noqa: F401

        _loaded = True


class Place:
    """One learner's database: opened on first use, read and written a session at a time."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None = None,
        *,
        today: Callable[[], date],
        notices: list[str],
    ) -> None:
        """`today`: the study day (the first write of each is preceded by a backup);
        `notices`: where one-line messages for the learner are gathered."""
        self.settings = settings
        self.learner = settings.learner
        """Whose progress this place reads and writes."""
        self._engine = engine
        self._engine_lock = threading.Lock()
        self._today = today
        self._notices = notices
        self._passes_on_open: bool | None = None
        self._held: HeldConnection | None = None

    @property
    def engine(self) -> Engine:
        """The store, opened on first use (safe to call from a thread that warms it up). Before
        its first write of a study day, a SQLite file is backed up (`tutor.store.backup`)."""
        load_store()
        with self._engine_lock:
            if self._engine is None:
                from tutor.store.backup import DailyBackup
                from tutor.store.engine import open_store

                self._missing_with_backups()
                daily = DailyBackup(self.settings.home, self._today(), self._notices)
                self._engine = open_store(
                    self.settings.db_url, before_write=daily, learner=self.learner
                )
            return self._engine

    def _missing_with_backups(self) -> None:
        """A SQLite file that is gone (deleted, moved) while its backups are there: opening
        makes a new, empty database, and the learner is told where the old one can be had
        back (`tutor restore`), rather than finding their history gone without a word."""
        from tutor.store.backup import list_backups
        from tutor.store.quick import sqlite_file

        path = sqlite_file(self.settings.db_url)
        if path is None or path.exists():
            return
        backups = list_backups(path, self.settings.home)
        if backups:
            self._notices.append(
                f"there was no database at {path}, so a new, empty one was made; it has "
                f"backups (the newest of {backups[0].day.isoformat()}): 'tutor restore' "
                "lists them and brings one back"
            )

    @property
    def opened(self) -> bool:
        """The store was opened (by a first use, or a thread that warmed it up)."""
        return self._engine is not None

    def load(self) -> None:
        """The store's modules imported (`load_store`), the store itself not opened."""
        load_store()

    def session(self) -> Session:
        """A session for one unit of work of this place's learner."""
        load_store()
        from tutor.store.queries import learner_session

        return learner_session(self.engine, self.learner)

    @contextmanager
    def studying(self) -> Iterator[None]:
        """Held while studying: a second tutor of the same learner on the same database is
        refused (StoreBusy); other learners study at the same time."""
        from tutor.store.lock import study_lock  # light: the quick start takes the lock too

        with study_lock(self.settings.db_url, self.learner):
            yield

    @property
    def held(self) -> HeldConnection:
        """The connection kept for the learner's answers (`queries.HeldConnection`)."""
        engine = self.engine
        if self._held is None:
            from tutor.store.queries import HeldConnection

            self._held = HeldConnection(engine)
        return self._held

    def close(self) -> None:
        if self._held is not None:
            self._held.close()
        if self._engine is not None:
            self._engine.dispose()

    def passes_on_open(self) -> bool:
        """The database passes the check a SQLite file gets on opening (`tutor.store.health`),
        or is not a SQLite file: read once a run (at ten thousand cards the check reads tens
        of megabytes), so a front end that asks before the quick start does not pay twice."""
        if self._passes_on_open is None:
            from tutor.store.health import passes_on_open

            self._passes_on_open = passes_on_open(self.settings.db_url)
        return self._passes_on_open

    def quick_reader(self, fingerprint: str) -> QuickReader | None:
        """The database read with sqlite3 alone, when it is a SQLite file synced with the deck
        set of `fingerprint` that knows the learner (None: the store must be opened)."""
        from tutor.store.quick import QuickReader

        return QuickReader.open(self.settings.db_url, fingerprint, self.learner)
