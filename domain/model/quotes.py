"""Quotes: lines, discount, tax and validity; the approval a large discount waits for; the
decision (approved, rejected, withdrawn) and the customer's signature (accepted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import Conflict, Forbidden, InvalidInput
from domain.model.deals import Deal
from domain.model.users import Role, User
from domain.money import Money
from domain.references import reference
from domain.vocabulary import Named

MAX_LINES = 50
MAX_ITEM = 200
MAX_REASON = 500


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
    product_id: int | None = None  # a line of the price list; None: typed free text
    quote_id: int | None = None
    id: int | None = None

    def amount(self, currency: str) -> Money:
        return Money(self.quantity * self.unit_price, currency)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    item: str
    unit_price: Money
    product_id: int | None = None


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

    @classmethod
    def draft(cls, deal: Deal, lines: list[LineInput], *, discount: Decimal, tax: Decimal,
              valid_until: date, approval_discount: Decimal, today: date,
              now: datetime) -> Quote:
        """A quote on the deal, in its currency; a discount above `approval_discount` waits
        for a manager's approval."""
        if not lines:
            raise InvalidInput("quote.no_lines")
        if len(lines) > MAX_LINES:
            raise InvalidInput("quote.too_many_lines", limit=MAX_LINES)
        for pct in (discount, tax):
            if not Decimal(0) <= pct <= Decimal(100):
                raise InvalidInput("parse.percent", value=str(pct))
        if valid_until < today:
            raise InvalidInput("quote.valid_in_past", date=valid_until.isoformat())
        quote = cls(
            deal_id=deal.id or 0, owner_id=deal.owner_id, team=deal.team,
            currency=deal.currency, discount_pct=discount, tax_pct=tax,
            valid_until=valid_until, created_at=now,
            lines=[_line(position, line, deal.currency)
                   for position, line in enumerate(lines, start=1)],
        )
        quote.total = quote.grand_total.amount
        if quote.grand_total.is_zero:
            raise InvalidInput("quote.zero_total")
        if discount > approval_discount:
            quote.status = QuoteStatus.PENDING
        return quote

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

    @staticmethod
    def checked_reason(reason: str) -> str:
        """Why a discount was rejected: required, kept to MAX_REASON characters."""
        text = reason.strip()
        if not text:
            raise InvalidInput("quote.reason_required")
        return text[:MAX_REASON]

    def approve(self, by: User, now: datetime, today: date) -> None:
        """A manager approves the discount; the rep may then send and accept the quote."""
        self._check_decidable(by, today)
        self._decide(QuoteStatus.APPROVED, by, now)

    def reject(self, reason: str, by: User, now: datetime, today: date) -> None:
        """A manager rejects the discount, with a reason the rep will read."""
        self._check_decidable(by, today)
        note = self.checked_reason(reason)
        self._decide(QuoteStatus.REJECTED, by, now)
        self.decision_note = note

    def withdraw(self, reason: str, by: User, now: datetime) -> None:
        """The owner takes back an open quote (e.g. before the deal is lost)."""
        if self.status not in OPEN_STATUSES:
            raise Conflict("quote.not_open", ref=self.number,
                           status=Named("quote.status", self.status))
        self._decide(QuoteStatus.WITHDRAWN, by, now)
        self.decision_note = reason.strip()[:MAX_REASON] or None

    def check_acceptable(self, today: date) -> None:
        """The customer may sign it now: approved or needing no approval, and valid."""
        if self.status == QuoteStatus.PENDING:
            raise Conflict("quote.awaiting_approval", ref=self.number)
        if self.status not in (QuoteStatus.DRAFT, QuoteStatus.APPROVED):
            raise Conflict("quote.not_open", ref=self.number,
                           status=Named("quote.status", self.status))
        if self.is_expired(today):
            raise Conflict("quote.expired", ref=self.number, date=self.valid_until.isoformat())

    def accept(self, now: datetime) -> None:
        """The customer signed; the quote is posted and never edited again."""
        self.status = QuoteStatus.ACCEPTED
        self.decided_at = self.decided_at or now

    def give_to(self, owner_id: int, team: str | None) -> None:
        """An open quote goes along with its deal to the deal's new owner."""
        self.owner_id = owner_id
        self.team = team

    def _check_decidable(self, by: User, today: date) -> None:
        if self.status != QuoteStatus.PENDING:
            raise Conflict("quote.not_pending", ref=self.number,
                           status=Named("quote.status", self.status))
        if self.is_expired(today):
            raise Conflict("quote.expired", ref=self.number, date=self.valid_until.isoformat())
        if self.owner_id == by.id and by.role != Role.ADMIN:
            raise Forbidden("quote.own_approval", ref=self.number)

    def _decide(self, status: QuoteStatus, by: User, now: datetime) -> None:
        self.status = status
        self.decided_by = by.id
        self.decided_at = now


def _line(position: int, line: LineInput, currency: str) -> QuoteLine:
    """A quote line from what was typed: a positive quantity, a price in the deal's currency,
    an item name of sensible length."""
    if line.quantity <= 0:
        raise InvalidInput("parse.quantity", value=str(line.quantity))
    if line.unit_price.amount < 0:
        raise InvalidInput("parse.amount", value=str(line.unit_price.amount))
    if line.unit_price.currency != currency:
        raise InvalidInput("quote.currency_mismatch", currency=line.unit_price.currency,
                           expected=currency)
    item = line.item.strip()
    if not item or len(item) > MAX_ITEM:
        raise InvalidInput("quote.bad_item", value=item[:40])
    return QuoteLine(position=position, item=item, quantity=line.quantity,
                     unit_price=line.unit_price.amount, product_id=line.product_id)
