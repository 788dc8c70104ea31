"""Alembic environment for the central store. Run through posapp.central.schema, not the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from posapp.central.models import VERSION_TABLE, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise SystemExit("run the central migrations through posapp.central.schema.init_central")
_run(connection)
