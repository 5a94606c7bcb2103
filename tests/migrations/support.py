"""What the migration round-trip tests share: moving a database to a revision,
listing its tables (and tests.support's PostgreSQL schema of its own)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect

from publisher.db import alembic_config
from tests.support import postgres_schema  # noqa: F401  (re-exported)


def migrate(url: str, target: str, *, down: bool = False) -> None:
    """Upgrade (or with `down`, downgrade) the database at `url` to `target`."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(cfg, target)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    """The names of the tables in the database at `url`."""
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
