"""A local Graph API: Facebook Pages, Instagram, Threads and the WhatsApp Cloud API.

It speaks the documented shapes: form or multipart bodies in, JSON out, errors as
`{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}` with the
HTTP status the real API uses (a bad token is 400 with code 190; a missing
required parameter is 400 with code 100). Nodes answer `GET /<version>/<id>` with
the fields asked for. Instagram and Threads containers are IN_PROGRESS for
`polls_in_progress` status reads, then FINISHED; publishing one that is not
finished is refused as the real API refuses it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from tests.fakes.api import FakeApi, Request, route
from tests.support import Reply

V = r"/v\d+\.\d+"
TOKEN = "EAAG-token-halaman-rahasia-2026"
PAGE_ID = "104000000000001"
IG_USER_ID = "17841400000000001"
THREADS_USER_ID = "26000000000001"
PHONE_NUMBER_ID = "109000000000001"


def graph_error(
    message: str, code: int, kind: str = "OAuthException", subcode: int | None = None
) -> dict[str, Any]:
    """The Graph API's error body."""
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf1"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@dataclass
class Part:
    """One field of a multipart body."""

    value: bytes
    filename: str | None = None
    content_type: str = "text/plain"

    @property
    def text(self) -> str:
        """The value as text."""
        return self.value.decode("utf-8")


def fields_of(request: Request) -> dict[str, Part]:
    """The fields of a form body, urlencoded or multipart (files included)."""
    kind = request.headers.get("Content-Type", "")
    if kind.startswith("multipart/form-data"):
        head = f"Content-Type: {kind}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        found = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            found[name] = Part(
                part.get_payload(decode=True) or b"",
                part.get_filename(),
                part.get_content_type(),
            )
        return found
    return {k: Part(v[0].encode()) for k, v in request.form.items()}


@dataclass
class Container:
    """An Instagram or Threads media container waiting to be published."""

    owner: str
    fields: dict[str, str]
    polls_left: int
    status: str = "IN_PROGRESS"
    error: str = ""


@dataclass
class Published:
    """Something now public: a Page post, an Instagram media, a Threads post."""

    id: str
    fields: dict[str, Any] = field(default_factory=dict)
    permalink: str = ""


class MetaGraph(FakeApi):
    """Graph API (graph.facebook.com) and Threads API (graph.threads.net) in one."""

    def __init__(self, token: str = TOKEN, polls_in_progress: int = 1) -> None:
        super().__init__()
        self.token = token
        self.polls_in_progress = polls_in_progress
        self.ids = itertools.count(900001)
        self.containers: dict[str, Container] = {}
        self.published: dict[str, Published] = {}
        self.uploads: dict[str, Part] = {}  # WhatsApp media by id
        self.messages: list[dict[str, Any]] = []  # WhatsApp messages sent
        self.look_up_fault: Reply | None = None  # answers the next read of a post

    # --- what tests read ---

    def posts(self) -> list[Published]:
        """Everything published so far, in order."""
        return list(self.published.values())

    # --- auth and errors ---

    def refused(self, request: Request) -> Reply | None:
        """The real API's answer to a missing or wrong token (None: accepted)."""
        token = request.bearer or (request.query.get("access_token") or [""])[0]
        if not token:
            return Reply(
                400,
                graph_error(
                    "An active access token must be used to query information "
                    "about the current user.",
                    2500,
                ),
            )
        if token != self.token:
            return Reply(
                400,
                graph_error(
                    "Invalid OAuth access token - Cannot parse access token", 190
                ),
            )
        return None

    def not_found(self, request: Request) -> Reply:
        """Unknown paths answer as the Graph API does."""
        return Reply(
            400,
            graph_error(f"Unknown path components: {request.path.split('?')[0]}", 2500),
        )

    def _missing(self, name: str) -> Reply:
        return Reply(400, graph_error(f"(#100) The parameter {name} is required", 100))

    def _next_id(self) -> str:
        return str(next(self.ids))

    # --- nodes ---

    @route("GET", V + r"/(\w+)")
    def node(self, request: Request) -> Reply:
        """A node's fields: accounts, containers' status, posts' permalinks."""
        if denied := self.refused(request):
            return denied
        node = request.match.group(1)
        wanted = set(",".join(request.query.get("fields", ["id"])).split(","))
        if node in self.published and self.look_up_fault is not None:
            fault, self.look_up_fault = self.look_up_fault, None
            return fault
        known = self._node_fields(node)
        if known is None:
            return Reply(
                400,
                graph_error(
                    f"Unsupported get request. Object with ID '{node}' does not "
                    "exist, cannot be loaded due to missing permissions, or does "
                    "not support this operation.",
                    100,
                    "GraphMethodException",
                    33,
                ),
            )
        return Reply(
            200, {"id": node, **{k: v for k, v in known.items() if k in wanted}}
        )

    def _node_fields(self, node: str) -> dict[str, Any] | None:
        accounts = {
            PAGE_ID: {"name": "Diskominfos Provinsi Bali"},
            IG_USER_ID: {"username": "diskominfosbali"},
            THREADS_USER_ID: {"username": "diskominfosbali"},
            PHONE_NUMBER_ID: {
                "display_phone_number": "+62 361 222 333",
                "verified_name": "Diskominfos Bali",
            },
        }
        if node in accounts:
            return accounts[node]
        if node in self.containers:
            container = self.containers[node]
            if container.status == "IN_PROGRESS":
                if container.polls_left <= 0:
                    container.status = "FINISHED"
                container.polls_left -= 1
            return {
                "status_code": container.status,
                "status": container.status if not container.error else container.error,
                "error_message": container.error,
            }
        if node in self.published:
            post = self.published[node]
            return {"permalink_url": post.permalink, "permalink": post.permalink}
        return None

    # --- Facebook Pages ---

    @route("POST", V + rf"/({PAGE_ID})/feed")
    def page_feed(self, request: Request) -> Reply:
        """A Page post with message and link."""
        if denied := self.refused(request):
            return denied
        fields = fields_of(request)
        if not fields.get("message") and not fields.get("link"):
            return Reply(400, graph_error("(#100) Missing message or attachment", 100))
        post_id = f"{PAGE_ID}_{self._next_id()}"
        self.published[post_id] = Published(
            post_id,
            {k: v.text for k, v in fields.items()},
            f"https://www.facebook.com/{PAGE_ID}/posts/{post_id.split('_')[1]}",
        )
        return Reply(200, {"id": post_id})

    @route("POST", V + rf"/({PAGE_ID})/photos")
    def page_photo(self, request: Request) -> Reply:
        """A photo post: the picture uploaded as `source` (or fetched from `url`)."""
        if denied := self.refused(request):
            return denied
        fields = fields_of(request)
        if "source" not in fields and "url" not in fields:
            return Reply(
                400, graph_error("(#324) Requires upload file", 324, subcode=2069019)
            )
        photo_id = self._next_id()
        post_id = f"{PAGE_ID}_{self._next_id()}"
        self.published[post_id] = Published(
            post_id,
            {
                **{k: v.text for k, v in fields.items() if k != "source"},
                "source": fields.get("source"),
            },
            f"https://www.facebook.com/photo.php?fbid={photo_id}",
        )
        return Reply(200, {"id": photo_id, "post_id": post_id})

    # --- Instagram ---

    @route("POST", V + rf"/({IG_USER_ID})/media")
    def ig_container(self, request: Request) -> Reply:
        """An image container: image_url required, caption and alt_text kept."""
        if denied := self.refused(request):
            return denied
        fields = {k: v.text for k, v in fields_of(request).items()}
        if not fields.get("image_url"):
            return Reply(
                400,
                graph_error(
                    "Only photo or video can be accepted as media type.",
                    9004,
                    subcode=2207052,
                ),
            )
        return self._container(IG_USER_ID, fields)

    @route("POST", V + rf"/({IG_USER_ID})/media_publish")
    def ig_publish(self, request: Request) -> Reply:
        """Publish a FINISHED container; its media id."""
        if denied := self.refused(request):
            return denied
        return self._publish(request, IG_USER_ID, "https://www.instagram.com/p/C{id}/")

    # --- Threads ---

    @route("POST", V + rf"/({THREADS_USER_ID})/threads")
    def threads_container(self, request: Request) -> Reply:
        """A TEXT (text required) or IMAGE (image_url required) container."""
        if denied := self.refused(request):
            return denied
        fields = {k: v.text for k, v in fields_of(request).items()}
        kind = fields.get("media_type")
        if kind not in ("TEXT", "IMAGE", "VIDEO"):
            return self._missing("media_type")
        if kind == "TEXT" and not fields.get("text"):
            return self._missing("text")
        if kind == "IMAGE" and not fields.get("image_url"):
            return self._missing("image_url")
        return self._container(THREADS_USER_ID, fields)

    @route("POST", V + rf"/({THREADS_USER_ID})/threads_publish")
    def threads_publish(self, request: Request) -> Reply:
        """Publish a FINISHED Threads container."""
        if denied := self.refused(request):
            return denied
        return self._publish(
            request,
            THREADS_USER_ID,
            "https://www.threads.net/@diskominfosbali/post/D{id}",
        )

    def _container(self, owner: str, fields: dict[str, str]) -> Reply:
        container_id = self._next_id()
        self.containers[container_id] = Container(owner, fields, self.polls_in_progress)
        return Reply(200, {"id": container_id})

    def _publish(self, request: Request, owner: str, link: str) -> Reply:
        fields = {k: v.text for k, v in fields_of(request).items()}
        container = self.containers.get(fields.get("creation_id", ""))
        if container is None or container.owner != owner:
            return self._missing("creation_id")
        if container.status != "FINISHED":
            return Reply(
                400,
                graph_error("Media ID is not available", 9007, subcode=2207027),
            )
        container.status = "PUBLISHED"
        media_id = self._next_id()
        self.published[media_id] = Published(
            media_id, dict(container.fields), link.format(id=media_id)
        )
        return Reply(200, {"id": media_id})

    # --- WhatsApp Cloud API ---

    @route("POST", V + rf"/({PHONE_NUMBER_ID})/media")
    def wa_upload(self, request: Request) -> Reply:
        """A media upload: multipart file, type and messaging_product."""
        if denied := self.refused(request):
            return denied
        fields = fields_of(request)
        for name in ("messaging_product", "file", "type"):
            if name not in fields:
                return self._missing(name)
        media_id = self._next_id()
        self.uploads[media_id] = fields["file"]
        return Reply(200, {"id": media_id})

    @route("POST", V + rf"/({PHONE_NUMBER_ID})/messages")
    def wa_message(self, request: Request) -> Reply:
        """A message to one number: text, image (uploaded media id) or template."""
        if denied := self.refused(request):
            return denied
        try:
            body = json.loads(request.body)
        except ValueError:
            return self._missing("messaging_product")
        if body.get("messaging_product") != "whatsapp":
            return self._missing("messaging_product")
        kind = body.get("type", "text")
        if not body.get("to") or kind not in body:
            return self._missing("to" if not body.get("to") else kind)
        if kind == "image" and body["image"].get("id") not in self.uploads:
            return Reply(
                400,
                graph_error("(#131053) Media upload error", 131053, subcode=None),
            )
        message_id = f"wamid.HBgM{self._next_id()}"
        self.messages.append({**body, "id": message_id})
        return Reply(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"].lstrip("+")}],
                "messages": [{"id": message_id}],
            },
        )
