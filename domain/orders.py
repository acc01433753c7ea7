"""Orders: read, and made when the customer signs a quote."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.deals import mark_won
from domain.events import OrderCreated
from domain.model.orders import Order
from domain.model.users import User
from domain.products import check_order_stock
from domain.quotes import acceptable_quote
from domain.records import readable
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork


def get_order(uow: UnitOfWork, actor: User, order_id: int) -> Order:
    """The order if it exists and the actor may read it."""
    order: Order = readable(uow, actor, "order", order_id).entity
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
    deal = uow.deals.get(quote.deal_id)
    assert deal is not None
    signed_on = signed_on or today
    order = Order.from_quote(quote, deal, plan or next(iter(settings.plans), "100"),
                             settings.plans, signed_on, today, now)
    uow.orders.add(order)
    quote.accept(now)
    uow.flush()
    deal.follow_order(order.id or 0, order.total)
    mark_won(uow, deal, actor, now, won_at=signing_instant(signed_on, today, now,
                                                           actor.timezone))
    uow.events.append(OrderCreated(order.id or 0, deal.id or 0, order.owner_id, order.total,
                                   order.currency))
    customer = uow.customers.get(order.customer_id)
    check_order_stock(uow, order, customer.name if customer else "")
    return order
