"""Read-side SQL of the cash side: invoice lists and the customer card.

Outstanding amounts and statuses are computed here in SQL from allocations and credit notes,
with the same rules as `Invoice.status` and `OrderPosition.status` in the domain.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from domain.model.invoices import InvoiceStatus
from domain.model.orders import OrderStatus
from handlers.unit_of_work import Page
from storage import tables as t
from storage import tables_cash as c
from storage.prebuilt import LIMIT, page_of, paged
from storage.types import Amount

ZERO = Decimal(0)


def _money(expr: Any) -> ColumnElement[Decimal]:
    """An expression read back as money (scaled integers on SQLite, NUMERIC on PostgreSQL)."""
    return type_coerce(expr, Amount())


def _sum_or_zero(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


def per_invoice(amount: Any, invoice_id: Any, *where: Any, joined: Any = None) -> Any:
    """SUM(amount) per invoice as a subquery to join (one pass, not one lookup per row)."""
    q = select(invoice_id.label("invoice_id"), func.sum(amount).label("amount"))
    if joined is not None:
        q = q.select_from(joined)
    return q.where(*where).group_by(invoice_id).subquery()


def invoice_facts(today: Any, customer_id: Any = None, *, per_row: bool = False) -> Any:
    """Every invoice (of one customer, if given) with paid, credited, outstanding and its
    status by the rules of `Invoice.status`; `today` and `customer_id` are values or bound
    parameters.

    For totals, payments and credit notes are summed once and joined (only the customer's,
    when one is given). `per_row` looks them up invoice by invoice instead, which is faster
    for one page of a list: the database stops after the rows it shows.
    """
    i, a, n = c.invoices, c.allocations, c.credit_notes
    if per_row:
        paid_one = _money(select(_sum_or_zero(a.c.amount)).where(a.c.invoice_id == i.c.id)
                          .scalar_subquery())
        credited_one = _money(select(_sum_or_zero(n.c.amount))
                              .where(n.c.invoice_id == i.c.id).scalar_subquery())
        inner = select(i, paid_one.label("paid"), credited_one.label("credited"))
        if customer_id is not None:
            inner = inner.where(i.c.customer_id == customer_id)
        row = inner.subquery("inv")
        left = _money(row.c.total - row.c.paid - row.c.credited)
        state = invoice_status(row.c.paid, row.c.credited, left, row.c.due_on, today)
        return select(row, left.label("outstanding"), state.label("status")).subquery("f")
    mine: list[Any] = []
    a_from: Any = None
    n_from: Any = None
    if customer_id is not None:
        mine = [i.c.customer_id == customer_id]
        a_from = a.join(i, i.c.id == a.c.invoice_id)
        n_from = n.join(i, i.c.id == n.c.invoice_id)
    paid_by = per_invoice(a.c.amount, a.c.invoice_id, *mine, joined=a_from)
    credited_by = per_invoice(n.c.amount, n.c.invoice_id, *mine, joined=n_from)
    paid = _money(func.coalesce(paid_by.c.amount, 0))
    credited = _money(func.coalesce(credited_by.c.amount, 0))
    outstanding = _money(i.c.total - func.coalesce(paid_by.c.amount, 0)
                         - func.coalesce(credited_by.c.amount, 0))
    status = invoice_status(paid, credited, outstanding, i.c.due_on, today)
    return (select(i, paid.label("paid"), credited.label("credited"),
                   outstanding.label("outstanding"), status.label("status"))
            .select_from(i.outerjoin(paid_by, paid_by.c.invoice_id == i.c.id)
                         .outerjoin(credited_by, credited_by.c.invoice_id == i.c.id))
            .where(*mine)
            .subquery("f"))


def invoice_status(paid: Any, credited: Any, outstanding: Any, due_on: Any,
                   today: Any) -> ColumnElement[str]:
    """`Invoice.status` in SQL: void, paid, overdue, partly paid or issued."""
    return case(
        (credited > ZERO, literal(InvoiceStatus.VOID.value)),
        (outstanding <= ZERO, literal(InvoiceStatus.PAID.value)),
        (due_on < today, literal(InvoiceStatus.OVERDUE.value)),
        (paid > ZERO, literal(InvoiceStatus.PARTLY_PAID.value)),
        else_=literal(InvoiceStatus.ISSUED.value),
    )


def _visible(query: Select[Any], f: Any, *, owner_id: Any, team: Any,
             customer_id: Any) -> Select[Any]:
    if owner_id is not None:
        query = query.where(or_(f.c.owner_id == owner_id, t.customers.c.owner_id == owner_id))
    if team is not None:
        query = query.where(f.c.team == team)
    if customer_id is not None:
        query = query.where(f.c.customer_id == customer_id)
    return query


def _in_scope(query: Select[Any], f: Any, scope: str, today: Any) -> Select[Any]:
    if scope == "open":
        return query.where(f.c.outstanding > ZERO)
    if scope == "overdue":
        return query.where(f.c.outstanding > ZERO, f.c.due_on < today)
    return query


class SqlCashQueries:
    """Implements handlers.unit_of_work.CashQueries."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def invoices(self, *, owner_id: int | None, team: str | None, customer_id: int | None,
                 scope: str, today: date, page: int, per_page: int) -> Page:
        q = _invoice_page(owner_id is not None, team is not None, customer_id is not None,
                          scope)
        return page_of(self.session, q, {"owner_id": owner_id, "team": team,
                                         "customer_id": customer_id, "today": today},
                       page, per_page)

    def invoice_totals(self, *, owner_id: int | None, team: str | None,
                       customer_id: int | None, scope: str, today: date) -> list[dict[str, Any]]:
        f = invoice_facts(today, customer_id)
        overdue = case((and_(f.c.outstanding > ZERO, f.c.due_on < today), f.c.outstanding),
                       else_=ZERO)
        q = select(f.c.currency, func.count().label("count"),
                   _money(func.sum(f.c.outstanding)).label("outstanding"),
                   _money(func.sum(overdue)).label("overdue")
                   ).join(t.customers, t.customers.c.id == f.c.customer_id)
        q = _visible(q, f, owner_id=owner_id, team=team, customer_id=customer_id)
        q = _in_scope(q, f, scope, today).group_by(f.c.currency).order_by(f.c.currency)
        return [dict(r) for r in self.session.execute(q).mappings()]

    def customer_deals(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        return self._rows(_customer_deals(), customer_id=customer_id, limit=limit)

    def customer_orders(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        return self._rows(_customer_orders(), customer_id=customer_id, limit=limit)

    def customer_deliveries(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        """Delivered lines, newest delivery first: delivery id, order, date, item, quantity."""
        return self._rows(_customer_deliveries(), customer_id=customer_id, limit=limit)

    def customer_payments(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        return self._rows(_customer_payments(), customer_id=customer_id, limit=limit)

    def _rows(self, statement: Any, **params: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.session.execute(statement, params).mappings()]

    def customer_balances(self, customer_id: int, today: date) -> list[dict[str, Any]]:
        invoiced_q, received_q, settled_q = _customer_balances()
        invoiced = self.session.execute(invoiced_q, {"customer_id": customer_id,
                                                     "today": today}).mappings()
        received = self.session.execute(received_q, {"customer_id": customer_id}).mappings()
        settled = self.session.execute(settled_q, {"customer_id": customer_id}).mappings()
        out: dict[str, dict[str, Any]] = {}

        def row(currency: str) -> dict[str, Any]:
            return out.setdefault(currency, {
                "currency": currency, "invoiced": ZERO, "paid": ZERO, "outstanding": ZERO,
                "overdue": ZERO, "received": ZERO, "credit": ZERO})

        for r in invoiced:
            row(r["currency"]).update({k: r[k] or ZERO for k in
                                       ("invoiced", "paid", "outstanding", "overdue")})
        for r in received:
            row(r["currency"])["received"] = r["received"] or ZERO
            row(r["currency"])["credit"] += r["received"] or ZERO
        for r in settled:
            row(r["currency"])["credit"] -= r["allocated"] or ZERO
        return [out[k] for k in sorted(out)]


# The customer card's statements, built once (see storage.prebuilt) and run with the customer,
# the row limit and the day as parameters.
_CUSTOMER = bindparam("customer_id", type_=Integer)
_TODAY = bindparam("today", type_=Date)


@cache
def _customer_deals() -> Select[Any]:
    d = t.deals
    return (select(d.c.id, d.c.title, d.c.stage, d.c.status, d.c.amount, d.c.currency)
            .where(d.c.customer_id == _CUSTOMER).order_by(d.c.id.desc()).limit(LIMIT))


@cache
def _customer_orders() -> Select[Any]:
    o, ol, dl, dv = t.orders, t.order_lines, c.delivery_lines, c.deliveries
    i, a, n = c.invoices, c.allocations, c.credit_notes
    ordered = select(_sum_or_zero(ol.c.quantity)).where(ol.c.order_id == o.c.id)
    delivered = (select(_sum_or_zero(dl.c.quantity))
                 .join(dv, dv.c.id == dl.c.delivery_id).where(dv.c.order_id == o.c.id))
    billed = select(_sum_or_zero(i.c.total)).where(i.c.order_id == o.c.id)
    credited = (select(_sum_or_zero(n.c.amount)).join(i, i.c.id == n.c.invoice_id)
                .where(i.c.order_id == o.c.id))
    paid = (select(_sum_or_zero(a.c.amount)).join(i, i.c.id == a.c.invoice_id)
            .where(i.c.order_id == o.c.id))
    inner = select(
        o.c.id, o.c.total, o.c.currency, o.c.signed_on, o.c.plan,
        ordered.scalar_subquery().label("ordered"),
        delivered.scalar_subquery().label("delivered"),
        _money(billed.scalar_subquery()).label("billed"),
        _money(credited.scalar_subquery()).label("credited"),
        _money(paid.scalar_subquery()).label("paid"),
    ).where(o.c.customer_id == _CUSTOMER).subquery("o")
    invoiced = _money(inner.c.billed - inner.c.credited)
    outstanding = _money(inner.c.billed - inner.c.credited - inner.c.paid)
    all_delivered = func.round(inner.c.delivered, 4) >= func.round(inner.c.ordered, 4)
    all_billed = invoiced >= inner.c.total
    status = case(
        (and_(~all_delivered, all_billed), literal(OrderStatus.TO_DELIVER.value)),
        (~all_delivered, literal(OrderStatus.TO_DELIVER_AND_BILL.value)),
        (~all_billed, literal(OrderStatus.TO_BILL.value)),
        (outstanding > ZERO, literal(OrderStatus.TO_COLLECT.value)),
        else_=literal(OrderStatus.COMPLETED.value),
    )
    return (select(inner.c.id, inner.c.total, inner.c.currency, inner.c.signed_on,
                   inner.c.plan, inner.c.ordered, inner.c.delivered,
                   invoiced.label("invoiced"), inner.c.paid,
                   outstanding.label("outstanding"), status.label("status"))
            .order_by(inner.c.id.desc()).limit(LIMIT))


@cache
def _customer_deliveries() -> Select[Any]:
    dv, dl, ol, o = c.deliveries, c.delivery_lines, t.order_lines, t.orders
    recent = (select(dv.c.id).join(o, o.c.id == dv.c.order_id)
              .where(o.c.customer_id == _CUSTOMER)
              .order_by(dv.c.delivered_on.desc(), dv.c.id.desc()).limit(LIMIT).subquery())
    return (select(dv.c.id, dv.c.order_id, dv.c.delivered_on, ol.c.item, dl.c.quantity)
            .join(dl, dl.c.delivery_id == dv.c.id).join(ol, ol.c.id == dl.c.order_line_id)
            .where(dv.c.id.in_(select(recent.c.id)))
            .order_by(dv.c.delivered_on.desc(), dv.c.id.desc(), dl.c.position))


@cache
def _customer_payments() -> Select[Any]:
    p, a = c.payments, c.allocations
    allocated = _money(select(_sum_or_zero(a.c.amount)).where(a.c.payment_id == p.c.id)
                       .scalar_subquery())
    return (select(p.c.id, p.c.received_on, p.c.amount, p.c.currency, p.c.ref, p.c.method,
                   allocated.label("allocated"))
            .where(p.c.customer_id == _CUSTOMER)
            .order_by(p.c.received_on.desc(), p.c.id.desc()).limit(LIMIT))


@cache
def _customer_balances() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """Per currency: invoiced, paid, outstanding and overdue; received; allocated."""
    f = invoice_facts(_TODAY, _CUSTOMER)
    overdue = case((and_(f.c.outstanding > ZERO, f.c.due_on < _TODAY), f.c.outstanding),
                   else_=ZERO)
    invoiced = (select(f.c.currency,
                       _money(func.sum(f.c.total - f.c.credited)).label("invoiced"),
                       _money(func.sum(f.c.paid)).label("paid"),
                       _money(func.sum(f.c.outstanding)).label("outstanding"),
                       _money(func.sum(overdue)).label("overdue"))
                .where(f.c.customer_id == _CUSTOMER).group_by(f.c.currency))
    p, a = c.payments, c.allocations
    received = (select(p.c.currency, _money(func.sum(p.c.amount)).label("received"))
                .where(p.c.customer_id == _CUSTOMER).group_by(p.c.currency))
    settled = (select(p.c.currency, _money(func.sum(a.c.amount)).label("allocated"))
               .join(a, a.c.payment_id == p.c.id)
               .where(p.c.customer_id == _CUSTOMER).group_by(p.c.currency))
    return invoiced, received, settled


@cache
def _invoice_page(by_owner: bool, by_team: bool, by_customer: bool, scope: str) -> Select[Any]:
    """One page of the invoice list, for each combination of filters, built once."""
    f = invoice_facts(_TODAY, _CUSTOMER if by_customer else None, per_row=True)
    q = select(f.c.id, f.c.number, f.c.order_id, f.c.customer_id,
               t.customers.c.name.label("customer"), f.c.currency, f.c.total, f.c.paid,
               f.c.credited, f.c.outstanding, f.c.status, f.c.issued_on, f.c.due_on,
               f.c.installment_seq
               ).join(t.customers, t.customers.c.id == f.c.customer_id)
    q = _visible(q, f, owner_id=bindparam("owner_id", type_=Integer) if by_owner else None,
                 team=bindparam("team", type_=String) if by_team else None,
                 customer_id=_CUSTOMER if by_customer else None)
    q = _in_scope(q, f, scope, _TODAY)
    if scope == "all":
        q = q.order_by(f.c.year.desc(), f.c.seq.desc())
    else:
        q = q.order_by(f.c.due_on, f.c.year, f.c.seq)
    return paged(q)
