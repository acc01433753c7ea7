"""Booking marketing spend on a lead source."""

from __future__ import annotations

from datetime import date, datetime

from domain.model.spend import Spend
from domain.model.users import Role, User
from domain.money import Money
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve


def record_spend(
    uow: UnitOfWork, actor: User, source: str, amount: Money, month: date, settings: Settings,
    now: datetime, note: str | None = None,
) -> Spend:
    """Finance or a manager books spend on a configured lead source for a month."""
    actor.require(Role.FINANCE, Role.MANAGER)
    key = resolve(settings.terms("source"), source, "source")
    spend = Spend.book(key, amount, month, note, actor.id or 0, now)
    uow.spend.add(spend)
    uow.flush()
    return spend
