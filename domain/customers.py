"""Customer accounts: reading one, adding a contact person to it."""

from __future__ import annotations

from datetime import datetime

from domain.model.customers import Contact, Customer, NewContact
from domain.model.users import User
from domain.records import readable, writable
from domain.unit_of_work import UnitOfWork


def get_customer(uow: UnitOfWork, actor: User, customer_id: int) -> Customer:
    """The customer if it exists and the actor may read it."""
    customer: Customer = readable(uow, actor, "customer", customer_id).entity
    return customer


def add_contact(uow: UnitOfWork, actor: User, customer_id: int, new: NewContact,
                now: datetime) -> Contact:
    """A new contact person at a customer the actor may change; the same person twice is
    refused."""
    customer: Customer = writable(uow, actor, "customer", customer_id).entity
    contact = customer.new_contact(new, uow.contacts.of_customer(customer.id or 0), now)
    uow.contacts.add(contact)
    uow.flush()
    return contact
