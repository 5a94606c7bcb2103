"""comments on releases and the users they mention

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:00:00

`comments`: the review conversation of a release (author, time, text, the revision
it is about); `comment_mentions`: the existing users a comment names with
`@username`, whom notifications are for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from publisher.models import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name=op.f("fk_comments_release_id_releases"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_comments_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(
        op.f("ix_comments_release_id"), "comments", ["release_id"], unique=False
    )
    op.create_table(
        "comment_mentions",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_mentions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_comment_mentions_user_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "comment_id", "user_id", name=op.f("pk_comment_mentions")
        ),
    )
    op.create_index(
        op.f("ix_comment_mentions_user_id"),
        "comment_mentions",
        ["user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_comment_mentions_user_id"), table_name="comment_mentions")
    op.drop_table("comment_mentions")
    op.drop_index(op.f("ix_comments_release_id"), table_name="comments")
    op.drop_table("comments")
