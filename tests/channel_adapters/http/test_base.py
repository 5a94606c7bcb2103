"""The HTTP delivery base every HTTP adapter shares (http/base.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from channel_adapters.http.base import MESSAGE_LIMIT, HttpAdapter, host, retry_after


def answer(status: int, body: bytes = b"", **headers: str) -> requests.Response:
    """A response as requests builds it, without a server."""
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers)
    return response


class Partner(HttpAdapter):
    """A minimal HTTP adapter holding one secret."""

    name = "mitra-uji"
    label = "Mitra uji"

    def secrets(self) -> list[str]:
        return ["rahasia-panjang-sekali"]


@pytest.fixture
def partner(tmp_path) -> Partner:
    return Partner("mitra", Partner.validate_settings({}), tmp_path)


def test_the_host_never_shows_the_user_part():
    assert host("https://mitra:rahasia@api.mitra.example:8443/hook") == (
        "api.mitra.example:8443"
    )
    assert host("https://api.mitra.example/hook") == "api.mitra.example"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("", None), ("besok", None)],
)
def test_retry_after_in_seconds(value, seconds):
    assert retry_after(answer(429, **({"Retry-After": value} if value else {}))) == (
        seconds
    )


def test_retry_after_as_an_http_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)

    assert 50 <= retry_after(answer(503, **{"Retry-After": later})) <= 60


def test_the_remotes_message_is_verbatim_short_and_masked(partner):
    body = b'{"message": "kunci rahasia-panjang-sekali salah. ' + b"x" * 400 + b'"}'

    said = partner.message(answer(400, body, **{"Content-Type": "application/json"}))

    assert said.startswith("kunci ********** salah.")
    assert len(said) == MESSAGE_LIMIT and said.endswith("…")


def test_a_2xx_answer_gives_the_remote_id_and_url(partner):
    body = b'{"id": 7, "url": "https://mitra.example/berita/7"}'

    result = partner.result(answer(201, body), "https://mitra.example/hook")

    assert (result.remote_id, result.remote_url) == (
        "7",
        "https://mitra.example/berita/7",
    )
