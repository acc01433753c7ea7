"""Quotes: drafted on a deal, decided by a manager when the discount asks for it, withdrawn,
and checked before the customer signs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from domain.deals import get_deal, writable_deal
from domain.events import QuoteApproved, QuoteNeedsApproval, QuoteRejected
from domain.model.deals import AmountSource
from domain.model.quotes import OPEN_STATUSES, LineInput, Quote, QuoteStatus
from domain.model.users import Role, User
from domain.records import readable, writable
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork


def draft_quote(
    uow: UnitOfWork,
    actor: User,
    deal_id: int,
    lines: list[LineInput],
    settings: Settings,
    now: datetime,
    today: date,
    *,
    discount: Decimal | None = None,
    tax: Decimal | None = None,
    valid_until: date | None = None,
) -> Quote:
    """A quote on an open deal; a discount above the threshold waits for a manager."""
    deal = writable_deal(uow, actor, deal_id)
    deal.check_open()
    quote = Quote.draft(
        deal, lines, discount=Decimal(0) if discount is None else discount,
        tax=settings.default_tax if tax is None else tax,
        valid_until=valid_until or date.fromordinal(
            today.toordinal() + settings.quote_validity_days),
        approval_discount=settings.approval_discount, today=today, now=now)
    uow.quotes.add(quote)
    uow.flush()
    deal.touch(now)
    deal.follow_quote(quote.id or 0, quote.total)
    if quote.status == QuoteStatus.PENDING:
        uow.events.append(QuoteNeedsApproval(
            quote.id or 0, deal.id or 0, quote.owner_id, quote.team, quote.discount_pct,
            quote.total, quote.currency,
        ))
    return quote


def _deal_follows_remaining_quotes(uow: UnitOfWork, quote: Quote) -> None:
    """A rejected or withdrawn quote stops setting its deal's amount: the latest quote still
    open does, else the latest one (an amount typed since stays as it is)."""
    deal = uow.deals.get(quote.deal_id)
    if deal is None or deal.amount_source != AmountSource.QUOTE or deal.amount_ref != quote.id:
        return
    quotes = uow.quotes.of_deal(deal.id or 0)
    live = [q for q in quotes if q.status in OPEN_STATUSES]
    latest = max(live or quotes, key=lambda q: q.id or 0, default=None)
    if latest is not None:
        deal.follow_quote(latest.id or 0, latest.total)


def get_quote(uow: UnitOfWork, actor: User, quote_id: int) -> Quote:
    quote: Quote = readable(uow, actor, "quote", quote_id).entity
    return quote


def _writable_quote(uow: UnitOfWork, actor: User, quote_id: int) -> Quote:
    quote: Quote = writable(uow, actor, "quote", quote_id).entity
    return quote


def approve_quote(
    uow: UnitOfWork, actor: User, quote_id: int, now: datetime, today: date
) -> Quote:
    """A manager approves the discount; the rep may then send and accept the quote."""
    actor.require(Role.MANAGER)
    quote = _writable_quote(uow, actor, quote_id)
    quote.approve(actor, now, today)
    uow.events.append(QuoteApproved(quote.id or 0, quote.owner_id, actor.id or 0))
    return quote


def reject_quote(
    uow: UnitOfWork, actor: User, quote_id: int, reason: str, now: datetime, today: date
) -> Quote:
    """A manager rejects the discount, with a reason the rep will read."""
    reason = Quote.checked_reason(reason)  # answered before the quote is looked up
    actor.require(Role.MANAGER)
    quote = _writable_quote(uow, actor, quote_id)
    quote.reject(reason, actor, now, today)
    _deal_follows_remaining_quotes(uow, quote)
    uow.events.append(QuoteRejected(quote.id or 0, quote.owner_id, actor.id or 0, reason))
    return quote


def withdraw_quote(
    uow: UnitOfWork, actor: User, quote_id: int, reason: str, now: datetime
) -> Quote:
    """The owner takes back an open quote (e.g. before the deal is lost)."""
    quote = _writable_quote(uow, actor, quote_id)
    quote.withdraw(reason, actor, now)
    _deal_follows_remaining_quotes(uow, quote)
    return quote


def acceptable_quote(uow: UnitOfWork, actor: User, quote_id: int, today: date) -> Quote:
    """The quote if the customer may sign it now: approved or needing no approval, valid,
    on a deal still open."""
    quote = _writable_quote(uow, actor, quote_id)
    quote.check_acceptable(today)
    get_deal(uow, actor, quote.deal_id).check_open()
    return quote


