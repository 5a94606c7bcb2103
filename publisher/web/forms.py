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
from flask_babel import lazy_gettext as _l

from ..models import PENDING_DELIVERY, DeliveryStatus, Release, ReleaseStatus, Role

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

FIELD_LABELS = {
    "title": _l("Title"),
    "lead": _l("Lead"),
    "body": _l("Body"),
    "dateline_city": _l("Dateline city"),
    "category": _l("Category"),
    "tags": _l("Tags"),
    "contact_name": _l("Contact name"),
    "contact_phone": _l("Contact phone"),
    "contact_email": _l("Contact e-mail"),
    "language": _l("Language of the release"),
    "embargo_at": _l("Embargo until"),
    "reason": _l("Reason"),
    "channel": _l("Channel"),
    "planned_at": _l("Planned time"),
    "media": _l("Photos and attachments"),
}

RELEASE_STATUS = {
    ReleaseStatus.DRAFT: _l("Draft"),
    ReleaseStatus.IN_REVIEW: _l("Awaiting approval"),
    ReleaseStatus.REJECTED: _l("Rejected"),
    ReleaseStatus.APPROVED: _l("Approved"),
    ReleaseStatus.PUBLISHED: _l("Published"),
    ReleaseStatus.WITHDRAWN: _l("Withdrawn"),
}

DELIVERY_STATUS = {
    DeliveryStatus.SCHEDULED: _l("Scheduled"),
    DeliveryStatus.SENDING: _l("Sending"),
    DeliveryStatus.RETRYING: _l("Waiting to retry"),
    DeliveryStatus.SENT: _l("Sent"),
    DeliveryStatus.FAILED: _l("Failed"),
    DeliveryStatus.UNKNOWN: _l("Outcome unknown"),
    DeliveryStatus.CANCELLED: _l("Cancelled"),
}

ROLES = {
    Role.DRAFTER: _l("Drafter"),
    Role.EDITOR: _l("Editor"),
    Role.ADMIN: _l("Administrator"),
}

AUDIT_ACTIONS = {
    "release.created": _l("Release created"),
    "release.edited": _l("Draft edited"),
    "release.revised": _l("New revision written"),
    "release.submitted": _l("Submitted for review"),
    "release.approved": _l("Release approved"),
    "release.rejected": _l("Release rejected"),
    "release.withdrawn": _l("Release withdrawn"),
    "release.published": _l("Release published"),
    "delivery.scheduled": _l("Delivery scheduled"),
    "delivery.rescheduled": _l("Delivery rescheduled"),
    "delivery.retry": _l("Delivery retried"),
    "delivery.cancelled": _l("Delivery cancelled"),
    "delivery.sending": _l("Delivery started"),
    "delivery.held_for_embargo": _l("Delivery held until the embargo ends"),
    "delivery.sent": _l("Delivered"),
    "delivery.retrying": _l("Delivery failed, will retry"),
    "delivery.failed": _l("Delivery failed"),
    "delivery.unknown": _l("Delivery outcome unknown"),
    "media.added": _l("Photo or document added"),
    "media.changed": _l("Details of a photo or document changed"),
    "media.reordered": _l("Photos and documents reordered"),
    "media.removed": _l("Photo or document removed"),
}

# Service messages (English, for the API) that a form shows in the user's language.
_MESSAGES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"field required|String should have at least 1 character",
            _l("This field is required."),
        ),
        (
            r"add alt text to (?P<name>.+) before review",
            _l("Add alt text to %(name)s before submitting for review."),
        ),
        (r"required before review", _l("Fill this in before submitting for review.")),
        (
            r"String should have at most (?P<n>\d+) characters?",
            _l("At most %(n)s characters."),
        ),
        (r"not an e-mail address", _l("This is not a valid e-mail address.")),
        (
            r"(?P<n>[\d,]+) [\w ]+, over the limit of (?P<limit>[\d,]+)",
            _l("Too long: %(n)s, the limit is %(limit)s."),
        ),
        (r"the text is empty", _l("The text is empty.")),
        (
            r"text cannot be edited by hand",
            _l("This channel's text is made from the release; edit the release."),
        ),
        (
            r"tag .* is longer than (?P<n>\d+) characters",
            _l("Each tag may have at most %(n)s characters."),
        ),
        (r"List should have at most (?P<n>\d+) items", _l("At most %(n)s items.")),
        (r"List should have at least 1 item", _l("Choose at least one channel.")),
        (r"Input should be 'id' or 'en'", _l("Choose Indonesian or English.")),
        (
            r"give the time with its offset|Input should be a valid datetime",
            _l("Enter a date and time."),
        ),
        (r"is in the past", _l("This time has already passed.")),
        (r"is before the embargo", _l("This is before the embargo ends.")),
        (r"unknown channel|is disabled", _l("This channel is not enabled.")),
        (r"is listed twice", _l("This channel is listed twice.")),
        (
            r"revision (?P<old>\d+) is no longer current; review revision (?P<new>\d+)",
            _l("Revision %(old)s is no longer current; review revision %(new)s."),
        ),
        (
            r"cannot approve a revision they contributed to",
            _l("An editor cannot approve a revision they contributed to."),
        ),
        (r"not in review", _l("This release is not waiting for approval.")),
        (
            r"only a draft can be submitted",
            _l("Only a draft or a rejected release can be submitted."),
        ),
        (
            r"only an approved release can be (scheduled|withdrawn)",
            _l("Only an approved release can be scheduled or withdrawn."),
        ),
        (
            r"a withdrawn release cannot be edited",
            _l("A withdrawn release cannot be edited; write a new release."),
        ),
        (
            r"only a failed or unknown delivery can be retried",
            _l("Only a failed or unknown delivery can be tried again."),
        ),
        (
            r"only a waiting delivery can be cancelled",
            _l("Only a delivery that has not started can be cancelled."),
        ),
        (
            r"the delivery to \S+ is \w+; use retry",
            _l("This channel's delivery has already started; retry it if it failed."),
        ),
    )
)


def message(text: str, default: str | None = None) -> str:
    """A service's message in the user's language; else `default`, else as it is."""
    for pattern, translated in _MESSAGES:
        found = pattern.search(text)
        if found:
            return str(translated) % found.groupdict()
    return text if default is None else default


def warn_if_reopened(release: Release, was_approved: bool) -> bool:
    """Say so when a change sent an approved release back to review (True if so)."""
    if not (was_approved and release.status == ReleaseStatus.IN_REVIEW):
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


def refusal_page(exc: Exception, missing: str):
    """A service's 403 or 404 as the error page, in the user's language."""
    status = getattr(exc, "status", 403)
    default = _("Your role does not allow this.") if status == 403 else missing
    text = message(getattr(exc, "message", str(exc)), default)
    return render_template("error.html", code=status, message=text), status


def field_errors(fields: Mapping[str, str]) -> dict[str, str]:
    """`InvalidInput.fields` keyed by form field (`tags.3` → `tags`), translated."""
    errors: dict[str, str] = {}
    for where, text in fields.items():
        errors.setdefault(where.split(".")[0], message(text))
    return errors


def label(field: str) -> str:
    """The field's label in the user's language."""
    return str(FIELD_LABELS.get(field, field))


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
        errors["embargo_at"] = _("Use a date and time like 2026-12-01 10:00.")
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

    @property
    def locked(self) -> bool:
        """Started, sent or failed: retry or cancel it on the release page instead."""
        return self.current is not None and self.current.status not in (
            *PENDING_DELIVERY,
            DeliveryStatus.CANCELLED,
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
                row.error = _("Use a date and time like 2026-12-01 10:00.")
                continue
        planned.append({"channel": row.channel, "planned_at": when.astimezone(UTC)})
        listed.append(row)
    return {"deliveries": planned}, listed


def mark_schedule_errors(
    fields: Mapping[str, str], listed: list[ScheduleRow]
) -> str | None:
    """Put `deliveries.N.planned_at` messages on their rows; returns a form-wide one."""
    general = None
    for where, text in fields.items():
        parts = where.split(".")
        if len(parts) >= 2 and parts[0] == "deliveries" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(listed):
                listed[index].error = listed[index].error or message(text)
                continue
        general = general or message(text)
    return general
