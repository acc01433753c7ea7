"""Quotes: lines, discount, tax, validity, the approval rule, acceptance into an order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.deals import get_deal, writable_deal
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import QuoteApproved, QuoteNeedsApproval, QuoteRejected
from domain.model.deals import AmountSource
from domain.model.users import Role, User
from domain.money import Money
from domain.references import reference
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import Named

MAX_LINES = 50
MAX_ITEM = 200


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"


OPEN_STATUSES = (QuoteStatus.DRAFT, QuoteStatus.PENDING, QuoteStatus.APPROVED)


@dataclass(eq=False)
class QuoteLine:
    """`quantity` x `item` at `unit_price` in the quote's currency."""

    position: int
    item: str
    quantity: Decimal
    unit_price: Decimal
    quote_id: int | None = None
    id: int | None = None

    def amount(self, currency: str) -> Money:
        return Money(self.quantity * self.unit_price, currency)


@dataclass(eq=False)
class Quote:
    """An offer to a customer (Q-n); accepted quotes are never edited."""

    deal_id: int
    owner_id: int
    team: str | None
    currency: str
    discount_pct: Decimal
    tax_pct: Decimal
    valid_until: date
    created_at: datetime
    lines: list[QuoteLine] = field(default_factory=list)
    status: QuoteStatus = QuoteStatus.DRAFT
    total: Decimal = Decimal(0)
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("quote", self.id)

    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.amount(self.currency)
        return total

    @property
    def discount(self) -> Money:
        return self.subtotal.percent(self.discount_pct)

    @property
    def net(self) -> Money:
        return self.subtotal - self.discount

    @property
    def tax(self) -> Money:
        return self.net.percent(self.tax_pct)

    @property
    def grand_total(self) -> Money:
        return self.net + self.tax

    def is_open(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and not self.is_expired(today)

    def is_expired(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.valid_until < today


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    item: str
    unit_price: Money


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
    if not deal.is_open:
        raise Conflict("deal.closed", ref=deal.number, status=Named("deal.status", deal.status))
    if not lines:
        raise InvalidInput("quote.no_lines")
    if len(lines) > MAX_LINES:
        raise InvalidInput("quote.too_many_lines", limit=MAX_LINES)
    discount = Decimal(0) if discount is None else discount
    tax = settings.default_tax if tax is None else tax
    for pct in (discount, tax):
        if not Decimal(0) <= pct <= Decimal(100):
            raise InvalidInput("parse.percent", value=str(pct))
    valid_until = valid_until or date.fromordinal(today.toordinal() + settings.quote_validity_days)
    if valid_until < today:
        raise InvalidInput("quote.valid_in_past", date=valid_until.isoformat())
    quote_lines = []
    for position, line in enumerate(lines, start=1):
        if line.quantity <= 0:
            raise InvalidInput("parse.quantity", value=str(line.quantity))
        if line.unit_price.amount < 0:
            raise InvalidInput("parse.amount", value=str(line.unit_price.amount))
        if line.unit_price.currency != deal.currency:
            raise InvalidInput("quote.currency_mismatch", currency=line.unit_price.currency,
                               expected=deal.currency)
        item = line.item.strip()
        if not item or len(item) > MAX_ITEM:
            raise InvalidInput("quote.bad_item", value=item[:40])
        quote_lines.append(QuoteLine(position=position, item=item, quantity=line.quantity,
                                     unit_price=line.unit_price.amount))
    quote = Quote(
        deal_id=deal.id or 0, owner_id=deal.owner_id, team=deal.team, currency=deal.currency,
        discount_pct=discount, tax_pct=tax, valid_until=valid_until, created_at=now,
        lines=quote_lines,
    )
    quote.total = quote.grand_total.amount
    if quote.grand_total.is_zero:
        raise InvalidInput("quote.zero_total")
    if discount > settings.approval_discount:
        quote.status = QuoteStatus.PENDING
    uow.quotes.add(quote)
    uow.flush()
    deal.touch(now)
    deal.follow_quote(quote.id or 0, quote.total)
    if quote.status == QuoteStatus.PENDING:
        uow.events.append(QuoteNeedsApproval(
            quote.id or 0, deal.id or 0, quote.owner_id, quote.team, discount,
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
    quote = uow.quotes.get(quote_id)
    if quote is None:
        raise NotFound("ref.not_found", ref=reference("quote", quote_id))
    if not actor.can_read(quote.owner_id, quote.team):
        raise Forbidden("access.not_yours", ref=quote.number)
    return quote


def _pending_for_decision(uow: UnitOfWork, actor: User, quote_id: int, today: date) -> Quote:
    actor.require(Role.MANAGER)
    quote = get_quote(uow, actor, quote_id)
    if not actor.can_write(quote.owner_id, quote.team):
        raise Forbidden("access.not_yours", ref=quote.number)
    if quote.status != QuoteStatus.PENDING:
        raise Conflict("quote.not_pending", ref=quote.number,
                       status=Named("quote.status", quote.status))
    if quote.is_expired(today):
        raise Conflict("quote.expired", ref=quote.number, date=quote.valid_until.isoformat())
    if quote.owner_id == actor.id and actor.role != Role.ADMIN:
        raise Forbidden("quote.own_approval", ref=quote.number)
    return quote


def approve_quote(
    uow: UnitOfWork, actor: User, quote_id: int, now: datetime, today: date
) -> Quote:
    """A manager approves the discount; the rep may then send and accept the quote."""
    quote = _pending_for_decision(uow, actor, quote_id, today)
    quote.status = QuoteStatus.APPROVED
    quote.decided_by = actor.id
    quote.decided_at = now
    uow.events.append(QuoteApproved(quote.id or 0, quote.owner_id, actor.id or 0))
    return quote


def reject_quote(
    uow: UnitOfWork, actor: User, quote_id: int, reason: str, now: datetime, today: date
) -> Quote:
    """A manager rejects the discount, with a reason the rep will read."""
    if not reason.strip():
        raise InvalidInput("quote.reason_required")
    quote = _pending_for_decision(uow, actor, quote_id, today)
    quote.status = QuoteStatus.REJECTED
    quote.decided_by = actor.id
    quote.decided_at = now
    quote.decision_note = reason.strip()[:500]
    _deal_follows_remaining_quotes(uow, quote)
    uow.events.append(QuoteRejected(quote.id or 0, quote.owner_id, actor.id or 0,
                                    quote.decision_note))
    return quote


def withdraw_quote(
    uow: UnitOfWork, actor: User, quote_id: int, reason: str, now: datetime
) -> Quote:
    """The owner takes back an open quote (e.g. before the deal is lost)."""
    quote = get_quote(uow, actor, quote_id)
    if not actor.can_write(quote.owner_id, quote.team):
        raise Forbidden("access.not_yours", ref=quote.number)
    if quote.status not in OPEN_STATUSES:
        raise Conflict("quote.not_open", ref=quote.number,
                       status=Named("quote.status", quote.status))
    quote.status = QuoteStatus.WITHDRAWN
    quote.decided_by = actor.id
    quote.decided_at = now
    quote.decision_note = reason.strip()[:500] or None
    _deal_follows_remaining_quotes(uow, quote)
    return quote


def acceptable_quote(uow: UnitOfWork, actor: User, quote_id: int, today: date) -> Quote:
    """The quote if the customer may sign it now: approved or needing no approval, valid."""
    quote = get_quote(uow, actor, quote_id)
    if not actor.can_write(quote.owner_id, quote.team):
        raise Forbidden("access.not_yours", ref=quote.number)
    if quote.status == QuoteStatus.PENDING:
        raise Conflict("quote.awaiting_approval", ref=quote.number)
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.APPROVED):
        raise Conflict("quote.not_open", ref=quote.number,
                       status=Named("quote.status", quote.status))
    if quote.is_expired(today):
        raise Conflict("quote.expired", ref=quote.number, date=quote.valid_until.isoformat())
    deal = get_deal(uow, actor, quote.deal_id)
    if not deal.is_open:
        raise Conflict("deal.closed", ref=deal.number, status=Named("deal.status", deal.status))
    return quote
