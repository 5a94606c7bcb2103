"""A real WordPress for the tests that want one (see real_site.py).

It runs where php, Debian's wordpress package and MariaDB are present and is
skipped, saying which is missing, elsewhere; PUBLISHER_TEST_WORDPRESS=1 makes a
missing part a failure instead (for a CI that installs them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.channel_adapters.wordpress import real_site
from tests.fakes.wordpress import WordPressSite

PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[real_site.RealSite]:
    """A freshly installed WordPress on 127.0.0.1, shared by the session."""
    reason = real_site.missing()
    if reason and os.environ.get("PUBLISHER_TEST_WORDPRESS") == "1":
        pytest.fail(f"PUBLISHER_TEST_WORDPRESS=1 but {reason}")
    if reason:
        pytest.skip(f"no real WordPress: {reason}")
    site = real_site.start(tmp_path_factory.mktemp("wordpress"))
    yield site
    real_site.stop(site)


@pytest.fixture
def site() -> Iterator[WordPressSite]:
    """An office website with an editor, an author and a subscriber."""
    with WordPressSite() as server:
        server.add_user("humas", PASSWORD, "editor", "Humas Diskominfos")
        server.add_user("penulis", PASSWORD, "author", "Penulis Berita")
        server.add_user("pembaca", PASSWORD, "subscriber", "Pembaca")
        yield server
