"""The contract every channel adapter follows.

An adapter turns a plain snapshot of a release into the version one outlet needs
(`render`, pure, no I/O) and sends that frozen version (`deliver`, I/O only). Adapters
import nothing from `publisher`: everything they need arrives as the dataclasses below,
their own settings model and a Jinja environment.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from .notice import Notice

if TYPE_CHECKING:
    from jinja2 import Environment


# Media types of the files adapters make.
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_PLAIN = "text/plain; charset=utf-8"


class AdapterSettings(BaseModel):
    """Base of every adapter's settings; unknown keys are a config error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OutboxSettings(AdapterSettings):
    """Settings of an adapter that writes files into a folder a desk picks up."""

    outbox_dir: Path | None = None  # defaults to <data_dir>/outbox/<channel>
    # Permissions of each written file, so an office share can read it: 0o640 in
    # YAML as "0640" (a string) or 0640 (YAML 1.1 reads it as octal).
    file_mode: int = 0o644
    # The group (name or number) that owns each written file; None: the process's.
    group: str | None = None

    @field_validator("file_mode", mode="before")
    @classmethod
    def _octal(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower().removeprefix("0o")
            if not re.fullmatch(r"[0-7]{3,4}", text):
                raise ValueError('write the mode in octal, e.g. "0640" or "0644"')
            return int(text, 8)
        return value

    @field_validator("file_mode")
    @classmethod
    def _mode_range(cls, value: int) -> int:
        if not 0 <= value <= 0o777:
            raise ValueError("a file mode is at most 0777 (no setuid, setgid, sticky)")
        if not value & 0o400:
            raise ValueError("the owner must be able to read the file (e.g. 0640)")
        return value

    @field_validator("group", mode="before")
    @classmethod
    def _group_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


# --- what an adapter receives ---------------------------------------------------------


@dataclass(frozen=True)
class Organization:
    """The publishing office, as shown on letterheads and feeds."""

    name: str
    short_name: str
    city: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: Path | None = None
    timezone: str = "Asia/Makassar"
    language: str = "id"
    public_url: str = "http://127.0.0.1:5000"
    code: str = ""  # short code used in release numbers, e.g. DISKOMINFOS
    about: str = ""  # the "Tentang …" boilerplate printed under every release
    about_en: str = ""  # its English version, for releases in English
    hashtags: tuple[str, ...] = ()  # added to every social post


@dataclass(frozen=True)
class Contact:
    """The contact person (narahubung) printed under a release."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Image:
    """A picture of a release, already stripped of metadata, with its variants.

    `variants` maps a purpose to a local file: "original" (full resolution, for the
    print desk), "web", "thumbnail", "og" (1200×630), "x", "bluesky", "instagram",
    … as the media library makes them. `url` is the public address of "web".
    """

    id: int
    alt: str
    caption: str = ""
    credit: str = ""
    width: int = 0
    height: int = 0
    media_type: str = "image/jpeg"
    variants: Mapping[str, Path] = field(default_factory=dict)
    url: str = ""

    def variant(self, purpose: str) -> Path | None:
        """The file made for `purpose`, else the web size, else None."""
        return self.variants.get(purpose) or self.variants.get("web")


@dataclass(frozen=True)
class Attachment:
    """A document attached to a release (PDF, DOCX)."""

    id: int
    name: str
    media_type: str
    path: Path
    size: int = 0


@dataclass(frozen=True)
class ReleaseSnapshot:
    """One revision of a release, frozen into plain values for rendering."""

    release_id: int
    public_id: str
    revision: int
    language: str
    title: str
    lead: str
    body_markdown: str
    dateline_city: str
    category: str = ""
    tags: tuple[str, ...] = ()
    contact: Contact = field(default_factory=Contact)
    embargo_at: datetime | None = None
    number: str = ""  # assigned at approval, e.g. 012/HM/DISKOMINFOS/XI/2026
    public_url: str = ""
    approved_at: datetime | None = None
    subtitle: str = ""
    images: tuple[Image, ...] = ()  # the first is the lead image
    attachments: tuple[Attachment, ...] = ()
    planned_at: Mapping[str, datetime] = field(default_factory=dict)  # by channel

    @property
    def lead_image(self) -> Image | None:
        """The image used for social posts, feed enclosures and OpenGraph."""
        return self.images[0] if self.images else None


@dataclass(frozen=True)
class RenderContext:
    """What a render needs besides the release: who publishes, where, with what."""

    organization: Organization
    templates: Environment
    now: datetime
    with_files: bool = True
    # Pronunciation glossary for the ear: abbreviation -> how it is read aloud.
    glossary: Mapping[str, str] = field(default_factory=dict)
    # Files other adapters made of the same release, by adapter type, for a channel
    # that carries them (e-mail attaches the print PDF): the caller renders those
    # named by `Adapter.files_from` and passes them here, so no adapter calls another.
    files: Mapping[str, tuple[RenditionFile, ...]] = field(default_factory=dict)


# --- what an adapter returns ----------------------------------------------------------


@dataclass(frozen=True)
class RenditionFile:
    """A file that belongs to a rendition (a PDF, a script, a JSON payload)."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Rendition:
    """One channel's version of one revision: what a preview shows and what is sent."""

    channel: str
    adapter: str
    text: str
    html: str | None = None
    files: tuple[RenditionFile, ...] = ()
    # What a drafter should see, as codes (`social.too_long`), rendered at the edge.
    warnings: tuple[Notice, ...] = ()
    length: int | None = None
    limit: int | None = None

    def file(self, name: str) -> RenditionFile | None:
        """The attached file called `name`, if any."""
        return next((f for f in self.files if f.name == name), None)

    @property
    def content_hash(self) -> str:
        """SHA-256 over everything that is delivered, stable across processes."""
        digest = hashlib.sha256()
        digest.update(json.dumps([self.text, self.html], ensure_ascii=False).encode())
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f.name.encode() + b"\0" + f.media_type.encode() + b"\0")
            digest.update(hashlib.sha256(f.data).digest())
        return digest.hexdigest()


@dataclass(frozen=True)
class DeliveryResult:
    """A successful delivery: where the release now lives at the outlet."""

    remote_id: str = ""
    remote_url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a "test connection" call, as a notice (`check.reachable`)."""

    ok: bool
    notice: Notice

    @property
    def detail(self) -> str:
        """The notice as one line for logs."""
        return str(self.notice)


# --- what an adapter raises -----------------------------------------------------------


class DeliveryError(Exception):
    """Base of delivery failures; `notice` says what happened, as a code.

    A remote's own message travels verbatim in the notice's parameters (for example
    `Notice("delivery.remote_refused", {"status": 403, "remote": "…"})`); `detail`
    is the notice as a log line. A sentence is refused (TypeError): it would reach
    the editor untranslated.
    """

    def __init__(self, notice: Notice, *, status: int | None = None) -> None:
        if not isinstance(notice, Notice):
            raise TypeError(f"a DeliveryError takes a Notice, not {notice!r}")
        self.notice = notice
        super().__init__(str(self.notice))
        self.status = status

    @property
    def detail(self) -> str:
        """The notice as one line for logs (never shown to people as it is)."""
        return str(self.notice)


class RetryableError(DeliveryError):
    """Nothing was published; trying again later may work (429, 5xx, refused)."""

    def __init__(
        self,
        notice: Notice,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(notice, status=status)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """The outlet refused the release (400/401/403/422); a human must fix something."""


class UnknownOutcomeError(DeliveryError):
    """The request may have been published (timeout after sending); never resend."""


# --- the adapter ----------------------------------------------------------------------


class Adapter:
    """Base class: facts as class attributes, then settings, render, deliver, check."""

    name: ClassVar[str]
    label: ClassVar[str]
    Settings: ClassVar[type[AdapterSettings]] = AdapterSettings
    # Delivering the same rendition twice has no visible effect (outbox overwrite,
    # feed flag, receiver de-duplicates by idempotency key). A crashed delivery of an
    # idempotent adapter is retried; any other goes to "unknown" for a human.
    idempotent: ClassVar[bool] = False
    # The adapter writes into <data_dir>/outbox/<channel>/ unless told otherwise.
    uses_outbox: ClassVar[bool] = False
    # False for adapters that render (preview, copy by hand) but cannot send yet;
    # scheduling such a channel is refused with a message saying so.
    can_deliver: ClassVar[bool] = True
    # A drafter may replace this channel's text by hand (social posts, not the PDF).
    overridable: ClassVar[bool] = False
    # The rendition shows its planned time (a radio script's air time), so it is
    # rendered again, with that time, when the delivery is scheduled.
    uses_planned_at: ClassVar[bool] = False
    # The channel's length limit, as the network counts it (see `count`), if any.
    limit: ClassVar[int | None] = None

    @classmethod
    def delivery_blocker(cls, settings: AdapterSettings) -> Notice | None:
        """Why a channel with these settings cannot send (None: it can).

        The caller adds `channel` and `label` to the notice's parameters.
        """
        return None if cls.can_deliver else Notice("channel.cannot_send")

    @property
    def addressed(self) -> bool:
        """Whether each recipient gets a copy of their own: the caller then calls
        `deliver_to(rendition, key, ledger)` with recipients resolved at send time
        (e-mail to contact groups) instead of `deliver`."""
        return False

    def __init__(self, channel: str, settings: AdapterSettings, data_dir: Path) -> None:
        self.channel = channel
        self.settings = settings
        self.data_dir = data_dir

    @classmethod
    def validate_settings(cls, raw: dict[str, Any]) -> AdapterSettings:
        """Parse raw config values into this adapter's settings model."""
        return cls.Settings.model_validate(raw)

    def files_from(self) -> tuple[str, ...]:
        """Adapter types whose files this channel carries (`RenderContext.files`)."""
        return ()

    @property
    def outbox_dir(self) -> Path:
        """Folder this channel's files are written to."""
        configured = (
            self.settings.outbox_dir
            if isinstance(self.settings, OutboxSettings)
            else None
        )
        return (
            Path(configured) if configured else self.data_dir / "outbox" / self.channel
        )

    def template(self, context: RenderContext, name: str):
        """This adapter's Jinja template `<subpackage>/templates/<adapter>/<name>`."""
        return context.templates.get_template(f"{self.name}/{name}")

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """Build this channel's version of `release`; pure, no I/O."""
        raise NotImplementedError

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Send a frozen rendition; raise a DeliveryError subclass on failure."""
        raise NotImplementedError

    def count(self, text: str) -> int:
        """The length of `text` as this channel counts it (code points by default)."""
        return len(text)

    def fit_override(self, text: str) -> list[Notice]:
        """Why a hand-written text cannot be used here (empty list: it can)."""
        if not text.strip():
            return [Notice("override.empty")]
        if self.limit is not None and self.count(text) > self.limit:
            params = {"length": self.count(text), "limit": self.limit}
            return [Notice("override.too_long", params)]
        return []

    def apply_override(
        self,
        rendition: Rendition,
        text: str,
        release: ReleaseSnapshot,
        context: RenderContext,
    ) -> Rendition:
        """The rendition with the drafter's text in place of the generated one."""
        return replace(
            rendition,
            text=text,
            html=None,
            length=self.count(text) if self.limit is not None else rendition.length,
            limit=self.limit if self.limit is not None else rendition.limit,
        )

    def check(self) -> CheckResult:
        """Verify the channel is reachable and its credentials are valid."""
        return CheckResult(ok=True, notice=Notice("check.nothing_to_check"))
