"""A local X API v2: media upload and metadata, posts, and the signed-in user.

Speaks the documented shapes: `POST /2/media/upload` (multipart `media` and
`media_category`) answers `{"data": {"id", "media_key", "size", …}}`;
`POST /2/media/metadata` takes `{"id", "metadata": {"alt_text": {"text"}}}`;
`POST /2/tweets` takes `{"text", "media": {"media_ids"}, "reply":
{"in_reply_to_tweet_id"}}` and answers 201 `{"data": {"id", "text"}}`. Errors are
RFC 7807 problems (`title`, `detail`, `type`, `status`); a missing or wrong bearer
token is a 401.
"""

from __future__ import annotations

from itertools import count

from tests.fakes.api import FakeApi, Request, route
from tests.fakes.multipart import form_fields
from tests.support import Reply

TOKEN = "x-user-token-rahasia-0123456789"


def problem(status: int, title: str, detail: str) -> Reply:
    """An X API error answer (an RFC 7807 problem)."""
    return Reply(
        status,
        {
            "title": title,
            "detail": detail,
            "type": "https://api.twitter.com/2/problems/"
            + title.lower().replace(" ", "-"),
            "status": status,
        },
    )


class FakeX(FakeApi):
    """X as the adapter sees it; `posts` and `media` hold what was made."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.ids = count(1_600_000_000_000_000_001)
        self.media: dict[str, dict] = {}  # id → {"data", "type", "alt"}
        self.posts: dict[str, dict] = {}  # id → the request body
        self.down_after: int | None = None  # posts made before X answers 503

    def _refused(self, request: Request) -> Reply | None:
        """A 401 unless the user token is presented."""
        if request.bearer != self.token:
            return problem(401, "Unauthorized", "Unauthorized")
        return None

    @route("POST", r"/2/media/upload")
    def upload(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        fields = form_fields(request)
        if "media" not in fields or "media_category" not in fields:
            return problem(
                400, "Invalid Request", "media and media_category are required"
            )
        media = fields["media"][0]
        media_id = str(next(self.ids))
        self.media[media_id] = {
            "data": media.data,
            "type": media.content_type,
            "category": fields["media_category"][0].text,
            "alt": None,
        }
        return Reply(
            200,
            {
                "data": {
                    "id": media_id,
                    "media_key": f"3_{media_id}",
                    "size": len(media.data),
                    "expires_after_secs": 86400,
                }
            },
        )

    @route("POST", r"/2/media/metadata")
    def metadata(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        body = request.json()
        if body.get("id") not in self.media:
            return problem(400, "Invalid Request", "The media id is not known")
        alt = body["metadata"]["alt_text"]["text"]
        if len(alt) > 1000:
            return problem(400, "Invalid Request", "alt_text is over 1000 characters")
        self.media[body["id"]]["alt"] = alt
        return Reply(200, {"data": {"associated_metadata": body["metadata"]}})

    @route("POST", r"/2/tweets")
    def create(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        if self.down_after is not None and len(self.posts) >= self.down_after:
            return problem(503, "Service Unavailable", "Service Unavailable")
        body = request.json()
        if not body.get("text") and not body.get("media"):
            return problem(400, "Invalid Request", "text or media is required")
        for media_id in (body.get("media") or {}).get("media_ids", []):
            if media_id not in self.media:
                return problem(
                    400, "Invalid Request", f"media id {media_id} is invalid"
                )
        parent = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if parent and parent not in self.posts:
            return problem(403, "Forbidden", "You attempted to reply to a deleted post")
        post_id = str(next(self.ids))
        self.posts[post_id] = body
        return Reply(201, {"data": {"id": post_id, "text": body.get("text", "")}})

    @route("GET", r"/2/users/me")
    def me(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        return Reply(
            200,
            {
                "data": {
                    "id": "42",
                    "name": "Diskominfos Bali",
                    "username": "diskominfobali",
                }
            },
        )
