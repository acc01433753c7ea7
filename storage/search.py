"""/find in SQL: tokens matched against the search terms by index range scans, ranked, narrowed
to what the reader may see, one page at a time.

Each token is looked up as a range [token, next string) on the term index; a record matches
when every token hits one of its terms. Its score adds each token's best hit: an exact phone
or e-mail 10, an exact name word 6, the last digits of a phone 5, the start of a phone or
e-mail 4, the start of a name word 2. Only the matched records are joined to their tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from domain.search import EMAIL, PHONE, TAIL, Token
from domain.unit_of_work import Page
from storage import tables as t
from storage.tables_search import search_terms

KIND_ORDER = {"customer": 0, "contact": 1, "lead": 2, "deal": 3}


def _following(prefix: str) -> str:
    """The least string above every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < _following(prefix))


def _hits(number: int, token: Token) -> Any:
    s = search_terms
    found = and_(_starts(s.c.term, token.prefix), s.c.field != TAIL)
    if token.tail:
        found = found | and_(_starts(s.c.term, token.tail), s.c.field == TAIL)
    score = case(
        (and_(s.c.term == token.prefix, s.c.field.in_([PHONE, EMAIL])), 10),
        (s.c.term == token.prefix, 6),
        (s.c.field == TAIL, 5),
        (s.c.field.in_([PHONE, EMAIL]), 4),
        else_=2)
    return (select(s.c.kind, s.c.record_id, literal(number).label("token"),
                   func.max(score).label("score"))
            .where(found).group_by(s.c.kind, s.c.record_id))


def find(session: Session, tokens: Sequence[Token], *, owner_id: int | None,
         team: str | None, page: int, per_page: int) -> Page:
    """Leads, customers, contacts and deals matching every token, best first."""
    hits = union_all(*[_hits(n, token) for n, token in enumerate(tokens)]).subquery()
    matched = (select(hits.c.kind, hits.c.record_id, func.sum(hits.c.score).label("score"))
               .group_by(hits.c.kind, hits.c.record_id)
               .having(func.count() == len(tokens)).subquery())
    lead, customer, contact, deal = t.leads, t.customers, t.contacts, t.deals
    account = aliased(t.customers)  # the customer of a contact or a deal
    kind = matched.c.kind

    def per_kind(lead_col: Any, customer_col: Any, contact_col: Any, deal_col: Any) -> Any:
        return case((kind == "lead", lead_col), (kind == "customer", customer_col),
                    (kind == "contact", contact_col), else_=deal_col)

    owner = per_kind(lead.c.owner_id, customer.c.owner_id, account.c.owner_id, deal.c.owner_id)
    owner_team = per_kind(lead.c.team, customer.c.team, account.c.team, deal.c.team)
    query = (
        select(kind, matched.c.record_id.label("id"), matched.c.score,
               per_kind(lead.c.company, customer.c.name, contact.c.name, deal.c.title)
               .label("name"),
               per_kind(lead.c.phone, customer.c.phone, contact.c.phone, None).label("phone"),
               per_kind(lead.c.email, customer.c.email, contact.c.email, None).label("email"),
               lead.c.contact, lead.c.status.label("lead_status"), contact.c.title,
               account.c.id.label("customer_id"), account.c.name.label("customer"),
               deal.c.stage, deal.c.status.label("deal_status"), deal.c.amount, deal.c.currency,
               t.users.c.display_name.label("owner"))
        .select_from(
            matched.outerjoin(lead, and_(kind == "lead", lead.c.id == matched.c.record_id))
            .outerjoin(customer, and_(kind == "customer", customer.c.id == matched.c.record_id))
            .outerjoin(contact, and_(kind == "contact", contact.c.id == matched.c.record_id))
            .outerjoin(deal, and_(kind == "deal", deal.c.id == matched.c.record_id))
            .outerjoin(account, account.c.id == func.coalesce(contact.c.customer_id,
                                                              deal.c.customer_id))
            .outerjoin(t.users, t.users.c.id == owner))
        .where(owner.is_not(None)))
    if owner_id is not None:
        query = query.where(owner == owner_id)
    if team is not None:
        query = query.where(owner_team == team)
    rank = case(*[(kind == k, n) for k, n in KIND_ORDER.items()], else_=9)
    query = query.order_by(matched.c.score.desc(), rank, matched.c.record_id.desc())
    page = max(page, 1)
    rows = session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).mappings()
    found = [dict(r) for r in rows]
    return Page(rows=found[:per_page], page=page, has_more=len(found) > per_page)
