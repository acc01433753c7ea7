"""The report aggregates in SQL: pipeline, forecast, funnel, KPIs, leaders, digests (the
cash side in `reports_cash`, the CSV exports in `exports`).

Each method is one or a few GROUP BY statements; rows never come back to be added up in
Python (but for the pipeline's totals, added from its few rows per stage). Periods arrive as
`Window`s (days and UTC instants), so grouping by month or week is a CASE over bound limits
and reads the same on SQLite and PostgreSQL, across DST changes too.
Money sums are exact on both: NUMERIC on PostgreSQL, scaled integers on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import localcontext
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from domain.model.deals import DealStatus
from domain.model.leads import LeadStatus
from domain.reports import Scope, Window
from storage import tables as t
from storage.exports import Exports
from storage.prebuilt import LIMIT
from storage.queries_cash import ZERO, _money
from storage.report_sql import (
    EXACT_DIGITS,
    bucket,
    count_if,
    epoch_seconds,
    fetch_rows,
    owned_by,
    scope_params,
    scoped,
    span_of,
    sum_money,
    weighted_sum,
    within,
)
from storage.reports_cash import CashReports
from storage.reports_satisfaction import SatisfactionReports
from storage.tables_reports import spend as spend_table
from storage.types import UTCDateTime

WON, LOST, OPEN = DealStatus.WON.value, DealStatus.LOST.value, DealStatus.OPEN.value


# --------------------------------------------------------------------------- built once


@cache
def _pipeline(by_owner: bool, by_team: bool, dated: bool) -> Select[Any]:
    """Open deals per stage and currency; `dated`: expected to close in [close_start,
    close_end)."""
    d = t.deals
    keys = (d.c.stage, d.c.currency)
    q = select(*keys, func.count().label("deals"), sum_money(d.c.amount).label("amount"),
               weighted_sum(d.c.amount, d.c.probability).label("weighted")
               ).where(d.c.status == OPEN)
    if dated:
        q = q.where(d.c.close_date >= bindparam("close_start", type_=Date),
                    d.c.close_date < bindparam("close_end", type_=Date))
    return scoped(q, by_owner, by_team, d.c.owner_id, d.c.team).group_by(*keys).order_by(*keys)


_BEFORE = bindparam("before", type_=UTCDateTime)
_SINCE = bindparam("since", type_=UTCDateTime)
_UNTIL = bindparam("until", type_=UTCDateTime)


@cache
def _closed(by_owner: bool, by_team: bool) -> Select[Any]:
    """Deals won and lost in [since, until), and the seconds from lead to won."""
    d, lead = t.deals, t.leads
    started = func.coalesce(lead.c.created_at, d.c.created_at)
    cycle = epoch_seconds(d.c.closed_at) - epoch_seconds(started)
    # A deal entered after its order was signed tells nothing of how long selling took.
    cycled = and_(d.c.status == WON, d.c.closed_at >= started)
    q = select(
        count_if(d.c.status == WON).label("won"),
        count_if(d.c.status == LOST).label("lost"),
        count_if(cycled).label("cycled"),
        func.sum(case((cycled, cycle), else_=null())).label("cycle_seconds"),
    ).select_from(d.outerjoin(lead, lead.c.id == d.c.lead_id)).where(
        d.c.status.in_([WON, LOST]), d.c.closed_at >= _SINCE, d.c.closed_at < _UNTIL)
    return scoped(q, by_owner, by_team, d.c.owner_id, d.c.team)


@cache
def _stale(by_owner: bool, by_team: bool) -> Select[Any]:
    """Open deals without an activity since `before`, the longest quiet first."""
    d = t.deals
    q = (select(d.c.id, d.c.title, t.customers.c.name.label("customer"),
                t.users.c.display_name.label("owner"), d.c.stage, d.c.amount, d.c.currency,
                d.c.last_activity_at)
         .join(t.customers, t.customers.c.id == d.c.customer_id)
         .join(t.users, t.users.c.id == d.c.owner_id)
         .where(d.c.status == OPEN, d.c.last_activity_at < _BEFORE))
    q = scoped(q, by_owner, by_team, d.c.owner_id, d.c.team)
    return q.order_by(d.c.last_activity_at, d.c.id).limit(LIMIT)


@cache
def _stale_count(by_owner: bool, by_team: bool) -> Select[Any]:
    d = t.deals
    q = select(func.count()).select_from(d).where(d.c.status == OPEN,
                                                  d.c.last_activity_at < _BEFORE)
    return scoped(q, by_owner, by_team, d.c.owner_id, d.c.team)


# --------------------------------------------------------------------------- the reports


class SqlReports(CashReports, Exports, SatisfactionReports):
    """Implements handlers.unit_of_work.Reports, and with it the domain's DigestFigures (the
    cash side and the exports in their own files)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ----------------------------------------------------------------- pipeline, forecast

    def pipeline(self, scope: Scope, close: Window | None) -> list[dict[str, Any]]:
        """Open deals per stage and currency, then per currency (`stage` None). The totals
        are added up from the stage rows (a handful per currency), exactly, rather than read
        by a second pass over the deals."""
        params = scope_params(scope)
        if close is not None:
            params.update(close_start=close.start, close_end=close.end)
        q = _pipeline(scope.owner_id is not None, scope.team is not None, close is not None)
        stages = [dict(r) for r in self.session.execute(q, params).mappings()]
        totals: dict[str, dict[str, Any]] = {}
        with localcontext() as exact:
            exact.prec = EXACT_DIGITS
            for row in stages:
                total = totals.get(row["currency"])
                if total is None:
                    totals[row["currency"]] = {"stage": None, "currency": row["currency"],
                                               "deals": row["deals"], "amount": row["amount"],
                                               "weighted": row["weighted"]}
                else:
                    total["deals"] += row["deals"]
                    total["amount"] += row["amount"]
                    total["weighted"] += row["weighted"]
        return stages + [totals[k] for k in sorted(totals)]

    def forecast(self, scope: Scope, months: Sequence[Window]) -> list[dict[str, Any]]:
        if not months:
            return []
        d, span = t.deals, span_of(months)
        expected = owned_by(select(
            bucket(d.c.close_date, months, instants=False).label("month"), d.c.currency,
            d.c.amount, d.c.probability,
        ).where(d.c.status == OPEN, within(d.c.close_date, span, instants=False)),
            scope, d.c.owner_id, d.c.team).subquery()
        won = owned_by(select(
            bucket(d.c.closed_at, months, instants=True).label("month"), d.c.currency,
            d.c.amount,
        ).where(d.c.status == WON, within(d.c.closed_at, span, instants=True)),
            scope, d.c.owner_id, d.c.team).subquery()
        found: dict[tuple[str, str], dict[str, Any]] = {}

        def row(month: str, currency: str) -> dict[str, Any]:
            return found.setdefault((month, currency), {
                "month": month, "currency": currency, "open_deals": 0, "open_amount": ZERO,
                "weighted": ZERO, "won_deals": 0, "won_amount": ZERO})

        for r in self.session.execute(
            select(expected.c.month, expected.c.currency, func.count().label("deals"),
                   sum_money(expected.c.amount).label("amount"),
                   weighted_sum(expected.c.amount, expected.c.probability).label("weighted"))
            .group_by(expected.c.month, expected.c.currency)
        ).mappings():
            row(r["month"], r["currency"]).update(open_deals=r["deals"],
                                                  open_amount=r["amount"],
                                                  weighted=r["weighted"])
        for r in self.session.execute(
            select(won.c.month, won.c.currency, func.count().label("deals"),
                   sum_money(won.c.amount).label("amount"))
            .group_by(won.c.month, won.c.currency)
        ).mappings():
            row(r["month"], r["currency"]).update(won_deals=r["deals"], won_amount=r["amount"])
        return [found[k] for k in sorted(found)]

    def undated(self, scope: Scope) -> list[dict[str, Any]]:
        d = t.deals
        q = select(d.c.currency, func.count().label("deals"),
                   sum_money(d.c.amount).label("amount"),
                   weighted_sum(d.c.amount, d.c.probability).label("weighted")
                   ).where(d.c.status == OPEN, d.c.close_date.is_(None))
        q = owned_by(q, scope, d.c.owner_id, d.c.team)
        return fetch_rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    # ----------------------------------------------------------------- funnel and KPIs

    def funnel(self, scope: Scope, period: Window, by: str,
               buckets: Sequence[Window] = (), bands: tuple[int, int] = (60, 30)
               ) -> list[dict[str, Any]]:
        lead, deal = t.leads, t.deals
        if by == "source":
            key: ColumnElement[Any] = lead.c.source
        elif by == "score":
            key = case((lead.c.score >= bands[0], "1hot"), (lead.c.score >= bands[1], "2warm"),
                       else_="3cold")
        elif by == "month":
            key = bucket(lead.c.created_at, buckets, instants=True)
        else:
            key = literal("all", String())
        # A won deal has passed the quote stage even without a quote on file: stages nest.
        # The status first: both databases evaluate this OR in order, so won deals skip the
        # quotes lookup.
        quoted = or_(deal.c.status == WON, exists().where(t.quotes.c.deal_id == lead.c.deal_id))
        inner = owned_by(select(
            key.label("key"),
            case((lead.c.status == LeadStatus.QUALIFIED.value, 1), else_=0).label("qualified"),
            case((quoted, 1), else_=0).label("quoted"),
            case((deal.c.status == WON, 1), else_=0).label("won"),
        ).select_from(lead.outerjoin(deal, deal.c.id == lead.c.deal_id))
            .where(within(lead.c.created_at, period, instants=True)),
            scope, lead.c.owner_id, lead.c.team).subquery()
        q = select(inner.c.key, func.count().label("leads"),
                   func.sum(inner.c.qualified).label("qualified"),
                   func.sum(inner.c.quoted).label("quoted"),
                   func.sum(inner.c.won).label("won")
                   ).group_by(inner.c.key).order_by(inner.c.key.is_(None), inner.c.key)
        return [{**r, "qualified": int(r["qualified"]), "quoted": int(r["quoted"]),
                 "won": int(r["won"])} for r in fetch_rows(self.session, q)]

    def closed(self, scope: Scope, period: Window) -> dict[str, Any]:
        q = _closed(scope.owner_id is not None, scope.team is not None)
        r = self.session.execute(q, {**scope_params(scope), "since": period.since,
                                     "until": period.until}).mappings().one()
        seconds = r["cycle_seconds"]
        return {"won": int(r["won"]), "lost": int(r["lost"]), "cycle_deals": int(r["cycled"]),
                "cycle_seconds": int(seconds) if seconds is not None else None}

    def won_value(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        d = t.deals
        q = owned_by(select(d.c.currency, func.count().label("deals"),
                          func.count(d.c.amount).label("priced"),
                          sum_money(d.c.amount).label("amount"))
                   .where(d.c.status == WON, within(d.c.closed_at, period, instants=True)),
                   scope, d.c.owner_id, d.c.team)
        return fetch_rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    def lead_response(self, scope: Scope, period: Window) -> dict[str, Any]:
        lead, a = t.leads, t.activities
        first = (select(func.min(a.c.at)).where(a.c.lead_id == lead.c.id,
                                                a.c.at >= lead.c.created_at)
                 .scalar_subquery())
        inner = owned_by(select(lead.c.created_at, first.label("first_at"))
                       .where(within(lead.c.created_at, period, instants=True)),
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
             .where(d.c.status == WON, within(d.c.closed_at, period, instants=True), ~earlier)
             .group_by(d.c.source).order_by(d.c.source.is_(None), d.c.source))
        return fetch_rows(self.session, q)

    def spend(self, period: Window) -> list[dict[str, Any]]:
        s = spend_table
        q = (select(s.c.source, s.c.currency, sum_money(s.c.amount).label("amount"))
             .where(s.c.month >= period.start.replace(day=1), s.c.month < period.end)
             .group_by(s.c.source, s.c.currency).order_by(s.c.source, s.c.currency))
        return fetch_rows(self.session, q)

    def customer_value(self, scope: Scope, until: date) -> list[dict[str, Any]]:
        o = t.orders
        q = owned_by(select(o.c.currency, sum_money(o.c.total).label("revenue"),
                          func.count(o.c.customer_id.distinct()).label("customers"))
                   .where(o.c.signed_on < until), scope, o.c.owner_id, o.c.team)
        return fetch_rows(self.session, q.group_by(o.c.currency).order_by(o.c.currency))

    def pool_figures(self, scope: Scope, period: Window) -> dict[str, int]:
        figures: dict[str, int] = {}
        for name, table, extra in (("leads", t.leads, t.leads.c.status == LeadStatus.NEW.value),
                                   ("customers", t.customers, literal(True))):
            c = table.c
            pooled = owned_by(select(func.count()).select_from(table)
                              .where(c.in_pool.is_(True), extra),
                              scope, c.previous_owner_id, c.team)
            figures[f"in_pool_{name}"] = int(self.session.scalar(pooled) or 0)
            taken = owned_by(select(func.count()).select_from(table)
                             .where(c.pool_reason.is_(None), c.pooled_at.is_not(None),
                                    within(c.pooled_at, period, instants=True)),
                             scope, c.previous_owner_id, c.team)
            figures[f"reclaimed_{name}"] = int(self.session.scalar(taken) or 0)
        figures["reclaimed"] = figures["reclaimed_leads"] + figures["reclaimed_customers"]
        return figures

    # ----------------------------------------------------------------- people and weeks

    def leaderboard(self, scope: Scope, period: Window, currency: str,
                    limit: int) -> list[dict[str, Any]]:
        u, d, a, lead = t.users, t.deals, t.activities, t.leads
        won = (select(d.c.owner_id, func.count().label("won"),
                      func.sum(case((d.c.currency == currency, d.c.amount), else_=null()))
                      .label("amount"))
               .where(d.c.status == WON, within(d.c.closed_at, period, instants=True))
               .group_by(d.c.owner_id).subquery())
        acts = (select(a.c.user_id, func.count().label("activities"))
                .where(within(a.c.at, period, instants=True)).group_by(a.c.user_id).subquery())
        leads = (select(lead.c.owner_id, func.count().label("leads"))
                 .where(within(lead.c.created_at, period, instants=True))
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
        q = owned_by(q, scope, u.c.id, u.c.team)
        q = q.order_by(amount.desc(), won_count.desc(), activities.desc(), u.c.id).limit(limit)
        return fetch_rows(self.session, q)

    def stale(self, scope: Scope, before: datetime, limit: int) -> list[dict[str, Any]]:
        q = _stale(scope.owner_id is not None, scope.team is not None)
        rows = self.session.execute(q, {**scope_params(scope), "before": before,
                                        "limit": limit}).mappings()
        return [dict(r) for r in rows]

    def stale_count(self, scope: Scope, before: datetime) -> int:
        q = _stale_count(scope.owner_id is not None, scope.team is not None)
        return int(self.session.scalar(q, {**scope_params(scope), "before": before}) or 0)

    def stage_moves(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        s, d = t.stage_changes, t.deals
        q = (select(s.c.to_stage.label("stage"), func.count().label("moves"))
             .join(d, d.c.id == s.c.deal_id)
             .where(within(s.c.at, period, instants=True), s.c.from_stage.is_not(None),
                    s.c.to_stage.not_in([WON, LOST])))
        q = owned_by(q, scope, d.c.owner_id, d.c.team)
        return fetch_rows(self.session, q.group_by(s.c.to_stage).order_by(s.c.to_stage))

    def new_deals(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        d = t.deals
        q = owned_by(select(d.c.currency, func.count().label("deals"),
                          sum_money(d.c.amount).label("amount"))
                   .where(within(d.c.created_at, period, instants=True)),
                   scope, d.c.owner_id, d.c.team)
        return fetch_rows(self.session, q.group_by(d.c.currency).order_by(d.c.currency))

    # ----------------------------------------------------------------- bookkeeping

    def spend_of(self, source: str, month: date) -> list[dict[str, Any]]:
        s = spend_table
        q = (select(s.c.currency, sum_money(s.c.amount).label("amount"),
                    func.count().label("entries"))
             .where(s.c.source == source, s.c.month == month)
             .group_by(s.c.currency).order_by(s.c.currency))
        return fetch_rows(self.session, q)

    def queued(self, dedupe_keys: Sequence[str]) -> set[str]:
        if not dedupe_keys:
            return set()
        o = t.outbox
        return set(self.session.scalars(select(o.c.dedupe_key)
                                        .where(o.c.dedupe_key.in_(list(dedupe_keys)))))
