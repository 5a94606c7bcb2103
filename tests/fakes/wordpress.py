"""A WordPress site's REST API (wp-json/wp/v2), as WordPress 6 answers it.

Users sign in with HTTP Basic and an application password; what each may do follows
their role's capabilities (administrator, editor, author, subscriber). Categories and
tags are searched by name and created on POST (`term_exists` when the name is
taken); media is uploaded as raw bytes with a Content-Disposition file name and
described by a second POST; posts are created and updated, and a taken slug gets
"-2" appended, as WordPress does. Errors are WordPress's own shapes:
`{"code": "rest_cannot_create", "message": "…", "data": {"status": 401}}`.
"""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import UTC, datetime
from typing import Any

from tests.fakes.api import FakeApi, Request, route
from tests.support import Reply

API = r"/wp-json/wp/v2"
CAPABILITIES = {
    "administrator": {"publish_posts", "upload_files", "manage_categories"},
    "editor": {"publish_posts", "upload_files", "manage_categories"},
    "author": {"publish_posts", "upload_files"},
    "subscriber": set(),
}
# The fake's clock for `future` posts: dates after it are in the future.
FAKE_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def wp_error(status: int, code: str, message: str, **data: Any) -> Reply:
    """An error as WordPress answers it."""
    return Reply(
        status, {"code": code, "message": message, "data": {"status": status, **data}}
    )


class WordPressSite(FakeApi):
    """One site with its users, terms, media and posts."""

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, list[dict[str, Any]]] = {"categories": [], "tags": []}
        self.media: list[dict[str, Any]] = []
        self.posts: list[dict[str, Any]] = []
        self._next_id = 1
        self._stalls = 0
        self.add_term("categories", "Uncategorized")

    # --- setting the site up ---

    def add_user(self, username: str, password: str, role: str, name: str) -> None:
        """A user with an application password (spaces allowed, as WordPress shows)."""
        self.users[username] = {
            "id": self._new_id(),
            "password": password.replace(" ", ""),
            "role": role,
            "name": name,
        }

    def add_term(self, taxonomy: str, name: str) -> dict[str, Any]:
        """A category or tag that exists already."""
        term = {"id": self._new_id(), "name": html.escape(name), "slug": slugify(name)}
        self.terms[taxonomy].append(term)
        return term

    def term_names(self, taxonomy: str, ids: list[int]) -> list[str]:
        """The names of the terms `ids`, as a reader sees them."""
        by_id = {t["id"]: html.unescape(t["name"]) for t in self.terms[taxonomy]}
        return [by_id[i] for i in ids]

    def save_then_stall(self, seconds: float, times: int = 1) -> None:
        """The next `times` new posts are saved, but answered only after `seconds`
        (the answer a timed-out client never reads)."""
        self._stalls = times
        self._stall_seconds = seconds

    # --- signing in ---

    def user_of(self, request: Request) -> dict[str, Any] | None:
        """The user whose Basic credentials came with the request, if they match."""
        value = request.headers.get("Authorization", "")
        if not value.startswith("Basic "):
            return None
        name, _, password = base64.b64decode(value[6:]).decode().partition(":")
        user = self.users.get(name)
        if user and user["password"] == password.replace(" ", ""):
            return user
        return None

    def can(self, request: Request, capability: str) -> bool:
        """True if the request's user has `capability`."""
        user = self.user_of(request)
        return bool(user) and capability in CAPABILITIES[user["role"]]

    @route("GET", API + r"/users/me")
    def me(self, request: Request) -> Reply:
        user = self.user_of(request)
        if user is None:
            return wp_error(
                401, "rest_not_logged_in", "You are not currently logged in."
            )
        caps = CAPABILITIES[user["role"]] | {"read"}
        return Reply(
            200,
            {
                "id": user["id"],
                "name": user["name"],
                "slug": slugify(user["name"]),
                "roles": [user["role"]],
                "capabilities": {cap: True for cap in sorted(caps)},
            },
        )

    # --- categories and tags ---

    @route("GET", API + r"/(categories|tags)")
    def list_terms(self, request: Request) -> Reply:
        taxonomy = request.match.group(1)
        search = request.query.get("search", [""])[0].casefold()
        slug = request.query.get("slug", [""])[0]
        found = [
            t
            for t in self.terms[taxonomy]
            if search in html.unescape(t["name"]).casefold()
            and (not slug or t["slug"] == slug)
        ]
        return Reply(200, found)

    @route("POST", API + r"/(categories|tags)")
    def create_term(self, request: Request) -> Reply:
        taxonomy = request.match.group(1)
        if not self.can(request, "manage_categories"):
            return wp_error(
                401 if self.user_of(request) is None else 403,
                "rest_cannot_create",
                "Sorry, you are not allowed to create terms in this taxonomy.",
            )
        name = body_of(request).get("name", "")
        for term in self.terms[taxonomy]:
            if html.unescape(term["name"]).casefold() == name.casefold():
                reply = wp_error(
                    400,
                    "term_exists",
                    "A term with the name provided already exists with this parent.",
                    term_id=term["id"],
                )
                reply.body["additional_data"] = [term["id"]]
                return reply
        return Reply(201, self.add_term(taxonomy, name))

    # --- media ---

    @route("GET", API + r"/media")
    def list_media(self, request: Request) -> Reply:
        slug = request.query.get("slug", [""])[0]
        return Reply(
            200, [public(m) for m in self.media if not slug or m["slug"] == slug]
        )

    @route("POST", API + r"/media")
    def upload(self, request: Request) -> Reply:
        if not self.can(request, "upload_files"):
            return wp_error(
                401 if self.user_of(request) is None else 403,
                "rest_cannot_create",
                "Sorry, you are not allowed to upload media on this site.",
            )
        found = re.search(
            r'filename="?([^";]+)"?', request.headers.get("Content-Disposition", "")
        )
        if not found or not request.body:
            return wp_error(400, "rest_upload_no_data", "No data supplied.")
        filename = found.group(1)
        item = {
            "id": self._new_id(),
            "slug": self._unique_slug(slugify(filename.rsplit(".", 1)[0])),
            "mime_type": request.headers.get("Content-Type", ""),
            "source_url": f"{self.url}/wp-content/uploads/{filename}",
            "alt_text": "",
            "caption": {"raw": "", "rendered": ""},
            "bytes": request.body,
        }
        self.media.append(item)
        return Reply(201, public(item))

    @route("POST", API + r"/media/(\d+)")
    def describe(self, request: Request) -> Reply:
        item = self._find(self.media, int(request.match.group(1)))
        if item is None:
            return wp_error(404, "rest_post_invalid_id", "Invalid post ID.")
        if not self.can(request, "upload_files"):
            return wp_error(
                403, "rest_cannot_edit", "Sorry, you are not allowed to edit this post."
            )
        fields = body_of(request)
        item["alt_text"] = fields.get("alt_text", item["alt_text"])
        if "caption" in fields:
            item["caption"] = {
                "raw": fields["caption"],
                "rendered": f"<p>{html.escape(fields['caption'])}</p>\n",
            }
        return Reply(200, public(item))

    # --- posts ---

    @route("GET", API + r"/posts")
    def list_posts(self, request: Request) -> Reply:
        status = request.query.get("status", ["publish"])[0]
        if status != "publish" and not self.can(request, "publish_posts"):
            return wp_error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                params={"status": "Status is forbidden."},
            )
        slug = request.query.get("slug", [""])[0]
        found = [
            p
            for p in self.posts
            if (not slug or p["slug"] == slug)
            and (status == "any" or p["status"] == status)
        ]
        return Reply(200, found)

    @route("POST", API + r"/posts")
    def create_post(self, request: Request) -> Reply:
        if not self.can(request, "publish_posts"):
            return wp_error(
                401 if self.user_of(request) is None else 403,
                "rest_cannot_create",
                "Sorry, you are not allowed to create posts as this user.",
            )
        post = {"id": self._new_id(), "slug": "", "categories": [], "tags": []}
        problem = self._apply(post, body_of(request))
        if problem:
            return problem
        self.posts.append(post)
        if self._stalls:
            self._stalls -= 1
            return Reply(201, post, delay=self._stall_seconds)
        return Reply(201, post)

    @route("POST", API + r"/posts/(\d+)")
    def update_post(self, request: Request) -> Reply:
        post = self._find(self.posts, int(request.match.group(1)))
        if post is None:
            return wp_error(404, "rest_post_invalid_id", "Invalid post ID.")
        if not self.can(request, "publish_posts"):
            return wp_error(
                403, "rest_cannot_edit", "Sorry, you are not allowed to edit this post."
            )
        problem = self._apply(post, body_of(request))
        return problem or Reply(200, post)

    def _apply(self, post: dict[str, Any], fields: dict[str, Any]) -> Reply | None:
        """Write a request's fields into `post` as WordPress would."""
        for key in ("categories", "tags"):
            ids = fields.get(key, post[key])
            known = {t["id"] for t in self.terms[key]}
            if any(i not in known for i in ids):
                return wp_error(
                    400, "rest_invalid_param", f"Invalid parameter(s): {key}"
                )
        media = fields.get("featured_media", post.get("featured_media", 0))
        if media and self._find(self.media, media) is None:
            return wp_error(
                400, "rest_invalid_featured_media", "Invalid featured media ID."
            )
        post["categories"] = fields.get("categories", post["categories"])
        post["tags"] = fields.get("tags", post["tags"])
        post["featured_media"] = media
        for key in ("title", "content", "excerpt"):
            if key in fields:
                post[key] = {"raw": fields[key], "rendered": fields[key]}
        wanted = fields.get("slug") or post["slug"] or slugify(fields.get("title", ""))
        if wanted != post["slug"]:
            post["slug"] = self._unique_slug(wanted)
        post["date_gmt"] = fields.get("date_gmt", post.get("date_gmt"))
        status = fields.get("status", post.get("status", "draft"))
        if status == "future":
            when = post["date_gmt"]
            moment = datetime.fromisoformat(when).replace(tzinfo=UTC) if when else None
            status = "future" if moment and moment > FAKE_NOW else "publish"
        post["status"] = status
        post["link"] = f"{self.url}/{post['slug']}/"
        return None

    def _unique_slug(self, slug: str) -> str:
        """`slug`, or with -2, -3 … when a post or attachment has it already."""
        taken = {p["slug"] for p in self.posts} | {m["slug"] for m in self.media}
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _find(items: list[dict[str, Any]], item_id: int) -> dict[str, Any] | None:
        return next((i for i in items if i["id"] == item_id), None)

    def not_found(self, request: Request) -> Reply:
        return wp_error(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        )


def slugify(text: str) -> str:
    """Roughly WordPress's sanitize_title: lower case, dashes between words."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def body_of(request: Request) -> dict[str, Any]:
    """A JSON or form body's fields."""
    if "json" in request.headers.get("Content-Type", ""):
        return json.loads(request.body or b"{}")
    return {k: v[0] for k, v in request.form.items()}


def public(item: dict[str, Any]) -> dict[str, Any]:
    """A media item as the API shows it (without the stored bytes)."""
    return {k: v for k, v in item.items() if k != "bytes"}


def answers_before_post(release: Any) -> list[Reply]:
    """What a site answers before the post is sent, for a release whose terms exist
    and that has no picture: sign-in, each term's look-up, the slug look-up.

    The contract tests (tests/channel_adapters/test_contract.py) let a plain
    receiver give these first, then test the call that publishes.
    """
    terms = [release.category] if release.category else []
    terms += list(release.tags)
    return [
        Reply(200, {"id": 1, "name": "Humas", "capabilities": {"publish_posts": True}}),
        *(Reply(200, [{"id": n, "name": name}]) for n, name in enumerate(terms, 2)),
        Reply(200, []),
    ]
