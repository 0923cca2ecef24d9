"""Alembic's entry point: run the migrations on the connection ``foglight.migrations`` hands
over (foglight never reads an alembic.ini), with the store's tables as the target so that
``foglight.migrations.autogenerate`` can diff them."""

from __future__ import annotations

from alembic import context

from foglight.store import metadata

connection = context.config.attributes["connection"]
# Batch mode lets ALTER TABLE steps run on SQLite, which rebuilds the table for them.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
