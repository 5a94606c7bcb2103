"""Who gets their own copy of a release, and how each copy is told apart.

A channel with `groups` mails each recipient separately: their own address in `To:`,
the files their kind of newsroom needs, a `Message-ID` derived from the delivery's
idempotency key and their address (a retry reuses it), and a one-click unsubscribe
link. The adapter imports nothing from `publisher`: the caller hands it a
`RecipientLedger` that says who still needs a copy and stores each reply at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Literal, Protocol

from ..base import DOCX, PDF

# The kinds of newsroom a contact can be, and which adapters' files each needs
# (adapter type -> the media types taken from its rendition).
KIND_FILES: dict[str, dict[str, tuple[str, ...]]] = {
    "print": {"print": (PDF, DOCX)},
    "radio": {"radio": ("text/plain",)},
    "tv": {"tv": (PDF, "text/plain")},
    "online": {"print": (PDF,)},
    "agency": {"print": (PDF,)},
}
# A recipient of the literal `to` list is a desk: they get the files of `attach`.
DESK = "desk"
# The frozen message each kind receives; online and agency read the same one.
MESSAGE_OF_KIND = {
    "print": "message-print.eml",
    "radio": "message-radio.eml",
    "tv": "message-tv.eml",
    "online": "message-online.eml",
    "agency": "message-online.eml",
    DESK: "message.eml",
}

Status = Literal["accepted", "refused", "unknown"]


@dataclass(frozen=True)
class Recipient:
    """One address that gets its own copy; `kind` chooses the files."""

    address: str
    name: str = ""
    kind: str = DESK
    unsubscribe_url: str = ""  # empty for desks of the literal `to` list


@dataclass(frozen=True)
class Mailing:
    """Who still needs a copy of this delivery, and how many already have one."""

    recipients: tuple[Recipient, ...]
    accepted_before: int = 0


@dataclass(frozen=True)
class RecipientOutcome:
    """What the server replied to one recipient's copy (`code` None: no reply)."""

    recipient: Recipient
    status: Status
    message_id: str
    code: int | None = None
    reply: str = ""


class RecipientLedger(Protocol):
    """The caller's record of a delivery's recipients (the database, in the app)."""

    def pending(self) -> Mailing:
        """Recipients resolved now, without those who have a copy or a final no."""
        ...

    def record(self, outcome: RecipientOutcome) -> None:
        """Store one recipient's outcome at once (before the next one is sent)."""
        ...


def message_id(idempotency_key: str, address: str, domain: str) -> str:
    """`<hash@domain>`: the same for a delivery and recipient on every attempt."""
    digest = hashlib.sha256(f"{idempotency_key}\0{address.lower()}".encode())
    return f"<{digest.hexdigest()[:32]}@{domain}>"


def personal_headers(recipient: Recipient, message_id: str, date: str) -> bytes:
    """The header lines that make a frozen message one recipient's own copy."""
    # Long lines rather than folds: some clients misread a folded List-Unsubscribe.
    headers = EmailMessage(policy=SMTP.clone(max_line_length=998))
    headers["To"] = Address(recipient.name, addr_spec=recipient.address)
    headers["Message-ID"] = message_id
    headers["Date"] = date
    if recipient.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{recipient.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    head, _, _ = headers.as_bytes().partition(b"\r\n\r\n")
    return head + b"\r\n"


def unique(recipients: Sequence[Recipient]) -> tuple[Recipient, ...]:
    """Each address once (case-insensitively), the first mention winning."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        seen.setdefault(recipient.address.lower(), recipient)
    return tuple(seen.values())
