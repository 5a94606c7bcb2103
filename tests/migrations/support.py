"""What the migration round-trip tests share: moving a database to a revision,
listing its tables, and a PostgreSQL schema of its own for one test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import create_engine, inspect, text

from publisher.db import alembic_config


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


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of PUBLISHER_TEST_POSTGRES_URL's database in a new, empty schema,
    dropped afterwards."""
    base = os.environ["PUBLISHER_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
