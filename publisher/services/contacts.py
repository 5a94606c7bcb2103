"""The media contact directory: journalists and desks, their groups, and imports.

Editors and admins manage it; drafters may look people up. Every change is in the
audit trail. A CSV import is all or nothing: a file with one bad row changes no
contact, and each bad row is named by its line and field. An unsubscribe link
carries a signed token for one contact; following it stops all mail to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from channel_adapters.email.adapter import ADDRESS
from channel_adapters.notice import Notice

from .. import audit
from ..config import Config
from ..models import ContactGroup, ContactKind, MediaContact, Role, User, utcnow
from ..security import instance_secret
from .errors import InvalidInput, NotFound, PermissionDenied
from .values import CleanStr, clean_line

GROUP_SEPARATOR = ";"
TRUE_WORDS = {"1", "true", "yes", "ya", "aktif", "y"}
FALSE_WORDS = {"0", "false", "no", "tidak", "nonaktif", "n", ""}
_UNSUBSCRIBE_SALT = "contact-unsubscribe"
PHONE = re.compile(r"[0-9+()\-. /]*")


def _email(value: str) -> str:
    """A bare address, lower-cased: `redaksi@koran.example`."""
    value = value.strip().lower()
    if not ADDRESS.fullmatch(value) or len(value) > 254:
        raise PydanticCustomError("field.not_email", "not an e-mail address")
    return value


def _phone(value: str) -> str:
    """Digits with the signs people write around them: `+62 361 225764`."""
    if not PHONE.fullmatch(value):
        raise PydanticCustomError("contacts.phone_invalid", "not a phone number")
    return value


def _groups(value: Any) -> Any:
    """Groups as a list, from a list or `a; b` text; each name trimmed, once."""
    if isinstance(value, str):
        value = value.split(GROUP_SEPARATOR)
    if isinstance(value, list):
        names = [clean_line(v).strip().lower() for v in value if isinstance(v, str)]
        return list(dict.fromkeys(n for n in names if n))
    return value


def _flag(value: Any) -> Any:
    """`ya`/`tidak`, `1`/`0`, `true`/`false` (and the HTML checkbox's `on`)."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS or word == "on":
            return True
        if word in FALSE_WORDS:
            return False
    return value


GroupName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^;,]+$")]


class ContactInput(BaseModel):
    """What an editor writes about a contact (form, API or a CSV row)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: CleanStr = Field(min_length=1, max_length=200)
    outlet: CleanStr = Field("", max_length=200)
    kind: ContactKind
    email: Annotated[str, AfterValidator(_email)]
    phone: Annotated[CleanStr, AfterValidator(_phone)] = Field("", max_length=40)
    region: CleanStr = Field("", max_length=100)
    language: Annotated[str, Field(pattern=r"^(id|en)$")] = "id"
    groups: Annotated[list[GroupName], BeforeValidator(_groups)] = []
    active: Annotated[bool, BeforeValidator(_flag)] = True


def parse(data: Any, prefix: str = "") -> ContactInput:
    """Validate one contact; InvalidInput naming each wrong field by a code."""
    if not isinstance(data, dict):
        raise InvalidInput(fields={prefix or "body": "field.not_object"})
    try:
        return ContactInput.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc, prefix) from None


# --- who may do what ------------------------------------------------------------------


def may_manage(user: User) -> bool:
    """Editors and admins manage the directory."""
    return user.can(Role.EDITOR)


def require_manager(user: User) -> None:
    """PermissionDenied unless `user` manages the directory."""
    if not may_manage(user):
        raise PermissionDenied("contacts.not_allowed")


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactFilter:
    """What the list is narrowed to; empty values mean "any"."""

    q: str = ""
    kind: str = ""
    group: str = ""
    region: str = ""
    active: str = ""  # "1", "0" or "" (any)


def search(session: Session, wanted: ContactFilter) -> list[MediaContact]:
    """Contacts matching the filter, by name."""
    query = select(MediaContact).order_by(func.lower(MediaContact.name))
    if wanted.q.strip():
        like = f"%{wanted.q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(MediaContact.name).like(like),
                func.lower(MediaContact.outlet).like(like),
                func.lower(MediaContact.email).like(like),
            )
        )
    if wanted.kind in set(ContactKind):
        query = query.where(MediaContact.kind == ContactKind(wanted.kind))
    if wanted.group:
        query = query.where(
            MediaContact.groups.any(ContactGroup.name == wanted.group.lower())
        )
    if wanted.region.strip():
        region = wanted.region.strip().lower()
        query = query.where(func.lower(MediaContact.region) == region)
    if wanted.active in ("1", "0"):
        query = query.where(MediaContact.active.is_(wanted.active == "1"))
    return list(session.scalars(query))


def get(session: Session, contact_id: int) -> MediaContact:
    """One contact, or NotFound."""
    contact = session.get(MediaContact, contact_id)
    if contact is None:
        raise NotFound("contacts.not_found", id=contact_id)
    return contact


def group_names(session: Session) -> list[str]:
    """Every group's name, sorted."""
    return list(session.scalars(select(ContactGroup.name).order_by(ContactGroup.name)))


def regions(session: Session) -> list[str]:
    """Every region a contact is in, sorted."""
    found = session.scalars(
        select(MediaContact.region).where(MediaContact.region != "").distinct()
    )
    return sorted(found, key=str.lower)


# --- writing --------------------------------------------------------------------------


def create(session: Session, user: User, data: ContactInput) -> MediaContact:
    """A new contact; an address already in the directory is refused."""
    require_manager(user)
    _refuse_taken(session, data.email)
    contact = MediaContact(kind=data.kind, email=data.email)
    apply(session, contact, data)
    session.add(contact)
    session.flush()
    audit.record(session, user, "contact.created", **_trail(contact))
    return contact


def update(
    session: Session, user: User, contact_id: int, data: ContactInput
) -> MediaContact:
    """Change a contact; the address may change to one nobody else has."""
    require_manager(user)
    contact = get(session, contact_id)
    if data.email != contact.email:
        _refuse_taken(session, data.email)
    before = _trail(contact)
    apply(session, contact, data)
    contact.updated_at = utcnow()
    after = _trail(contact)
    changed = sorted(k for k in after if after[k] != before.get(k))
    audit.record(session, user, "contact.updated", changed=changed, **after)
    return contact


def set_active(
    session: Session, user: User, contact_id: int, active: bool
) -> MediaContact:
    """Deactivate (no more mail, kept for the record) or activate again."""
    require_manager(user)
    contact = get(session, contact_id)
    contact.active = active
    contact.updated_at = utcnow()
    action = "contact.activated" if active else "contact.deactivated"
    audit.record(session, user, action, **_trail(contact))
    return contact


def delete(session: Session, user: User, contact_id: int) -> None:
    """Remove a contact; past deliveries keep the address they were sent to."""
    require_manager(user)
    contact = get(session, contact_id)
    audit.record(session, user, "contact.deleted", **_trail(contact))
    session.delete(contact)


def _refuse_taken(session: Session, email: str) -> None:
    taken = session.scalar(select(MediaContact.id).where(MediaContact.email == email))
    if taken is not None:
        raise InvalidInput(fields={"email": Notice("contacts.email_taken")})


def apply(session: Session, contact: MediaContact, data: ContactInput) -> None:
    """Copy validated input onto a contact, making groups that do not exist yet."""
    contact.name = data.name
    contact.outlet = data.outlet
    contact.kind = data.kind
    contact.email = data.email
    contact.phone = data.phone
    contact.region = data.region
    contact.language = data.language
    contact.active = data.active
    contact.groups = sorted(_groups_named(session, data.groups), key=lambda g: g.name)


def _groups_named(session: Session, names: Sequence[str]) -> list[ContactGroup]:
    """The groups called `names`, made where missing."""
    found = {
        g.name: g
        for g in session.scalars(
            select(ContactGroup).where(ContactGroup.name.in_(names))
        )
    }
    for name in names:
        if name not in found:
            found[name] = ContactGroup(name=name)
            session.add(found[name])
    return [found[name] for name in names]


def _trail(contact: MediaContact) -> dict[str, Any]:
    """What the audit trail keeps of a contact."""
    return {
        "contact_id": contact.id,
        "email": contact.email,
        "name": contact.name,
        "kind": str(contact.kind),
        "groups": [g.name for g in contact.groups],
        "active": contact.active,
    }


def as_dict(contact: MediaContact) -> dict[str, Any]:
    """A contact for the API."""
    return {
        "id": contact.id,
        "name": contact.name,
        "outlet": contact.outlet,
        "kind": str(contact.kind),
        "email": contact.email,
        "phone": contact.phone,
        "region": contact.region,
        "language": contact.language,
        "groups": [g.name for g in contact.groups],
        "active": contact.active,
        "unsubscribed_at": (
            contact.unsubscribed_at.isoformat() if contact.unsubscribed_at else None
        ),
        "created_at": contact.created_at.isoformat(),
        "updated_at": contact.updated_at.isoformat(),
    }


# --- unsubscribing --------------------------------------------------------------------


def _serializer(config: Config) -> URLSafeSerializer:
    secret = config.secret_key or instance_secret(config.data_dir)
    return URLSafeSerializer(secret, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token(config: Config, contact_id: int) -> str:
    """A signed token naming one contact, for their unsubscribe link."""
    return _serializer(config).dumps(contact_id)


def unsubscribe_url(config: Config, contact_id: int) -> str:
    """The public address where a contact stops receiving releases."""
    token = unsubscribe_token(config, contact_id)
    return f"{config.organization.public_url}/unsubscribe/{token}"


def contact_for_token(session: Session, config: Config, token: str) -> MediaContact:
    """The contact a token names, or NotFound (forged, mangled or deleted)."""
    try:
        contact_id = _serializer(config).loads(token)
    except BadSignature:
        raise NotFound("contacts.unsubscribe_invalid") from None
    contact = (
        session.get(MediaContact, contact_id) if isinstance(contact_id, int) else None
    )
    if contact is None:
        raise NotFound("contacts.unsubscribe_invalid")
    return contact


def unsubscribe(session: Session, config: Config, token: str) -> MediaContact:
    """Stop all mail to the contact a token names (once; again is harmless)."""
    contact = contact_for_token(session, config, token)
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = utcnow()
        contact.updated_at = contact.unsubscribed_at
        audit.record(
            session,
            None,
            "contact.unsubscribed",
            contact_id=contact.id,
            email=contact.email,
        )
    return contact
