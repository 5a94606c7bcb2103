"""rendition warning codes: stored warnings become notices {code, params}

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:30:00

Frozen renditions kept their warnings as English sentences. Each becomes a notice
(`{"code": …, "params": {…}}`) so the edge shows it in the reader's language: a
sentence whose wording is unambiguous gets its real code back, any other is kept
verbatim as `legacy.text`. Downgrading writes plain strings again (legacy text as it
was, other notices as `code(params)`).
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Sentences the adapters wrote before codes, with the code each now has.
EXACT = {
    "The headline is empty.": "print.headline_empty",
    "The lead is empty; the dateline will stand on its own.": "print.lead_empty",
    "No contact person; journalists will not know whom to call.": "print.no_contact",
    "HTML tags in the body are not printed; use Markdown instead.": (
        "print.html_left_out"
    ),
    "Pictures inside the body text are not printed; add them as release images.": (
        "print.picture_left_out"
    ),
    "The lead is empty; the feed summary will be blank.": "rss.lead_empty",
    "The release has no public address, so the post has no link.": "social.no_link",
    "The subtitle was left out for room.": "social.subtitle_left_out",
    "The lead was cut mid-sentence to fit; check it reads well.": "social.lead_cut",
    "Even the headline was too long for the post and was cut.": ("social.headline_cut"),
    "The edited text has no link to the release's public page.": (
        "social.override_no_link"
    ),
}
PATTERNS = [
    (
        re.compile(
            r"A sentence of (?P<words>\d+) spoken words is too long to read in one "
            r"breath: “(?P<sentence>.*) …”"
        ),
        "radio.sentence_too_long",
    ),
    (
        re.compile(r"Hashtags left out for room: (?P<tags>.+)\."),
        "social.hashtags_left_out",
    ),
    (
        re.compile(r"Posted as a thread of (?P<posts>\d+) posts, numbered .*"),
        "social.thread",
    ),
    (
        re.compile(
            r"The script takes about (?P<seconds>\d+) s to read, longer than the "
            r"(?P<slot>\d+) s slot\."
        ),
        "radio.longer_than_slot",
    ),
]
NUMBERS = {"words", "posts", "seconds", "slot"}


def as_notice(value: object) -> object:
    """A stored warning as a notice; one already coded is left as it is."""
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        return value
    text = str(value)
    if text in EXACT:
        return {"code": EXACT[text], "params": {}}
    for pattern, code in PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            params = {
                k: int(v) if k in NUMBERS else v for k, v in match.groupdict().items()
            }
            return {"code": code, "params": params}
    return {"code": "legacy.text", "params": {"text": text}}


def as_text(value: object) -> str:
    """A notice as the plain string an older version shows."""
    if not isinstance(value, dict):
        return str(value)
    params = value.get("params") or {}
    if value.get("code") == "legacy.text":
        return str(params.get("text", ""))
    inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
    return f"{value.get('code')}({inner})" if inner else str(value.get("code"))


def _convert(change) -> None:
    """Rewrite every rendition's warnings with `change`."""
    bind = op.get_bind()
    renditions = sa.table(
        "renditions", sa.column("id", sa.Integer), sa.column("warnings", sa.JSON)
    )
    rows = bind.execute(sa.select(renditions.c.id, renditions.c.warnings)).all()
    for row_id, warnings in rows:
        if isinstance(warnings, str):  # a JSON column read back as text
            warnings = json.loads(warnings)
        converted = [change(w) for w in warnings or []]
        if converted != (warnings or []):
            bind.execute(
                renditions.update()
                .where(renditions.c.id == row_id)
                .values(warnings=converted)
            )


def upgrade() -> None:
    _convert(as_notice)


def downgrade() -> None:
    _convert(as_text)
