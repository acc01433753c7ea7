"""Orders (contracts): a signed quote with its lines and payment plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.deals import mark_won
from domain.errors import InvalidInput
from domain.events import OrderCreated
from domain.money import Money
from domain.plans import Trigger, parse_plan, split_total
from domain.quotes import QuoteStatus, acceptable_quote
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.users import User


@dataclass(eq=False)
class OrderLine:
    position: int
    item: str
    quantity: Decimal
    unit_price: Decimal
    order_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Installment:
    """One part of the payment plan: its share, amount, trigger and terms."""

    seq: int
    percent: Decimal
    amount: Decimal
    trigger: Trigger
    net_days: int = 0
    end_of_month: bool = False
    order_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Order:
    """A signed contract (O-n); its total is the accepted quote's total."""

    quote_id: int
    deal_id: int
    customer_id: int
    owner_id: int
    team: str | None
    currency: str
    total: Decimal
    discount_pct: Decimal
    tax_pct: Decimal
    signed_on: date
    plan: str
    created_at: datetime
    lines: list[OrderLine] = field(default_factory=list)
    installments: list[Installment] = field(default_factory=list)
    id: int | None = None

    @property
    def number(self) -> str:
        return f"O-{self.id}"

    @property
    def value(self) -> Money:
        return Money(self.total, self.currency)


def accept_quote(
    uow: UnitOfWork,
    actor: User,
    quote_id: int,
    settings: Settings,
    now: datetime,
    today: date,
    *,
    signed_on: date | None = None,
    plan: str | None = None,
) -> Order:
    """The customer signed: the quote is accepted, the deal won, an order with its plan made."""
    quote = acceptable_quote(uow, actor, quote_id, today)
    signed_on = signed_on or today
    if signed_on > today:
        raise InvalidInput("order.signed_in_future", date=signed_on.isoformat())
    default_plan = next(iter(settings.plans), "100")
    spec, parts = parse_plan(plan or default_plan, settings.plans)
    deal = uow.deals.get(quote.deal_id)
    assert deal is not None
    total = quote.grand_total
    amounts = split_total(total, parts)
    order = Order(
        quote_id=quote.id or 0, deal_id=deal.id or 0, customer_id=deal.customer_id,
        owner_id=deal.owner_id, team=deal.team, currency=quote.currency, total=total.amount,
        discount_pct=quote.discount_pct, tax_pct=quote.tax_pct, signed_on=signed_on,
        plan=spec, created_at=now,
        lines=[OrderLine(position=line.position, item=line.item, quantity=line.quantity,
                         unit_price=line.unit_price) for line in quote.lines],
        installments=[
            Installment(seq=i, percent=part.percent, amount=amount.amount, trigger=part.trigger,
                        net_days=part.net_days, end_of_month=part.end_of_month)
            for i, (part, amount) in enumerate(zip(parts, amounts, strict=True), start=1)
        ],
    )
    uow.orders.add(order)
    quote.status = QuoteStatus.ACCEPTED
    quote.decided_at = quote.decided_at or now
    if deal.amount is None:
        deal.amount = quote.net.amount
    mark_won(uow, deal, actor, now)
    uow.flush()
    uow.events.append(OrderCreated(order.id or 0, deal.id or 0, order.owner_id, order.total,
                                   order.currency))
    return order
