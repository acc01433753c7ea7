"""Finding what an activity or reminder is about: a lead, customer, deal, quote or order."""

from __future__ import annotations

from typing import Any

from domain.errors import InvalidInput
from domain.model.subjects import KINDS, Subject
from domain.model.users import User
from domain.records import readable
from domain.references import reference
from domain.unit_of_work import UnitOfWork


def resolve_subject(uow: UnitOfWork, actor: User, kind: str, id_: int) -> Subject:
    """Load the record behind a reference and check the actor may read it."""
    if kind not in KINDS:
        raise InvalidInput("ref.wrong_kind", kinds=", ".join(reference(k, 12) for k in KINDS))
    return _subject(uow, kind, readable(uow, actor, kind, id_).entity)


def _subject(uow: UnitOfWork, kind: str, entity: Any) -> Subject:
    """The subject a loaded lead, customer, deal, quote or order makes."""
    id_ = entity.id or 0
    if kind == "lead":
        return Subject("lead", id_, entity.company, entity.owner_id, entity.team,
                       lead_id=id_, customer_id=entity.customer_id, deal_id=entity.deal_id)
    if kind == "customer":
        return Subject("customer", id_, entity.name, entity.owner_id, entity.team,
                       customer_id=id_)
    if kind == "deal":
        return Subject("deal", id_, entity.title, entity.owner_id, entity.team,
                       lead_id=entity.lead_id, customer_id=entity.customer_id, deal_id=id_)
    if kind == "quote":
        deal = uow.deals.get(entity.deal_id)
        return Subject("quote", id_, deal.title if deal else entity.number, entity.owner_id,
                       entity.team, customer_id=deal.customer_id if deal else None,
                       deal_id=entity.deal_id)
    return Subject("order", id_, entity.number, entity.owner_id, entity.team,
                   customer_id=entity.customer_id, deal_id=entity.deal_id)
