"""Which token scope each API endpoint needs: one table, checked before every call.

`read` reads; `draft` writes releases, their media and hand-written texts and
submits them; `publish` approves, rejects, withdraws, schedules, retries and
cancels, decides about unknown or missed deliveries, and (for an administrator's
token) lists and tests channels. A scope includes the ones before it. The
token's scope only narrows what its user's role allows: the services still check
the role. An endpoint missing from the table needs `publish`, and a test checks
that none is missing.
"""

from __future__ import annotations

from ..models import TokenScope

READ, DRAFT, PUBLISH = TokenScope.READ, TokenScope.DRAFT, TokenScope.PUBLISH

# Endpoints that need no token at all.
PUBLIC = frozenset({"api.openapi"})

NEEDED: dict[str, TokenScope] = {
    "api.list_releases": READ,
    "api.get_release": READ,
    "api.get_renditions": READ,
    "api.list_deliveries": READ,
    "api.deliveries_needing_decision": READ,
    "api.list_media": READ,
    "api.get_media_file": READ,
    "api.list_contacts": READ,
    "api.get_contact": READ,
    "api.list_recipients": READ,
    "api.get_dashboard": READ,
    "api.get_delivery_file": READ,
    "api.create_release": DRAFT,
    "api.update_release": DRAFT,
    "api.put_override": DRAFT,
    "api.delete_override": DRAFT,
    "api.submit": DRAFT,
    "api.upload_media": DRAFT,
    "api.update_media": DRAFT,
    "api.reorder_media": DRAFT,
    "api.delete_media": DRAFT,
    "api.approve": PUBLISH,
    "api.reject": PUBLISH,
    "api.withdraw": PUBLISH,
    "api.schedule": PUBLISH,
    "api.retry_delivery": PUBLISH,
    "api.cancel_delivery": PUBLISH,
    "api.resend_delivery": PUBLISH,
    "api.mark_delivery_sent": PUBLISH,
    # Administrators only (the role is checked too): configuration is theirs.
    "api.list_channels": PUBLISH,
    "api.check_channel": PUBLISH,
    # The directory is the editors' (services check the role as well).
    "api.create_contact": PUBLISH,
    "api.update_contact": PUBLISH,
    "api.delete_contact": PUBLISH,
    # The review conversation: everyone who writes may comment.
    "api.list_comments": READ,
    "api.get_diff": READ,
    "api.add_comment": DRAFT,
    # The caller's own notifications: reading them, marking them read and
    # choosing them change nothing anyone else sees.
    "api.list_notifications": READ,
    "api.read_notification": READ,
    "api.read_all_notifications": READ,
    "api.get_notification_preferences": READ,
    "api.put_notification_preferences": READ,
    # Administration (the permission table checks the role as well).
    "api.list_users": PUBLISH,
    "api.create_user": PUBLISH,
    "api.update_user": PUBLISH,
    "api.list_tokens": PUBLISH,
    "api.create_token": PUBLISH,
    "api.revoke_token": PUBLISH,
    "api.switch_channel": PUBLISH,
    "api.get_glossary": PUBLISH,
    "api.put_term": PUBLISH,
    "api.delete_term": PUBLISH,
    # Editors, administrators and viewers read the audit trail.
    "api.list_audit": READ,
}


def needed(endpoint: str) -> TokenScope:
    """The scope `endpoint` needs; `publish` for anything the table forgot."""
    return NEEDED.get(endpoint, PUBLISH)
