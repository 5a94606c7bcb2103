"""Migration 0014 adds the channel switches and glossary entries administrators
set in the UI, and removes them again, on SQLite and (with
PUBLISHER_TEST_POSTGRES_URL) PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from publisher.db import Database, alembic_config

TABLES = {"channel_switches", "glossary_entries"}


def _migrate(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        if target == "0013":
            command.downgrade(cfg, target)
        else:
            command.upgrade(cfg, target)
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    found = set(inspect(engine).get_table_names())
    engine.dispose()
    return found


def _check_round_trip(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()
    assert TABLES <= _tables(url)
    engine = create_engine(url)
    keys = inspect(engine).get_foreign_keys("channel_switches")
    assert {k["referred_table"] for k in keys} == {"users"}
    engine.dispose()
    _migrate(url, "0013")
    assert not TABLES & _tables(url)
    _migrate(url, "head")
    assert TABLES <= _tables(url)


def test_up_down_up_on_sqlite(tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path}/publisher.db")


@pytest.mark.postgres
def test_up_down_up_on_postgresql():
    base = os.environ["PUBLISHER_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in base else "?"
        _check_round_trip(f"{base}{separator}options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
