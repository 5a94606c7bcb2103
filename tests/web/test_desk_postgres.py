"""The dashboard and the release list on PostgreSQL (run when
PUBLISHER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from tests.api.test_release_list_postgres import database_url  # noqa: F401
from tests.web.test_desk import (  # noqa: F401  (tests and fixtures by name)
    busy_day,
    test_drafter_desk_shows_own_drafts_and_returned_work,
    test_editor_desk_shows_review_problems_plan_and_posts,
    test_list_never_shows_a_plain_success_when_a_delivery_failed,
    test_list_searches_filters_and_pages,
)

pytestmark = pytest.mark.postgres
