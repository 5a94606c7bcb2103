"""Finding releases on PostgreSQL: the `tsvector` index, its triggers and keyset
pages (run when PUBLISHER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from tests.api.test_release_list import (  # noqa: F401  (tests and fixtures by name)
    archive,
    test_a_page_keeps_the_query_in_its_next_link,
    test_control_characters_in_a_filter_are_named,
    test_filters_by_status_channel_category_author_and_date,
    test_pages_return_every_release_once_while_new_ones_arrive,
    test_search_finds_by_title_body_tag_and_number,
    test_search_follows_edits,
    test_summary_says_when_a_delivery_failed,
)
from tests.support import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url
