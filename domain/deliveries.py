"""Deliveries: recording what was handed over against an order."""

from __future__ import annotations

from datetime import date, datetime

from domain.errors import Forbidden
from domain.model.deliveries import Delivery, DeliveryInput
from domain.model.orders import Order
from domain.model.users import Role, User
from domain.orders import get_order
from domain.unit_of_work import UnitOfWork


def _may_deliver(actor: User, order: Order) -> None:
    if actor.has_role(Role.FINANCE) or actor.can_write(order.owner_id, order.team):
        return
    raise Forbidden("access.not_yours", ref=order.number)


def record_delivery(
    uow: UnitOfWork,
    actor: User,
    order_id: int,
    wanted: list[DeliveryInput] | None,
    now: datetime,
    today: date,
    *,
    delivered_on: date | None = None,
) -> Delivery:
    """Record a (partial) delivery; `wanted=None` delivers everything still to deliver.

    A line is never delivered beyond what was ordered.
    """
    order = get_order(uow, actor, order_id)
    _may_deliver(actor, order)
    uow.ledgers.lock(order.customer_id)
    delivered_on = delivered_on or today
    order.check_document_date(delivered_on, today, "delivery")
    delivery = order.deliver(wanted, delivered_on, actor.id or 0, now)
    uow.flush()
    return delivery
