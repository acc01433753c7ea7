"""The public pool (公海): claiming, releasing, and the daily job that warns owners and then
takes back what nobody works.

Rules (config [pool]): a lead or customer nobody has worked for `reclaim_after_days` goes to
the pool of its team; its owner is warned `warn_days` before. A rep holds at most `max_owned`
open leads and customers (保有量上限), so claiming more is refused. The previous owner may
not claim a record back for `reclaim_cooldown_days`. The first claim wins: the record changes
hands in one conditional UPDATE, so two reps claiming at once never both get it.

A customer goes to the pool with its open deals frozen: they keep their owner, nobody may
change them while the customer is in the pool, and whoever claims the customer takes them
along with their open quotes and reminders. Customers with an order are never taken back:
they are clients, no longer prospects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.assignment import follow_deals, move_reminders, reminders_about
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import PoolReclaimed, PoolWarning
from domain.model.customers import Customer
from domain.model.leads import Lead
from domain.model.pool import check_claimable, release_reason, send_to_pool, take_from_pool
from domain.model.users import Role, User
from domain.records import writable
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

POOL_KINDS = ("lead", "customer")
SWEEP_BATCH = 5000


def _pooled(uow: UnitOfWork, kind: str, id_: int) -> Lead | Customer:
    if kind not in POOL_KINDS:
        raise InvalidInput("pool.bad_kind", refs="L-n, A-n")
    found = uow.leads.get(id_) if kind == "lead" else uow.customers.get(id_)
    if found is None:
        raise NotFound("ref.not_found", ref=f"{'L' if kind == 'lead' else 'A'}-{id_}")
    return found


def sees_pool_of(actor: User, team: str | None) -> bool:
    """Reps and managers see their own team's pool (records of no team: everyone's)."""
    if actor.role in (Role.ADMIN, Role.FINANCE) or team is None:
        return True
    return actor.team is None or actor.team == team


def claim(uow: UnitOfWork, actor: User, kind: str, id_: int, settings: Settings,
          now: datetime) -> Lead | Customer:
    """A rep takes a record from the pool; refused when not in their team's pool, during
    their cooldown, above their limit, or when someone else took it first."""
    actor.require(Role.REP, Role.MANAGER)
    record = _pooled(uow, kind, id_)
    if not record.in_pool or not sees_pool_of(actor, record.team):
        if not record.in_pool:
            raise Conflict("pool.not_in_pool", ref=record.number)
        raise Forbidden("pool.other_team", ref=record.number, team=record.team or "")
    uid = actor.id or 0
    check_claimable(record, uid, now)
    held = uow.pool.owned(uid)
    if held >= settings.pool.max_owned:
        raise Conflict("pool.max_owned", limit=settings.pool.max_owned, held=held)
    previous = record.owner_id
    if not uow.pool.take(kind, id_, uid, actor.team, now):
        raise Conflict("pool.taken", ref=record.number)
    take_from_pool(record, uid, actor.team, now)
    if isinstance(record, Customer):
        deals = [d for d in uow.deals.open_of_customer(record.id or 0) if d.owner_id == previous]
        follow_deals(uow, deals, actor)
        moved = {("customer", record.id or 0), *(("deal", d.id or 0) for d in deals)}
        move_reminders(reminders_about(uow, previous, moved), actor)
    else:
        move_reminders(reminders_about(uow, previous, {("lead", record.id or 0)}), actor)
    return record


def release(uow: UnitOfWork, actor: User, kind: str, id_: int, reason: str | None,
            settings: Settings, now: datetime) -> Lead | Customer:
    """The owner (or their manager) gives a record back to the pool, for a reason."""
    why = release_reason(reason)
    if kind not in POOL_KINDS:
        raise InvalidInput("pool.bad_kind", refs="L-n, A-n")
    record: Lead | Customer = writable(uow, actor, kind, id_).entity
    if isinstance(record, Lead):
        record.check_open()
    send_to_pool(record, now, settings.pool.reclaim_cooldown_days)
    record.pool_reason = why
    return record


@dataclass(frozen=True)
class Sweep:
    """What one run of the pool job did."""

    warned: int
    reclaimed: int


def sweep(uow: UnitOfWork, settings: Settings, now: datetime) -> Sweep:
    """Warn the owners of records about to be taken back, and take back the neglected ones.

    Warnings go once a day per owner (dedupe key by day), listing what goes on which day.
    """
    rules = settings.pool
    if not rules.enabled:
        return Sweep(0, 0)
    reclaim_before = now - timedelta(days=rules.reclaim_after_days)
    warn_before = reclaim_before + timedelta(days=rules.warn_days)
    reclaimed: dict[int, list[str]] = defaultdict(list)
    warned: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    records: list[Lead | Customer] = [*uow.pool.neglected_leads(warn_before, SWEEP_BATCH),
                                      *uow.pool.neglected_customers(warn_before, SWEEP_BATCH)]
    for record in records:
        touched = record.touched_at or record.created_at
        if touched < reclaim_before:
            reclaimed[record.owner_id].append(record.number)
            send_to_pool(record, now, rules.reclaim_cooldown_days)
            record.pool_reason = None
        else:
            warned[record.owner_id].append(
                (touched + timedelta(days=rules.reclaim_after_days), record.number))
    tz = ZoneInfo(settings.timezone)
    for owner, refs in reclaimed.items():
        uow.events.append(PoolReclaimed(owner, tuple(refs)))
    for owner, due in warned.items():
        first: date = min(when for when, _ in due).astimezone(tz).date()
        uow.events.append(PoolWarning(owner, tuple(ref for _, ref in sorted(due)), first))
    return Sweep(sum(len(r) for r in warned.values()), sum(len(r) for r in reclaimed.values()))
