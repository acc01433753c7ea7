"""Giving records to someone else: one record (/assign), everything open of a person who
leaves (/handover), and what moves along when a person changes team.

What moves with a record is what its previous owner had on it: a deal takes its open quotes;
a customer takes the previous owner's open deals on it (with their quotes) and the leads
still open under the same company name; every moved record takes the previous owner's open
reminders about it. The new owner's team becomes the records' team, so the new team's
manager sees them. The new owner is told through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import RecordsAssigned
from domain.model.customers import Customer
from domain.model.deals import Deal
from domain.model.leads import Lead
from domain.model.quotes import OPEN_STATUSES, Quote
from domain.model.reminders import Reminder
from domain.model.users import Role, User
from domain.records import writable
from domain.unit_of_work import UnitOfWork

ASSIGNABLE = ("lead", "deal", "customer")
OWNERS = (Role.REP, Role.MANAGER)


@dataclass
class OpenRecords:
    """What a person has open: customers they own, open deals, leads to work, reminders."""

    customers: list[Customer] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def refs(self) -> list[str]:
        return [*(c.number for c in self.customers), *(d.number for d in self.deals),
                *(lead.number for lead in self.leads)]

    @property
    def empty(self) -> bool:
        return not (self.customers or self.deals or self.leads or self.reminders)


@dataclass(frozen=True)
class Handed:
    """Records given to `to`: their references, and how many reminders went along."""

    to: User
    refs: list[str]
    reminders: int


def open_records(uow: UnitOfWork, user: User) -> OpenRecords:
    uid = user.id or 0
    return OpenRecords(customers=uow.customers.of_owner(uid), deals=uow.deals.open_of_owner(uid),
                       leads=uow.leads.open_of_owner(uid),
                       reminders=uow.reminders.open_of_user(uid))


def _person(uow: UnitOfWork, username: str) -> User:
    user = uow.users.by_username(username.strip().lstrip("@"))
    if user is None:
        raise NotFound("user.unknown", username=username)
    return user


def _new_owner(uow: UnitOfWork, actor: User | None, username: str) -> User:
    """An active sales person the actor may give records to (a manager: in their team)."""
    user = _person(uow, username)
    if not user.active:
        raise Conflict("assign.inactive", username=user.username)
    if user.role not in OWNERS:
        raise InvalidInput("assign.not_sales", username=user.username,
                           role=user.role.value)
    if actor is not None and actor.role == Role.MANAGER and actor.team is not None \
            and user.team != actor.team:
        raise Forbidden("assign.other_team", username=user.username, team=actor.team)
    return user


def _give(entities: Iterable[Customer | Deal | Lead | Quote], to: User) -> None:
    for entity in entities:
        entity.give_to(to.id or 0, to.team)


def follow_deals(uow: UnitOfWork, deals: list[Deal], to: User) -> None:
    """Deals move with their open quotes."""
    _give(deals, to)
    for deal in deals:
        _give((q for q in uow.quotes.of_deal(deal.id or 0) if q.status in OPEN_STATUSES), to)


def reminders_about(uow: UnitOfWork, user_id: int, refs: set[tuple[str, int]]) -> list[Reminder]:
    return [r for r in uow.reminders.open_of_user(user_id)
            if r.ref_kind is not None and (r.ref_kind, r.ref_id or 0) in refs]


def move_reminders(reminders: list[Reminder], to: User) -> None:
    for reminder in reminders:
        reminder.give_to(to.id or 0)


def _told(uow: UnitOfWork, actor: User | None, to: User, refs: list[str],
          reminders: int) -> Handed:
    if refs or reminders:
        uow.events.append(RecordsAssigned(to.id or 0, actor.id or 0 if actor else 0,
                                          tuple(refs), reminders))
    return Handed(to, refs, reminders)


def assign(uow: UnitOfWork, actor: User, kind: str, id_: int, username: str) -> Handed:
    """A manager (within the team) or an admin gives one lead, deal or customer to someone."""
    actor.require(Role.MANAGER)
    if kind not in ASSIGNABLE:
        raise InvalidInput("assign.bad_kind", refs="L-n, D-n, A-n")
    record = writable(uow, actor, kind, id_)
    to = _new_owner(uow, actor, username)
    previous = record.owner_id
    if previous == to.id:
        raise Conflict("assign.already", ref=record.number, username=to.username)
    moved: list[Any] = [record.entity]
    deals: list[Deal] = []
    if kind == "deal":
        deals = [record.entity]
    elif kind == "customer":
        customer: Customer = record.entity
        deals = [d for d in uow.deals.open_of_customer(customer.id or 0)
                 if d.owner_id == previous]
        moved += deals
        moved += [lead for lead in uow.leads.open_by_name_key(customer.name_key)
                  if lead.owner_id == previous]
    _give([m for m in moved if not isinstance(m, Deal)], to)
    follow_deals(uow, deals, to)
    reminders = reminders_about(uow, previous, {(_kind_of(m), m.id or 0) for m in moved})
    move_reminders(reminders, to)
    return _told(uow, actor, to, [m.number for m in moved], len(reminders))


def _kind_of(entity: Any) -> str:
    return {Customer: "customer", Deal: "deal", Lead: "lead"}[type(entity)]


def hand_over(uow: UnitOfWork, actor: User | None, from_username: str,
              to_username: str) -> Handed:
    """Everything open of one person (customers, open deals, leads to work, reminders) goes to
    another: a manager within the team, an admin (or the command line, `actor` None) anyone."""
    if actor is not None:
        actor.require(Role.MANAGER)
    giver = _person(uow, from_username)
    if actor is not None and not actor.can_write(giver.id, giver.team):
        raise Forbidden("assign.other_team", username=giver.username, team=actor.team or "")
    to = _new_owner(uow, actor, to_username)
    if giver.id == to.id:
        raise Conflict("assign.same_person", username=to.username)
    held = open_records(uow, giver)
    _give([*held.customers, *held.leads], to)
    follow_deals(uow, held.deals, to)
    move_reminders(held.reminders, to)
    return _told(uow, actor, to, held.refs, len(held.reminders))


def change_team(uow: UnitOfWork, actor: User | None, username: str,
                team: str | None) -> tuple[User, int]:
    """Admin: a person moves to another team (None: no team) with their open records; the
    closed ones stay with the team that worked them. Returns the person and records moved."""
    if actor is not None:
        actor.require(Role.ADMIN)
    user = _person(uow, username)
    user.join_team(team)
    held = open_records(uow, user)
    _give([*held.customers, *held.leads], user)
    follow_deals(uow, held.deals, user)
    return user, len(held.refs)
