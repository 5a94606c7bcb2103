"""Fixtures for adapter tests: a realistic release, a fixed clock, local servers.

The releases themselves live in `fixtures.py` (one place for test data); the local
partner endpoint is `support.Receiver`, the one every test uses.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import Receiver, Reply

from channel_adapters.base import Organization, ReleaseSnapshot, RenderContext
from channel_adapters.templating import environment as channel_environment
from tests.channel_adapters.fixtures import NOW, denpasar_office, forum_release

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "renditions"


@pytest.fixture
def organization() -> Organization:
    """The Denpasar communication office, with a letterhead's worth of details."""
    return denpasar_office()


@pytest.fixture
def release() -> ReleaseSnapshot:
    """A short, realistic Indonesian press release about a public-information forum."""
    return forum_release()


@pytest.fixture
def context(organization: Organization) -> RenderContext:
    """Rendering with the shipped channel templates and a fixed clock."""
    return RenderContext(
        organization=organization, templates=channel_environment(), now=NOW
    )


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/data/renditions/<name>; UPDATE_GOLDEN=1 rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
        assert text == path.read_text(encoding="utf-8")

    return check


# --- a partner's webhook endpoint -----------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running partner endpoint; stopped (and any slow answer cut short) after."""
    server = Receiver("/hooks/siaran-pers")
    server.default = Reply(201, {"id": "evt-1"})
    with server:
        yield server


@pytest.fixture
def refused_url() -> str:
    """A URL on a port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def unanswered_url() -> Iterator[str]:
    """A URL whose listener never accepts: a connect attempt times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    # Fill the accept queue; once full, the kernel drops new connection attempts.
    for _ in range(16):
        filler = socket.socket()
        filler.settimeout(0.2)
        try:
            filler.connect(("127.0.0.1", port))
        except OSError:
            filler.close()
            break
        fillers.append(filler)
    else:
        pytest.skip("this kernel accepts connections beyond the listen backlog")
    yield f"http://127.0.0.1:{port}/hooks"
    for filler in fillers:
        filler.close()
    listener.close()
