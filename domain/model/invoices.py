"""Invoices (应收): a bill for part of an order, numbered INV-<year>-<seq>, and the
allocations of payments that settle it.

An issued invoice is never edited. What it still asks for (outstanding) and its status
(issued, partly paid, paid, overdue, void) are derived from its allocations and credit notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import Conflict, InvalidInput
from domain.model.credit_notes import CreditNote
from domain.money import Money

INVOICE_SERIES = "INV"


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"


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

    def paid_by(self) -> dict[int, Decimal]:
        """What each payment has settled on it, net of releases, by payment id."""
        paid: dict[int, Decimal] = {}
        for allocation in self.allocations:
            key = allocation.payment_id or 0
            paid[key] = paid.get(key, Decimal(0)) + allocation.amount
        return paid

    def check_voidable(self) -> None:
        """An invoice is voided once."""
        if self.is_void:
            raise Conflict("void.already", invoice=self.number,
                           credit_note=self.credit_notes[0].number)

    def void(self, note: CreditNote) -> None:
        """Cancel the invoice with a credit note for its total; what payments settled on it
        is released by the payments (`payments.release`)."""
        self.check_voidable()
        self.credit_notes.append(note)

    def check_payable(self, amount: Money, customer_number: str) -> None:
        """A payment for this invoice: not void, in its currency, while something is owed."""
        if self.is_void:
            raise Conflict("payment.invoice_void", invoice=self.number)
        if amount.currency != self.currency:
            raise InvalidInput("payment.wrong_currency", invoice=self.number,
                               currency=amount.currency, expected=self.currency)
        if self.outstanding <= 0:
            raise Conflict("payment.invoice_settled", invoice=self.number,
                           customer=customer_number)
