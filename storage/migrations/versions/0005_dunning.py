"""dunning log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dunning_marks",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_dunning_marks_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("invoice_id", "level", name=op.f("pk_dunning_marks")),
    )


def downgrade() -> None:
    op.drop_table("dunning_marks")
