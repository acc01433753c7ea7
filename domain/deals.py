"""Deals (opportunities): stages with probabilities, history, won and lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import DealLost, DealWon
from domain.model.users import User
from domain.money import Money
from domain.references import reference
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import Named, resolve

WON = "won"
LOST = "lost"


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class AmountSource(StrEnum):
    """Where a deal's amount comes from: typed by a person, a quote's total, the order's."""

    TYPED = "typed"
    QUOTE = "quote"
    ORDER = "order"


@dataclass(eq=False)
class Deal:
    """A sales opportunity with a customer (D-n)."""

    title: str
    customer_id: int
    owner_id: int
    team: str | None
    stage: str
    probability: int
    currency: str
    created_at: datetime
    last_activity_at: datetime
    amount: Decimal | None = None
    close_date: date | None = None
    status: DealStatus = DealStatus.OPEN
    lost_reason: str | None = None
    next_step: str | None = None
    closed_at: datetime | None = None
    lead_id: int | None = None
    source: str | None = None
    amount_source: AmountSource | None = None
    amount_ref: int | None = None  # the quote or order the amount was taken from
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("deal", self.id)

    def type_amount(self, amount: Decimal | None) -> None:
        """A person sets the amount; it holds until the next quote."""
        self.amount = amount
        self.amount_source = AmountSource.TYPED if amount is not None else None
        self.amount_ref = None

    def follow_quote(self, quote_id: int, total: Decimal) -> None:
        """An open deal is worth its latest quote."""
        if self.is_open:
            self.amount = total
            self.amount_source = AmountSource.QUOTE
            self.amount_ref = quote_id

    def follow_order(self, order_id: int, total: Decimal) -> None:
        """A won deal is worth its signed order."""
        self.amount = total
        self.amount_source = AmountSource.ORDER
        self.amount_ref = order_id

    @property
    def value(self) -> Money | None:
        return Money(self.amount, self.currency) if self.amount is not None else None

    @property
    def weighted(self) -> Money | None:
        value = self.value
        return value.percent(Decimal(self.probability)) if value else None

    @property
    def is_open(self) -> bool:
        return self.status == DealStatus.OPEN


@dataclass(eq=False)
class StageChange:
    """One move of a deal from a stage to another; the deal's history."""

    deal_id: int
    from_stage: str | None
    to_stage: str
    at: datetime
    user_id: int
    id: int | None = None


def get_deal(uow: UnitOfWork, actor: User, deal_id: int) -> Deal:
    deal = uow.deals.get(deal_id)
    if deal is None:
        raise NotFound("ref.not_found", ref=reference("deal", deal_id))
    if not actor.can_read(deal.owner_id, deal.team):
        raise Forbidden("access.not_yours", ref=deal.number)
    return deal


def writable_deal(uow: UnitOfWork, actor: User, deal_id: int) -> Deal:
    deal = get_deal(uow, actor, deal_id)
    if not actor.can_write(deal.owner_id, deal.team):
        raise Forbidden("access.not_yours", ref=deal.number)
    return deal


def _open(deal: Deal) -> None:
    if not deal.is_open:
        raise Conflict("deal.closed", ref=deal.number, status=Named("deal.status", deal.status))


def _record(uow: UnitOfWork, deal: Deal, to_stage: str, actor: User, now: datetime) -> None:
    uow.deals.add_stage_change(StageChange(deal_id=deal.id or 0, from_stage=deal.stage,
                                           to_stage=to_stage, at=now, user_id=actor.id or 0))


def move_stage(
    uow: UnitOfWork, actor: User, deal_id: int, stage_key: str, settings: Settings, now: datetime
) -> Deal:
    """Move an open deal to a configured stage; its probability follows the stage."""
    deal = writable_deal(uow, actor, deal_id)
    _open(deal)
    stage = settings.stage(resolve(settings.terms("stage"), stage_key, "stage"))
    assert stage is not None
    if stage.key == deal.stage:
        raise Conflict("deal.same_stage", ref=deal.number, stage=Named("stage", stage.key))
    _record(uow, deal, stage.key, actor, now)
    deal.stage = stage.key
    deal.probability = stage.probability
    deal.last_activity_at = now
    return deal


def win_deal(uow: UnitOfWork, actor: User, deal_id: int, now: datetime) -> Deal:
    """Close the deal as won."""
    deal = writable_deal(uow, actor, deal_id)
    _open(deal)
    mark_won(uow, deal, actor, now)
    return deal


def mark_won(uow: UnitOfWork, deal: Deal, actor: User, now: datetime,
             won_at: datetime | None = None) -> None:
    """Set an open deal to won and tell the team; also used when a quote is accepted.

    `won_at` is when the deal counts as won (the order's signing day); by default now.
    """
    if not deal.is_open:
        return
    _record(uow, deal, WON, actor, now)
    deal.status = DealStatus.WON
    deal.stage = WON
    deal.probability = 100
    deal.closed_at = won_at or now
    deal.last_activity_at = now
    uow.events.append(DealWon(deal.id or 0, deal.owner_id, deal.team, deal.title,
                              deal.amount, deal.currency))


def lose_deal(
    uow: UnitOfWork, actor: User, deal_id: int, reason: str, now: datetime, today: date
) -> Deal:
    """Close the deal as lost; refused while one of its quotes is still open."""
    if not reason.strip():
        raise InvalidInput("deal.reason_required")
    deal = writable_deal(uow, actor, deal_id)
    _open(deal)
    open_quotes = uow.quotes.open_for_deal(deal.id or 0, today)
    if open_quotes:
        raise Conflict("deal.open_quote", ref=deal.number,
                       quotes=", ".join(q.number for q in open_quotes))
    _record(uow, deal, LOST, actor, now)
    deal.status = DealStatus.LOST
    deal.stage = LOST
    deal.probability = 0
    deal.lost_reason = reason.strip()[:500]
    deal.closed_at = now
    deal.last_activity_at = now
    uow.events.append(DealLost(deal.id or 0, deal.owner_id, deal.team, deal.title,
                               deal.lost_reason))
    return deal
