"""Who a lead that arrives without an owner goes to: the rules of [leads.assignment] first
(by source, region or keyword, to a person or to a team in turn), else round robin among the
reps of the importing user's team (website leads: `intake_team`), else the importing user.

Inactive people are skipped, and so are reps already holding `[pool] max_owned` records while
someone else can take the lead. The assignee is told at once, with the lead's card.
"""

from __future__ import annotations

from domain.events import LeadRouted
from domain.model.leads import Lead
from domain.model.users import Role, User
from domain.settings import RoutingRule, Settings
from domain.unit_of_work import UnitOfWork

SALES = (Role.REP, Role.MANAGER)


def _matches(rule: RoutingRule, lead: Lead) -> bool:
    text = f"{lead.company} {lead.note or ''}".lower()
    if rule.source is not None and rule.source != lead.source:
        return False
    if rule.region is not None and rule.region.lower() not in (lead.region or "").lower():
        return False
    return rule.keyword is None or rule.keyword.lower() in text


def _reps(uow: UnitOfWork, team: str | None) -> list[User]:
    """Active reps of the team (every active rep when no team is named), by id."""
    found = uow.users.with_role(Role.REP, team)
    return [u for u in found if u.active and (team is None or u.team == team)]


def _in_turn(uow: UnitOfWork, team: str | None, settings: Settings) -> User | None:
    reps = _reps(uow, team)
    if not reps:
        return None
    room = [u for u in reps if uow.pool.owned(u.id or 0) < settings.pool.max_owned]
    chosen = uow.pool.turn(f"team:{team or '*'}", [u.id or 0 for u in room or reps])
    return next(u for u in reps if u.id == chosen)


def owner_for(uow: UnitOfWork, lead: Lead, creator: User | None,
              settings: Settings) -> User | None:
    """The person the rules give the lead to; None when they name nobody."""
    for rule in settings.assignment.rules:
        if not _matches(rule, lead):
            continue
        if rule.user is not None:
            person = uow.users.by_username(rule.user)
            if person is not None and person.active and person.role in SALES:
                return person
            continue
        chosen = _in_turn(uow, rule.team, settings)
        if chosen is not None:
            return chosen
    if settings.assignment.round_robin:
        team = creator.team if creator is not None else settings.assignment.intake_team
        chosen = _in_turn(uow, team, settings)
        if chosen is not None:
            return chosen
    if creator is not None and creator.active and creator.role in SALES:
        return creator
    return None


def route(uow: UnitOfWork, lead: Lead, creator: User | None, settings: Settings,
          fallback: User) -> User:
    """Give a new lead (not yet added) to its owner by the rules, else to `fallback`."""
    owner = owner_for(uow, lead, creator, settings) or fallback
    lead.owner_id = owner.id or 0
    lead.team = owner.team
    return owner


def tell_assignee(uow: UnitOfWork, lead: Lead, creator: User | None) -> None:
    """The assignee hears of the lead at once (not when they typed it themselves)."""
    if creator is not None and creator.id == lead.owner_id:
        return
    uow.events.append(LeadRouted(lead.id or 0, lead.owner_id, {
        "lead": lead.number, "company": lead.company, "contact": lead.contact or "",
        "phone": lead.phone or "", "email": lead.email or "", "source": lead.source or "",
        "score": lead.score, "note": (lead.note or "")[:200]}))
