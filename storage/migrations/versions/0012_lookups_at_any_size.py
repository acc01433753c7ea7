"""indexes for lookups that stay fast at any size: names of one kind by term (the duplicate
check), and invoices still owing by due date (the dunning scan) with their `settled` flag

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_search_terms_kind_field_term", "search_terms", ["kind", "field", "term"])
    op.add_column("invoices", sa.Column("settled", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    # Paid in full or voided: what storage/settled.py keeps from now on.
    op.execute(
        "UPDATE invoices SET settled = ("
        " (SELECT coalesce(sum(n.amount), 0) FROM credit_notes n WHERE n.invoice_id = invoices.id) > 0"
        " OR invoices.total"
        " - (SELECT coalesce(sum(a.amount), 0) FROM allocations a WHERE a.invoice_id = invoices.id)"
        " - (SELECT coalesce(sum(n.amount), 0) FROM credit_notes n WHERE n.invoice_id = invoices.id)"
        " <= 0)")
    op.create_index("ix_invoices_settled_due", "invoices", ["settled", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_invoices_settled_due", table_name="invoices")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("settled")
    op.drop_index("ix_search_terms_kind_field_term", table_name="search_terms")
