"""Customer accounts and the people at them (contacts), with the checks their fields pass."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.contact_points import clean_email, clean_phone, email_key, phone_key
from domain.errors import Conflict, InvalidInput
from domain.names import normalise_company
from domain.references import reference

MAX_CONTACTS_SHOWN = 20
MAX_NAME = 200
MAX_TITLE = 100
MAX_NOTE = 1000


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

    def same_person(self, new: NewContact) -> bool:
        """Already on file: the same name, or the same phone or e-mail address."""
        if " ".join(self.name.lower().split()) == " ".join(new.name.lower().split()):
            return True
        if new.phone and self.phone and phone_key(new.phone) == phone_key(self.phone):
            return True
        return bool(new.email and self.email and email_key(new.email) == email_key(self.email))


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

    def new_contact(self, new: NewContact, known: Iterable[Contact], now: datetime) -> Contact:
        """A contact person from what was typed, checked; the same person twice is refused."""
        contact = Contact(
            customer_id=self.id or 0,
            name=text_field(new.name, "name", MAX_NAME, required=True) or "",
            created_at=now,
            title=text_field(new.title, "title", MAX_TITLE),
            phone=optional_phone(new.phone),
            email=optional_email(new.email),
            note=text_field(new.note, "note", MAX_NOTE),
        )
        checked = NewContact(contact.name, phone=contact.phone, email=contact.email)
        for other in known:
            if other.same_person(checked):
                raise Conflict("contact.exists", ref=other.number, name=other.name,
                               customer=self.number)
        return contact

    def fill_in(self, phone: str | None, email: str | None) -> None:
        """The company's own phone and e-mail, where none is on file yet."""
        self.phone = self.phone or phone
        self.email = self.email or email

    def rename(self, name: str) -> None:
        """A new name, and with it the key look-alikes are found by."""
        self.name = name
        self.name_key = normalise_company(name)

    def give_to(self, owner_id: int, team: str | None) -> None:
        """Another sales person owns the account from now on."""
        self.owner_id = owner_id
        self.team = team
