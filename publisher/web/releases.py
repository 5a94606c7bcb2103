"""The newsroom UI: list, write, preview, review and schedule releases."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from channel_adapters.notice import Notice

from .. import audit, db_session, rendering, state, system
from ..models import Release, ReleaseStatus, Role
from ..notices import abort_with, labels
from ..notices import render as render_notice
from ..permissions import Action
from ..services import (
    deliveries,
    downloads,
    drafting,
    release_list,
    scheduling,
    workflow,
)
from ..services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from . import forms
from .auth import login_required
from .live import downloads_response

bp = Blueprint("releases", __name__)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """What every template may use to name statuses, roles, fields and actions."""
    return {
        "locale": str(get_locale() or "id"),
        "organization": state().config.organization,
        "release_statuses": labels.RELEASE_STATUS,
        "delivery_statuses": labels.DELIVERY_STATUS,
        "role_labels": labels.ROLES,
        "action_labels": labels.AUDIT_ACTIONS,
        "field_label": forms.label,
        "decisions_waiting": _decisions_waiting,
    }


def _decisions_waiting() -> int:
    """For the navigation: how many deliveries wait for an editor's decision."""
    return deliveries.count_waiting(db_session())


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """A rule said no: 403/404 as a page, anything else as a message on the release."""
    db_session().rollback()
    if isinstance(exc, PermissionDenied | NotFound):
        return forms.refusal_page(exc)
    flash(forms.error_text(exc), "error")
    release_id = (request.view_args or {}).get("release_id")
    target = (
        url_for(".detail", release_id=release_id) if release_id else url_for(".index")
    )
    return redirect(target, 303)


@bp.get("/")
@login_required()
def index():
    """One page of releases, most recently changed first: search, filters, sort,
    and a link to the next page. A wrong filter is named and left out."""
    tz = _zone()
    errors: dict[str, str] = {}
    try:
        query = release_list.parse_query(request.args, tz)
    except InvalidInput as exc:
        errors = forms.field_errors(exc.fields)
        kept = {k: v for k, v in request.args.items() if k not in exc.fields}
        query = release_list.parse_query(kept, tz)
    session = db_session()
    page = release_list.find(session, query, tz)
    args = {k: v for k, v in request.args.items() if k in release_list.FILTERS and v}
    return render_template(
        "releases/index.html",
        page=page,
        args=args,
        errors=errors,
        authors=release_list.authors(session),
        channels=state().config.channels,
        next_url=(
            url_for(".index", **args, cursor=page.next_cursor)
            if page.next_cursor
            else None
        ),
        first_url=url_for(".index", **args) if query.cursor else None,
    )


@bp.get("/review")
@login_required(Role.EDITOR)
def review():
    """The editors' queue: releases waiting for approval."""
    releases = drafting.list_releases(db_session(), ReleaseStatus.IN_REVIEW)
    return render_template("releases/review.html", releases=releases)


@bp.route("/releases/new", methods=["GET", "POST"])
@login_required(Action.WRITE)
def new():
    """Write a new release; it starts as a draft."""
    if request.method == "GET":
        return _form_page(None, forms.empty_values(state().config.organization))
    values, content, errors = _read_form()
    if content is None:
        return _form_page(None, values, errors), 422
    release = drafting.create_release(db_session(), g.user, content)
    db_session().commit()
    flash(_("The release was saved as a draft."), "success")
    return redirect(url_for(".detail", release_id=release.id), 303)


@bp.route("/releases/<int:release_id>/edit", methods=["GET", "POST"])
@login_required(Action.WRITE)
def edit(release_id: int):
    """Edit the current revision; after submission this writes a new revision."""
    session = db_session()
    release = drafting.get_release(session, release_id)
    if request.method == "GET":
        return _form_page(release, forms.release_values(release.current, _zone()))
    values, content, errors = _read_form()
    if content is None:
        return _form_page(release, values, errors), 422
    was_approved = release.is_approved
    release = drafting.update_release(session, g.user, release_id, content)
    session.commit()
    if not forms.warn_if_reopened(release, was_approved):
        flash(_("Changes saved."), "success")
    return redirect(url_for(".detail", release_id=release.id), 303)


@bp.get("/releases/<int:release_id>")
@login_required()
def detail(release_id: int):
    """Status, revisions, deliveries and the audit trail of one release."""
    session = db_session()
    release = drafting.get_release(session, release_id)
    events = audit.events_for(session, release_id)
    return render_template(
        "releases/detail.html",
        release=release,
        revision=release.current,
        deliveries=scheduling.list_deliveries(session, release_id),
        events=events,
        decided=_decisions(events),
        channels=state().config.channels,
    )


DECISION_ACTIONS = ("delivery.resent", "delivery.marked_sent", "delivery.cancelled")


def _decisions(events: list) -> dict[int, Any]:
    """delivery id → the latest editor's decision about it (with its reason)."""
    return {
        event.delivery_id: event
        for event in events
        if event.action in DECISION_ACTIONS and (event.detail or {}).get("reason")
    }


@bp.get("/decisions")
@login_required(Role.EDITOR)
def decisions():
    """Deliveries that wait for an editor: outcome unknown, or missed their time."""
    return render_template(
        "releases/decisions.html",
        deliveries=deliveries.waiting(db_session()),
        channels=state().config.channels,
    )


@bp.get("/releases/<int:release_id>/preview")
@login_required()
def preview(release_id: int):
    """Every enabled channel's rendition of the current revision, side by side."""
    return _preview_page(drafting.get_release(db_session(), release_id))


@bp.post("/releases/<int:release_id>/overrides/<channel>")
@login_required(Action.WRITE)
def override(release_id: int, channel: str):
    """Save (or with `reset`, drop) a hand-written text for one channel."""
    text = (
        None if request.form.get("action") == "reset" else request.form.get("text", "")
    )
    release = drafting.get_release(db_session(), release_id)
    was_approved = release.is_approved
    try:
        drafting.set_override(
            db_session(), state().config, g.user, release_id, channel, text
        )
    except InvalidInput as exc:
        db_session().rollback()
        errors = forms.field_errors(exc.fields)
        release = drafting.get_release(db_session(), release_id)
        page = _preview_page(
            release,
            failed={
                channel: (
                    text or "",
                    errors.get("text")
                    or errors.get("channel")
                    or forms.message(exc.notice),
                )
            },
        )
        return page, 422
    db_session().commit()
    flash(
        _("The text for %(channel)s was restored.", channel=channel)
        if text is None
        else _("The text for %(channel)s was saved.", channel=channel),
        "success",
    )
    forms.warn_if_reopened(release, was_approved)
    return redirect(url_for(".preview", release_id=release_id) + f"#ch-{channel}", 303)


def _preview_page(release: Release, failed: dict[str, tuple[str, str]] | None = None):
    """The preview page; `failed` keeps a refused override text and says why."""
    return render_template(
        "releases/preview.html",
        release=release,
        revision=release.current,
        previews=rendering.preview(state().config, release, release.current),
        failed=failed or {},
        unavailable=_unavailable(),
    )


def _unavailable() -> dict[str, str]:
    """channel → why this machine cannot make its files (Pango, fonts missing)."""
    channels = state().config.enabled_channels
    return {name: render_notice(n) for name, n in system.unavailable(channels).items()}


@bp.post("/releases/<int:release_id>/submit")
@login_required(Action.WRITE)
def submit(release_id: int):
    """Send the release to the editors' review queue."""
    workflow.submit(db_session(), g.user, release_id)
    db_session().commit()
    flash(_("The release was submitted for review."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.post("/releases/<int:release_id>/approve")
@login_required(Action.REVIEW)
def approve(release_id: int):
    """Approve the revision the editor looked at (its number comes with the form)."""
    revision = request.form.get("revision", "")
    if not revision.isdigit():
        abort_with(400, "release.revision_missing")
    workflow.approve(
        db_session(), state().config, g.user, release_id, revision=int(revision)
    )
    db_session().commit()
    flash(
        _(
            "Revision %(number)s was approved. Schedule its deliveries now.",
            number=int(revision),
        ),
        "success",
    )
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.post("/releases/<int:release_id>/reject")
@login_required(Action.REVIEW)
def reject(release_id: int):
    """Send the release back to its drafter with a reason."""
    workflow.reject(db_session(), g.user, release_id, request.form.get("reason", ""))
    db_session().commit()
    flash(_("The release was sent back to its drafter."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.post("/releases/<int:release_id>/withdraw")
@login_required(Action.REVIEW)
def withdraw(release_id: int):
    """Take an approved or published release back."""
    workflow.withdraw(db_session(), g.user, release_id, request.form.get("reason", ""))
    db_session().commit()
    flash(_("The release was withdrawn; nothing more will be sent."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.route("/releases/<int:release_id>/schedule", methods=["GET", "POST"])
@login_required(Action.REVIEW)
def schedule(release_id: int):
    """Choose channels and local times for the approved revision."""
    session = db_session()
    config = state().config
    tz = _zone()
    release = drafting.get_release(session, release_id)
    rows = forms.schedule_rows(
        config.enabled_channels,
        scheduling.list_deliveries(session, release_id),
        release.approved_revision or 0,
        tz,
        request.form if request.method == "POST" else None,
    )
    error = None
    filled = None
    warnings: list[str] = []
    preset_name = request.form.get("preset") if request.method == "POST" else None
    if preset_name is not None:
        times = dict(scheduling.preset_times(config, preset_name, scheduling.utcnow()))
        label = config.preset(preset_name).label
        filled = (
            forms.message(Notice("schedule.preset_filled", {"preset": label})),
            forms.fill_preset(rows, times, tz),
        )
        warnings = _gap_warnings(release_id, rows, tz)
    elif request.method == "POST":
        data, listed = forms.schedule_input(
            rows, tz, now=request.form.get("when") == "now"
        )
        if not any(row.error for row in rows):
            try:
                scheduled = scheduling.schedule(
                    session, config, g.user, release_id, scheduling.parse_plan(data)
                )
            except InvalidInput as exc:
                session.rollback()
                error = forms.mark_schedule_errors(exc.fields, listed)
            else:
                planned = [(d.channel, d.planned_at) for d in scheduled]
                outcome = scheduling.outcome(config, scheduled)
                gaps = scheduling.gap_warnings(session, config, release_id, planned)
                session.commit()
                flash(forms.message(outcome), "success")
                for warning in gaps:
                    flash(forms.message(warning), "warning")
                return redirect(url_for(".detail", release_id=release_id), 303)
    page = render_template(
        "releases/schedule.html",
        release=release,
        rows=rows,
        error=error,
        unavailable=_unavailable(),
        presets=config.schedule_presets,
        filled=filled,
        warnings=warnings,
    )
    failed = request.method == "POST" and filled is None
    return (page, 422) if failed else page


def _gap_warnings(release_id: int, rows: list, tz) -> list[str]:
    """The gap warnings for the ticked rows of a filled form, as sentences."""
    planned = []
    for row in rows:
        try:
            when = forms.parse_local(row.planned_at, tz) if row.checked else None
        except ValueError:
            when = None
        if when is not None:
            planned.append((row.channel, when))
    found = scheduling.gap_warnings(db_session(), state().config, release_id, planned)
    return [forms.message(w) for w in found]


@bp.post("/releases/<int:release_id>/deliveries/<int:delivery_id>/retry")
@login_required()  # the service refuses other roles, saying why
def retry_delivery(release_id: int, delivery_id: int):
    """Send a failed delivery again now."""
    scheduling.retry(db_session(), g.user, delivery_id, release_id)
    db_session().commit()
    flash(_("The delivery will be tried again now."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.get("/releases/<int:release_id>/deliveries/<int:delivery_id>/files/<name>")
@login_required()
def delivery_file(release_id: int, delivery_id: int, name: str):
    """Download a file a delivery sends (the print PDF and DOCX, a script), the
    exact approved bytes."""
    found = downloads.delivery_download(db_session(), delivery_id, name, release_id)
    if found is None:
        abort_with(404, "http.not_found")
    return downloads_response(found)


@bp.post("/releases/<int:release_id>/deliveries/<int:delivery_id>/cancel")
@login_required()  # the service refuses other roles, saying why
def cancel_delivery(release_id: int, delivery_id: int):
    """Cancel a delivery that has not started, or (with a reason) one whose
    outcome is unknown or that missed its time."""
    deliveries.cancel(
        db_session(), g.user, delivery_id, request.form.get("reason"), release_id
    )
    db_session().commit()
    flash(_("The delivery was cancelled."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.post("/releases/<int:release_id>/deliveries/<int:delivery_id>/resend")
@login_required()  # the service refuses other roles, saying why
def resend_delivery(release_id: int, delivery_id: int):
    """An editor's decision: send an unknown or missed delivery again now."""
    decision = {
        "reason": request.form.get("reason", ""),
        "confirm_duplicate": request.form.get("confirm_duplicate") == "yes",
    }
    deliveries.resend(db_session(), g.user, delivery_id, decision, release_id)
    db_session().commit()
    flash(_("The delivery will be sent again now."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


@bp.post("/releases/<int:release_id>/deliveries/<int:delivery_id>/mark-sent")
@login_required()  # the service refuses other roles, saying why
def mark_delivery_sent(release_id: int, delivery_id: int):
    """An editor's decision: the unknown or missed delivery did arrive."""
    decision = {
        "reason": request.form.get("reason", ""),
        "remote_url": request.form.get("remote_url", ""),
        "remote_id": request.form.get("remote_id", ""),
    }
    deliveries.mark_sent(db_session(), g.user, delivery_id, decision, release_id)
    db_session().commit()
    flash(_("The delivery was marked as sent."), "success")
    return redirect(url_for(".detail", release_id=release_id), 303)


def _zone():
    return forms.zone(state().config.organization.timezone)


def _read_form() -> tuple[
    dict[str, str], drafting.ReleaseContent | None, dict[str, str]
]:
    """(what was typed, the validated content or None, field errors)."""
    values, data, errors = forms.release_input(request.form, _zone())
    try:
        content = drafting.parse_content(data)
    except InvalidInput as exc:
        return values, None, {**forms.field_errors(exc.fields), **errors}
    return values, (None if errors else content), errors


def _form_page(
    release: Release | None,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
) -> str:
    return render_template(
        "releases/form.html", release=release, values=values, errors=errors or {}
    )
