"""Invoicing: an installment or an amount of an order billed, the customer's credit applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput
from domain.events import InvoiceIssued
from domain.model.invoices import INVOICE_SERIES, Invoice
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import get_order
from domain.payments import apply_credit
from domain.records import readable
from domain.references import document_number
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: Invoice
    credit_applied: Decimal


def get_invoice(uow: UnitOfWork, actor: User, number: str) -> Invoice:
    """The invoice with this number if the actor may read it."""
    invoice: Invoice = readable(uow, actor, "invoice", 0, number).entity
    return invoice


def issue_invoice(
    uow: UnitOfWork,
    actor: User,
    order_id: int,
    now: datetime,
    today: date,
    *,
    installment: int | None = None,
    amount: Money | None = None,
    issued_on: date | None = None,
    due_on: date | None = None,
) -> IssuedInvoice:
    """Invoice an installment (the next one by default) or an amount of the order.

    Never more than the order's uninvoiced rest; an installment waits for its trigger
    (delivery, acceptance = everything delivered, or its date). The due date follows the
    plan's terms unless given. The customer's credit is applied at once.
    """
    actor.require(Role.FINANCE)
    if installment is not None and amount is not None:
        raise InvalidInput("invoice.installment_or_amount")
    order = get_order(uow, actor, order_id)
    uow.ledgers.lock(order.customer_id)
    issued_on = issued_on or today
    order.check_document_date(issued_on, today, "invoice")
    billing = order.bill(uow.invoices.of_order(order.id or 0), issued_on,
                         installment=installment, amount=amount, due_on=due_on)
    part = billing.installment
    seq = uow.numbers.next(INVOICE_SERIES, issued_on.year)
    invoice = Invoice(
        number=document_number(INVOICE_SERIES, issued_on.year, seq), year=issued_on.year,
        seq=seq, order_id=order.id or 0, customer_id=order.customer_id,
        owner_id=order.owner_id, team=order.team, currency=order.currency,
        total=billing.amount, issued_on=issued_on, due_on=billing.due_on,
        issued_by=actor.id or 0, created_at=now,
        installment_seq=part.seq if part else None,
        installment_id=part.id if part else None,
    )
    uow.invoices.add(invoice)
    uow.flush()
    applied = apply_credit(uow, invoice, now)
    uow.events.append(InvoiceIssued(invoice.id or 0, invoice.number, order.id or 0,
                                    invoice.customer_id, invoice.owner_id, invoice.total,
                                    invoice.currency, invoice.due_on))
    return IssuedInvoice(invoice, applied)
