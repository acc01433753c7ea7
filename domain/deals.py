"""Deals: read, moved through the pipeline, won and lost."""

from __future__ import annotations

from datetime import date, datetime

from domain.errors import Conflict
from domain.events import DealLost, DealWon
from domain.model.deals import Deal
from domain.model.users import User
from domain.records import readable, writable
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve


def get_deal(uow: UnitOfWork, actor: User, deal_id: int) -> Deal:
    deal: Deal = readable(uow, actor, "deal", deal_id).entity
    return deal


def writable_deal(uow: UnitOfWork, actor: User, deal_id: int) -> Deal:
    deal: Deal = writable(uow, actor, "deal", deal_id).entity
    return deal


def move_stage(
    uow: UnitOfWork, actor: User, deal_id: int, stage_key: str, settings: Settings, now: datetime
) -> Deal:
    """Move an open deal to a configured stage; its probability follows the stage."""
    deal = writable_deal(uow, actor, deal_id)
    deal.check_open()
    stage = settings.stage(resolve(settings.terms("stage"), stage_key, "stage"))
    assert stage is not None
    uow.deals.add_stage_change(deal.move_to(stage, actor.id or 0, now))
    return deal


def win_deal(uow: UnitOfWork, actor: User, deal_id: int, now: datetime) -> Deal:
    """Close the deal as won."""
    deal = writable_deal(uow, actor, deal_id)
    deal.check_open()
    mark_won(uow, deal, actor, now)
    return deal


def mark_won(uow: UnitOfWork, deal: Deal, actor: User, now: datetime,
             won_at: datetime | None = None) -> None:
    """Win an open deal and tell the team; also used when a quote is accepted.

    `won_at` is when the deal counts as won (the order's signing day); by default now.
    """
    if not deal.is_open:
        return
    uow.deals.add_stage_change(deal.win(actor.id or 0, now, won_at))
    uow.events.append(DealWon(deal.id or 0, deal.owner_id, deal.team, deal.title,
                              deal.amount, deal.currency))


def lose_deal(
    uow: UnitOfWork, actor: User, deal_id: int, reason: str, now: datetime, today: date
) -> Deal:
    """Close the deal as lost; refused while one of its quotes is still open."""
    reason = Deal.checked_reason(reason)  # answered before the deal is looked up
    deal = writable_deal(uow, actor, deal_id)
    deal.check_open()
    open_quotes = uow.quotes.open_for_deal(deal.id or 0, today)
    if open_quotes:
        raise Conflict("deal.open_quote", ref=deal.number,
                       quotes=", ".join(q.number for q in open_quotes))
    uow.deals.add_stage_change(deal.lose(reason, actor.id or 0, now))
    uow.events.append(DealLost(deal.id or 0, deal.owner_id, deal.team, deal.title,
                               reason))
    return deal
