"""indexes for the unscoped deal list and a manager's lead list

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 16:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_deals_status_id", "deals", ["status", "id"])
    op.create_index("ix_leads_team_id", "leads", ["team", "id"])


def downgrade() -> None:
    op.drop_index("ix_leads_team_id", table_name="leads")
    op.drop_index("ix_deals_status_id", table_name="deals")
