"""administration in the UI: channel switches and glossary entries

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:00:00

`channel_switches`: a channel switched on or off by an administrator, overriding
config.yaml's `enabled`; `glossary_entries`: spoken forms added or changed in the
UI, overriding config.yaml's `glossary`; `users.must_change_password`, set when an
administrator chose the password. The `viewer` role needs no change: roles are
stored as VARCHAR(16).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from publisher.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column(
            "must_change_password",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.create_table(
        "channel_switches",
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["users.id"],
            name=op.f("fk_channel_switches_changed_by_users"),
        ),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_channel_switches")),
    )
    op.create_table(
        "glossary_entries",
        sa.Column("term", sa.String(100), nullable=False),
        sa.Column("spoken", sa.String(300), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["users.id"],
            name=op.f("fk_glossary_entries_changed_by_users"),
        ),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_glossary_entries")),
    )


def downgrade() -> None:
    op.drop_table("glossary_entries")
    op.drop_table("channel_switches")
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): foreign keys point
    # at users, so the table is not rebuilt.
    op.drop_column("users", "must_change_password")
