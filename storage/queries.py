"""Read-side SQL for lists and cards: indexed, paginated, one statement each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.model.deals import DealStatus
from domain.model.reminders import ReminderStatus
from domain.names import normalise_company
from domain.opening_balances import TITLE_PREFIX
from domain.search import Token
from handlers.unit_of_work import Page
from storage import history, search
from storage import tables as t
from storage.prebuilt import LIMIT, page_of, paged


def _page(session: Session, query: Select[Any], page: int, per_page: int) -> Page:
    return page_of(session, paged(query), {}, page, per_page)


# The statements of the commonest cards and lists, built once (see storage.prebuilt).
_ID = bindparam("id", type_=Integer)


@cache
def _reminders_open() -> Select[Any]:
    r = t.reminders
    return paged(select(r.c.id, r.c.text, r.c.due_at, r.c.ref_number)
                 .where(r.c.user_id == _ID, r.c.status == ReminderStatus.OPEN)
                 .order_by(r.c.due_at, r.c.id))


@cache
def _deal_history() -> Select[Any]:
    """Stage moves and activities of a deal, newest first; each branch is limited first, so a
    deal with 10k activities sorts only `limit` rows."""
    s, a = t.stage_changes, t.activities
    moves = select(s.c.at, s.c.to_stage.label("stage"), s.c.from_stage,
                   literal(None, t.activities.c.kind.type).label("kind"),
                   literal(None, a.c.text.type).label("text"),
                   t.users.c.display_name.label("user")
                   ).join(t.users, t.users.c.id == s.c.user_id).where(s.c.deal_id == _ID)
    acts = select(a.c.at, literal(None, s.c.to_stage.type).label("stage"),
                  literal(None, s.c.from_stage.type).label("from_stage"),
                  a.c.kind, a.c.text, t.users.c.display_name.label("user")
                  ).join(t.users, t.users.c.id == a.c.user_id).where(a.c.deal_id == _ID)
    moves_top = moves.order_by(s.c.at.desc()).limit(LIMIT).subquery()
    acts_top = acts.order_by(a.c.at.desc()).limit(LIMIT).subquery()
    union = select(moves_top).union_all(select(acts_top)).subquery()
    return select(union).order_by(union.c.at.desc()).limit(LIMIT)


@cache
def _quotes_of_deal() -> Select[Any]:
    q = t.quotes
    return (select(q.c.id, q.c.status, q.c.total, q.c.currency, q.c.valid_until,
                   q.c.discount_pct).where(q.c.deal_id == _ID).order_by(q.c.id))


class SqlQueries:
    """Implements handlers.unit_of_work.Queries."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def leads(self, *, owner_id: int | None, team: str | None, status: str | None,
              page: int, per_page: int, by_score: bool = False) -> Page:
        q = select(t.leads.c.id, t.leads.c.company, t.leads.c.contact, t.leads.c.source,
                   t.leads.c.phone, t.leads.c.status, t.leads.c.created_at, t.leads.c.score,
                   t.leads.c.in_pool, t.users.c.display_name.label("owner")
                   ).join(t.users, t.users.c.id == t.leads.c.owner_id)
        if owner_id is not None:  # a pooled lead is no longer its previous owner's
            q = q.where(t.leads.c.in_pool.is_(False))
        if owner_id is not None:
            q = q.where(t.leads.c.owner_id == owner_id)
        if team is not None:
            q = q.where(t.leads.c.team == team)
        if status is not None:
            q = q.where(t.leads.c.status == status)
        order = (t.leads.c.score.desc(), t.leads.c.id.desc()) if by_score \
            else (t.leads.c.id.desc(),)
        return _page(self.session, q.order_by(*order), page, per_page)

    def contact_points(self, kind: str) -> list[tuple[int, str, str | None, str | None]]:
        if kind == "lead":
            c = t.leads.c
            q = select(c.id, c.company, c.phone, c.email).where(c.status == "new")
        else:
            c = t.customers.c
            q = select(c.id, c.name, c.phone, c.email)
        return [(r[0], r[1], r[2], r[3]) for r in self.session.execute(q)]

    def opening_balances(self) -> dict[str, int]:
        d = t.deals.c
        rows = self.session.execute(select(d.id, d.title)
                                    .where(d.title.like(f"{TITLE_PREFIX}%")))
        return {r.title[len(TITLE_PREFIX):]: r.id for r in rows}

    def pool(self, *, team: str | None, source: str | None, page: int,
             per_page: int) -> Page:
        """Leads and customers in the pool (of `team` and of no team; all when None), the
        longest there first: kind, id, name, source, score, pooled_at, previous owner."""
        lead, cust, prev = t.leads, t.customers, t.users.alias("previous")
        leads = select(literal("lead").label("kind"), lead.c.id, lead.c.company.label("name"),
                       lead.c.source, lead.c.score, lead.c.pooled_at, lead.c.team,
                       lead.c.pool_reason, prev.c.display_name.label("previous")
                       ).outerjoin(prev, prev.c.id == lead.c.previous_owner_id
                       ).where(lead.c.in_pool.is_(True), lead.c.status == "new")
        customers = select(literal("customer").label("kind"), cust.c.id,
                           cust.c.name.label("name"), literal(None, lead.c.source.type)
                           .label("source"), literal(0).label("score"), cust.c.pooled_at,
                           cust.c.team, cust.c.pool_reason,
                           prev.c.display_name.label("previous")
                           ).outerjoin(prev, prev.c.id == cust.c.previous_owner_id
                           ).where(cust.c.in_pool.is_(True))
        if team is not None:
            leads = leads.where((lead.c.team == team) | lead.c.team.is_(None))
            customers = customers.where((cust.c.team == team) | cust.c.team.is_(None))
        if source is not None:
            leads = leads.where(lead.c.source == source)
            customers = customers.where(literal(False))
        both = leads.union_all(customers).subquery()
        q = select(both).order_by(both.c.pooled_at, both.c.kind, both.c.id)
        return _page(self.session, q, page, per_page)

    def deals(self, *, owner_id: int | None, team: str | None, stage: str | None,
              page: int, per_page: int) -> Page:
        d = t.deals
        q = select(d.c.id, d.c.title, d.c.stage, d.c.status, d.c.amount, d.c.currency,
                   d.c.probability, d.c.close_date, t.customers.c.name.label("customer"),
                   t.users.c.display_name.label("owner")
                   ).join(t.customers, t.customers.c.id == d.c.customer_id
                   ).join(t.users, t.users.c.id == d.c.owner_id)
        if owner_id is not None:
            q = q.where(d.c.owner_id == owner_id)
        if team is not None:
            q = q.where(d.c.team == team)
        if stage in (DealStatus.WON, DealStatus.LOST):
            q = q.where(d.c.status == stage)
        elif stage is not None:
            q = q.where(d.c.status == DealStatus.OPEN, d.c.stage == stage)
        else:
            q = q.where(d.c.status == DealStatus.OPEN)
        return _page(self.session, q.order_by(d.c.id.desc()), page, per_page)

    def deal_history(self, deal_id: int, limit: int) -> list[dict[str, Any]]:
        """Stage moves and activities of a deal, newest first."""
        rows = self.session.execute(_deal_history(), {"id": deal_id, "limit": limit})
        return [dict(r) for r in rows.mappings()]

    def reminders_open(self, user_id: int, page: int, per_page: int) -> Page:
        return page_of(self.session, _reminders_open(), {"id": user_id}, page, per_page)

    def users(self) -> list[dict[str, Any]]:
        u = t.users
        linked = select(func.count()).select_from(t.identities).where(
            t.identities.c.user_id == u.c.id).scalar_subquery()
        rows = self.session.execute(
            select(u.c.id, u.c.username, u.c.display_name, u.c.role, u.c.team, u.c.locale,
                   u.c.timezone, u.c.active, linked.label("linked")).order_by(u.c.id)
        ).mappings()
        return [dict(r) for r in rows]

    def quotes_of_deal(self, deal_id: int) -> list[dict[str, Any]]:
        rows = self.session.execute(_quotes_of_deal(), {"id": deal_id}).mappings()
        return [dict(r) for r in rows]

    def deal_totals(self, deal_id: int) -> dict[str, Decimal]:
        o = t.orders
        total = self.session.scalar(select(func.sum(o.c.total)).where(o.c.deal_id == deal_id))
        return {"ordered": total or Decimal(0)}

    def last_activity(self, customer_id: int) -> datetime | None:
        a = t.activities
        return self.session.scalar(select(func.max(a.c.at)).where(a.c.customer_id == customer_id))

    def named(self, kind: str, text: str, *, owner_id: int | None, team: str | None,
              limit: int) -> list[tuple[int, str]]:
        table = t.customers if kind == "customer" else t.deals
        name = table.c.name if kind == "customer" else table.c.title
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found: ColumnElement[bool] = name.ilike(pattern, escape="\\")
        by_key = kind == "customer" and not text.isascii()
        if by_key:
            # Chinese is also compared by the name's key, so "華為" finds 华为技术有限公司.
            found = found | table.c.name_key.contains(normalise_company(text), autoescape=True)
        q = select(table.c.id, name).where(found)
        if owner_id is not None:
            q = q.where(table.c.owner_id == owner_id)
        if team is not None:
            q = q.where(table.c.team == team)
        same: ColumnElement[bool] = func.lower(name) == text.lower()
        if by_key:
            same = same | (table.c.name_key == normalise_company(text))
        exact = [(r[0], r[1]) for r in self.session.execute(q.where(same).limit(2))]
        if len(exact) == 1:
            return exact
        return [(r[0], r[1]) for r in self.session.execute(q.order_by(table.c.id).limit(limit))]

    def find(self, tokens: Sequence[Token], *, owner_id: int | None, team: str | None,
             page: int, per_page: int) -> Page:
        return search.find(self.session, tokens, owner_id=owner_id, team=team, page=page,
                           per_page=per_page)

    def history(self, entries: Sequence[tuple[str, int]], page: int, per_page: int) -> Page:
        return history.history(self.session, entries, page, per_page)
