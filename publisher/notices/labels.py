"""Names of states, roles, fields and audit actions in the reader's language.

Notice parameters named `status`, `delivery_status`, `role`, `field` or `unit` are shown
through these tables, so `release.not_in_review` says "Disetujui", not "approved".
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

from ..models import DeliveryStatus, ReleaseStatus, Role

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
    DeliveryStatus.MISSED: _l("Missed"),
    DeliveryStatus.CANCELLED: _l("Cancelled"),
}

ROLES = {
    Role.DRAFTER: _l("Drafter"),
    Role.EDITOR: _l("Editor"),
    Role.ADMIN: _l("Administrator"),
    Role.VIEWER: _l("Viewer (read only)"),
}

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
    "remote_url": _l("Address of the post"),
    "remote_id": _l("Post ID at the channel"),
    "confirm_duplicate": _l("Confirmation"),
    "text": _l("Text"),
    "revision": _l("Revision"),
    "from": _l("From revision"),
    "to": _l("To revision"),
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
    "delivery.missed": _l("Delivery missed its time, not sent"),
    "delivery.resent": _l("Editor decided: send again"),
    "delivery.marked_sent": _l("Editor decided: already sent"),
    "media.added": _l("Photo or document added"),
    "media.changed": _l("Details of a photo or document changed"),
    "media.reordered": _l("Photos and documents reordered"),
    "media.removed": _l("Photo or document removed"),
    "release.commented": _l("Comment posted"),
}

# What a network counts, named by adapters as `unit` (channel_adapters/social).
UNITS = {
    "characters": _l("characters"),
    "weighted_characters": _l("weighted characters"),
    "graphemes": _l("graphemes"),
    "bytes": _l("bytes"),
}

_BY_PARAM: dict[str, dict[Any, Any]] = {
    "status": RELEASE_STATUS,
    "previous_status": RELEASE_STATUS,
    "delivery_status": DELIVERY_STATUS,
    "role": ROLES,
    "field": FIELD_LABELS,
    "unit": UNITS,
}


def filesize(size: int | None, language: str) -> str:
    """Bytes as the reader writes them: "850 KB", "3,2 MB" (Indonesian comma)."""
    size = size or 0
    if size < 1_000_000:
        return f"{format_decimal(max(1, round(size / 1000)), locale=language)} KB"
    return f"{format_decimal(size / 1e6, format='#,##0.0', locale=language)} MB"


def duration(seconds: float, language: str) -> str:
    """A length of time as the reader writes it: "7 jam 5 menit", "7 h 5 min"."""
    minutes = max(0, round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    words = ("hari", "jam", "menit") if language.startswith("id") else ("d", "h", "min")
    parts = [
        f"{amount} {word}"
        for amount, word in zip((days, hours, minutes), words, strict=True)
        if amount
    ]
    return " ".join(parts) or f"0 {words[2]}"


def label_for(param: str, value: Any) -> Any | None:
    """The label for a parameter's value, or None when it is shown as it is."""
    table = _BY_PARAM.get(param)
    if table is None or not isinstance(value, str):
        return None
    return table.get(value)
