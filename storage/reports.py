"""The report aggregates in SQL: pipeline, forecast, funnel, KPIs, aging, leaders, digests.

Each method is one or a few GROUP BY statements; rows never come back to be added up in
Python. Periods arrive as `Window`s (days and UTC instants), so grouping by month or week is a
CASE over bound limits and reads the same on SQLite and PostgreSQL, across DST changes too.
Money sums are exact on both: NUMERIC on PostgreSQL, scaled integers on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from domain.model.deals import DealStatus
from domain.model.leads import LeadStatus
from domain.references import PREFIX
from domain.reports import Scope, Window
from storage import tables as t
from storage import tables_cash as c
from storage.queries_cash import ZERO, _money, invoice_facts, per_invoice
from storage.tables_reports import spend as spend_table
from storage.types import SCALE

EXPORT_BATCH = 1000
WON, LOST, OPEN = DealStatus.WON.value, DealStatus.LOST.value, DealStatus.OPEN.value


# --------------------------------------------------------------------------- expressions


class PercentOfAmount(TypeDecorator[Decimal]):
    """SUM(amount x percent) read back as the exact amount it stands for (the sum / 100)."""

    impl = BigInteger()
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":  # amounts are integers scaled by 10^SCALE there
            return Decimal(int(value)).scaleb(-SCALE - 2)
        return Decimal(value).scaleb(-2)


class epoch_seconds(FunctionElement[int]):  # noqa: N801  (an SQL function's name)
    """Whole seconds since 1970 of a stored (naive UTC) instant."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def _sum_money(expr: Any) -> ColumnElement[Decimal]:
    return _money(func.coalesce(func.sum(expr), 0))


def _weighted(amount: Any, probability: Any) -> ColumnElement[Decimal]:
    return type_coerce(func.coalesce(func.sum(amount * probability), 0), PercentOfAmount())


def _count_if(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in(column: Any, window: Window, *, instants: bool) -> ColumnElement[bool]:
    low, high = (window.since, window.until) if instants else (window.start, window.end)
    return and_(column >= low, column < high)


def _bucket(column: Any, windows: Sequence[Window], *, instants: bool) -> ColumnElement[str]:
    """The key of the window the value falls in (NULL when none)."""
    return case(*[(_in(column, w, instants=instants), literal(w.key, String()))
                  for w in windows], else_=null())


def _span(windows: Sequence[Window]) -> Window:
    return Window("span", windows[0].start, windows[-1].end, windows[0].since,
                  windows[-1].until)


def _owned(query: Select[Any], scope: Scope, owner: Any, team: Any) -> Select[Any]:
    if scope.owner_id is not None:
        query = query.where(owner == scope.owner_id)
    if scope.team is not None:
        query = query.where(team == scope.team)
    return query


def _cash_owned(query: Select[Any], scope: Scope, f: Any) -> Select[Any]:
    """As the invoice lists: a rep sees invoices of their orders and of their customers."""
    if scope.owner_id is not None:
        # An alias of its own: the outer query often joins customers, and the subquery
        # must not correlate to that join.
        owned = t.customers.alias("owned")
        theirs = exists().where(owned.c.id == f.c.customer_id,
                                owned.c.owner_id == scope.owner_id)
        query = query.where(or_(f.c.owner_id == scope.owner_id, theirs))
    if scope.team is not None:
        query = query.where(f.c.team == scope.team)
    return query


def _ref(kind: str, column: Any) -> ColumnElement[str]:
    """The record's reference (D-7) computed in SQL."""
    return literal(f"{PREFIX[kind]}-", String()) + cast(column, String())


def _rows(session: Session, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(query).mappings()]


# --------------------------------------------------------------------------- the reports


class SqlReports:
    """Implements domain.digests.Reports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ----------------------------------------------------------------- pipeline, forecast

    def pipeline(self, scope: Scope, close: Window | None) -> list[dict[str, Any]]:
        d = t.deals

        def grouped(*keys: Any) -> Select[Any]:
            q = select(*keys, func.count().label("deals"), _sum_money(d.c.amount).label("amount"),
                       _weighted(d.c.amount, d.c.probability).label("weighted")
                       ).where(d.c.status == OPEN)
            if close is not None:
                q = q.where(_in(d.c.close_date, close, instants=False))
            return _owned(q, scope, d.c.owner_id, d.c.team).group_by(*keys).order_by(*keys)

        stages = _rows(self.session, grouped(d.c.stage, d.c.currency))
        totals = _rows(self.session, grouped(d.c.currency))
        return stages + [{"stage": None, **row} for row in totals]

    def forecast(self, scope: Scope, months: Sequence[Window]) -> list[dict[str, Any]]:
        if not months:
            return []
        d, span = t.deals, _span(months)
        expected = _owned(select(
            _bucket(d.c.close_date, months, instants=False).label("month"), d.c.currency,
            d.c.amount, d.c.probability,
        ).where(d.c.status == OPEN, _in(d.c.close_date, span, instants=False)),
            scope, d.c.owner_id, d.c.team).subquery()
        won = _owned(select(
            _bucket(d.c.closed_at, months, instants=True).label("month"), d.c.currency,
            d.c.amount,
        ).where(d.c.status == WON, _in(d.c.closed_at, span, instants=True)),
            scope, d.c.owner_id, d.c.team).subquery()
        found: dict[tuple[str, str], dict[str, Any]] = {}

        def row(month: str, currency: str) -> dict[str, Any]:
            return found.setdefault((month, currency), {
                "month": month, "currency": currency, "open_deals": 0, "open_amount": ZERO,
                "weighted": ZERO, "won_deals": 0, "won_amount": ZERO})

        for r in self.session.execute(
            select(expected.c.month, expected.c.currency, func.count().label("deals"),
                   _sum_money(expected.c.amount).label("amount"),
                   _weighted(expected.c.amount, expected.c.probability).label("weighted"))
            .group_by(expected.c.month, expected.c.currency)
        ).mappings():
            row(r["month"], r["currency"]).update(open_deals=r["deals"],
                                                  open_amount=r["amount"],
                                                  weighted=r["weighted"])
        for r in self.session.execute(
            select(won.c.month, won.c.currency, func.count().label("deals"),
                   _sum_money(won.c.amount).label("amount"))
            .group_by(won.c.month, won.c.currency)
        ).mappings():
            row(r["month"], r["currency"]).update(won_deals=r["deals"], won_amount=r["amount"])
        return [found[k] for k in sorted(found)]

    def undated(self, scope: Scope) -> list[dict[str, Any]]:
        d = t.deals
        q = select(d.c.currency, func.count().label("deals"),
                   _sum_money(d.c.amount).label("amount"),
                   _weighted(d.c.amount, d.c.probability).label("weighted")
                   ).where(d.c.status == OPEN, d.c.close_date.is_(None))
        q = _owned(q, scope, d.c.owner_id, d.c.team)
        return _rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    # ----------------------------------------------------------------- funnel and KPIs

    def funnel(self, scope: Scope, period: Window, by: str,
               buckets: Sequence[Window] = ()) -> list[dict[str, Any]]:
        lead, deal = t.leads, t.deals
        if by == "source":
            key: ColumnElement[Any] = lead.c.source
        elif by == "month":
            key = _bucket(lead.c.created_at, buckets, instants=True)
        else:
            key = literal("all", String())
        # A won deal has passed the quote stage even without a quote on file: stages nest.
        quoted = or_(exists().where(t.quotes.c.deal_id == lead.c.deal_id), deal.c.status == WON)
        inner = _owned(select(
            key.label("key"),
            case((lead.c.status == LeadStatus.QUALIFIED.value, 1), else_=0).label("qualified"),
            case((quoted, 1), else_=0).label("quoted"),
            case((deal.c.status == WON, 1), else_=0).label("won"),
        ).select_from(lead.outerjoin(deal, deal.c.id == lead.c.deal_id))
            .where(_in(lead.c.created_at, period, instants=True)),
            scope, lead.c.owner_id, lead.c.team).subquery()
        q = select(inner.c.key, func.count().label("leads"),
                   func.sum(inner.c.qualified).label("qualified"),
                   func.sum(inner.c.quoted).label("quoted"),
                   func.sum(inner.c.won).label("won")
                   ).group_by(inner.c.key).order_by(inner.c.key.is_(None), inner.c.key)
        return [{**r, "qualified": int(r["qualified"]), "quoted": int(r["quoted"]),
                 "won": int(r["won"])} for r in _rows(self.session, q)]

    def closed(self, scope: Scope, period: Window) -> dict[str, Any]:
        d, lead = t.deals, t.leads
        started = func.coalesce(lead.c.created_at, d.c.created_at)
        cycle = epoch_seconds(d.c.closed_at) - epoch_seconds(started)
        # A deal entered after its order was signed tells nothing of how long selling took.
        cycled = and_(d.c.status == WON, d.c.closed_at >= started)
        q = _owned(select(
            _count_if(d.c.status == WON).label("won"),
            _count_if(d.c.status == LOST).label("lost"),
            _count_if(cycled).label("cycled"),
            func.sum(case((cycled, cycle), else_=null())).label("cycle_seconds"),
        ).select_from(d.outerjoin(lead, lead.c.id == d.c.lead_id))
            .where(d.c.status.in_([WON, LOST]), _in(d.c.closed_at, period, instants=True)),
            scope, d.c.owner_id, d.c.team)
        r = self.session.execute(q).mappings().one()
        seconds = r["cycle_seconds"]
        return {"won": int(r["won"]), "lost": int(r["lost"]), "cycle_deals": int(r["cycled"]),
                "cycle_seconds": int(seconds) if seconds is not None else None}

    def won_value(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        d = t.deals
        q = _owned(select(d.c.currency, func.count().label("deals"),
                          func.count(d.c.amount).label("priced"),
                          _sum_money(d.c.amount).label("amount"))
                   .where(d.c.status == WON, _in(d.c.closed_at, period, instants=True)),
                   scope, d.c.owner_id, d.c.team)
        return _rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    def lead_response(self, scope: Scope, period: Window) -> dict[str, Any]:
        lead, a = t.leads, t.activities
        first = (select(func.min(a.c.at)).where(a.c.lead_id == lead.c.id,
                                                a.c.at >= lead.c.created_at)
                 .scalar_subquery())
        inner = _owned(select(lead.c.created_at, first.label("first_at"))
                       .where(_in(lead.c.created_at, period, instants=True)),
                       scope, lead.c.owner_id, lead.c.team).subquery()
        r = self.session.execute(select(
            func.count().label("leads"), func.count(inner.c.first_at).label("answered"),
            func.sum(epoch_seconds(inner.c.first_at) - epoch_seconds(inner.c.created_at))
            .label("seconds"))).mappings().one()
        seconds = r["seconds"]
        return {"leads": int(r["leads"]), "answered": int(r["answered"]),
                "seconds": int(seconds) if seconds is not None else None}

    def new_customers(self, period: Window) -> list[dict[str, Any]]:
        d = t.deals
        e = aliased(t.deals)
        earlier = exists().where(e.c.customer_id == d.c.customer_id, e.c.status == WON,
                                 e.c.closed_at < period.since)
        q = (select(d.c.source, func.count(d.c.customer_id.distinct()).label("customers"))
             .where(d.c.status == WON, _in(d.c.closed_at, period, instants=True), ~earlier)
             .group_by(d.c.source).order_by(d.c.source.is_(None), d.c.source))
        return _rows(self.session, q)

    def spend(self, period: Window) -> list[dict[str, Any]]:
        s = spend_table
        q = (select(s.c.source, s.c.currency, _sum_money(s.c.amount).label("amount"))
             .where(s.c.month >= period.start.replace(day=1), s.c.month < period.end)
             .group_by(s.c.source, s.c.currency).order_by(s.c.source, s.c.currency))
        return _rows(self.session, q)

    def customer_value(self, scope: Scope, until: date) -> list[dict[str, Any]]:
        o = t.orders
        q = _owned(select(o.c.currency, _sum_money(o.c.total).label("revenue"),
                          func.count(o.c.customer_id.distinct()).label("customers"))
                   .where(o.c.signed_on < until), scope, o.c.owner_id, o.c.team)
        return _rows(self.session, q.group_by(o.c.currency).order_by(o.c.currency))

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
        q = _cash_owned(q, scope, i)
        return _rows(self.session, q.group_by(i.c.currency).order_by(i.c.currency))

    # ----------------------------------------------------------------- aging and cash

    @staticmethod
    def _aging_columns(f: Any, today: date) -> list[ColumnElement[Any]]:
        due, owed = f.c.due_on, f.c.outstanding
        limits = [today - timedelta(days=n) for n in (30, 60, 90)]

        def part(condition: Any) -> ColumnElement[Decimal]:
            return _sum_money(case((condition, owed), else_=0))

        return [
            part(due >= today).label("current"),
            part(and_(due < today, due >= limits[0])).label("days_1_30"),
            part(and_(due < limits[0], due >= limits[1])).label("days_31_60"),
            part(and_(due < limits[1], due >= limits[2])).label("days_61_90"),
            part(due < limits[2]).label("days_90_plus"),
        ]

    def aging(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        total = _sum_money(f.c.outstanding).label("total")
        q = select(f.c.customer_id, t.customers.c.name.label("customer"), f.c.currency,
                   *self._aging_columns(f, today), total
                   ).join(t.customers, t.customers.c.id == f.c.customer_id
                   ).where(f.c.outstanding > ZERO)
        q = _cash_owned(q, scope, f)
        q = (q.group_by(f.c.customer_id, t.customers.c.name, f.c.currency)
             .order_by(total.desc(), f.c.customer_id, f.c.currency).limit(limit))
        return _rows(self.session, q)

    def aging_totals(self, scope: Scope, today: date) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        q = select(f.c.currency, func.count(f.c.customer_id.distinct()).label("customers"),
                   *self._aging_columns(f, today), _sum_money(f.c.outstanding).label("total")
                   ).where(f.c.outstanding > ZERO)
        q = _cash_owned(q, scope, f)
        return _rows(self.session, q.group_by(f.c.currency).order_by(f.c.currency))

    def cash_due(self, scope: Scope, today: date, weeks: int) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        due, owed = f.c.due_on, f.c.outstanding
        columns = [_sum_money(case((due < today, owed), else_=0)).label("overdue")]
        for n in range(weeks):
            first, following = today + timedelta(days=7 * n), today + timedelta(days=7 * n + 7)
            columns.append(_sum_money(case((and_(due >= first, due < following), owed),
                                           else_=0)).label(f"week_{n + 1}"))
        q = select(f.c.currency, *columns).where(owed > ZERO)
        q = _cash_owned(q, scope, f)
        return _rows(self.session, q.group_by(f.c.currency).order_by(f.c.currency))

    def overdue_top(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        f = invoice_facts(today)
        q = select(f.c.number, t.customers.c.name.label("customer"), f.c.currency,
                   f.c.outstanding, f.c.due_on
                   ).join(t.customers, t.customers.c.id == f.c.customer_id
                   ).where(f.c.outstanding > ZERO, f.c.due_on < today)
        q = _cash_owned(q, scope, f)
        return _rows(self.session, q.order_by(f.c.outstanding.desc(), f.c.due_on,
                                              f.c.number).limit(limit))

    # ----------------------------------------------------------------- people and weeks

    def leaderboard(self, scope: Scope, period: Window, currency: str,
                    limit: int) -> list[dict[str, Any]]:
        u, d, a, lead = t.users, t.deals, t.activities, t.leads
        won = (select(d.c.owner_id, func.count().label("won"),
                      func.sum(case((d.c.currency == currency, d.c.amount), else_=null()))
                      .label("amount"))
               .where(d.c.status == WON, _in(d.c.closed_at, period, instants=True))
               .group_by(d.c.owner_id).subquery())
        acts = (select(a.c.user_id, func.count().label("activities"))
                .where(_in(a.c.at, period, instants=True)).group_by(a.c.user_id).subquery())
        leads = (select(lead.c.owner_id, func.count().label("leads"))
                 .where(_in(lead.c.created_at, period, instants=True))
                 .group_by(lead.c.owner_id).subquery())
        amount = _money(func.coalesce(won.c.amount, 0))
        won_count = func.coalesce(won.c.won, 0)
        activities = func.coalesce(acts.c.activities, 0)
        q = (select(u.c.id.label("user_id"), u.c.display_name.label("name"),
                    won_count.label("won"), amount.label("won_amount"),
                    activities.label("activities"),
                    func.coalesce(leads.c.leads, 0).label("leads"))
             .select_from(u.outerjoin(won, won.c.owner_id == u.c.id)
                          .outerjoin(acts, acts.c.user_id == u.c.id)
                          .outerjoin(leads, leads.c.owner_id == u.c.id))
             .where(u.c.active.is_(True), u.c.role.in_(["rep", "manager"])))
        q = _owned(q, scope, u.c.id, u.c.team)
        q = q.order_by(amount.desc(), won_count.desc(), activities.desc(), u.c.id).limit(limit)
        return _rows(self.session, q)

    def stale(self, scope: Scope, before: datetime, limit: int) -> list[dict[str, Any]]:
        d = t.deals
        q = (select(d.c.id, d.c.title, t.customers.c.name.label("customer"),
                    t.users.c.display_name.label("owner"), d.c.stage, d.c.amount, d.c.currency,
                    d.c.last_activity_at)
             .join(t.customers, t.customers.c.id == d.c.customer_id)
             .join(t.users, t.users.c.id == d.c.owner_id)
             .where(d.c.status == OPEN, d.c.last_activity_at < before))
        q = _owned(q, scope, d.c.owner_id, d.c.team)
        return _rows(self.session, q.order_by(d.c.last_activity_at, d.c.id).limit(limit))

    def stale_count(self, scope: Scope, before: datetime) -> int:
        d = t.deals
        q = select(func.count()).select_from(d).where(d.c.status == OPEN,
                                                      d.c.last_activity_at < before)
        return int(self.session.scalar(_owned(q, scope, d.c.owner_id, d.c.team)) or 0)

    def stage_moves(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        s, d = t.stage_changes, t.deals
        q = (select(s.c.to_stage.label("stage"), func.count().label("moves"))
             .join(d, d.c.id == s.c.deal_id)
             .where(_in(s.c.at, period, instants=True), s.c.from_stage.is_not(None),
                    s.c.to_stage.not_in([WON, LOST])))
        q = _owned(q, scope, d.c.owner_id, d.c.team)
        return _rows(self.session, q.group_by(s.c.to_stage).order_by(s.c.to_stage))

    def new_deals(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        d = t.deals
        q = _owned(select(d.c.currency, func.count().label("deals"),
                          _sum_money(d.c.amount).label("amount"))
                   .where(_in(d.c.created_at, period, instants=True)),
                   scope, d.c.owner_id, d.c.team)
        return _rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    # ----------------------------------------------------------------- bookkeeping

    def spend_of(self, source: str, month: date) -> list[dict[str, Any]]:
        s = spend_table
        q = (select(s.c.currency, _sum_money(s.c.amount).label("amount"),
                    func.count().label("entries"))
             .where(s.c.source == source, s.c.month == month)
             .group_by(s.c.currency).order_by(s.c.currency))
        return _rows(self.session, q)

    def queued(self, dedupe_keys: Sequence[str]) -> set[str]:
        if not dedupe_keys:
            return set()
        o = t.outbox
        return set(self.session.scalars(select(o.c.dedupe_key)
                                        .where(o.c.dedupe_key.in_(list(dedupe_keys)))))

    # ----------------------------------------------------------------- exports

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
        q = (select(_ref("deal", d.c.id), d.c.title, t.customers.c.name,
                    t.users.c.display_name, d.c.team, d.c.stage, d.c.status, d.c.currency,
                    d.c.amount, d.c.probability, d.c.close_date, d.c.source, d.c.created_at,
                    d.c.closed_at, d.c.last_activity_at, d.c.lost_reason)
             .join(t.customers, t.customers.c.id == d.c.customer_id)
             .join(t.users, t.users.c.id == d.c.owner_id))
        if period is not None:
            q = q.where(_in(d.c.created_at, period, instants=True))
        return _owned(q, scope, d.c.owner_id, d.c.team).order_by(d.c.id)

    @staticmethod
    def _export_invoices(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        f = invoice_facts(today)
        owner = aliased(t.users)
        q = (select(f.c.number, t.customers.c.name, _ref("order", f.c.order_id),
                    owner.c.display_name, f.c.team, f.c.currency, f.c.total, f.c.paid,
                    f.c.credited, f.c.outstanding, f.c.status, f.c.issued_on, f.c.due_on)
             .join(t.customers, t.customers.c.id == f.c.customer_id)
             .join(owner, owner.c.id == f.c.owner_id))
        if period is not None:
            q = q.where(_in(f.c.issued_on, period, instants=False))
        return _cash_owned(q, scope, f).order_by(f.c.year, f.c.seq)

    @staticmethod
    def _export_payments(scope: Scope, period: Window | None, today: date) -> Select[Any]:
        p, a, i = c.payments, c.allocations, c.invoices
        allocated = _money(select(func.coalesce(func.sum(a.c.amount), 0))
                           .where(a.c.payment_id == p.c.id).scalar_subquery())
        owner = aliased(t.users)
        q = (select(_ref("payment", p.c.id), t.customers.c.name, owner.c.display_name, p.c.currency,
                    p.c.amount, allocated, _money(p.c.amount - allocated), p.c.received_on,
                    p.c.method, p.c.ref, i.c.number)
             .join(t.customers, t.customers.c.id == p.c.customer_id)
             .join(owner, owner.c.id == p.c.owner_id)
             .outerjoin(i, i.c.id == p.c.invoice_id))
        if period is not None:
            q = q.where(_in(p.c.received_on, period, instants=False))
        return _cash_owned(q, scope, p).order_by(p.c.id)

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
            q = q.where(_in(a.c.at, period, instants=True))
        return _owned(q, scope, a.c.user_id, t.users.c.team).order_by(a.c.id)
