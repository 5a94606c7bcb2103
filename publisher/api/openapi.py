"""The OpenAPI 3.1 document, with request schemas taken from the pydantic models."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import jsonify

from ..models import ReleaseStatus
from ..services.contacts import ContactInput
from ..services.deliveries import Resend, SentByHand
from ..services.drafting import ReleaseContent, ReleasePatch
from ..services.media import MediaDetails
from ..services.scheduling import SchedulePlan
from . import bp
from .review import OPENAPI_PATHS as REVIEW_PATHS
from .review import openapi_schemas as review_schemas

_ERROR = {"$ref": "#/components/responses/Error"}


def _op(
    summary: str,
    *,
    body: str | None = None,
    ok: int = 200,
    errors: tuple[int, ...] = (401, 404),
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {
            str(ok): {"description": "OK"},
            **{str(code): _ERROR for code in errors},
        },
    }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}
            },
        }
    return operation


_RELEASE_ID = [
    {
        "name": "release_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    }
]
_ASSET_ID = {
    "name": "asset_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
_DELIVERY_ID = [
    {
        "name": "delivery_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    }
]

_RELEASE_LIST = [
    {"name": name, "in": "query", "description": text, "schema": schema}
    for name, text, schema in (
        ("q", "Words of the number, title, lead, body or tags", {"type": "string"}),
        (
            "status",
            "Release status",
            {"type": "string", "enum": [s.value for s in ReleaseStatus]},
        ),
        ("channel", "Has a delivery on this channel", {"type": "string"}),
        ("category", "Category of the current revision", {"type": "string"}),
        ("author", "Author's username", {"type": "string"}),
        (
            "from",
            "On or after this date (office zone)",
            {"type": "string", "format": "date"},
        ),
        (
            "to",
            "On or before this date (office zone)",
            {"type": "string", "format": "date"},
        ),
        (
            "sort",
            "Order; `from`/`to` apply to the same time",
            {"type": "string", "enum": ["-updated", "updated", "-created", "created"]},
        ),
        ("limit", "Page size", {"type": "integer", "minimum": 1, "maximum": 200}),
        ("cursor", "From a `next` link", {"type": "string"}),
    )
]


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The whole OpenAPI document (built once per process)."""
    from .admin import PATHS as ADMIN_PATHS

    schemas: dict[str, Any] = {}
    for model in (
        ReleaseContent,
        ReleasePatch,
        SchedulePlan,
        MediaDetails,
        Resend,
        SentByHand,
        ContactInput,
    ):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas["Reason"] = {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1}},
    }
    schemas["MediaUpload"] = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            **schemas["MediaDetails"]["properties"],
        },
    }
    schemas["MediaOrder"] = {
        "type": "object",
        "required": ["order"],
        "properties": {"order": {"type": "array", "items": {"type": "integer"}}},
    }
    schemas["Override"] = {
        "type": "object",
        "required": ["text"],
        "properties": {"text": {"type": "string"}},
    }
    schemas["Approval"] = {
        "type": "object",
        "properties": {"revision": {"type": "integer"}},
    }
    schemas["NotificationPreferences"] = {
        "type": "object",
        "properties": {
            "email": {"type": "string"},
            "language": {"type": "string", "enum": ["", "id", "en"]},
            "email_kinds": {"type": "array", "items": {"type": "string"}},
            "app_kinds": {"type": "array", "items": {"type": "string"}},
            "daily_digest": {"type": "boolean"},
        },
        "additionalProperties": False,
    }
    schemas["Error"] = {
        "type": "object",
        "required": ["error", "detail"],
        "properties": {
            "error": {"type": "string"},
            "detail": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    schemas.update(review_schemas())
    review = (401, 403, 404, 409, 422)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Press-release publisher API", "version": "1"},
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "`publisher token create NAME --scope read|draft|publish "
                        "[--expires 30d]`. A call outside the token's scope is 403 "
                        "`auth.token_scope`; an expired token is 401 "
                        "`auth.token_expired`."
                    ),
                }
            },
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}
                        }
                    },
                }
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/releases": {
                "get": _op(
                    "List releases: search, filters and keyset pages",
                    errors=(401, 422),
                )
                | {"parameters": _RELEASE_LIST},
                "post": _op(
                    "Create a draft release",
                    body="ReleaseContent",
                    ok=201,
                    errors=(400, 401, 403, 422),
                ),
            },
            "/api/v1/dashboard": {
                "get": _op("The signed-in user's desk", errors=(401,)),
            },
            "/api/v1/releases/{release_id}": {
                "parameters": _RELEASE_ID,
                "get": _op("Get a release"),
                "patch": _op(
                    "Edit a release (new revision after approval)",
                    body="ReleasePatch",
                    errors=(400, 401, 403, 404, 409, 422),
                ),
            },
            "/api/v1/releases/{release_id}/renditions": {
                "parameters": _RELEASE_ID,
                "get": _op("Preview every channel's rendition"),
            },
            "/api/v1/releases/{release_id}/overrides/{channel}": {
                "parameters": [
                    *_RELEASE_ID,
                    {
                        "name": "channel",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "put": _op(
                    "Replace a channel's text by hand",
                    body="Override",
                    errors=(400, 401, 403, 404, 409, 422),
                ),
                "delete": _op(
                    "Use the generated text again", errors=(401, 403, 404, 409, 422)
                ),
            },
            "/api/v1/releases/{release_id}/media": {
                "parameters": _RELEASE_ID,
                "get": _op("List the release's pictures and documents"),
                "post": _op(
                    "Upload one picture or document (multipart/form-data)",
                    ok=201,
                    errors=(401, 403, 404, 409, 413, 422),
                )
                | {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {"$ref": "#/components/schemas/MediaUpload"}
                            }
                        },
                    }
                },
            },
            "/api/v1/releases/{release_id}/media/order": {
                "parameters": _RELEASE_ID,
                "put": _op(
                    "Reorder the media; the first image is the lead",
                    body="MediaOrder",
                    errors=(401, 403, 404, 409, 422),
                ),
            },
            "/api/v1/releases/{release_id}/media/{asset_id}": {
                "parameters": [*_RELEASE_ID, _ASSET_ID],
                "patch": _op(
                    "Change alt text, caption, credit or focal point",
                    body="MediaDetails",
                    errors=(401, 403, 404, 409, 422),
                ),
                "delete": _op(
                    "Remove a picture or document", ok=204, errors=(401, 403, 404, 409)
                ),
            },
            "/api/v1/releases/{release_id}/media/{asset_id}/{purpose}": {
                "parameters": [
                    *_RELEASE_ID,
                    _ASSET_ID,
                    {
                        "name": "purpose",
                        "in": "path",
                        "required": True,
                        "schema": {
                            "enum": [
                                "original",
                                "web",
                                "thumbnail",
                                "og",
                                "x",
                                "bluesky",
                                "instagram",
                                "file",
                            ]
                        },
                    },
                ],
                "get": _op("Download one stored file"),
            },
            "/api/v1/releases/{release_id}/submit": {
                "parameters": _RELEASE_ID,
                "post": _op("Submit for review", errors=review),
            },
            "/api/v1/releases/{release_id}/approve": {
                "parameters": _RELEASE_ID,
                "post": _op("Approve the current revision", errors=review),
            },
            "/api/v1/releases/{release_id}/reject": {
                "parameters": _RELEASE_ID,
                "post": _op("Reject with a reason", body="Reason", errors=review),
            },
            "/api/v1/releases/{release_id}/withdraw": {
                "parameters": _RELEASE_ID,
                "post": _op(
                    "Withdraw an approved release", body="Reason", errors=review
                ),
            },
            "/api/v1/releases/{release_id}/schedule": {
                "parameters": _RELEASE_ID,
                "post": _op(
                    'Plan each channel\'s delivery, or {"preset": name} for a '
                    "schedule preset of config.yaml; answers with message and warnings",
                    body="SchedulePlan",
                    errors=review,
                ),
            },
            "/api/v1/releases/{release_id}/deliveries/{delivery_id}/files/{name}": {
                "parameters": [
                    *_RELEASE_ID,
                    *_DELIVERY_ID,
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "get": _op(
                    "Download a frozen file (PDF, DOCX, script, .eml); its SHA-256 "
                    "is the ETag and the Repr-Digest header"
                ),
            },
            "/api/v1/deliveries": {
                "get": _op("List deliveries", errors=(401, 422))
                | {
                    "parameters": [
                        {
                            "name": "release_id",
                            "in": "query",
                            "schema": {"type": "integer"},
                        }
                    ]
                },
            },
            "/api/v1/deliveries/{delivery_id}/recipients": {
                "parameters": _DELIVERY_ID,
                "get": _op("Each e-mail recipient's outcome and server reply"),
            },
            "/api/v1/contacts": {
                "get": _op("List media contacts (q, kind, group, region, active)")
                | {
                    "parameters": [
                        {"name": name, "in": "query", "schema": {"type": "string"}}
                        for name in ("q", "kind", "group", "region", "active")
                    ]
                },
                "post": _op(
                    "Add a media contact",
                    body="ContactInput",
                    ok=201,
                    errors=(400, 401, 403, 422),
                ),
            },
            "/api/v1/contacts/{contact_id}": {
                "parameters": [
                    {
                        "name": "contact_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "get": _op("One media contact"),
                "put": _op(
                    "Replace a media contact's details",
                    body="ContactInput",
                    errors=(400, 401, 403, 404, 422),
                ),
                "delete": _op("Remove a media contact", ok=204, errors=(401, 403, 404)),
            },
            "/api/v1/deliveries/{delivery_id}/retry": {
                "parameters": _DELIVERY_ID,
                "post": _op("Retry a failed delivery", errors=review),
            },
            "/api/v1/deliveries/needs-decision": {
                "get": _op(
                    "Deliveries whose outcome is unknown or that missed their time",
                    errors=(401,),
                ),
            },
            "/api/v1/deliveries/{delivery_id}/cancel": {
                "parameters": _DELIVERY_ID,
                "post": _op(
                    "Cancel a waiting delivery, or (with a reason) an unknown or "
                    "missed one",
                    errors=review,
                )
                | {
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Reason"}
                            }
                        },
                    }
                },
            },
            "/api/v1/deliveries/{delivery_id}/resend": {
                "parameters": _DELIVERY_ID,
                "post": _op(
                    "Send an unknown or missed delivery again (an unknown one needs "
                    "confirm_duplicate: true)",
                    body="Resend",
                    errors=review,
                ),
            },
            "/api/v1/deliveries/{delivery_id}/mark-sent": {
                "parameters": _DELIVERY_ID,
                "post": _op(
                    "Record that an unknown or missed delivery did arrive",
                    body="SentByHand",
                    errors=review,
                ),
            },
            "/api/v1/channels": {
                "get": _op(
                    "List configured channels (administrators)", errors=(401, 403)
                ),
            },
            "/api/v1/channels/{name}/check": {
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "post": _op(
                    "Test a channel's connection (administrators; once per 10 s)",
                    errors=(401, 403, 404, 429),
                ),
            },
            **REVIEW_PATHS,
            "/api/v1/notifications": {
                "get": _op(
                    "The caller's notifications, newest first (unread=true, before)",
                    errors=(400, 401),
                )
                | {
                    "parameters": [
                        {"name": name, "in": "query", "schema": {"type": "string"}}
                        for name in ("unread", "before")
                    ]
                },
            },
            "/api/v1/notifications/{notification_id}/read": {
                "parameters": [
                    {
                        "name": "notification_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "post": _op("Mark one of the caller's notifications read"),
            },
            "/api/v1/notifications/read": {
                "post": _op(
                    "Mark every notification of the caller read", errors=(401,)
                ),
            },
            "/api/v1/notifications/preferences": {
                "get": _op("The caller's notification preferences", errors=(401,)),
                "put": _op(
                    "Replace the caller's notification preferences",
                    body="NotificationPreferences",
                    errors=(400, 401, 422),
                ),
            },
            **ADMIN_PATHS,
        },
    }


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document (no token needed)."""
    return jsonify(document())
