"""The media contact directory: journalists and desks, their groups, and imports.

Editors and admins manage it; drafters may look people up. Every change is in the
audit trail. A CSV import is all or nothing: a file with one bad row changes no
contact, and each bad row is named by its line and field. An unsubscribe link
carries a signed token for one contact; following it stops all mail to them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
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

# The CSV columns, in the order an export writes them and an import reads them.
CSV_FIELDS = (
    "name",
    "outlet",
    "kind",
    "email",
    "phone",
    "region",
    "language",
    "groups",
    "active",
)
GROUP_SEPARATOR = ";"
MAX_IMPORT_ROWS = 5000
TRUE_WORDS = {"1", "true", "yes", "ya", "aktif", "y"}
FALSE_WORDS = {"0", "false", "no", "tidak", "nonaktif", "n", ""}
_UNSUBSCRIBE_SALT = "contact-unsubscribe"
PHONE = re.compile(r"[0-9+()\-. /]*")
# What `_cell` puts before a value a spreadsheet would run as a formula.
DEFUSED = re.compile(r"^'(?=[=+\-@])")


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


def _require_manager(user: User) -> None:
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
    _require_manager(user)
    _refuse_taken(session, data.email)
    contact = MediaContact(kind=data.kind, email=data.email)
    _apply(session, contact, data)
    session.add(contact)
    session.flush()
    audit.record(session, user, "contact.created", **_trail(contact))
    return contact


def update(
    session: Session, user: User, contact_id: int, data: ContactInput
) -> MediaContact:
    """Change a contact; the address may change to one nobody else has."""
    _require_manager(user)
    contact = get(session, contact_id)
    if data.email != contact.email:
        _refuse_taken(session, data.email)
    before = _trail(contact)
    _apply(session, contact, data)
    contact.updated_at = utcnow()
    after = _trail(contact)
    changed = sorted(k for k in after if after[k] != before.get(k))
    audit.record(session, user, "contact.updated", changed=changed, **after)
    return contact


def set_active(
    session: Session, user: User, contact_id: int, active: bool
) -> MediaContact:
    """Deactivate (no more mail, kept for the record) or activate again."""
    _require_manager(user)
    contact = get(session, contact_id)
    contact.active = active
    contact.updated_at = utcnow()
    action = "contact.activated" if active else "contact.deactivated"
    audit.record(session, user, action, **_trail(contact))
    return contact


def delete(session: Session, user: User, contact_id: int) -> None:
    """Remove a contact; past deliveries keep the address they were sent to."""
    _require_manager(user)
    contact = get(session, contact_id)
    audit.record(session, user, "contact.deleted", **_trail(contact))
    session.delete(contact)


def _refuse_taken(session: Session, email: str) -> None:
    taken = session.scalar(select(MediaContact.id).where(MediaContact.email == email))
    if taken is not None:
        raise InvalidInput(fields={"email": Notice("contacts.email_taken")})


def _apply(session: Session, contact: MediaContact, data: ContactInput) -> None:
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


# --- CSV ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One bad value of an import: the file's line, the column and why."""

    line: int
    field: str
    notice: Notice


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: contacts to add, to update, and what is wrong."""

    new: tuple[ContactInput, ...]
    changed: tuple[ContactInput, ...]
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        """Nothing is wrong: the import may be applied."""
        return not self.problems


def read_csv(session: Session, raw: bytes) -> ImportPlan:
    """Check a CSV (UTF-8, comma or semicolon, header row) without changing
    anything: each row valid, no address twice."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused_file("contacts.csv_not_utf8")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    missing = [f for f in ("name", "kind", "email") if f not in header]
    if missing:
        return _refused_file("contacts.csv_columns", columns=", ".join(missing))
    unknown = [h for h in header if h not in CSV_FIELDS]
    if unknown:
        return _refused_file("contacts.csv_unknown_columns", columns=", ".join(unknown))
    reader.fieldnames = header
    existing = set(session.scalars(select(MediaContact.email)))
    new: list[ContactInput] = []
    changed: list[ContactInput] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader):
        line = reader.line_num
        if number >= MAX_IMPORT_ROWS:
            problems.append(
                RowProblem(
                    line, "", Notice("contacts.csv_too_many", {"max": MAX_IMPORT_ROWS})
                )
            )
            break
        values = {
            k: DEFUSED.sub("", v or "", count=1)
            for k, v in row.items()
            if k is not None
        }
        if None in row:  # more cells than columns
            problems.append(RowProblem(line, "", Notice("contacts.csv_extra_cells")))
            continue
        if not any(v.strip() for v in values.values()):
            continue  # a blank line
        try:
            contact = parse(values)
        except InvalidInput as exc:
            problems.extend(RowProblem(line, f, n) for f, n in exc.fields.items())
            continue
        if contact.email in seen:
            problems.append(
                RowProblem(
                    line,
                    "email",
                    Notice("contacts.csv_duplicate", {"line": seen[contact.email]}),
                )
            )
            continue
        seen[contact.email] = line
        (changed if contact.email in existing else new).append(contact)
    return ImportPlan(tuple(new), tuple(changed), tuple(problems))


def _refused_file(code: str, **params: Any) -> ImportPlan:
    return ImportPlan((), (), (RowProblem(1, "", Notice(code, params)),))


def apply_import(session: Session, user: User, plan: ImportPlan) -> ImportPlan:
    """Add and update every contact of a plan without problems, in one
    transaction; a plan with problems is refused whole."""
    _require_manager(user)
    if not plan.ok:
        raise InvalidInput("contacts.csv_invalid", count=len(plan.problems))
    by_email = {
        c.email: c
        for c in session.scalars(
            select(MediaContact).where(
                MediaContact.email.in_([d.email for d in plan.changed])
            )
        )
    }
    for data in plan.new:
        contact = MediaContact(kind=data.kind, email=data.email)
        _apply(session, contact, data)
        session.add(contact)
        session.flush()  # one group row per name, seen by the next contact
    for data in plan.changed:
        contact = by_email[data.email]
        _apply(session, contact, data)
        contact.updated_at = utcnow()
    audit.record(
        session,
        user,
        "contact.imported",
        added=len(plan.new),
        updated=len(plan.changed),
    )
    return plan


def export_csv(contacts: Iterable[MediaContact]) -> str:
    """The contacts as CSV that `read_csv` reads back unchanged."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for c in contacts:
        writer.writerow(
            [
                _cell(c.name),
                _cell(c.outlet),
                str(c.kind),
                c.email,
                _cell(c.phone),
                _cell(c.region),
                c.language,
                GROUP_SEPARATOR.join(g.name for g in c.groups),
                "1" if c.active else "0",
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


# --- vCard ----------------------------------------------------------------------------


def export_vcard(contacts: Iterable[MediaContact]) -> str:
    """The contacts as vCard 4.0 (RFC 6350), one card each, CRLF line ends."""
    cards = []
    for c in contacts:
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_vtext(c.name)}",
            f"EMAIL;TYPE=work:{_vtext(c.email)}",
        ]
        if c.outlet:
            lines.append(f"ORG:{_vtext(c.outlet)}")
        if c.phone:
            lines.append(f"TEL;VALUE=uri;TYPE=work:tel:{c.phone.replace(' ', '')}")
        if c.region:
            lines.append(f"ADR;TYPE=work:;;;{_vtext(c.region)};;;")
        lines.append(f"LANG:{c.language}")
        categories = [str(c.kind), *(g.name for g in c.groups)]
        lines.append("CATEGORIES:" + ",".join(_vtext(v) for v in categories))
        lines.append(f"UID:urn:publisher:contact:{c.id}")
        lines.append("END:VCARD")
        cards.extend(_fold(line) for line in lines)
    return "".join(f"{line}\r\n" for line in cards)


def _vtext(value: str) -> str:
    """A vCard text value: backslash, comma, semicolon and newline escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 6350 §3.2), never inside a UTF-8
    character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


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
