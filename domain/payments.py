"""Recording money received (回款), a rep's claim of it, and applying customer credit."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import Conflict, InvalidInput, NotFound
from domain.events import PaymentClaimed, PaymentReceived
from domain.model.customers import Customer
from domain.model.invoices import Invoice
from domain.model.payments import Payment, PaymentMethod, settle_from_credit
from domain.model.users import Role, User
from domain.money import Money
from domain.records import readable
from domain.references import reference
from domain.unit_of_work import UnitOfWork

MAX_REF = 64


def apply_credit(uow: UnitOfWork, invoice: Invoice, now: datetime) -> Decimal:
    """Settle the invoice from the customer's credit, oldest payment first; returns the sum."""
    return settle_from_credit(
        invoice, uow.payments.with_credit(invoice.customer_id, invoice.currency), now)


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
    customer: Customer


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
    targets = [invoice] if invoice is not None else uow.invoices.open_of_customer(
        customer_id, amount.currency)
    settled = payment.settle(targets, now)
    uow.events.append(PaymentReceived(
        payment.id or 0, customer_id, customer.name, customer.owner_id, payment.amount,
        payment.currency, tuple(i.number for i, _ in settled), payment.unallocated,
    ))
    return RecordedPayment(payment, settled, payment.unallocated,
                           credit_of(uow, customer_id, amount.currency), customer)


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
    readable(uow, actor, "customer", customer.id or 0)
    claim = PaymentClaimed(
        customer_id=customer.id or 0, customer=customer.name, claimed_by=actor.id or 0,
        invoice=invoice.number if invoice is not None else None, amount=amount.amount,
        currency=amount.currency, received_on=received_on, ref=ref, method=method.value,
    )
    uow.events.append(claim)
    return claim


def invoice_to_pay(uow: UnitOfWork, actor: User, number: str) -> Invoice:
    """The invoice a payment is recorded for, read once its customer's ledger is held, as
    `record_payment` holds it: so it is read once, not again after the lock."""
    if uow.ledgers.lock_of_invoice(number) is None:
        raise NotFound("ref.not_found", ref=number)
    invoice: Invoice = readable(uow, actor, "invoice", 0, number).entity
    return invoice


def check_payment(
    uow: UnitOfWork, actor: User, amount: Money, today: date, *,
    invoice_number: str | None = None, customer_id: int | None = None,
    received_on: date | None = None, ref: str | None = None,
) -> None:
    """The checks a payment (or a rep's report of one) must pass, without recording anything:
    so a draft can say now what Confirm would refuse."""
    _invoice_or_customer, customer, _day, _ref = _checked(
        uow, amount, today, invoice_number, customer_id, received_on, ref, lock=False)
    readable(uow, actor, "customer", customer.id or 0)


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
        # Locked before the invoice and the customer are read: read once, as the lock leaves them.
        if lock and uow.ledgers.lock_of_invoice(invoice_number) is None:
            raise NotFound("ref.not_found", ref=invoice_number)
        invoice = _invoice(uow, invoice_number)
        customer_id = invoice.customer_id
    elif lock:
        assert customer_id is not None
        uow.ledgers.lock(customer_id)
    assert customer_id is not None
    customer = _customer(uow, customer_id)
    if invoice is not None:
        invoice.check_payable(amount, customer.number)
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
    payment: Payment = readable(uow, actor, "payment", payment_id).entity
    return payment
