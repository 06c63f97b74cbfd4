"""Alembic environment, configured from code: `tutor.store.engine.upgrade` hands it an open
connection inside a transaction through `config.attributes["connection"]`, so no alembic.ini is
needed at run time and the whole upgrade commits or rolls back as one."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import tutor.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("the store's migrations run through tutor.store.engine.upgrade only")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
