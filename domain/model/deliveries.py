"""Deliveries: goods or services handed over against an order's lines, partial or complete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


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
