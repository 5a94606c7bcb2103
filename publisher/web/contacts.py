"""The media contact directory: list and filter, add, edit, deactivate, import a
CSV (checked whole before anything changes), export CSV and vCard; and the public
unsubscribe page a contact reaches from any e-mail."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import db_session, state
from ..models import ContactKind, Role
from ..services import contact_files, contacts
from ..services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from . import forms
from .auth import login_required

bp = Blueprint("contacts", __name__)

FIELDS = ("name", "outlet", "kind", "email", "phone", "region", "language", "groups")
LABELS = {
    "name": _l("Name"),
    "outlet": _l("Outlet"),
    "kind": _l("Kind of media"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "region": _l("Region"),
    "language": _l("Language"),
    "groups": _l("Groups"),
    "active": _l("Active"),
    "file": _l("CSV file"),
}
KIND_LABELS = {
    ContactKind.PRINT: _l("Print"),
    ContactKind.RADIO: _l("Radio"),
    ContactKind.TV: _l("Television"),
    ContactKind.ONLINE: _l("Online"),
    ContactKind.AGENCY: _l("News agency"),
}
# Largest CSV an import reads (5,000 contacts fit in well under a megabyte).
MAX_CSV_BYTES = 2_000_000


@bp.app_context_processor
def _contact_labels() -> dict[str, Any]:
    """Templates name kinds of media in the reader's language."""
    return {"contact_kinds": KIND_LABELS}


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """403/404 as a page; anything else as a message on the list."""
    db_session().rollback()
    if isinstance(exc, PermissionDenied | NotFound):
        return forms.refusal_page(exc)
    flash(forms.message(exc.notice), "error")
    return redirect(url_for(".index"), 303)


def _filter() -> contacts.ContactFilter:
    """The list's filter from the query string."""
    args = request.args
    return contacts.ContactFilter(
        q=args.get("q", ""),
        kind=args.get("kind", ""),
        group=args.get("group", ""),
        region=args.get("region", ""),
        active=args.get("active", ""),
    )


@bp.get("/contacts")
@login_required()
def index():
    """Every contact matching the filter; editors see the buttons to change them."""
    session = db_session()
    wanted = _filter()
    return render_template(
        "contacts/index.html",
        contacts=contacts.search(session, wanted),
        wanted=wanted,
        groups=contacts.group_names(session),
        regions=contacts.regions(session),
        manage=contacts.may_manage(g.user),
        query=request.query_string.decode(),
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
@login_required(Role.EDITOR)
def new():
    """The empty form; on POST, the contact is added."""
    values = {"kind": "print", "language": "id", "active": "1"}
    if request.method == "GET":
        return _form(None, values, {})
    values = _submitted()
    try:
        data = contacts.parse(values)
        contact = contacts.create(db_session(), g.user, data)
    except InvalidInput as exc:
        db_session().rollback()
        return _form(None, values, forms.field_errors(exc.fields), 422)
    db_session().commit()
    flash(_("Contact %(name)s added.", name=contact.name), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required(Role.EDITOR)
def edit(contact_id: int):
    """The contact's form; on POST, the change is saved."""
    session = db_session()
    contact = contacts.get(session, contact_id)
    if request.method == "GET":
        shown = contacts.as_dict(contact)
        values = {k: shown[k] for k in FIELDS}
        values["groups"] = "; ".join(shown["groups"])
        values["active"] = "1" if contact.active else ""
        return _form(contact, values, {})
    values = _submitted()
    try:
        data = contacts.parse(values)
        contacts.update(session, g.user, contact_id, data)
    except InvalidInput as exc:
        session.rollback()
        return _form(contact, values, forms.field_errors(exc.fields), 422)
    session.commit()
    flash(_("Contact %(name)s saved.", name=data.name), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/contacts/<int:contact_id>/active")
@login_required(Role.EDITOR)
def set_active(contact_id: int):
    """Deactivate (no more mail) or activate again."""
    active = request.form.get("active") == "1"
    contact = contacts.set_active(db_session(), g.user, contact_id, active)
    db_session().commit()
    if active:
        flash(_("%(name)s receives releases again.", name=contact.name), "success")
    else:
        flash(_("%(name)s no longer receives releases.", name=contact.name), "success")
    return redirect(url_for(".index"), 303)


def _submitted() -> dict[str, Any]:
    """The form's fields as the service reads them (an unticked box is absent)."""
    values: dict[str, Any] = {k: request.form.get(k, "") for k in FIELDS}
    values["active"] = "1" if request.form.get("active") else "0"
    return values


def _form(contact: Any, values: dict[str, Any], errors: dict[str, str], status=200):
    return (
        render_template(
            "contacts/form.html",
            contact=contact,
            values=values,
            errors=errors,
            labels=LABELS,
            kinds=list(ContactKind),
        ),
        status,
    )


# --- import and export ----------------------------------------------------------------


@bp.route("/contacts/import", methods=["GET", "POST"])
@login_required(Role.EDITOR)
def import_csv():
    """Upload a CSV: first a preview (every problem by line and field), then,
    only when nothing is wrong, the import of all its rows at once."""
    if request.method == "GET":
        return render_template("contacts/import.html", plan=None, labels=LABELS)
    raw = _uploaded_csv()
    if raw is None:
        flash(forms.message("contacts.csv_missing"), "error")
        return render_template("contacts/import.html", plan=None, labels=LABELS), 422
    session = db_session()
    plan = contact_files.read_csv(session, raw)
    if plan.ok and request.form.get("confirm") == "1":
        contact_files.apply_import(session, g.user, plan)
        session.commit()
        flash(
            _(
                "Imported: %(added)s contacts added, %(updated)s updated.",
                added=len(plan.new),
                updated=len(plan.changed),
            ),
            "success",
        )
        return redirect(url_for(".index"), 303)
    return render_template(
        "contacts/import.html",
        plan=plan,
        labels=LABELS,
        problems=[
            (p.line, LABELS.get(p.field, p.field), forms.message(p.notice))
            for p in plan.problems
        ],
        encoded=base64.b64encode(raw).decode("ascii"),
    ), (200 if plan.ok else 422)


def _uploaded_csv() -> bytes | None:
    """The chosen file, or the previewed one carried back by the confirm form."""
    file = request.files.get("file")
    if file is not None and file.filename:
        raw = file.stream.read(MAX_CSV_BYTES + 1)
        return raw if 0 < len(raw) <= MAX_CSV_BYTES else None
    carried = request.form.get("data", "")
    if carried:
        try:
            raw = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            return None
        return raw if 0 < len(raw) <= MAX_CSV_BYTES else None
    return None


@bp.get("/contacts/export.csv")
@login_required()
def export_csv():
    """The listed contacts as CSV (UTF-8 with BOM, so spreadsheets read it right)."""
    body = "\ufeff" + contact_files.export_csv(contacts.search(db_session(), _filter()))
    return _download(body, "text/csv; charset=utf-8", "kontak-media.csv")


@bp.get("/contacts/export.vcf")
@login_required()
def export_vcard():
    """The listed contacts as vCard 4.0, for phones and address books."""
    body = contact_files.export_vcard(contacts.search(db_session(), _filter()))
    return _download(body, "text/vcard; charset=utf-8", "kontak-media.vcf")


def _download(body: str, media_type: str, filename: str) -> Response:
    response = Response(body.encode("utf-8"), mimetype=media_type.split(";")[0])
    response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- unsubscribing (public) -----------------------------------------------------------


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST,
    from the page or a mail client's one-click, stops all mail to the contact."""
    session = db_session()
    config = state().config
    if request.method == "GET":
        contact = contacts.contact_for_token(session, config, token)
        return render_template("contacts/unsubscribe.html", contact=contact, done=False)
    contact = contacts.unsubscribe(session, config, token)
    session.commit()
    return render_template("contacts/unsubscribe.html", contact=contact, done=True)
