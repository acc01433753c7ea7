"""lead operations: scores, amounts, regions and outside ids of leads; the public pool on
leads and customers; the turns of round-robin assignment

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-01 09:00:00

Data brought in line:
- a lead's first activity is the earliest activity logged on it since it was created;
- the neglect clock of a lead or customer starts at its latest activity, else its creation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pool_columns(table: str) -> None:
    op.add_column(table, sa.Column("touched_at", storage.types.UTCDateTime(), nullable=True))
    op.add_column(table, sa.Column("in_pool", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.add_column(table, sa.Column("pooled_at", storage.types.UTCDateTime(), nullable=True))
    op.add_column(table, sa.Column("previous_owner_id", sa.Integer(), nullable=True))
    op.add_column(table, sa.Column("cooldown_until", storage.types.UTCDateTime(), nullable=True))
    op.add_column(table, sa.Column("pool_reason", sa.Text(), nullable=True))


def upgrade() -> None:
    op.add_column("leads", sa.Column("amount", storage.types.Amount(precision=20, scale=4),
                                     nullable=True))
    op.add_column("leads", sa.Column("region", sa.String(length=100), nullable=True))
    op.add_column("leads", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.add_column("leads", sa.Column("score", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("leads", sa.Column("score_reasons", storage.types.JSONText(), nullable=True))
    op.add_column("leads", sa.Column("first_activity_at", storage.types.UTCDateTime(),
                                     nullable=True))
    _pool_columns("leads")
    _pool_columns("customers")
    op.create_index("ix_leads_external_id", "leads", ["external_id"], unique=True)
    op.create_index("ix_leads_pool", "leads", ["in_pool", "team", "id"])
    op.create_index("ix_leads_touched", "leads", ["status", "in_pool", "touched_at"])
    op.create_index("ix_leads_score", "leads", ["score"])
    op.create_index("ix_customers_pool", "customers", ["in_pool", "team", "id"])
    op.create_index("ix_customers_touched", "customers", ["in_pool", "touched_at"])
    op.create_table(
        "assignment_turns",
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_assignment_turns")),
    )
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("duplicates", sa.String(length=8), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_pending_imports_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_imports")),
    )
    op.create_index("ix_pending_imports_created_at", "pending_imports", ["created_at"])
    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE leads SET first_activity_at = (SELECT MIN(a.at) FROM activities a "
        "WHERE a.lead_id = leads.id AND a.at >= leads.created_at)"))
    conn.execute(sa.text(
        "UPDATE leads SET touched_at = COALESCE((SELECT MAX(a.at) FROM activities a "
        "WHERE a.lead_id = leads.id), created_at)"))
    conn.execute(sa.text(
        "UPDATE customers SET touched_at = COALESCE((SELECT MAX(a.at) FROM activities a "
        "WHERE a.customer_id = customers.id), created_at)"))


def downgrade() -> None:
    op.drop_index("ix_pending_imports_created_at", table_name="pending_imports")
    op.drop_table("pending_imports")
    op.drop_table("assignment_turns")
    for name in ("ix_customers_touched", "ix_customers_pool"):
        op.drop_index(name, table_name="customers")
    for name in ("ix_leads_score", "ix_leads_touched", "ix_leads_pool", "ix_leads_external_id"):
        op.drop_index(name, table_name="leads")
    pool = ("touched_at", "in_pool", "pooled_at", "previous_owner_id", "cooldown_until",
            "pool_reason")
    with op.batch_alter_table("customers") as batch:
        for column in pool:
            batch.drop_column(column)
    with op.batch_alter_table("leads") as batch:
        for column in ("amount", "region", "external_id", "score", "score_reasons",
                       "first_activity_at", *pool):
            batch.drop_column(column)
