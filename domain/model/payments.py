"""Payments received (回款) and how they settle invoices.

A payment is posted once and never edited. It is allocated to invoices, oldest due first
unless it names one, never beyond an invoice's outstanding amount; whatever is not allocated
is the customer's credit, applied to the next invoice issued in the same currency.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.model.invoices import Allocation, Invoice
from domain.references import reference
from domain.settings import Settings
from domain.vocabulary import resolve


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

    def settle(self, invoices: Iterable[Invoice],
               now: datetime) -> list[tuple[Invoice, Decimal]]:
        """Settle the invoices oldest due first, each up to what it still asks for; returns
        what went where (the rest stays credit)."""
        settled: list[tuple[Invoice, Decimal]] = []
        for invoice in sorted(invoices, key=lambda i: (i.due_on, i.issued_on, i.year, i.seq)):
            if self.unallocated <= 0:
                break
            take = min(self.unallocated, invoice.outstanding)
            if take <= 0 or invoice.is_void:
                continue
            allocate(self, invoice, take, now)
            settled.append((invoice, take))
        return settled


def allocate(payment: Payment, invoice: Invoice, amount: Decimal, now: datetime,
             credit_note_id: int | None = None) -> Allocation:
    """Link `amount` of the payment to the invoice (both must have ids)."""
    allocation = Allocation(amount=amount, created_at=now, payment_id=payment.id,
                            invoice_id=invoice.id, credit_note_id=credit_note_id)
    payment.allocations.append(allocation)
    invoice.allocations.append(allocation)
    return allocation


def settle_from_credit(invoice: Invoice, payments: Iterable[Payment], now: datetime) -> Decimal:
    """Settle the invoice from payments with credit left, oldest first; returns the sum."""
    applied = Decimal(0)
    for payment in sorted(payments, key=lambda p: (p.received_on, p.id or 0)):
        take = min(payment.unallocated, invoice.outstanding)
        if take <= 0:
            continue
        allocate(payment, invoice, take, now)
        applied += take
    return applied


def release(invoice: Invoice, payments: Mapping[int, Payment], credit_note_id: int | None,
            now: datetime) -> Decimal:
    """A voided invoice gives each payment back what it had settled on it (the payments by
    id); that money becomes the customer's credit. Returns the sum."""
    released = Decimal(0)
    for payment_id, net in sorted(invoice.paid_by().items()):
        if net == 0:
            continue
        allocate(payments[payment_id], invoice, -net, now, credit_note_id=credit_note_id)
        released += net
    return released
