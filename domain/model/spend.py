"""Marketing spend per lead source and month: what customer acquisition cost (CAC) divides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput
from domain.money import Money

MAX_NOTE = 200


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass(eq=False)
class Spend:
    """Money spent on one lead source in one month; entries of a month add up."""

    source: str
    month: date  # the first day of the month
    currency: str
    amount: Decimal
    recorded_by: int
    created_at: datetime
    note: str | None = None
    id: int | None = None

    @classmethod
    def book(cls, source: str, amount: Money, month: date, note: str | None, by: int,
             now: datetime) -> Spend:
        """A positive amount on a source for the month `month` falls in, with a short note."""
        if amount.amount <= 0:
            raise InvalidInput("spend.not_positive", amount=str(amount))
        note = (note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE:
            raise InvalidInput("field.too_long", field="note", limit=MAX_NOTE)
        return cls(source=source, month=month_start(month), currency=amount.currency,
                   amount=amount.amount, recorded_by=by, created_at=now, note=note)

    @property
    def value(self) -> Money:
        return Money(self.amount, self.currency)
