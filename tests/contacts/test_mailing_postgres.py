"""The per-recipient ledger on PostgreSQL: a broken connection, then a retry that
mails only those left (run when PUBLISHER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.contacts.test_mailing import (  # noqa: F401  (fixtures used by name)
    clock,
    desk,
    extra_channels,
    test_a_retry_after_a_broken_connection_mails_only_the_rest,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    base = os.environ["PUBLISHER_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
