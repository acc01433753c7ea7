"""Giving records to someone else, handing over a leaver's work, and changes to people."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.assignment import assign, change_team, hand_over, open_records
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import RecordsAssigned
from domain.leads import NewLead, create_lead
from domain.model.customers import Customer
from domain.model.deals import DealStatus
from domain.model.leads import Lead
from domain.model.quotes import LineInput
from domain.model.users import Role, User
from domain.money import Money
from domain.notifications import queue_notifications
from domain.quotes import draft_quote
from domain.reminders import add_reminder
from domain.settings import Settings
from domain.subjects import resolve_subject
from domain.users import set_active, set_role
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()


@pytest.fixture
def cast(uow: FakeUnitOfWork) -> dict[str, User]:
    return {name: add_person(uow, name, role, team) for name, role, team in [
        ("li", Role.REP, "east"), ("wang", Role.REP, "east"), ("mgr", Role.MANAGER, "east"),
        ("west", Role.REP, "west"), ("fin", Role.FINANCE, None), ("boss", Role.ADMIN, None)]}


def _reminder(uow: FakeUnitOfWork, user: User, kind: str, id_: int) -> int:
    subject = resolve_subject(uow, user, kind, id_)
    return add_reminder(uow, user, subject, NOW + timedelta(days=1), "call back", NOW).id or 0


def test_a_deal_moves_with_its_open_quotes_and_its_owners_reminders(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    li, wang, mgr = cast["li"], cast["wang"], cast["mgr"]
    deal = given_deal(uow, li)
    quote = draft_quote(uow, li, deal.id or 0, [LineInput(Decimal(1), "Server",
                                                          Money(Decimal(100), "CNY"))],
                        SETTINGS, NOW, TODAY)
    theirs = _reminder(uow, li, "deal", deal.id or 0)
    managers = _reminder(uow, mgr, "deal", deal.id or 0)
    done = assign(uow, mgr, "deal", deal.id or 0, "wang")
    assert (done.refs, done.reminders) == ([deal.number], 1)
    assert (deal.owner_id, quote.owner_id) == (wang.id, wang.id)
    assert uow.reminders.get(theirs).user_id == wang.id  # type: ignore[union-attr]
    assert uow.reminders.get(managers).user_id == mgr.id  # type: ignore[union-attr]
    queue_notifications(uow, SETTINGS, NOW)
    [told] = [m for m in uow.messages if m.key == "notify.assigned"]
    assert (told.recipient, told.params["refs"], told.params["by"]) == (
        str(wang.id), deal.number, "Mgr")


def test_a_customer_takes_its_previous_owners_open_deals_and_leads_along(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    li, wang, boss = cast["li"], cast["wang"], cast["boss"]
    deal = given_deal(uow, li, title="Acme")
    customer = uow.customers.get(deal.customer_id)
    assert customer is not None
    won = given_deal(uow, li, title="Acme")
    won.customer_id, won.status = customer.id or 0, DealStatus.WON
    others = given_deal(uow, cast["west"], title="Acme")
    others.customer_id = customer.id or 0
    lead, _ = create_lead(uow, li, NewLead("ACME Ltd."), SETTINGS, NOW)
    done = assign(uow, boss, "customer", customer.id or 0, "wang")
    assert done.refs == [customer.number, deal.number, lead.number]
    assert (customer.owner_id, deal.owner_id, lead.owner_id) == (wang.id, wang.id, wang.id)
    assert won.owner_id == li.id and others.owner_id == cast["west"].id


@pytest.mark.parametrize("actor, target, error, key", [
    ("li", "wang", Forbidden, "access.role"),
    ("mgr", "west", Forbidden, "assign.other_team"),
    ("mgr", "fin", InvalidInput, "assign.not_sales"),
    ("mgr", "nobody", NotFound, "user.unknown"),
    ("mgr", "li", Conflict, "assign.already"),
])
def test_assigning_is_for_managers_within_their_team_to_active_sales_people(
        uow: FakeUnitOfWork, cast: dict[str, User], actor: str, target: str,
        error: type[Exception], key: str) -> None:
    deal = given_deal(uow, cast["li"])
    with pytest.raises(error) as refused:
        assign(uow, cast[actor], "deal", deal.id or 0, target)
    assert refused.value.key == key  # type: ignore[attr-defined]
    assert deal.owner_id == cast["li"].id


def test_nobody_gets_records_once_deactivated(uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    deal = given_deal(uow, cast["li"])
    set_active(uow, cast["boss"], "wang", False)
    with pytest.raises(Conflict) as refused:
        assign(uow, cast["mgr"], "deal", deal.id or 0, "wang")
    assert refused.value.key == "assign.inactive"


def test_a_leavers_open_work_is_handed_over_in_one_go(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    li, wang = cast["li"], cast["wang"]
    deal = given_deal(uow, li)
    closed = given_deal(uow, li)
    closed.status = DealStatus.LOST
    lead, _ = create_lead(uow, li, NewLead("Globex"), SETTINGS, NOW)
    personal = add_reminder(uow, li, None, NOW + timedelta(hours=3), "expenses", NOW)
    set_active(uow, cast["boss"], "li", False)
    assert open_records(uow, li).refs == ["A-1", "A-2", deal.number, lead.number]
    done = hand_over(uow, cast["mgr"], "li", "wang")
    assert done.refs == ["A-1", "A-2", deal.number, lead.number] and done.reminders == 1
    assert {c.owner_id for c in uow.stored(Customer)} == {wang.id}
    assert (deal.owner_id, lead.owner_id, personal.user_id) == (wang.id, wang.id, wang.id)
    assert closed.owner_id == li.id  # closed work stays with who did it
    assert open_records(uow, li).empty
    [event] = [e for e in uow.events if isinstance(e, RecordsAssigned)]
    assert event.to_user_id == wang.id


def test_a_manager_hands_over_only_within_the_team(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    given_deal(uow, cast["west"])
    with pytest.raises(Forbidden):
        hand_over(uow, cast["mgr"], "west", "wang")
    with pytest.raises(Conflict):
        hand_over(uow, cast["boss"], "li", "li")


def test_a_team_change_takes_the_open_records_along(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    li = cast["li"]
    deal = given_deal(uow, li)
    won = given_deal(uow, li)
    won.status = DealStatus.WON
    lead, _ = create_lead(uow, li, NewLead("Globex"), SETTINGS, NOW)
    user, moved = change_team(uow, cast["boss"], "li", "north")
    assert (user.team, moved) == ("north", 4)
    assert (deal.team, lead.team, won.team) == ("north", "north", "east")
    assert [c.team for c in uow.stored(Customer)] == ["north", "north"]
    assert [lead.team for lead in uow.stored(Lead)] == ["north"]
    with pytest.raises(Forbidden):
        change_team(uow, cast["mgr"], "wang", "north")


def test_the_last_admin_stays_and_nobody_deactivates_themselves(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    boss = cast["boss"]
    for attempt in (lambda: set_active(uow, boss, "boss", False),
                    lambda: set_role(uow, None, "boss", Role.REP),
                    lambda: set_active(uow, None, "boss", False)):
        with pytest.raises(Conflict):
            attempt()
    assert (boss.active, boss.role) == (True, Role.ADMIN)
    set_role(uow, boss, "mgr", Role.ADMIN)
    set_role(uow, None, "boss", Role.MANAGER)
    assert boss.role == Role.MANAGER
    with pytest.raises(Forbidden):
        set_active(uow, cast["li"], "wang", False)
    set_active(uow, None, "wang", False)
    with pytest.raises(Conflict) as twice:
        set_active(uow, None, "wang", False)
    assert twice.value.key == "user.already_inactive"
    assert set_active(uow, None, "wang", True).active
