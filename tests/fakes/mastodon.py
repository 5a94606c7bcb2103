"""A local Mastodon instance: media upload, statuses and the signed-in account.

`POST /api/v2/media` (multipart `file`, `description`) answers 200 with the media's
`url`, or 202 with `"url": null` while it is processed; `GET /api/v1/media/:id`
then answers 206 until it is ready, then 200. `POST /api/v1/statuses` (form fields
`status`, `media_ids[]`, `language`, `in_reply_to_id`) answers 200 with the status;
a request with an `Idempotency-Key` already used by this account answers with the
status made the first time, as Mastodon does. Errors are `{"error": "…"}`; a wrong
token is a 401 "The access token is invalid".
"""

from __future__ import annotations

from itertools import count

from tests.fakes.api import FakeApi, Request, route
from tests.fakes.multipart import form_fields
from tests.support import Reply

TOKEN = "mastodon-app-token-rahasia-0123456789"
INSTANCE = "https://mastodon.example"
ACCOUNT = {
    "id": "109",
    "username": "diskominfobali",
    "acct": "diskominfobali",
    "display_name": "Diskominfos Bali",
}


class FakeMastodon(FakeApi):
    """One account on one instance; `statuses` and `media` hold what was made."""

    def __init__(self, token: str = TOKEN, processing_polls: int = 0) -> None:
        super().__init__()
        self.token = token
        self.processing_polls = processing_polls  # 206 answers before media is ready
        self.ids = count(110_000_000_000_000_001)
        self.media: dict[str, dict] = {}
        self.statuses: dict[str, dict] = {}
        self.keys: dict[str, str] = {}  # Idempotency-Key → status id
        self.answer_late = 0.0  # seconds a made status's answer is held back

    def _refused(self, request: Request) -> Reply | None:
        if request.bearer != self.token:
            return Reply(401, {"error": "The access token is invalid"})
        return None

    def _media_json(self, media_id: str) -> dict:
        item = self.media[media_id]
        ready = item["polls_left"] <= 0
        return {
            "id": media_id,
            "type": "image",
            "url": f"{INSTANCE}/system/media/{media_id}.jpg" if ready else None,
            "preview_url": f"{INSTANCE}/system/media/{media_id}-small.jpg",
            "description": item["description"],
        }

    @route("POST", r"/api/v2/media")
    def upload(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        fields = form_fields(request)
        if "file" not in fields:
            return Reply(422, {"error": "Validation failed: File can't be blank"})
        media_id = str(next(self.ids))
        self.media[media_id] = {
            "data": fields["file"][0].data,
            "type": fields["file"][0].content_type,
            "description": fields["description"][0].text
            if "description" in fields
            else None,
            "polls_left": self.processing_polls,
        }
        status = 202 if self.processing_polls else 200
        return Reply(status, self._media_json(media_id))

    @route("GET", r"/api/v1/media/(\d+)")
    def media_status(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        media_id = request.match.group(1)
        if media_id not in self.media:
            return Reply(404, {"error": "Record not found"})
        self.media[media_id]["polls_left"] -= 1
        body = self._media_json(media_id)
        return Reply(200 if body["url"] else 206, body)

    @route("POST", r"/api/v1/statuses")
    def create(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        key = request.headers.get("Idempotency-Key")
        if key and key in self.keys:
            return Reply(200, self.statuses[self.keys[key]], delay=self.answer_late)
        form = request.form
        text = (form.get("status") or [""])[0]
        media_ids = form.get("media_ids[]", [])
        if not text.strip() and not media_ids:
            return Reply(422, {"error": "Validation failed: Text can't be blank"})
        unknown = [m for m in media_ids if m not in self.media]
        if unknown:
            return Reply(
                422, {"error": "Validation failed: Media attachments are invalid"}
            )
        if any(self.media[m]["polls_left"] > 0 for m in media_ids):
            return Reply(
                422,
                {
                    "error": "Cannot attach files that have not finished processing. "
                    "Try again in a moment!"
                },
            )
        reply_to = (form.get("in_reply_to_id") or [None])[0]
        if reply_to and reply_to not in self.statuses:
            return Reply(404, {"error": "Record not found"})
        status_id = str(next(self.ids))
        status = {
            "id": status_id,
            "uri": f"{INSTANCE}/users/diskominfobali/statuses/{status_id}",
            "url": f"{INSTANCE}/@diskominfobali/{status_id}",
            "content": f"<p>{text}</p>",
            "text": text,
            "language": (form.get("language") or [None])[0],
            "in_reply_to_id": reply_to,
            "media_attachments": [self._media_json(m) for m in media_ids],
            "account": ACCOUNT,
        }
        self.statuses[status_id] = status
        if key:
            self.keys[key] = status_id
        return Reply(200, status, delay=self.answer_late)

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def verify(self, request: Request) -> Reply:
        return self._refused(request) or Reply(200, ACCOUNT)

    def not_found(self, request: Request) -> Reply:
        return Reply(404, {"error": "Record not found"})
