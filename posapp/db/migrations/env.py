"""Alembic environment for the local database. Run through posapp.db.migrate, not the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from posapp.db.models import Base

config = context.config
target_metadata = Base.metadata


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate must not touch what migrations create by hand: the FTS5 search table and its shadow tables."""
    return not (type_ == "table" and name is not None and name.startswith("customer_fts"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
