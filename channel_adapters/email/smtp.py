"""Sending a frozen e-mail over SMTP, and what each answer means.

Before the message is sent, a 4xx answer or a lost connection may pass (retry) and a
5xx answer will not (a person fixes the settings); once DATA was sent, a broken
connection leaves the outcome unknown. The server's own reply travels verbatim in
the notice (`remote`), with the password masked.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

from ..base import (
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    Rendition,
    RetryableError,
    UnknownOutcomeError,
)
from ..notice import Notice
from .recipients import (
    MESSAGE_OF_KIND,
    Recipient,
    RecipientLedger,
    RecipientOutcome,
    message_id,
    personal_headers,
)

if TYPE_CHECKING:
    from .adapter import EmailSettings

log = logging.getLogger(__name__)

MESSAGE = "message.eml"
MASK = "*" * 10


class SmtpDelivery:
    """The SMTP half of the e-mail adapter: deliver, check and their errors."""

    channel: str
    settings: EmailSettings

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Send the frozen message to every desk; map each SMTP outcome."""
        frozen = rendition.file(MESSAGE)
        if frozen is None:
            raise PermanentError(Notice("delivery.no_payload", {"file": MESSAGE}))
        headers = BytesHeaderParser(policy=SMTP).parsebytes(frozen.data)
        message_id = str(headers["Message-ID"] or "").strip()
        # Date says when this attempt left; everything after it is the frozen bytes.
        date = f"Date: {format_datetime(datetime.now(UTC))}\r\n".encode("ascii")
        recipients = list(dict.fromkeys(self.settings.to))
        data_sent = False
        smtp = self._connect()
        try:
            code, reply = smtp.mail(self.settings.from_address)
            if code != 250:
                raise self._refusal("email.sender_refused", code, reply)
            refused: dict[str, tuple[int, bytes]] = {}
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    refused[address] = (code, reply)
            if len(refused) == len(recipients):
                raise self._all_refused(refused)
            data_sent = True
            code, reply = smtp.data(date + frozen.data)
            if code != 250:
                raise self._refusal("email.message_refused", code, reply)
        except DeliveryError:
            _close(smtp, politely=True)
            raise
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=False)
            if data_sent:
                raise UnknownOutcomeError(self._after_send(exc)) from exc
            raise self._failure(exc) from exc
        _close(smtp, politely=True)
        detail = (
            f"{self._server} accepted the message for "
            f"{len(recipients) - len(refused)} of {len(recipients)} recipients: "
            f"{code} {self._text(reply)}"
        )
        if refused:
            listed = "; ".join(
                f"{address} ({status} {self._text(answer)})"
                for address, (status, answer) in refused.items()
            )
            detail += f". Refused: {listed}"
            log.warning("channel %s: %s", self.channel, detail)
        return DeliveryResult(remote_id=message_id, detail=detail)

    def deliver_to(
        self, rendition: Rendition, idempotency_key: str, ledger: RecipientLedger
    ) -> DeliveryResult:
        """Send each pending recipient their own copy over one session, storing
        each reply in `ledger` before the next; only those without a copy remain.

        A refusal (RCPT or DATA) concerns that recipient only. A connection lost
        before a recipient's DATA leaves them for the retry; lost during it, their
        copy is unknown and never resent. Temporary refusals or a lost connection
        end in RetryableError, so the retry mails exactly those who are left.
        """
        mailing = ledger.pending()
        if not mailing.recipients and not mailing.accepted_before:
            groups = ", ".join(self.settings.groups)
            raise PermanentError(Notice("email.no_recipients", {"groups": groups}))
        if not mailing.recipients:
            return self._mailed(mailing.accepted_before, [])
        domain = self.settings.from_address.rsplit("@", 1)[1]
        smtp = self._connect()
        outcomes: list[RecipientOutcome] = []
        try:
            for recipient in mailing.recipients:
                name = MESSAGE_OF_KIND.get(recipient.kind, MESSAGE)
                frozen = rendition.file(name)
                if frozen is None:  # groups were added after the approval
                    raise PermanentError(Notice("delivery.no_payload", {"file": name}))
                mid = message_id(idempotency_key, recipient.address, domain)
                outcome = self._send_copy(smtp, recipient, mid, frozen.data, ledger)
                ledger.record(outcome)
                outcomes.append(outcome)
        except DeliveryError:
            _close(smtp, politely=True)
            raise
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=False)
            raise RetryableError(self._lost(exc)) from exc
        except BaseException:  # the ledger could not store a reply: stop here
            _close(smtp, politely=False)
            raise
        _close(smtp, politely=True)
        deferred = [o for o in outcomes if o.status == "refused" and _temporary(o)]
        if deferred:
            raise RetryableError(
                Notice(
                    "email.recipients_deferred",
                    {"host": self._server, "remote": self._outcomes(deferred)},
                ),
                status=deferred[0].code,
            )
        accepted = mailing.accepted_before + sum(
            o.status == "accepted" for o in outcomes
        )
        refused = [o for o in outcomes if o.status == "refused"]
        if not accepted and refused and len(refused) == len(outcomes):
            raise PermanentError(
                Notice(
                    "email.recipients_refused",
                    {"host": self._server, "remote": self._outcomes(refused)},
                ),
                status=refused[0].code,
            )
        return self._mailed(accepted, refused)

    def _send_copy(
        self,
        smtp: smtplib.SMTP,
        recipient: Recipient,
        mid: str,
        frozen: bytes,
        ledger: RecipientLedger,
    ) -> RecipientOutcome:
        """One transaction (MAIL, RCPT, DATA) for one recipient's copy."""
        envelope = self.settings.bounce_address or self.settings.from_address
        code, reply = smtp.mail(envelope)
        if code != 250:
            raise self._refusal("email.sender_refused", code, reply)
        code, reply = smtp.rcpt(recipient.address)
        if code not in (250, 251):
            smtp.rset()
            return RecipientOutcome(recipient, "refused", mid, code, self._text(reply))
        # Unknown until the server answers: a crash now must not mail them twice.
        ledger.record(RecipientOutcome(recipient, "unknown", mid))
        date = format_datetime(datetime.now(UTC))
        data = personal_headers(recipient, mid, date) + frozen
        try:
            code, reply = smtp.data(data)
        except (smtplib.SMTPException, OSError) as exc:
            # This copy stays unknown (never resent); the others are still safe
            # to send, so the delivery tries again for them.
            _close(smtp, politely=False)
            notice = Notice(
                "email.copy_unknown",
                {"host": self._server, "address": recipient.address},
            )
            raise RetryableError(notice) from exc
        status = "accepted" if code == 250 else "refused"
        return RecipientOutcome(recipient, status, mid, code, self._text(reply))

    def _mailed(self, accepted: int, refused: list[RecipientOutcome]) -> DeliveryResult:
        """The result of a mailing: how many copies went, who refused and why."""
        detail = f"{self._server} accepted {accepted} copies"
        if refused:
            detail += f"; refused: {self._outcomes(refused)}"
            log.warning("channel %s: %s", self.channel, detail)
        return DeliveryResult(detail=detail)

    def _outcomes(self, outcomes: list[RecipientOutcome]) -> str:
        """Recipients with the server's reply to each, verbatim."""
        return "; ".join(f"{o.recipient.address}: {o.code} {o.reply}" for o in outcomes)

    def check(self) -> CheckResult:
        """Connect, greet, STARTTLS and log in as configured, then NOOP and quit."""
        try:
            smtp = self._connect()
        except DeliveryError as exc:
            return CheckResult(ok=False, notice=exc.notice)
        try:
            code, reply = smtp.noop()
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=False)
            return CheckResult(ok=False, notice=self._failure(exc).notice)
        _close(smtp, politely=True)
        if code != 250:
            refusal = self._refusal("email.command_refused", code, reply)
            return CheckResult(ok=False, notice=refusal.notice)
        params = {"host": self._server, "security": self.settings.security}
        if self.settings.username:
            params["username"] = self.settings.username
            return CheckResult(ok=True, notice=Notice("email.check_login_ok", params))
        return CheckResult(ok=True, notice=Notice("email.check_ok", params))

    @property
    def _port(self) -> int:
        """The configured port, else the submission port for the security chosen."""
        return self.settings.port or (465 if self.settings.security == "ssl" else 587)

    @property
    def _server(self) -> str:
        """`host:port`, for messages an editor reads."""
        return f"{self.settings.host}:{self._port}"

    def _connect(self) -> smtplib.SMTP:
        """A session that has greeted, secured and logged in, or a DeliveryError."""
        s = self.settings
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, self._port, timeout=s.timeout, context=_tls()
                )
            else:
                smtp = smtplib.SMTP(s.host, self._port, timeout=s.timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise self._failure(exc) from exc
        try:
            smtp.ehlo_or_helo_if_needed()
            if s.security == "starttls":
                smtp.starttls(context=_tls())
                smtp.ehlo_or_helo_if_needed()
            if s.username and s.password:
                smtp.login(s.username, s.password.get_secret_value())
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=isinstance(exc, smtplib.SMTPResponseException))
            raise self._failure(exc) from exc
        return smtp

    def _refusal(self, code: str, status: int, reply: bytes | str) -> DeliveryError:
        """An SMTP answer as an error: 4xx may pass, 5xx will not."""
        params = {"host": self._server, "status": status, "remote": self._text(reply)}
        if 400 <= status < 500:
            return RetryableError(Notice(code, params), status=status)
        return PermanentError(Notice(code, params), status=status)

    def _listed(self, refused: dict[str, tuple[int, bytes]]) -> str:
        """Refused recipients with the server's answer to each, verbatim."""
        return "; ".join(
            f"{address}: {status} {self._text(answer)}"
            for address, (status, answer) in refused.items()
        )

    def _all_refused(self, refused: dict[str, tuple[int, bytes]]) -> DeliveryError:
        """Every recipient refused: permanent, unless one refusal was temporary."""
        notice = Notice(
            "email.recipients_refused",
            {"host": self._server, "remote": self._listed(refused)},
        )
        codes = [code for code, _ in refused.values()]
        if any(400 <= code < 500 for code in codes):
            return RetryableError(notice, status=min(codes))
        return PermanentError(notice, status=max(codes))

    def _failure(self, exc: smtplib.SMTPException | OSError) -> DeliveryError:
        """What an error before the message was sent means: fixable, or try later?"""
        if isinstance(exc, smtplib.SMTPResponseException):
            code = {
                smtplib.SMTPAuthenticationError: "email.login_refused",
                smtplib.SMTPConnectError: "email.connection_refused",
                smtplib.SMTPHeloError: "email.greeting_refused",
            }.get(type(exc), "email.command_refused")
            return self._refusal(code, exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return RetryableError(self._lost(exc))
        if isinstance(exc, smtplib.SMTPException):
            # "STARTTLS extension not supported", "No suitable authentication method"
            return PermanentError(
                Notice(
                    "email.setup_refused",
                    {"host": self._server, "remote": self._text(str(exc))},
                )
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            return PermanentError(
                Notice(
                    "email.certificate_untrusted",
                    {"host": self._server, "reason": str(exc.verify_message or "")},
                )
            )
        if isinstance(exc, ssl.SSLError):
            return PermanentError(
                Notice(
                    "email.no_tls",
                    {"host": self._server, "reason": str(exc.reason or exc)},
                )
            )
        return RetryableError(self._lost(exc))

    def _after_send(self, exc: BaseException) -> Notice:
        """Why the outcome of a sent message is unknown: no answer, or a break."""
        if isinstance(exc, smtplib.SMTPServerDisconnected) and exc.__context__:
            exc = exc.__context__  # smtplib wraps a timeout or reset while reading
        if isinstance(exc, TimeoutError):
            return Notice(
                "delivery.timeout_after_send",
                {"host": self._server, "seconds": self.settings.timeout},
            )
        return Notice(
            "delivery.broken_after_send",
            {"host": self._server, "reason": type(exc).__name__},
        )

    def _lost(self, exc: BaseException) -> Notice:
        """Why no message could be sent: timeout, refused, unknown host, closed."""
        if isinstance(exc, smtplib.SMTPServerDisconnected) and exc.__context__:
            exc = exc.__context__  # smtplib wraps a timeout or reset while reading
        if isinstance(exc, TimeoutError):
            return Notice(
                "delivery.connect_timeout",
                {"host": self._server, "seconds": self.settings.timeout},
            )
        if isinstance(exc, socket.gaierror):
            return Notice("email.unknown_host", {"host": self.settings.host})
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return Notice("email.server_closed", {"host": self._server})
        if isinstance(exc, OSError) and exc.strerror:
            reason = self._text(exc.strerror)
        else:
            reason = self._text(str(exc)) or type(exc).__name__
        return Notice(
            "delivery.connection_failed", {"host": self._server, "reason": reason}
        )

    def _text(self, reply: bytes | str) -> str:
        """A server's reply as one line of text, without our password."""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        text = " ".join(text.split())
        if self.settings.password:
            text = text.replace(self.settings.password.get_secret_value(), MASK)
        return text


def _temporary(outcome: RecipientOutcome) -> bool:
    """A 4xx reply: the server may take this copy later."""
    return outcome.code is not None and 400 <= outcome.code < 500


def _tls() -> ssl.SSLContext:
    """Certificates checked against the system store (or SSL_CERT_FILE)."""
    return ssl.create_default_context()


def _close(smtp: smtplib.SMTP, *, politely: bool) -> None:
    """QUIT if the session is healthy, then drop the connection either way."""
    if politely:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the outcome is already decided; a failing QUIT changes nothing
    smtp.close()
