"""sqlmodel tables, the queries the domain needs, engine set-up and migrations.

- `models`: the tables (`CardRow`, `MemoryRow`, `ReviewRow`, `AttemptRow`, `NoteRow`,
  `ProgressRow`, `MetaRow`); every datetime is timezone-aware UTC.
- `engine`: `open_store(url)` (create or upgrade, WAL, refuse foreign or corrupt files),
  `study_lock(url)` (one studying tutor per database), `upgrade`, `current_revision`.
- `queries`: functions taking a keyword-only `session`: deck sync, saving a review in one
  transaction, progress of the unfinished card, notes, memory states, stats counts.
- `errors`: `StoreError` and `StoreBusy`, one-line messages naming the database.
- `migrations/`: the alembic revisions, run from code (no alembic.ini).

Nothing is imported here, so `import tutor.store` stays free.
"""
