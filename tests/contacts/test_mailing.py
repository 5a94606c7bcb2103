"""E-mail to contact groups: one message per recipient, each reply recorded, a
retry mails only those left, and an unsubscribed contact is never mailed again."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from conftest import plan
from sqlalchemy import select

from publisher.dispatcher import Dispatcher
from publisher.models import (
    Delivery,
    DeliveryRecipient,
    DeliveryStatus,
    MediaContact,
    User,
    utcnow,
)
from publisher.services import contacts
from tests.mail_desk import PASSWORD, start_desk

SENDER = "humas@baliprov.example"
BOUNCES = "pantulan@baliprov.example"


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def desk():
    """The newsrooms' mail server, asking for a login."""
    server, controller = start_desk(with_auth=True)
    server.port = controller.port
    yield server
    controller.stop()


@pytest.fixture
def extra_channels(desk):
    """`meja_redaksi` mails the `harian` group through the local server."""
    return {
        "meja_redaksi": {
            "adapter": "email",
            "label": "Meja redaksi",
            "host": "127.0.0.1",
            "port": desk.port,
            "security": "none",
            "username": "humas",
            "password": PASSWORD,
            "from_address": SENDER,
            "bounce_address": BOUNCES,
            "groups": ["harian"],
            "timeout": 5,
        }
    }


@pytest.fixture
def clock():
    return Clock()


def add_contacts(database, count: int, kinds=("print",), group="harian") -> list[str]:
    """`count` contacts in `group`, kinds in turn; their addresses."""
    addresses = []
    with database.session() as session:
        editor = session.scalars(select(User).filter_by(username="editor")).one()
        for n in range(count):
            data = contacts.parse(
                {
                    "name": f"Wartawan {n}",
                    "outlet": f"Media {n}",
                    "kind": kinds[n % len(kinds)],
                    "email": f"wartawan{n}@media{n}.example",
                    "groups": group,
                }
            )
            addresses.append(contacts.create(session, editor, data).email)
    return addresses


def send(database, config, approved_release, clock) -> tuple[int, Dispatcher]:
    """Approve a release, plan `meja_redaksi` a minute ahead, and run it once."""
    release_id = approved_release()
    (delivery_id,) = plan(
        database, config, release_id, clock.now + timedelta(minutes=1), "meja_redaksi"
    )
    worker = Dispatcher(config, database, name="uji", clock=clock)
    clock.now += timedelta(minutes=1)
    worker.run_delivery(delivery_id)
    return delivery_id, worker


def results(database, delivery_id) -> dict[str, DeliveryRecipient]:
    with database.session() as session:
        rows = session.scalars(
            select(DeliveryRecipient).filter_by(delivery_id=delivery_id)
        )
        return {row.email: row for row in rows}


def status(database, delivery_id) -> Delivery:
    with database.session() as session:
        return session.get(Delivery, delivery_id)


def test_a_group_of_50_gets_50_messages_each_seeing_only_itself(
    database, config, approved_release, desk, clock
):
    addresses = add_contacts(database, 50)

    delivery_id, _ = send(database, config, approved_release, clock)

    assert status(database, delivery_id).status == DeliveryStatus.SENT
    assert len(desk.arrived) == 50
    assert desk.logins == ["humas"]
    seen_ids = set()
    for arrived in desk.arrived:
        message = message_from_bytes(arrived.data, policy=default)
        (rcpt,) = arrived.rcpt_tos
        assert arrived.mail_from == BOUNCES
        assert [a.addr_spec for a in message["To"].addresses] == [rcpt]
        assert message["Cc"] is None and message["Bcc"] is None
        others = [a for a in addresses if a != rcpt]
        assert not [a for a in others if a.encode() in arrived.data]
        assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        seen_ids.add(message["Message-ID"])
    assert sorted(a.rcpt_tos[0] for a in desk.arrived) == sorted(addresses)
    assert len(seen_ids) == 50
    recorded = results(database, delivery_id)
    assert {r.status for r in recorded.values()} == {"accepted"}
    assert {r.message_id for r in recorded.values()} == seen_ids
    assert all(r.reply_code == 250 for r in recorded.values())


def test_a_550_is_recorded_for_that_recipient_only(
    database, config, approved_release, desk, clock
):
    addresses = add_contacts(database, 5)
    refused = addresses[2]
    desk.rcpt_replies[refused] = "550 5.1.1 Mailbox tidak dikenal"

    delivery_id, worker = send(database, config, approved_release, clock)

    assert status(database, delivery_id).status == DeliveryStatus.SENT
    received = sorted(a.rcpt_tos[0] for a in desk.arrived)
    assert received == sorted(set(addresses) - {refused})
    recorded = results(database, delivery_id)
    assert recorded[refused].status == "refused"
    assert recorded[refused].reply_code == 550
    assert recorded[refused].reply_text == "5.1.1 Mailbox tidak dikenal"
    assert [e for e, r in recorded.items() if r.status == "accepted"] == sorted(
        set(addresses) - {refused}
    )
    # Nothing more to do: running again sends nothing twice.
    worker.run_delivery(delivery_id)
    assert len(desk.arrived) == 4


def test_a_retry_after_a_broken_connection_mails_only_the_rest(
    database, config, approved_release, desk, clock
):
    addresses = add_contacts(database, 8)
    desk.hang_up_at = 3  # the server drops the line during the third DATA

    delivery_id, worker = send(database, config, approved_release, clock)

    delivery = status(database, delivery_id)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.error["code"] == "email.copy_unknown"
    recorded = results(database, delivery_id)
    first_two = [a.rcpt_tos[0] for a in desk.arrived[:2]]
    third = desk.arrived[2].rcpt_tos[0]
    assert {recorded[a].status for a in first_two} == {"accepted"}
    assert recorded[third].status == "unknown"

    desk.hang_up_at = None
    clock.now = delivery.next_attempt_at
    assert worker.run_delivery(delivery_id) == DeliveryStatus.SENT

    everyone = [a.rcpt_tos[0] for a in desk.arrived]
    assert sorted(everyone) == sorted(addresses)  # each exactly once
    assert len(everyone) == len(set(everyone)) == 8
    recorded = results(database, delivery_id)
    assert recorded[third].status == "unknown"
    assert sum(r.status == "accepted" for r in recorded.values()) == 7


def test_each_kind_gets_its_own_files(database, config, approved_release, desk, clock):
    kinds = ("print", "radio", "tv", "online", "agency")
    addresses = add_contacts(database, 5, kinds=kinds)

    send(database, config, approved_release, clock)

    files = {}
    for arrived in desk.arrived:
        message = message_from_bytes(arrived.data, policy=default)
        names = sorted(
            part.get_filename().rsplit(".", 1)[1] for part in message.iter_attachments()
        )
        files[arrived.rcpt_tos[0]] = names
    by_kind = dict(zip(kinds, addresses, strict=True))
    assert files[by_kind["print"]] == ["docx", "pdf"]
    assert files[by_kind["radio"]] == ["txt"]
    assert files[by_kind["tv"]] == ["pdf", "txt"]
    assert files[by_kind["online"]] == ["pdf"]
    assert files[by_kind["agency"]] == ["pdf"]


def test_an_unsubscribed_contact_is_skipped(
    database, config, approved_release, desk, clock, client
):
    addresses = add_contacts(database, 3)
    delivery_id, _ = send(database, config, approved_release, clock)
    message = message_from_bytes(desk.arrived[0].data, policy=default)
    leaving = desk.arrived[0].rcpt_tos[0]
    link = message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(config.organization.public_url)

    shown = client.get(path)
    assert shown.status_code == 200
    assert leaving in shown.get_data(as_text=True)
    with database.session() as session:
        assert (
            session.scalars(select(MediaContact).filter_by(email=leaving))
            .one()
            .unsubscribed_at
            is None
        )  # a GET (a link scanner) changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "berhenti" in done.get_data(as_text=True).lower()

    desk.arrived.clear()
    second = approved_release("Rilis kedua")
    (next_id,) = plan(
        database, config, second, clock.now + timedelta(minutes=1), "meja_redaksi"
    )
    clock.now += timedelta(minutes=1)
    Dispatcher(config, database, name="uji", clock=clock).run_delivery(next_id)
    assert sorted(a.rcpt_tos[0] for a in desk.arrived) == sorted(
        set(addresses) - {leaving}
    )


def test_a_forged_unsubscribe_link_is_refused(client, database):
    answer = client.post("/unsubscribe/bukan-token-yang-sah")
    assert answer.status_code == 404


def test_the_release_page_and_the_api_show_each_recipients_result(
    database, config, approved_release, desk, clock, client, accounts_
):
    from webforms import login

    addresses = add_contacts(database, 3)
    desk.rcpt_replies[addresses[1]] = "550 5.1.1 Mailbox tidak dikenal"
    delivery_id, _ = send(database, config, approved_release, clock)
    release_id = status(database, delivery_id).release_id

    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}").get_data(as_text=True)
    assert "Penerima Meja redaksi (revisi 1)" in page
    assert "2 diterima, 1 ditolak, 0 tidak pasti" in page
    assert "550 5.1.1 Mailbox tidak dikenal" in page
    assert page.count('<span class="badge sent">Diterima</span>') == 2

    answer = client.get(
        f"/api/v1/deliveries/{delivery_id}/recipients",
        headers=accounts_["penyusun"].headers,
    )
    shown = {r["email"]: r for r in answer.get_json()["recipients"]}
    assert shown[addresses[1]]["status"] == "refused"
    assert shown[addresses[1]]["reply_code"] == 550
    assert shown[addresses[0]]["status"] == "accepted"
    assert shown[addresses[0]]["message_id"].endswith("@baliprov.example>")


def test_each_copy_renews_the_lease_of_a_long_mailing(
    database, config, approved_release, clock
):
    from channel_adapters.email.recipients import Recipient, RecipientOutcome
    from publisher.services.recipients import DeliveryLedger

    release_id = approved_release()
    (delivery_id,) = plan(
        database, config, release_id, clock.now + timedelta(minutes=1), "meja_redaksi"
    )
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        delivery.status = DeliveryStatus.SENDING
        delivery.lease_owner = "uji"
        delivery.lease_expires_at = clock.now + timedelta(seconds=5)
    clock.now += timedelta(seconds=4)
    ledger = DeliveryLedger(
        database, config, delivery_id, "meja_redaksi", owner="uji", clock=clock
    )

    ledger.record(RecipientOutcome(Recipient("a@b.example"), "accepted", "<x@y>", 250))

    lease = timedelta(seconds=config.dispatcher.lease_seconds)
    assert status(database, delivery_id).lease_expires_at == clock.now + lease
