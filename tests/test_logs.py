"""JSON log lines, and one request id per web request in its answer and its logs."""

from __future__ import annotations

import io
import json
import logging

import pytest
import yaml

from publisher import logs
from publisher.config import ConfigError, parse_config


@pytest.fixture
def json_lines():
    """Lines the root logger writes in the JSON format, as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logs.configure("json", [handler])
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_sane_incoming_request_id_is_echoed_and_in_every_line(
    app, client, json_lines
):
    @app.get("/_log_twice")
    def _log_twice():
        logging.getLogger("publisher.test").info("first")
        logging.getLogger("publisher.test").warning("second")
        return "ok"

    response = client.get("/_log_twice", headers={"X-Request-Id": "lb-7f3a.01"})
    assert response.headers["X-Request-Id"] == "lb-7f3a.01"
    lines = [line for line in json_lines() if line["logger"].startswith("publisher")]
    assert [line["message"] for line in lines][:2] == ["first", "second"]
    assert {line["request_id"] for line in lines} == {"lb-7f3a.01"}
    access = lines[-1]
    assert access["logger"] == "publisher.request"
    assert (access["method"], access["path"], access["status"]) == (
        "GET",
        "/_log_twice",
        200,
    )
    assert {"time", "level", "duration_ms"} <= access.keys()


@pytest.mark.parametrize(
    "incoming", [None, "", "a b", "x" * 200, "<script>", "id\r\nSet-Cookie: a=b"]
)
def test_a_missing_or_odd_request_id_is_replaced(client, json_lines, incoming):
    headers = {"X-Request-Id": incoming} if incoming is not None else {}
    try:
        response = client.get("/healthz", headers=headers)
    except ValueError:  # the test client itself refuses a newline in a header
        return
    made = response.headers["X-Request-Id"]
    assert made != incoming and len(made) == 32
    assert json_lines()[-1]["request_id"] == made


def test_outside_a_request_lines_have_no_request_id(json_lines):
    logging.getLogger("publisher.dispatcher").info("tick")
    assert json_lines()[-1]["request_id"] is None


def test_logging_format_is_checked_in_the_config(tmp_path):
    from conftest import BASE_CONFIG

    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["logging"] = {"format": "json"}
    config = parse_config(raw, tmp_path / "config.yaml")
    assert config.logging.format == "json"
    raw["logging"] = {"format": "xml"}
    with pytest.raises(ConfigError, match="logging.format"):
        parse_config(raw, tmp_path / "config.yaml")


def test_text_lines_name_the_request(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logs.configure("text", [handler])
    logger = logging.getLogger("publisher.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/healthz", headers={"X-Request-Id": "abc123"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert stream.getvalue().rstrip().endswith("request_id=abc123")
