"""Migration 0012 adds the notification tables and removes them again, on SQLite
and (with PUBLISHER_TEST_POSTGRES_URL) PostgreSQL; the columns are the models'."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from publisher.db import Database, alembic_config
from publisher.models import Notification, NotificationPreference

TABLES = {"notifications", "notification_preferences"}


def _migrate(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        if target == "0011":
            command.downgrade(cfg, target)
        else:
            command.upgrade(cfg, target)
    engine.dispose()


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

    _migrate(url, "0011")
    engine = create_engine(url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()

    _migrate(url, "head")
    engine = create_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


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
