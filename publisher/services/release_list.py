"""Finding releases: search, filters, sorting and keyset pages.

One page costs the same whatever the size of the archive: the query walks an index
in the order shown (`updated_at, id` or `created_at, id`) from the cursor of the
page before and stops after one row more than the page holds; words are looked up
in `release_search` (FTS5 on SQLite, a GIN-indexed `tsvector` on PostgreSQL,
kept current by triggers, migration 0013). What the page shows about deliveries
is read for the releases on it only.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, func, select, tuple_
from sqlalchemy.orm import Session, aliased, selectinload

from channel_adapters.notice import Notice

from ..models import (
    NEEDS_DECISION,
    PENDING_DELIVERY,
    Delivery,
    DeliveryStatus,
    Release,
    ReleaseStatus,
    Revision,
    User,
)
from .errors import InvalidInput

LARGEST_ID = 2**31 - 1  # an id beyond what the databases store
SORTS = ("-updated", "updated", "-created", "created")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_WORDS = 10
FILTERS = ("q", "status", "channel", "category", "author", "from", "to", "sort")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked for: words, filters, order, page size and cursor."""

    words: tuple[str, ...] = ()
    status: str | None = None
    channel: str | None = None
    category: str | None = None
    author: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-updated"
    limit: int = DEFAULT_LIMIT
    cursor: tuple[datetime, int] | None = None


@dataclass
class DeliverySummary:
    """The current deliveries of one release (the newest per channel), counted."""

    counts: dict[str, int] = field(default_factory=dict)
    next_planned_at: datetime | None = None

    @property
    def failed(self) -> int:
        """Deliveries that failed: nothing arrived, an editor may retry."""
        return self.counts.get(DeliveryStatus.FAILED, 0)

    @property
    def undecided(self) -> int:
        """Deliveries whose outcome is unknown or that missed their time."""
        return sum(self.counts.get(status, 0) for status in NEEDS_DECISION)

    @property
    def has_problem(self) -> bool:
        """Whether any current delivery failed, is unknown or was missed."""
        return bool(self.failed or self.undecided)

    @property
    def total(self) -> int:
        """How many channels the release has deliveries for."""
        return sum(self.counts.values())


@dataclass
class ReleasePage:
    """One page of releases, what it shows about their deliveries, and where the
    next page starts (None on the last page)."""

    releases: list[Release]
    summaries: dict[int, DeliverySummary]
    next_cursor: str | None


def parse_query(args: Mapping[str, Any], tz: tzinfo) -> ListQuery:
    """The reader's query from request arguments; a bad one raises InvalidInput
    naming every wrong field. `tz` is the office's zone for the date range."""
    errors: dict[str, Notice | str] = {}
    text = (args.get("q") or "").strip()
    status = args.get("status") or None
    if status is not None and status not in set(ReleaseStatus):
        errors["status"] = Notice("field.choice", {"expected": _listed(ReleaseStatus)})
    sort = args.get("sort") or "-updated"
    if sort not in SORTS:
        errors["sort"] = Notice("field.choice", {"expected": ", ".join(SORTS)})
        sort = "-updated"
    limit = _limit(args.get("limit"), errors)
    dates = {name: _date(args.get(name), name, errors) for name in ("from", "to")}
    cursor = _decode_cursor(args.get("cursor"), sort, errors)
    for name in ("q", "channel", "category", "author"):
        if _unprintable(args.get(name)):
            errors[name] = "field.invalid"
    if errors:
        raise InvalidInput(fields=errors)
    return ListQuery(
        words=tuple(_WORD.findall(text.lower()))[:MAX_WORDS],
        status=status,
        channel=(args.get("channel") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        author=(args.get("author") or "").strip() or None,
        date_from=dates["from"],
        date_to=dates["to"],
        sort=sort,
        limit=limit,
        cursor=cursor,
    )


def find(session: Session, query: ListQuery, tz: tzinfo) -> ReleasePage:
    """One page of the releases that match `query`, in its order."""
    column = (
        Release.created_at if query.sort.endswith("created") else Release.updated_at
    )
    descending = query.sort.startswith("-")
    statement = (
        select(Release)
        .options(
            selectinload(Release.revisions).selectinload(Revision.overrides),
            selectinload(Release.author),
        )
        .limit(query.limit + 1)
    )
    for condition in _conditions(session, query, column, tz):
        statement = statement.where(condition)
    if query.cursor is not None:
        after = tuple_(column, Release.id)
        edge = tuple_(
            sa.literal(query.cursor[0], column.type), sa.literal(query.cursor[1])
        )
        statement = statement.where(after < edge if descending else after > edge)
    order = (column.desc(), Release.id.desc()) if descending else (column, Release.id)
    releases = list(session.scalars(statement.order_by(*order)))
    next_cursor = None
    if len(releases) > query.limit:
        releases = releases[: query.limit]
        last = releases[-1]
        next_cursor = encode_cursor(query.sort, getattr(last, column.key), last.id)
    summaries = delivery_summaries(session, [r.id for r in releases])
    return ReleasePage(releases, summaries, next_cursor)


def delivery_summaries(
    session: Session, release_ids: list[int]
) -> dict[int, DeliverySummary]:
    """release id → its current deliveries counted by status, and the next
    planned time among those still waiting."""
    summaries = {release_id: DeliverySummary() for release_id in release_ids}
    if not release_ids:
        return summaries
    rows = session.execute(
        select(
            Delivery.release_id,
            Delivery.channel,
            Delivery.status,
            Delivery.planned_at,
            Delivery.next_attempt_at,
        )
        .where(Delivery.release_id.in_(release_ids))
        .order_by(Delivery.id)
    )
    newest: dict[tuple[int, str], Any] = {}
    for row in rows:  # later rows (newer revisions) replace older ones
        newest[(row.release_id, row.channel)] = row
    for row in newest.values():
        summary = summaries[row.release_id]
        summary.counts[row.status] = summary.counts.get(row.status, 0) + 1
        if row.status in PENDING_DELIVERY:
            due = row.next_attempt_at or row.planned_at
            if summary.next_planned_at is None or due < summary.next_planned_at:
                summary.next_planned_at = due
    return summaries


def authors(session: Session) -> list[User]:
    """Everyone who may have written a release, by name (for the author filter)."""
    return list(session.scalars(select(User).order_by(User.display_name)))


def encode_cursor(sort: str, value: datetime, release_id: int) -> str:
    """An opaque cursor: where the next page starts, for this order."""
    raw = json.dumps([sort, value.isoformat(), release_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _conditions(session: Session, query: ListQuery, column: Any, tz: tzinfo):
    """The WHERE clauses of `query`."""
    if query.words:
        yield Release.id.in_(_matching(session, query.words))
    if query.status:
        yield Release.status == query.status
    if query.channel:
        yield exists().where(
            Delivery.release_id == Release.id, Delivery.channel == query.channel
        )
    if query.category:
        later = aliased(Revision)
        newest = (
            select(func.max(later.number))
            .where(later.release_id == Release.id)
            .correlate(Release)
            .scalar_subquery()
        )
        yield exists().where(
            Revision.release_id == Release.id,
            Revision.number == newest,
            func.lower(Revision.category) == query.category.lower(),
        )
    if query.author:
        yield Release.author_id.in_(
            select(User.id).where(User.username == query.author)
        )
    if query.date_from:
        yield column >= _start_of(query.date_from, tz)
    if query.date_to:
        yield column < _start_of(query.date_to + timedelta(days=1), tz)


def _matching(session: Session, words: tuple[str, ...]):
    """The ids of releases whose number, title, lead, body or tags hold every
    word (each as the start of a word)."""
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        return (
            sa.text("SELECT rowid FROM release_search WHERE release_search MATCH :m")
            .bindparams(m=match)
            .columns(sa.column("rowid", sa.Integer))
        )
    tsquery = " & ".join(f"{word}:*" for word in words)
    return (
        sa.text(
            "SELECT release_id FROM release_search "
            "WHERE document @@ to_tsquery('simple', :q)"
        )
        .bindparams(q=tsquery)
        .columns(sa.column("release_id", sa.Integer))
    )


def _start_of(day: date, tz: tzinfo) -> datetime:
    """Midnight of `day` in the office's zone."""
    return datetime.combine(day, time(0), tzinfo=tz)


def _limit(raw: Any, errors: dict[str, Notice | str]) -> int:
    if raw in (None, ""):
        return DEFAULT_LIMIT
    if not str(raw).isdigit() or len(str(raw)) > 6:
        errors["limit"] = "field.not_integer"
        return DEFAULT_LIMIT
    value = int(raw)
    if value < 1:
        errors["limit"] = Notice("field.too_small", {"min": 1})
    elif value > MAX_LIMIT:
        errors["limit"] = Notice("field.too_large", {"max": MAX_LIMIT})
    return min(max(value, 1), MAX_LIMIT)


def _date(raw: Any, name: str, errors: dict[str, Notice | str]) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = "field.not_date"
        return None
    if not 2000 <= value.year <= 2100:
        errors[name] = "field.datetime_range"
        return None
    return value


def _decode_cursor(
    raw: Any, sort: str, errors: dict[str, Notice | str]
) -> tuple[datetime, int] | None:
    """(time, id) from a cursor made for the same order; else an error."""
    if not raw:
        return None
    try:
        text = str(raw)
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        made_for, value, release_id = json.loads(decoded)
        moment = datetime.fromisoformat(value)
        if (
            made_for != sort
            or not isinstance(release_id, int)
            or not 0 <= release_id <= LARGEST_ID
            or not moment.tzinfo
        ):
            raise ValueError(made_for)
        moment = moment.astimezone(UTC)
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError):
        errors["cursor"] = "field.invalid"
        return None
    return moment, release_id


def _unprintable(value: Any) -> bool:
    """Whether `value` holds control characters (PostgreSQL refuses NUL)."""
    return isinstance(value, str) and any(
        ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value
    )


def _listed(kind: type) -> str:
    return ", ".join(member.value for member in kind)
