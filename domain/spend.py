"""Marketing spend per lead source and month: what customer acquisition cost (CAC) divides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput
from domain.model.users import Role, User
from domain.money import Money
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve

MAX_NOTE = 200


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

    @property
    def value(self) -> Money:
        return Money(self.amount, self.currency)


def month_start(day: date) -> date:
    return day.replace(day=1)


def record_spend(
    uow: UnitOfWork, actor: User, source: str, amount: Money, month: date, settings: Settings,
    now: datetime, note: str | None = None,
) -> Spend:
    """Finance or a manager books spend on a configured lead source for a month."""
    actor.require(Role.FINANCE, Role.MANAGER)
    key = resolve(settings.terms("source"), source, "source")
    if amount.amount <= 0:
        raise InvalidInput("spend.not_positive", amount=str(amount))
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidInput("field.too_long", field="note", limit=MAX_NOTE)
    spend = Spend(source=key, month=month_start(month), currency=amount.currency,
                  amount=amount.amount, recorded_by=actor.id or 0, created_at=now, note=note)
    uow.spend.add(spend)
    uow.flush()
    return spend
