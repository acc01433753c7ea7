"""Payments received (回款), their allocation to invoices, and customer credit.

A payment is posted once and never edited. It is allocated to invoices, oldest due first
unless it names one, never beyond an invoice's outstanding amount; whatever is not allocated
is the customer's credit, applied to the next invoice issued in the same currency.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import PaymentClaimed, PaymentReceived
from domain.model.customers import Customer
from domain.model.users import Role, User
from domain.money import Money
from domain.references import reference
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve

if TYPE_CHECKING:
    from domain.invoices import Invoice

MAX_REF = 64


class PaymentMethod(StrEnum):
    BANK = "bank"
    CASH = "cash"
    CHEQUE = "cheque"
    CARD = "card"
    ALIPAY = "alipay"
    WECHAT = "wechat"
    OTHER = "other"


def bank_ref_key(ref: str) -> str:
    """A bank reference as compared: width- and case-folded (ＢＡＮＫ－９ is bank-9)."""
    return " ".join(unicodedata.normalize("NFKC", ref).casefold().split())


def parse_method(text: str, settings: Settings | None = None) -> PaymentMethod:
    """A payment method by key or by any of the company's words for it (支付宝, transfer)."""
    terms = (settings or Settings()).terms("method")
    return PaymentMethod(resolve(terms, text, "method"))


@dataclass(eq=False)
class Allocation:
    """Part of a payment settling part of an invoice; negative when a void released it."""

    amount: Decimal
    created_at: datetime
    payment_id: int | None = None
    invoice_id: int | None = None
    credit_note_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Payment:
    """Money received from a customer (P-n); posted once, never edited."""

    customer_id: int
    owner_id: int
    team: str | None
    currency: str
    amount: Decimal
    received_on: date
    method: PaymentMethod
    recorded_by: int
    created_at: datetime
    ref: str | None = None
    invoice_id: int | None = None
    allocations: list[Allocation] = field(default_factory=list)
    ref_key: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.ref_key is None and self.ref is not None:
            self.ref_key = bank_ref_key(self.ref)

    @property
    def number(self) -> str:
        return reference("payment", self.id)

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal(0))

    @property
    def unallocated(self) -> Decimal:
        """What is left of the payment as the customer's credit."""
        return self.amount - self.allocated


def allocate(payment: Payment, invoice: Invoice, amount: Decimal, now: datetime,
             credit_note_id: int | None = None) -> Allocation:
    """Link `amount` of the payment to the invoice (both must have ids)."""
    allocation = Allocation(amount=amount, created_at=now, payment_id=payment.id,
                            invoice_id=invoice.id, credit_note_id=credit_note_id)
    payment.allocations.append(allocation)
    invoice.allocations.append(allocation)
    return allocation


def apply_credit(uow: UnitOfWork, invoice: Invoice, now: datetime) -> Decimal:
    """Settle the invoice from the customer's credit, oldest payment first; returns the sum."""
    applied = Decimal(0)
    payments = sorted(uow.payments.with_credit(invoice.customer_id, invoice.currency),
                      key=lambda p: (p.received_on, p.id or 0))
    for payment in payments:
        take = min(payment.unallocated, invoice.outstanding)
        if take <= 0:
            continue
        allocate(payment, invoice, take, now)
        applied += take
    return applied


def apply_customer_credit(
    uow: UnitOfWork, actor: User, customer_id: int, now: datetime
) -> list[tuple[Invoice, Decimal]]:
    """Settle the customer's open invoices from its credit, oldest due first (e.g. after a
    void released money while other invoices were open); returns what went where."""
    actor.require(Role.FINANCE)
    customer = _customer(uow, customer_id)
    uow.ledgers.lock(customer_id)
    applied: list[tuple[Invoice, Decimal]] = []
    for currency in sorted(uow.ledgers.currencies(customer_id)):
        for invoice in uow.invoices.open_of_customer(customer_id, currency):
            amount = apply_credit(uow, invoice, now)
            if amount > 0:
                applied.append((invoice, amount))
    if not applied:
        raise Conflict("credit.nothing_to_apply", customer=customer.number)
    return applied


def credit_of(uow: UnitOfWork, customer_id: int, currency: str) -> Decimal:
    """The customer's unallocated money in the currency."""
    return sum((p.unallocated for p in uow.payments.with_credit(customer_id, currency)),
               Decimal(0))


@dataclass(frozen=True)
class RecordedPayment:
    """A payment with where it went: invoices settled and what became credit."""

    payment: Payment
    settled: list[tuple[Invoice, Decimal]]
    credit: Decimal
    customer_credit: Decimal


def _settle_oldest_first(payment: Payment, invoices: list[Invoice],
                         now: datetime) -> list[tuple[Invoice, Decimal]]:
    settled: list[tuple[Invoice, Decimal]] = []
    for invoice in sorted(invoices, key=lambda i: (i.due_on, i.issued_on, i.year, i.seq)):
        if payment.unallocated <= 0:
            break
        take = min(payment.unallocated, invoice.outstanding)
        if take <= 0 or invoice.is_void:
            continue
        allocate(payment, invoice, take, now)
        settled.append((invoice, take))
    return settled


def record_payment(
    uow: UnitOfWork,
    actor: User,
    amount: Money,
    now: datetime,
    today: date,
    *,
    invoice_number: str | None = None,
    customer_id: int | None = None,
    received_on: date | None = None,
    ref: str | None = None,
    method: PaymentMethod = PaymentMethod.BANK,
) -> RecordedPayment:
    """Record money received for one invoice or for a customer (allocated oldest due first).

    The same bank reference is refused twice; a payment must be in the invoice's currency
    (or one the customer buys in); the excess becomes the customer's credit.
    """
    actor.require(Role.FINANCE)
    checked = _checked(uow, amount, today, invoice_number, customer_id, received_on, ref,
                       lock=True)
    invoice, customer, received_on, ref = checked
    customer_id = customer.id or 0
    payment = Payment(
        customer_id=customer_id, owner_id=customer.owner_id, team=customer.team,
        currency=amount.currency, amount=amount.amount, received_on=received_on, method=method,
        recorded_by=actor.id or 0, created_at=now, ref=ref,
        invoice_id=invoice.id if invoice is not None else None,
    )
    uow.payments.add(payment)
    uow.flush()
    if invoice is not None:
        settled = _settle_oldest_first(payment, [invoice], now)
    else:
        settled = _settle_oldest_first(
            payment, uow.invoices.open_of_customer(customer_id, amount.currency), now)
    uow.events.append(PaymentReceived(
        payment.id or 0, customer_id, customer.name, customer.owner_id, payment.amount,
        payment.currency, tuple(i.number for i, _ in settled), payment.unallocated,
    ))
    return RecordedPayment(payment, settled, payment.unallocated,
                           credit_of(uow, customer_id, amount.currency))


def claim_payment(
    uow: UnitOfWork,
    actor: User,
    amount: Money,
    today: date,
    *,
    invoice_number: str | None = None,
    customer_id: int | None = None,
    received_on: date | None = None,
    ref: str | None = None,
    method: PaymentMethod = PaymentMethod.BANK,
) -> PaymentClaimed:
    """A rep reports money the customer says it sent; finance confirms it with one button.

    The same checks as recording it, so the confirmation will go through; nothing is booked
    until finance confirms.
    """
    actor.require(Role.REP, Role.MANAGER)
    invoice, customer, received_on, ref = _checked(
        uow, amount, today, invoice_number, customer_id, received_on, ref, lock=False)
    if not actor.can_read(customer.owner_id, customer.team):
        raise Forbidden("access.not_yours", ref=customer.number)
    claim = PaymentClaimed(
        customer_id=customer.id or 0, customer=customer.name, claimed_by=actor.id or 0,
        invoice=invoice.number if invoice is not None else None, amount=amount.amount,
        currency=amount.currency, received_on=received_on, ref=ref, method=method.value,
    )
    uow.events.append(claim)
    return claim


def _checked(
    uow: UnitOfWork, amount: Money, today: date, invoice_number: str | None,
    customer_id: int | None, received_on: date | None, ref: str | None, *, lock: bool,
) -> tuple[Invoice | None, Customer, date, str | None]:
    """What a payment needs to be valid: target, positive amount, currency, date, new ref."""
    if (invoice_number is None) == (customer_id is None):
        raise InvalidInput("payment.need_target")
    if amount.amount <= 0:
        raise InvalidInput("payment.not_positive", amount=str(amount))
    received_on = received_on or today
    if received_on > today:
        raise InvalidInput("payment.date_in_future", date=received_on.isoformat())
    ref = " ".join(unicodedata.normalize("NFKC", ref or "").split()) or None
    if ref is not None and len(ref) > MAX_REF:
        raise InvalidInput("field.too_long", field="ref", limit=MAX_REF)
    invoice: Invoice | None = None
    if invoice_number is not None:
        invoice = _invoice(uow, invoice_number)
        customer_id = invoice.customer_id
    assert customer_id is not None
    customer = _customer(uow, customer_id)
    if lock:
        uow.ledgers.lock(customer_id)
    if invoice is not None:
        if invoice.is_void:
            raise Conflict("payment.invoice_void", invoice=invoice.number)
        if amount.currency != invoice.currency:
            raise InvalidInput("payment.wrong_currency", invoice=invoice.number,
                               currency=amount.currency, expected=invoice.currency)
        if invoice.outstanding <= 0:
            raise Conflict("payment.invoice_settled", invoice=invoice.number,
                           customer=customer.number)
    else:
        currencies = uow.ledgers.currencies(customer_id)
        if not currencies:
            raise Conflict("payment.no_orders", customer=customer.number)
        if amount.currency not in currencies:
            raise InvalidInput("payment.wrong_currency_customer", customer=customer.number,
                               currency=amount.currency, expected=", ".join(sorted(currencies)))
    if ref is not None:
        earlier = uow.payments.by_ref(ref)
        if earlier is not None:
            raise Conflict("payment.duplicate_ref", ref=ref, payment=earlier.number)
    return invoice, customer, received_on, ref


def _invoice(uow: UnitOfWork, number: str) -> Invoice:
    invoice = uow.invoices.by_number(number)
    if invoice is None:
        raise NotFound("ref.not_found", ref=number)
    return invoice


def _customer(uow: UnitOfWork, customer_id: int) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise NotFound("ref.not_found", ref=reference("customer", customer_id))
    return customer


def get_payment(uow: UnitOfWork, actor: User, payment_id: int) -> Payment:
    payment = uow.payments.get(payment_id)
    if payment is None:
        raise NotFound("ref.not_found", ref=reference("payment", payment_id))
    if not actor.can_read(payment.owner_id, payment.team):
        raise Forbidden("access.not_yours", ref=payment.number)
    return payment
