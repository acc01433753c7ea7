"""CSV exports in SQL: deals, invoices, payments and activities, row by row in batches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, String, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from domain.references import PREFIX
from domain.reports import Scope, Window
from storage import tables as t
from storage import tables_cash as c
from storage.queries_cash import _money, invoice_facts
from storage.report_sql import cash_owned_by, owned_by, ref_sql, within

EXPORT_BATCH = 1000


class Exports:
    """The rows of each export, fetched as the caller reads them; part of `SqlReports`."""

    session: Session

    def export(self, kind: str, scope: Scope, period: Window | None,
               today: date) -> Iterator[tuple[Any, ...]]:
        query = {"deals": self._export_deals, "invoices": self._export_invoices,
                 "payments": self._export_payments,
                 "activities": self._export_activities}[kind](scope, period, today)
        result = self.session.execute(query.execution_options(yield_per=EXPORT_BATCH))
        for batch in result.partitions():
            for row in batch:
                yield tuple(row)

    @staticmethod
    def _export_deals(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        d = t.deals
        q = (select(ref_sql("deal", d.c.id), d.c.title, t.customers.c.name,
                    t.users.c.display_name, d.c.team, d.c.stage, d.c.status, d.c.currency,
                    d.c.amount, d.c.probability, d.c.close_date, d.c.source, d.c.created_at,
                    d.c.closed_at, d.c.last_activity_at, d.c.lost_reason)
             .join(t.customers, t.customers.c.id == d.c.customer_id)
             .join(t.users, t.users.c.id == d.c.owner_id))
        if period is not None:
            q = q.where(within(d.c.created_at, period, instants=True))
        return owned_by(q, scope, d.c.owner_id, d.c.team).order_by(d.c.id)

    @staticmethod
    def _export_invoices(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        f = invoice_facts(today)
        owner = aliased(t.users)
        q = (select(f.c.number, t.customers.c.name, ref_sql("order", f.c.order_id),
                    owner.c.display_name, f.c.team, f.c.currency, f.c.total, f.c.paid,
                    f.c.credited, f.c.outstanding, f.c.status, f.c.issued_on, f.c.due_on)
             .join(t.customers, t.customers.c.id == f.c.customer_id)
             .join(owner, owner.c.id == f.c.owner_id))
        if period is not None:
            q = q.where(within(f.c.issued_on, period, instants=False))
        return cash_owned_by(q, scope, f).order_by(f.c.year, f.c.seq)

    @staticmethod
    def _export_payments(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        p, a, i = c.payments, c.allocations, c.invoices
        allocated = _money(select(func.coalesce(func.sum(a.c.amount), 0))
                           .where(a.c.payment_id == p.c.id).scalar_subquery())
        owner = aliased(t.users)
        q = (select(ref_sql("payment", p.c.id), t.customers.c.name, owner.c.display_name,
                    p.c.currency, p.c.amount, allocated, _money(p.c.amount - allocated),
                    p.c.received_on, p.c.method, p.c.ref, i.c.number)
             .join(t.customers, t.customers.c.id == p.c.customer_id)
             .join(owner, owner.c.id == p.c.owner_id)
             .outerjoin(i, i.c.id == p.c.invoice_id))
        if period is not None:
            q = q.where(within(p.c.received_on, period, instants=False))
        return cash_owned_by(q, scope, p).order_by(p.c.id)

    @staticmethod
    def _export_activities(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        a = t.activities
        prefix = case({kind: f"{PREFIX[kind]}-" for kind in ("lead", "customer", "deal", "quote",
                                                             "order")},
                      value=a.c.ref_kind, else_="")
        q = (select(a.c.id, a.c.at, t.users.c.display_name, a.c.kind,
                    prefix + cast(a.c.ref_id, String()), t.customers.c.name, a.c.text)
             .join(t.users, t.users.c.id == a.c.user_id)
             .outerjoin(t.customers, t.customers.c.id == a.c.customer_id))
        if period is not None:
            q = q.where(within(a.c.at, period, instants=True))
        return owned_by(q, scope, a.c.user_id, t.users.c.team).order_by(a.c.id)
