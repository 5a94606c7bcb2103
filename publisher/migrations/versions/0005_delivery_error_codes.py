"""delivery error codes: `deliveries.error` (a notice as JSON) replaces `last_error`

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 19:00:00

The dispatcher and the services stored English sentences in `last_error`; they now
store a notice (`{"code": …, "params": {…}}`) rendered in the reader's language.
Sentences written by earlier versions become their code where the text says
unambiguously which case it was; anything else (an adapter's own message, a cause
after "gave up after N attempts", which the attempt count now tells) is kept
verbatim as `legacy.text`.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Columns are added and dropped with plain ALTER TABLE, not batch mode: batch mode
# copies `deliveries` and drops the original, which SQLite refuses while audit
# events point at its rows (foreign keys are on). ALTER TABLE … DROP COLUMN needs
# SQLite 3.35 (2021) or later.

# Exactly the sentences earlier versions wrote (publisher/dispatcher.py and
# publisher/services/*.py up to revision 0004), each to its code.
FIXED = {
    "the release is no longer approved in this revision": "delivery.not_approved",
    "no approved rendition for this channel; the channel was enabled after "
    "approval": "delivery.no_rendition",
    "a new revision was written": "delivery.cancelled_by_edit",
    "the release was withdrawn": "delivery.cancelled_by_withdrawal",
}
GAVE_UP = re.compile(r"gave up after \d+ attempts: (?P<cause>.*)", re.S)
INTERNAL = re.compile(
    r"internal error in the (?P<adapter>\S+) adapter: (?P<error>.*)", re.S
)
DISABLED = re.compile(r"channel (?P<channel>\S+) is not enabled in config\.yaml")
RESENDING = re.compile(r"(?P<process>.+) stopped while sending; sending again")
CHECK = re.compile(
    r"(?P<process>.+) stopped while sending; check the channel before sending again"
)


def to_notice(text: str, channel: str) -> dict[str, Any]:
    """The notice an old `last_error` sentence stands for."""
    if text in FIXED:
        code = FIXED[text]
        params = {"channel": channel} if code == "delivery.no_rendition" else {}
        return {"code": code, "params": params}
    if match := GAVE_UP.fullmatch(text):
        # The attempt count is in `attempts`; the cause is the adapter's own text.
        return {"code": "legacy.text", "params": {"text": match["cause"]}}
    if match := INTERNAL.fullmatch(text):
        return {"code": "delivery.internal_error", "params": match.groupdict()}
    if match := DISABLED.fullmatch(text):
        return {"code": "delivery.channel_disabled", "params": match.groupdict()}
    if match := CHECK.fullmatch(text):
        return {"code": "delivery.sender_stopped_check", "params": match.groupdict()}
    if match := RESENDING.fullmatch(text):
        return {
            "code": "delivery.sender_stopped_resending",
            "params": match.groupdict(),
        }
    return {"code": "legacy.text", "params": {"text": text}}


def to_text(notice: dict[str, Any] | None) -> str | None:
    """Back to one line for `last_error` (downgrade): verbatim text, else the code."""
    if not notice:
        return None
    params = notice.get("params") or {}
    if notice.get("code") == "legacy.text":
        return str(params.get("text", ""))
    inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
    return f"{notice.get('code')}({inner})" if inner else str(notice.get("code"))


def _deliveries() -> sa.TableClause:
    return sa.table(
        "deliveries",
        sa.column("id", sa.Integer),
        sa.column("channel", sa.String),
        sa.column("last_error", sa.Text),
        sa.column("error", sa.JSON),
    )


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("error", sa.JSON(), nullable=True))
    table = _deliveries()
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(table.c.id, table.c.channel, table.c.last_error).where(
            table.c.last_error.is_not(None)
        )
    ).all()
    for delivery_id, channel, text in rows:
        bind.execute(
            table.update()
            .where(table.c.id == delivery_id)
            .values(error=to_notice(text, channel))
        )
    op.drop_column("deliveries", "last_error")


def downgrade() -> None:
    op.add_column("deliveries", sa.Column("last_error", sa.Text(), nullable=True))
    table = _deliveries()
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(table.c.id, table.c.error).where(table.c.error.is_not(None))
    ).all()
    for delivery_id, notice in rows:
        bind.execute(
            table.update()
            .where(table.c.id == delivery_id)
            .values(last_error=to_text(notice))
        )
    op.drop_column("deliveries", "error")
