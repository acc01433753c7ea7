"""Voiding an invoice: a credit note for its total; payments on it become credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.events import InvoiceVoided
from domain.invoices import get_invoice
from domain.model.credit_notes import CREDIT_NOTE_SERIES, CreditNote
from domain.model.invoices import Invoice
from domain.model.payments import Payment, release
from domain.model.users import Role, User
from domain.references import document_number
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class VoidedInvoice:
    invoice: Invoice
    credit_note: CreditNote
    released: Decimal


def void_invoice(
    uow: UnitOfWork, actor: User, number: str, reason: str, now: datetime, today: date
) -> VoidedInvoice:
    """Cancel an invoice with a credit note for its total; payments on it become credit."""
    actor.require(Role.FINANCE)
    reason = CreditNote.checked_reason(reason)
    invoice = get_invoice(uow, actor, number)
    uow.ledgers.lock(invoice.customer_id)
    invoice.check_voidable()
    issued_on = max(today, invoice.issued_on)
    seq = uow.numbers.next(CREDIT_NOTE_SERIES, issued_on.year)
    note = CreditNote(
        number=document_number(CREDIT_NOTE_SERIES, issued_on.year, seq), year=issued_on.year,
        seq=seq, invoice_id=invoice.id or 0, customer_id=invoice.customer_id,
        currency=invoice.currency, amount=invoice.total, reason=reason, issued_on=issued_on,
        issued_by=actor.id or 0, created_at=now,
    )
    uow.credit_notes.add(note)
    invoice.void(note)
    uow.flush()
    released = release(invoice, _payments(uow, invoice), note.id, now)
    uow.events.append(InvoiceVoided(invoice.id or 0, invoice.number, note.number,
                                    invoice.owner_id, reason, released, invoice.currency))
    return VoidedInvoice(invoice, note, released)


def _payments(uow: UnitOfWork, invoice: Invoice) -> dict[int, Payment]:
    """The payments that still have money settled on the invoice, by id."""
    found: dict[int, Payment] = {}
    for payment_id, net in invoice.paid_by().items():
        if net == 0:
            continue
        payment = uow.payments.get(payment_id)
        assert payment is not None
        found[payment_id] = payment
    return found
