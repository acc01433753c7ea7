"""Invoices (应收): issued from an installment or an amount, numbered INV-<year>-<seq>.

An issued invoice is never edited. What it still asks for (outstanding) and its status
(issued, partly paid, paid, overdue, void) are derived from its allocations and credit notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import InvoiceIssued
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import Installment, Order, get_order
from domain.payments import Allocation, apply_credit
from domain.plans import due_date
from domain.references import document_number
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.credit_notes import CreditNote

INVOICE_SERIES = "INV"


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"


@dataclass(eq=False)
class Invoice:
    """A bill to the customer for part of an order; posted once, never edited."""

    number: str
    year: int
    seq: int
    order_id: int
    customer_id: int
    owner_id: int
    team: str | None
    currency: str
    total: Decimal
    issued_on: date
    due_on: date
    issued_by: int
    created_at: datetime
    installment_seq: int | None = None
    installment_id: int | None = None
    allocations: list[Allocation] = field(default_factory=list)
    credit_notes: list[CreditNote] = field(default_factory=list)
    id: int | None = None

    @property
    def value(self) -> Money:
        return Money(self.total, self.currency)

    @property
    def paid(self) -> Decimal:
        """Payments allocated to it (net of any released by a void)."""
        return sum((a.amount for a in self.allocations), Decimal(0))

    @property
    def credited(self) -> Decimal:
        return sum((c.amount for c in self.credit_notes), Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        return self.total - self.paid - self.credited

    @property
    def is_void(self) -> bool:
        return bool(self.credit_notes)

    def status(self, today: date) -> InvoiceStatus:
        if self.is_void:
            return InvoiceStatus.VOID
        if self.outstanding <= 0:
            return InvoiceStatus.PAID
        if self.due_on < today:
            return InvoiceStatus.OVERDUE
        if self.paid > 0:
            return InvoiceStatus.PARTLY_PAID
        return InvoiceStatus.ISSUED


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: Invoice
    credit_applied: Decimal


def get_invoice(uow: UnitOfWork, actor: User, number: str) -> Invoice:
    """The invoice with this number if the actor may read it."""
    invoice = uow.invoices.by_number(number)
    if invoice is None:
        raise NotFound("ref.not_found", ref=number)
    if not actor.can_read(invoice.owner_id, invoice.team):
        raise Forbidden("access.not_yours", ref=invoice.number)
    return invoice


def _next_open(order: Order, taken: set[int]) -> Installment | None:
    """The first installment not invoiced yet (one rounded to zero has nothing to bill)."""
    return next((i for i in order.installments if i.seq not in taken and i.amount > 0), None)


def _money(amount: Decimal, currency: str) -> str:
    return str(Money(amount, currency))


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
    if issued_on > today:
        raise InvalidInput("invoice.date_in_future", date=issued_on.isoformat())
    if issued_on < order.signed_on:
        raise InvalidInput("invoice.before_signing", date=issued_on.isoformat(),
                           signed=order.signed_on.isoformat(), ref=order.number)
    active = [i for i in uow.invoices.of_order(order.id or 0) if not i.is_void]
    rest = order.total - sum((i.total for i in active), Decimal(0))
    if rest <= 0:
        raise Conflict("invoice.fully_invoiced", ref=order.number)
    taken = {i.installment_seq for i in active if i.installment_seq is not None}
    part: Installment | None = None
    if amount is None:
        if installment is None:
            part = _next_open(order, taken)
            if part is None:
                raise Conflict("invoice.all_installments_invoiced", ref=order.number,
                               rest=_money(rest, order.currency))
        else:
            part = order.installment(installment)
            if part is None:
                raise InvalidInput("invoice.no_such_installment", ref=order.number,
                                   seq=installment, count=len(order.installments))
            if part.seq in taken:
                done = next(i for i in active if i.installment_seq == part.seq)
                raise Conflict("invoice.installment_invoiced", ref=order.number, seq=part.seq,
                               invoice=done.number)
        waiting = order.waits_for(part, issued_on)
        if waiting is not None:
            raise Conflict(waiting, ref=order.number, seq=part.seq,
                           date=part.on_date.isoformat() if part.on_date else "")
        value = part.amount
        if value <= 0:
            raise Conflict("invoice.zero_installment", ref=order.number, seq=part.seq)
    else:
        if amount.currency != order.currency:
            raise InvalidInput("invoice.currency_mismatch", ref=order.number,
                               currency=amount.currency, expected=order.currency)
        if amount.amount <= 0:
            raise InvalidInput("invoice.not_positive", amount=str(amount))
        value = amount.amount
    if value > rest:
        raise Conflict("invoice.over_rest", ref=order.number, amount=_money(value, order.currency),
                       rest=_money(rest, order.currency))
    terms = part if amount is None else (_next_open(order, taken) or order.installments[-1])
    assert terms is not None
    due_on = due_on or due_date(issued_on, terms.net_days, terms.end_of_month)
    if due_on < issued_on:
        raise InvalidInput("invoice.due_before_date", due=due_on.isoformat(),
                           date=issued_on.isoformat())
    seq = uow.numbers.next(INVOICE_SERIES, issued_on.year)
    invoice = Invoice(
        number=document_number(INVOICE_SERIES, issued_on.year, seq), year=issued_on.year,
        seq=seq, order_id=order.id or 0, customer_id=order.customer_id,
        owner_id=order.owner_id, team=order.team, currency=order.currency, total=value,
        issued_on=issued_on, due_on=due_on, issued_by=actor.id or 0, created_at=now,
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
