"""/find in SQL: tokens matched against the search terms by index range scans, narrowed to
what the reader may see inside the index, ranked, one page at a time.

Each token is looked up as a range [token, next string) on the term index of everyone, of one
owner or of one team (the terms carry the owner and team their record is read by), taking at
most CANDIDATES terms in index order: an exact term sorts first, so a broad word like 北京
costs as little as a rare one and still shows its closest matches (the reply then says to
narrow it down). A record matches when every token hits one of its terms; its score adds each
token's best hit: an exact phone or e-mail 10, an exact name word 6, the last digits of a phone
5, the start of a phone or e-mail 4, the start of a name word 2. Only the matched records are
joined to their tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from domain.search import EMAIL, PHONE, TAIL, Token
from handlers.unit_of_work import Page
from storage import tables as t
from storage.tables_search import search_terms

KIND_ORDER = {"customer": 0, "contact": 1, "lead": 2, "deal": 3}


def following(prefix: str) -> str:
    """The least string above every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """The column starts with `prefix`, as a range an index answers."""
    return and_(column >= prefix, column < following(prefix))



CANDIDATES = 2000


def _range(prefix: str, fields: Any, owner_id: int | None, team: str | None) -> Any:
    """The first CANDIDATES terms starting with `prefix` that the reader may see."""
    s = search_terms
    query = select(s.c.kind, s.c.record_id, s.c.field, s.c.term).where(
        starts_with(s.c.term, prefix), fields)
    if owner_id is not None:
        query = query.where(s.c.owner_id == owner_id)
    if team is not None:
        query = query.where(s.c.team == team)
    return query.order_by(s.c.term).limit(CANDIDATES)


def _ranges(token: Token, owner_id: int | None, team: str | None) -> list[Any]:
    s = search_terms
    ranges = [_range(token.prefix, s.c.field != TAIL, owner_id, team)]
    if token.tail:
        ranges.append(_range(token.tail, s.c.field == TAIL, owner_id, team))
    return ranges


def _hits(number: int, token: Token, owner_id: int | None, team: str | None) -> Any:
    terms = union_all(*[select(r.subquery()) for r in _ranges(token, owner_id, team)]
                      ).subquery()
    score = case(
        (and_(terms.c.term == token.prefix, terms.c.field.in_([PHONE, EMAIL])), 10),
        (terms.c.term == token.prefix, 6),
        (terms.c.field == TAIL, 5),
        (terms.c.field.in_([PHONE, EMAIL]), 4),
        else_=2)
    return (select(terms.c.kind, terms.c.record_id, literal(number).label("token"),
                   func.max(score).label("score"))
            .group_by(terms.c.kind, terms.c.record_id))


def _broad(session: Session, tokens: Sequence[Token], owner_id: int | None,
           team: str | None) -> bool:
    """Whether a token has more terms than are taken (each count stops at the limit)."""
    return any(session.execute(select(func.count()).select_from(r.subquery())).scalar_one()
               >= CANDIDATES for token in tokens for r in _ranges(token, owner_id, team))


def find(session: Session, tokens: Sequence[Token], *, owner_id: int | None,
         team: str | None, page: int, per_page: int) -> Page:
    """Leads, customers, contacts and deals matching every token, best first."""
    hits = union_all(*[_hits(n, token, owner_id, team) for n, token in enumerate(tokens)]
                     ).subquery()
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
    rank = case(*[(kind == k, n) for k, n in KIND_ORDER.items()], else_=9)
    query = query.order_by(matched.c.score.desc(), rank, matched.c.record_id.desc())
    page = max(page, 1)
    rows = session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).mappings()
    found = [dict(r) for r in rows]
    return Page(rows=found[:per_page], page=page, has_more=len(found) > per_page,
                capped=_broad(session, tokens, owner_id, team))
