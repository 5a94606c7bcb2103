"""Migration 0010 adds the contact directory and per-recipient results, and
removes them again, on SQLite and (with PUBLISHER_TEST_POSTGRES_URL) PostgreSQL;
the tables it makes are the ones the models describe."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from publisher.db import Database
from tests.migrations.support import migrate, postgres_schema

TABLES = {
    "media_contacts",
    "contact_groups",
    "contact_group_members",
    "delivery_recipients",
}


def _check_round_trip(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()  # an open PostgreSQL connection warns in the next test
    engine = create_engine(url)
    found = set(inspect(engine).get_table_names())
    assert found >= TABLES
    columns = {c["name"] for c in inspect(engine).get_columns("delivery_recipients")}
    assert {"status", "reply_code", "reply_text", "message_id"} <= columns
    keys = inspect(engine).get_foreign_keys("delivery_recipients")
    assert {k["referred_table"] for k in keys} == {"deliveries", "media_contacts"}
    engine.dispose()

    migrate(url, "0009", down=True)
    engine = create_engine(url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()

    migrate(url, "head")
    engine = create_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_up_down_up_on_sqlite(tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path}/publisher.db")


@pytest.mark.postgres
def test_up_down_up_on_postgresql():
    with postgres_schema() as url:
        _check_round_trip(url)
