"""Editors' desks receive each release by e-mail: HTML and plain text, with files.

The whole message (headers, both parts, attachments) is frozen at approval as
`message.eml`, so a retry sends the same bytes; only `Date` is added when it is sent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import smtplib
import socket
import ssl
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP
from email.utils import format_datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)

from ..base import (
    DOCX,
    PDF,
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
    RetryableError,
    UnknownOutcomeError,
)
from ..print.layout import LABELS as PRINT_LABELS
from ..text.formatting import dateline_date, long_datetime
from ..text.markdown import to_html, to_text

log = logging.getLogger(__name__)

MESSAGE = "message.eml"
# The print desk's wording, so a desk reads the same release line in both.
ONLINE = {"id": "Versi daring", "en": "Online version"}
LABELS = {lang: {**PRINT_LABELS[lang], "online": ONLINE[lang]} for lang in ONLINE}
# Which of an attached adapter's files a desk gets: the body already holds the text.
ATTACHABLE = {"print": (PDF, DOCX), "radio": ("text/plain",), "tv": (PDF, "text/plain")}
# Many mail servers refuse messages over 10 MB (attachments grow by a third in base64).
SIZE_WARNING = 10_000_000
ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


def _address(value: str) -> str:
    """A bare ASCII address such as `redaksi@koran.example`."""
    value = value.strip()
    if not ADDRESS.fullmatch(value):
        raise ValueError(
            "not an e-mail address (write it bare, e.g. redaksi@koran.example; "
            "an international domain in its xn-- form)"
        )
    return value


EmailAddress = Annotated[str, AfterValidator(_address)]


class EmailSettings(AdapterSettings):
    """The SMTP server, the sender and the desks that receive the release."""

    # A validation error must not echo the password back into logs or the UI.
    model_config = ConfigDict(hide_input_in_errors=True)

    host: Annotated[str, Field(min_length=1, pattern=r"^[^\s/:@]+$")]
    port: Annotated[int, Field(gt=0, lt=65536)] | None = None  # 587, or 465 with ssl
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_address: EmailAddress
    from_name: str | None = None  # defaults to the organization's short name
    to: Annotated[list[EmailAddress], Field(min_length=1)]
    # Desks do not see each other's addresses, and a reply-all reaches only the office.
    bcc: bool = True
    reply_to: EmailAddress | None = None  # defaults to the organization's e-mail
    timeout: Annotated[float, Field(gt=0)] = 30.0
    attach: list[str] = []  # adapter types whose files go along: print, radio, tv

    @model_validator(mode="after")
    def _login_complete(self) -> EmailSettings:
        if bool(self.username) != bool(self.password):
            raise ValueError("username and password go together: set both or neither")
        return self


class EmailAdapter(Adapter):
    """A multipart e-mail (HTML and plain text) with the chosen desks' files."""

    name = "email"
    label = "E-mail"
    Settings = EmailSettings
    # A second copy lands in every inbox; only some mail systems drop it by Message-ID.
    idempotent = False

    settings: EmailSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """Both parts for the preview; with files, the complete message as well."""
        org = context.organization
        lang = "en" if release.language == "en" else "id"
        labels = LABELS[lang]
        title = " ".join(release.title.split())
        release_line = labels["immediate"]
        tag = labels["heading"]
        if release.embargo_at:
            when = long_datetime(release.embargo_at, org.timezone, lang)
            release_line = labels["embargo"].format(when=when)
            tag = f"{tag} – {release_line}"
        subject = f"[{tag}] {title}"
        moment = release.approved_at or context.now
        city = release.dateline_city or org.city
        phone = f"{labels['phone']} {org.phone}" if org.phone else ""
        values = {
            "release": release,
            "org": org,
            "lang": lang,
            "labels": labels,
            "subject": subject,
            "title": title,
            "release_line": release_line,
            "dateline": f"{city}, {dateline_date(moment, org.timezone, lang)} –",
            "body_html": to_html(release.body_markdown),
            "body_text": to_text(release.body_markdown),
            "about": org.about_en if lang == "en" else org.about,
            "about_heading": labels["about"].format(name=org.short_name or org.name),
            "org_line": " · ".join(filter(None, (phone, org.email, org.website))),
            "signature_separator": "-- ",  # "-- " lets mail clients fold the signature
        }
        text = self.template(context, "message.txt").render(values)
        html = self.template(context, "message.html").render(values)
        attach, warnings = self._attachable()
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            attachments, missing = self._attachments(attach, release, context)
            warnings.extend(missing)
            data = self._message(release, values, text, html, attachments)
            if len(data) > SIZE_WARNING:
                warnings.append(
                    f"The e-mail is {len(data) / 1_000_000:.1f} MB; many mail servers "
                    "refuse messages over 10 MB."
                )
            files = (RenditionFile(MESSAGE, "message/rfc822", data),)
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            html=html,
            files=files,
            warnings=tuple(warnings),
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Send the frozen message to every desk; map each SMTP outcome."""
        frozen = rendition.file(MESSAGE)
        if frozen is None:
            raise PermanentError(f"the rendition has no {MESSAGE}; render it again")
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
                raise self._refusal("refused the sender address", code, reply)
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
                raise self._refusal("refused the message", code, reply)
        except DeliveryError:
            _close(smtp, politely=True)
            raise
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=False)
            if data_sent:
                raise UnknownOutcomeError(
                    f"the connection to {self._server} failed after the message was "
                    f"sent ({self._reason(exc)}); check with a desk before sending "
                    "again"
                ) from exc
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

    def check(self) -> CheckResult:
        """Connect, greet, STARTTLS and log in as configured, then NOOP and quit."""
        try:
            smtp = self._connect()
        except DeliveryError as exc:
            return CheckResult(ok=False, detail=exc.detail)
        try:
            code, reply = smtp.noop()
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp, politely=False)
            return CheckResult(ok=False, detail=self._failure(exc).detail)
        _close(smtp, politely=True)
        if code != 250:
            return CheckResult(
                ok=False, detail=self._refusal("NOOP", code, reply).detail
            )
        steps = {"starttls": " with STARTTLS", "ssl": " over TLS", "none": ""}
        detail = f"{self._server} answered{steps[self.settings.security]}"
        if self.settings.username:
            detail += f" and accepted the login of {self.settings.username}"
        return CheckResult(ok=True, detail=detail)

    @property
    def _port(self) -> int:
        """The configured port, else the submission port for the security chosen."""
        return self.settings.port or (465 if self.settings.security == "ssl" else 587)

    @property
    def _server(self) -> str:
        """`host:port`, for messages an editor reads."""
        return f"{self.settings.host}:{self._port}"

    def _attachable(self) -> tuple[list[type[Adapter]], list[str]]:
        """The adapters named in `attach` that can be attached, and why others not."""
        # Imported here: the registry imports this module.
        from ..registry import ADAPTERS

        found: list[type[Adapter]] = []
        warnings: list[str] = []
        for name in dict.fromkeys(self.settings.attach):
            if name in ATTACHABLE and name in ADAPTERS:
                found.append(ADAPTERS[name])
            else:
                warnings.append(
                    f"The e-mail cannot attach files of {name!r} (it attaches "
                    f"{', '.join(sorted(ATTACHABLE))} where installed); left out."
                )
        return found, warnings

    def _attachments(
        self,
        adapters: list[type[Adapter]],
        release: ReleaseSnapshot,
        context: RenderContext,
    ) -> tuple[list[RenditionFile], list[str]]:
        """Each attached adapter's files, rendered with its default settings."""
        files: list[RenditionFile] = []
        warnings: list[str] = []
        for cls in adapters:
            try:
                settings = cls.validate_settings({})
            except ValidationError:
                warnings.append(
                    f"The e-mail cannot attach files of {cls.name!r}: that adapter "
                    "needs settings of its own; left out."
                )
                continue
            made = cls(self.channel, settings, self.data_dir).render(release, context)
            wanted = ATTACHABLE[cls.name]
            chosen = [f for f in made.files if _main_type(f.media_type) in wanted]
            if not chosen:
                warnings.append(f"The {cls.name!r} adapter made no file to attach.")
            taken = {f.name for f in files}
            # Radio and TV may both call their script <stem>.txt; a desk needs both.
            files.extend(
                dataclasses.replace(f, name=f"{cls.name}-{f.name}")
                if f.name in taken
                else f
                for f in chosen
            )
        return files, warnings

    def _message(
        self,
        release: ReleaseSnapshot,
        values: dict,
        text: str,
        html: str,
        attachments: list[RenditionFile],
    ) -> bytes:
        """The RFC 5322 message, byte for byte the same on every render."""
        s = self.settings
        org = values["org"]
        sender = Address(
            s.from_name or org.short_name or org.name, addr_spec=s.from_address
        )
        message = EmailMessage(policy=SMTP)
        message["Subject"] = values["subject"]
        message["From"] = sender
        message["To"] = sender if s.bcc else ", ".join(dict.fromkeys(s.to))
        if s.reply_to or org.email:
            message["Reply-To"] = s.reply_to or org.email
        message["Message-ID"] = self._message_id(release)
        # Quoted-printable keeps every part 7-bit, so no server needs 8BITMIME.
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        for file in attachments:
            maintype, subtype = _main_type(file.media_type).split("/")
            params = {"charset": "utf-8"} if maintype == "text" else None
            message.add_attachment(
                file.data,
                maintype=maintype,
                subtype=subtype,
                filename=file.name,
                params=params,
            )
        # Boundaries are random by default; derived from the content they are stable.
        digest = hashlib.sha256(text.encode() + html.encode())
        for file in attachments:
            digest.update(hashlib.sha256(file.data).digest())
        for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
            part.set_boundary(f"=_{digest.hexdigest()[:32]}_{number}")
        # Set last: set_content and add_attachment move Content-* headers around.
        message["Content-Language"] = values["lang"]
        return message.as_bytes()

    def _message_id(self, release: ReleaseSnapshot) -> str:
        """`<public-id.r2.channel@domain>`: stable per release, revision and channel."""
        local = re.sub(r"[^A-Za-z0-9-]+", "-", release.public_id).strip("-") or "rilis"
        domain = self.settings.from_address.rsplit("@", 1)[1]
        return f"<{local}.r{release.revision}.{self.channel}@{domain}>"

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

    def _refusal(self, what: str, code: int, reply: bytes | str) -> DeliveryError:
        """An SMTP answer as an error: 4xx may pass, 5xx will not."""
        detail = f"{self._server} {what}: {code} {self._text(reply)}"
        if 400 <= code < 500:
            return RetryableError(detail, status=code)
        return PermanentError(detail, status=code)

    def _all_refused(self, refused: dict[str, tuple[int, bytes]]) -> DeliveryError:
        """Every recipient refused: permanent, unless one refusal was temporary."""
        listed = "; ".join(
            f"{address}: {status} {self._text(answer)}"
            for address, (status, answer) in refused.items()
        )
        detail = f"{self._server} refused every recipient ({listed})"
        codes = [code for code, _ in refused.values()]
        if any(400 <= code < 500 for code in codes):
            return RetryableError(detail, status=min(codes))
        return PermanentError(detail, status=max(codes))

    def _failure(self, exc: smtplib.SMTPException | OSError) -> DeliveryError:
        """What an error before the message was sent means: fixable, or try later?"""
        if isinstance(exc, smtplib.SMTPResponseException):
            what = {
                smtplib.SMTPAuthenticationError: "refused the login",
                smtplib.SMTPConnectError: "refused the connection",
                smtplib.SMTPHeloError: "refused the greeting",
            }.get(type(exc), "answered")
            return self._refusal(what, exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return RetryableError(f"{self._server}: {self._reason(exc)}; nothing sent")
        if isinstance(exc, smtplib.SMTPException):
            # "STARTTLS extension not supported", "No suitable authentication method"
            return PermanentError(
                f"{self._server}: {self._text(str(exc))}; check the channel's "
                "security, port and username"
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            return PermanentError(
                f"the certificate of {self._server} is not trusted "
                f"({exc.verify_message}); nothing sent"
            )
        if isinstance(exc, ssl.SSLError):
            return PermanentError(
                f"no TLS with {self._server} ({exc.reason or exc}); check the "
                "channel's security and port"
            )
        return RetryableError(f"{self._server}: {self._reason(exc)}; nothing sent")

    def _reason(self, exc: BaseException) -> str:
        """A short cause: timeout, refused, unknown host, disconnected."""
        if isinstance(exc, smtplib.SMTPServerDisconnected) and exc.__context__:
            exc = exc.__context__  # smtplib wraps a timeout or reset while reading
        if isinstance(exc, TimeoutError):
            return f"no answer within {self.settings.timeout:g} s"
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
        if isinstance(exc, socket.gaierror):
            return f"cannot find the host {self.settings.host}"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return "the server closed the connection"
        if isinstance(exc, OSError) and exc.strerror:
            return self._text(exc.strerror)
        return self._text(str(exc)) or type(exc).__name__

    def _text(self, reply: bytes | str) -> str:
        """A server's reply as one line of text, without our password."""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        text = " ".join(text.split())
        if self.settings.password:
            text = text.replace(self.settings.password.get_secret_value(), "*" * 10)
        return text


def _tls() -> ssl.SSLContext:
    """Certificates checked against the system store (or SSL_CERT_FILE)."""
    return ssl.create_default_context()


def _main_type(media_type: str) -> str:
    """`text/plain` from `text/plain; charset=utf-8`."""
    return media_type.split(";", 1)[0].strip().lower()


def _close(smtp: smtplib.SMTP, *, politely: bool) -> None:
    """QUIT if the session is healthy, then drop the connection either way."""
    if politely:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the outcome is already decided; a failing QUIT changes nothing
    smtp.close()
