"""Customer accounts and their contact people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.contact_points import clean_email, clean_phone, email_key, phone_key
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.model.users import User
from domain.records import writable
from domain.references import reference
from domain.unit_of_work import UnitOfWork

MAX_CONTACTS_SHOWN = 20
MAX_NAME = 200
MAX_TITLE = 100
MAX_NOTE = 1000


@dataclass(eq=False)
class Customer:
    """A company we sell to (A-n); owned by the rep who brought it in."""

    name: str
    name_key: str
    owner_id: int
    team: str | None
    created_at: datetime
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    tax_id: str | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("customer", self.id)


@dataclass(eq=False)
class Contact:
    """A person at a customer (C-n)."""

    customer_id: int
    name: str
    created_at: datetime
    phone: str | None = None
    email: str | None = None
    title: str | None = None
    note: str | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("contact", self.id)


def get_customer(uow: UnitOfWork, actor: User, customer_id: int) -> Customer:
    """The customer if it exists and the actor may read it."""
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise NotFound("ref.not_found", ref=reference("customer", customer_id))
    if not actor.can_read(customer.owner_id, customer.team):
        raise Forbidden("access.not_yours", ref=customer.number)
    return customer


def text_field(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    """A trimmed free-text value; empty means none (refused where the field is required)."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        if required:
            raise InvalidInput("field.required", field=field)
        return None
    if len(cleaned) > limit:
        raise InvalidInput("field.too_long", field=field, limit=limit)
    return cleaned


def optional_phone(value: str | None) -> str | None:
    return clean_phone(value) if value and value.strip() else None


def optional_email(value: str | None) -> str | None:
    return clean_email(value) if value and value.strip() else None


@dataclass(frozen=True)
class NewContact:
    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    note: str | None = None


def same_person(contact: Contact, new: NewContact) -> bool:
    """Already on file: the same name, or the same phone or e-mail address."""
    if " ".join(contact.name.lower().split()) == " ".join(new.name.lower().split()):
        return True
    if new.phone and contact.phone and phone_key(new.phone) == phone_key(contact.phone):
        return True
    return bool(new.email and contact.email and email_key(new.email) == email_key(contact.email))


def add_contact(uow: UnitOfWork, actor: User, customer_id: int, new: NewContact,
                now: datetime) -> Contact:
    """A new contact person at a customer the actor may change; the same person twice is
    refused."""
    customer = writable(uow, actor, "customer", customer_id).entity
    contact = Contact(
        customer_id=customer.id or 0,
        name=text_field(new.name, "name", MAX_NAME, required=True) or "",
        created_at=now,
        title=text_field(new.title, "title", MAX_TITLE),
        phone=optional_phone(new.phone),
        email=optional_email(new.email),
        note=text_field(new.note, "note", MAX_NOTE),
    )
    checked = NewContact(contact.name, phone=contact.phone, email=contact.email)
    for known in uow.contacts.of_customer(customer.id or 0):
        if same_person(known, checked):
            raise Conflict("contact.exists", ref=known.number, name=known.name,
                               customer=customer.number)
    uow.contacts.add(contact)
    uow.flush()
    return contact
