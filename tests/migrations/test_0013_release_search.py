"""Migration 0013 builds the search index for the releases that exist, keeps it
current, and goes away cleanly, on SQLite and (with PUBLISHER_TEST_POSTGRES_URL)
PostgreSQL."""

from __future__ import annotations

import os
import uuid
from datetime import UTC

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from publisher.db import Database, alembic_config
from publisher.models import User
from publisher.services import accounts, drafting, release_list
from tests.conftest import PASSWORD


def _migrate(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        if target == "0012":
            command.downgrade(cfg, target)
        else:
            command.upgrade(cfg, target)
    engine.dispose()


def _found(url: str, *words: str) -> list[int]:
    database = Database(url)
    with database.session() as session:
        query = release_list.ListQuery(words=words)
        page = release_list.find(session, query, UTC)
        found = [release.id for release in page.releases]
    database.dispose()
    return found


def _check(url: str) -> None:
    database = Database(url)
    database.upgrade()
    with database.session() as session:
        accounts.create_user(session, "penyusun", "drafter", PASSWORD)
        author = session.query(User).filter_by(username="penyusun").one()
        content = drafting.ReleaseContent(
            title="Panen raya", lead="Ringkasan.", body="Subak Jatiluwih panen."
        )
        release_id = drafting.create_release(session, author, content).id
    database.dispose()

    _migrate(url, "0012")
    engine = create_engine(url)
    assert "release_search" not in inspect(engine).get_table_names()
    engine.dispose()

    _migrate(url, "head")  # the index is built for the release made before
    assert _found(url, "jatiluwih") == [release_id]
    engine = create_engine(url)
    with engine.begin() as connection:  # an edit behind the app's back is indexed
        connection.execute(
            text("UPDATE revisions SET title = 'Festival layang-layang'")
        )
    engine.dispose()
    assert _found(url, "layang") == [release_id]
    assert _found(url, "panen", "raya") == []


def test_up_down_up_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path}/publisher.db")


@pytest.mark.postgres
def test_up_down_up_on_postgresql():
    base = os.environ["PUBLISHER_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in base else "?"
        _check(f"{base}{separator}options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
