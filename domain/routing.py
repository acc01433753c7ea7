"""Who a lead that arrives without an owner goes to: the rules of [leads.assignment] first
(by source, region or keyword, to a person or to a team in turn), else round robin among the
reps of the importing user's team (website leads: `intake_team`), else the importing user.

Inactive people are skipped, and so are reps already holding `[pool] max_owned` records while
a colleague can still take the lead. The assignee is told at once, with the lead's card.
A `Router` keeps the turns and the counts in memory for one import of many rows and writes
the turns back once.
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


class Router:
    """Gives leads out by the rules, keeping turns and held counts for many leads."""

    def __init__(self, uow: UnitOfWork, settings: Settings) -> None:
        self.uow = uow
        self.settings = settings
        self._reps: dict[str | None, list[User]] = {}
        self._held: dict[int, int] = {}
        self._turns: dict[str, int | None] = {}
        self._people: dict[str, User | None] = {}

    def _team(self, team: str | None) -> list[User]:
        if team not in self._reps:
            found = self.uow.users.with_role(Role.REP, team)
            self._reps[team] = [u for u in found if u.active
                                and (team is None or u.team == team)]
        return self._reps[team]

    def _held_by(self, user: User) -> int:
        uid = user.id or 0
        if uid not in self._held:
            self._held[uid] = self.uow.pool.owned(uid)
        return self._held[uid]

    def _in_turn(self, team: str | None) -> User | None:
        reps = self._team(team)
        if not reps:
            return None
        room = [u for u in reps if self._held_by(u) < self.settings.pool.max_owned] or reps
        scope = f"team:{team or '*'}"
        if scope not in self._turns:
            self._turns[scope] = self.uow.pool.last_turn(scope)
        last = self._turns[scope]
        ordered = sorted(room, key=lambda u: u.id or 0)
        chosen = next((u for u in ordered if last is None or (u.id or 0) > last), ordered[0])
        self._turns[scope] = chosen.id
        return chosen

    def _person(self, username: str) -> User | None:
        if username not in self._people:
            person = self.uow.users.by_username(username)
            ok = person is not None and person.active and person.role in SALES
            self._people[username] = person if ok else None
        return self._people[username]

    def owner_for(self, lead: Lead, creator: User | None) -> User | None:
        """The person the rules give the lead to; None when they name nobody."""
        for rule in self.settings.assignment.rules:
            if not _matches(rule, lead):
                continue
            if rule.user is not None:
                person = self._person(rule.user)
                if person is not None:
                    return person
                continue
            chosen = self._in_turn(rule.team)
            if chosen is not None:
                return chosen
        if self.settings.assignment.round_robin:
            team = creator.team if creator is not None else self.settings.assignment.intake_team
            chosen = self._in_turn(team)
            if chosen is not None:
                return chosen
        if creator is not None and creator.active and creator.role in SALES:
            return creator
        return None

    def route(self, lead: Lead, creator: User | None, fallback: User) -> User:
        """Give a new lead (not yet added) to its owner by the rules, else to `fallback`."""
        owner = self.owner_for(lead, creator) or fallback
        self.give(lead, owner)
        return owner

    def give(self, lead: Lead, owner: User) -> None:
        lead.owner_id = owner.id or 0
        lead.team = owner.team
        self._held[owner.id or 0] = self._held_by(owner) + 1

    def save_turns(self) -> None:
        for scope, last in self._turns.items():
            if last is not None:
                self.uow.pool.set_turn(scope, last)


def tell_assignee(uow: UnitOfWork, lead: Lead, creator: User | None) -> None:
    """The assignee hears of the lead at once (not when they typed it themselves)."""
    if creator is not None and creator.id == lead.owner_id:
        return
    uow.events.append(LeadRouted(lead.id or 0, lead.owner_id, {
        "lead": lead.number, "company": lead.company, "contact": lead.contact or "",
        "phone": lead.phone or "", "email": lead.email or "", "source": lead.source or "",
        "score": lead.score, "note": (lead.note or "")[:200]}))
