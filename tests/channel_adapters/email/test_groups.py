"""The e-mail adapter with contact groups: one copy per recipient through a real
local SMTP server, handed its recipients by a ledger (as the dispatcher does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default

import pytest
from pydantic import ValidationError

from channel_adapters.base import PermanentError, RetryableError
from channel_adapters.email.adapter import EmailAdapter
from channel_adapters.email.recipients import (
    Mailing,
    Recipient,
    RecipientOutcome,
    message_id,
)
from tests.channel_adapters.fixtures import render_context, short_release, with_files_of
from tests.mail_desk import start_desk

SENDER = "humas@baliprov.example"


@dataclass
class ListLedger:
    """A ledger kept in a list: what the database does for the dispatcher."""

    recipients: list[Recipient]
    outcomes: dict[str, RecipientOutcome] = field(default_factory=dict)

    def pending(self) -> Mailing:
        final = {
            a
            for a, o in self.outcomes.items()
            if o.status != "refused" or (o.code or 0) >= 500
        }
        accepted = sum(o.status == "accepted" for o in self.outcomes.values())
        left = tuple(r for r in self.recipients if r.address not in final)
        return Mailing(left, accepted_before=accepted)

    def record(self, outcome: RecipientOutcome) -> None:
        self.outcomes[outcome.recipient.address] = outcome


@pytest.fixture
def desk():
    server, controller = start_desk()
    server.port = controller.port
    yield server
    controller.stop()


def channel(port: int, tmp_path, **settings) -> EmailAdapter:
    values = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": SENDER,
        "groups": ["harian"],
        "timeout": 5,
        **settings,
    }
    return EmailAdapter(
        "meja_redaksi", EmailAdapter.validate_settings(values), tmp_path
    )


def frozen(adapter):
    release = short_release()
    return adapter.render(release, with_files_of(adapter, release, render_context()))


def people(count: int, kind: str = "online") -> list[Recipient]:
    return [
        Recipient(f"desk{n}@media.example", f"Desk {n}", kind, f"https://x/u/{n}")
        for n in range(count)
    ]


def test_groups_without_to_are_enough_but_one_of_them_is_needed():
    base = {"host": "smtp.example", "from_address": SENDER}
    assert EmailAdapter.validate_settings({**base, "groups": ["harian"]}).to == []
    with pytest.raises(ValidationError, match="to"):
        EmailAdapter.validate_settings(base)


def test_a_message_per_kind_is_frozen_without_to_or_message_id(tmp_path):
    rendition = frozen(channel(25, tmp_path))
    names = sorted(f.name for f in rendition.files)
    assert names == [
        "message-online.eml",
        "message-print.eml",
        "message-radio.eml",
        "message-tv.eml",
        "message.eml",
    ]
    skeleton = message_from_bytes(
        rendition.file("message-print.eml").data, policy=default
    )
    assert skeleton["To"] is None and skeleton["Message-ID"] is None
    assert skeleton["Subject"].startswith("[SIARAN PERS")


def test_a_retry_reuses_each_recipients_message_id(desk, tmp_path):
    adapter = channel(desk.port, tmp_path)
    rendition = frozen(adapter)
    ledger = ListLedger(people(3))
    desk.rcpt_replies["desk1@media.example"] = "451 4.7.1 Coba lagi nanti"

    with pytest.raises(RetryableError) as caught:
        adapter.deliver_to(rendition, "kunci-1", ledger)
    assert caught.value.notice.code == "email.recipients_deferred"
    assert "451 4.7.1 Coba lagi nanti" in caught.value.notice.params["remote"]

    del desk.rcpt_replies["desk1@media.example"]
    adapter.deliver_to(rendition, "kunci-1", ledger)

    arrived = [a.rcpt_tos[0] for a in desk.arrived]
    assert arrived == [
        "desk0@media.example",
        "desk2@media.example",
        "desk1@media.example",
    ]
    ids = {
        a.rcpt_tos[0]: message_from_bytes(a.data, policy=default)["Message-ID"]
        for a in desk.arrived
    }
    assert ids["desk1@media.example"] == message_id(
        "kunci-1", "desk1@media.example", "baliprov.example"
    )
    assert (
        ledger.outcomes["desk1@media.example"].message_id == ids["desk1@media.example"]
    )


def test_everyone_refused_for_good_is_permanent(desk, tmp_path):
    adapter = channel(desk.port, tmp_path)
    for recipient in people(2):
        desk.rcpt_replies[recipient.address] = "550 5.1.1 No such user"

    with pytest.raises(PermanentError) as caught:
        adapter.deliver_to(frozen(adapter), "kunci-1", ListLedger(people(2)))

    assert caught.value.notice.code == "email.recipients_refused"
    assert desk.arrived == []


def test_the_envelope_sender_is_the_bounce_address(desk, tmp_path):
    adapter = channel(desk.port, tmp_path, bounce_address="pantulan@baliprov.example")
    adapter.deliver_to(frozen(adapter), "kunci-1", ListLedger(people(1)))

    (arrived,) = desk.arrived
    message = message_from_bytes(arrived.data, policy=default)
    assert arrived.mail_from == "pantulan@baliprov.example"
    assert message["From"].addresses[0].addr_spec == SENDER
    assert message["List-Unsubscribe"] == "<https://x/u/0>"


def test_a_desk_of_the_to_list_has_no_unsubscribe_link(desk, tmp_path):
    adapter = channel(desk.port, tmp_path, to=["redaksi@koran.example"])
    ledger = ListLedger([Recipient("redaksi@koran.example")])
    adapter.deliver_to(frozen(adapter), "kunci-1", ledger)

    message = message_from_bytes(desk.arrived[0].data, policy=default)
    assert message["List-Unsubscribe"] is None
    assert [a.addr_spec for a in message["To"].addresses] == ["redaksi@koran.example"]


def test_an_empty_group_is_refused_not_reported_sent(desk, tmp_path):
    adapter = channel(desk.port, tmp_path)

    with pytest.raises(PermanentError) as caught:
        adapter.deliver_to(frozen(adapter), "kunci-1", ListLedger([]))

    assert caught.value.notice.code == "email.no_recipients"
    assert caught.value.notice.params == {"groups": "harian"}
