"""The webhook adapter against a real local HTTP server standing in for a partner."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from channel_adapters.base import (
    PermanentError,
    Rendition,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.http.webhook import WebhookAdapter
from tests.channel_adapters.fixtures import FIXTURES, render_context

SECRET = "rahasia-bersama-denpasar-2022"
KEY = "6f1c2a9e-delivery-42-webhook"


def adapter(url: str, **settings: object) -> WebhookAdapter:
    """A webhook channel posting to `url` with the shared test secret."""
    raw = {
        "url": url,
        "secret": SECRET,
        "timeout": (1, 1),
        "allow_networks": ["127.0.0.0/8"],  # the test receiver is on this machine
        **settings,
    }
    return WebhookAdapter("mitra", WebhookAdapter.validate_settings(raw), Path("/tmp"))


def rendered(webhook, release, context) -> Rendition:
    """The frozen rendition a delivery sends."""
    return webhook.render(release, context)


def test_the_partner_can_verify_the_signature_over_the_body_it_received(
    receiver, release, context
):
    webhook = adapter(receiver.url)
    rendition = rendered(webhook, release, context)

    result = webhook.deliver(rendition, KEY)

    [request] = receiver.requests
    assert request.method == "POST" and request.path == "/hooks/siaran-pers"
    assert request.body == rendition.file("payload.json").data
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(
        request.headers["X-Publisher-Signature"], f"sha256={expected}"
    )
    assert result.remote_id == "evt-1"


def test_headers_carry_idempotency_key_timestamp_and_content_type(
    receiver, release, context
):
    webhook = adapter(receiver.url)
    before = int(time.time())

    webhook.deliver(rendered(webhook, release, context), KEY)

    headers = receiver.requests[0].headers
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Publisher-Delivery"] == KEY
    assert headers["Idempotency-Key"] == KEY
    assert before <= int(headers["X-Publisher-Timestamp"]) <= int(time.time())
    assert headers["User-Agent"].startswith("press-release-publisher")


def test_payload_describes_the_release_in_utf8_json(release, context):
    release = dataclasses.replace(
        release,
        title="Festival Seni & Budaya – Puri Agung ᬩᬮᬶ",
        body_markdown="Isi **tebal**.\n\n<script>alert('x')</script>",
    )
    rendition = rendered(adapter("https://mitra.example/hook"), release, context)

    data = rendition.file("payload.json").data
    document = json.loads(data)
    assert document["event"] == "release.published"
    assert document["organization"]["name"] == context.organization.name
    item = document["release"]
    assert (item["id"], item["revision"]) == (42, 2)
    assert item["public_id"] == "rilis-2022-0042"
    assert item["number"] == "045/SP/Diskominfos/XI/2022"
    assert item["tags"] == ["keterbukaan informasi", "PPID"]
    assert item["contact"]["name"] == "Ni Luh Putu Ayu Lestari"
    assert item["embargo_at"] is None
    assert item["body_text"].startswith("Isi tebal.")
    assert "<strong>tebal</strong>" in item["body_html"]
    assert "<script" not in item["body_html"]
    # Non-ASCII is sent as UTF-8, not as \u escapes, and keys are in a stable order.
    assert "– Puri Agung ᬩᬮᬶ".encode() in data
    assert (
        data
        == json.dumps(
            document, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
    assert release.title in rendition.text


def test_embargo_is_sent_as_iso_utc(release, context):
    embargo = datetime(2022, 11, 30, 10, 0, tzinfo=UTC) + timedelta(hours=-8)
    release = dataclasses.replace(release, embargo_at=embargo)

    rendition = rendered(adapter("https://mitra.example/hook"), release, context)

    item = json.loads(rendition.file("payload.json").data)["release"]
    assert item["embargo_at"] == "2022-11-30T02:00:00+00:00"


def test_created_answer_gives_remote_id_and_url(receiver, release, context):
    receiver.answer(
        201, json_body={"id": 981, "url": "https://mitra.example/berita/981"}
    )
    webhook = adapter(receiver.url)

    result = webhook.deliver(rendered(webhook, release, context), KEY)

    assert (result.remote_id, result.remote_url) == (
        "981",
        "https://mitra.example/berita/981",
    )


def test_an_empty_2xx_answer_is_still_a_success(receiver, release, context):
    receiver.answer(204)
    webhook = adapter(receiver.url)

    result = webhook.deliver(rendered(webhook, release, context), KEY)

    assert result.remote_id == "" and "204" in result.detail


@pytest.mark.parametrize(
    ("status", "headers", "retry_after"),
    [
        (429, {"Retry-After": "120"}, 120.0),
        (503, {"Retry-After": "7"}, 7.0),
        (500, {}, None),
        (502, {}, None),
        (408, {}, None),
    ],
)
def test_busy_or_broken_partner_means_try_again_later(
    receiver, release, context, status, headers, retry_after
):
    receiver.answer(status, text="sedang sibuk", headers=headers)
    webhook = adapter(receiver.url)

    with pytest.raises(RetryableError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert caught.value.status == status
    assert caught.value.retry_after == retry_after


def test_retry_after_as_http_date_is_honoured(receiver, release, context):
    later = datetime.now(UTC) + timedelta(seconds=90)
    receiver.answer(429, headers={"Retry-After": format_datetime(later, usegmt=True)})
    webhook = adapter(receiver.url)

    with pytest.raises(RetryableError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert 80 <= caught.value.retry_after <= 90


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_refusal_is_permanent_and_shows_the_partners_message(
    receiver, release, context, status
):
    receiver.answer(status, json_body={"message": "Kategori tidak dikenal"})
    webhook = adapter(receiver.url)

    with pytest.raises(PermanentError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert caught.value.status == status
    assert "Kategori tidak dikenal" in caught.value.detail


def test_a_long_remote_message_is_cut_short(receiver, release, context):
    receiver.answer(400, text="Kesalahan validasi. " * 200)
    webhook = adapter(receiver.url)

    with pytest.raises(PermanentError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert "Kesalahan validasi." in caught.value.detail
    assert len(caught.value.detail) < 400


def test_a_redirect_is_not_followed_and_asks_for_a_new_url(receiver, release, context):
    receiver.answer(301, headers={"Location": "https://mitra.example/baru"})
    webhook = adapter(receiver.url)

    with pytest.raises(PermanentError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert "https://mitra.example/baru" in caught.value.detail
    assert len(receiver.requests) == 1


def test_connection_refused_means_nothing_was_sent_so_retry(
    refused_url, release, context
):
    webhook = adapter(refused_url)

    with pytest.raises(RetryableError):
        webhook.deliver(rendered(webhook, release, context), KEY)


def test_connect_timeout_means_nothing_was_sent_so_retry(
    unanswered_url, release, context
):
    webhook = adapter(unanswered_url, timeout=(0.3, 1))

    with pytest.raises(RetryableError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert caught.value.notice.code == "delivery.connect_timeout"
    assert caught.value.notice.params["seconds"] == 0.3


def test_no_answer_after_sending_is_unknown_not_retry(receiver, release, context):
    receiver.answer(201, json_body={"id": "late"}, delay=3)
    webhook = adapter(receiver.url, timeout=(1, 0.3))

    with pytest.raises(UnknownOutcomeError) as caught:
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert len(receiver.requests) == 1  # the partner did get it
    assert caught.value.notice.code == "delivery.timeout_after_send"


def test_hanging_up_after_the_request_is_unknown_not_retry(receiver, release, context):
    receiver.answer(200, hang_up=True)
    webhook = adapter(receiver.url)

    with pytest.raises(UnknownOutcomeError):
        webhook.deliver(rendered(webhook, release, context), KEY)

    assert len(receiver.requests) == 1


def test_the_secret_never_shows(receiver, release, context):
    # A careless partner echoes the secret back in its error message.
    receiver.answer(401, json_body={"error": f"secret {SECRET} tidak cocok"})
    webhook = adapter(receiver.url)
    rendition = rendered(webhook, release, context)

    with pytest.raises(PermanentError) as caught:
        webhook.deliver(rendition, KEY)

    shown = [
        str(caught.value),
        repr(caught.value),
        caught.value.detail,
        repr(webhook.settings),
        str(webhook.settings),
        webhook.settings.model_dump_json(),
        rendition.text,
    ]
    assert not any(SECRET in text for text in shown)
    assert SECRET.encode() not in rendition.file("payload.json").data
    assert SECRET not in receiver.requests[0].headers.as_string()


def test_a_bad_secret_in_config_is_rejected_without_echoing_it():
    with pytest.raises(ValidationError) as caught:
        WebhookAdapter.validate_settings(
            {"url": "https://mitra.example/hook", "secret": "pendek"}
        )

    assert "secret" in str(caught.value)
    assert "pendek" not in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        {"secret": SECRET},
        {"url": "https://mitra.example/hook"},
        {"url": "ftp://mitra.example/hook", "secret": SECRET},
        {"url": "https://mitra.example/hook", "secret": SECRET, "timeout": (0, 5)},
        {"url": "https://mitra.example/hook", "secret": SECRET, "api_key": "x"},
    ],
)
def test_incomplete_or_wrong_settings_are_a_config_error(raw):
    with pytest.raises(ValidationError):
        WebhookAdapter.validate_settings(raw)


def test_check_reaches_the_url_without_posting(receiver):
    receiver.answer(405)

    result = adapter(receiver.url).check()

    assert result.ok and "405" in result.detail
    assert [r.method for r in receiver.requests] == ["HEAD"]


def test_check_reports_an_unreachable_partner(refused_url):
    result = adapter(refused_url).check()

    assert not result.ok and result.notice.code == "delivery.connection_failed"


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_golden_payload(fixture, golden):
    webhook = adapter("https://situs.example/hook")
    rendition = webhook.render(FIXTURES[fixture](), render_context(with_files=False))
    payload = json.loads(rendition.file("payload.json").data)
    golden(
        f"{fixture}.webhook.json",
        json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


def test_receivers_verify_with_the_standard_webhooks_library(
    receiver, release, context
):
    """The specification's own library accepts the call and refuses a replay."""
    standardwebhooks = pytest.importorskip("standardwebhooks")
    secret = "whsec_" + base64.b64encode(b"kunci-rahasia-mitra-2026-32byte!").decode()
    webhook = adapter(receiver.url, secret=secret)
    webhook.deliver(rendered(webhook, release, context), KEY)
    [request] = receiver.requests
    assert request.headers["webhook-id"] == KEY
    verifier = standardwebhooks.Webhook(secret)
    body = verifier.verify(request.body, dict(request.headers))
    assert body["release"]["title"] == release.title
    tampered = dict(request.headers, **{"webhook-id": "another-delivery"})
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        verifier.verify(request.body, tampered)
    # A call captured and replayed ten minutes later is refused by its timestamp.
    later = int(request.headers["webhook-timestamp"]) + 600
    replayed = dict(request.headers, **{"webhook-timestamp": str(later)})
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        verifier.verify(request.body, replayed)


def test_a_plain_secret_signs_id_timestamp_and_body(receiver, release, context):
    webhook = adapter(receiver.url)
    webhook.deliver(rendered(webhook, release, context), KEY)
    [request] = receiver.requests
    stamp = request.headers["webhook-timestamp"]
    signed = f"{KEY}.{stamp}.".encode() + request.body
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), signed, hashlib.sha256).digest()
    ).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"
    assert abs(int(stamp) - time.time()) < 60


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://[::1]:9/hook",
    ],
)
def test_non_public_destinations_are_refused_unless_allowed(url, release, context):
    webhook = adapter(url, allow_networks=[])
    rendition = rendered(webhook, release, context)
    with pytest.raises(PermanentError) as refused:
        webhook.deliver(rendition, KEY)
    assert refused.value.notice.code == "delivery.destination_refused"
    assert not webhook.check().ok
