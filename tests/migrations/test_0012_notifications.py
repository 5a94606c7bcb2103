"""Migration 0012 adds the notification tables and removes them again, on SQLite
and (with PUBLISHER_TEST_POSTGRES_URL) PostgreSQL; the columns are the models'."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from publisher.db import Database
from publisher.models import Notification, NotificationPreference
from tests.migrations.support import migrate, postgres_schema

TABLES = {"notifications", "notification_preferences"}


def _check_round_trip(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()
    engine = create_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    for model in (Notification, NotificationPreference):
        columns = {c["name"] for c in inspect(engine).get_columns(model.__tablename__)}
        assert columns == set(model.__table__.columns.keys())
    keys = inspect(engine).get_foreign_keys("notifications")
    assert {k["referred_table"] for k in keys} == {"users", "releases"}
    engine.dispose()

    migrate(url, "0011", down=True)
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
