"""The permission matrix: every endpoint of the web UI and the API, for every role
(drafter, editor, admin, viewer) and for someone not signed in, answers as the
table below says. A new endpoint without a row here fails the first test, so
nobody adds a route without deciding who may use it.

"ok" means the role gets past every permission check: whatever the request then
says (404 for a made-up id, 409 for the wrong state, 422 for an empty form) is the
route's business, but never 401, 403, a bounce to the sign-in page, or a 500.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import plan

from publisher.models import User, utcnow
from publisher.permissions import ALLOWED, Action
from publisher.services import accounts, contacts

ROLES = ("drafter", "editor", "admin", "viewer")
ACCOUNT = {
    "drafter": "penyusun",
    "editor": "editor",
    "admin": "admin",
    "viewer": "kabid",
}
OK = "ok"

# Who passes, per kind of endpoint; everyone else gets 403. Web pages send the
# anonymous to the sign-in page (302), the API answers them 401.
OPEN = "open"  # no sign-in: public pages, feeds, sign-in itself
SIGNED_IN = "signed_in"  # any role (the viewer included)
API_READ, API_DRAFT, API_PUBLISH, API_ADMIN, API_AUDIT = (
    "api_read",
    "api_draft",
    "api_publish",
    "api_admin",
    "api_audit",
)
ADMIN_ONLY = "admin_only"

PASSES: dict[str, set[str]] = {
    SIGNED_IN: set(ROLES),
    Action.WRITE: {r for r in ROLES if r in ALLOWED[Action.WRITE]},
    Action.REVIEW: {r for r in ROLES if r in ALLOWED[Action.REVIEW]},
    Action.CONTACTS: {r for r in ROLES if r in ALLOWED[Action.CONTACTS]},
    Action.AUDIT: {r for r in ROLES if r in ALLOWED[Action.AUDIT]},
    Action.ADMINISTER: {"admin"},
    ADMIN_ONLY: {"admin"},
    API_READ: set(ROLES),
    API_DRAFT: {"drafter", "editor", "admin"},
    API_PUBLISH: {"editor", "admin"},
    API_ADMIN: {"admin"},
    API_AUDIT: {r for r in ROLES if r in ALLOWED[Action.AUDIT]},
}

# endpoint → who may use it. Methods: every method the rule has is tried.
MATRIX: dict[str, str] = {
    "static": OPEN,
    "auth.login": OPEN,
    "auth.second_factor": OPEN,
    "auth.enrol": OPEN,
    "auth.enrol_done": OPEN,
    "auth.logout": OPEN,
    "auth.set_language": OPEN,
    "auth.account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.two_factor_off": SIGNED_IN,
    "public.atom": OPEN,
    "public.json_feed": OPEN,
    "public.rss": OPEN,
    "public.healthz": OPEN,
    "public.prometheus": OPEN,  # its own token (metrics.token), not a role
    "public.release_page": OPEN,
    "media.public_file": OPEN,
    "contacts.unsubscribe": OPEN,
    "public.healthz_details": ADMIN_ONLY,
    "releases.index": SIGNED_IN,
    "releases.detail": SIGNED_IN,
    "releases.preview": SIGNED_IN,
    "releases.delivery_file": SIGNED_IN,
    "media.index": SIGNED_IN,
    "media.private_file": SIGNED_IN,
    "contacts.index": SIGNED_IN,
    "contacts.export_csv": SIGNED_IN,
    "contacts.export_vcard": SIGNED_IN,
    "dashboard.index": SIGNED_IN,
    "live.deliveries": SIGNED_IN,
    "review.diff": SIGNED_IN,
    "notifications.index": SIGNED_IN,
    "notifications.preferences": SIGNED_IN,
    "notifications.read": SIGNED_IN,  # one's own notifications only
    "notifications.read_all": SIGNED_IN,
    "notifications.save_preferences": SIGNED_IN,
    "review.comment": Action.WRITE,
    "releases.new": Action.WRITE,
    "releases.edit": Action.WRITE,
    "releases.override": Action.WRITE,
    "releases.submit": Action.WRITE,
    "media.upload": Action.WRITE,
    "media.update": Action.WRITE,
    "media.delete": Action.WRITE,
    "media.move": Action.WRITE,
    "releases.review": Action.REVIEW,
    "releases.decisions": Action.REVIEW,
    "releases.approve": Action.REVIEW,
    "releases.reject": Action.REVIEW,
    "releases.withdraw": Action.REVIEW,
    "releases.schedule": Action.REVIEW,
    "releases.retry_delivery": Action.REVIEW,
    "releases.cancel_delivery": Action.REVIEW,
    "releases.resend_delivery": Action.REVIEW,
    "releases.mark_delivery_sent": Action.REVIEW,
    "contacts.new": Action.CONTACTS,
    "contacts.edit": Action.CONTACTS,
    "contacts.set_active": Action.CONTACTS,
    "contacts.import_csv": Action.CONTACTS,
    "channels.index": Action.ADMINISTER,
    "channels.check": Action.ADMINISTER,
    "channels.switch": Action.ADMINISTER,
    "admin.users": Action.ADMINISTER,
    "admin.create_user": Action.ADMINISTER,
    "admin.set_active": Action.ADMINISTER,
    "admin.reset_password": Action.ADMINISTER,
    "admin.set_role": Action.ADMINISTER,
    "admin.tokens": Action.ADMINISTER,
    "admin.create_token": Action.ADMINISTER,
    "admin.revoke_token": Action.ADMINISTER,
    "admin.glossary": Action.ADMINISTER,
    "admin.set_term": Action.ADMINISTER,
    "admin.remove_term": Action.ADMINISTER,
    "admin.organization": Action.ADMINISTER,
    "admin.audit_log": Action.AUDIT,
    "api.openapi": OPEN,
    "api.list_releases": API_READ,
    "api.get_release": API_READ,
    "api.get_renditions": API_READ,
    "api.list_deliveries": API_READ,
    "api.deliveries_needing_decision": API_READ,
    "api.list_recipients": API_READ,
    "api.list_media": API_READ,
    "api.get_media_file": API_READ,
    "api.list_contacts": API_READ,
    "api.get_contact": API_READ,
    "api.get_dashboard": API_READ,
    "api.get_delivery_file": API_READ,
    "api.get_diff": API_READ,
    "api.list_comments": API_READ,
    "api.list_notifications": API_READ,
    "api.read_notification": API_READ,
    "api.read_all_notifications": API_READ,
    "api.get_notification_preferences": API_READ,
    "api.put_notification_preferences": API_READ,
    "api.add_comment": API_DRAFT,
    "api.create_release": API_DRAFT,
    "api.update_release": API_DRAFT,
    "api.put_override": API_DRAFT,
    "api.delete_override": API_DRAFT,
    "api.submit": API_DRAFT,
    "api.upload_media": API_DRAFT,
    "api.update_media": API_DRAFT,
    "api.reorder_media": API_DRAFT,
    "api.delete_media": API_DRAFT,
    "api.approve": API_PUBLISH,
    "api.reject": API_PUBLISH,
    "api.withdraw": API_PUBLISH,
    "api.schedule": API_PUBLISH,
    "api.retry_delivery": API_PUBLISH,
    "api.cancel_delivery": API_PUBLISH,
    "api.resend_delivery": API_PUBLISH,
    "api.mark_delivery_sent": API_PUBLISH,
    "api.create_contact": API_PUBLISH,
    "api.update_contact": API_PUBLISH,
    "api.delete_contact": API_PUBLISH,
    "api.list_channels": API_ADMIN,
    "api.check_channel": API_ADMIN,
    "api.list_users": API_ADMIN,
    "api.create_user": API_ADMIN,
    "api.update_user": API_ADMIN,
    "api.list_tokens": API_ADMIN,
    "api.create_token": API_ADMIN,
    "api.revoke_token": API_ADMIN,
    "api.switch_channel": API_ADMIN,
    "api.get_glossary": API_ADMIN,
    "api.put_term": API_ADMIN,
    "api.delete_term": API_ADMIN,
    "api.list_audit": API_AUDIT,
}


def expected(endpoint: str, role: str | None) -> object:
    """What `role` (None: anonymous) gets from `endpoint`: "ok", 302, 401 or 403."""
    kind = MATRIX[endpoint]
    if kind == OPEN:
        return OK
    api = endpoint.startswith("api.") or endpoint == "public.healthz_details"
    if role is None:
        return 401 if api else 302
    return OK if role in PASSES[kind] else 403


def test_every_endpoint_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "add these endpoints to MATRIX"
    assert MATRIX.keys() - endpoints == set(), "these endpoints no longer exist"


@pytest.fixture
def world(app, database, config, accounts_, approved_release):
    """A viewer, a release with a delivery, a contact, and a user and a token the
    administrator's requests may change; the values that fill URL parameters."""
    release_id = approved_release()
    (delivery_id,) = plan(
        database, config, release_id, utcnow() + timedelta(days=1), "koran"
    )
    with database.session() as session:
        accounts.create_user(session, "kabid", "viewer", "Kabid-Tabanan-2046-x")
        viewer_token = accounts.create_token(session, "kabid")
        accounts.create_user(session, "korban", "drafter", "Korban-Gianyar-5188-y")
        accounts.create_token(session, "korban", "uji")
        token_id = accounts.list_tokens(session, "korban")[0].id
        admin = session.query(User).filter_by(username="admin").one()
        contact = contacts.create(
            session,
            admin,
            contacts.parse(
                {"name": "Redaksi Uji", "kind": "online", "email": "r@example.org"}
            ),
        )
        contact_id = contact.id
    tokens = {
        role: accounts_[ACCOUNT[role]].token for role in ROLES if role != "viewer"
    }
    tokens["viewer"] = viewer_token
    values = {
        "release_id": release_id,
        "delivery_id": delivery_id,
        "contact_id": contact_id,
        "asset_id": 999999,
        "notification_id": 999999,
        "token_id": token_id,
        "username": "korban",
        "name": "koran",
        "channel": "koran",
        "public_id": "tidak-ada",
        "key": "tidak-ada",
        "purpose": "web",
        "token": "tidak-ada",
        "term": "KIM",
        "filename": "style.css",
    }
    return {"tokens": tokens, "values": values}


def _url(rule, values) -> str:
    return re.sub(
        r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule
    )


def _session_of(app, database, role: str | None):
    """A test client signed in as `role` (anonymous for None), without the form."""
    client = app.test_client()
    if role is not None:
        with database.session() as session:
            user = session.query(User).filter_by(username=ACCOUNT[role]).one()
            user_id, version = user.id, user.session_version
        with client.session_transaction() as cookie:
            cookie["user_id"], cookie["v"] = user_id, version
    return client


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "anonymous"])
def test_every_endpoint_answers_each_role_as_the_table_says(app, database, world, role):
    wrong = []
    for rule in _rules(app):
        url = _url(rule, world["values"])
        api = rule.endpoint.startswith("api.")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            client = _session_of(app, database, None if api else role)
            headers = {}
            if api and role is not None:
                headers["Authorization"] = f"Bearer {world['tokens'][role]}"
            kwargs = {"json": {}} if api and method != "GET" else {"data": {}}
            response = client.open(url, method=method, headers=headers, **kwargs)
            want = expected(rule.endpoint, role)
            got = _outcome(response, open_=MATRIX[rule.endpoint] == OPEN)
            response.close()
            if got != want:
                wrong.append(f"{method} {url} ({rule.endpoint}): {got}, want {want}")
    assert not wrong, "\n".join(wrong)


def _outcome(response, open_: bool) -> object:
    """What the table compares: "ok", or the refusal (302 to sign in, 401, 403);
    a 500 is always wrong. An open endpoint may refuse on its own terms (a wrong
    password is 401)."""
    status = response.status_code
    if status == 503:  # the health report: no dispatcher runs in this test
        return OK
    if status >= 500:
        return status
    if open_:
        return OK
    if status in (401, 403):
        return status
    if status == 302 and "/login" in response.headers.get("Location", ""):
        return 302
    return OK


def test_a_refused_write_names_its_code(app, database, world):
    """The viewer's 403 says why, as a code, in the web page and the API."""
    client = _session_of(app, database, "viewer")
    page = client.post("/releases/new", data={})
    assert page.status_code == 403
    assert "Peran Anda tidak mengizinkan" in page.text
    headers = {"Authorization": f"Bearer {world['tokens']['viewer']}"}
    api = app.test_client().post("/api/v1/releases", json={}, headers=headers)
    assert api.status_code == 403 and api.json["code"] == "auth.token_scope"
