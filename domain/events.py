"""Domain events: facts the use cases record for notification and audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True)
class LeadCreated(Event):
    lead_id: int
    owner_id: int
    company: str


@dataclass(frozen=True)
class LeadQualified(Event):
    lead_id: int
    deal_id: int
    customer_id: int


@dataclass(frozen=True)
class QuoteNeedsApproval(Event):
    quote_id: int
    deal_id: int
    owner_id: int
    team: str | None
    discount: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True)
class QuoteApproved(Event):
    quote_id: int
    owner_id: int
    approver_id: int


@dataclass(frozen=True)
class QuoteRejected(Event):
    quote_id: int
    owner_id: int
    approver_id: int
    reason: str


@dataclass(frozen=True)
class DealWon(Event):
    deal_id: int
    owner_id: int
    team: str | None
    title: str
    amount: Decimal | None
    currency: str


@dataclass(frozen=True)
class DealLost(Event):
    deal_id: int
    owner_id: int
    team: str | None
    title: str
    reason: str


@dataclass(frozen=True)
class OrderCreated(Event):
    order_id: int
    deal_id: int
    owner_id: int
    total: Decimal
    currency: str


@dataclass(frozen=True)
class InvoiceIssued(Event):
    invoice_id: int
    number: str
    order_id: int
    customer_id: int
    owner_id: int
    total: Decimal
    currency: str
    due_on: date


@dataclass(frozen=True)
class InvoiceVoided(Event):
    invoice_id: int
    number: str
    credit_note: str
    owner_id: int
    reason: str
    released: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentReceived(Event):
    payment_id: int
    customer_id: int
    customer: str
    owner_id: int
    amount: Decimal
    currency: str
    invoices: tuple[str, ...]
    credit: Decimal


@dataclass(frozen=True)
class PaymentClaimed(Event):
    """A rep says the customer paid; finance confirms by recording it."""

    customer_id: int
    customer: str
    claimed_by: int
    invoice: str | None
    amount: Decimal
    currency: str
    received_on: date
    ref: str | None
    method: str


@dataclass(frozen=True)
class RecordsAssigned(Event):
    """Records given to a new owner by a manager or admin (one /assign or /handover)."""

    to_user_id: int
    by_user_id: int
    refs: tuple[str, ...]
    reminders: int


@dataclass(frozen=True)
class StockShort(Event):
    """A signed order needs more of some products than the free stock holds."""

    order_id: int
    customer: str
    owner_id: int
    items: tuple[tuple[str, str, Decimal, Decimal], ...]  # sku, name, wanted, free


@dataclass(frozen=True)
class SurveyRequested(Event):
    """An order is fully delivered: its customer's contact is asked to score us."""

    survey_id: int
    order_id: int
    user_id: int


@dataclass(frozen=True)
class SurveyAnswered(Event):
    survey_id: int
    customer_id: int
    customer: str
    owner_id: int
    score: int
    comment: str | None
    source: str
