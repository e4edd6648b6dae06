"""Alembic environment: runs on the engine itpm opened (see storage.database.migrate)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import itpm_tui.storage.models  # noqa: F401  (registers the tables)

config = context.config
engine = config.attributes["engine"]
backend = config.attributes["backend"]

with backend.migration_connection(engine) as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
