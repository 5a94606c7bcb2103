"""Web forms: raw form fields to service input, and service errors back to the form.

Times are typed in the organization's zone (`<input type=datetime-local>`) and leave
here as aware datetimes; the field messages services write in English come back here
as the user's language, next to the field they belong to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, render_template
from flask_babel import gettext as _

from channel_adapters.notice import Notice

from .. import notices, state
from ..models import PENDING_DELIVERY, DeliveryStatus, Release
from ..notices import labels
from ..services.errors import ServiceError

# What the form sends, in the order the form shows it.
CONTENT_FORM_FIELDS = (
    "title",
    "lead",
    "body",
    "dateline_city",
    "category",
    "tags",
    "contact_name",
    "contact_phone",
    "contact_email",
    "language",
    "embargo_at",
)
LOCAL_INPUT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
INPUT_FORMAT = "%Y-%m-%dT%H:%M"
# A planned time defaults to a little ahead, on a round minute, so it is still in the
# future when the editor presses the button.
DEFAULT_LEAD = timedelta(minutes=10)
ROUND_MINUTES = 5


def message(notice: Notice | str) -> str:
    """A notice (or a bare code) in the user's language, times in the office's
    zone."""
    notice = Notice(notice) if isinstance(notice, str) else notice
    return notices.render(notice, tz=state().config.organization.timezone)


def warn_if_reopened(release: Release, was_approved: bool) -> bool:
    """Say so when a change sent an approved release back to review (True if so)."""
    if not (was_approved and release.in_review):
        return False
    flash(
        _(
            "The edit became revision %(number)s. The release went back to review "
            "and its pending deliveries were cancelled.",
            number=release.current.number,
        ),
        "warning",
    )
    return True


def refusal_page(exc: ServiceError):
    """A service's 403 or 404 as the error page, in the user's language."""
    text = message(exc.notice)
    return render_template("error.html", code=exc.status, message=text), exc.status


def error_text(exc: ServiceError) -> str:
    """A refusal as one flash message: the notice, or each field's with its label."""
    if exc.fields:  # the fields say more precisely what to fix
        return " ".join(
            f"{label(field)}: {text}"
            for field, text in field_errors(exc.fields).items()
        )
    return message(exc.notice)


def field_errors(fields: Mapping[str, Notice]) -> dict[str, str]:
    """`InvalidInput.fields` keyed by form field (`tags.3` → `tags`), rendered."""
    errors: dict[str, str] = {}
    for where, notice in fields.items():
        errors.setdefault(where.split(".")[0], message(notice))
    return errors


def label(field: str) -> str:
    """The field's label in the user's language."""
    return str(labels.FIELD_LABELS.get(field, field))


def zone(name: str) -> ZoneInfo:
    """The organization's zone."""
    return ZoneInfo(name)


def parse_local(value: str, tz: ZoneInfo) -> datetime | None:
    """A `datetime-local` value read in `tz`, as an aware datetime; None if empty.

    Raises ValueError for anything that is not `YYYY-MM-DDTHH:MM`.
    """
    value = value.strip()
    if not value:
        return None
    if not LOCAL_INPUT.fullmatch(value):
        raise ValueError(value)
    return datetime.fromisoformat(value.replace(" ", "T")).replace(tzinfo=tz)


def to_local_input(moment: datetime | None, tz: ZoneInfo) -> str:
    """An aware datetime as a `datetime-local` value in `tz`."""
    return moment.astimezone(tz).strftime(INPUT_FORMAT) if moment else ""


def default_planned(tz: ZoneInfo, now: datetime | None = None) -> str:
    """Ten minutes from now, rounded up to five minutes, as a `datetime-local` value."""
    moment = (now or datetime.now(UTC)) + DEFAULT_LEAD
    moment = moment.replace(second=0, microsecond=0)
    moment += timedelta(minutes=-moment.minute % ROUND_MINUTES)
    return to_local_input(moment, tz)


def release_values(revision: Any, tz: ZoneInfo) -> dict[str, str]:
    """A revision as the strings the release form shows."""
    values = {
        name: getattr(revision, name) or ""
        for name in CONTENT_FORM_FIELDS
        if name not in ("tags", "embargo_at")
    }
    values["tags"] = ", ".join(revision.tags or ())
    values["embargo_at"] = to_local_input(revision.embargo_at, tz)
    return values


def empty_values(organization: Any) -> dict[str, str]:
    """What a new release form starts with."""
    values = dict.fromkeys(CONTENT_FORM_FIELDS, "")
    values["dateline_city"] = organization.city
    values["language"] = organization.language
    return values


def release_input(
    form: Mapping[str, str], tz: ZoneInfo
) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """(what the user typed, the dict for `drafting.parse_content`, early errors).

    The embargo is read here, in the organization's zone; a malformed one is an error
    of its own so the other fields are still checked by the service.
    """
    values = {name: form.get(name, "") for name in CONTENT_FORM_FIELDS}
    data: dict[str, Any] = {
        name: values[name]
        for name in CONTENT_FORM_FIELDS
        if name not in ("tags", "embargo_at")
    }
    data["tags"] = [tag for tag in values["tags"].split(",") if tag.strip()]
    errors: dict[str, str] = {}
    try:
        data["embargo_at"] = parse_local(values["embargo_at"], tz)
    except ValueError:
        data["embargo_at"] = None
        errors["embargo_at"] = message("field.local_time_format")
    return values, data, errors


@dataclass
class ScheduleRow:
    """One channel on the schedule form."""

    channel: str
    label: str
    adapter: str
    checked: bool
    planned_at: str
    current: Any = None  # this channel's delivery of the approved revision, if any
    error: str | None = None
    # Why the channel cannot send (render-only, no credentials yet); None: it can.
    blocker: Notice | None = None

    @property
    def locked(self) -> bool:
        """Started, sent or failed: retry or cancel it on the release page instead;
        or a channel that cannot send by itself, which is never offered ticked."""
        return self.blocker is not None or (
            self.current is not None
            and self.current.status not in (*PENDING_DELIVERY, DeliveryStatus.CANCELLED)
        )


def schedule_rows(
    channels: Mapping[str, Any],
    deliveries: list[Any],
    revision: int,
    tz: ZoneInfo,
    form: Any = None,
) -> list[ScheduleRow]:
    """One row per enabled channel: as submitted, else as planned for `revision`."""
    default = default_planned(tz)
    current = {d.channel: d for d in deliveries if d.revision.number == revision}
    rows = []
    for name, channel in channels.items():
        delivery = current.get(name)
        pending = delivery is not None and delivery.status in PENDING_DELIVERY
        row = ScheduleRow(
            name,
            channel.label,
            channel.adapter,
            checked=delivery is None or pending,
            planned_at=to_local_input(delivery.planned_at, tz) if pending else default,
            current=delivery,
            blocker=channel.blocker,
        )
        if form is not None:
            row.checked = name in form.getlist("channel")
            row.planned_at = form.get(f"planned_at.{name}", row.planned_at)
        row.checked = row.checked and not row.locked
        rows.append(row)
    return rows


def schedule_input(
    rows: list[ScheduleRow], tz: ZoneInfo, now: bool
) -> tuple[dict[str, Any], list[ScheduleRow]]:
    """(the dict for `scheduling.parse_plan`, the rows it lists, in its order).

    A malformed time is marked on its row; `now` sends every checked channel at once.
    """
    planned: list[dict[str, Any]] = []
    listed: list[ScheduleRow] = []
    for row in rows:
        if not row.checked:
            continue
        if now:
            when: datetime | None = datetime.now(UTC)
        else:
            try:
                when = parse_local(row.planned_at, tz)
            except ValueError:
                when = None
            if when is None:
                row.error = message("field.local_time_format")
                continue
        planned.append({"channel": row.channel, "planned_at": when.astimezone(UTC)})
        listed.append(row)
    return {"deliveries": planned}, listed


def mark_schedule_errors(
    fields: Mapping[str, Notice], listed: list[ScheduleRow]
) -> str | None:
    """Put `deliveries.N.planned_at` messages on their rows; returns a form-wide one."""
    general = None
    for where, notice in fields.items():
        parts = where.split(".")
        if len(parts) >= 2 and parts[0] == "deliveries" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(listed):
                listed[index].error = listed[index].error or message(notice)
                continue
        if where == "deliveries" and notice.code == "field.too_few":
            notice = Notice("schedule.no_channel")
        general = general or message(notice)
    return general


def fill_preset(
    rows: list[ScheduleRow], times: Mapping[str, datetime | None], tz: ZoneInfo
) -> bool:
    """Tick the preset's channels with its times, untick the rest; True when the
    preset sends everything now (the form then offers "send now" first)."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    for row in rows:
        row.checked = row.channel in times and not row.locked
        if row.checked:
            row.planned_at = to_local_input(times[row.channel] or start, tz)
            row.error = None
    return all(when is None for when in times.values())
