"""A local Bluesky PDS: sessions, blobs, handle resolution and post records.

XRPC shapes as the lexicons define them: `com.atproto.server.createSession`
({identifier, password} → {accessJwt, refreshJwt, handle, did}),
`com.atproto.repo.uploadBlob` (raw bytes → {blob}), `com.atproto.identity.
resolveHandle` (?handle= → {did}) and `com.atproto.repo.createRecord` ({repo,
collection, record} → {uri, cid}). Errors are `{"error": "<Name>", "message":
"…"}`. A record is checked as the PDS checks an app.bsky.feed.post: text and
createdAt present, at most 300 graphemes, facets inside the text, an image embed
pointing at an uploaded blob, a reply pointing at existing records.
"""

from __future__ import annotations

import hashlib
from itertools import count

import regex

from tests.fakes.api import FakeApi, Request, route
from tests.support import Reply

HANDLE = "diskominfos.baliprov.example"
PASSWORD = "abcd-efgh-ijkl-mnop"
DID = "did:plc:diskominfosbali0000000000"
KNOWN_HANDLES = {HANDLE: DID, "bali.go.id": "did:plc:baliprov00000000000000000"}


def fail(status: int, error: str, message: str) -> Reply:
    """An XRPC error answer."""
    return Reply(status, {"error": error, "message": message})


class FakeBluesky(FakeApi):
    """One account on one PDS; `records` and `blobs` hold what was made."""

    def __init__(self) -> None:
        super().__init__()
        self.rkeys = count(1)
        self.sessions: set[str] = set()
        self.blobs: dict[str, dict] = {}
        self.records: dict[str, dict] = {}  # uri → {"record", "cid"}

    def _refused(self, request: Request) -> Reply | None:
        if request.bearer not in self.sessions:
            return fail(401, "AuthenticationRequired", "Authentication Required")
        return None

    @route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(self, request: Request) -> Reply:
        body = request.json()
        if body.get("identifier") != HANDLE or body.get("password") != PASSWORD:
            return fail(401, "AuthenticationRequired", "Invalid identifier or password")
        token = f"jwt-{len(self.sessions) + 1}"
        self.sessions.add(token)
        return Reply(
            200,
            {
                "accessJwt": token,
                "refreshJwt": f"refresh-{token}",
                "handle": HANDLE,
                "did": DID,
                "active": True,
            },
        )

    @route("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob")
    def upload_blob(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        kind = request.headers.get("Content-Type", "")
        if not request.body or not kind.startswith("image/"):
            return fail(400, "InvalidRequest", "Request body is empty or not an image")
        link = "bafkrei" + hashlib.sha256(request.body).hexdigest()[:40]
        blob = {
            "$type": "blob",
            "ref": {"$link": link},
            "mimeType": kind,
            "size": len(request.body),
        }
        self.blobs[link] = {"blob": blob, "data": request.body}
        return Reply(200, {"blob": blob})

    @route("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle")
    def resolve_handle(self, request: Request) -> Reply:
        handle = (request.query.get("handle") or [""])[0]
        if handle not in KNOWN_HANDLES:
            return fail(400, "InvalidRequest", "Unable to resolve handle")
        return Reply(200, {"did": KNOWN_HANDLES[handle]})

    @route("POST", r"/xrpc/com\.atproto\.repo\.createRecord")
    def create_record(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        body = request.json()
        record = body.get("record") or {}
        if body.get("repo") != DID or body.get("collection") != "app.bsky.feed.post":
            return fail(400, "InvalidRequest", "Invalid repo or collection")
        problem = self._invalid(record)
        if problem:
            return fail(400, "InvalidRequest", problem)
        rkey = f"3l{next(self.rkeys):011d}"
        uri = f"at://{DID}/app.bsky.feed.post/{rkey}"
        cid = "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:40]
        self.records[uri] = {"record": record, "cid": cid}
        return Reply(200, {"uri": uri, "cid": cid, "validationStatus": "valid"})

    def _invalid(self, record: dict) -> str:
        """Why the PDS would refuse this post record ('' if it would not)."""
        text = record.get("text")
        if not isinstance(text, str) or "createdAt" not in record:
            return 'Input/record must have the properties "text" and "createdAt"'
        if len(regex.findall(r"\X", text)) > 300:
            return "Input/record/text must not be longer than 300 graphemes"
        size = len(text.encode())
        for facet in record.get("facets", []):
            index = facet["index"]
            if not 0 <= index["byteStart"] < index["byteEnd"] <= size:
                return "Input/record/facets has an index outside the text"
        embed = record.get("embed") or {}
        for image in embed.get("images", []):
            if image["image"]["ref"]["$link"] not in self.blobs:
                return "Could not find blob"
        reply = record.get("reply")
        if reply and any(
            reply[k]["uri"] not in self.records for k in ("root", "parent")
        ):
            return "Reply references a record that does not exist"
        return ""
