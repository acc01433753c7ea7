"""The documents a customer receives (quote, order confirmation, invoice, credit note) and
who may have them: staff as they may read the record, a customer's contact only those of
its own account (and no quote still waiting for an internal decision)."""

from __future__ import annotations

from domain.errors import NotFound
from domain.model.credit_notes import CreditNote
from domain.model.invoices import Invoice
from domain.model.orders import Order
from domain.model.quotes import Quote, QuoteStatus
from domain.model.users import User
from domain.records import readable
from domain.references import reference
from domain.unit_of_work import UnitOfWork

# The quotes a customer may see: sent to it (needing no approval, or approved) or signed.
SHOWN_TO_CUSTOMERS = (QuoteStatus.DRAFT, QuoteStatus.APPROVED, QuoteStatus.ACCEPTED)


def _not_found(number: str) -> NotFound:
    # The same answer whether the record exists or belongs to someone else.
    return NotFound("ref.not_found", ref=number)


def quote_document(uow: UnitOfWork, actor: User, quote_id: int) -> tuple[Quote, int]:
    """The quote and its customer's id."""
    number = reference("quote", quote_id)
    if actor.is_customer:
        quote = uow.quotes.get(quote_id)
        deal = uow.deals.get(quote.deal_id) if quote else None
        if quote is None or deal is None or not actor.owns_documents_of(deal.customer_id) \
                or quote.status not in SHOWN_TO_CUSTOMERS:
            raise _not_found(number)
        return quote, deal.customer_id
    quote = readable(uow, actor, "quote", quote_id).entity
    deal = uow.deals.get(quote.deal_id)
    assert deal is not None
    return quote, deal.customer_id


def order_document(uow: UnitOfWork, actor: User, order_id: int) -> Order:
    if actor.is_customer:
        order = uow.orders.get(order_id)
        if order is None or not actor.owns_documents_of(order.customer_id):
            raise _not_found(reference("order", order_id))
        return order
    found: Order = readable(uow, actor, "order", order_id).entity
    return found


def invoice_document(uow: UnitOfWork, actor: User, number: str) -> Invoice:
    if actor.is_customer:
        invoice = uow.invoices.by_number(number)
        if invoice is None or not actor.owns_documents_of(invoice.customer_id):
            raise _not_found(number)
        return invoice
    found: Invoice = readable(uow, actor, "invoice", 0, number).entity
    return found


def credit_note_document(uow: UnitOfWork, actor: User, number: str
                         ) -> tuple[CreditNote, Invoice]:
    """The credit note and the invoice it voids; readable as that invoice is."""
    note = uow.credit_notes.by_number(number)
    invoice = uow.invoices.get(note.invoice_id) if note else None
    if note is None or invoice is None:
        raise _not_found(number)
    try:
        invoice_document(uow, actor, invoice.number)
    except NotFound:
        raise _not_found(number) from None
    return note, invoice
