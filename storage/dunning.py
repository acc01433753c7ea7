"""The dunning log: open invoices to chase (outstanding in SQL) and levels already sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import false, insert, select
from sqlalchemy.orm import Session

from domain.unit_of_work import OpenInvoice
from storage import tables as t
from storage import tables_cash as c
from storage.queries_cash import ZERO, _money, _sum_or_zero
from storage.tables_dunning import dunning_marks


class SqlDunningLog:
    """Implements domain.unit_of_work.DunningLog."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_invoices(self, today: date, min_days_past_due: int) -> list[OpenInvoice]:
        """Invoices due by `today - min_days_past_due` that still owe money. The unsettled
        ones due by then are taken by index first (the paid history is never summed); what
        each owes is then summed for those alone, by the rules of `Invoice.status`."""
        i, a, n = c.invoices, c.allocations, c.credit_notes
        latest_due = today - timedelta(days=min_days_past_due)
        paid = _money(select(_sum_or_zero(a.c.amount)).where(a.c.invoice_id == i.c.id)
                      .scalar_subquery())
        credited = _money(select(_sum_or_zero(n.c.amount)).where(n.c.invoice_id == i.c.id)
                          .scalar_subquery())
        due = (select(i.c.id, i.c.number, i.c.customer_id, i.c.owner_id, i.c.team,
                      i.c.currency, i.c.total, i.c.due_on, paid.label("paid"),
                      credited.label("credited"))
               .where(i.c.settled.is_(false()), i.c.due_on <= latest_due).subquery("due"))
        outstanding = _money(due.c.total - due.c.paid - due.c.credited)
        rows = self.session.execute(
            select(due.c.id, due.c.number, due.c.customer_id, t.customers.c.name,
                   due.c.owner_id, due.c.team, due.c.currency, outstanding, due.c.due_on)
            .join(t.customers, t.customers.c.id == due.c.customer_id)
            .where(outstanding > ZERO, due.c.credited <= ZERO)
            .order_by(due.c.customer_id, due.c.due_on, due.c.id)
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
        self.mark_all([(invoice_id, level)], on)

    def mark_all(self, marks: Sequence[tuple[int, int]], on: date) -> None:
        if marks:
            self.session.execute(insert(dunning_marks), [
                {"invoice_id": invoice_id, "level": level, "sent_on": on}
                for invoice_id, level in marks])
