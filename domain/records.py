"""Any record by its reference, and the one rule for who may read it and who may change it.

Sales records (leads, customers, contacts, deals, quotes) are changed by their owner, the
owner's team manager or an admin; everyone who may read a record may read its history. A
contact belongs to its customer: its owner and team are the customer's. A reminder is its
person's alone. Every `get_*` of the use cases loads through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import Forbidden, NotFound
from domain.model.users import Role, User
from domain.references import reference
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Record:
    """A loaded record with the owner and team its access is judged by."""

    kind: str
    entity: Any
    owner_id: int
    team: str | None
    number: str
    personal: bool = False  # read and changed by its owner alone (a reminder)
    pooled: bool = False  # in the public pool (a deal: its customer is), claimed before work


    @property
    def id(self) -> int:
        return int(self.entity.id or 0)

    def readable_by(self, actor: User) -> bool:
        if self.personal:
            return actor.id == self.owner_id
        if self.pooled and actor.role == Role.REP:  # the reps whose pool it is in decide
            return self.team is None or actor.team is None or actor.team == self.team
        return actor.can_read(self.owner_id, self.team)

    def writable_by(self, actor: User) -> bool:
        if self.personal:
            return actor.id == self.owner_id
        if self.pooled and actor.role == Role.REP:  # claimed first
            return False
        return actor.can_write(self.owner_id, self.team)


def _load(uow: UnitOfWork, kind: str, id_: int, number: str) -> Record | None:
    if kind == "invoice":
        invoice = uow.invoices.by_number(number)
        return Record(kind, invoice, invoice.owner_id, invoice.team, invoice.number) \
            if invoice else None
    if kind == "contact":
        contact = uow.contacts.get(id_)
        customer = uow.customers.get(contact.customer_id) if contact else None
        if contact is None or customer is None:
            return None
        return Record(kind, contact, customer.owner_id, customer.team, reference(kind, id_))
    if kind == "reminder":
        reminder = uow.reminders.get(id_)
        return Record(kind, reminder, reminder.user_id, None, reference(kind, id_),
                      personal=True) if reminder else None
    repositories: dict[str, Any] = {"lead": uow.leads, "customer": uow.customers,
                                    "deal": uow.deals, "quote": uow.quotes, "order": uow.orders,
                                    "payment": uow.payments}
    if kind not in repositories:
        return None
    entity = repositories[kind].get(id_)
    if entity is None:
        return None
    pooled = bool(getattr(entity, "in_pool", False))
    if kind == "deal":  # a pooled customer's open deals are frozen with it
        customer = uow.customers.get(entity.customer_id)
        pooled = customer is not None and customer.in_pool
    return Record(kind, entity, entity.owner_id, entity.team, reference(kind, id_),
                  pooled=pooled)


def readable(uow: UnitOfWork, actor: User, kind: str, id_: int, number: str = "") -> Record:
    """The record if it exists and the actor may read it."""
    record = _load(uow, kind, id_, number)
    shown = number or reference(kind, id_)
    if record is None:
        raise NotFound("ref.not_found", ref=shown)
    if not record.readable_by(actor):
        raise Forbidden("access.not_yours", ref=record.number)
    return record


def writable(uow: UnitOfWork, actor: User, kind: str, id_: int, number: str = "",
             *, or_role: Role | None = None) -> Record:
    """The record if the actor may also change it (or, with `or_role`, has that role: finance
    records deliveries on any order it reads)."""
    record = readable(uow, actor, kind, id_, number)
    if or_role is not None and actor.has_role(or_role):
        return record
    if not record.writable_by(actor):
        if record.pooled:
            raise Forbidden("pool.claim_first", ref=record.number)
        raise Forbidden("access.not_yours", ref=record.number)
    return record
