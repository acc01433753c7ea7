"""The cash side of the report aggregates in SQL: receivables at a period's end, aging
buckets, cash falling due week by week, the most overdue invoices."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from domain.reports import Scope, Window
from storage import tables as t
from storage import tables_cash as c
from storage.queries_cash import ZERO, _money, invoice_facts, per_invoice
from storage.report_sql import cash_owned_by, fetch_rows, sum_money, within


class CashReports:
    """Receivables, aging and cash due; part of `SqlReports`."""

    session: Session

    def receivables(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Outstanding as it stood at the period's end: invoices issued by then, less the
        payments received by then and the credit notes issued by then."""
        i, a, p, n = c.invoices, c.allocations, c.payments, c.credit_notes
        released = aliased(c.credit_notes)
        end, start = period.end, period.start
        paid = per_invoice(a.c.amount, a.c.invoice_id, p.c.received_on < end,
                            or_(a.c.credit_note_id.is_(None), released.c.issued_on < end),
                            joined=a.join(p, p.c.id == a.c.payment_id)
                            .outerjoin(released, released.c.id == a.c.credit_note_id))
        credited = per_invoice(n.c.amount, n.c.invoice_id, n.c.issued_on < end)
        credited_in = per_invoice(n.c.amount, n.c.invoice_id, n.c.issued_on >= start,
                                   n.c.issued_on < end)
        issued_in = and_(i.c.issued_on >= start, i.c.issued_on < end)
        q = select(
            i.c.currency,
            _money(func.sum(i.c.total - func.coalesce(paid.c.amount, 0)
                            - func.coalesce(credited.c.amount, 0))).label("outstanding"),
            _money(func.sum(case((issued_in, i.c.total), else_=0))
                   - func.coalesce(func.sum(credited_in.c.amount), 0)).label("invoiced"),
        ).select_from(i.outerjoin(paid, paid.c.invoice_id == i.c.id)
                      .outerjoin(credited, credited.c.invoice_id == i.c.id)
                      .outerjoin(credited_in, credited_in.c.invoice_id == i.c.id)
                      ).where(i.c.issued_on < end)
        q = cash_owned_by(q, scope, i)
        return fetch_rows(self.session, q.group_by(i.c.currency).order_by(i.c.currency))

    # ----------------------------------------------------------------- aging and cash

    @staticmethod
    def _aging_columns(f: Any, today: date) -> list[ColumnElement[Any]]:
        due, owed = f.c.due_on, f.c.outstanding
        limits = [today - timedelta(days=n) for n in (30, 60, 90)]

        def part(condition: Any) -> ColumnElement[Decimal]:
            return sum_money(case((condition, owed), else_=0))

        return [
            part(due >= today).label("current"),
            part(and_(due < today, due >= limits[0])).label("days_1_30"),
            part(and_(due < limits[0], due >= limits[1])).label("days_31_60"),
            part(and_(due < limits[1], due >= limits[2])).label("days_61_90"),
            part(due < limits[2]).label("days_90_plus"),
        ]

    def aging(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        """The customers owing most, with their aging buckets. The top is chosen by the total
        alone; the buckets and the name are then read for those customers only (their
        invoices by the customer's index), not for every customer on the way."""
        f = invoice_facts(today)
        total = sum_money(f.c.outstanding).label("total")
        top_q = cash_owned_by(select(f.c.customer_id, f.c.currency, total)
                              .where(f.c.outstanding > ZERO), scope, f)
        top = (top_q.group_by(f.c.customer_id, f.c.currency)
               .order_by(total.desc(), f.c.customer_id, f.c.currency).limit(limit)
               .subquery("top"))
        # Each invoice of those customers with what it still owes: grouped by invoice, so
        # the amount is computed once, not again in each bucket.
        i, a, n = c.invoices, c.allocations, c.credit_notes
        credited = (select(func.coalesce(func.sum(n.c.amount), 0))
                    .where(n.c.invoice_id == i.c.id).scalar_subquery())
        owed_q = select(top.c.customer_id, top.c.currency, top.c.total, i.c.due_on, _money(
            i.c.total - func.coalesce(func.sum(a.c.amount), 0) - credited).label("outstanding")
        ).select_from(top.join(i, and_(i.c.customer_id == top.c.customer_id,
                                       i.c.currency == top.c.currency))
                      .outerjoin(a, a.c.invoice_id == i.c.id))
        owed = (cash_owned_by(owed_q, scope, i)
                .group_by(i.c.id, top.c.customer_id, top.c.currency, top.c.total)
                .subquery("owed"))
        q = (select(owed.c.customer_id, t.customers.c.name.label("customer"), owed.c.currency,
                    *self._aging_columns(owed, today), owed.c.total)
             .join(t.customers, t.customers.c.id == owed.c.customer_id)
             .where(owed.c.outstanding > ZERO)
             .group_by(owed.c.customer_id, t.customers.c.name, owed.c.currency, owed.c.total)
             .order_by(owed.c.total.desc(), owed.c.customer_id, owed.c.currency))
        return fetch_rows(self.session, q)

    def aging_totals(self, scope: Scope, today: date) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        q = select(f.c.currency, func.count(f.c.customer_id.distinct()).label("customers"),
                   *self._aging_columns(f, today), sum_money(f.c.outstanding).label("total")
                   ).where(f.c.outstanding > ZERO)
        q = cash_owned_by(q, scope, f)
        return fetch_rows(self.session, q.group_by(f.c.currency).order_by(f.c.currency))

    def cash_due(self, scope: Scope, today: date, weeks: int) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        due, owed = f.c.due_on, f.c.outstanding
        columns = [sum_money(case((due < today, owed), else_=0)).label("overdue")]
        for n in range(weeks):
            first, following = today + timedelta(days=7 * n), today + timedelta(days=7 * n + 7)
            columns.append(sum_money(case((and_(due >= first, due < following), owed),
                                           else_=0)).label(f"week_{n + 1}"))
        q = select(f.c.currency, *columns).where(owed > ZERO)
        q = cash_owned_by(q, scope, f)
        return fetch_rows(self.session, q.group_by(f.c.currency).order_by(f.c.currency))

    def overdue_top(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        """The invoices owing most past their due day; the customer's name is looked up for
        those shown only, not for every overdue invoice on the way to them."""
        f = invoice_facts(today)
        top = cash_owned_by(select(f.c.number, f.c.customer_id, f.c.currency,
                                   f.c.outstanding, f.c.due_on)
                            .where(f.c.outstanding > ZERO, f.c.due_on < today), scope, f)
        top_q = top.order_by(f.c.outstanding.desc(), f.c.due_on, f.c.number).limit(limit)
        o = top_q.subquery("top")
        q = (select(o.c.number, t.customers.c.name.label("customer"), o.c.currency,
                    o.c.outstanding, o.c.due_on)
             .join(t.customers, t.customers.c.id == o.c.customer_id)
             .order_by(o.c.outstanding.desc(), o.c.due_on, o.c.number))
        return fetch_rows(self.session, q)

    def received_totals(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        p = c.payments
        q = (select(p.c.currency, func.count().label("payments"),
                    sum_money(p.c.amount).label("amount"))
             .where(within(p.c.received_on, period, instants=False))
             .group_by(p.c.currency).order_by(p.c.currency))
        return fetch_rows(self.session, cash_owned_by(q, scope, p))

    def received_latest(self, scope: Scope, period: Window, limit: int) -> list[dict[str, Any]]:
        p = c.payments
        q = (select(p.c.id, t.customers.c.name.label("customer"), p.c.amount, p.c.currency,
                    p.c.received_on, p.c.method)
             .join(t.customers, t.customers.c.id == p.c.customer_id)
             .where(within(p.c.received_on, period, instants=False))
             .order_by(p.c.received_on.desc(), p.c.id.desc()).limit(limit))
        return fetch_rows(self.session, cash_owned_by(q, scope, p))
