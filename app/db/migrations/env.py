"""Alembic environment: the connection is handed in by app.db.migrate (never read from an ini)."""

from __future__ import annotations

from alembic import context

from app.db.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through app.db.migrate.upgrade_to_head or `resnet-studio migrate`"
    )

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
