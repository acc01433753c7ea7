"""The dunning log: open invoices to chase (outstanding in SQL) and levels already sent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from domain.unit_of_work import OpenInvoice
from storage import tables as t
from storage.queries_cash import ZERO, invoice_facts
from storage.tables_dunning import dunning_marks


class SqlDunningLog:
    """Implements domain.unit_of_work.DunningLog."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_invoices(self, today: date, min_days_past_due: int) -> list[OpenInvoice]:
        f = invoice_facts(today)
        latest_due = today - timedelta(days=min_days_past_due)
        rows = self.session.execute(
            select(f.c.id, f.c.number, f.c.customer_id, t.customers.c.name, f.c.owner_id,
                   f.c.team, f.c.currency, f.c.outstanding, f.c.due_on)
            .join(t.customers, t.customers.c.id == f.c.customer_id)
            .where(f.c.outstanding > ZERO, f.c.credited <= ZERO, f.c.due_on <= latest_due)
            .order_by(f.c.customer_id, f.c.due_on, f.c.id)
        ).all()
        return [OpenInvoice(id=r[0], number=r[1], customer_id=r[2], customer=r[3],
                            owner_id=r[4], team=r[5], currency=r[6], outstanding=r[7],
                            due_on=r[8]) for r in rows]

    def marks(self, invoice_ids: list[int]) -> set[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for start in range(0, len(invoice_ids), 500):
            chunk = invoice_ids[start:start + 500]
            rows = self.session.execute(
                select(dunning_marks.c.invoice_id, dunning_marks.c.level)
                .where(dunning_marks.c.invoice_id.in_(chunk)))
            found |= {(r[0], r[1]) for r in rows}
        return found

    def mark(self, invoice_id: int, level: int, on: date) -> None:
        self.session.execute(insert(dunning_marks).values(invoice_id=invoice_id, level=level,
                                                          sent_on=on))
