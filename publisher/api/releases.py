"""Release, review and scheduling endpoints: parse, call a service, answer JSON."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import jsonify, request, url_for

from .. import db_session, notices, rendering, state
from ..models import Delivery, Release
from ..notices import as_json
from ..services import (
    deliveries,
    downloads,
    drafting,
    release_list,
    scheduling,
    workflow,
)
from ..services.errors import InvalidInput, NotFound
from ..web.hardening import LARGEST_ID
from ..web.live import downloads_response
from . import bp, current_user, json_body


def release_json(release: Release) -> dict[str, Any]:
    """A release as the API shows it: status plus the current revision's content."""
    revision = release.current
    return {
        "id": release.id,
        "public_id": release.public_id,
        "number": release.number,
        "status": release.status,
        "revision": revision.number,
        "approved_revision": release.approved_revision,
        "approved_at": _iso(release.approved_at),
        "rejection_reason": release.rejection_reason,
        "author": release.author.username,
        "created_at": _iso(release.created_at),
        "updated_at": _iso(release.updated_at),
        "content": {
            name: _iso(getattr(revision, name)) for name in drafting.CONTENT_FIELDS
        },
        "overrides": {o.channel: o.text for o in revision.overrides},
        "links": {
            "self": url_for("api.get_release", release_id=release.id),
            "renditions": url_for("api.get_renditions", release_id=release.id),
            "deliveries": url_for("api.list_deliveries", release_id=release.id),
        },
    }


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    """A delivery and its outcome."""
    channel = state().config.channels.get(delivery.channel)
    return {
        "id": delivery.id,
        "release_id": delivery.release_id,
        "revision": delivery.revision.number,
        "channel": delivery.channel,
        "channel_label": channel.label if channel else delivery.channel,
        "adapter": delivery.adapter,
        "status": delivery.status,
        # Unknown or missed: an editor resends, marks as sent or cancels it.
        "needs_decision": delivery.needs_decision,
        "planned_at": _iso(delivery.planned_at),
        "next_attempt_at": _iso(delivery.next_attempt_at),
        "attempts": delivery.attempts,
        "sent_at": _iso(delivery.sent_at),
        "remote_id": delivery.remote_id,
        "remote_url": delivery.remote_url,
        # The remote URL when it is an http(s) address to link to, else null.
        "remote_link": delivery.remote_link,
        # What went wrong (or why it was cancelled) as {code, params, message}.
        "error": _notice(delivery.error),
        # The frozen files (print PDF and DOCX, scripts, the e-mail as .eml).
        "files": [
            {
                "name": f.name,
                "media_type": f.media_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": url_for(
                    "api.get_delivery_file",
                    release_id=delivery.release_id,
                    delivery_id=delivery.id,
                    name=f.name,
                ),
            }
            for f in downloads.delivery_downloads(db_session(), delivery.id)
        ],
    }


def _notice(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored notice as the API shows it, with the sentence in the reader's
    language and times in the organization's zone."""
    if not stored:
        return None
    return as_json(stored, tz=state().config.organization.timezone)


@bp.post("/v1/releases")
def create_release():
    """Create a draft."""
    content = drafting.parse_content(json_body())
    release = drafting.create_release(db_session(), current_user(), content)
    db_session().commit()
    response = jsonify(release_json(release))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_release", release_id=release.id)
    return response


@bp.get("/v1/releases")
def list_releases():
    """One page of releases, most recently changed first: `?q=` searches number,
    title, lead, body and tags; `status`, `channel`, `category`, `author`, `from`,
    `to` filter; `sort` orders; `limit` sizes the page; `next` links the next."""
    tz = ZoneInfo(state().config.organization.timezone)
    query = release_list.parse_query(request.args, tz)
    page = release_list.find(db_session(), query, tz)
    next_url = None
    if page.next_cursor:
        kept = {k: v for k, v in request.args.items() if k != "cursor"}
        next_url = url_for("api.list_releases", **kept, cursor=page.next_cursor)
    return jsonify(
        {
            "releases": [
                {
                    **release_json(r),
                    "deliveries_summary": summary_json(page.summaries[r.id]),
                }
                for r in page.releases
            ],
            "next": next_url,
            "links": {"next": next_url},
        }
    )


def summary_json(summary: release_list.DeliverySummary) -> dict[str, Any]:
    """The current deliveries of a release counted by status, the next planned
    time, and whether any failed, is unknown or was missed."""
    return {
        "counts": dict(sorted(summary.counts.items())),
        "failed": summary.failed,
        "needs_decision": summary.undecided,
        "has_problem": summary.has_problem,
        "next_planned_at": _iso(summary.next_planned_at),
    }


@bp.get("/v1/releases/<int:release_id>")
def get_release(release_id: int):
    """One release."""
    return jsonify(release_json(drafting.get_release(db_session(), release_id)))


@bp.patch("/v1/releases/<int:release_id>")
def update_release(release_id: int):
    """Edit: only the fields sent change; after approval this makes a new revision."""
    patch = drafting.parse_content(json_body(), partial=True)
    release = drafting.update_release(db_session(), current_user(), release_id, patch)
    db_session().commit()
    return jsonify(release_json(release))


@bp.get("/v1/releases/<int:release_id>/renditions")
def get_renditions(release_id: int):
    """Every enabled channel's rendition of the current revision (a preview)."""
    release = drafting.get_release(db_session(), release_id)
    previews = rendering.preview(state().config, release, release.current)
    tz = state().config.organization.timezone
    return jsonify(
        {
            "release_id": release.id,
            "revision": release.current.number,
            "renditions": [
                {
                    "channel": p.channel,
                    "label": p.label,
                    "adapter": p.adapter,
                    "error": p.error,
                    "text": p.rendition.text if p.rendition else None,
                    "html": p.rendition.html if p.rendition else None,
                    "warnings": [
                        notices.as_json(w, tz=tz)
                        for w in (p.rendition.warnings if p.rendition else ())
                    ],
                    "overridden": p.overridden,
                    "overridable": p.overridable,
                    "length": p.rendition.length if p.rendition else None,
                    "limit": p.rendition.limit if p.rendition else None,
                }
                for p in previews
            ],
        }
    )


@bp.put("/v1/releases/<int:release_id>/overrides/<channel>")
def put_override(release_id: int, channel: str):
    """Replace a channel's generated text: `{"text": …}`, checked against its limit."""
    body = json_body()
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise InvalidInput(fields={"text": "field.required"})
    release = drafting.set_override(
        db_session(), state().config, current_user(), release_id, channel, text
    )
    db_session().commit()
    return jsonify(release_json(release))


@bp.delete("/v1/releases/<int:release_id>/overrides/<channel>")
def delete_override(release_id: int, channel: str):
    """Go back to the generated text for a channel."""
    release = drafting.set_override(
        db_session(), state().config, current_user(), release_id, channel, None
    )
    db_session().commit()
    return jsonify(release_json(release))


@bp.post("/v1/releases/<int:release_id>/submit")
def submit(release_id: int):
    """Send to review."""
    release = workflow.submit(db_session(), current_user(), release_id)
    db_session().commit()
    return jsonify(release_json(release))


@bp.post("/v1/releases/<int:release_id>/approve")
def approve(release_id: int):
    """Approve the current revision (`{"revision": N}` guards against a stale view)."""
    body = json_body() if request.get_data(cache=True) else {}
    revision = body.get("revision") if isinstance(body, dict) else None
    if revision is not None and (
        not isinstance(revision, int) or isinstance(revision, bool)
    ):
        raise InvalidInput(fields={"revision": "field.not_integer"})
    release = workflow.approve(
        db_session(), state().config, current_user(), release_id, revision
    )
    db_session().commit()
    return jsonify(release_json(release))


@bp.post("/v1/releases/<int:release_id>/reject")
def reject(release_id: int):
    """Reject with `{"reason": …}`."""
    body = json_body()
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str):
        raise InvalidInput(fields={"reason": "field.required"})
    release = workflow.reject(db_session(), current_user(), release_id, reason)
    db_session().commit()
    return jsonify(release_json(release))


@bp.post("/v1/releases/<int:release_id>/withdraw")
def withdraw(release_id: int):
    """Withdraw with `{"reason": …}`: feeds drop it, waiting deliveries stop."""
    body = json_body()
    reason = body.get("reason") if isinstance(body, dict) else None
    release = workflow.withdraw(
        db_session(),
        current_user(),
        release_id,
        reason if isinstance(reason, str) else "",
    )
    db_session().commit()
    return jsonify(release_json(release))


@bp.post("/v1/releases/<int:release_id>/schedule")
def schedule(release_id: int):
    """Plan deliveries: `{"deliveries": [{"channel": …, "planned_at": …}]}`, or
    `{"preset": name}` for a preset of config.yaml; `warnings` name other releases
    on the same channel within `schedule_gap`, `message` says what happened."""
    config = state().config
    plan = scheduling.parse_plan(json_body(), config)
    deliveries = scheduling.schedule(
        db_session(), config, current_user(), release_id, plan
    )
    warnings = scheduling.gap_warnings(
        db_session(),
        config,
        release_id,
        [(d.channel, d.planned_at) for d in deliveries],
    )
    outcome = scheduling.outcome(config, deliveries)
    db_session().commit()
    return jsonify(
        {
            "deliveries": [delivery_json(d) for d in deliveries],
            "message": _notice(outcome.as_dict()),
            "warnings": [_notice(w.as_dict()) for w in warnings],
        }
    )


@bp.get("/v1/deliveries")
def list_deliveries():
    """Deliveries, soonest first; `?release_id=` filters."""
    raw = request.args.get("release_id")
    release_id = None
    if raw is not None:
        if not raw.isdigit() or len(raw) > 10 or int(raw) > LARGEST_ID:
            raise InvalidInput(fields={"release_id": "field.not_integer"})
        release_id = int(raw)
    deliveries = scheduling.list_deliveries(db_session(), release_id)
    return jsonify({"deliveries": [delivery_json(d) for d in deliveries]})


@bp.post("/v1/deliveries/<int:delivery_id>/retry")
def retry_delivery(delivery_id: int):
    """Send a failed (or checked unknown) delivery again now."""
    delivery = scheduling.retry(db_session(), current_user(), delivery_id)
    db_session().commit()
    return jsonify(delivery_json(delivery))


@bp.get("/v1/deliveries/needs-decision")
def deliveries_needing_decision():
    """Deliveries whose outcome is unknown or that missed their time."""
    waiting = deliveries.waiting(db_session())
    return jsonify({"deliveries": [delivery_json(d) for d in waiting]})


@bp.post("/v1/deliveries/<int:delivery_id>/cancel")
def cancel_delivery(delivery_id: int):
    """Cancel a delivery that has not started (`{"reason": …}` optional), or one
    that is unknown or missed (`{"reason": …}` required)."""
    body = json_body() if request.get_data(cache=True) else {}
    reason = body.get("reason") if isinstance(body, dict) else None
    if reason is not None and not isinstance(reason, str):
        raise InvalidInput(fields={"reason": "field.not_text"})
    delivery = deliveries.cancel(db_session(), current_user(), delivery_id, reason)
    db_session().commit()
    return jsonify(delivery_json(delivery))


@bp.post("/v1/deliveries/<int:delivery_id>/resend")
def resend_delivery(delivery_id: int):
    """Send an unknown or missed delivery again: `{"reason": …}`, and for an
    unknown one `"confirm_duplicate": true`."""
    delivery = deliveries.resend(db_session(), current_user(), delivery_id, json_body())
    db_session().commit()
    return jsonify(delivery_json(delivery))


@bp.post("/v1/deliveries/<int:delivery_id>/mark-sent")
def mark_delivery_sent(delivery_id: int):
    """Record that an unknown or missed delivery arrived: `{"reason": …,
    "remote_url": "https://…", "remote_id": …}` (the last two optional)."""
    delivery = deliveries.mark_sent(
        db_session(), current_user(), delivery_id, json_body()
    )
    db_session().commit()
    return jsonify(delivery_json(delivery))


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@bp.get("/v1/releases/<int:release_id>/deliveries/<int:delivery_id>/files/<name>")
def get_delivery_file(release_id: int, delivery_id: int, name: str):
    """One frozen file of a delivery, the exact bytes sent; its SHA-256 is the
    ETag and the Repr-Digest header."""
    found = downloads.delivery_download(db_session(), delivery_id, name, release_id)
    if found is None:
        raise NotFound("delivery.file_not_found", name=name)
    return downloads_response(found)
