"""audit chain and scoped API tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:00:00

Audit events get their place in a hash chain (`chain_seq`, `prev_hash`, `hash`) and
one `audit_chain_head` row holds the newest link; existing events are chained in id
order. API tokens get a scope (`read`, `draft`, `publish`) and an optional expiry;
existing tokens keep what their user's role allows today (drafters: draft; editors
and admins: publish).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from publisher.audit import GENESIS, HEAD_ID, chain_hash, sealed_fields
from publisher.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_events_chain_seq"), ["chain_seq"]
        )
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", UTCDateTime),
        sa.column("actor_id", sa.Integer),
        sa.column("actor_label", sa.String),
        sa.column("action", sa.String),
        sa.column("release_id", sa.Integer),
        sa.column("delivery_id", sa.Integer),
        sa.column("detail", sa.JSON),
        sa.column("chain_seq", sa.Integer),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    seq, prev = 0, GENESIS
    for row in rows:
        seq += 1
        fields = sealed_fields(
            **{k: row[k] for k in ("at", "actor_id", "actor_label", "action")},
            release_id=row["release_id"],
            delivery_id=row["delivery_id"],
            detail=row["detail"],
        )
        digest = chain_hash(fields, seq, prev)
        bind.execute(
            events.update()
            .where(events.c.id == row["id"])
            .values(chain_seq=seq, prev_hash=prev, hash=digest)
        )
        prev = digest
    op.bulk_insert(head, [{"id": HEAD_ID, "seq": seq, "hash": prev}])

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(16), nullable=False, server_default="read")
        )
        batch_op.add_column(sa.Column("expires_at", UTCDateTime(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE api_tokens SET scope = CASE (SELECT role FROM users "
            "WHERE users.id = api_tokens.user_id) WHEN 'drafter' THEN 'draft' "
            "ELSE 'publish' END"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("scope")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_audit_events_chain_seq"), type_="unique"
        )
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("chain_seq")
