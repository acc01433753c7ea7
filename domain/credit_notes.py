"""Credit notes (红字发票): how an issued invoice is voided without being edited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import Conflict, InvalidInput
from domain.events import InvoiceVoided
from domain.invoices import Invoice, get_invoice
from domain.model.users import Role, User
from domain.payments import allocate
from domain.references import document_number
from domain.unit_of_work import UnitOfWork

CREDIT_NOTE_SERIES = "CN"
MAX_REASON = 500


@dataclass(eq=False)
class CreditNote:
    """Cancels an invoice (CN-<year>-<seq>); linked to it, posted once."""

    number: str
    year: int
    seq: int
    invoice_id: int
    customer_id: int
    currency: str
    amount: Decimal
    reason: str
    issued_on: date
    issued_by: int
    created_at: datetime
    id: int | None = None


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
    reason = reason.strip()
    if not reason:
        raise InvalidInput("void.reason_required")
    if len(reason) > MAX_REASON:
        raise InvalidInput("field.too_long", field="reason", limit=MAX_REASON)
    invoice = get_invoice(uow, actor, number)
    uow.ledgers.lock(invoice.customer_id)
    if invoice.is_void:
        done = invoice.credit_notes[0]
        raise Conflict("void.already", invoice=invoice.number, credit_note=done.number)
    issued_on = max(today, invoice.issued_on)
    seq = uow.numbers.next(CREDIT_NOTE_SERIES, issued_on.year)
    note = CreditNote(
        number=document_number(CREDIT_NOTE_SERIES, issued_on.year, seq), year=issued_on.year,
        seq=seq, invoice_id=invoice.id or 0, customer_id=invoice.customer_id,
        currency=invoice.currency, amount=invoice.total, reason=reason, issued_on=issued_on,
        issued_by=actor.id or 0, created_at=now,
    )
    uow.credit_notes.add(note)
    invoice.credit_notes.append(note)
    uow.flush()
    released = Decimal(0)
    by_payment: dict[int, Decimal] = {}
    for allocation in invoice.allocations:
        key = allocation.payment_id or 0
        by_payment[key] = by_payment.get(key, Decimal(0)) + allocation.amount
    for payment_id, net in sorted(by_payment.items()):
        if net == 0:
            continue
        payment = uow.payments.get(payment_id)
        assert payment is not None
        allocate(payment, invoice, -net, now, credit_note_id=note.id)
        released += net
    uow.events.append(InvoiceVoided(invoice.id or 0, invoice.number, note.number,
                                    invoice.owner_id, reason, released, invoice.currency))
    return VoidedInvoice(invoice, note, released)
