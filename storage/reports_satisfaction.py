"""Satisfaction in SQL: NPS and the response rate of a period, and the new detractors a
manager's digest names; by the owner and team of the customer answering."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from domain.model.satisfaction import DETRACTOR, PROMOTER
from domain.reports import Scope, Window
from storage import tables as t
from storage.report_sql import fetch_rows, owned_by, within
from storage.tables_products import surveys as s


class SatisfactionReports:
    """NPS figures; part of `SqlReports`."""

    session: Session

    def satisfaction(self, scope: Scope, period: Window) -> dict[str, Any]:
        cu = t.customers
        answered_in = within(s.c.answered_at, period, instants=True)
        asked_in = and_(within(s.c.asked_at, period, instants=True), s.c.source == "chat")
        q = select(
            func.count().filter(answered_in).label("answered"),
            func.count().filter(answered_in, s.c.score >= PROMOTER).label("promoters"),
            func.count().filter(answered_in, s.c.score <= DETRACTOR).label("detractors"),
            func.count().filter(asked_in).label("asked"),
            func.count().filter(asked_in, s.c.score.is_not(None)).label("asked_answered"),
        ).select_from(s.join(cu, cu.c.id == s.c.customer_id))
        q = owned_by(q, scope, cu.c.owner_id, cu.c.team)
        row = fetch_rows(self.session, q)[0]
        return {key: int(value or 0) for key, value in row.items()}

    def detractors(self, scope: Scope, period: Window, limit: int) -> list[dict[str, Any]]:
        cu = t.customers
        q = (select(cu.c.id.label("customer_id"), cu.c.name.label("customer"), s.c.score,
                    s.c.comment, s.c.answered_at)
             .select_from(s.join(cu, cu.c.id == s.c.customer_id))
             .where(within(s.c.answered_at, period, instants=True),
                    s.c.score <= DETRACTOR)
             .order_by(case((s.c.score.is_(None), 99), else_=s.c.score), s.c.answered_at)
             .limit(limit))
        return fetch_rows(self.session, owned_by(q, scope, cu.c.owner_id, cu.c.team))
