"""/metrics: Prometheus text for the holder of the metrics token, nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import PASSWORD, make_config, plan

from publisher.config import ConfigError, MetricsConfig, parse_config
from publisher.models import Delivery, DeliveryStatus, utcnow

TOKEN = "metrik-rahasia-panjang-sekali"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def config(tmp_path, database_url):
    """The test config with a metrics token."""
    base = make_config(tmp_path, database_url)
    return base.model_copy(update={"metrics": MetricsConfig(token=TOKEN)})


def value(body: str, series: str) -> float:
    """The number of one series (`name{labels}`) in an exposition."""
    for line in body.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not in:\n{body}")


def test_without_a_token_configured_there_is_no_metrics_page(tmp_path, database_url):
    from publisher import create_app
    from publisher.db import Database

    config = make_config(tmp_path, database_url)
    Database(config.database_url).upgrade()
    app = create_app(config)
    assert app.test_client().get("/metrics", headers=SCRAPE).status_code == 404


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer salah"}, {"Authorization": TOKEN}]
)
def test_a_wrong_or_missing_token_is_401(client, headers):
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 401
    assert answer.json["code"] == "metrics.token_wrong"


def test_deliveries_lateness_feed_hits_and_sign_in_failures(
    client, config, database, approved_release, accounts_
):
    release_id = approved_release()
    planned = utcnow() + timedelta(hours=1)
    plan(database, config, release_id, planned, "radio", "koran")
    with database.session() as session:  # as the dispatcher would record it
        radio = session.query(Delivery).filter_by(channel="radio").one()
        radio.status = DeliveryStatus.SENT
        radio.sent_at = radio.planned_at + timedelta(seconds=0.4)

    before = client.get("/metrics", headers=SCRAPE).text
    client.get("/feeds/rss.xml")
    client.get("/feeds/atom.xml")
    client.get("/feeds/atom.xml")
    client.post("/login", data={"username": "admin", "password": "salah-sandi"})
    client.post("/login", data={"username": "tidak-ada", "password": PASSWORD})
    answer = client.get("/metrics", headers=SCRAPE)

    assert answer.status_code == 200
    assert answer.content_type == "text/plain; version=0.0.4; charset=utf-8"
    body = answer.text
    assert value(body, 'publisher_deliveries{state="sent",channel="radio"}') == 1
    assert value(body, 'publisher_deliveries{state="scheduled",channel="koran"}') == 1
    assert value(body, 'publisher_deliveries{state="failed",channel="koran"}') == 0
    lateness = "publisher_dispatch_lateness_seconds"
    assert value(body, f'{lateness}_bucket{{le="0.25"}}') == 0
    assert value(body, f'{lateness}_bucket{{le="0.5"}}') == 1
    assert value(body, f'{lateness}_bucket{{le="+Inf"}}') == 1
    assert value(body, f"{lateness}_count") == 1
    assert value(body, f"{lateness}_sum") == pytest.approx(0.4)
    feeds = 'publisher_feed_requests_total{feed="%s"}'
    assert value(body, feeds % "rss") - value(before, feeds % "rss") == 1
    assert value(body, feeds % "atom") - value(before, feeds % "atom") == 2
    failures = "publisher_sign_in_failures_total"
    assert value(body, failures) - value(before, failures) == 2
    assert "# TYPE publisher_dispatch_lateness_seconds histogram" in body


def test_a_short_metrics_token_is_a_config_error(tmp_path):
    from conftest import BASE_CONFIG

    raw = {**BASE_CONFIG, "metrics": {"token": "pendek"}}
    with pytest.raises(ConfigError, match="metrics.token"):
        parse_config(raw, tmp_path / "config.yaml")
    raw["metrics"] = {"token": ""}
    assert parse_config(raw, tmp_path / "config.yaml").metrics.token is None
