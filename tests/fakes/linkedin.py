"""A local LinkedIn versioned REST API: images, posts, organizations.

Requests must carry `Authorization: Bearer <token>`, `LinkedIn-Version: YYYYMM` and
`X-Restli-Protocol-Version: 2.0.0`. Errors are LinkedIn's
`{"status", "serviceErrorCode", "code", "message"}`. An image is registered with
`POST /rest/images?action=initializeUpload` (answer: `value.uploadUrl` and
`value.image`), its bytes PUT to the upload URL; a post (`POST /rest/posts`) answers
201 with an empty body and the post's URN in `x-restli-id`.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.api import FakeApi, Request, route
from tests.support import Reply

TOKEN = "AQV-token-linkedin-rahasia-2026"
ORGANIZATION = "urn:li:organization:2414183"
REQUIRED = ("author", "commentary", "visibility", "distribution", "lifecycleState")


def linkedin_error(status: int, code: str, message: str, service: int = 0) -> Reply:
    """LinkedIn's error body with its HTTP status."""
    body = {"status": status, "code": code, "message": message}
    if service:
        body["serviceErrorCode"] = service
    return Reply(status, body)


class LinkedInApi(FakeApi):
    """api.linkedin.com's Images, Posts and Organizations resources."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.ids = itertools.count(7100000000000000001)
        self.images: dict[str, bytes | None] = {}  # URN -> uploaded bytes
        self.upload_urls: dict[str, str] = {}  # upload key -> image URN
        self.posts: list[dict[str, Any]] = []

    def refused(self, request: Request) -> Reply | None:
        """LinkedIn's answer to a missing token or version header (None: fine)."""
        if request.bearer != self.token:
            return linkedin_error(
                401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600
            )
        if not request.headers.get("LinkedIn-Version"):
            return linkedin_error(
                400,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding "
                "the LinkedIn-Version header.",
            )
        if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return linkedin_error(
                400, "ILLEGAL_ARGUMENT", "Restli protocol version 2.0.0 is required"
            )
        return None

    def not_found(self, request: Request) -> Reply:
        return linkedin_error(404, "NOT_FOUND", f"No resource at {request.path}")

    @route("POST", r"/rest/images")
    def initialize_upload(self, request: Request) -> Reply:
        """Register an image owned by the organization; where to PUT its bytes."""
        if denied := self.refused(request):
            return denied
        if request.query.get("action") != ["initializeUpload"]:
            return linkedin_error(400, "ILLEGAL_ARGUMENT", "Unknown action")
        owner = (request.json().get("initializeUploadRequest") or {}).get("owner")
        if owner != ORGANIZATION:
            return linkedin_error(
                403,
                "ACCESS_DENIED",
                f"Not enough permissions to access: images.CREATE for {owner}",
                100,
            )
        number = next(self.ids)
        urn = f"urn:li:image:D4E10AQ{number}"
        key = f"u{number}"
        self.images[urn] = None
        self.upload_urls[key] = urn
        return Reply(
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": 1767225600000,
                    "uploadUrl": f"{self.url}/dms-uploads/{key}",
                    "image": urn,
                }
            },
        )

    @route("PUT", r"/dms-uploads/(\w+)")
    def upload(self, request: Request) -> Reply:
        """The image's bytes."""
        if request.bearer != self.token:
            return linkedin_error(401, "INVALID_ACCESS_TOKEN", "Invalid access token")
        urn = self.upload_urls.get(request.match.group(1))
        if urn is None:
            return linkedin_error(404, "NOT_FOUND", "Upload URL expired or unknown")
        self.images[urn] = request.body
        return Reply(201, b"")

    @route("POST", r"/rest/posts")
    def create_post(self, request: Request) -> Reply:
        """A post: required fields checked, an image must have been uploaded."""
        if denied := self.refused(request):
            return denied
        post = request.json()
        for name in REQUIRED:
            if name not in post:
                return linkedin_error(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    f"/{name} :: field is required but not found and has no "
                    "default value",
                )
        media = (post.get("content") or {}).get("media") or {}
        if media and not self.images.get(media.get("id", "")):
            return linkedin_error(
                400,
                "ILLEGAL_ARGUMENT",
                f"/content/media/id :: {media.get('id')} is not available",
            )
        urn = f"urn:li:share:{next(self.ids)}"
        self.posts.append({**post, "urn": urn})
        return Reply(201, b"", {"x-restli-id": urn})

    @route("GET", r"/rest/organizations/(\d+)")
    def organization(self, request: Request) -> Reply:
        """The organization's name."""
        if denied := self.refused(request):
            return denied
        number = request.match.group(1)
        if f"urn:li:organization:{number}" != ORGANIZATION:
            return linkedin_error(
                403, "ACCESS_DENIED", "Not enough permissions to access organization"
            )
        return Reply(
            200,
            {"id": int(number), "localizedName": "Diskominfos Provinsi Bali"},
        )
