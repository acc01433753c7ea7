"""Opening balances: an invoice still open in the system a company leaves, brought in so that
dunning, aging and payments treat it like any other.

It is made the way every invoice is made, so it obeys the same rules: a won deal named after
the old invoice number, a quote of one line for the amount, accepted as an order paid in
one installment on signing (the invoice date), and an invoice of that amount with its due date.
Only finance and admins bring them in; the deal is the customer owner's. Nobody is told: the
win and the order are history, not news.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput
from domain.events import DealWon, OrderCreated
from domain.invoices import issue_invoice
from domain.model.customers import Customer
from domain.model.deals import AmountSource, Deal
from domain.model.invoices import Invoice
from domain.model.quotes import LineInput
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import accept_quote
from domain.quotes import draft_quote
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

TITLE_PREFIX = "Opening balance "
MAX_NUMBER = 60


def open_balance(uow: UnitOfWork, actor: User, customer: Customer, amount: Money,
                 number: str, issued_on: date, due_on: date, settings: Settings,
                 now: datetime, today: date) -> Invoice:
    """An open invoice of another system, now ours to chase."""
    actor.require(Role.FINANCE)
    if amount.amount <= 0:
        raise InvalidInput("invoice.not_positive", amount=str(amount.amount))
    if issued_on > today:
        raise InvalidInput("import.issued_in_future", date=issued_on.isoformat())
    if due_on < issued_on:
        raise InvalidInput("invoice.due_before_date", due=due_on.isoformat(),
                           date=issued_on.isoformat())
    # The steps below are each a use case with its own role; finance may take all of them
    # for an opening balance, and the audit trail still names the real person.
    acting = dataclasses.replace(actor, role=Role.ADMIN)
    stage = settings.first_stage
    deal = Deal(title=f"{TITLE_PREFIX}{number}"[:200], customer_id=customer.id or 0,
                owner_id=customer.owner_id, team=customer.team, stage=stage.key,
                probability=stage.probability, currency=amount.currency, amount=amount.amount,
                amount_source=AmountSource.TYPED, close_date=issued_on, created_at=now,
                last_activity_at=now)
    uow.deals.add(deal)
    uow.flush()
    uow.deals.add_stage_change(deal.opening(actor.id or 0, now))
    quote = draft_quote(uow, acting, deal.id or 0,
                        [LineInput(Decimal(1), f"{TITLE_PREFIX}{number}"[:200], amount)],
                        settings, now, today, discount=Decimal(0), tax=Decimal(0))
    order = accept_quote(uow, acting, quote.id or 0, settings, now, today, signed_on=issued_on,
                         plan="100")
    issued = issue_invoice(uow, acting, order.id or 0, now, today, amount=amount,
                           issued_on=issued_on, due_on=due_on)
    uow.events[:] = [e for e in uow.events if not isinstance(e, DealWon | OrderCreated)]
    return issued.invoice
