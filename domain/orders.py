"""Orders (contracts): a signed quote with its lines, payment plan and deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.deals import mark_won
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.events import OrderCreated
from domain.model.users import User
from domain.money import Money
from domain.plans import Trigger, parse_plan, split_total
from domain.quotes import acceptable_quote
from domain.references import reference
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.deliveries import Delivery
    from domain.invoices import Invoice


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
    on_date: date | None = None
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
    deliveries: list[Delivery] = field(default_factory=list)
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("order", self.id)

    @property
    def value(self) -> Money:
        return Money(self.total, self.currency)

    def delivered(self, line: OrderLine) -> Decimal:
        """How much of the line has been delivered so far."""
        return sum((d.quantity for delivery in self.deliveries for d in delivery.lines
                    if d.position == line.position), Decimal(0))

    def to_deliver(self, line: OrderLine) -> Decimal:
        return line.quantity - self.delivered(line)

    @property
    def has_delivery(self) -> bool:
        return bool(self.deliveries)

    @property
    def fully_delivered(self) -> bool:
        return all(self.to_deliver(line) <= 0 for line in self.lines)

    def installment(self, seq: int) -> Installment | None:
        return next((i for i in self.installments if i.seq == seq), None)

    def waits_for(self, installment: Installment, on: date) -> str | None:
        """Why the installment cannot be invoiced on `on` yet (a message key), or None."""
        if installment.trigger == Trigger.DELIVERY and not self.has_delivery:
            return "invoice.waits_for_delivery"
        if installment.trigger == Trigger.ACCEPTANCE and not self.fully_delivered:
            return "invoice.waits_for_acceptance"
        if installment.trigger == Trigger.DATE and installment.on_date and on < installment.on_date:
            return "invoice.waits_for_date"
        return None

    def position(self, invoices: Sequence[Invoice]) -> OrderPosition:
        """Where the order stands: delivered, invoiced, paid, outstanding and its status."""
        money = [i for i in invoices if i.order_id == self.id]
        invoiced = sum((i.total - i.credited for i in money), Decimal(0))
        paid = sum((i.paid for i in money), Decimal(0))
        return OrderPosition(
            total=self.total, invoiced=invoiced, paid=paid,
            fully_delivered=self.fully_delivered, has_delivery=self.has_delivery,
        )


class OrderStatus(StrEnum):
    """Derived from deliveries, invoices and payments; never typed in."""

    TO_DELIVER_AND_BILL = "to_deliver_and_bill"
    TO_DELIVER = "to_deliver"
    TO_BILL = "to_bill"
    TO_COLLECT = "to_collect"
    COMPLETED = "completed"


@dataclass(frozen=True)
class OrderPosition:
    """An order's amounts in its currency: invoiced net of credit notes, paid, outstanding."""

    total: Decimal
    invoiced: Decimal
    paid: Decimal
    fully_delivered: bool
    has_delivery: bool

    @property
    def uninvoiced(self) -> Decimal:
        return self.total - self.invoiced

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid

    @property
    def status(self) -> OrderStatus:
        billed = self.uninvoiced <= 0
        if not self.fully_delivered:
            return OrderStatus.TO_DELIVER if billed else OrderStatus.TO_DELIVER_AND_BILL
        if not billed:
            return OrderStatus.TO_BILL
        return OrderStatus.TO_COLLECT if self.outstanding > 0 else OrderStatus.COMPLETED


def get_order(uow: UnitOfWork, actor: User, order_id: int) -> Order:
    """The order if it exists and the actor may read it."""
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("ref.not_found", ref=reference("order", order_id))
    if not actor.can_read(order.owner_id, order.team):
        raise Forbidden("access.not_yours", ref=order.number)
    return order


def signing_instant(signed_on: date, today: date, now: datetime, timezone: str) -> datetime:
    """When an order signed on `signed_on` counts as won: now when signed today, otherwise
    noon of that day in the signer's time zone (the middle of the day keeps it on that date
    for readers a few hours east or west)."""
    if signed_on >= today:
        return now
    return datetime.combine(signed_on, time(12), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


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
                        net_days=part.net_days, end_of_month=part.end_of_month,
                        on_date=part.on_date)
            for i, (part, amount) in enumerate(zip(parts, amounts, strict=True), start=1)
        ],
    )
    uow.orders.add(order)
    quote.accept(now)
    uow.flush()
    deal.follow_order(order.id or 0, order.total)
    mark_won(uow, deal, actor, now, won_at=signing_instant(signed_on, today, now,
                                                           actor.timezone))
    uow.events.append(OrderCreated(order.id or 0, deal.id or 0, order.owner_id, order.total,
                                   order.currency))
    return order
