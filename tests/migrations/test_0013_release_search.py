"""Migration 0013 builds the search index for the releases that exist, keeps it
current, and goes away cleanly, on SQLite and (with PUBLISHER_TEST_POSTGRES_URL)
PostgreSQL."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import create_engine, inspect, text

from publisher.db import Database
from publisher.models import User
from publisher.services import accounts, drafting, release_list
from tests.conftest import PASSWORD
from tests.migrations.support import migrate, postgres_schema


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

    migrate(url, "0012", down=True)
    engine = create_engine(url)
    assert "release_search" not in inspect(engine).get_table_names()
    engine.dispose()

    migrate(url, "head")  # the index is built for the release made before
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
    with postgres_schema() as url:
        _check(url)
