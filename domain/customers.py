"""Customer accounts and their contact people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import Forbidden, NotFound
from domain.unit_of_work import UnitOfWork
from domain.users import User


@dataclass(eq=False)
class Customer:
    """A company we sell to (A-n); owned by the rep who brought it in."""

    name: str
    name_key: str
    owner_id: int
    team: str | None
    created_at: datetime
    id: int | None = None

    @property
    def number(self) -> str:
        return f"A-{self.id}"


@dataclass(eq=False)
class Contact:
    """A person at a customer."""

    customer_id: int
    name: str
    created_at: datetime
    phone: str | None = None
    email: str | None = None
    id: int | None = None


def get_customer(uow: UnitOfWork, actor: User, customer_id: int) -> Customer:
    """The customer if it exists and the actor may read it."""
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise NotFound("ref.not_found", ref=f"A-{customer_id}")
    if not actor.can_read(customer.owner_id, customer.team):
        raise Forbidden("access.not_yours", ref=customer.number)
    return customer
