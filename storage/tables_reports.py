"""The spend table (CAC's numerator) and the indexes the report aggregates read through.

Each index serves a range the reports ask for: deals closed or created in a period, leads
created in one, stage moves and activities in a week, invoices issued or paid in a period.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, String, Table

from storage import tables as t
from storage import tables_cash as c
from storage.tables import metadata, pk, user_fk
from storage.types import Amount, UTCDateTime

spend = Table(
    "spend", metadata, pk(),
    Column("source", String(40), nullable=False),
    Column("month", Date, nullable=False),  # the first day of the month
    Column("currency", String(3), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("note", String(200)),
    user_fk("recorded_by"),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_spend_month_source", spend.c.month, spend.c.source)

# Deals won or lost in a period (win rate, cycle, forecast, leaderboard).
Index("ix_deals_status_closed", t.deals.c.status, t.deals.c.closed_at)
# Open deals by expected close month (forecast).
Index("ix_deals_status_close_date", t.deals.c.status, t.deals.c.close_date)
# Deals created in a period (new deals of the week, exports).
Index("ix_deals_created", t.deals.c.created_at)
# A customer's earlier wins (new customers for CAC).
Index("ix_deals_customer_status_closed", t.deals.c.customer_id, t.deals.c.status,
      t.deals.c.closed_at)
# Leads created in a period (funnel, response time).
Index("ix_leads_created", t.leads.c.created_at)
# Stage moves of a week.
Index("ix_stage_changes_at", t.stage_changes.c.at)
# Activities in a period (leaderboard, exports).
Index("ix_activities_at", t.activities.c.at)
# Invoices issued and payments received in a period (DSO, exports).
Index("ix_invoices_issued", c.invoices.c.issued_on)
Index("ix_payments_received", c.payments.c.received_on)
