"""Alembic migrations of the store: one revision per schema version, run by `open_store`.

To change the schema: edit `tutor/store/models.py`, add `versions/000N_what.py` (by hand, from
`script.py.mako`, with `down_revision` the previous head), and set `HEAD_REVISION` in
`tutor/store/engine.py`. `tests/store/test_migrations.py` fails until the revisions build exactly
the models and `HEAD_REVISION` names the newest one. Revisions are frozen: never edit one that
has shipped.
"""
