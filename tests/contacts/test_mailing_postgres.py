"""The per-recipient ledger on PostgreSQL: a broken connection, then a retry that
mails only those left (run when PUBLISHER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from tests.contacts.test_mailing import (  # noqa: F401  (fixtures used by name)
    clock,
    desk,
    extra_channels,
    test_a_retry_after_a_broken_connection_mails_only_the_rest,
)
from tests.support import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url
