"""an index on when each delivery was handled, for pruning the delivery log

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_processed_deliveries_at", "processed_deliveries", ["at"])


def downgrade() -> None:
    op.drop_index("ix_processed_deliveries_at", table_name="processed_deliveries")
