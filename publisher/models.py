"""Database tables (SQLAlchemy 2); the schema itself is owned by Alembic migrations.

Over 400 lines on purpose: the whole schema in one module, so a reader (and
Alembic's autogenerate) sees every table, relation and state rule at once.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    backref,
    mapped_column,
    relationship,
)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        )


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can rely on."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Role(enum.StrEnum):
    """What a user may do: draft, approve and schedule, or configure."""

    DRAFTER = "drafter"
    EDITOR = "editor"
    ADMIN = "admin"
    # Reads everything a drafter reads (e.g. the head of division); changes nothing.
    VIEWER = "viewer"


class TokenScope(enum.StrEnum):
    """What an API token may do; each scope includes the ones before it."""

    READ = "read"
    DRAFT = "draft"
    PUBLISH = "publish"

    @property
    def rank(self) -> int:
        """0 for read, 1 for draft, 2 for publish."""
        return list(TokenScope).index(self)

    def covers(self, needed: TokenScope) -> bool:
        """Whether a token of this scope may do what `needed` allows."""
        return self.rank >= needed.rank

    @classmethod
    def for_role(cls, role: Role) -> TokenScope:
        """The widest scope a role's work needs: drafters draft, viewers read,
        others publish."""
        if role == Role.VIEWER:
            return cls.READ
        return cls.DRAFT if role == Role.DRAFTER else cls.PUBLISH


class ReleaseStatus(enum.StrEnum):
    """Where a release is in its life."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    REJECTED = "rejected"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class DeliveryStatus(enum.StrEnum):
    """Where one channel's delivery is."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    # Came due later than the channel's `max_lateness` (the dispatcher was down):
    # not sent stale; an editor resends it, marks it sent or cancels it.
    MISSED = "missed"
    CANCELLED = "cancelled"


# The state rules, named once; services, the dispatcher and templates use these.
PENDING_DELIVERY = (DeliveryStatus.SCHEDULED, DeliveryStatus.RETRYING)
# An approved revision of a release in these states may go out (and be public).
APPROVED_RELEASE = (ReleaseStatus.APPROVED, ReleaseStatus.PUBLISHED)
SUBMITTABLE_RELEASE = (ReleaseStatus.DRAFT, ReleaseStatus.REJECTED)
RETRYABLE_DELIVERY = (DeliveryStatus.FAILED,)
# What a machine cannot decide: an editor resends, marks as sent or cancels, saying why.
NEEDS_DECISION = (DeliveryStatus.UNKNOWN, DeliveryStatus.MISSED)


def _status(kind: type[enum.StrEnum]) -> sa.Enum:
    """A status column: VARCHAR(16) in the database, the enum in Python."""
    return sa.Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )


class User(Base):
    """A person who signs in: drafter, editor or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_status(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by sign-out and a password change: every session signed with an older
    # number (in any browser) stops working at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # TOTP second factor: the shared secret (base32), the last time step used (a
    # code works once), and the SHA-256 of each unused recovery code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set when an administrator chose the password (new user, reset): the user
    # sees only the account page until they choose their own.
    must_change_password: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )

    def can(self, role: Role) -> bool:
        """Whether this user holds `role` (admins hold every role)."""
        return self.active and (self.role == role or self.role == Role.ADMIN)

    @property
    def can_write(self) -> bool:
        """Whether this user may write and submit releases (every role but none)."""
        return self.can(Role.DRAFTER) or self.can(Role.EDITOR)


class SignInThrottle(Base):
    """Failed sign-ins of one account (`account:<name>`) or address (`address:<ip>`).

    Kept in the database so every web worker sees the same count.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked: Mapped[bool] = mapped_column(default=False)


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scope: Mapped[TokenScope] = mapped_column(
        _status(TokenScope), default=TokenScope.READ
    )
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def expired(self, now: datetime) -> bool:
        """Whether the token's time is up."""
        return self.expires_at is not None and self.expires_at <= now


class Release(Base):
    """A press release across all its revisions."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    # The official number (nomor siaran pers), assigned at the first approval.
    number: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[ReleaseStatus] = mapped_column(
        _status(ReleaseStatus), default=ReleaseStatus.DRAFT
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_revision: Mapped[int | None] = mapped_column(Integer)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="release", order_by="Revision.number", cascade="all"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="release", order_by="Delivery.id"
    )

    @property
    def current(self) -> Revision:
        """The newest revision."""
        return self.revisions[-1]

    @property
    def is_approved(self) -> bool:
        """Approved (or already published): its approved revision may go out."""
        return self.status in APPROVED_RELEASE

    @property
    def is_submittable(self) -> bool:
        """A draft or a rejected release, which its writer may send to review."""
        return self.status in SUBMITTABLE_RELEASE

    @property
    def in_review(self) -> bool:
        """Waiting for an editor's approval."""
        return self.status == ReleaseStatus.IN_REVIEW

    @property
    def is_withdrawn(self) -> bool:
        """Taken back: read-only, invisible to the public."""
        return self.status == ReleaseStatus.WITHDRAWN


class Revision(Base):
    """One numbered version of a release's content; never changed once superseded."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("release_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    number: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="id")
    title: Mapped[str] = mapped_column(String(300))
    lead: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    dateline_city: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    embargo_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the revision is sent for review; from then on it is never edited.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    release: Mapped[Release] = relationship(back_populates="revisions")
    created_by: Mapped[User] = relationship()
    # Everyone whose words, overrides or media this revision carries, the revisions
    # it was copied from included: none of them may approve it (four eyes).
    contributors: Mapped[set[User]] = relationship(
        secondary="revision_contributors", collection_class=set
    )
    overrides: Mapped[list[ChannelOverride]] = relationship(
        back_populates="revision", cascade="all, delete-orphan"
    )
    renditions: Mapped[list[FrozenRendition]] = relationship(
        back_populates="revision", cascade="all, delete-orphan"
    )

    def contributed(self, user: User) -> bool:
        """Whether `user` wrote any of this revision (release author included).

        The four-eyes rule: such a user may not approve it. Written once, used by
        the approval service and by every page that offers an approve button.
        """
        return user.id == self.release.author_id or any(
            person.id == user.id for person in self.contributors
        )


class RevisionContributor(Base):
    """One person who contributed to a revision (see `Revision.contributors`)."""

    __tablename__ = "revision_contributors"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class ChannelOverride(Base):
    """A drafter's hand-edited text for one channel, kept with its revision."""

    __tablename__ = "channel_overrides"
    __table_args__ = (UniqueConstraint("revision_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    channel: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)

    revision: Mapped[Revision] = relationship(back_populates="overrides")


class FrozenRendition(Base):
    """A channel's rendition as approved: exactly what will be delivered."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("revision_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    channel: Mapped[str] = mapped_column(String(64))
    adapter: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    # Notices as JSON ({"code", "params"}), rendered at the edge (publisher.notices).
    warnings: Mapped[list[dict]] = mapped_column(JSON, default=list)
    length: Mapped[int | None] = mapped_column(Integer)
    limit: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="renditions")
    files: Mapped[list[RenditionFileRow]] = relationship(
        back_populates="rendition",
        cascade="all, delete-orphan",
        order_by="RenditionFileRow.id",
    )


class RenditionFileRow(Base):
    """A frozen file (PDF, script, JSON payload) of a rendition."""

    __tablename__ = "rendition_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    rendition_id: Mapped[int] = mapped_column(ForeignKey("renditions.id"))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    # Loaded only when the bytes are needed: a page that lists files stays light.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    rendition: Mapped[FrozenRendition] = relationship(back_populates="files")


class Delivery(Base):
    """One channel's send of one approved revision, at its planned time, once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("revision_id", "channel"),
        Index("ix_deliveries_due", "status", "planned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    channel: Mapped[str] = mapped_column(String(64))
    adapter: Mapped[str] = mapped_column(String(32))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[DeliveryStatus] = mapped_column(
        _status(DeliveryStatus), default=DeliveryStatus.SCHEDULED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    remote_id: Mapped[str | None] = mapped_column(String(255))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
    # Why it is not (yet) sent, as a notice (`{"code": …, "params": {…}}`); rendered
    # in the reader's language where it is shown (publisher.notices).
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    release: Mapped[Release] = relationship(back_populates="deliveries")
    revision: Mapped[Revision] = relationship()

    @property
    def frozen(self) -> FrozenRendition | None:
        """The approved rendition this delivery sends (with its files)."""
        return next(
            (r for r in self.revision.renditions if r.channel == self.channel), None
        )

    @property
    def is_pending(self) -> bool:
        """Waiting to be sent: may still be moved or cancelled."""
        return self.status in PENDING_DELIVERY

    @property
    def is_retryable(self) -> bool:
        """Failed: an editor may send it again with one click."""
        return self.status in RETRYABLE_DELIVERY

    @property
    def needs_decision(self) -> bool:
        """Unknown or missed: an editor decides, with a reason, what happens."""
        return self.status in NEEDS_DECISION

    @property
    def remote_link(self) -> str | None:
        """The remote URL when it is an http(s) address a page may link to."""
        return web_link(self.remote_url)

    @property
    def due_at(self) -> datetime:
        """When the next attempt may start."""
        return self.next_attempt_at or self.planned_at


class AuditEvent(Base):
    """Who did what to which release or delivery, and when; append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    release_id: Mapped[int | None] = mapped_column(
        ForeignKey("releases.id"), index=True
    )
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The tamper-evident chain (publisher.audit): the event's place in the chain, the
    # hash of the event before it, and the SHA-256 over both and the fields above.
    chain_seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class AuditChainHead(Base):
    """The newest link of the audit chain: one row, locked by whoever extends it."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class NumberCounter(Base):
    """The last release number used in a year; numbers are never reused."""

    __tablename__ = "number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DispatcherHeartbeat(Base):
    """The last sign of life of each dispatcher process."""

    __tablename__ = "dispatcher_heartbeats"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MediaKind(enum.StrEnum):
    """What an uploaded file is: a picture, or a document to download."""

    IMAGE = "image"
    ATTACHMENT = "attachment"


class MediaAsset(Base):
    """An image or document uploaded to a release; its stored files never change."""

    __tablename__ = "media_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))  # as the uploader named it
    media_type: Mapped[str] = mapped_column(String(100))  # found from the content
    width: Mapped[int | None] = mapped_column(Integer)  # upright, for images
    height: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # bytes uploaded
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    release: Mapped[Release] = relationship()
    files: Mapped[list[MediaFile]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="MediaFile.id"
    )


class MediaFile(Base):
    """A stored file of an asset: the private original, a variant, or the document.

    `key` is the file's SHA-256 plus its extension; a cropped variant records the
    focal point it was cut around in `crop` ("" for files that are not cropped).
    """

    __tablename__ = "media_files"
    __table_args__ = (UniqueConstraint("asset_id", "purpose", "crop"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("media_assets.id"))
    purpose: Mapped[str] = mapped_column(String(16))
    crop: Mapped[str] = mapped_column(String(16), default="")
    key: Mapped[str] = mapped_column(String(80), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)

    asset: Mapped[MediaAsset] = relationship(back_populates="files")


class RevisionMedia(Base):
    """An asset as one revision shows it: its place, alt text, caption, focal point.

    A new revision copies these rows, so an approved revision keeps its pictures,
    their order and their words while the next revision changes them.
    """

    __tablename__ = "revision_media"
    __table_args__ = (UniqueConstraint("revision_id", "asset_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("media_assets.id"))
    position: Mapped[int] = mapped_column(Integer)
    alt: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    focal_x: Mapped[float] = mapped_column(Float, default=0.5)
    focal_y: Mapped[float] = mapped_column(Float, default=0.5)

    # `Revision.media`, in order; declared here so the media tables stay together.
    revision: Mapped[Revision] = relationship(
        backref=backref(
            "media", order_by="RevisionMedia.position", cascade="all, delete-orphan"
        )
    )
    asset: Mapped[MediaAsset] = relationship()

    @property
    def crop(self) -> str:
        """The key of this row's focal point among an asset's cropped variants."""
        return crop_key(self.focal_x, self.focal_y)

    def files(self) -> dict[str, MediaFile]:
        """The asset's files by purpose, cropped ones around this focal point."""
        chosen: dict[str, MediaFile] = {}
        for file in self.asset.files:
            if file.crop in ("", self.crop):
                chosen.setdefault(file.purpose, file)
        return chosen

    def copy(self) -> RevisionMedia:
        """The same asset with the same words, for a new revision."""
        return RevisionMedia(
            asset_id=self.asset_id,
            asset=self.asset,
            position=self.position,
            alt=self.alt,
            caption=self.caption,
            credit=self.credit,
            focal_x=self.focal_x,
            focal_y=self.focal_y,
        )


def web_link(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address with a host, else None: only
    these become links (never `javascript:`, `data:` or `file:`)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 address)
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url.strip()


def crop_key(x: float, y: float) -> str:
    """A focal point as the `crop` of a variant: "0.500,0.300"."""
    return f"{x:.3f},{y:.3f}"


# --- the media contact directory ----------------------------------------------------


class ContactKind(enum.StrEnum):
    """What kind of newsroom a contact works for; it decides the files they get."""

    PRINT = "print"
    RADIO = "radio"
    TV = "tv"
    ONLINE = "online"
    AGENCY = "agency"


class RecipientStatus(enum.StrEnum):
    """What one recipient's mail server said about their copy of a release."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    UNKNOWN = "unknown"


contact_group_members = sa.Table(
    "contact_group_members",
    Base.metadata,
    sa.Column(
        "contact_id",
        ForeignKey("media_contacts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "group_id",
        ForeignKey("contact_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class ContactGroup(Base):
    """A named list of contacts an e-mail channel addresses (`groups: [...]`)."""

    __tablename__ = "contact_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class MediaContact(Base):
    """A journalist or desk that receives releases by e-mail."""

    __tablename__ = "media_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[ContactKind] = mapped_column(_status(ContactKind))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str] = mapped_column(String(100), default="", index=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    groups: Mapped[list[ContactGroup]] = relationship(
        secondary=contact_group_members, order_by="ContactGroup.name"
    )

    @property
    def mailable(self) -> bool:
        """Active and not unsubscribed: the only contacts a channel mails."""
        return self.active and self.unsubscribed_at is None


class DeliveryRecipient(Base):
    """One recipient's copy of an e-mail delivery and what their server replied.

    Written as each message goes, so a retry mails only those without a copy yet.
    """

    __tablename__ = "delivery_recipients"
    __table_args__ = (UniqueConstraint("delivery_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_contacts.id", ondelete="SET NULL")
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[RecipientStatus] = mapped_column(_status(RecipientStatus))
    reply_code: Mapped[int | None] = mapped_column(Integer)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # `Delivery.recipients`, by address; declared here so the contact tables stay
    # together.
    delivery: Mapped[Delivery] = relationship(
        backref=backref(
            "recipients",
            order_by="DeliveryRecipient.email",
            cascade="all, delete-orphan",
            passive_deletes=True,
        )
    )


# --- the review conversation (publisher/models_review.py) ------------------------

# Notifications (issue 9): their tables live in a module of their own.
from .models_admin import ChannelSwitch, GlossaryEntry  # noqa: E402,F401
from .models_notify import Notification, NotificationPreference  # noqa: E402,F401
from .models_review import Comment, CommentMention  # noqa: E402,F401
