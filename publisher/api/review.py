"""Review endpoints: a release's comment thread and the changes between revisions."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import get_locale
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import db_session, notices, state
from ..models import Comment
from ..models_review import COMMENT_MAX_LENGTH
from ..services import comments, diffs, drafting
from ..services.errors import InvalidInput
from . import bp, current_user, json_body


class CommentInput(BaseModel):
    """A new comment: its text (`@username` mentions a colleague) and, optionally,
    the number of the revision it is about."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=COMMENT_MAX_LENGTH)
    revision: int | None = Field(None, ge=1, le=2_000_000_000)


def comment_json(comment: Comment) -> dict[str, Any]:
    """A comment as the API shows it."""
    return {
        "kind": "comment",
        "id": comment.id,
        "release_id": comment.release_id,
        "revision": comment.revision,
        "author": comment.author.username,
        "author_name": comment.author.display_name,
        "text": comment.text,
        "mentions": [user.username for user in comment.mentioned_users],
        "created_at": comment.created_at.isoformat(),
    }


def entry_json(entry: comments.ThreadEntry) -> dict[str, Any]:
    """One item of the thread: a comment, or a review step (the rejection with
    its reason as `text`)."""
    if entry.comment is not None:
        return comment_json(entry.comment)
    return {
        "kind": entry.kind,
        "revision": entry.revision,
        "author": entry.username,
        "author_name": entry.author,
        "text": entry.text,
        "created_at": entry.at.isoformat(),
    }


@bp.get("/v1/releases/<int:release_id>/comments")
def list_comments(release_id: int):
    """The release's thread, oldest first: comments, submissions, rejections
    (with the reason) and approvals."""
    entries = comments.thread(db_session(), release_id)
    return jsonify(
        {"release_id": release_id, "thread": [entry_json(e) for e in entries]}
    )


@bp.post("/v1/releases/<int:release_id>/comments")
def add_comment(release_id: int):
    """Post a comment: `{"text": …, "revision": N}` (revision optional)."""
    try:
        data = CommentInput.model_validate(json_body())
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None
    comment = comments.add_comment(
        db_session(), current_user(), release_id, data.text, data.revision
    )
    db_session().commit()
    response = jsonify(comment_json(comment))
    response.status_code = 201
    response.headers["Location"] = (
        url_for("api.list_comments", release_id=release_id) + f"#comment-{comment.id}"
    )
    return response


@bp.get("/v1/releases/<int:release_id>/diff")
def get_diff(release_id: int):
    """What changed between revisions `?from=` and `?to=` (by default since the
    last approved revision): each text field and each channel's text as runs of
    `equal`, `insert` and `delete`."""
    release = drafting.get_release(db_session(), release_id)
    old, new = _revision_param("from"), _revision_param("to")
    compared = diffs.compare(
        state().config, release, old, new, language=str(get_locale() or "id")
    )
    tz = state().config.organization.timezone
    return jsonify(
        {
            "release_id": release.id,
            "from": compared.old,
            "to": compared.new,
            "fields": [_text_diff_json(d) for d in compared.fields],
            "channels": [
                {
                    "channel": d.name,
                    "label": d.label,
                    "adapter": d.adapter,
                    **_text_diff_json(d),
                    "error": notices.as_json(d.error, tz=tz) if d.error else None,
                }
                for d in compared.channels
            ],
        }
    )


def _text_diff_json(d: diffs.TextDiff) -> dict[str, Any]:
    return {
        "name": d.name,
        "changed": d.changed,
        "segments": [{"op": s.op, "text": s.text} for s in d.segments],
    }


def _revision_param(name: str) -> int | None:
    """`?from=` / `?to=` as a revision number; absent means the default."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(fields={name: "field.not_integer"})
    return int(raw)


def openapi_schemas() -> dict[str, Any]:
    """The request schemas of these endpoints, for the OpenAPI document."""
    return {"CommentInput": CommentInput.model_json_schema()}


_ID = [
    {
        "name": "release_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    }
]
_ERROR = {"$ref": "#/components/responses/Error"}


def _responses(ok: int, *errors: int) -> dict[str, Any]:
    return {str(ok): {"description": "OK"}, **{str(code): _ERROR for code in errors}}


OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/releases/{release_id}/comments": {
        "parameters": _ID,
        "get": {
            "summary": "The release's comments and review steps, oldest first",
            "responses": _responses(200, 401, 404),
        },
        "post": {
            "summary": "Post a comment (@username mentions a colleague)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/CommentInput"}
                    }
                },
            },
            "responses": _responses(201, 400, 401, 403, 404, 422),
        },
    },
    "/api/v1/releases/{release_id}/diff": {
        "parameters": [
            *_ID,
            {"name": "from", "in": "query", "schema": {"type": "integer"}},
            {"name": "to", "in": "query", "schema": {"type": "integer"}},
        ],
        "get": {
            "summary": "What changed between two revisions, word by word, in the "
            "text and in every channel's text",
            "responses": _responses(200, 401, 404, 422),
        },
    },
}
