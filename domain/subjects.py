"""What an activity or reminder is about: a lead, customer, deal, quote or order."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import Forbidden, InvalidInput, NotFound
from domain.model.users import User
from domain.references import reference
from domain.unit_of_work import UnitOfWork

KINDS = ("lead", "customer", "deal", "quote", "order")


@dataclass(frozen=True)
class Subject:
    """A record that activities and reminders can point at, with its owner and customer."""

    kind: str
    id: int
    title: str
    owner_id: int
    team: str | None
    lead_id: int | None = None
    customer_id: int | None = None
    deal_id: int | None = None

    @property
    def number(self) -> str:
        return reference(self.kind, self.id)


def resolve_subject(uow: UnitOfWork, actor: User, kind: str, id_: int) -> Subject:
    """Load the record behind a reference and check the actor may read it."""
    subject = _load(uow, kind, id_)
    if subject is None:
        raise NotFound("ref.not_found", ref=reference(kind, id_))
    if not actor.can_read(subject.owner_id, subject.team):
        raise Forbidden("access.not_yours", ref=subject.number)
    return subject


def _load(uow: UnitOfWork, kind: str, id_: int) -> Subject | None:
    if kind == "lead":
        lead = uow.leads.get(id_)
        if lead is None:
            return None
        return Subject("lead", id_, lead.company, lead.owner_id, lead.team,
                                lead_id=id_, customer_id=lead.customer_id, deal_id=lead.deal_id)
    if kind == "customer":
        customer = uow.customers.get(id_)
        if customer is None:
            return None
        return Subject("customer", id_, customer.name, customer.owner_id, customer.team,
                       customer_id=id_)
    if kind == "deal":
        deal = uow.deals.get(id_)
        if deal is None:
            return None
        return Subject("deal", id_, deal.title, deal.owner_id, deal.team,
                                lead_id=deal.lead_id, customer_id=deal.customer_id, deal_id=id_)
    if kind == "quote":
        quote = uow.quotes.get(id_)
        if quote is None:
            return None
        deal = uow.deals.get(quote.deal_id)
        return Subject("quote", id_, deal.title if deal else quote.number, quote.owner_id,
                       quote.team, customer_id=deal.customer_id if deal else None,
                       deal_id=quote.deal_id)
    if kind == "order":
        order = uow.orders.get(id_)
        if order is None:
            return None
        return Subject("order", id_, order.number, order.owner_id, order.team,
                                 customer_id=order.customer_id, deal_id=order.deal_id)
    raise InvalidInput("ref.wrong_kind", kinds=", ".join(reference(k, 12) for k in KINDS))
