"""Corrections: someone who may change a lead, deal, customer or contact sets a field right.

Posted documents are never edited: a quote once decided, a signed order, an invoice or a
payment is refused with the way to do it instead (a new quote, a credit note, ...). Each
change goes through the unit of work, so the audit trail records field, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from domain.errors import Conflict, InvalidInput
from domain.leads import check_source, find_similar, similar_customers
from domain.model.customers import (
    MAX_NAME,
    MAX_NOTE,
    MAX_TITLE,
    Customer,
    optional_email,
    optional_phone,
    text_field,
)
from domain.model.deals import AmountSource, Deal
from domain.model.leads import Lead
from domain.model.users import User
from domain.money import Money
from domain.names import NameMatch, normalise_company
from domain.records import writable
from domain.references import reference
from domain.scoring import rescore
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

# The fields each kind of record takes in /edit, in the order help lists them.
EDITABLE: dict[str, tuple[str, ...]] = {
    "deal": ("amount", "close", "title"),
    "lead": ("company", "contact", "phone", "email", "source", "note"),
    "customer": ("name", "phone", "email", "address", "tax_id"),
    "contact": ("name", "phone", "email", "title", "note"),
}
# Posted documents and the message that says what to do instead.
POSTED = {"quote": "edit.posted_quote", "order": "edit.posted_order",
          "invoice": "edit.posted_invoice", "payment": "edit.posted_payment"}
MAX_ADDRESS = 400
MAX_TAX_ID = 40


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Corrected:
    """What changed on the record, and names on file that now look alike (a warning)."""

    kind: str
    number: str
    changes: list[Change]
    similar: list[NameMatch]


def refuse_posted(kind: str, number: str) -> None:
    """Posted documents are corrected by their own documents, never edited."""
    if kind in POSTED:
        raise Conflict(POSTED[kind], ref=number)


def _set(entity: Any, changes: list[Change], name: str, value: Any, attr: str = "") -> bool:
    """Set the attribute if the value differs; True when it changed."""
    attr = attr or name
    before = getattr(entity, attr)
    if before == value:
        return False
    setattr(entity, attr, value)
    changes.append(Change(name, before, value))
    return True


def _deal(deal: Deal, values: dict[str, Any], changes: list[Change]) -> None:
    if "amount" in values:
        amount: Money | None = values["amount"]
        if deal.amount_source == AmountSource.ORDER:
            raise Conflict("edit.amount_from_order", ref=deal.number,
                           order=reference("order", deal.amount_ref))
        if amount is not None and amount.currency != deal.currency:
            raise InvalidInput("edit.currency", currency=amount.currency,
                               expected=deal.currency)
        if amount is not None and amount.amount <= 0:
            raise InvalidInput("deal.bad_amount", value=str(amount.amount))
        new = amount.amount if amount else None
        if new != deal.amount or deal.amount_source != AmountSource.TYPED:
            changes.append(Change("amount", deal.amount, new))
            deal.type_amount(new)
    if "close" in values:
        close: date | None = values["close"]
        _set(deal, changes, "close", close, "close_date")
    if "title" in values:
        _set(deal, changes, "title", text_field(values["title"], "title", MAX_NAME,
                                                required=True))


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str | None:
    return text_field(value, name, limit, required=required)


def _person_fields(entity: Any, values: dict[str, Any], changes: list[Change]) -> None:
    """Phone, e-mail, title and note: the fields leads, customers and contacts share."""
    if "phone" in values:
        _set(entity, changes, "phone", optional_phone(values["phone"]))
    if "email" in values:
        _set(entity, changes, "email", optional_email(values["email"]))
    if "title" in values:
        _set(entity, changes, "title", _text(values["title"], "title", MAX_TITLE))
    if "note" in values:
        _set(entity, changes, "note", _text(values["note"], "note", MAX_NOTE))


def _renamed(entity: Lead | Customer, changes: list[Change], attr: str, value: Any) -> bool:
    """A new company name, and with it a new comparison key; True when it changed."""
    name = _text(value, attr, MAX_NAME, required=True) or ""
    before = getattr(entity, attr)
    if before == name:
        return False
    entity.rename(name)
    changes.append(Change(attr, before, name))
    return True


def correct(uow: UnitOfWork, actor: User, kind: str, id_: int, values: dict[str, Any],
            settings: Settings) -> Corrected:
    """Set the given fields of a record the actor may change; unknown fields are refused.

    `values` holds text for text fields (empty: clear it), a Money for a deal's amount and
    a date for its close date (None: clear it).
    """
    if kind not in EDITABLE:
        raise InvalidInput("edit.bad_kind", refs="L-n, D-n, A-n, C-n")
    unknown = [k for k in values if k not in EDITABLE[kind]]
    if unknown:
        raise InvalidInput("edit.bad_field", field=unknown[0],
                           fields=", ".join(f"{f}=" for f in EDITABLE[kind]))
    if not values:
        raise InvalidInput("edit.nothing", fields=", ".join(f"{f}=" for f in EDITABLE[kind]))
    record = writable(uow, actor, kind, id_)
    entity = record.entity
    changes: list[Change] = []
    similar: list[NameMatch] = []
    if kind == "deal":
        _deal(entity, values, changes)
    elif kind == "lead":
        if "company" in values and _renamed(entity, changes, "company", values["company"]):
            similar = [m for m in find_similar(uow, entity.company, settings)
                       if not (m.kind == "lead" and m.id == entity.id)]
        if "contact" in values:
            _set(entity, changes, "contact", _text(values["contact"], "contact", MAX_NAME))
        if "source" in values:
            _set(entity, changes, "source", check_source(values["source"], settings))
        _person_fields(entity, values, changes)
        rescore(entity, settings.scoring, datetime.now(UTC))  # what scored it may have changed
    elif kind == "customer":
        if "name" in values:
            name = _text(values["name"], "name", MAX_NAME, required=True) or ""
            key = normalise_company(name)
            twins = [i for i, other, _ in uow.customers.name_keys([key])
                     if other == key and i != entity.id]
            if twins:
                raise Conflict("customer.name_taken", name=name,
                               ref=reference("customer", twins[0]))
            if _renamed(entity, changes, "name", name):
                similar = [m for m in similar_customers(uow, entity.name, settings)
                           if m.id != entity.id]
        if "address" in values:
            _set(entity, changes, "address", _text(values["address"], "address", MAX_ADDRESS))
        if "tax_id" in values:
            tax_id = _text(values["tax_id"], "tax_id", MAX_TAX_ID)
            _set(entity, changes, "tax_id", tax_id.upper() if tax_id else None)
        _person_fields(entity, values, changes)
    else:
        if "name" in values:
            _set(entity, changes, "name", _text(values["name"], "name", MAX_NAME, required=True))
        _person_fields(entity, values, changes)
    return Corrected(kind, record.number, changes, similar)
