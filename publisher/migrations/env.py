"""Alembic environment: runs on the connection handed over by `Database.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from publisher.models import Base

config = context.config
connection = config.attributes.get("connection")


def run(conn) -> None:
    """Run migrations on `conn`; batch mode lets SQLite alter tables."""
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:  # `alembic revision --autogenerate` from a developer's shell
    url = config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        run(conn)
