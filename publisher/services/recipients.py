"""Whom an e-mail delivery with contact groups mails, and what each server said.

The dispatcher hands the e-mail adapter a `DeliveryLedger`: at send time it resolves
the channel's groups into their active, subscribed contacts (plus the literal `to`
desks), leaves out everyone who already has a copy or a final refusal, and stores
each recipient's outcome in its own transaction, so a retry, in this process or
another, mails exactly those who are left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from channel_adapters.email.recipients import (
    Mailing,
    Recipient,
    RecipientOutcome,
    unique,
)

from ..config import Config
from ..db import Database
from ..models import (
    ContactGroup,
    Delivery,
    DeliveryRecipient,
    DeliveryStatus,
    MediaContact,
    RecipientStatus,
    utcnow,
)
from .contacts import unsubscribe_url


def is_final(row: DeliveryRecipient) -> bool:
    """Accepted, unknown (maybe delivered) or refused for good (5xx): not resent."""
    if row.status == RecipientStatus.REFUSED:
        return row.reply_code is not None and row.reply_code >= 500
    return True


def mailable_contacts(session: Session, groups: list[str]) -> list[MediaContact]:
    """The active, subscribed members of `groups`, oldest first."""
    names = [g.lower() for g in groups]
    return list(
        session.scalars(
            select(MediaContact)
            .where(
                MediaContact.groups.any(ContactGroup.name.in_(names)),
                MediaContact.active.is_(True),
                MediaContact.unsubscribed_at.is_(None),
            )
            .order_by(MediaContact.id)
        )
    )


class DeliveryLedger:
    """The database's record of one delivery's recipients (`RecipientLedger`)."""

    def __init__(
        self,
        database: Database,
        config: Config,
        delivery_id: int,
        channel: str,
        *,
        owner: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = database
        self.config = config
        self.delivery_id = delivery_id
        self.settings = config.channels[channel].settings
        self.owner = owner  # the dispatcher holding the delivery's lease
        self.clock = clock

    def pending(self) -> Mailing:
        """Desks and group members resolved now, without those already done."""
        with self.db.session() as session:
            done = {
                row.email.lower(): row
                for row in session.scalars(
                    select(DeliveryRecipient).where(
                        DeliveryRecipient.delivery_id == self.delivery_id
                    )
                )
            }
            desks = [Recipient(address) for address in self.settings.to]
            members = [
                Recipient(
                    c.email,
                    c.name,
                    str(c.kind),
                    unsubscribe_url(self.config, c.id),
                )
                for c in mailable_contacts(session, self.settings.groups)
            ]
        everyone = unique([*desks, *members])
        left = tuple(
            r
            for r in everyone
            if (row := done.get(r.address.lower())) is None or not is_final(row)
        )
        accepted = sum(row.status == RecipientStatus.ACCEPTED for row in done.values())
        return Mailing(left, accepted_before=accepted)

    def record(self, outcome: RecipientOutcome) -> None:
        """Store one recipient's outcome now, in a transaction of its own."""
        address = outcome.recipient.address
        with self.db.session() as session:
            row = session.scalar(
                select(DeliveryRecipient).where(
                    DeliveryRecipient.delivery_id == self.delivery_id,
                    DeliveryRecipient.email == address,
                )
            )
            if row is None:
                contact_id = session.scalar(
                    select(MediaContact.id).where(MediaContact.email == address.lower())
                )
                row = DeliveryRecipient(
                    delivery_id=self.delivery_id,
                    contact_id=contact_id,
                    email=address,
                    name=outcome.recipient.name,
                    kind=outcome.recipient.kind,
                )
                session.add(row)
            row.status = RecipientStatus(outcome.status)
            row.reply_code = outcome.code
            row.reply_text = outcome.reply[:2000]
            row.message_id = outcome.message_id
            now = self.clock()
            row.at = now
            # A long list must not outlive the lease: each copy renews it.
            lease = timedelta(seconds=self.config.dispatcher.lease_seconds)
            session.execute(
                update(Delivery)
                .where(
                    Delivery.id == self.delivery_id,
                    Delivery.status == DeliveryStatus.SENDING,
                    Delivery.lease_owner == self.owner,
                )
                .values(lease_expires_at=now + lease)
                .execution_options(synchronize_session=False)
            )


def results(session: Session, delivery_id: int) -> list[DeliveryRecipient]:
    """A delivery's recipients and their servers' replies, by address."""
    return list(
        session.scalars(
            select(DeliveryRecipient)
            .where(DeliveryRecipient.delivery_id == delivery_id)
            .order_by(DeliveryRecipient.email)
        )
    )
