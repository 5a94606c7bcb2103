"""Notifications on PostgreSQL: events, mail and the digest (run when
PUBLISHER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from tests.notifications.test_events import (  # noqa: F401  (fixtures used by name)
    _people,
    extra_channels,
    test_a_comment_tells_the_writers_and_the_mentioned_not_the_commenter,
    test_a_failed_delivery_tells_every_editor,
    test_approval_and_rejection_reach_the_writers_not_the_editor,
)
from tests.notifications.test_mail import (  # noqa: F401
    config,
    desk_controller,
    test_each_reader_gets_one_message_in_their_own_language,
    test_the_digest_collects_a_days_notifications_into_one_message,
)
from tests.support import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url
