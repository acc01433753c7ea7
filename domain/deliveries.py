"""Deliveries: goods or services handed over against an order's lines, partial or complete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.errors import Conflict, Forbidden, InvalidInput
from domain.model.users import Role, User
from domain.orders import Order, OrderLine, get_order
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import fold


@dataclass(eq=False)
class DeliveryLine:
    """`quantity` of the order line at `position` handed over."""

    position: int
    quantity: Decimal
    order_line_id: int | None = None
    delivery_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Delivery:
    """One hand-over to the customer, recorded against an order."""

    order_id: int
    delivered_on: date
    recorded_by: int
    created_at: datetime
    lines: list[DeliveryLine] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class DeliveryInput:
    """What the user asked to deliver: a line (by item name or #position) and a quantity."""

    item: str
    quantity: Decimal


def find_line(order: Order, text: str) -> OrderLine:
    """The order line meant by `text`: "#2" or "2" (position), the item name, or a unique part;
    names compare without quotes, case, width or traditional/simplified script."""
    wanted = text.strip().lstrip("#").strip()
    if wanted.isdigit():
        for line in order.lines:
            if line.position == int(wanted):
                return line
    folded = fold(wanted)
    exact = [line for line in order.lines if fold(line.item) == folded]
    if len(exact) == 1:
        return exact[0]
    partial = [line for line in order.lines if folded and folded in fold(line.item)]
    if len(partial) == 1:
        return partial[0]
    items = "; ".join(f"#{line.position} {line.item}" for line in order.lines)
    if partial:
        raise InvalidInput("delivery.ambiguous_item", value=text, items=items)
    raise InvalidInput("delivery.unknown_item", value=text, ref=order.number, items=items)


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
    if delivered_on > today:
        raise InvalidInput("delivery.date_in_future", date=delivered_on.isoformat())
    if delivered_on < order.signed_on:
        raise InvalidInput("delivery.before_signing", date=delivered_on.isoformat(),
                           signed=order.signed_on.isoformat(), ref=order.number)
    amounts: dict[int, Decimal] = {}
    if wanted is None:
        for line in order.lines:
            if order.to_deliver(line) > 0:
                amounts[line.position] = order.to_deliver(line)
        if not amounts:
            raise Conflict("delivery.nothing_left", ref=order.number)
    else:
        if not wanted:
            raise InvalidInput("delivery.no_lines")
        for item in wanted:
            if item.quantity <= 0:
                raise InvalidInput("parse.quantity", value=str(item.quantity))
            line = find_line(order, item.item)
            amounts[line.position] = amounts.get(line.position, Decimal(0)) + item.quantity
    lines_by_position = {line.position: line for line in order.lines}
    for position, quantity in amounts.items():
        line = lines_by_position[position]
        left = order.to_deliver(line)
        if quantity > left:
            raise Conflict("delivery.too_much", ref=order.number, item=line.item,
                           qty=_plain(quantity), ordered=_plain(line.quantity),
                           delivered=_plain(order.delivered(line)), left=_plain(left))
    delivery = Delivery(
        order_id=order.id or 0, delivered_on=delivered_on, recorded_by=actor.id or 0,
        created_at=now,
        lines=[DeliveryLine(position=p, quantity=q, order_line_id=lines_by_position[p].id)
               for p, q in sorted(amounts.items())],
    )
    order.deliveries.append(delivery)
    uow.flush()
    return delivery


def _plain(quantity: Decimal) -> str:
    """A quantity without trailing zeros: 4, 1.5."""
    return format(quantity.normalize(), "f")
