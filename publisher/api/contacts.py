"""Media contact endpoints, and each recipient's outcome of an e-mail delivery."""

from __future__ import annotations

from flask import jsonify, request

from .. import db_session
from ..models import Delivery
from ..services import contacts, recipients
from ..services.errors import NotFound
from . import bp, current_user, json_body


def _filter() -> contacts.ContactFilter:
    args = request.args
    return contacts.ContactFilter(
        q=args.get("q", ""),
        kind=args.get("kind", ""),
        group=args.get("group", ""),
        region=args.get("region", ""),
        active={"true": "1", "false": "0"}.get(args.get("active", ""), ""),
    )


@bp.get("/v1/contacts")
def list_contacts():
    """Contacts matching `q`, `kind`, `group`, `region`, `active=true|false`."""
    found = contacts.search(db_session(), _filter())
    return jsonify({"contacts": [contacts.as_dict(c) for c in found]})


@bp.get("/v1/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    """One contact."""
    return jsonify(contacts.as_dict(contacts.get(db_session(), contact_id)))


@bp.post("/v1/contacts")
def create_contact():
    """Add a contact (editors and admins)."""
    data = contacts.parse(json_body())
    contact = contacts.create(db_session(), current_user(), data)
    db_session().commit()
    response = jsonify(contacts.as_dict(contact))
    response.status_code = 201
    return response


@bp.put("/v1/contacts/<int:contact_id>")
def update_contact(contact_id: int):
    """Replace a contact's details (editors and admins)."""
    data = contacts.parse(json_body())
    contact = contacts.update(db_session(), current_user(), contact_id, data)
    db_session().commit()
    return jsonify(contacts.as_dict(contact))


@bp.delete("/v1/contacts/<int:contact_id>")
def delete_contact(contact_id: int):
    """Remove a contact (editors and admins); past results keep the address."""
    contacts.delete(db_session(), current_user(), contact_id)
    db_session().commit()
    return "", 204


@bp.get("/v1/deliveries/<int:delivery_id>/recipients")
def list_recipients(delivery_id: int):
    """Each recipient of an e-mail delivery and what their server replied."""
    session = db_session()
    if session.get(Delivery, delivery_id) is None:
        raise NotFound("delivery.not_found", id=delivery_id)
    return jsonify(
        {
            "delivery_id": delivery_id,
            "recipients": [
                {
                    "email": r.email,
                    "contact_id": r.contact_id,
                    "kind": r.kind,
                    "status": str(r.status),
                    "reply_code": r.reply_code,
                    "reply_text": r.reply_text,
                    "message_id": r.message_id,
                    "at": r.at.isoformat(),
                }
                for r in recipients.results(session, delivery_id)
            ],
        }
    )
