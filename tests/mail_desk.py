"""A desk's mail server for tests: aiosmtpd that records and answers as told."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PASSWORD = "sandi-rahasia-Smtp-2022"
QUEUED = "250 2.0.0 Ok: queued as 7F3A2B"


@dataclass
class Arrived:
    """One message as the desk's mail server received it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    over_tls: bool

    @property
    def message(self) -> EmailMessage:
        """The message as a mail client parses it."""
        return message_from_bytes(self.data, policy=default)


class Desk:
    """An aiosmtpd handler that records every message and answers as it is told."""

    def __init__(self) -> None:
        self.arrived: list[Arrived] = []
        self.logins: list[str] = []
        self.mail_reply = "250 OK"
        self.rcpt_replies: dict[str, str] = {}  # address -> refusal
        self.data_reply = QUEUED
        self.after_data = "answer"  # or "hang up", "stall"
        self.hang_up_at_mail = False
        self.hang_up_at: int | None = None  # the number of the message to drop at

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        """Take the sender, refuse it, or drop the connection before DATA."""
        if self.hang_up_at_mail:
            server.transport.close()
        if self.mail_reply.startswith("250"):
            envelope.mail_from = address
        return self.mail_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Accept a recipient unless told to refuse it."""
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Record the message, then answer, hang up or say nothing for a long time."""
        self.arrived.append(
            Arrived(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        if self.after_data == "hang up" or len(self.arrived) == self.hang_up_at:
            server.transport.close()
        elif self.after_data == "stall":
            await asyncio.sleep(30)  # cut short when the server stops
        return self.data_reply

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """Accept the channel's user with the right password only."""
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login.decode())
        ok = auth_data.login == b"humas" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)


class LocalController(Controller):
    """aiosmtpd's Controller listening on a port the kernel picks."""

    def _trigger_server(self) -> None:
        # Controller pokes its own port once started; with port 0 it must ask first.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_desk(**options: object) -> tuple[Desk, LocalController]:
    """A desk's SMTP server on 127.0.0.1 (aiosmtpd options as keywords);
    `with_auth=True` asks for the login `humas` with PASSWORD."""
    desk = Desk()
    if options.pop("with_auth", False):
        options["authenticator"] = desk.authenticate
        options.setdefault("auth_require_tls", False)
    controller = LocalController(
        desk,
        hostname="127.0.0.1",
        port=0,
        server_hostname="mail.koran-bali.example",
        **options,
    )
    controller.start()
    return desk, controller
