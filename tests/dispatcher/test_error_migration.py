"""Migration 0005: stored error sentences become notice codes, and back."""

from __future__ import annotations

import importlib.util
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from publisher.db import MIGRATIONS, alembic_config
from publisher.models import Delivery, User, utcnow
from publisher.services import scheduling

spec = importlib.util.spec_from_file_location(
    "m0005", MIGRATIONS / "versions" / "0005_delivery_error_codes.py"
)
m0005 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m0005)

OLD_SENTENCES = {
    "gave up after 8 attempts: HTTP 503 from example.org": {
        "code": "legacy.text",
        "params": {"text": "HTTP 503 from example.org"},
    },
    "internal error in the webhook adapter: KeyError: 'id'": {
        "code": "delivery.internal_error",
        "params": {"adapter": "webhook", "error": "KeyError: 'id'"},
    },
    "the release is no longer approved in this revision": {
        "code": "delivery.not_approved",
        "params": {},
    },
    "channel situs_web is not enabled in config.yaml": {
        "code": "delivery.channel_disabled",
        "params": {"channel": "situs_web"},
    },
    "no approved rendition for this channel; the channel was enabled after approval": {
        "code": "delivery.no_rendition",
        "params": {"channel": "radio"},
    },
    "host-1:42 stopped while sending; sending again": {
        "code": "delivery.sender_stopped_resending",
        "params": {"process": "host-1:42"},
    },
    "host-1:42 stopped while sending; check the channel before sending again": {
        "code": "delivery.sender_stopped_check",
        "params": {"process": "host-1:42"},
    },
    "a new revision was written": {"code": "delivery.cancelled_by_edit", "params": {}},
    "the release was withdrawn": {
        "code": "delivery.cancelled_by_withdrawal",
        "params": {},
    },
    "HTTP 422: judul terlalu panjang": {
        "code": "legacy.text",
        "params": {"text": "HTTP 422: judul terlalu panjang"},
    },
}


@pytest.mark.parametrize(("text", "notice"), OLD_SENTENCES.items())
def test_each_old_sentence_becomes_its_code(text, notice):
    assert m0005.to_notice(text, "radio") == notice


def _migrate(database, how, target):
    with database.engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        how(cfg, target)


def test_stored_sentences_are_converted_and_survive_a_downgrade(
    database, config, approved_release
):
    check_round_trip(database, config, approved_release())


def check_round_trip(database, config, release_id):
    """0005 down, old sentences in, up (converted), down again (readable text);
    shared with tests/test_postgres.py."""
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        scheduling.schedule(
            session,
            config,
            editor,
            release_id,
            scheduling.SchedulePlan(
                deliveries=[
                    {"channel": c, "planned_at": utcnow() + timedelta(hours=1)}
                    for c in ("radio", "koran")
                ]
            ),
        )
        radio, koran = session.query(Delivery).order_by(Delivery.channel.desc()).all()
        ids = radio.id, koran.id
    _migrate(database, command.downgrade, "0004")
    old = {
        ids[0]: "the release was withdrawn",
        ids[1]: "something a partner said",
    }
    with database.engine.begin() as connection:
        for delivery_id, text in old.items():
            connection.execute(
                sa.text("UPDATE deliveries SET last_error = :t WHERE id = :i"),
                {"t": text, "i": delivery_id},
            )
    _migrate(database, command.upgrade, "head")
    with database.session() as session:
        assert [session.get(Delivery, i).error for i in ids] == [
            {"code": "delivery.cancelled_by_withdrawal", "params": {}},
            {"code": "legacy.text", "params": {"text": "something a partner said"}},
        ]
    _migrate(database, command.downgrade, "0004")
    with database.engine.begin() as connection:
        rows = connection.execute(sa.text("SELECT id, last_error FROM deliveries"))
        back = {delivery_id: text for delivery_id, text in rows}
    assert back == {
        ids[0]: "delivery.cancelled_by_withdrawal",
        ids[1]: "something a partner said",
    }
    _migrate(database, command.upgrade, "head")
