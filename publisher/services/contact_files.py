"""The contact directory as files: CSV import (checked whole, all or nothing, each
bad value named by line and column), CSV export that imports back unchanged, and
vCard 4.0 for address books."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit
from ..models import MediaContact, User, utcnow
from .contacts import GROUP_SEPARATOR, ContactInput, apply, parse, require_manager
from .errors import InvalidInput

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
MAX_IMPORT_ROWS = 5000
# What `_cell` puts before a value a spreadsheet would run as a formula.
DEFUSED = re.compile(r"^'(?=[=+\-@])")


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
    require_manager(user)
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
        apply(session, contact, data)
        session.add(contact)
        session.flush()  # one group row per name, seen by the next contact
    for data in plan.changed:
        contact = by_email[data.email]
        apply(session, contact, data)
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
