"""media contact directory and per-recipient e-mail results

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 22:00:00

`media_contacts` (journalists and desks), `contact_groups` and their members, and
`delivery_recipients`: what each recipient's mail server replied to their own copy
of an e-mail delivery, so a retry mails only those who have none yet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from publisher.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_contact_groups_name")),
    )
    op.create_table(
        "media_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("outlet", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("unsubscribed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_contacts")),
        sa.UniqueConstraint("email", name=op.f("uq_media_contacts_email")),
    )
    op.create_index(
        op.f("ix_media_contacts_region"), "media_contacts", ["region"], unique=False
    )
    op.create_table(
        "contact_group_members",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["media_contacts.id"],
            name=op.f("fk_contact_group_members_contact_id_media_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["contact_groups.id"],
            name=op.f("fk_contact_group_members_group_id_contact_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "contact_id", "group_id", name=op.f("pk_contact_group_members")
        ),
    )
    op.create_table(
        "delivery_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply_code", sa.Integer(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_recipients_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["media_contacts.id"],
            name=op.f("fk_delivery_recipients_contact_id_media_contacts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_recipients")),
        sa.UniqueConstraint(
            "delivery_id", "email", name=op.f("uq_delivery_recipients_delivery_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_recipients_delivery_id"),
        "delivery_recipients",
        ["delivery_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_delivery_recipients_delivery_id"), table_name="delivery_recipients"
    )
    op.drop_table("delivery_recipients")
    op.drop_table("contact_group_members")
    op.drop_index(op.f("ix_media_contacts_region"), table_name="media_contacts")
    op.drop_table("media_contacts")
    op.drop_table("contact_groups")
