"""Migration 0014 adds the channel switches and glossary entries administrators
set in the UI, and removes them again, on SQLite and (with
PUBLISHER_TEST_POSTGRES_URL) PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from publisher.db import Database
from tests.migrations.support import migrate, postgres_schema, tables

TABLES = {"channel_switches", "glossary_entries"}


def _check_round_trip(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()
    assert TABLES <= tables(url)
    engine = create_engine(url)
    keys = inspect(engine).get_foreign_keys("channel_switches")
    assert {k["referred_table"] for k in keys} == {"users"}
    engine.dispose()
    migrate(url, "0013", down=True)
    assert not TABLES & tables(url)
    migrate(url, "head")
    assert TABLES <= tables(url)


def test_up_down_up_on_sqlite(tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path}/publisher.db")


@pytest.mark.postgres
def test_up_down_up_on_postgresql():
    with postgres_schema() as url:
        _check_round_trip(url)
