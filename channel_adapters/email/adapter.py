"""Editors' desks receive each release by e-mail: HTML and plain text, with files.

The whole message (headers, both parts, attachments) is frozen at approval as
`message.eml`, so a retry sends the same bytes; only `Date` is added when it is sent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, SecretStr, model_validator

from ..base import (
    DOCX,
    PDF,
    Adapter,
    AdapterSettings,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..notice import Notice
from ..print.layout import LABELS as PRINT_LABELS
from ..text.formatting import dateline_date, long_datetime
from ..text.language import language_of
from ..text.markdown import to_html, to_text
from .recipients import KIND_FILES, MESSAGE_OF_KIND
from .smtp import MESSAGE, SmtpDelivery

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
    to: list[EmailAddress] = []
    # Contact groups of the media directory: each active, subscribed member gets a
    # message of their own (their address in To:, their kind's files, a one-click
    # unsubscribe link); the `to` desks then get their own copy too.
    groups: list[Annotated[str, Field(min_length=1, max_length=64)]] = []
    # Envelope sender (MAIL FROM) that receives bounces; defaults to from_address.
    bounce_address: EmailAddress | None = None
    # Desks do not see each other's addresses, and a reply-all reaches only the office.
    bcc: bool = True
    reply_to: EmailAddress | None = None  # defaults to the organization's e-mail
    timeout: Annotated[float, Field(gt=0)] = 30.0
    attach: list[str] = []  # adapter types whose files go along: print, radio, tv

    @model_validator(mode="after")
    def _login_complete(self) -> EmailSettings:
        if bool(self.username) != bool(self.password):
            raise ValueError("username and password go together: set both or neither")
        if not self.to and not self.groups:
            raise ValueError("name the desks in `to`, contact `groups`, or both")
        return self


class EmailAdapter(SmtpDelivery, Adapter):
    """A multipart e-mail (HTML and plain text) with the chosen desks' files."""

    name = "email"
    label = "E-mail"
    Settings = EmailSettings
    # A second copy lands in every inbox; only some mail systems drop it by Message-ID.
    idempotent = False

    settings: EmailSettings

    @property
    def addressed(self) -> bool:
        """Each recipient gets a copy of their own (`deliver_to`): groups are set."""
        return bool(self.settings.groups)

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """Both parts for the preview; with files, the complete message as well."""
        org = context.organization
        lang = language_of(release.language)
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
        warnings = self._unattachable()
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            files = self._frozen_messages(release, context, values, text, html)
            warnings.extend(self._missing(context))
            largest = max(len(f.data) for f in files)
            if largest > SIZE_WARNING:
                size = f"{largest / 1_000_000:.1f}"
                warnings.append(Notice("email.attachment_large", {"size": size}))
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            html=html,
            files=files,
            warnings=tuple(warnings),
        )

    def files_from(self) -> tuple[str, ...]:
        """The adapter types in `attach` whose files a desk can get; with groups,
        also those every kind of newsroom needs."""
        names = [n for n in self.settings.attach if n in ATTACHABLE]
        if self.addressed:
            names.extend(n for files in KIND_FILES.values() for n in files)
        return tuple(dict.fromkeys(names))

    def _frozen_messages(
        self,
        release: ReleaseSnapshot,
        context: RenderContext,
        values: dict,
        text: str,
        html: str,
    ) -> tuple[RenditionFile, ...]:
        """`message.eml` for the desks; with groups, one message per kind of
        newsroom as well, each without To: and Message-ID (added per recipient)."""
        personal = self.addressed
        desk = self._attachments(context, self._attach_wanted())
        made = {MESSAGE: self._message(release, values, text, html, desk, personal)}
        if personal:
            for kind, wanted in KIND_FILES.items():
                name = MESSAGE_OF_KIND[kind]
                if name not in made:
                    chosen = self._attachments(context, wanted)
                    made[name] = self._message(
                        release, values, text, html, chosen, personal
                    )
        return tuple(
            RenditionFile(name, "message/rfc822", data) for name, data in made.items()
        )

    def _attach_wanted(self) -> dict[str, tuple[str, ...]]:
        """The desks' files: each adapter type in `attach` with what it gives."""
        names = dict.fromkeys(self.settings.attach)
        return {name: ATTACHABLE[name] for name in names if name in ATTACHABLE}

    def _missing(self, context: RenderContext) -> list[Notice]:
        """A notice for each adapter whose files a recipient should get (`attach`,
        and with groups every kind's) that made nothing to attach."""
        warnings: list[Notice] = []
        for name in self.files_from():
            wanted = ATTACHABLE[name]
            made = context.files.get(name)
            if made is None:
                warnings.append(Notice("email.attach_unavailable", {"name": name}))
            elif not any(_main_type(f.media_type) in wanted for f in made):
                warnings.append(Notice("email.attach_no_file", {"name": name}))
        return warnings

    def _unattachable(self) -> list[Notice]:
        """A notice for each name in `attach` that is no attachable adapter."""
        known = ", ".join(sorted(ATTACHABLE))
        return [
            Notice("email.attach_unknown", {"name": name, "known": known})
            for name in dict.fromkeys(self.settings.attach)
            if name not in ATTACHABLE
        ]

    def _attachments(
        self, context: RenderContext, wanted_by: dict[str, tuple[str, ...]]
    ) -> list[RenditionFile]:
        """The files the other adapters made of this release (given by the caller
        in `context.files`), those of the media types `wanted_by` each adapter."""
        files: list[RenditionFile] = []
        for name, wanted in wanted_by.items():
            made = context.files.get(name) or ()
            chosen = [f for f in made if _main_type(f.media_type) in wanted]
            taken = {f.name for f in files}
            # Radio and TV may both call their script <stem>.txt; a desk needs both.
            files.extend(
                dataclasses.replace(f, name=f"{name}-{f.name}")
                if f.name in taken
                else f
                for f in chosen
            )
        return files

    def _message(
        self,
        release: ReleaseSnapshot,
        values: dict,
        text: str,
        html: str,
        attachments: list[RenditionFile],
        personal: bool = False,
    ) -> bytes:
        """The RFC 5322 message, byte for byte the same on every render; a
        `personal` one leaves To: and Message-ID to the sending (`deliver_to`)."""
        s = self.settings
        org = values["org"]
        sender = Address(
            s.from_name or org.short_name or org.name, addr_spec=s.from_address
        )
        message = EmailMessage(policy=SMTP)
        message["Subject"] = values["subject"]
        message["From"] = sender
        if not personal:
            message["To"] = sender if s.bcc else ", ".join(dict.fromkeys(s.to))
        if s.reply_to or org.email:
            message["Reply-To"] = s.reply_to or org.email
        if not personal:
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


def _main_type(media_type: str) -> str:
    """`text/plain` from `text/plain; charset=utf-8`."""
    return media_type.split(";", 1)[0].strip().lower()
