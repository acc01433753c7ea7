"""Deliveries: recording what was handed over against an order."""

from __future__ import annotations

from datetime import date, datetime

from domain.model.deliveries import Delivery, DeliveryInput
from domain.model.orders import Order
from domain.model.users import Role, User
from domain.products import take_out
from domain.records import writable
from domain.satisfaction import ask_after_delivery
from domain.unit_of_work import UnitOfWork


def record_delivery(
    uow: UnitOfWork,
    actor: User,
    order_id: int,
    wanted: list[DeliveryInput] | None,
    now: datetime,
    today: date,
    *,
    delivered_on: date | None = None,
    allow_backorder: bool = False,
) -> Delivery:
    """Record a (partial) delivery; `wanted=None` delivers everything still to deliver.

    A line is never delivered beyond what was ordered; its product leaves the stock, never
    below zero unless `allow_backorder`. The last delivery asks the customer's contacts how
    likely they are to recommend us.
    """
    order: Order = writable(uow, actor, "order", order_id, or_role=Role.FINANCE).entity
    uow.ledgers.lock(order.customer_id)
    delivered_on = delivered_on or today
    order.check_document_date(delivered_on, today, "delivery")
    delivery = order.deliver(wanted, delivered_on, actor.id or 0, now)
    uow.flush()
    take_out(uow, actor, order, delivery, now, allow_backorder=allow_backorder)
    ask_after_delivery(uow, order, now)
    return delivery
