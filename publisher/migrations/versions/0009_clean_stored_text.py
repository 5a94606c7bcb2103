"""clean stored text: characters no XML document or database can carry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 20:20:00

Text is cleaned where it enters since this version; this removes the same
characters (NUL and other C0/C1 controls, U+FFFE/U+FFFF, lone surrogates; U+000B and
U+000C become line breaks) from what was stored before, so an old release can never
break a feed. Nothing else changes; there is nothing to undo.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from channel_adapters.text.clean import clean

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TEXT_COLUMNS = {
    "revisions": (
        "title",
        "lead",
        "body",
        "dateline_city",
        "category",
        "contact_name",
        "contact_phone",
        "contact_email",
    ),
    "revision_media": ("alt", "caption", "credit"),
    "channel_overrides": ("text",),
    "releases": ("rejection_reason",),
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, columns in TEXT_COLUMNS.items():
        names = ", ".join(columns)
        for row in bind.execute(sa.text(f"SELECT id, {names} FROM {table}")):
            changed = {
                column: clean(value)
                for column, value in zip(columns, row[1:], strict=True)
                if isinstance(value, str) and clean(value) != value
            }
            if changed:
                sets = ", ".join(f"{c} = :{c}" for c in changed)
                bind.execute(
                    sa.text(f"UPDATE {table} SET {sets} WHERE id = :id"),
                    {**changed, "id": row[0]},
                )
    for row in bind.execute(sa.text("SELECT id, tags FROM revisions")):
        tags = json.loads(row[1]) if isinstance(row[1], str) else row[1]
        if isinstance(tags, list):
            cleaned = [clean(t) if isinstance(t, str) else t for t in tags]
            if cleaned != tags:
                update = sa.text(
                    "UPDATE revisions SET tags = :tags WHERE id = :id"
                ).bindparams(sa.bindparam("tags", type_=sa.JSON))
                bind.execute(update, {"tags": cleaned, "id": row[0]})


def downgrade() -> None:
    """Nothing to restore: the removed characters were never meant to be there."""
