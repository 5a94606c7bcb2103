"""revision contributors: everyone whose words a revision carries (four eyes)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:40:00

Existing revisions get their contributors back from what is known: the author of
every revision up to and including this one, and every actor of an edit, revision or
media event the audit trail records for those revisions.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EDIT_ACTIONS = (
    "release.created",
    "release.edited",
    "release.revised",
    "media.added",
    "media.changed",
    "media.removed",
    "media.reordered",
)


def upgrade() -> None:
    op.create_table(
        "revision_contributors",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_contributors_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_revision_contributors_user_id_users"),
        ),
        sa.PrimaryKeyConstraint(
            "revision_id", "user_id", name=op.f("pk_revision_contributors")
        ),
    )
    bind = op.get_bind()
    revisions = bind.execute(
        sa.text(
            "SELECT id, release_id, number, created_by_id FROM revisions "
            "ORDER BY release_id, number"
        )
    ).all()
    edits: dict[tuple[int, int], set[int]] = {}
    marks = ", ".join(f"'{a}'" for a in EDIT_ACTIONS)
    for release_id, actor_id, detail in bind.execute(
        sa.text(
            "SELECT release_id, actor_id, detail FROM audit_events "
            f"WHERE action IN ({marks}) AND actor_id IS NOT NULL"
        )
    ):
        detail = json.loads(detail) if isinstance(detail, str) else detail or {}
        number = detail.get("revision")
        if isinstance(number, int):
            edits.setdefault((release_id, number), set()).add(actor_id)
    rows = []
    carried: dict[int, set[int]] = {}
    for revision_id, release_id, number, created_by in revisions:
        people = carried.setdefault(release_id, set())
        people.add(created_by)
        people |= edits.get((release_id, number), set())
        rows.extend({"revision_id": revision_id, "user_id": u} for u in people)
    if rows:
        table = sa.table(
            "revision_contributors",
            sa.column("revision_id", sa.Integer),
            sa.column("user_id", sa.Integer),
        )
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("revision_contributors")
